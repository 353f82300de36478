from django.db import models

from .common import CommonInfo
from .decoration import Decoration
from .door import Door


class Room(CommonInfo):
    CHOICES = (
        ("KTCH", "Kitchen"),
        ("BDR", "Bedroom"),
        ("LBB", "Lobby"),
        ("LRM", "Living Room"),
    )
    type = models.CharField(max_length=5, choices=CHOICES)
    # PROTECT: a door cannot vanish from under its rooms (the API answers 409).
    door = models.ForeignKey(Door, on_delete=models.PROTECT, related_name="rooms")
    decoration = models.ForeignKey(
        Decoration, null=True, blank=True, on_delete=models.SET_NULL, related_name="rooms"
    )
