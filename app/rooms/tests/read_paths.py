"""Reading the room document from every read path, to compare them.

``assert_every_read_path_agrees`` is the contract of
``docs/room-document.md`` in one call: for every room the live document and
every stored one are equal JSON values, list and detail alike, and rooms
that are gone are 404 everywhere.
"""

from rest_framework.test import APIClient

from rooms.read_models.registry import LIVE_PATH, READ_MODELS

LIVE = LIVE_PATH
STORED = tuple(read_model.path for read_model in READ_MODELS.values())
READ_PATHS = (LIVE, *STORED)


def all_documents(client: APIClient | None, path: str) -> dict[int, dict]:
    """Every document of ``path``, following the cursor pages."""
    client = client or APIClient()
    documents = {}
    url = f"{path}?page_size=1000"
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        page = response.json()
        documents.update({document["id"]: document for document in page["results"]})
        url = page["next"]
    return documents


def document(client: APIClient | None, path: str, room_id: int) -> dict:
    response = (client or APIClient()).get(f"{path}{room_id}/")
    assert response.status_code == 200, (path, room_id, response.content)
    return response.json()


def assert_every_read_path_agrees(
    client: APIClient | None = None, paths=STORED, gone=(), details=True
) -> dict[int, dict]:
    """Assert each stored read path equals the live one; return the live documents."""
    client = client or APIClient()
    live = all_documents(client, LIVE)
    for path in paths:
        assert all_documents(client, path) == live, f"{path} differs from {LIVE}"
        if details:
            for room_id, expected in live.items():
                assert document(client, path, room_id) == expected, (path, room_id)
    for room_id in gone:
        for path in (LIVE, *paths):
            assert client.get(f"{path}{room_id}/").status_code == 404, (path, room_id)
    return live
