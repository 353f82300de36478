from django.core.management.base import BaseCommand

from rooms.read_models import READ_MODELS, rebuild_all


class Command(BaseCommand):
    help = (
        "Rebuild every read model from the base tables, set-based: refresh the materialized "
        "view and rewrite the rows of the app table and the trigger table that differ. "
        "Readers are served meanwhile."
    )

    def handle(self, *args, **options):
        rebuild_all()
        names = ", ".join(str(read_model) for read_model in READ_MODELS.values())
        self.stdout.write(f"Rebuilt every read model: {names}.")
