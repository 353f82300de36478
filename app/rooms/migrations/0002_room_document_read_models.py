"""The room document view, the materialized view, and the refresh plumbing.

The SQL lives in ``rooms.read_models.sql`` (one definition for every read
model); see that module for why it is shaped the way it is.
"""

from django.db import migrations

from rooms.read_models import sql


class Migration(migrations.Migration):
    dependencies = [("rooms", "0001_initial")]

    # Each script is a one-item list: sent to PostgreSQL whole, never split
    # into statements by sqlparse (which need not understand PL/pgSQL bodies).
    operations = [
        migrations.RunSQL([sql.ROOM_DOCUMENT_VIEW], reverse_sql=[sql.DROP_ROOM_DOCUMENT_VIEW]),
        migrations.RunSQL([sql.MATERIALIZED_VIEW], reverse_sql=[sql.DROP_MATERIALIZED_VIEW]),
        migrations.RunSQL([sql.PLUMBING], reverse_sql=[sql.DROP_PLUMBING]),
        # Rooms that exist before this migration get their documents at once.
        migrations.RunSQL([sql.upsert_documents()], reverse_sql=migrations.RunSQL.noop),
    ]
