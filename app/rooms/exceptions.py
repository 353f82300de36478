"""Turns database refusals that are the client's doing into clear 4xx answers.

DRF handles its own exceptions; Django's ``ProtectedError`` (deleting a door
that rooms still use) and an ``IntegrityError`` from a race that slipped past
validation would otherwise surface as a 500.
"""

from collections import Counter

from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

#: How many blocking ids a 409 lists at most.
MAX_IDS = 100


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
    return drf_exception_handler(exc, context)


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
