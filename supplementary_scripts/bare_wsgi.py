"""The limit of a stored read: a bare WSGI app that does the same lookups and nothing else.

Never part of the served app, and no Django: ``python -m supplementary_scripts throughput``
serves it under the app's gunicorn configuration, on the same database, as the baseline of what
answering from a stored row costs with no framework. Per worker one psycopg2 connection, kept;
per request one statement, its text answered as bytes. ``ROOMS_BARE_TABLES`` (JSON, set by the
command from the app's read-model registry) maps each URL prefix to its table:

    GET /{prefix}/{id}/                    the stored row as JSON (404 when there is none)
    GET /{prefix}/?after={id}&page_size=N  the next N rows by id, {"next", "previous", "results"}
    GET /healthz                           SELECT 1 (the command waits for it to answer)
"""

import json
import os
from urllib.parse import parse_qs

import psycopg2

TABLES = json.loads(os.environ["ROOMS_BARE_TABLES"])
ROOM = "SELECT row_to_json(t)::text FROM {} t WHERE id = %s"
PAGE = "SELECT t.id, row_to_json(t)::text FROM {} t WHERE id > %s ORDER BY id LIMIT %s"
_connection = None


def fetch(sql: str, params=()) -> list[tuple]:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
    with _connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def application(environ, start_response):
    prefix, *rest = environ["PATH_INFO"].strip("/").split("/")
    query = {key: values[0] for key, values in parse_qs(environ["QUERY_STRING"]).items()}
    if prefix == "healthz" and not rest:
        body = json.dumps({"status": "ok", "database": fetch("SELECT 1")[0][0]})
    elif prefix in TABLES and rest and rest[0].isdigit() and len(rest) == 1:
        body = "".join(row[0] for row in fetch(ROOM.format(TABLES[prefix]), [int(rest[0])]))
    elif prefix in TABLES and not rest:
        size = int(query.get("page_size", 100))
        rows = fetch(PAGE.format(TABLES[prefix]), [int(query.get("after", 0)), size])
        link = f"/{prefix}/?after={rows[-1][0]}&page_size={size}" if len(rows) == size else None
        results = ", ".join(document for _, document in rows)
        body = f'{{"next": {json.dumps(link)}, "previous": null, "results": [{results}]}}'
    else:
        body = ""
    data = (body or '{"detail": "Not found."}').encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    start_response("200 OK" if body else "404 Not Found", headers)
    return [data]
