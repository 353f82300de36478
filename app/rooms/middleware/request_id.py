"""A request id on every response, and every 5xx logged with it.

Each request gets an id: the client's ``X-Request-ID`` when it sent a sane one
(so a proxy's id carries through), a new random one otherwise. It goes back in
the ``X-Request-ID`` response header and onto every log record written while
the request is served (``rooms.request_context``), so a client's report of a
failed request leads straight to its traceback.

Every response with a 5xx status is logged once, at ERROR, to stderr and to
``ROOMS_ERROR_LOG_FILE``: with its traceback when an exception caused it (DRF's
exception handler and ``process_exception`` below log those themselves, and
mark the response so that neither this middleware nor Django logs it again).

An exception that no view handled (one outside DRF, such as the admin's or the
login page's, or one DRF's handler let through) becomes a JSON answer here
rather than Django's HTML page: 503 with ``Retry-After`` when the database is
unavailable, 500 otherwise. With ``DEBUG`` on, Django's debug page is kept.
"""

import logging
import re
import uuid

from django.conf import settings
from django.http import JsonResponse

from rooms import exceptions
from rooms.request_context import current_request_id

HEADER = "X-Request-ID"
#: The same header in the WSGI environ: read from there, since ``request.headers``
#: copies every header of the request first, on every request.
META_KEY = "HTTP_X_REQUEST_ID"
#: What a client-sent id may look like; anything else is replaced.
VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

logger = logging.getLogger("rooms.errors")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(META_KEY, "")
        request.request_id = incoming if VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
            if response.status_code >= 500 and not getattr(response, "_has_been_logged", False):
                logger.error(
                    "%s %s answered %s", request.method, request.path, response.status_code
                )
                response._has_been_logged = True
        finally:
            current_request_id.reset(token)
        response[HEADER] = request.request_id
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG:
            return None  # Django's debug page, which logs the error itself
        response = exceptions.unavailable_response(exception)
        if response is None:
            response = JsonResponse(
                {"detail": "Internal server error.", "request_id": request.request_id},
                status=500,
            )
        exceptions.log_server_error(request, response, exception)
        return response
