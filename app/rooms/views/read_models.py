"""Read-only endpoints serving the stored room documents.

The stored rows already *are* room documents, so for JSON clients the views
select each row as JSON text in SQL and hand that text to the response:
DRF's generic path (decode the stored JSON to Python, walk a serializer,
encode again) was most of the cost of these endpoints. Other renderers
(the browsable API) take the ordinary serializer path, so content
negotiation works as everywhere else.

``/rooms_mat_view/`` also tells the client how fresh it is:
``X-View-Refreshed-At`` (when the view was last refreshed),
``X-View-Refresh-Policy`` (``ROOMS_VIEW_REFRESH``) and, while writes wait for
a deferred or manual refresh, ``X-View-Stale-Since``.
"""

import functools
import json

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer

from rooms.models import RoomsRelatedObjectsMaterializedView, RoomWithRelatedObjsRebuildInApp
from rooms.read_models import materialized_view
from rooms.read_models.sql import DOCUMENT_AS_JSON_TEXT, VIEW_REFRESHED_AT, VIEW_STALE_SINCE
from rooms.serializers import RoomDocumentReadSerializer


class StoredDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RoomDocumentReadSerializer
    #: Extra values selected with the rows: name -> SQL expression.
    extra_columns: dict[str, str] = {}

    @classmethod
    def columns(cls) -> dict[str, str]:
        """What a JSON answer selects per row: name -> SQL expression."""
        table = cls.queryset.model._meta.db_table
        return {"document": DOCUMENT_AS_JSON_TEXT.format(table=table), **cls.extra_columns}

    def documents(self):
        columns = self.columns()
        annotations = {name: RawSQL(sql, ()) for name, sql in columns.items()}
        return self.get_queryset().annotate(**annotations).values("id", *columns)

    def wants_json(self) -> bool:
        return isinstance(self.request.accepted_renderer, JSONRenderer)

    def list(self, request, *args, **kwargs):
        if not self.wants_json():
            return self.with_headers(super().list(request, *args, **kwargs), None)
        rows = self.paginate_queryset(self.documents())
        next_link = json.dumps(self.paginator.get_next_link())
        previous_link = json.dumps(self.paginator.get_previous_link())
        results = ", ".join(row["document"] for row in rows)
        body = f'{{"next": {next_link}, "previous": {previous_link}, "results": [{results}]}}'
        return self.with_headers(self.json_response(body), rows[0] if rows else None)

    def retrieve(self, request, *args, **kwargs):
        if not self.wants_json():
            return self.with_headers(super().retrieve(request, *args, **kwargs), None)
        try:
            room_id = int(kwargs[self.lookup_field])
        except ValueError:
            raise Http404 from None
        if not 0 < room_id < 2**63:  # not a bigint: no such room
            raise Http404
        # One prepared statement on a plain cursor: building the equivalent
        # queryset on every request cost as much as running it.
        sql, names = self.detail_statement()
        with connection.cursor() as cursor:
            cursor.execute(sql, [room_id])
            row = cursor.fetchone()
        if row is None:
            raise Http404
        row = dict(zip(names, row, strict=True))
        return self.with_headers(self.json_response(row["document"]), row)

    @classmethod
    @functools.cache
    def detail_statement(cls) -> tuple:
        """``SELECT <document as text>, <extra columns> FROM <table> WHERE id = %s``."""
        table = cls.queryset.model._meta.db_table
        columns = cls.columns()
        select = ", ".join(f"{sql} AS {name}" for name, sql in columns.items())
        return f"SELECT {select} FROM {table} WHERE {table}.id = %s", list(columns)

    def json_response(self, body: str) -> HttpResponse:
        return HttpResponse(body, content_type="application/json")

    def with_headers(self, response, row):
        return response


class RoomsMaterializedViewViewSet(StoredDocumentViewSet):
    """Room documents from the ``rooms_related_objects`` materialized view.

    How fresh it is depends on ``ROOMS_VIEW_REFRESH`` (see the README); the
    ``X-View-*`` response headers say when it was last refreshed.
    """

    queryset = RoomsRelatedObjectsMaterializedView.objects.all()
    extra_columns = {"refreshed_at": VIEW_REFRESHED_AT, "stale_since": VIEW_STALE_SINCE}

    def with_headers(self, response, row):
        if row is None:
            state = materialized_view.state()
            row = {"refreshed_at": state.refreshed_at, "stale_since": state.stale_since}
        response["X-View-Refresh-Policy"] = settings.ROOMS_VIEW_REFRESH
        if row["refreshed_at"] is not None:
            response["X-View-Refreshed-At"] = row["refreshed_at"].isoformat()
        if row["stale_since"] is not None:
            response["X-View-Stale-Since"] = row["stale_since"].isoformat()
        return response


class RoomsRebuiltTableViewSet(StoredDocumentViewSet):
    """Room documents from the app-maintained table, rebuilt per touched room."""

    queryset = RoomWithRelatedObjsRebuildInApp.objects.all()
