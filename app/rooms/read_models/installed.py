"""SQL objects the code expects in the database, and what is actually installed.

Views and functions are PostgreSQL objects, not Django models, so Django's
migrations do not know when the code's definition of one has changed. Each
is declared here as an :class:`SqlObject` whose fingerprint (a hash of its
``CREATE`` statement) is written into the object's comment when a migration
installs it. Comparing the installed comments with the code's fingerprints
tells which objects a database lacks or has in an older version, the way
``pgtrigger ls`` reports triggers as ``OUTDATED``:

* ``manage.py check --database default`` warns about each (``rooms.W001``);
* ``manage.py check_rooms_cache`` reports them and fails;
* ``manage.py installed_sql`` lists every object with its state, and
  ``--migration`` prints the operations of a migration that installs the
  code's versions.

Migrations never import this module: a migration holds the SQL it runs as
text, frozen when it was written (``docs/maintaining.md``).
"""

import hashlib
from dataclasses import dataclass
from functools import cached_property

INSTALLED = "INSTALLED"
OUTDATED = "OUTDATED"
UNINSTALLED = "UNINSTALLED"

_COMMENT_PREFIX = "rooms sql "


@dataclass(frozen=True)
class SqlObject:
    """A view, materialized view or function, as the code defines it.

    ``name`` is what ``COMMENT ON <kind>`` takes: a relation name, or a
    function name with its argument types (``rooms_refresh_view(boolean)``).
    """

    kind: str
    name: str
    create: str

    @cached_property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.create.strip().encode()).hexdigest()[:16]

    @property
    def comment(self) -> str:
        return f"{_COMMENT_PREFIX}{self.fingerprint}"

    @property
    def install(self) -> str:
        """The statements a migration freezes: the definition, then its fingerprint."""
        return f"{self.create.strip()};\nCOMMENT ON {self.kind} {self.name} IS '{self.comment}';\n"

    @property
    def drop(self) -> str:
        return f"DROP {self.kind} IF EXISTS {self.name}"

    def installed_comment(self, cursor) -> tuple[bool, str | None]:
        """(whether the object exists, its comment)."""
        if self.kind == "FUNCTION":
            cursor.execute(
                "SELECT oid, obj_description(oid, 'pg_proc') FROM pg_proc "
                "WHERE oid = to_regprocedure(%s)",
                [self.name],
            )
        else:
            cursor.execute(
                "SELECT oid, obj_description(oid, 'pg_class') FROM pg_class "
                "WHERE oid = to_regclass(%s)",
                [self.name],
            )
        row = cursor.fetchone()
        return (row is not None, row[1] if row else None)

    def status(self, cursor) -> str:
        exists, comment = self.installed_comment(cursor)
        if not exists:
            return UNINSTALLED
        return INSTALLED if comment == self.comment else OUTDATED


def sql_objects() -> list[SqlObject]:
    """Every SQL object, in the order they can be created in."""
    from . import app_table, changes, document, materialized_view, trigger_table

    return [
        *document.SQL_OBJECTS,
        *materialized_view.SQL_OBJECTS,
        *app_table.SQL_OBJECTS,
        *trigger_table.SQL_OBJECTS,
        *changes.SQL_OBJECTS,
    ]


@dataclass(frozen=True)
class Installation:
    kind: str
    name: str
    status: str

    def __str__(self) -> str:
        return f"{self.status:<11} {self.kind.lower()} {self.name}"


def installation(connection) -> list[Installation]:
    """The state of every SQL object and every capture trigger in ``connection``'s database."""
    import pgtrigger

    found = []
    with connection.cursor() as cursor:
        for obj in sql_objects():
            found.append(Installation(obj.kind, obj.name, obj.status(cursor)))
    for model, trigger in pgtrigger.registered():
        status, _enabled = trigger.get_installation_status(model, database=connection.alias)
        found.append(
            Installation("TRIGGER", f"{trigger.get_pgid(model)} on {model._meta.db_table}", status)
        )
    return found


def out_of_date(connection) -> list[Installation]:
    return [item for item in installation(connection) if item.status != INSTALLED]
