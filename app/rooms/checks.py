"""System checks: the database's installed SQL is the code's.

Run by ``manage.py check --database default`` (and before ``migrate``).
A warning, not an error: ``migrate`` runs the checks first, and must still
be able to install the migration that brings the objects up to date. Silent
while migrations are unapplied: the objects are then expected to be behind
(a new database has none at all), ``migrate`` is what installs them, and
Django itself reports the unapplied migrations. ``manage.py installed_sql``
and ``check_rooms_cache`` report the objects' state whatever it is.
"""

from django.core import checks
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor


def _migrations_unapplied(connection) -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def installed_sql_is_current(app_configs=None, databases=None, **kwargs):
    from .read_models.installed import out_of_date

    warnings = []
    for alias in databases or ():
        try:
            if _migrations_unapplied(connections[alias]):
                continue
            stale = out_of_date(connections[alias])
        except DatabaseError as error:
            return [checks.Warning(f"could not read the installed SQL: {error}", id="rooms.W002")]
        if stale:
            listed = "; ".join(
                f"{item.kind.lower()} {item.name} is {item.status}" for item in stale[:3]
            )
            more = f"; and {len(stale) - 3} more" if len(stale) > 3 else ""
            warnings.append(
                checks.Warning(
                    f"{len(stale)} SQL objects in database {alias!r} are not the code's: "
                    f"{listed}{more}",
                    hint="Run `manage.py migrate`; if that changes nothing, the code's SQL "
                    "changed without a migration: `manage.py installed_sql` lists them, "
                    "`--migration` prints one.",
                    id="rooms.W001",
                )
            )
    return warnings
