"""Where things are, for tests that read files or run the project's programs."""

from pathlib import Path

#: The repository's root.
REPO_DIR = Path(__file__).resolve().parents[3]
#: The Django project (``manage.py``).
APP_DIR = REPO_DIR / "app"
