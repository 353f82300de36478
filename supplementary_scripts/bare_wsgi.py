"""The limit of a stored read: a bare WSGI app that does the same lookups and nothing else.

Never part of the served app. ``throughput.py`` runs it under the same gunicorn
configuration as the app, on the same database, as the baseline the stored read
paths are measured against: what answering from a stored row costs with no
framework at all. Per worker process one psycopg2 connection, opened on the
first request and kept; per request one statement, its text answered as bytes.

    GET /rooms_v3/{id}/                    the stored row as JSON (404 when there is none)
    GET /rooms_v3/?after={id}&page_size=N  the next N rows by id (default 100), as
                                           {"next": …, "previous": null, "results": […]}

and the same under ``/rooms_mat_view/`` and ``/rooms_v2/``. The database is
``DATABASE_URL``.
"""

import json
import os
from urllib.parse import parse_qs

import psycopg2

TABLES = {
    "rooms_v3": "rooms_roomwithrelatedobjsv3",
    "rooms_mat_view": "rooms_related_objects",
    "rooms_v2": "rooms_roomwithrelatedobjsrebuildinapp",
}
ROOM = "SELECT row_to_json(t)::text FROM {table} t WHERE id = %s"
PAGE = "SELECT t.id, row_to_json(t)::text FROM {table} t WHERE id > %s ORDER BY id LIMIT %s"

_connection = None


def fetch(sql: str, params: list) -> list[tuple]:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
    with _connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def answer(start_response, status: str, body: str) -> list[bytes]:
    data = body.encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def application(environ, start_response):
    parts = environ["PATH_INFO"].strip("/").split("/")
    table = TABLES.get(parts[0])
    if table is None or len(parts) > 2 or (len(parts) == 2 and not parts[1].isdigit()):
        return answer(start_response, "404 Not Found", '{"detail": "Not found."}')
    if len(parts) == 2:
        rows = fetch(ROOM.format(table=table), [int(parts[1])])
        if not rows:
            return answer(start_response, "404 Not Found", '{"detail": "Not found."}')
        return answer(start_response, "200 OK", rows[0][0])
    query = parse_qs(environ.get("QUERY_STRING", ""))
    after = int(query.get("after", ["0"])[0])
    size = int(query.get("page_size", ["100"])[0])
    rows = fetch(PAGE.format(table=table), [after, size])
    next_link = f"/{parts[0]}/?after={rows[-1][0]}&page_size={size}" if len(rows) == size else None
    results = ", ".join(document for _, document in rows)
    body = f'{{"next": {json.dumps(next_link)}, "previous": null, "results": [{results}]}}'
    return answer(start_response, "200 OK", body)
