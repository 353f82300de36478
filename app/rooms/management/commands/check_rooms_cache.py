from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from rooms.read_models import READ_MODELS, drift
from rooms.read_models.installed import out_of_date


class Command(BaseCommand):
    help = (
        "Compare every read model with the live room document of every room. Prints, per "
        "read model, how many rooms are missing, extra or different, and any SQL object "
        "(view, function, trigger) whose installed version is not the code's; exits 1 when "
        "anything differs (after repairing the rooms with --fix, 0 if the repair worked)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="repair the rooms that differ")

    def handle(self, *args, fix=False, **options):
        failing = []
        for item in out_of_date(connection):
            self.stdout.write(f"installed SQL: {item}")
            failing.append(f"{item.kind.lower()} {item.name}")
        found = drift()
        for name, read_model in READ_MODELS.items():
            self.stdout.write(f"{name} ({read_model.path}): {found[name]}")
            if found[name].total and fix:
                read_model.repair(found[name].rooms)
                found[name] = drift(name)[name]
                self.stdout.write(f"{name}: repaired, {found[name].total} rooms differ now")
            if found[name].total:
                failing.append(name)
        if failing:
            raise CommandError(f"out of date: {', '.join(failing)}", returncode=1)
