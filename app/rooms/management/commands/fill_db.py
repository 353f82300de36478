"""``manage.py fill_db [--rooms N] [--seed S]``: replace all data with fake rooms.

The generation and loading live in ``rooms.services.fake_data``; this command
only wires them to the read models and the terminal. The load runs with the
app table's signal receivers muted and the capture triggers ignored (both
would otherwise rebuild documents batch by batch), and the read models are
built once, set-based, afterwards, all in one transaction: nobody ever sees
a half-loaded data set (the tables are locked while it runs, so requests
wait), and a failure leaves the old one.
"""

import argparse
import secrets
import time

import pgtrigger
from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from rooms.read_models import rebuild_all, signals_muted
from rooms.read_models.capture import CAPTURE_TRIGGERS
from rooms.services.fake_data import DEFAULT_ROOMS, load_fake_data


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def progress_bar(label: str, total: int, unit: str) -> tqdm:
    """A bar per stage with counts and rate; silent when stderr is not a terminal."""
    return tqdm(
        desc=f"{label:>26}", total=total, unit=f" {unit}", unit_scale=unit == "rows", disable=None
    )


class Command(BaseCommand):
    help = (
        "Replace all rooms data with fake data made by Faker (500 rooms and the original "
        "proportions by default), then rebuild every read model."
    )

    def add_arguments(self, parser):
        rooms = parser.add_mutually_exclusive_group()
        rooms.add_argument(
            "--rooms",
            type=positive_int,
            default=None,
            help=f"how many rooms; every other count scales with it (default {DEFAULT_ROOMS})",
        )
        # The original project's form: ``fill_db 50``.
        rooms.add_argument(
            "rooms_count", nargs="?", type=positive_int, metavar="ROOMS", help="same as --rooms"
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="random seed: the same seed gives the same data (default: a random one, printed)",
        )

    def handle(self, *args, rooms, rooms_count, seed, **options):
        rooms = rooms or rooms_count or DEFAULT_ROOMS
        if seed is None:
            seed = secrets.randbelow(2**31)
        started = time.perf_counter()
        with transaction.atomic():
            with signals_muted(), pgtrigger.ignore(*CAPTURE_TRIGGERS):
                plan = load_fake_data(rooms, seed, progress=progress_bar)
            loaded = time.perf_counter()
            self.stdout.write(f"Loaded in {loaded - started:.1f} s; building the read models…")
            rebuild_all(online=False)
        finished = time.perf_counter()
        self.stdout.write(
            self.style.SUCCESS(
                f"fill_db: {plan} (seed {seed}); read models built in {finished - loaded:.1f} s, "
                f"{finished - started:.1f} s in all."
            )
        )
