"""Refuses a request whose announced body is too large, before anything reads it.

A client that sends ``Content-Length`` above ``DATA_UPLOAD_MAX_MEMORY_SIZE``
gets 413 at once: no authentication, no parsing, no temporary file. Bodies
without a length (chunked) are capped where they are read
(``rooms.parsers.BoundedJSONParser``, Django's own form parsing).
"""

from django.conf import settings
from django.http import JsonResponse


class RequestBodySizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Content-Length is not a number."}, status=400)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return JsonResponse(
                {"detail": f"The request body is larger than {limit} bytes."}, status=413
            )
        return self.get_response(request)
