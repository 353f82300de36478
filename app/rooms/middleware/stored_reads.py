"""Answers the plainest read there is, a stored room for an anonymous JSON client, in short.

A stored room's answer is one statement and its text
(``StoredDocumentViewSet.document_response``). On the ordinary path the
framework around it (the rest of the middleware chain, URL resolving, DRF's
authentication, permissions, throttles and content negotiation) cost more
than the lookup itself: the profile is in ``docs/benchmarks.md``. So, much as
WhiteNoise answers a static file from high up in the chain, this middleware
sits below the ones every request needs (the timing log, the request id, the
body limit, replica routing, the security headers) and answers such a read
itself; every other request goes down the chain unchanged.

A request takes the short path only when the ordinary one would give it the
same answer:

* ``GET /<stored path>/<id>/`` with no query string (``?format=`` picks a
  renderer); HEAD, OPTIONS and the lists go the ordinary way;
* no credentials: no ``Authorization`` header and no session cookie (only the
  ordinary path checks them, and it may refuse bad ones);
* an ``Accept`` that DRF answers with JSON: none, ``*/*`` or
  ``application/json``; anything else (a browser's asks for HTML, and gets the
  browsable API) is negotiated by DRF;
* a read model whose viewset lets anonymous clients read and throttles no
  one (checked once, at start: add a throttle there and its reads go the
  ordinary way).

The answer carries what the ordinary path adds to it: DRF's ``Allow`` and
``Vary: Accept``, and the ``Content-Length`` CommonMiddleware would set; a
``Host`` outside ``ALLOWED_HOSTS`` is refused (400) here as it is there.
A room that is not there and any database error go the ordinary way, which
answers them as it always has: a 404, a 503 with ``Retry-After``, a read
on a failed replica served again by the primary.
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError
from rest_framework.permissions import (
    AllowAny,
    DjangoModelPermissionsOrAnonReadOnly,
    IsAuthenticatedOrReadOnly,
)

from rooms.views.read_models import StoredDocumentViewSet

#: ``Accept`` headers that DRF's negotiation answers with JSON on these viewsets.
JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})
#: Permission classes that let an anonymous client read.
OPEN_TO_READERS = (AllowAny, DjangoModelPermissionsOrAnonReadOnly, IsAuthenticatedOrReadOnly)
#: What DRF's ``finalize_response`` adds to every answer of a read-only viewset.
DRF_HEADERS = {"Allow": "GET, HEAD, OPTIONS", "Vary": "Accept"}


def open_and_unthrottled(viewset) -> bool:
    return not viewset.throttle_classes and all(
        issubclass(permission, OPEN_TO_READERS) for permission in viewset.permission_classes
    )


class StoredReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.viewsets = {
            viewset.read_model.path: viewset
            for viewset in StoredDocumentViewSet.of_read_model.values()
            if open_and_unthrottled(viewset)
        }
        if not self.viewsets:
            raise MiddlewareNotUsed

    def __call__(self, request):
        response = self.short_answer(request) if self.is_plain(request) else None
        return response if response is not None else self.get_response(request)

    @staticmethod
    def is_plain(request) -> bool:
        """An anonymous GET, no query string, that DRF would answer with JSON."""
        meta = request.META
        return (
            request.method == "GET"
            and not meta.get("QUERY_STRING")
            and meta.get("HTTP_ACCEPT", "") in JSON_ACCEPTS
            and "HTTP_AUTHORIZATION" not in meta
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def short_answer(self, request):
        """The stored room's answer, or None to leave the request to the ordinary path."""
        path = request.path_info
        prefix = path[: path.find("/", 1) + 1]
        viewset = self.viewsets.get(prefix)
        lookup = path[len(prefix) : -1]
        if viewset is None or not path.endswith("/") or not lookup or "/" in lookup:
            return None
        request.get_host()  # a Host outside ALLOWED_HOSTS: DisallowedHost, answered 400
        try:
            response = viewset.document_response(lookup)
        except DatabaseError:
            return None
        if response is not None:
            for header, value in DRF_HEADERS.items():
                response[header] = value
            response["Content-Length"] = str(len(response.content))
        return response
