"""``manage.py installed_sql [--migration]``: which SQL objects are installed, and current.

Lists every view, function, capture trigger and commit trigger the code
defines, with its state in the database: INSTALLED (the code's version),
OUTDATED (an older or altered version), DISABLED (a trigger switched off) or
UNINSTALLED. Exits 1 when any is not INSTALLED.

``--migration`` prints instead the operations of a migration that installs
the code's version of every object that is not INSTALLED, commit triggers
included, with the SQL written out (a migration must hold the text it runs,
never import it): paste them into a new migration. (Capture triggers are
migrated by ``makemigrations``, which django-pgtrigger extends.)
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from rooms.read_models.installed import definitions, installation
from rooms.read_models.sql_object import INSTALLED


class Command(BaseCommand):
    help = "List the installed state of every SQL object the code defines."

    def add_arguments(self, parser):
        parser.add_argument(
            "--migration",
            action="store_true",
            help="print migration operations installing the code's version of stale objects",
        )

    def handle(self, *args, migration=False, **options):
        found = installation(connection)
        stale = {(item.kind, item.name) for item in found if item.status != INSTALLED}
        if migration:
            for obj in definitions():
                if (obj.kind, obj.label) in stale:
                    self.stdout.write(migration_operation(obj))
            return
        for item in found:
            self.stdout.write(str(item))
        if stale:
            raise CommandError(
                f"{len(stale)} SQL objects are not installed as the code defines them"
            )


def migration_operation(obj) -> str:
    """A ``RunSQL`` operation that (re)creates ``obj`` with its SQL frozen in it: a function
    replaced in place, anything else dropped first (a trigger, also one switched off)."""
    drop = "" if obj.kind == "FUNCTION" else f"{obj.drop};\n"
    text = f"{drop}{obj.install}"
    assert '"""' not in text and "\\" not in text
    return (
        f"    # {obj.kind.lower()} {obj.label}\n"
        f'    migrations.RunSQL(\n        ["""{text}"""],\n    ),\n'
    )
