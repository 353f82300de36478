from django.db import models

from .common import CommonInfo
from .window import Window


class WindowFittings(CommonInfo):
    CHOICES = (
        ("WFT1", "Window Fittings Type 1"),
        ("WFT2", "Window Fittings Type 2"),
        ("WFT3", "Window Fittings Type 3"),
    )
    type = models.CharField(max_length=5, choices=CHOICES)
    windows = models.ManyToManyField(Window, related_name="fittings", blank=True)

    class Meta(CommonInfo.Meta):
        verbose_name = "window fittings"
        verbose_name_plural = "window fittings"
