"""The read models' classes take the read models' names; their tables keep theirs.

``RoomsRelatedObjectsMaterializedView``, ``RoomWithRelatedObjsRebuildInApp``
and ``RoomWithRelatedObjsV3`` become ``MaterializedViewRoom``,
``AppTableRoom`` and ``TriggerTableRoom``. Nothing changes in the tables (the
two tables' names are fixed first, so the renames move nothing). Django
renames the models' content types itself; the permissions that staff were
given on them are renamed here, so that nobody loses access to the admin.
"""

from django.db import migrations

#: Old model name -> new one (lower case, as in content types and permission codenames).
RENAMED = {
    "roomsrelatedobjectsmaterializedview": "materializedviewroom",
    "roomwithrelatedobjsrebuildinapp": "apptableroom",
    "roomwithrelatedobjsv3": "triggertableroom",
}
ACTIONS = ("add", "change", "delete", "view")


def rename_permissions(renamed):
    def rename(apps, schema_editor):
        permissions = apps.get_model("auth", "Permission").objects.using(
            schema_editor.connection.alias
        )
        for old, new in renamed.items():
            for action in ACTIONS:
                permissions.filter(
                    content_type__app_label="rooms", codename=f"{action}_{old}"
                ).update(codename=f"{action}_{new}")

    return rename


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('rooms', '0006_part_rebuilds_read_only_their_part'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='roomwithrelatedobjsrebuildinapp',
            table='rooms_roomwithrelatedobjsrebuildinapp',
        ),
        migrations.AlterModelTable(
            name='roomwithrelatedobjsv3',
            table='rooms_roomwithrelatedobjsv3',
        ),
        migrations.RenameModel(
            old_name='RoomsRelatedObjectsMaterializedView',
            new_name='MaterializedViewRoom',
        ),
        migrations.RenameModel(
            old_name='RoomWithRelatedObjsRebuildInApp',
            new_name='AppTableRoom',
        ),
        migrations.RenameModel(
            old_name='RoomWithRelatedObjsV3',
            new_name='TriggerTableRoom',
        ),
        migrations.RunPython(
            rename_permissions(RENAMED),
            rename_permissions({new: old for old, new in RENAMED.items()}),
        ),
    ]
