"""The OpenAPI schema, the interactive docs and the health check.

Generated clients are built from the schema, so it must be valid OpenAPI 3,
list every endpoint, and come out without generator warnings: each warning
is a place where the schema guesses (a hashed enum name, a string id).
"""

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from .factories import ENDPOINTS

pytestmark = pytest.mark.django_db

TYPE_ENUMS = {
    "BedTypeEnum": ["BT1", "BT2", "BT3"],
    "ChairTypeEnum": ["CHT1", "CHT2", "CHT3"],
    "DoorTypeEnum": ["DT1", "DT2", "DT3", "DT4"],
    "RoomTypeEnum": ["KTCH", "BDR", "LBB", "LRM"],
    "TableTypeEnum": ["TBLT1", "TBLT2", "TBLT3"],
    "WindowTypeEnum": ["WT1", "WT2", "WT3"],
    "WindowFittingsTypeEnum": ["WFT1", "WFT2", "WFT3"],
}


@pytest.fixture(scope="module")
def schema():
    """The schema as ``/api/schema/`` serves it, built once (it is static).
    Module-scoped, so it asks for an allowed host itself."""
    response = APIClient().get("/api/schema/?format=json", SERVER_NAME="localhost")
    assert response.status_code == 200, response.content
    return response.json()


def test_schema_is_openapi_3_with_every_endpoint(schema):
    assert schema["openapi"].startswith("3")
    for endpoint in ENDPOINTS:
        assert endpoint.url in schema["paths"]
        assert f"{endpoint.url}{{id}}/" in schema["paths"]


def test_schema_documents_ids_as_integers(schema):
    parameters = schema["paths"]["/doors/{id}/"]["get"]["parameters"]

    assert {"in": "path", "name": "id"}.items() <= parameters[0].items()
    assert parameters[0]["schema"]["type"] == "integer"


def test_schema_names_each_type_enum_after_its_model(schema):
    components = schema["components"]["schemas"]

    for name, codes in TYPE_ENUMS.items():
        assert components[name]["enum"] == codes
    assert components["Room"]["properties"]["type"]["$ref"].endswith("/RoomTypeEnum")


def test_schema_generation_has_no_warnings(tmp_path):
    """What ``manage.py spectacular --validate --fail-on-warn`` checks in CI."""
    GENERATOR_STATS.reset()  # warnings of earlier generations in this process

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))

    assert (tmp_path / "s.yml").read_text().startswith("openapi: 3")


def test_docs_page_serves_swagger_ui(api_client):
    response = api_client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content


def test_healthz_reports_database_ok(api_client):
    response = api_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_read_only(auth_client):
    assert auth_client.post("/healthz").status_code == 405


def test_schema_says_a_room_may_have_no_decoration(schema):
    assert schema["components"]["schemas"]["Room"]["properties"]["decoration"]["nullable"]


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/rooms/", "get", {"200", "400", "401", "404", "429", "503"}),
        ("/rooms/", "post", {"201", "400", "401", "403", "409", "413", "415", "422", "503"}),
        ("/rooms/{id}/", "get", {"200", "401", "404", "503"}),
        ("/doors/{id}/", "delete", {"204", "401", "403", "404", "409", "503"}),
        ("/rooms_v2/{id}/", "get", {"200", "401", "404", "503"}),
    ],
)
def test_schema_documents_the_errors_of_each_operation(schema, path, method, codes):
    responses = schema["paths"][path][method]["responses"]

    assert codes <= set(responses), sorted(responses)
    assert "403" not in schema["paths"]["/rooms/{id}/"]["get"]["responses"]
    assert responses["503"]["headers"]["Retry-After"]


def test_schema_states_the_page_size_bounds(schema):
    (page_size,) = [
        p for p in schema["paths"]["/rooms/"]["get"]["parameters"] if p["name"] == "page_size"
    ]

    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}


def test_schema_documents_the_idempotency_key_on_writes_only(schema):
    def headers(operation):
        return [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]

    assert headers(schema["paths"]["/beds/"]["post"]) == ["Idempotency-Key"]
    assert headers(schema["paths"]["/beds/"]["get"]) == []


def test_schema_takes_json_bodies_only(schema):
    assert list(schema["paths"]["/decorations/"]["post"]["requestBody"]["content"]) == [
        "application/json"
    ]
