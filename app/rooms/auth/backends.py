"""Django's model backend, with failed password checks counted and limited.

A password check costs about 0.6 s of CPU (PBKDF2 with Django's iteration
count), so a client sending wrong passwords in a loop takes a worker each
time. Every password check of the service goes through ``authenticate``: HTTP
Basic, the browsable API's login form, the admin's. So this is the one place
that counts failures (per client address and per username, in the shared
cache, ``rooms.auth.throttles``) and, once either count is at its limit,
refuses to check another password (``PermissionDenied``, which Django turns
into a failed login) until the window has passed.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .throttles import login_blocked_for, record_failed_login


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if password is None:
            return None  # not a password login: nothing to count
        if login_blocked_for(request, username) is not None:
            raise PermissionDenied("Too many failed logins; try again later.")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failed_login(request, username)
        return user
