from django.db import models

from .common import CommonInfo
from .room import Room


class Bed(CommonInfo):
    CHOICES = (
        ("BT1", "Bed Type 1"),
        ("BT2", "Bed Type 2"),
        ("BT3", "Bed Type 3"),
    )
    type = models.CharField(max_length=5, choices=CHOICES)
    rooms = models.ManyToManyField(Room, related_name="beds", blank=True)
