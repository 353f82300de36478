"""The read-model registry is what the rest of the service is built from.

Each read model in ``READ_MODELS`` is served at its path, browsable in the
admin, checked by ``installed_sql`` and kept by the code the registry names;
the names users rely on stay: URLs, table names, the API root's listing and
the model classes of the original project.
"""

import pytest
from django.contrib import admin

from rooms import models
from rooms.read_models.installed import sql_objects
from rooms.read_models.registry import READ_MODELS

pytestmark = pytest.mark.django_db

#: The API root, as docs/interfaces.md lists it.
ROOT = [
    "rooms",
    "rooms_mat_view",
    "rooms_v2",
    "rooms_v3",
    "doors",
    "souvenirs",
    "decorations",
    "windows",
    "window_fittings",
    "beds",
    "chairs",
    "tables",
    # Not a collection: the read paths' timings side by side.
    "compare",
]


def test_the_api_root_lists_every_endpoint_in_order(api_client):
    response = api_client.get("/")

    assert response.status_code == 200
    assert list(response.json()) == ROOT
    assert all(url.endswith(f"/{name}/") for name, url in response.json().items())


@pytest.mark.parametrize("read_model", READ_MODELS.values(), ids=str)
def test_each_read_model_is_served_at_its_path_and_browsable(read_model, api_client, admin_client):
    response = api_client.get(read_model.path)

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert admin.site.is_registered(read_model.model)
    assert admin_client.get(f"/admin/rooms/{read_model.model._meta.model_name}/").status_code == 200
    assert set(read_model.sql_objects) <= set(sql_objects())


def test_the_table_names_and_original_class_names_stay():
    assert {read_model.relation for read_model in READ_MODELS.values()} == {
        "rooms_related_objects",
        "rooms_roomwithrelatedobjsrebuildinapp",
        "rooms_roomwithrelatedobjsv3",
    }
    # The original project's tests import these.
    assert models.RoomsRelatedObjectsMaterializedView is models.MaterializedViewRoom
    assert models.RoomWithRelatedObjsRebuildInApp is models.AppTableRoom
    assert models.RoomWithRelatedObjsV3 is models.TriggerTableRoom
