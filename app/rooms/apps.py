from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class RoomsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rooms"

    def ready(self):
        from . import signals  # noqa: F401  (connects the app table's receivers)
        from .checks import installed_sql_is_current
        from .read_models import capture

        capture.register_capture_triggers()
        checks.register(installed_sql_is_current, checks.Tags.database)
        post_migrate.connect(apply_view_refresh_policy, sender=self)


def apply_view_refresh_policy(using, plan=None, **kwargs):
    """After ``migrate``, writers follow this deployment's ``ROOMS_VIEW_REFRESH``."""
    from django.db import connections

    from .read_models import materialized_view

    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'rooms_view_state' AND column_name = 'refresh_policy'"
        )
        if cursor.fetchone() is None:  # migrated back to before the policy was kept there
            return
    materialized_view.set_refresh_policy(using=using)
