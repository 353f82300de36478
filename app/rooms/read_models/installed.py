"""The SQL objects the code expects in the database, and what is actually installed.

Every view and function (:class:`~.sql_object.SqlObject`) of the room
document, of each read model and of the capture, every capture trigger
(django-pgtrigger) and each read model's commit trigger
(:class:`~.sql_object.CommitTrigger`), with its state in a database:

* ``manage.py check --database default`` warns about each that is not the
  code's (``rooms.W001``);
* ``manage.py check_rooms_cache`` reports them and fails;
* ``manage.py installed_sql`` lists every object with its state, and
  ``--migration`` prints the operations of a migration that installs the
  code's versions.
"""

from dataclasses import dataclass

import pgtrigger
from django.db import transaction

from . import document
from .registry import DOCUMENTS_CHANGED, READ_MODELS
from .sql_object import DISABLED, INSTALLED, CommitTrigger, SqlObject


def sql_objects() -> list[SqlObject]:
    """Every SQL object, in the order they can be created in."""
    return [
        *document.SQL_OBJECTS,
        *(obj for read_model in READ_MODELS.values() for obj in read_model.sql_objects),
        DOCUMENTS_CHANGED,
    ]


def definitions() -> list[SqlObject | CommitTrigger]:
    """Every SQL object, then each read model's commit trigger (after the function it runs)."""
    triggers = [model.commit_trigger for model in READ_MODELS.values() if model.commit_trigger]
    return [*sql_objects(), *triggers]


@dataclass(frozen=True)
class Installation:
    kind: str
    name: str
    status: str

    def __str__(self) -> str:
        return f"{self.status:<11} {self.kind.lower()} {self.name}"


def installation(connection) -> list[Installation]:
    """The state of every SQL object and trigger in ``connection``'s database: a trigger
    switched off is DISABLED, as its read model would stop following writes."""
    found = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for obj in definitions():
            found.append(Installation(obj.kind, obj.label, obj.status(cursor)))
    for model, trigger in pgtrigger.registered():
        status, enabled = trigger.get_installation_status(model, database=connection.alias)
        status = DISABLED if status == INSTALLED and not enabled else status
        found.append(
            Installation("TRIGGER", f"{trigger.get_pgid(model)} on {model._meta.db_table}", status)
        )
    return found


def out_of_date(connection) -> list[Installation]:
    return [item for item in installation(connection) if item.status != INSTALLED]
