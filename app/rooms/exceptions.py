"""Turns errors that are not bugs into clear JSON answers.

DRF handles its own exceptions. This handler adds:

* Django's ``ProtectedError`` (deleting a door that rooms still use) and an
  ``IntegrityError`` from a race that slipped past validation: 409, which
  would otherwise surface as a 500;
* the database giving up on a write (``lock_timeout``, ``statement_timeout``,
  see ``app/timeouts.py``) or being unreachable (a restart, a network cut):
  503 with ``Retry-After``, logged with its traceback. A timed-out write was
  rolled back whole, so the answer says that nothing changed; a lost
  connection cannot say so (the COMMIT may have been under way), which is what
  the ``Idempotency-Key`` header is for;
* Django's ``RequestDataTooBig``: 413;
* Django's ``Http404``: DRF's own 404, "Not found.", whichever read path or
  endpoint raised it. ``get_object_or_404`` words it after the model ("No
  Room matches the given query."), which made the same missing room read
  differently on ``/rooms/`` and on the stored read paths.

``rooms.middleware.request_id`` uses the same pieces for errors raised outside
DRF's views.
"""

import logging
from collections import Counter

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from rooms.parsers import RequestTooLarge

#: How many blocking ids a 409 lists at most.
MAX_IDS = 100

#: SQLSTATEs of a write the database gave up on (and rolled back).
TIMED_OUT = {
    "55P03": "It waited too long for data that another transaction holds",  # lock_not_available
    "57014": "It ran too long",  # query_canceled (statement_timeout)
}

logger = logging.getLogger("rooms.errors")


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError):
        return _still_referenced(exc.protected_objects, context)
    if isinstance(exc, RestrictedError):
        return _still_referenced(exc.restricted_objects, context)
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The change conflicts with the current data; reload and try again."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    if isinstance(exc, Http404):
        exc = NotFound()
    detail = unavailable_detail(exc)
    if detail is not None:
        set_rollback()
        response = Response(
            {"detail": detail},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(settings.ROOMS_RETRY_AFTER)},
        )
        log_server_error(context["request"], response, exc)
        return response
    return drf_exception_handler(exc, context)


def unavailable_detail(exc) -> str | None:
    """The 503 message for a database that gave up or cannot be reached, else None."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return None
    retry = f"Retry in {settings.ROOMS_RETRY_AFTER} s."
    reason = TIMED_OUT.get(getattr(exc.__cause__, "pgcode", None))
    if reason is not None:
        return f"The database gave up on this request: {reason}. Nothing was changed. {retry}"
    return f"The database is unavailable. {retry}"


def unavailable_response(exc) -> JsonResponse | None:
    """``unavailable_detail`` as a plain Django response, for errors outside DRF."""
    detail = unavailable_detail(exc)
    if detail is None:
        return None
    response = JsonResponse({"detail": detail}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(settings.ROOMS_RETRY_AFTER)
    return response


def log_server_error(request, response, exc) -> None:
    """Log a 5xx with its traceback (the request id comes from the log filter),
    once: Django's and the request-id middleware's loggers skip it afterwards."""
    logger.error(
        "%s %s answered %s: %s: %s",
        request.method,
        request.path,
        response.status_code,
        type(exc).__name__,
        str(exc).strip(),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    response._has_been_logged = True


def _still_referenced(objects, context):
    """409 naming what still points at the object, e.g. "2 rooms (ids 3, 8)".

    ``verbose_name`` is a lazy translation string: it goes through an f-string
    (which makes it ``str``), never straight into ``str.join``, which raised a
    TypeError here and turned the 409 into a 500. Only the first ``MAX_IDS``
    ids are listed, because a door can have thousands of rooms.
    """
    objects = sorted(objects, key=lambda obj: (obj._meta.label, obj.pk))
    kinds = Counter(obj._meta for obj in objects)
    listing = " and ".join(
        f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}"
        for opts, count in kinds.items()
    )
    model = getattr(context.get("view"), "model", None)
    target = f"this {model._meta.verbose_name}" if model is not None else "this object"
    ids = [obj.pk for obj in objects[:MAX_IDS]]
    return Response(
        {
            "detail": (
                f"Cannot delete {target}: it is still used by {listing} "
                f"(ids {', '.join(map(str, ids))}{', ...' if len(objects) > MAX_IDS else ''}). "
                "Move or delete them first."
            ),
            "blocked_by": {"count": len(objects), "ids": ids},
        },
        status=status.HTTP_409_CONFLICT,
    )
