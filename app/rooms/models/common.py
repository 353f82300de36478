"""Fields every physical object of the legacy schema shares."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

#: Dimensions are metres; the legacy schema allows 1.0 to 100.0.
DIMENSION_VALIDATORS = [MinValueValidator(1.0), MaxValueValidator(100.0)]


class CommonInfo(models.Model):
    name = models.CharField(max_length=30, unique=True)
    width = models.FloatField(validators=DIMENSION_VALIDATORS, default=1.0)
    length = models.FloatField(validators=DIMENSION_VALIDATORS, default=1.0)
    height = models.FloatField(validators=DIMENSION_VALIDATORS, default=1.0)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return self.name


#: The fields of a physical object as every document shows it (each model adds ``type``).
PHYSICAL_FIELDS = ("id", *(field.name for field in CommonInfo._meta.fields), "type")
