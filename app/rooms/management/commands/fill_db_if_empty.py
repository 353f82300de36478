"""Fill the database with demo data, but only when it holds no rooms yet.

The start-up script (``docker/start.sh``) runs this on every start of the app. A fresh
stack then has data to browse at once, while a restart, a re-created container or a
second replica never touches data that is already there: ``fill_db`` *replaces*
everything, so it must only ever run against an empty database.

``ROOMS_DEMO_ROOMS`` sets how many rooms to make (default 500; ``0`` never fills, for
a deployment that wants an empty database) and ``ROOMS_DEMO_SEED`` makes the data
reproducible. Options given on the command line win over both.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from app.environment import integer
from rooms.models import Room

DEFAULT_ROOMS = 500


def from_environment(name: str, minimum: int | None) -> int | None:
    """The whole number in ``name``, None when unset or blank; a typo fails loudly."""
    try:
        return integer(name, None, minimum)
    except ImproperlyConfigured as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = "Run fill_db (demo data) when the database has no rooms; do nothing otherwise."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rooms",
            type=int,
            default=None,
            help=f"rooms to make (default: $ROOMS_DEMO_ROOMS, else {DEFAULT_ROOMS}; 0: never fill)",
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed (default: $ROOMS_DEMO_SEED)"
        )

    def handle(self, *args, rooms=None, seed=None, **options):
        if rooms is None:
            rooms = from_environment("ROOMS_DEMO_ROOMS", minimum=0)
        if rooms is None:
            rooms = DEFAULT_ROOMS
        if seed is None:
            seed = from_environment("ROOMS_DEMO_SEED", minimum=None)
        if rooms < 0:
            raise CommandError(f"the number of rooms cannot be negative, not {rooms}")

        if Room.objects.exists():
            self.stdout.write("fill_db_if_empty: the database already has rooms; not filling.")
            return
        if rooms == 0:
            self.stdout.write(
                "fill_db_if_empty: no rooms, but 0 demo rooms asked for; not filling."
            )
            return

        self.stdout.write(f"fill_db_if_empty: no rooms yet; filling {rooms} demo rooms.")
        fill_options = {"rooms": rooms}
        if seed is not None:
            # Only when given: fill_db keeps its own default otherwise.
            fill_options["seed"] = seed
        call_command("fill_db", stdout=self.stdout, stderr=self.stderr, **fill_options)
