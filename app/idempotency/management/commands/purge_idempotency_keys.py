from django.core.management.base import BaseCommand

from idempotency import store


class Command(BaseCommand):
    help = (
        "Delete expired idempotency records. Writes also delete a batch now and then, "
        "so this is only needed after a burst of keyed writes, or from cron."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{store.purge_expired()} expired idempotency records deleted")
