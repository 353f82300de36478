from .room_document import RoomDocumentFields


class RoomWithRelatedObjsV3(RoomDocumentFields):
    """The trigger table (``/rooms_v3/``): one room document per room, kept by PostgreSQL.

    Statement-level triggers on every table a document is built from rebuild
    the rooms each statement touched, whoever runs it
    (``rooms.read_models.trigger_table``).
    """

    class Meta(RoomDocumentFields.Meta):
        verbose_name = "room (trigger table)"
        verbose_name_plural = "rooms (trigger table)"
