"""schemathesis hooks of .ci/schemathesis (loaded through SCHEMATHESIS_HOOKS).

The fuzzer plays a client that never retries: every request it sends gets an
``Idempotency-Key`` of its own. Its stateful phase sends some cases more than
once; with the generated key reused, the API rightly replays the first
answer (``Idempotent-Replayed: true``), say the 201 of a resource a later
step deleted, and the fuzzer's "created resource not found" check (ST302)
takes the replay for a resource that vanished. Replays, and keys reused for
other requests (422), are tested by the test suite
(``test_api_hardening_idempotency.py``).

The generated key is kept as the prefix, so a key the API must refuse (400)
is still refused.
"""

import uuid

import schemathesis

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


@schemathesis.hook
def before_call(context, case, kwargs):
    key = (case.headers or {}).get(HEADER)
    if key:
        unique = uuid.uuid4().hex
        case.headers[HEADER] = f"{key[: MAX_KEY_LENGTH - len(unique) - 1]}.{unique}"
