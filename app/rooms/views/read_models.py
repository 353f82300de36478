"""Read-only endpoints serving the stored room documents."""

from rest_framework import viewsets

from rooms.models import RoomsRelatedObjectsMaterializedView, RoomWithRelatedObjsRebuildInApp
from rooms.serializers import RoomDocumentReadSerializer


class RoomsMaterializedViewViewSet(viewsets.ReadOnlyModelViewSet):
    """Room documents from the ``rooms_related_objects`` materialized view."""

    queryset = RoomsRelatedObjectsMaterializedView.objects.all()
    serializer_class = RoomDocumentReadSerializer


class RoomsRebuiltTableViewSet(viewsets.ReadOnlyModelViewSet):
    """Room documents from the app-maintained table, rebuilt per touched room."""

    queryset = RoomWithRelatedObjsRebuildInApp.objects.all()
    serializer_class = RoomDocumentReadSerializer
