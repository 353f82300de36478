"""``idempotent``: makes a DRF write action honour the ``Idempotency-Key`` header.

Wrap the action *inside* its transaction (``atomic_with_retry(idempotent(...))``)
so that the record and the write commit together:

* no header: the write runs as always;
* a key this user has not used (or whose record expired,
  ``ROOMS_IDEMPOTENCY_TTL``): the write runs; a 2xx answer is stored with the
  key. An error rolls the write back, and the key with it, so the client may
  retry with the same key;
* a key whose write committed: the stored answer, replayed
  (``Idempotent-Replayed: true``), and nothing is written;
* a key used before for a different request (method, path or body): 422.

Keys are per user: two users cannot see each other's answers.
"""

import functools
import hashlib
import json
import re

from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from . import store

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
#: Visible ASCII, no spaces (which proxies may trim): a UUID, a hash, a counter.
KEY_PATTERN = re.compile(rf"^[!-~]{{1,{MAX_KEY_LENGTH}}}$")


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was used for a different request (method, path or body). "
        "Use a new key for a new request."
    )


def idempotent(action):
    @functools.wraps(action)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return action(self, request, *args, **kwargs)
        request_fingerprint = fingerprint(request)
        claimed = store.claim(request.user.pk, valid_key(key), request_fingerprint)
        if isinstance(claimed, store.Previous):
            if claimed.fingerprint != request_fingerprint:
                raise KeyReused
            return Response(
                json.loads(claimed.response),
                status=claimed.status_code,
                headers={REPLAYED_HEADER: "true"},
            )
        response = action(self, request, *args, **kwargs)
        if status.is_success(response.status_code):
            store.complete(claimed, response.status_code, to_json(response.data, sort_keys=False))
        else:
            store.release(claimed)
        return response

    return wrapper


def valid_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise ValidationError(
            {HEADER: [f"Must be 1 to {MAX_KEY_LENGTH} visible ASCII characters, no spaces."]}
        )
    return key


def fingerprint(request) -> str:
    """The request's method, path with query and body (as parsed, keys sorted)."""
    body = to_json(request.data) if request.method != "DELETE" else ""
    text = "\n".join([request.method, request.get_full_path(), body])
    return hashlib.sha256(text.encode()).hexdigest()


def to_json(data, sort_keys: bool = True) -> str:
    return json.dumps(data, cls=JSONEncoder, sort_keys=sort_keys, separators=(",", ":"))
