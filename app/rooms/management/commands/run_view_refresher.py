import signal
import threading

from django.core.management.base import BaseCommand

from rooms.read_models import materialized_view, view_refresher


class Command(BaseCommand):
    help = (
        "Keep the materialized view fresh under ROOMS_VIEW_REFRESH=deferred: listen for "
        "writes and refresh within ROOMS_VIEW_MAX_STALENESS seconds. With --every, refresh "
        "on a timer instead (e.g. --every 86400 for once a day); with --once, refresh if "
        "stale and exit (for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, metavar="SECONDS", help="refresh on a timer")
        parser.add_argument("--once", action="store_true", help="refresh if stale, then exit")
        parser.add_argument(
            "--max-staleness",
            type=float,
            metavar="SECONDS",
            help="override ROOMS_VIEW_MAX_STALENESS",
        )

    def handle(self, *args, every=None, once=False, max_staleness=None, **options):
        if once:
            refreshed = materialized_view.refresh_if_stale()
            self.stdout.write("Refreshed the view." if refreshed else "The view was fresh.")
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        view_refresher.run(max_staleness=max_staleness, every=every, stop=stop)
