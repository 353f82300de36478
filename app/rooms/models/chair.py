from django.db import models

from .common import CommonInfo
from .room import Room


class Chair(CommonInfo):
    CHOICES = (
        ("CHT1", "Chair Type 1"),
        ("CHT2", "Chair Type 2"),
        ("CHT3", "Chair Type 3"),
    )
    type = models.CharField(max_length=5, choices=CHOICES)
    rooms = models.ManyToManyField(Room, related_name="chairs", blank=True)
