"""The fake data set that ``fill_db`` loads (``rooms.services.fake_data``).

These tests call ``load_fake_data`` directly and look at the tables it
wrote; the read models it is followed by in ``fill_db`` are tested there.
"""

import pytest
from django.contrib.auth.models import User
from django.db import connection

from rooms.models import Bed, Chair, Decoration, Door, Room, Souvenir, Table, Window, WindowFittings
from rooms.services import fake_data
from rooms.services.fake_data import (
    KINDS,
    Plan,
    clear_loaded_tables,
    fit_name,
    load_fake_data,
    loaded_tables,
)

pytestmark = pytest.mark.django_db

COMMON_MODELS = [Door, Room, Window, WindowFittings, Bed, Chair, Table]
NAMED_MODELS = [*COMMON_MODELS, Souvenir, Decoration]


def query(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def links_per_owner(field) -> dict[int, tuple[int, int]]:
    """owner id -> (links, distinct targets) for a many-to-many field."""
    through = field.remote_field.through._meta.db_table
    owner, target = field.m2m_column_name(), field.m2m_reverse_name()
    rows = query(
        f"SELECT {owner}, count(*), count(DISTINCT {target}) FROM {through} GROUP BY {owner}"
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def link_count(field) -> int:
    return query(f"SELECT count(*) FROM {field.remote_field.through._meta.db_table}")[0][0]


def schema_definitions() -> list[tuple]:
    """Every index and constraint of the loaded tables, as PostgreSQL renders them."""
    return query(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
          FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])
        UNION ALL
        SELECT indrelid::regclass::text, indexrelid::regclass::text, pg_get_indexdef(indexrelid)
          FROM pg_index WHERE indrelid = ANY(%s::regclass[])
        ORDER BY 1, 2, 3
        """,
        [loaded_tables(), loaded_tables()],
    )


@pytest.fixture(scope="module")
def original():
    return Plan.for_rooms(500)


class TestPlan:
    def test_500_rooms_is_the_original_data_set(self, original):
        assert original == Plan(
            rooms=500,
            doors=50,
            souvenirs=150,
            decorations=500,
            windows=1000,
            window_fittings=500,
            beds=500,
            chairs=500,
            tables=500,
            souvenirs_per_decoration=5,
            rooms_per_furniture_item=5,
            windows_per_fitting=5,
        )

    def test_counts_scale_with_the_rooms(self):
        plan = Plan.for_rooms(1_000_000)
        assert (plan.doors, plan.souvenirs, plan.windows) == (100_000, 300_000, 2_000_000)
        assert plan.beds == plan.chairs == plan.tables == plan.window_fittings == 1_000_000

    def test_a_tiny_load_has_at_least_one_of_everything_and_caps_the_links(self):
        plan = Plan.for_rooms(1)
        assert (plan.doors, plan.souvenirs, plan.decorations, plan.windows) == (1, 1, 1, 2)
        assert plan.souvenirs_per_decoration == 1
        assert plan.rooms_per_furniture_item == 1
        assert plan.windows_per_fitting == 2

    def test_no_rooms_is_refused(self):
        with pytest.raises(ValueError, match="at least 1"):
            Plan.for_rooms(0)


class TestFitName:
    def test_short_names_are_kept(self):
        assert fit_name("Quiet bedroom", 311) == "Quiet bedroom 311"

    def test_a_long_phrase_is_cut_at_a_word_and_keeps_the_number(self):
        name = fit_name("Light golden rod yellow decoration", 1_000_000)
        assert name == "Light golden rod 1000000"

    def test_a_single_long_word_is_cut_inside(self):
        name = fit_name("x" * 40, 42)
        assert name == "x" * 27 + " 42"


@pytest.fixture(scope="class")
def original_data_set(django_db_setup, django_db_blocker, original):
    """The default load, made once for all the tests that only read it.

    It is committed (a per-test transaction would reload it for every test),
    so it is cleared again afterwards for the tests that expect empty tables.
    """
    with django_db_blocker.unblock():
        assert load_fake_data(500, seed=1) == original
        yield
        with connection.cursor() as cursor:
            clear_loaded_tables(cursor)


@pytest.mark.usefixtures("original_data_set")
class TestOriginalDataSet:
    """One load of the default 500 rooms, checked against the original's proportions."""

    def test_row_counts(self, original):
        assert {model: model.objects.count() for model in NAMED_MODELS} == {
            Door: original.doors,
            Souvenir: original.souvenirs,
            Decoration: original.decorations,
            Room: original.rooms,
            Window: original.windows,
            WindowFittings: original.window_fittings,
            Bed: original.beds,
            Chair: original.chairs,
            Table: original.tables,
        }

    def test_every_room_has_two_windows_and_a_decoration_of_its_own(self):
        windows = query("SELECT room_id, count(*) FROM rooms_window GROUP BY room_id")
        assert len(windows) == 500
        assert {count for _room, count in windows} == {2}
        rooms = query(
            "SELECT count(*), count(DISTINCT decoration_id), count(DISTINCT door_id) "
            "FROM rooms_room"
        )
        assert rooms == [(500, 500, 50)]

    def test_every_decoration_has_five_distinct_souvenirs(self):
        per_decoration = links_per_owner(Decoration._meta.get_field("souvenirs"))
        assert len(per_decoration) == 500
        assert set(per_decoration.values()) == {(5, 5)}

    @pytest.mark.parametrize("model", [Bed, Chair, Table])
    def test_every_furniture_item_is_in_five_distinct_rooms(self, model):
        per_item = links_per_owner(model._meta.get_field("rooms"))
        assert len(per_item) == 500
        assert set(per_item.values()) == {(5, 5)}

    def test_every_fitting_is_on_five_distinct_windows(self):
        per_fitting = links_per_owner(WindowFittings._meta.get_field("windows"))
        assert len(per_fitting) == 500
        assert set(per_fitting.values()) == {(5, 5)}

    @pytest.mark.parametrize("model", NAMED_MODELS)
    def test_names_are_unique_and_fit_the_column(self, model):
        names = list(model.objects.values_list("name", flat=True))
        assert len(set(names)) == len(names)
        assert max(map(len, names)) <= 30
        assert all(name.strip() == name and name for name in names)

    @pytest.mark.parametrize("model", COMMON_MODELS)
    def test_dimensions_are_realistic_and_types_valid(self, model):
        kind = KINDS[model]
        for dimension in ("width", "length", "height"):
            low, high = getattr(kind, dimension)
            values = model.objects.values_list(dimension, flat=True)
            assert 1.0 <= low <= min(values) <= max(values) <= high <= 100.0
        types = set(model.objects.values_list("type", flat=True))
        assert types <= {code for code, _label in model.CHOICES}
        assert len(types) > 1

    def test_the_data_passes_model_validation(self):
        for model in NAMED_MODELS:
            for row in model.objects.all()[:20]:
                row.full_clean()


class TestLoading:
    def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(self, db_snapshot):
        load_fake_data(30, seed=7)
        first = db_snapshot()
        load_fake_data(30, seed=7)
        assert db_snapshot() == first
        load_fake_data(30, seed=8)
        assert db_snapshot() != first

    def test_batches_do_not_change_the_data(self, db_snapshot, monkeypatch):
        load_fake_data(30, seed=3)
        whole = db_snapshot()
        monkeypatch.setattr(fake_data, "BATCH_ROWS", 7)
        load_fake_data(30, seed=3)
        assert db_snapshot() == whole

    def test_a_load_replaces_the_data_and_ids_restart(self):
        load_fake_data(40, seed=1)
        load_fake_data(10, seed=2)

        assert Room.objects.count() == 10
        assert link_count(Bed._meta.get_field("rooms")) == 50
        for model in NAMED_MODELS:
            ids = list(model.objects.values_list("id", flat=True))
            assert ids == list(range(1, len(ids) + 1)), model

    def test_new_rows_after_a_load_get_fresh_ids(self):
        plan = load_fake_data(10, seed=1)
        door = Door.objects.create(name="Added door", type="DT1")
        room = Room.objects.create(name="Added room", type="BDR", door=door)
        assert (door.id, room.id) == (plan.doors + 1, plan.rooms + 1)

    def test_tiny_loads_are_consistent(self):
        load_fake_data(1, seed=1)
        assert Room.objects.count() == Door.objects.count() == Souvenir.objects.count() == 1
        assert link_count(Decoration._meta.get_field("souvenirs")) == 1
        assert link_count(Table._meta.get_field("rooms")) == 1
        assert link_count(WindowFittings._meta.get_field("windows")) == 2

    def test_users_survive_a_load(self):
        User.objects.create_user(username="keeper", password="not used here")
        load_fake_data(5, seed=1)
        assert User.objects.filter(username="keeper").exists()

    def test_indexes_and_constraints_are_as_the_migrations_made_them(self):
        before = schema_definitions()
        assert any("FOREIGN KEY" in definition for *_names, definition in before)
        load_fake_data(5, seed=1)
        assert schema_definitions() == before

    def test_a_failed_load_leaves_the_previous_data(self, db_snapshot, monkeypatch):
        load_fake_data(5, seed=1)
        before = db_snapshot()

        def broken_links(self, owners, targets, per_owner):
            yield "1\t1\n"
            raise RuntimeError("generation failed half-way")

        monkeypatch.setattr(fake_data._Rows, "links", broken_links)
        with pytest.raises(RuntimeError, match="half-way"):
            load_fake_data(8, seed=2)
        assert db_snapshot() == before

    def test_progress_is_reported_per_stage_up_to_the_totals(self):
        reported = {}

        class Bar:
            def __init__(self, label, total, unit):
                self.key = (label, unit)
                reported[self.key] = [total, 0, False]

            def update(self, n):
                reported[self.key][1] += n

            def close(self):
                reported[self.key][2] = True

        plan = load_fake_data(12, seed=1, progress=Bar)

        assert all(done == total and closed for total, done, closed in reported.values())
        assert reported[("rooms", "rows")][0] == plan.rooms
        assert reported[("beds ↔ rooms", "rows")][0] == plan.beds * 5
        assert reported[("window fittings ↔ windows", "rows")][0] == plan.window_fittings * 5
        rows = sum(total for (_label, unit), (total, *_rest) in reported.items() if unit == "rows")
        assert rows == sum(model.objects.count() for model in NAMED_MODELS) + sum(
            link_count(field) for model in NAMED_MODELS for field in model._meta.local_many_to_many
        )
