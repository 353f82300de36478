"""Admin for every model, searchable by name.

Saves made here go through the ORM, so the read models follow them like any
other write (an admin save with inlines is one transaction, one app-table
rebuild at commit).
"""

from django.contrib import admin

from . import models
from .read_models.registry import READ_MODELS


class NamedAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["id", "name"]
    ordering = ["id"]


class DimensionedAdmin(NamedAdmin):
    list_display = ["id", "name", "type", "width", "length", "height"]
    list_filter = ["type"]


class WindowInline(admin.TabularInline):
    model = models.Window
    extra = 0


@admin.register(models.Room)
class RoomAdmin(DimensionedAdmin):
    list_display = [*DimensionedAdmin.list_display, "door", "decoration"]
    list_select_related = ["door", "decoration"]
    autocomplete_fields = ["door", "decoration"]
    inlines = [WindowInline]


@admin.register(models.Window)
class WindowAdmin(DimensionedAdmin):
    list_display = [*DimensionedAdmin.list_display, "room"]
    autocomplete_fields = ["room"]


@admin.register(models.Souvenir)
class SouvenirAdmin(NamedAdmin):
    pass


@admin.register(models.Decoration)
class DecorationAdmin(NamedAdmin):
    filter_horizontal = ["souvenirs"]


class ReadModelAdmin(NamedAdmin):
    """Read models are written by the app only: browse, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Every other model a document is built from (doors, fittings, furniture): the defaults.
admin.site.register(
    [model for model in models.DIMENSIONED_MODELS if not admin.site.is_registered(model)],
    DimensionedAdmin,
)
admin.site.register([read_model.model for read_model in READ_MODELS.values()], ReadModelAdmin)
