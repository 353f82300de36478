"""A view, materialized view or function the code defines, and its state in a database.

Views and functions are PostgreSQL objects, not Django models, so Django's
migrations do not know when the code's definition of one has changed. Each
is declared as a :class:`SqlObject` whose fingerprint (a hash of its
``CREATE`` statement) is written into the object's comment when a migration
installs it. Comparing the installed comment (and definition) with the
code's tells whether a database has the code's version, the way
``pgtrigger ls`` reports triggers as ``OUTDATED``. ``installed`` lists every
object and reports their states.

Migrations never import this module: a migration holds the SQL it runs as
text, frozen when it was written (``docs/maintaining.md``).
"""

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

from django.db import DatabaseError

INSTALLED = "INSTALLED"
OUTDATED = "OUTDATED"
UNINSTALLED = "UNINSTALLED"
#: A trigger that is there, but switched off (``ALTER TABLE … DISABLE TRIGGER``).
DISABLED = "DISABLED"

_COMMENT_PREFIX = "rooms sql "


@dataclass(frozen=True)
class SqlObject:
    """A view, materialized view or function, as the code defines it.

    ``name`` is what ``COMMENT ON <kind>`` takes: a relation name, or a
    function name with its argument types (``rooms_refresh_view(boolean)``).
    ``query`` is a view's ``SELECT``, which ``create`` must contain.
    """

    kind: str
    name: str
    create: str
    query: str | None = None

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

    @property
    def label(self) -> str:
        return self.name

    @property
    def body(self) -> str:
        """A function's body, between its dollar quotes, as PostgreSQL keeps it."""
        match = re.search(r"\bAS (\$\w*\$)(.*)\1", self.create, re.DOTALL)
        assert match, f"no dollar-quoted body in {self.name}"
        return match.group(2)

    def status(self, cursor) -> str:
        """INSTALLED, OUTDATED (an older or hand-altered version) or UNINSTALLED.

        The comment says which version of the code installed the object; the
        definition itself is compared too, because a ``CREATE OR REPLACE`` by
        hand keeps the comment: a function's body as stored, a view's query as
        PostgreSQL normalizes it (against a temporary view of the code's query).
        """
        if self.kind == "FUNCTION":
            cursor.execute(
                "SELECT obj_description(oid, 'pg_proc'), prosrc FROM pg_proc "
                "WHERE oid = to_regprocedure(%s)",
                [self.name],
            )
            row = cursor.fetchone()
            if row is None:
                return UNINSTALLED
            comment, body = row
            same = body == self.body
        else:
            cursor.execute(
                "SELECT obj_description(oid, 'pg_class'), pg_get_viewdef(oid) FROM pg_class "
                "WHERE oid = to_regclass(%s)",
                [self.name],
            )
            row = cursor.fetchone()
            if row is None:
                return UNINSTALLED
            comment, definition = row
            same = definition == self._normalized_query(cursor)
        return INSTALLED if comment == self.comment and same else OUTDATED

    def _normalized_query(self, cursor) -> str | None:
        """The code's query as PostgreSQL would store it (None if it does not parse here)."""
        cursor.execute("SAVEPOINT rooms_installed_sql")
        try:
            cursor.execute(f"CREATE TEMPORARY VIEW rooms_code_definition AS {self.query}")
            cursor.execute("SELECT pg_get_viewdef('rooms_code_definition'::regclass)")
            (definition,) = cursor.fetchone()
        except DatabaseError:
            definition = None
        cursor.execute("ROLLBACK TO SAVEPOINT rooms_installed_sql")
        return definition


@dataclass(frozen=True)
class CommitTrigger:
    """A deferred constraint trigger on a queue table: it applies a transaction's captured
    changes at commit. Dropped or disabled by hand, its read model silently stops following
    writes, so its state is reported with the SQL objects', and ``install`` recreates it."""

    name: str
    table: str
    #: The function it executes, as PostgreSQL prints a ``regprocedure``.
    function: str
    #: The row events it fires after, e.g. ``("INSERT", "UPDATE")``.
    events: tuple[str, ...] = ("INSERT",)

    kind = "TRIGGER"

    @property
    def label(self) -> str:
        return f"{self.name} on {self.table}"

    @property
    def install(self) -> str:
        return (
            f"CREATE CONSTRAINT TRIGGER {self.name}\n"
            f"    AFTER {' OR '.join(self.events)} ON {self.table}\n"
            "    DEFERRABLE INITIALLY DEFERRED\n"
            f"    FOR EACH ROW EXECUTE FUNCTION {self.function};\n"
        )

    @property
    def drop(self) -> str:
        return f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}"

    @property
    def _type(self) -> int:
        """``pg_trigger.tgtype`` of ``install``'s trigger: a row trigger (1), after (no 2),
        on these events (INSERT 4, DELETE 8, UPDATE 16)."""
        return 1 + sum({"INSERT": 4, "DELETE": 8, "UPDATE": 16}[event] for event in self.events)

    def status(self, cursor) -> str:
        """INSTALLED, DISABLED, OUTDATED (another function, other events, or not deferred) or
        UNINSTALLED."""
        cursor.execute(
            "SELECT tgenabled, tgfoid::regprocedure::text = %s AND tgtype = %s "
            "AND tgdeferrable AND tginitdeferred "
            "FROM pg_trigger WHERE tgname = %s AND tgrelid = to_regclass(%s)",
            [self.function, self._type, self.name, self.table],
        )
        row = cursor.fetchone()
        if row is None:
            return UNINSTALLED
        enabled, same = row
        if enabled == "D":
            return DISABLED
        return INSTALLED if same else OUTDATED
