"""Turns database refusals that are the client's doing into clear 4xx answers.

DRF handles its own exceptions; Django's ``ProtectedError`` (deleting a door
that rooms still use) and an ``IntegrityError`` from a race that slipped past
validation would otherwise surface as a 500.
"""

from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, (ProtectedError, RestrictedError)):
        blocking = sorted({obj._meta.verbose_name_plural for obj in exc.protected_objects})
        count = len(exc.protected_objects)
        return Response(
            {
                "detail": (
                    f"Cannot delete this object: {count} {', '.join(blocking)} still refer "
                    "to it. Move or delete them first."
                ),
                "blocked_by": {
                    "count": count,
                    "ids": sorted(obj.pk for obj in list(exc.protected_objects)[:100]),
                },
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The change conflicts with the current data; reload and try again."},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
