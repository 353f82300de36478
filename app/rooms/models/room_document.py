"""The columns of a stored room document, shared by every stored read model.

A read-model row *is* the room document (``docs/room-document.md``): the
room's own fields as columns, each relation as ready-made JSON. The SQL that
fills these columns is written once, in ``rooms/read_models/document.py``.

The JSON columns are PostgreSQL ``json`` (``rooms.fields.DocumentPartField``),
kept as built.
"""

from django.db import models

from rooms.fields import DocumentPartField

from .common import PHYSICAL_FIELDS


class RoomDocumentFields(models.Model):
    id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=30)
    width = models.FloatField()
    length = models.FloatField()
    height = models.FloatField()
    type = models.CharField(max_length=5)
    door = DocumentPartField()
    decoration = DocumentPartField(null=True)
    windows = DocumentPartField()
    beds = DocumentPartField()
    chairs = DocumentPartField()
    tables = DocumentPartField()

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} (#{self.id})"


#: The columns of a room document, in the order of the SQL and the tables.
DOCUMENT_COLUMNS = tuple(field.name for field in RoomDocumentFields._meta.fields)

#: The columns that hold a related part of the document as JSON (``door``, ``beds``, ...),
#: each of which can be rebuilt alone.
DOCUMENT_PARTS = tuple(column for column in DOCUMENT_COLUMNS if column not in PHYSICAL_FIELDS)
