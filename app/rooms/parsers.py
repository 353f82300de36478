"""The one request body format the API takes: JSON, bounded in size and depth.

* **JSON only.** No endpoint takes files, and form encodings cannot express
  the nested ``souvenirs`` of a decoration (DRF silently drops what it cannot
  read), so form-encoded and multipart bodies are refused with 415 rather than
  half-read. The browsable API's raw-data form sends JSON too.
* **Size.** DRF's own JSON parser reads the whole stream, past Django's
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``; this one reads at most that many bytes and
  answers a longer body with 413 (``RequestBodySizeMiddleware`` answers one
  that announces its length before anything else runs).
* **Depth.** A body nested deeper than the interpreter's recursion limit made
  the decoder raise ``RecursionError``, a 500; a body nested deeper than any
  real payload (``MAX_DEPTH``) is refused with 400 before a serializer walks it.
"""

import io

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

#: The deepest nesting a body may have; a decoration payload is 3 levels deep.
MAX_DEPTH = 32


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        super().__init__(
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
        )


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise RequestTooLarge
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels") from None
        if too_deep(data, MAX_DEPTH):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels")
        return data


def too_deep(data, limit: int) -> bool:
    """Whether ``data`` nests lists/objects more than ``limit`` levels, without recursion."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False
