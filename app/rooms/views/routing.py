"""Every viewset of the API under its URL prefix, derived from the models and the read models.

Routes come in the order the API root lists them: the live rooms, each read
model (``READ_MODELS``), then every other model a room document is built
from (``BASE_MODELS``). A model's URL prefix is its plural name
(``window_fittings``), a read model's its path in the registry
(``rooms_v2``); each route is named after its model (``windowfittings-list``).
"""

from django.db.models import Model

from rooms.models import BASE_MODELS, Room
from rooms.read_models.registry import READ_MODELS, ReadModel

# Each viewset module declares its viewsets, which the base classes collect.
from . import entities, read_models, rooms  # noqa: F401
from .base import AtomicModelViewSet
from .read_models import StoredDocumentViewSet


def url_prefix(model: type[Model]) -> str:
    return str(model._meta.verbose_name_plural).replace(" ", "_")


def crud_route(model: type[Model]) -> tuple[str, type, str]:
    return url_prefix(model), AtomicModelViewSet.of_model[model], model._meta.model_name


def read_model_route(read_model: ReadModel) -> tuple[str, type, str]:
    viewset = StoredDocumentViewSet.of_read_model[read_model.name]
    return read_model.prefix, viewset, read_model.model._meta.model_name


def routes() -> list[tuple[str, type, str]]:
    """``(prefix, viewset, basename)`` of every viewset, in the API root's order."""
    others = [model for model in BASE_MODELS if model is not Room]
    return [
        crud_route(Room),
        *map(read_model_route, READ_MODELS.values()),
        *map(crud_route, others),
    ]
