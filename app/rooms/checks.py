"""System checks: the database's installed SQL is the code's.

Run by ``manage.py check --database default`` (and before ``migrate``).
A warning, not an error: ``migrate`` runs the checks first, and must still
be able to install the migration that brings the objects up to date.
"""

from django.core import checks
from django.db import DatabaseError, connections


def installed_sql_is_current(app_configs=None, databases=None, **kwargs):
    from .read_models.installed import out_of_date

    warnings = []
    for alias in databases or ():
        try:
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
