"""Logs how long every request took, for `supplementary_scripts/process_logs.py`.

Each line reads ``<level>;<path with query string>;<seconds>`` (the level comes
from the ``timing`` formatter in settings), written to ``ROOMS_LOG_FILE``.
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
        logger.info("%s;%.6f", request.get_full_path(), elapsed)
        return response
