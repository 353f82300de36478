#!/usr/bin/env python
"""Fill the database with fake rooms: the entry point the original project had.

    python initial_db_fill.py [--rooms N] [--seed S]

Kept so the original README's instructions still work; it runs exactly
``python manage.py fill_db`` with the same options (see ``--help``), which
*replaces* all rooms data. Settings come from the environment as for
``manage.py`` (``DATABASE_URL``, ``DJANGO_SECRET_KEY``, ...).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
    from django.core.management import execute_from_command_line

    # fill_db parses its own options, so nothing here has to keep in step with
    # them, and a bad option gets the usual usage message rather than a traceback.
    execute_from_command_line([sys.argv[0], "fill_db", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
