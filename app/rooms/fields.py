"""Model fields that migrations refer to by import path.

Django rebuilds the models of every past migration from the field classes
they name, so a class here must keep its behaviour for as long as a
migration names it: change the database type by adding a new class (and a
migration), never by editing one.
"""

from django.db import models


class DocumentPartField(models.JSONField):
    """A PostgreSQL ``json`` column (``JSONField`` is ``jsonb``) holding one part of a document.

    The documents are built as JSON text and handed to clients as text;
    ``jsonb`` would parse every value into a binary tree nobody reads, which
    made building them about twice as slow. psycopg2 decodes ``json`` values
    itself, so what reaches ``from_db_value`` may already be a list or dict.
    """

    def db_type(self, connection):
        return "json"

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str):
            return super().from_db_value(value, expression, connection)
        return value
