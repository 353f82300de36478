"""The id of the request being served, for log records and error answers.

``RequestIdMiddleware`` sets it for the duration of a request; the
``RequestIdFilter`` below puts it on every log record (``%(request_id)s`` in
a format), so a traceback on stderr or in the error log can be matched with
the ``X-Request-ID`` header the client received, and with gunicorn's access
log line. Outside a request it reads ``-``.
"""

import contextvars
import logging

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default="-"
)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True
