from django.db import models

from .souvenir import Souvenir


class Decoration(models.Model):
    """A named set of souvenirs that decorates any number of rooms."""

    name = models.CharField(max_length=30, unique=True)
    souvenirs = models.ManyToManyField(Souvenir, related_name="decorations")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name
