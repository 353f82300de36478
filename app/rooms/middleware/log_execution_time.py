"""Logs how long every request took, for `supplementary_scripts/process_logs.py`.

Each line reads ``<level>;<path with query string>;<seconds>`` (the level comes
from the ``timing`` formatter in settings), written to ``ROOMS_LOG_FILE``.
A ``;`` in the query string is logged as ``%3B``, so the fields stay apart.
"""

import logging
import time

logger = logging.getLogger(__name__)


class ExecutionTimeLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # perf_counter is monotonic and high-resolution; time.time() is neither.
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        # The path is already percent-encoded, except for ";" in the query.
        path = request.get_full_path().replace(";", "%3B")
        logger.info("%s;%.6f", path, elapsed)
        return response
