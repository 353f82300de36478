"""Property: after any sequence of writes, by any client, every read model is fresh.

A hypothesis state machine performs random writes of every kind (create,
rename, delete, link, unlink and clear from either side, moves) through the
ORM's per-object methods, and also writes that bypass Django's signals
(``QuerySet.update()``, ``bulk_create()``, raw SQL), alone or several in one
transaction, some of which are rolled back. After each step (each commit)
the trigger table and the materialized view (``immediate``) must equal the
live document for every room. So must the app table, as long as every write
since the last check went through the ORM's per-object methods; after a
write that bypassed them, it must be whole again after one healing pass
(what the refresher worker runs), and then ``check_rooms_cache`` must find
nothing to repair.
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
from rooms.read_models.registry import APP_TABLE

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
#: Writes that send no Django signal (the app table cannot hear them).
BYPASSING_WRITES = st.one_of(
    st.tuples(st.just("sql_rename"), kind, index),
    st.tuples(st.just("sql_link"), link, index, index),
    st.tuples(st.just("sql_unlink"), link, index),
    st.tuples(st.just("sql_move_window"), index, index),
    st.tuples(st.just("sql_delete_room"), index),
    st.tuples(st.just("queryset_update"), kind, st.floats(min_value=1.0, max_value=100.0)),
    st.tuples(st.just("bulk_create"), kind),
)
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


def nth_id(table: str, position: int) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
    return ids[position % len(ids)] if ids else None


def apply_bypassing(write):
    """Perform one write that sends no Django signal; return without effect when impossible."""
    action, *args = write
    cursor = connection.cursor()
    if action == "sql_rename":
        table = MODELS[args[0]]._meta.db_table
        row = nth_id(table, args[1])
        if row is not None:
            cursor.execute(f"UPDATE {table} SET name = 'SQL ' || id WHERE id = %s", [row])
    elif action == "sql_link":
        model, forward, _reverse, _other = LINKS[args[0]]
        field = model._meta.get_field(forward)
        through = field.remote_field.through._meta.db_table
        one = nth_id(model._meta.db_table, args[1])
        two = nth_id(field.related_model._meta.db_table, args[2])
        if one is not None and two is not None:
            cursor.execute(
                f"INSERT INTO {through} ({field.m2m_column_name()}, {field.m2m_reverse_name()}) "
                "VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [one, two],
            )
    elif action == "sql_unlink":
        model, forward, _reverse, _other = LINKS[args[0]]
        through = model._meta.get_field(forward).remote_field.through._meta.db_table
        row = nth_id(through, args[1])
        if row is not None:
            cursor.execute(f"DELETE FROM {through} WHERE id = %s", [row])
    elif action == "sql_move_window":
        window, room = nth_id("rooms_window", args[0]), nth_id("rooms_room", args[1])
        if window is not None and room is not None:
            cursor.execute("UPDATE rooms_window SET room_id = %s WHERE id = %s", [room, window])
    elif action == "sql_delete_room":
        room = nth_id("rooms_room", args[0])
        if room is not None:
            cursor.execute(
                "DELETE FROM rooms_windowfittings_windows WHERE window_id IN "
                "(SELECT id FROM rooms_window WHERE room_id = %(room)s);"
                "DELETE FROM rooms_window WHERE room_id = %(room)s;"
                "DELETE FROM rooms_bed_rooms WHERE room_id = %(room)s;"
                "DELETE FROM rooms_chair_rooms WHERE room_id = %(room)s;"
                "DELETE FROM rooms_table_rooms WHERE room_id = %(room)s;"
                "DELETE FROM rooms_room WHERE id = %(room)s;",
                {"room": room},
            )
    elif action == "queryset_update":
        model = MODELS[args[0]]
        field = "width" if hasattr(model, "width") else "name"
        value = args[1] if field == "width" else factories.unique_name("Updated")
        if field == "name":  # names are unique: one row at a time
            model.objects.filter(pk=model.objects.order_by("id").values("pk")[:1]).update(
                name=value
            )
        else:
            model.objects.update(width=value)
    elif action == "bulk_create":
        model = MODELS[args[0]]
        door, room = pick(Door, 0), pick(Room, 0)
        extra = {Room: {"door": door}, Window: {"room": room}}.get(model, {})
        if None in extra.values():
            return
        name = factories.unique_name("Bulk")
        kwargs = {"name": name, **extra}
        if hasattr(model, "CHOICES"):
            kwargs["type"] = model.CHOICES[0][0]
        model.objects.bulk_create([model(**kwargs)])
    cursor.close()


def bypasses_signals(write) -> bool:
    return write[0].startswith(("sql_", "queryset_", "bulk_"))


def apply(write):
    """Perform one write; return without effect when impossible."""
    if bypasses_signals(write):
        apply_bypassing(write)
        return
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
        self.bypassed = False

    @rule(write=WRITES)
    def write_alone(self, write):
        apply(write)

    @rule(write=BYPASSING_WRITES)
    def write_behind_django_s_back(self, write):
        self.bypassed = True
        apply(write)

    @rule(
        writes=st.lists(st.one_of(WRITES, BYPASSING_WRITES), min_size=2, max_size=6),
        roll_back=st.booleans(),
    )
    def write_in_one_transaction(self, writes, roll_back):
        try:
            with transaction.atomic():
                for write in writes:
                    apply(write)
                if roll_back:
                    raise Rollback
        except Rollback:
            pass
        self.bypassed |= not roll_back and any(map(bypasses_signals, writes))

    @invariant()
    def every_read_model_is_fresh(self):
        assert_every_read_path_agrees(paths=["/rooms_v3/", "/rooms_mat_view/"], details=False)
        if self.bypassed:
            APP_TABLE.heal()  # the refresher worker's pass
            self.bypassed = False
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
