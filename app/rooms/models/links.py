"""Proxy models of the many-to-many link tables (``rooms_bed_rooms``, ...).

Django creates a model for each link table but hides it from migrations; a
proxy of it is an ordinary model, so the database triggers that capture
changes to link rows (``rooms.read_models.trigger_table``) can be declared
on it and installed by migrations like any other.
"""

from django.db.models import ManyToManyField, Model


def _proxy(field: ManyToManyField) -> type[Model]:
    """``BedRoomsLink``: a proxy of the model Django made for ``Bed.rooms``'s table."""
    through = field.remote_field.through
    meta = type("Meta", (), {"proxy": True, "verbose_name": through._meta.verbose_name})
    name = f"{field.model.__name__}{field.name.title()}Link"
    return type(name, (through,), {"__module__": __name__, "Meta": meta})


def link_proxies(models) -> tuple[type[Model], ...]:
    """One proxy per many-to-many field of ``models``, in their order."""
    return tuple(_proxy(field) for model in models for field in model._meta.local_many_to_many)
