"""Idempotency keys for API writes: a retried write returns its first outcome.

A client whose write timed out, or whose connection dropped, cannot know
whether the write happened. If it sent an ``Idempotency-Key`` header, it can
send the same request again with the same key: a write that had committed is
not applied again, and the client gets the answer the first one got; a write
that had not committed is applied now. See ``idempotency.writes``.
"""
