from .room_document import RoomDocumentFields


class AppTableRoom(RoomDocumentFields):
    """A room's document in the app table (``/rooms_v2/``), kept by the app.

    Django's signal receivers note the rooms a write touched, and their rows
    are rebuilt once, when the writing transaction commits
    (``rooms.read_models.app_table``).
    """

    class Meta(RoomDocumentFields.Meta):
        # The table keeps the name it had under the original project's class name.
        db_table = "rooms_roomwithrelatedobjsrebuildinapp"
        verbose_name = "room (app table)"
        verbose_name_plural = "rooms (app table)"
