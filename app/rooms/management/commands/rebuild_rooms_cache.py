from django.core.management.base import BaseCommand

from rooms.read_models import rebuild_all


class Command(BaseCommand):
    help = "Rebuild every read model from the base tables, set-based."

    def handle(self, *args, **options):
        rebuild_all()
        self.stdout.write("Rebuilt the app-maintained table and refreshed the materialized view.")
