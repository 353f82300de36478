"""gunicorn's configuration for docker/start.sh (the image, the compose stack, anywhere).

The request timeout comes from ``app/timeouts.py``, the module the Django
settings take their database timeouts from, so the database always gives up
(a JSON 503) before gunicorn kills a worker (no answer at all). The access log
names each request's ``X-Request-ID``, the id error logs carry.
"""

import math
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "app"))

from app.timeouts import REQUEST_TIMEOUT

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# gunicorn takes whole seconds; rounding up keeps the database's limits below it.
timeout = math.ceil(REQUEST_TIMEOUT)
# No control socket (gunicorn's `gunicornc`): nothing here uses it, and the image's
# user has no home directory to put it in.
control_socket_disable = True
accesslog = "-"
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms request=%({x-request-id}o)s'
)
