from .room_document import RoomDocumentFields


class TriggerTableRoom(RoomDocumentFields):
    """A room's document in the trigger table (``/rooms_v3/``), kept by PostgreSQL.

    Statement-level triggers on every table a document is built from rebuild
    the rooms each statement touched, whoever runs it
    (``rooms.read_models.trigger_table``).
    """

    class Meta(RoomDocumentFields.Meta):
        # The table keeps the name it had under the class's first name.
        db_table = "rooms_roomwithrelatedobjsv3"
        verbose_name = "room (trigger table)"
        verbose_name_plural = "rooms (trigger table)"
