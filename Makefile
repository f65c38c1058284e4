# Sentra — the two Quick start commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# pyenv picks 3.12 from .python-version; plain python3.12 where there is no pyenv.
PYTHON_BOOT ?= $(shell command -v pyenv >/dev/null 2>&1 && echo "pyenv exec python" || echo python3.12)

.PHONY: setup demo serve test check types lint system-deps

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Sets up, loads the synthetic demo data (SQLite) and serves http://127.0.0.1:8000
demo: setup
	mkdir -p var
	$(PY) manage.py migrate --no-input -v0
	SENTRA_DEMO=1 $(PY) manage.py demo_data --if-empty
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# Browser tests need Debian's chromium (never a downloaded browser).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Pasang chromium dulu: sudo apt-get install chromium" >&2; exit 1; fi; }

# Sets up and runs every test (SQLite unless DATABASE_URL points elsewhere).
test: setup system-deps
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest -q -n 2 -W error::RuntimeWarning

# The quick loop: lint, types, migrations and every test except the browser ones.
check: setup
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest -q -n 2 -W error::RuntimeWarning -m "not browser"

# mypy with django-stubs (configured in pyproject.toml: strict where it says so).
types: setup
	$(PY) -m mypy

lint:
	$(PY) -m ruff check . && $(PY) -m ruff format --check .
