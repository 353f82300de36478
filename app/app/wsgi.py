"""WSGI entry point: ``gunicorn app.wsgi`` (run from ``app/``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")

application = get_wsgi_application()
