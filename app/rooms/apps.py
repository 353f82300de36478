from django.apps import AppConfig


class RoomsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rooms"

    def ready(self):
        # Connects the signal receivers that keep the read models fresh.
        from . import signals  # noqa: F401
