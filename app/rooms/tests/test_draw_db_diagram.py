"""``manage.py draw_db_diagram``: the schema drawn from the models."""

import shutil

import pytest
from django.apps import apps
from django.core.management import call_command


def test_the_dot_source_has_every_table_and_foreign_key(tmp_path):
    output = tmp_path / "schema.dot"

    call_command("draw_db_diagram", output=output)

    dot = output.read_text()
    for model in apps.get_app_config("rooms").get_models(include_auto_created=True):
        # Once: a second node of the same name (a proxy's) would replace the first.
        assert dot.count(f'"{model._meta.db_table}" [label=<') == 1, model._meta.db_table
    assert '"rooms_room":"out_door_id":e -> "rooms_door":"in_id":w [xlabel="PROTECT"]' in dot
    assert '"rooms_bed_rooms":"out_room_id":e -> "rooms_room":"in_id":w' in dot
    assert "Decoration.souvenirs (many-to-many)" in dot
    assert "MaterializedViewRoom (materialized view)" in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_a_png_is_rendered(tmp_path):
    output = tmp_path / "schema.png"

    call_command("draw_db_diagram", output=output)

    assert output.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
