"""Logs how long every request took, for `supplementary_scripts/process_logs.py`.

A successful read (GET or HEAD answered 2xx) is logged in the original form,
``<level>;<path with query string>;<seconds>``; every other request (writes,
redirects, errors) gets two more fields, ``;<method>;<status>``, so that a
summary of the read paths can leave it out instead of averaging a 404 or a
write into a read path's figures. The level comes from the ``timing``
formatter in settings; the file is ``ROOMS_LOG_FILE``. A ``;`` in the query
string is logged as ``%3B``, so the fields stay apart.
"""

import logging
import time

logger = logging.getLogger(__name__)

READS = {"GET", "HEAD"}


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
        if request.method in READS and 200 <= response.status_code < 300:
            logger.info("%s;%.6f", path, elapsed)
        else:
            logger.info("%s;%.6f;%s;%d", path, elapsed, request.method, response.status_code)
        return response
