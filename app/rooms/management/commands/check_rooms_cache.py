from django.core.management.base import BaseCommand, CommandError

from rooms.read_models import READ_MODELS, drift, repair


class Command(BaseCommand):
    help = (
        "Compare every read model with the live room document of every room. Prints, per "
        "read model, how many rooms are missing, extra or different; exits 1 when any are "
        "(after repairing them with --fix, 0 if the repair worked)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="repair the rooms that differ")

    def handle(self, *args, fix=False, **options):
        failing = []
        for name in READ_MODELS:
            found = drift(name)
            self.stdout.write(
                f"{name}: {found.total} rooms differ "
                f"(missing {len(found.missing)}, extra {len(found.extra)}, "
                f"different {len(found.different)})"
            )
            if found.total and fix:
                repair(name, found)
                found = drift(name)
                self.stdout.write(f"{name}: repaired, {found.total} rooms differ now")
            if found.total:
                failing.append(name)
        if failing:
            raise CommandError(f"read models out of date: {', '.join(failing)}", returncode=1)
