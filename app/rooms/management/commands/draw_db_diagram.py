"""``manage.py draw_db_diagram [--output misc/db_diagram.png]``: the schema as a picture.

The diagram is drawn from the models themselves (every table of the
``rooms`` app, the many-to-many link tables included, with their columns,
types and foreign keys), so it cannot drift from the code the way a
hand-drawn one did. It writes Graphviz DOT and renders it with the ``dot``
program (Debian/Ubuntu: ``apt-get install graphviz``); an output ending in
``.dot`` is written as DOT and needs no Graphviz. No database is needed.
"""

import shutil
import subprocess
from html import escape
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from rooms.models.room_document import RoomDocumentFields

DEFAULT_OUTPUT = settings.BASE_DIR.parent / "misc" / "db_diagram.png"

HEADER_COLOR = {"table": "#cfe2f3", "link": "#e6e6e6", "read model": "#d9ead3"}


def kind_of(model) -> str:
    if issubclass(model, RoomDocumentFields):
        return "read model"
    return "link" if model._meta.auto_created else "table"


def subtitle(model) -> str:
    """What a table is for, when its name does not say it."""
    meta = model._meta
    if meta.auto_created:  # the through table of a ManyToManyField
        owner = meta.auto_created
        field = next(f for f in owner._meta.local_many_to_many if f.remote_field.through is model)
        return f"{owner.__name__}.{field.name} (many-to-many)"
    if not meta.managed:
        return f"{model.__name__} (materialized view)"
    return model.__name__


def column_flags(field) -> str:
    flags = []
    if field.primary_key:
        flags.append("PK")
    if field.is_relation:
        flags.append("FK")
    if field.unique and not field.primary_key:
        flags.append("UNIQUE")
    if field.null:
        flags.append("NULL")
    return " ".join(flags)


def node(model) -> str:
    """An HTML-like table label: a header, then one row per column.

    Each row has two ports, ``in_<column>`` on its left cell and
    ``out_<column>`` on its right one, so that foreign keys leave a row on the
    right and arrive on the left instead of crossing the table.
    """
    meta = model._meta
    rows = [
        f'<tr><td bgcolor="{HEADER_COLOR[kind_of(model)]}" colspan="3"><b>{escape(meta.db_table)}'
        f'</b><br/><font point-size="9">{escape(subtitle(model))}</font></td></tr>'
    ]
    for field in meta.local_concrete_fields:
        column, db_type, flags = field.column, field.db_type(connection), column_flags(field)
        flags = f'<font color="#990000">{flags}</font>' if flags else ""  # no empty <font>
        rows.append(
            f'<tr><td port="in_{escape(column)}" align="left">{escape(column)}</td>'
            f'<td align="left"><font color="#555555">{escape(db_type)}</font></td>'
            f'<td port="out_{escape(column)}" align="left">{flags}</td></tr>'
        )
    table = '<table border="0" cellborder="1" cellspacing="0" cellpadding="4">'
    return f'  "{meta.db_table}" [label=<{table}{"".join(rows)}</table>>];'


def edges(model) -> list[str]:
    """One edge per foreign key, from the column to the referenced key, labelled ON DELETE."""
    lines = []
    for field in model._meta.local_concrete_fields:
        if not field.is_relation:
            continue
        target = field.remote_field.model._meta
        on_delete = field.remote_field.on_delete.__name__.replace("_", " ")
        lines.append(
            f'  "{model._meta.db_table}":"out_{field.column}":e -> '
            f'"{target.db_table}":"in_{field.target_field.column}":w '
            f'[xlabel="{on_delete}"];'
        )
    return lines


def diagram() -> str:
    # Proxies (the link tables' capture-trigger models) are tables drawn already.
    models = [
        model
        for model in apps.get_app_config("rooms").get_models(include_auto_created=True)
        if not model._meta.proxy
    ]
    read_models = [model for model in models if kind_of(model) == "read model"]
    schema = [model for model in models if model not in read_models]
    lines = [
        "digraph rooms {",
        '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.4, ranksep=1.1, '
        'label="rooms: tables, many-to-many link tables (grey) and read models (green)", '
        "labelloc=t, fontsize=16];",
        '  node [shape=plain, fontname="Helvetica", fontsize=10];',
        '  edge [dir=both, arrowtail=crow, arrowhead=tee, fontname="Helvetica", fontsize=8, '
        'fontcolor="#666666", color="#555555"];',
        *(node(model) for model in schema),
        *(line for model in schema for line in edges(model)),
        "  subgraph cluster_read_models {",
        '    label="read models: one room document per room"; style=dashed; color="#6aa84f";',
        *(f"  {node(model)}" for model in read_models),
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Draw the rooms database schema from the models with Graphviz (PNG, SVG, ... or DOT)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=DEFAULT_OUTPUT,
            help="file to write; its suffix picks the format (.png, .svg, .pdf, .dot; "
            "default misc/db_diagram.png at the repository root)",
        )

    def handle(self, *args, output: Path, **options):
        dot_source = diagram()
        output.parent.mkdir(parents=True, exist_ok=True)
        file_format = output.suffix.lstrip(".").lower() or "png"
        if file_format in {"dot", "gv"}:
            output.write_text(dot_source)
        else:
            dot = shutil.which("dot")
            if dot is None:
                raise CommandError(
                    "Graphviz's `dot` is not installed (apt-get install graphviz); "
                    "or write the DOT source with --output diagram.dot"
                )
            rendered = subprocess.run(
                [dot, f"-T{file_format}", "-o", str(output)],
                input=dot_source,
                text=True,
                capture_output=True,
            )
            if rendered.returncode != 0 or rendered.stderr.strip():
                raise CommandError(f"dot failed:\n{rendered.stderr}")
        self.stdout.write(f"Wrote {output}")
