# Route 2035: `make run` starts the demo, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
CHROMIUM := /usr/bin/chromium
TEST_WORKERS ?= 2

.PHONY: run test audit lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

# Running needs only the app's dependencies; the tests add their tools on top.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(TEST_STAMP)

# The PDF of the regional plan (WeasyPrint) needs pango and fonts from Debian; nothing is
# fetched at render time. Installed with apt-get when root, as chromium for the tests.
PDF_PACKAGES := fonts-dejavu-core fonts-liberation libpango-1.0-0 libpangoft2-1.0-0
define install_pdf_packages
	@if ! fc-list 2>/dev/null | grep -qi dejavu || ! ldconfig -p 2>/dev/null | grep -q libpangoft2 \
	  || { [ -n "$(strip $(1))" ] && ! command -v pdftoppm >/dev/null; }; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Fonts of pango voor de pdf ontbreken: installeren met apt-get."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) $(1) >/dev/null) \
	      || echo "Installeren van $(PDF_PACKAGES) mislukt."; \
	  else \
	    echo "LET OP: de pdf van het regioplan heeft $(PDF_PACKAGES) nodig (geen root: niet geïnstalleerd)."; \
	  fi; \
	fi
endef

# The demo runs with DEBUG off (config/settings_demo.py): the app's own Dutch error pages.
# One task worker runs in the background next to the server (PDFs, the deadline e-mail);
# the trap stops it when the server stops.
run: $(RUN_STAMP)
	$(call install_pdf_packages)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Route 2035 draait op http://127.0.0.1:8000"
	@echo "Demo-logins (wachtwoord: demo): coordinator, begeleider, schoolleider, manager, beheerder"
	@$(BIN)/python manage.py db_worker --settings=config.settings_demo & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:8000 --settings=config.settings_demo

test: $(TEST_STAMP)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Chromium ontbreekt: installeren met apt-get (voor de browsertests)."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Installeren van chromium mislukt."; \
	  fi; \
	fi
	$(call install_pdf_packages,poppler-utils)
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "LET OP: browsertests worden overgeslagen: $(CHROMIUM) ontbreekt en kan niet worden geïnstalleerd (geen root)."; \
	fi
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings_check
	$(BIN)/djlint --check templates
	$(BIN)/djlint --lint templates
	# Two sessions: the live-server browser tests flush the database between tests, so
	# they run on their own and leave the rest of the suite its migration-loaded content.
	# The non-browser tests run on both cores (pytest-xdist: a test database per worker).
	$(BIN)/pytest -m "not browser" -n $(TEST_WORKERS) $(PYTEST_ARGS)
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

# Known vulnerabilities in the packages installed in the venv (pip-audit against PyPI's
# advisory data; the project itself is skipped): a vulnerable package fails. Packages that
# could not be looked up are listed; AUDIT_REQUIRED=1 fails on those too (.ci/audit.py).
audit: $(TEST_STAMP)
	$(BIN)/python .ci/audit.py

lint: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint --reformat templates

messages: $(RUN_STAMP)
	cd $(CURDIR) && DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete -i ".venv/*"
	DEBUG=1 $(BIN)/python manage.py compilemessages -l en -i .venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
