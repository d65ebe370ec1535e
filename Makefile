# pvb-ledger: `make run` serves the demo ledger; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Pinned with nhsuk-frontend-jinja 0.10.2 in setup.cfg (the pair must match).
NHSUK_FRONTEND_VERSION := 10.6.1
SWAGGER_UI_VERSION := 5.35.0
STATIC := web/static
# The last number is this recipe's own revision: bump it when the recipe changes, so checkouts fetch again.
ASSETS_STAMP := $(STATIC)/nhsuk/.version-$(NHSUK_FRONTEND_VERSION)-$(SWAGGER_UI_VERSION)-2

.PHONY: run test lint assets clean bench

run: $(VENV)/.run-installed $(ASSETS_STAMP)
	@mkdir -p var
	$(BIN)/pvb init
	$(BIN)/pvb demo --if-empty
	$(BIN)/pvb serve --host 127.0.0.1 --port 5000

test: $(VENV)/.test-installed $(ASSETS_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/mypy

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: $(VENV)/bin/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[postgres]'
	@touch $@

$(VENV)/.test-installed: $(VENV)/bin/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[postgres,test]'
	@touch $@ $(VENV)/.run-installed

# The NHS.UK frontend's compiled CSS/JS and Swagger UI come from the npm registry, pinned,
# and are served locally so that no page makes an outside request. They are not committed.
assets: $(ASSETS_STAMP)

$(ASSETS_STAMP):
	@command -v npm >/dev/null || { echo "npm is needed once to fetch the NHS.UK frontend assets (apt-get install npm)"; exit 1; }
	@rm -rf $(STATIC)/nhsuk $(STATIC)/swagger-ui .assets-tmp && mkdir -p .assets-tmp $(STATIC)/swagger-ui
	cd .assets-tmp && npm pack --silent nhsuk-frontend@$(NHSUK_FRONTEND_VERSION) swagger-ui-dist@$(SWAGGER_UI_VERSION) >/dev/null
	cd .assets-tmp && tar xzf nhsuk-frontend-$(NHSUK_FRONTEND_VERSION).tgz && mv package nhsuk && tar xzf swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz
	cp -r .assets-tmp/nhsuk/dist/nhsuk $(STATIC)/nhsuk
	@# The Frutiger web fonts are licensed and only on assets.nhs.uk: drop their @font-face rules
	@# so pages make no outside request; the NHS font stack falls back to Arial.
	sed -i -E 's/@font-face\{[^}]*\}//g' $(STATIC)/nhsuk/nhsuk-frontend.min.css
	@# Its icons are referenced at /assets/...; they are served from $(STATIC)/nhsuk/assets.
	sed -i -E 's#url\(/assets/#url(/static/nhsuk/assets/#g' $(STATIC)/nhsuk/nhsuk-frontend.min.css
	cp .assets-tmp/package/swagger-ui.css .assets-tmp/package/swagger-ui-bundle.js $(STATIC)/swagger-ui/
	@rm -rf .assets-tmp
	@touch $@

bench: $(VENV)/.test-installed
	@echo "see bench/README.md for each benchmark's command"

clean:
	rm -rf $(VENV) $(STATIC)/nhsuk $(STATIC)/swagger-ui .assets-tmp
