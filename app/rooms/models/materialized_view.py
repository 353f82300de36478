from .room_document import RoomDocumentFields


class MaterializedViewRoom(RoomDocumentFields):
    """A room's document in the ``rooms_related_objects`` materialized view (``/rooms_mat_view/``).

    The view is created by migrations and refreshed by
    ``rooms.read_models.materialized_view``; Django must never try to create
    or alter it, hence ``managed = False``.
    """

    class Meta(RoomDocumentFields.Meta):
        managed = False
        db_table = "rooms_related_objects"
        verbose_name = "room (materialized view)"
        verbose_name_plural = "rooms (materialized view)"
