from django.db import models

from .common import CommonInfo
from .room import Room


class Window(CommonInfo):
    CHOICES = (
        ("WT1", "Window Type 1"),
        ("WT2", "Window Type 2"),
        ("WT3", "Window Type 3"),
    )
    type = models.CharField(max_length=5, choices=CHOICES)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="windows")
