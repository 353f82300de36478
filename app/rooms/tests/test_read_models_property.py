"""Property: after any sequence of ORM writes, every read model is fresh.

A hypothesis state machine performs random writes of every kind (create,
rename, delete, link, unlink and clear from either side, moves), alone or
several in one transaction, some of which are rolled back. After each step
(each commit) the stored read models must equal the live document for every
room, and ``check_rooms_cache`` must find nothing to repair.
"""

import contextlib

import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from rooms.models import Bed, Chair, Decoration, Door, Room, Souvenir, Table, Window, WindowFittings
from rooms.read_models import drift, rebuild_all

from . import factories
from .read_paths import assert_every_read_path_agrees

MODELS = {
    "door": Door,
    "room": Room,
    "window": Window,
    "fitting": WindowFittings,
    "bed": Bed,
    "chair": Chair,
    "table": Table,
    "souvenir": Souvenir,
    "decoration": Decoration,
}
# link name -> (model, forward attribute, reverse attribute, model of the other side)
LINKS = {
    "bed": (Bed, "rooms", "beds", Room),
    "chair": (Chair, "rooms", "chairs", Room),
    "table": (Table, "rooms", "tables", Room),
    "fitting": (WindowFittings, "windows", "fittings", Window),
    "souvenir": (Decoration, "souvenirs", "decorations", Souvenir),
}
TABLES = ", ".join(model._meta.db_table for model in MODELS.values())

index = st.integers(min_value=0, max_value=20)
kind = st.sampled_from(sorted(MODELS))
link = st.sampled_from(sorted(LINKS))
WRITES = st.one_of(
    st.tuples(st.just("create"), kind),
    st.tuples(st.just("rename"), kind, index),
    st.tuples(st.just("delete"), kind, index),
    st.tuples(st.just("link"), link, st.booleans(), index, index),
    st.tuples(st.just("unlink"), link, st.booleans(), index, index),
    st.tuples(st.just("clear"), link, st.booleans(), index),
    st.tuples(st.just("move_window"), index, index),
    st.tuples(st.just("set_door"), index, index),
    st.tuples(st.just("set_decoration"), index, st.none() | index),
)


def pick(model, position):
    """The row at ``position`` (modulo the row count) by id, or None if empty."""
    ids = list(model.objects.order_by("id").values_list("id", flat=True))
    return model.objects.get(pk=ids[position % len(ids)]) if ids else None


def create(name):
    door = pick(Door, 0) or factories.make_door()
    room = pick(Room, 0)
    makers = {
        "door": factories.make_door,
        "room": lambda: factories.make_room(door=door),
        "window": lambda: room and factories.make_window(room),
        "fitting": factories.make_fitting,
        "bed": factories.make_bed,
        "chair": factories.make_chair,
        "table": factories.make_table,
        "souvenir": factories.make_souvenir,
        "decoration": factories.make_decoration,
    }
    makers[name]()


def apply(write):
    """Perform one write through the ORM; return without effect when impossible."""
    action, *args = write
    if action == "create":
        create(*args)
    elif action in {"rename", "delete"}:
        obj = pick(MODELS[args[0]], args[1])
        if obj is None:
            return
        if action == "rename":
            obj.name = factories.unique_name("Renamed")
            obj.save()
        else:
            with contextlib.suppress(ProtectedError):  # a door with rooms: refused
                obj.delete()
    elif action in {"link", "unlink", "clear"}:
        model, forward, reverse, other = LINKS[args[0]]
        from_other_side = args[1]
        one, two = pick(model, args[2]), pick(other, args[-1])
        if one is None or two is None:
            return
        owner, related, attr = (two, one, reverse) if from_other_side else (one, two, forward)
        manager = getattr(owner, attr)
        if action == "clear":
            manager.clear()
        else:
            getattr(manager, "add" if action == "link" else "remove")(related)
    elif action == "move_window":
        window, room = pick(Window, args[0]), pick(Room, args[1])
        if window and room:
            window.room = room
            window.save()
    elif action == "set_door":
        room, door = pick(Room, args[0]), pick(Door, args[1])
        if room and door:
            room.door = door
            room.save()
    elif action == "set_decoration":
        room = pick(Room, args[0])
        decoration = None if args[1] is None else pick(Decoration, args[1])
        if room:
            room.decoration = decoration
            room.save()


class Rollback(Exception):
    pass


class WritesMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
        rebuild_all()
        # Start from furnished rooms, so that unlinks, clears and cascades
        # have something to act on from the first step.
        door = factories.make_door()
        for _ in range(3):
            factories.make_full_room(door=door)

    @rule(write=WRITES)
    def write_alone(self, write):
        apply(write)

    @rule(writes=st.lists(WRITES, min_size=2, max_size=6), roll_back=st.booleans())
    def write_in_one_transaction(self, writes, roll_back):
        try:
            with transaction.atomic():
                for write in writes:
                    apply(write)
                if roll_back:
                    raise Rollback
        except Rollback:
            pass

    @invariant()
    def every_read_model_is_fresh(self):
        assert_every_read_path_agrees(details=False)
        for name, found in drift().items():
            assert found.total == 0, name


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_read_models_follow_any_sequence_of_writes():
    run_state_machine_as_test(
        WritesMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
