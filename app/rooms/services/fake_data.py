"""Fake data for the rooms schema, loaded fast enough for a million rooms.

``load_fake_data(rooms, seed)`` replaces every row of the legacy schema with a
data set in the proportions of the original project (see ``Plan``). It is
written for size, not just for the 500-room demo:

* Rows are generated lazily, one batch at a time, and sent with PostgreSQL
  ``COPY ... FROM STDIN`` from an in-memory buffer holding only that batch, so
  the process memory stays flat whatever the number of rooms.
* Ids are assigned here (the tables are truncated with ``RESTART IDENTITY``
  first), so relations are written without reading anything back; the id
  sequences are moved past the loaded rows at the end.
* Foreign keys, unique constraints and secondary indexes are dropped for the
  load and recreated afterwards: checking a foreign key row by row and
  inserting into five indexes per row was ten times slower than the ``COPY``
  itself, while building an index or validating a constraint once over the
  whole table is a sort or a join. The definitions replayed are PostgreSQL's
  own (``pg_get_indexdef``/``pg_get_constraintdef``), so names and options
  stay exactly what the migrations made. Primary keys stay (views depend on them).
* Everything happens in one transaction: a failure leaves the old data.

Names come from Faker word pools made once per load (calling Faker per row
would cost more than the whole ``COPY``), followed by the row's id, which
makes them unique; they are cut at a word boundary to fit 30 characters.
The same ``seed`` gives the same rows.

Read models are not touched: the caller mutes the signal handlers around the
load and rebuilds the read models once, set-based, afterwards (``fill_db``).
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from itertools import islice
from typing import Protocol

from django.db import connection, transaction
from faker import Faker

from rooms.models import (
    BASE_TABLES,
    FURNITURE,
    PHYSICAL_FIELDS,
    Bed,
    Chair,
    Decoration,
    Door,
    Room,
    Souvenir,
    Table,
    Window,
    WindowFittings,
)

#: The original data set had this many rooms; the other counts are per that many rooms.
ORIGINAL_ROOMS = 500
DEFAULT_ROOMS = ORIGINAL_ROOMS
ORIGINAL_DOORS = 50
ORIGINAL_SOUVENIRS = 150
WINDOWS_PER_ROOM = 2
SOUVENIRS_PER_DECORATION = 5
ROOMS_PER_FURNITURE_ITEM = 5
WINDOWS_PER_FITTING = 5

NAME_MAX_LENGTH = 30
#: Rows per COPY: large enough to amortise a round trip, small enough that a
#: batch (a few MB of text) never matters for memory.
BATCH_ROWS = 50_000
WORD_POOL_SIZE = 500


def _scaled(per_original: int, rooms: int) -> int:
    """``per_original`` scaled from 500 rooms to ``rooms``, rounded up, at least 1."""
    return max(1, -(-per_original * rooms // ORIGINAL_ROOMS))


@dataclass(frozen=True)
class Plan:
    """How many rows of each kind a load of ``rooms`` rooms makes.

    At 500 rooms this is the original data set exactly. Each link count is
    capped by what exists, so a tiny load (``--rooms 1``) is still valid.
    """

    rooms: int
    doors: int
    souvenirs: int
    decorations: int
    windows: int
    window_fittings: int
    beds: int
    chairs: int
    tables: int
    souvenirs_per_decoration: int
    rooms_per_furniture_item: int
    windows_per_fitting: int

    @classmethod
    def for_rooms(cls, rooms: int) -> Plan:
        if rooms < 1:
            raise ValueError(f"rooms must be at least 1, not {rooms}")
        souvenirs = _scaled(ORIGINAL_SOUVENIRS, rooms)
        windows = WINDOWS_PER_ROOM * rooms
        return cls(
            rooms=rooms,
            doors=_scaled(ORIGINAL_DOORS, rooms),
            souvenirs=souvenirs,
            decorations=rooms,
            windows=windows,
            window_fittings=rooms,
            beds=rooms,
            chairs=rooms,
            tables=rooms,
            souvenirs_per_decoration=min(SOUVENIRS_PER_DECORATION, souvenirs),
            rooms_per_furniture_item=min(ROOMS_PER_FURNITURE_ITEM, rooms),
            windows_per_fitting=min(WINDOWS_PER_FITTING, windows),
        )

    def __str__(self) -> str:
        return ", ".join(
            f"{field.name.replace('_', ' ')}={getattr(self, field.name)}" for field in fields(self)
        )


class ProgressBar(Protocol):
    def update(self, n: int) -> object: ...

    def close(self) -> object: ...


#: ``progress(label, total, unit)`` returns a bar that is told each step's size;
#: ``unit`` is "rows" for the tables and "statements" for the index rebuild.
Progress = Callable[[str, int, str], ProgressBar]


class _NoProgress:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def no_progress(label: str, total: int, unit: str) -> ProgressBar:
    return _NoProgress()


@dataclass(frozen=True)
class _Kind:
    """How rows of one CommonInfo model look: the name's noun and word pool, the dimensions.

    ``noun=None`` names the row after its type's label ("Sunny kitchen 12").
    Dimensions are (low, high) in metres, inside the schema's 1.0 to 100.0.
    """

    noun: str | None
    pool: str
    width: tuple[float, float]
    length: tuple[float, float]
    height: tuple[float, float]


KINDS = {
    Door: _Kind("door", "colors", (1.0, 2.0), (1.0, 1.2), (2.0, 3.0)),
    Room: _Kind(None, "words", (2.0, 30.0), (2.0, 30.0), (2.4, 4.0)),
    Window: _Kind("window", "words", (1.0, 3.0), (1.0, 2.5), (1.0, 1.5)),
    WindowFittings: _Kind("fitting", "colors", (1.0, 1.5), (1.0, 1.5), (1.0, 1.5)),
    Bed: _Kind("bed", "words", (1.0, 2.2), (1.9, 2.2), (1.0, 1.3)),
    Chair: _Kind("chair", "colors", (1.0, 1.2), (1.0, 1.2), (1.0, 1.3)),
    Table: _Kind("table", "words", (1.0, 3.0), (1.0, 2.0), (1.0, 1.2)),
}

#: Characters that COPY's text format would need escaped; pool words never contain them.
_COPY_UNSAFE = re.compile(r"[\\\t\n\r]")


def fit_name(phrase: str, number: int) -> str:
    """``"<phrase> <number>"`` in at most 30 characters, cutting the phrase, never the number.

    The number (the row's id) is what makes the name unique, so it always
    survives whole; the phrase is cut at a word boundary when it can be.
    """
    suffix = f" {number}"
    room = NAME_MAX_LENGTH - len(suffix)
    if len(phrase) > room:
        cut = phrase[: room + 1].rsplit(" ", 1)[0]
        phrase = cut if 0 < len(cut) <= room else phrase[:room]
    return f"{phrase.rstrip()}{suffix}"


def _word_pools(seed: int) -> dict[str, list[str]]:
    """Faker-made words to build names from, the same for the same seed.

    Lists, not sets: set order changes between processes (hash randomisation)
    and would break determinism.
    """
    fake = Faker("en_US")
    fake.seed_instance(seed)
    words = [word.capitalize() for word in fake.words(nb=WORD_POOL_SIZE, unique=True)]
    # "LightGoldenRodYellow" -> "Light golden rod yellow"
    colors = [
        re.sub(r"(?<=[a-z])(?=[A-Z])", " ", color).capitalize()
        for color in dict.fromkeys(fake.color_name() for _ in range(WORD_POOL_SIZE))
    ]
    return {
        name: [item for item in pool if not _COPY_UNSAFE.search(item)]
        for name, pool in (("words", words), ("colors", colors))
    }


@dataclass(frozen=True)
class _Stage:
    """One table to fill: ``rows`` lines of COPY text produced lazily by ``lines``."""

    label: str
    table: str
    columns: tuple[str, ...]
    rows: int
    lines: Callable[[], Iterator[str]]


class _Rows:
    """Generates the COPY text of every table from one random stream."""

    def __init__(self, plan: Plan, seed: int):
        self.plan = plan
        self.rng = random.Random(seed)
        self.pools = _word_pools(seed)

    def common(self, model, count: int, extra: Callable[[int], str] | None = None):
        """Rows of a CommonInfo model: id, name, width, length, height, type, then ``extra``."""
        kind = KINDS[model]
        rng, pool = self.rng, self.pools[kind.pool]
        codes = [code for code, _label in model.CHOICES]
        nouns = {code: kind.noun or label.lower() for code, label in model.CHOICES}
        (w_lo, w_hi), (l_lo, l_hi), (h_lo, h_hi) = kind.width, kind.length, kind.height
        for number in range(1, count + 1):
            code = rng.choice(codes)
            name = fit_name(f"{rng.choice(pool)} {nouns[code]}", number)
            line = (
                f"{number}\t{name}\t{rng.uniform(w_lo, w_hi):.2f}\t{rng.uniform(l_lo, l_hi):.2f}"
                f"\t{rng.uniform(h_lo, h_hi):.2f}\t{code}"
            )
            yield f"{line}{extra(number)}\n" if extra else f"{line}\n"

    def named(self, count: int, pool: str, noun: str = ""):
        """Rows of a model with only a name (souvenirs, decorations): id, name."""
        rng, words = self.rng, self.pools[pool]
        for number in range(1, count + 1):
            yield f"{number}\t{fit_name(f'{rng.choice(words)} {noun}'.rstrip(), number)}\n"

    def links(self, owners: int, targets: int, per_owner: int):
        """Many-to-many rows: each owner linked to ``per_owner`` distinct random targets."""
        sample = self.rng.sample
        for owner in range(1, owners + 1):
            for target in sorted(sample(range(1, targets + 1), per_owner)):
                yield f"{owner}\t{target}\n"

    def room_extra(self, number: int) -> str:
        """A random door, and the room's own decoration (one decoration per room)."""
        return f"\t{self.rng.randint(1, self.plan.doors)}\t{number}"

    @staticmethod
    def window_extra(number: int) -> str:
        """Windows 2k-1 and 2k are in room k."""
        return f"\t{(number + WINDOWS_PER_ROOM - 1) // WINDOWS_PER_ROOM}"


def _m2m_stage(rows: _Rows, field, owners: int, targets: int, per_owner: int) -> _Stage:
    through = field.remote_field.through._meta
    return _Stage(
        label=f"{field.model._meta.verbose_name_plural} ↔ {field.name}",
        table=through.db_table,
        columns=(field.m2m_column_name(), field.m2m_reverse_name()),
        rows=owners * per_owner,
        lines=lambda: rows.links(owners, targets, per_owner),
    )


def _common_stage(rows: _Rows, model, count: int, extra=None, extra_columns=()) -> _Stage:
    return _Stage(
        label=str(model._meta.verbose_name_plural),
        table=model._meta.db_table,
        columns=PHYSICAL_FIELDS + extra_columns,
        rows=count,
        lines=lambda: rows.common(model, count, extra),
    )


def _stages(plan: Plan, rows: _Rows) -> list[_Stage]:
    """Every table in foreign-key order; nothing is generated until a stage's lines are read."""
    furniture = [
        stage
        for part, model in FURNITURE.items()
        for stage in (
            _common_stage(rows, model, getattr(plan, part)),
            _m2m_stage(
                rows,
                model._meta.get_field("rooms"),
                getattr(plan, part),
                plan.rooms,
                plan.rooms_per_furniture_item,
            ),
        )
    ]
    return [
        _common_stage(rows, Door, plan.doors),
        _Stage(
            "souvenirs",
            Souvenir._meta.db_table,
            ("id", "name"),
            plan.souvenirs,
            lambda: rows.named(plan.souvenirs, "words"),
        ),
        _Stage(
            "decorations",
            Decoration._meta.db_table,
            ("id", "name"),
            plan.decorations,
            lambda: rows.named(plan.decorations, "colors", "decoration"),
        ),
        _m2m_stage(
            rows,
            Decoration._meta.get_field("souvenirs"),
            plan.decorations,
            plan.souvenirs,
            plan.souvenirs_per_decoration,
        ),
        _common_stage(rows, Room, plan.rooms, rows.room_extra, ("door_id", "decoration_id")),
        _common_stage(rows, Window, plan.windows, rows.window_extra, ("room_id",)),
        _common_stage(rows, WindowFittings, plan.window_fittings),
        _m2m_stage(
            rows,
            WindowFittings._meta.get_field("windows"),
            plan.window_fittings,
            plan.windows,
            plan.windows_per_fitting,
        ),
        *furniture,
    ]


def loaded_tables() -> list[str]:
    """The tables a load replaces: the entity tables and their many-to-many tables."""
    return list(BASE_TABLES)


def _table_list() -> str:
    return ", ".join(map(connection.ops.quote_name, loaded_tables()))


def clear_loaded_tables(cursor) -> None:
    """Empty every table a load writes and restart their ids (auth and read models untouched)."""
    cursor.execute(f"TRUNCATE {_table_list()} RESTART IDENTITY CASCADE")


def _copy(cursor, stage: _Stage, progress: Progress) -> None:
    quote = connection.ops.quote_name
    statement = f"COPY {quote(stage.table)} ({', '.join(map(quote, stage.columns))}) FROM STDIN"
    bar = progress(stage.label, stage.rows, "rows")
    try:
        lines = stage.lines()
        while batch := list(islice(lines, BATCH_ROWS)):
            cursor.copy_expert(statement, io.StringIO("".join(batch)))
            bar.update(len(batch))
    finally:
        bar.close()


def _drop_secondary_indexes_and_foreign_keys(cursor, tables: list[str]) -> list[str]:
    """Drop the foreign keys, unique constraints and non-key indexes of ``tables``.

    Returns the statements that recreate them, indexes before the foreign
    keys that may need them. The statements are rendered by PostgreSQL from
    its catalog (identifiers quoted by ``format('%I')``), never from input.
    """
    cursor.execute(
        """
        SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', con.conrelid::regclass, con.conname),
               format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', con.conrelid::regclass,
                      con.conname, pg_get_constraintdef(con.oid)),
               CASE con.contype WHEN 'f' THEN 0 ELSE 1 END AS drop_order
          FROM pg_constraint con
         WHERE con.conrelid = ANY(%s::regclass[]) AND con.contype IN ('f', 'u')
        UNION ALL
        SELECT format('DROP INDEX %%s', idx.indexrelid::regclass),
               pg_get_indexdef(idx.indexrelid),
               2
          FROM pg_index idx
         WHERE idx.indrelid = ANY(%s::regclass[]) AND NOT idx.indisprimary
           AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = idx.indexrelid)
         ORDER BY 3
        """,
        [tables, tables],
    )
    definitions = cursor.fetchall()
    for drop, _create, _order in definitions:
        cursor.execute(drop)
    return [create for _drop, create, _order in reversed(definitions)]


def load_fake_data(rooms: int, seed: int, progress: Progress = no_progress) -> Plan:
    """Replace all rooms data with ``Plan.for_rooms(rooms)`` fake rows; return the plan.

    Only the legacy schema's tables are written (never auth or read models).
    Runs in one transaction (a savepoint when one is already open).
    """
    plan = Plan.for_rooms(rooms)
    rows = _Rows(plan, seed)
    tables = loaded_tables()
    with transaction.atomic(), connection.cursor() as cursor:
        clear_loaded_tables(cursor)
        recreate = _drop_secondary_indexes_and_foreign_keys(cursor, tables)
        for stage in _stages(plan, rows):
            _copy(cursor, stage, progress)
            if stage.columns[0] == "id":
                # Ids 1..rows were given explicitly: move the sequence past
                # them so the next row created through the API gets a new one.
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [stage.table, stage.rows]
                )
        # Index builds sort whole tables; give them room (this transaction only).
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        bar = progress("indexes and constraints", len(recreate), "statements")
        for statement in recreate:
            cursor.execute(statement)
            bar.update(1)
        bar.close()
        # Fresh statistics, so the read-model rebuild that follows plans its
        # joins for millions of rows rather than for the empty tables.
        cursor.execute(f"ANALYZE {_table_list()}")
    return plan
