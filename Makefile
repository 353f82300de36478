# Two commands: `make run` serves the API with demo data, `make test` runs the suite.
# Both use $DATABASE_URL when set, otherwise an embedded PostgreSQL under .pgdata/.

PYTHON ?= python3
VENV := .venv
PY := $(CURDIR)/$(VENV)/bin/python
WITH_DB := $(PY) app/with_database.py --
MANAGE := $(PY) app/manage.py

.PHONY: run test venv lint format diagram clean compose-images compose-test

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# make run starts the refresher worker, so the view is refreshed by it
# (deferred): no API write ever waits for a full refresh of a large table.
# `make run REPLICAS=N` also runs N streaming replicas of the database on this
# machine, and serves the read paths from them (docs/replicas.md).
REPLICAS ?= 0
run: venv
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} ROOMS_VIEW_REFRESH=$${ROOMS_VIEW_REFRESH-deferred} \
		$(PY) app/with_database.py --replicas $(REPLICAS) -- $(PY) app/run_local.py

test: venv
	$(WITH_DB) $(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The base images docker-compose.yml and the Dockerfile pin: pulled where a registry can
# be reached, otherwise built locally from Debian's packages under the same names
# (docker/standins/README.md). Needs a running Docker engine.
compose-images:
	bash docker/standins/build.sh

# The compose stack end to end on a real Docker engine (started, and Debian's docker.io
# installed, when there is none): up --build --wait with a throwaway .env, the suite in
# docker/e2e/ from outside, then down --volumes.
compose-test:
	bash docker/e2e/run.sh

# Redraws misc/db_diagram.png from the models (needs Graphviz's `dot`: apt-get install graphviz).
# No database is opened; the two settings the app insists on get placeholders.
diagram: venv
	DATABASE_URL=$${DATABASE_URL-postgres://unused/unused} DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY-diagram} \
		$(MANAGE) draw_db_diagram --output misc/db_diagram.png

clean:
	rm -rf $(VENV) .pgdata .pytest_cache .hypothesis
