# Two commands do the whole set-up: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test install install-dev lock migrate seed worker beat serve gunicorn lint messages collectstatic backup restore bench clean

$(BIN)/python:
	@$(PYTHON) -c "import sys; assert sys.version_info[:2] >= (3, 11), sys.version" || { echo "Serve Python 3.11 o successivo"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The portal's packages, pinned with their hashes in requirements.txt. Reinstalled only when that file
# changes, so `make run` is quick the second time.
$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $(STAMP)

# Tests and tooling on top: requirements-dev.txt pins everything in requirements.txt at the same versions.
$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

# Deliberately recompile the pinned files after editing requirements.in or requirements-dev.in: every pin that
# still fits is kept. `make lock LOCK_ARGS=--upgrade` moves everything to the newest releases,
# `LOCK_ARGS="--upgrade-package django"` just one package.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --strip-extras \
	--allow-unsafe --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: $(DEV_STAMP)
	$(PIP_COMPILE) --output-file=requirements.txt requirements.in
	$(PIP_COMPILE) --output-file=requirements-dev.txt requirements-dev.in

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_municipalities
	$(BIN)/python manage.py seed_demo

run: seed
	$(BIN)/python manage.py runserver 0.0.0.0:$(PORT)

# A real Celery worker (needs REDIS_URL; with DATABASE_URL for PostgreSQL).
worker: install
	$(BIN)/celery -A psm_portal worker --loglevel=INFO --concurrency=2

# The periodic tasks (CELERY_BEAT_SCHEDULE in settings: the worker's heartbeat, …). One beat for the whole site;
# its schedule file lives in VAR_DIR.
beat: install
	mkdir -p $${VAR_DIR:-var}
	$(BIN)/celery -A psm_portal beat --loglevel=INFO

gunicorn: install
	$(BIN)/gunicorn psm_portal.wsgi --bind 0.0.0.0:$(PORT) --workers 3 --access-logfile -

collectstatic: install
	$(BIN)/python manage.py collectstatic --noinput

lint: install-dev
	$(BIN)/ruff check .

# Backup of the database and of the uploaded files (django-dbbackup) to BACKUP_DIR or the bucket, keeping the
# newest BACKUP_KEEP of each; README "Backup and restore".
backup: install
	$(BIN)/python manage.py dbbackup --compress --clean --noinput
	$(BIN)/python manage.py mediabackup --compress --clean --noinput

# Restore the newest backups (or DB_BACKUP=<file> MEDIA_BACKUP=<file>, names from `manage.py listbackups`); it asks
# before overwriting: RESTORE_ARGS=--noinput to skip the questions.
restore: install
	$(BIN)/python manage.py dbrestore --uncompress $(RESTORE_ARGS) $(if $(DB_BACKUP),--input-filename=$(DB_BACKUP))
	$(BIN)/python manage.py mediarestore --uncompress --replace $(RESTORE_ARGS) $(if $(MEDIA_BACKUP),--input-filename=$(MEDIA_BACKUP))

# Italian is the source language: its catalogue repeats every msgid (msgen, from gettext);
# the English one is translated by hand. Needs Debian's gettext.
messages: install
	rm -f locale/it/LC_MESSAGES/django.po
	$(BIN)/python manage.py makemessages -l it -l en --ignore=.venv --ignore=staticfiles --ignore=var --ignore=tests --ignore=bench --no-location --no-obsolete
	msgen --no-wrap locale/it/LC_MESSAGES/django.po -o locale/it/LC_MESSAGES/django.po
	sed -i "0,/^#, fuzzy$$/{/^#, fuzzy$$/d}" locale/it/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages --ignore=.venv

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Speed and memory figures; each script prints its own and says which targets it met.
# bench/questionnaire.py uses PostgreSQL and Redis on 127.0.0.1 and starts its own gunicorn there.
bench: install-dev
	$(BIN)/python bench/import.py
	$(BIN)/python bench/uploads.py
	$(BIN)/python bench/phases_pages.py
	$(BIN)/python bench/implementation.py
	$(BIN)/python bench/plan_pdf.py
	$(BIN)/python bench/questionnaire.py

clean:
	rm -rf $(VENV) var staticfiles
