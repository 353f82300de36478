"""Migrations are history: frozen SQL, and the installed SQL checked against the code.

* No migration imports the application's code (only Django, django-pgtrigger
  and ``rooms.fields``, the field classes Django needs to rebuild old
  model states).
* A database migrated to an old state — with the SQL that state had, and
  even with functions since changed by hand — ends up with the code's
  definitions after ``migrate``.
* Any view, function or trigger whose installed definition is not the code's,
  or a trigger switched off, is named by ``installed_sql``, ``check_rooms_cache``
  and ``manage.py check``.
"""

import ast
import os
import re
from pathlib import Path

import psycopg2
import pytest

from . import project
from .project import APP_DIR

MIGRATIONS = sorted((APP_DIR / "rooms" / "migrations").glob("0*.py"))
ALLOWED_IMPORTS = ("django", "pgtrigger", "rooms.fields")


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module or "")
    return modules


@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda path: path.stem)
def test_no_migration_imports_application_code(migration):
    foreign = {
        module
        for module in imported_modules(migration)
        if not any(
            module == allowed or module.startswith(f"{allowed}.") for allowed in ALLOWED_IMPORTS
        )
    }
    assert not foreign, f"{migration.name} imports {foreign}: freeze the SQL in the migration"


@pytest.fixture
def scratch(scratch_database):
    """``manage`` running commands on a new, empty database, and ``execute`` SQL there."""
    env = {**os.environ, "DATABASE_URL": scratch_database, "DJANGO_SECRET_KEY": "scratch"}

    def manage(*args: str):
        return project.manage(*args, env=env)

    def execute(statement: str) -> None:
        """Run ``statement`` on the scratch database, as a person in psql would."""
        raw = psycopg2.connect(scratch_database)
        raw.autocommit = True
        try:
            raw.cursor().execute(statement)
        finally:
            raw.close()

    return manage, execute


#: What a database migrated with an earlier edition of 0002 could hold.
OLDER_REFRESH = """
CREATE OR REPLACE FUNCTION rooms_refresh_view(concurrent boolean DEFAULT true)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    REFRESH MATERIALIZED VIEW rooms_related_objects;
END
$$
"""


@pytest.mark.slow
def test_a_database_migrated_long_ago_gets_the_current_definitions(scratch):
    manage, psql = scratch
    result = manage("migrate", "rooms", "0002", "--noinput")
    assert result.returncode == 0, result.stderr
    psql(OLDER_REFRESH)
    result = manage("installed_sql")
    assert result.returncode != 0  # old state: nothing is the code's yet
    assert "UNINSTALLED" in result.stdout
    # The system check leaves that to migrate (which runs it first) while migrations are due.
    result = manage("check", "--database", "default")
    assert "rooms.W001" not in result.stderr + result.stdout

    result = manage("migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    result = manage("installed_sql")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OUTDATED" not in result.stdout and "UNINSTALLED" not in result.stdout
    assert manage("check_rooms_cache").returncode == 0


@pytest.mark.slow
def test_staff_keep_their_read_model_permissions_when_the_classes_are_renamed(scratch):
    manage, psql = scratch
    assert manage("migrate", "auth", "--noinput").returncode == 0
    assert manage("migrate", "rooms", "0006", "--noinput").returncode == 0
    psql(
        "INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, "
        "first_name, last_name, email, date_joined) "
        "VALUES ('staff', '!', false, true, true, '', '', '', now());"
        "INSERT INTO auth_user_user_permissions (user_id, permission_id) "
        "SELECT u.id, p.id FROM auth_user u, auth_permission p "
        "WHERE u.username = 'staff' AND p.codename = 'view_roomwithrelatedobjsrebuildinapp'"
    )

    assert manage("migrate", "--noinput").returncode == 0
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.models import Permission, User;"
        "print(User.objects.get(username='staff').has_perm('rooms.view_apptableroom'));"
        "print(Permission.objects.filter(codename__contains='relatedobj').count())",
    )

    assert result.stdout.split() == ["True", "0"], result.stdout + result.stderr


@pytest.mark.slow
def test_a_definition_changed_by_hand_is_named(scratch):
    manage, psql = scratch
    assert manage("migrate", "--noinput").returncode == 0
    psql(OLDER_REFRESH)  # someone "fixed" it in pgAdmin
    psql("DROP TRIGGER pgtrigger_capture_insert_fcca5 ON rooms_bed")
    # Switched off, or gone: the view's and the app table's changes are no longer applied.
    psql("ALTER TABLE rooms_bed DISABLE TRIGGER pgtrigger_capture_update_f22e2")
    psql("ALTER TABLE rooms_view_change DISABLE TRIGGER rooms_apply_view_change")
    psql("DROP TRIGGER rooms_apply_pending_changes ON rooms_pending_change")

    result = manage("installed_sql")
    assert result.returncode == 1
    assert "OUTDATED    function rooms_refresh_view(boolean)" in result.stdout
    assert "UNINSTALLED trigger pgtrigger_capture_insert_fcca5 on rooms_bed" in result.stdout
    assert "DISABLED    trigger pgtrigger_capture_update_f22e2 on rooms_bed" in result.stdout
    assert "DISABLED    trigger rooms_apply_view_change on rooms_view_change" in result.stdout
    dropped = "UNINSTALLED trigger rooms_apply_pending_changes on rooms_pending_change"
    assert dropped in result.stdout

    result = manage("check_rooms_cache")
    assert result.returncode == 1
    assert "installed SQL: OUTDATED    function rooms_refresh_view(boolean)" in result.stdout

    result = manage("check", "--database", "default")
    assert "rooms.W001" in result.stderr + result.stdout
    assert "function rooms_refresh_view(boolean) is OUTDATED" in result.stderr + result.stdout

    printed = manage("installed_sql", "--migration")
    assert "CREATE OR REPLACE FUNCTION rooms_refresh_view" in printed.stdout
    # The operations it prints put back what they name: the SQL objects and commit triggers
    # (the capture triggers are makemigrations' to write).
    for statements in re.findall(r'"""(.*?)"""', printed.stdout, re.DOTALL):
        psql(statements)
    result = manage("installed_sql")
    assert "INSTALLED   function rooms_refresh_view(boolean)" in result.stdout
    assert "INSTALLED   trigger rooms_apply_view_change on rooms_view_change" in result.stdout
    restored = "INSTALLED   trigger rooms_apply_pending_changes on rooms_pending_change"
    assert restored in result.stdout
