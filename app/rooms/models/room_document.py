"""Columns of the room document shared by every stored read model.

A read model row *is* the room document (``shared/spec/room-document.md``):
the room's own fields as columns, each relation as ready-made JSON. The SQL
that fills these columns lives in one place, ``rooms/read_models/sql.py``.
"""

from django.db import models


class RoomDocumentFields(models.Model):
    id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=30)
    width = models.FloatField()
    length = models.FloatField()
    height = models.FloatField()
    type = models.CharField(max_length=5)
    door = models.JSONField()
    decoration = models.JSONField(null=True)
    windows = models.JSONField()
    beds = models.JSONField()
    chairs = models.JSONField()
    tables = models.JSONField()

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} (#{self.id})"
