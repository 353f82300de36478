from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rooms.services.editors import EDITOR_GROUP, ensure_editor_group


class Command(BaseCommand):
    help = (
        f'Create (or repair) the "{EDITOR_GROUP}" group, which may add, change and delete '
        "every object the API writes, and add the given users to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help="users to make editors")

    def handle(self, *args, usernames, **options):
        users = get_user_model().objects.filter(username__in=usernames)
        missing = sorted(set(usernames) - {user.username for user in users})
        if missing:
            raise CommandError(f"No such user: {', '.join(missing)}")
        group = ensure_editor_group()
        group.user_set.add(*users)
        self.stdout.write(
            f'Group "{group.name}": {group.permissions.count()} permissions, '
            f"{group.user_set.count()} users"
        )
