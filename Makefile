# BankDesk: `make run` serves the demo, `make test` runs the tests (SQLite), `make test-pg` on PostgreSQL.
# Python 3.11 (Django 5.2 LTS); python3 where it has no versioned name.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-16)
PG_URL ?= postgres://postgres@127.0.0.1:5432/bankdesk

.PHONY: run test test-pg bench install venv

venv: install

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py serve

test: install
	$(BIN)/python -m pytest -n 2

# BankDesk beside django-helpdesk and the bare-Django ceiling (bench/run.py); SCALE and DATABASE_URL as documented.
bench: install
	command -v wrk >/dev/null || (apt-get install -y wrk || sudo apt-get install -y wrk)
	SCALE=$${SCALE:-100000} $(BIN)/python bench/run.py

test-pg: install
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python -m pytest -n 2
