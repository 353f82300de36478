"""JSON answers for URLs no route matches and for errors outside every view.

Django's own 404 and 500 pages are HTML; an API client (and the schema, which
documents ``{"detail": ...}`` bodies) expects JSON on every path.
"""

from django.http import JsonResponse


def not_found(request, exception=None):
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request):
    """Only for errors no middleware turned into an answer (``rooms.middleware.request_id``
    handles the rest, and logs them)."""
    return JsonResponse(
        {"detail": "Internal server error.", "request_id": getattr(request, "request_id", None)},
        status=500,
    )
