from django.db import models

from .common import CommonInfo
from .room import Room


class Table(CommonInfo):
    CHOICES = (
        ("TBLT1", "Table Type 1"),
        ("TBLT2", "Table Type 2"),
        ("TBLT3", "Table Type 3"),
    )
    type = models.CharField(max_length=5, choices=CHOICES)
    rooms = models.ManyToManyField(Room, related_name="tables", blank=True)
