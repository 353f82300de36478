"""The API's views: the CRUD viewsets (``entities``, ``rooms``), the read models'
(``read_models``), each routed by ``routing``; the health check; JSON errors."""

from .health import healthz
from .routing import routes

__all__ = ["healthz", "routes"]
