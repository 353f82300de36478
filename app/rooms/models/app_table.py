from .room_document import RoomDocumentFields


class RoomWithRelatedObjsRebuildInApp(RoomDocumentFields):
    """The app table (``/rooms_v2/``): one room document per room, kept by the app.

    Django's signal receivers note the rooms a write touched, and their rows
    are rebuilt once, when the writing transaction commits
    (``rooms.read_models.app_table``).
    """

    class Meta(RoomDocumentFields.Meta):
        verbose_name = "room (app table)"
        verbose_name_plural = "rooms (app table)"
