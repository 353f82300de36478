"""The "editor" group: who may write through the API.

Reads are open to everyone; a write needs the Django model permission for its
model and action (``add_room``, ``change_bed``, ``delete_door``, ...), checked
by DRF's ``DjangoModelPermissionsOrAnonReadOnly``. Superusers have them all.
An editor gets add, change and delete on every model the API writes;
narrower roles are groups with fewer of these permissions (the admin's
group page, or ``Group.permissions``).
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from rooms.models import BASE_MODELS

EDITOR_GROUP = "editor"
ACTIONS = ("add", "change", "delete")


def editor_permissions():
    content_types = ContentType.objects.get_for_models(*BASE_MODELS).values()
    codenames = [
        f"{action}_{model._meta.model_name}" for model in BASE_MODELS for action in ACTIONS
    ]
    return Permission.objects.filter(content_type__in=content_types, codename__in=codenames)


def ensure_editor_group() -> Group:
    """Create the group if needed and give it exactly the editor permissions."""
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    group.permissions.set(editor_permissions())
    return group
