from .room_document import RoomDocumentFields


class RoomWithRelatedObjsRebuildInApp(RoomDocumentFields):
    """An ordinary table holding one room document per room.

    Unlike the materialized view, only the rows of the rooms a write touched
    are rebuilt (``rooms.read_models.rebuilt_table``).
    """

    class Meta(RoomDocumentFields.Meta):
        verbose_name = "room (app-maintained table)"
        verbose_name_plural = "rooms (app-maintained table)"
