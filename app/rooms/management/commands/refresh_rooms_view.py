from django.core.management.base import BaseCommand

from rooms.read_models import materialized_view


class Command(BaseCommand):
    help = "Refresh the rooms_related_objects materialized view now (CONCURRENTLY)."

    def handle(self, *args, **options):
        materialized_view.refresh()
        state = materialized_view.state()
        self.stdout.write(f"Refreshed the materialized view at {state.refreshed_at.isoformat()}.")
