from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Revoke a user's API token: requests sending it get 401 from now on. "
        "`drf_create_token USERNAME` issues one (-r replaces it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        deleted, _ = Token.objects.filter(user__username=username).delete()
        if not deleted:
            raise CommandError(f"{username} has no token")
        self.stdout.write(f"Token of {username} revoked")
