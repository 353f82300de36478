"""Read-only endpoints serving the stored room documents.

For JSON clients the documents are selected as JSON text and handed to the
response as they are (`rooms.selectors.stored_documents`). Other renderers
(the browsable API) take the ordinary serializer path, so content
negotiation works as everywhere else. An anonymous JSON client's single
room is answered before it reaches DRF (`rooms.middleware.stored_reads`),
with the same `document_response`.

`/rooms_mat_view/` also tells the client how fresh it is:
`X-View-Refreshed-At` (when the view was last refreshed),
`X-View-Refresh-Policy` (the policy writers follow) and, while changes
wait for a deferred or manual refresh, `X-View-Stale-Since`.
"""

import json
import re
from typing import ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer

from rooms.read_models.registry import APP_TABLE, MATERIALIZED_VIEW, TRIGGER_TABLE, ReadModel
from rooms.selectors import stored_documents
from rooms.serializers import RoomDocumentReadSerializer

from .base import ID_PATTERN

#: The largest id a room can have (ids are PostgreSQL bigint).
MAX_ID = 2**63 - 1


class StoredDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RoomDocumentReadSerializer
    lookup_value_regex = ID_PATTERN
    read_model: ReadModel
    #: Each read model's viewset, by read model name: the subclass that declares
    #: it as its ``read_model`` (``views.routing`` gives each its URLs).
    of_read_model: ClassVar[dict[str, type["StoredDocumentViewSet"]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "read_model" in vars(cls):
            if cls.read_model.name in StoredDocumentViewSet.of_read_model:
                raise ImproperlyConfigured(f"the {cls.read_model} has two viewsets")
            StoredDocumentViewSet.of_read_model[cls.read_model.name] = cls

    def get_queryset(self):
        return self.read_model.model.objects.all()

    def wants_json(self) -> bool:
        return isinstance(self.request.accepted_renderer, JSONRenderer)

    def list(self, request, *args, **kwargs):
        if not self.wants_json():
            return self.with_headers(super().list(request, *args, **kwargs), None)
        rows = self.paginate_queryset(
            stored_documents.with_documents(self.read_model, self.get_queryset())
        )
        next_link = json.dumps(self.paginator.get_next_link())
        previous_link = json.dumps(self.paginator.get_previous_link())
        results = ", ".join(row["document"] for row in rows)
        body = f'{{"next": {next_link}, "previous": {previous_link}, "results": [{results}]}}'
        return self.with_headers(self.json_response(body), rows[0] if rows else None)

    def retrieve(self, request, *args, **kwargs):
        if not self.wants_json():
            return self.with_headers(super().retrieve(request, *args, **kwargs), None)
        response = self.document_response(kwargs[self.lookup_field])
        if response is None:
            raise Http404
        return response

    @classmethod
    def document_response(cls, lookup: str) -> HttpResponse | None:
        """The JSON answer for the room whose id is ``lookup`` (URL text); None if there is none."""
        # Written as the router takes an id (``StoredReadMiddleware`` comes before it), and
        # short enough for int(), which refuses thousands of digits.
        digits = re.fullmatch(ID_PATTERN, lookup) and len(lookup) < 100
        room_id = int(lookup) if digits else 0
        if not 0 < room_id <= MAX_ID:  # not a bigint id: no such room
            return None
        row = stored_documents.document(cls.read_model, room_id)
        if row is None:
            return None
        return cls.with_headers(cls.json_response(row["document"]), row)

    @staticmethod
    def json_response(body: str) -> HttpResponse:
        return HttpResponse(body, content_type="application/json")

    @classmethod
    def with_headers(cls, response, row):
        return response


class MaterializedViewRoomViewSet(StoredDocumentViewSet):
    """The room documents of `/rooms/`, stored in a materialized view; read-only.

    The view is refreshed after writes: at once, within a few seconds, or on
    demand, as the server is set up. The `X-View-Refreshed-At` response header
    says when it last was, `X-View-Refresh-Policy` which of the three applies,
    and `X-View-Stale-Since`, while changes wait for a refresh, since when.
    """

    read_model = MATERIALIZED_VIEW

    @classmethod
    def with_headers(cls, response, row):
        if row is None:
            row = stored_documents.view_freshness()
        response["X-View-Refresh-Policy"] = row["refresh_policy"]
        if row["refreshed_at"] is not None:
            response["X-View-Refreshed-At"] = row["refreshed_at"].isoformat()
        if row["stale_since"] is not None:
            response["X-View-Stale-Since"] = row["stale_since"].isoformat()
        return response


class AppTableRoomViewSet(StoredDocumentViewSet):
    """The room documents of `/rooms/`, stored in a table that the application rebuilds
    when a write commits; read-only.

    Writes made through this API show at once. Writes that bypass the
    application (bulk updates, SQL) show after its next repair pass, every
    minute by default.
    """

    read_model = APP_TABLE


class TriggerTableRoomViewSet(StoredDocumentViewSet):
    """The room documents of `/rooms/`, stored in a table that PostgreSQL triggers
    rebuild at every write, whoever makes it; read-only."""

    read_model = TRIGGER_TABLE
