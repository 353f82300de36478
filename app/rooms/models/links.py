"""Proxy models of the many-to-many link tables (``rooms_bed_rooms``, ...).

Django creates a model for each link table but hides it from migrations; a
proxy of it is an ordinary model, so the database triggers that capture
changes to link rows (``rooms.read_models.trigger_table``) can be declared
on it and installed by migrations like any other.
"""

from .bed import Bed
from .chair import Chair
from .decoration import Decoration
from .table import Table
from .window_fittings import WindowFittings


def _proxy(model, field):
    """``BedRoomsLink``: a proxy of the model Django made for ``Bed.rooms``'s table."""
    through = field.remote_field.through
    meta = type("Meta", (), {"proxy": True, "verbose_name": through._meta.verbose_name})
    name = f"{model.__name__}{field.name.title()}Link"
    return type(name, (through,), {"__module__": __name__, "Meta": meta})


#: One proxy per link table, in the order of ``BASE_MODELS``.
LINK_MODELS = tuple(
    _proxy(model, field)
    for model in (Decoration, WindowFittings, Bed, Chair, Table)
    for field in model._meta.local_many_to_many
)
