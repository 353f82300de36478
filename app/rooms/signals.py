"""Signal receivers: they tell the app table (``/rooms_v2/``) which rooms changed.

This is the app-level way of the original project, kept beside the
database-level capture of the trigger table so the two can be compared.
Which rooms a row feeds is declared in ``rooms.read_models.affected_rooms``;
recording the change and applying it at commit is
``rooms.read_models.changes``. Every receiver is one line of glue, so the
same rules hold for every model and both sides of every many-to-many.

Writes that send no signals (``QuerySet.update()``, ``bulk_create()``, raw
SQL, pgAdmin) bypass this; the refresher worker heals the rows they leave
wrong (``rooms.read_models.registry.ReadModel.heal``).
"""

from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from rooms.read_models import changes
from rooms.read_models.affected_rooms import DEPENDENCIES, MANY_TO_MANY, evaluate

_ROOMS_BEFORE_SAVE = "_rooms_read_models_before_save"


def record_rooms_of(sender, instance, **kwargs):
    """The rooms showing ``instance`` change (saved, or about to be deleted).

    On delete this runs *before* the row and its links vanish, while the
    rooms can still be found. After a save that moved the row, the rooms it
    left (noted by :func:`note_rooms_before_save`) change too.
    """
    changes.record(DEPENDENCIES[sender].rooms_of([instance.pk]))
    left = instance.__dict__.pop(_ROOMS_BEFORE_SAVE, None)
    if left:
        changes.record(left)


def note_rooms_before_save(sender, instance, raw=False, **kwargs):
    """Before a row that can move is saved, note the rooms it is in now.

    They are read here but recorded after the save: outside a transaction a
    record commits (and is applied) at once, which would be before the move.
    """
    if instance.pk is not None and not raw and not changes.signals_are_muted():
        instance.__dict__[_ROOMS_BEFORE_SAVE] = evaluate(
            DEPENDENCIES[sender].rooms_of([instance.pk])
        )


def record_links_changed(sender, instance, action, model, pk_set, **kwargs):
    """A many-to-many link was added, removed or cleared, from either side."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    room_side = MANY_TO_MANY[sender]
    if action == "pre_clear":
        # pk_set is None on clear: find the linked rows before they go.
        touched = DEPENDENCIES[type(instance)].rooms_of([instance.pk])
    elif isinstance(instance, room_side):
        touched = DEPENDENCIES[room_side].rooms_of([instance.pk])
    else:
        # pk_set holds ids of the room side (e.g. room ids for bed.rooms.add).
        touched = DEPENDENCIES[room_side].rooms_of(list(pk_set or []))
    changes.record(touched)


for model, dependency in DEPENDENCIES.items():
    uid = f"rooms.read_models.{model.__name__}"
    post_save.connect(record_rooms_of, sender=model, dispatch_uid=f"{uid}.post_save")
    pre_delete.connect(record_rooms_of, sender=model, dispatch_uid=f"{uid}.pre_delete")
    if dependency.can_move:
        pre_save.connect(note_rooms_before_save, sender=model, dispatch_uid=f"{uid}.pre_save")

for through in MANY_TO_MANY:
    m2m_changed.connect(
        record_links_changed, sender=through, dispatch_uid=f"rooms.read_models.{through.__name__}"
    )
