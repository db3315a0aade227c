# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export PYTHONDONTWRITEBYTECODE := 1
PORT ?= 8000
# uv from PATH, else the pip-installed module (installed on first use by the uv-check step).
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
VENDOR := yuanqu/static/vendor
# Type-checked strictly (pyproject's [tool.mypy] overrides): where modules meet. Modules they
# import are read for their types (--follow-imports=silent) but their own errors not reported.
MYPY_TARGETS := yuanqu/accounts yuanqu/core $(filter-out yuanqu/accounts/% yuanqu/core/%,$(wildcard yuanqu/*/services.py yuanqu/*/selectors.py))

.PHONY: .uv-check bootstrap demo test lint format serve assets clean screenshots

# uv (installed with pip when missing) → Python deps from uv.lock → npm assets copied into static.
bootstrap: .venv/.synced $(VENDOR)/echarts.min.js $(VENDOR)/htmx.min.js

.uv-check:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv || python3 -m pip install --quiet --user uv

.venv/.synced: pyproject.toml uv.lock | .uv-check
	$(UV) sync --locked --quiet
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/echarts.min.js: node_modules/.package-lock.json
	@mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $@

$(VENDOR)/htmx.min.js: node_modules/.package-lock.json
	@mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

assets: $(VENDOR)/echarts.min.js $(VENDOR)/htmx.min.js

demo: bootstrap
	PORT=$(PORT) $(UV) run --locked yuanqu demo --port $(PORT)

serve: bootstrap
	$(UV) run --locked yuanqu serve --port $(PORT)

lint: bootstrap
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .
	$(UV) run --locked python manage.py makemigrations --check --dry-run
	$(UV) run --locked mypy --follow-imports=silent $(MYPY_TARGETS)

test: lint
	$(UV) run --locked pytest -n 2 -p no:cacheprovider

# PNGs of the cockpit, the city view, the big screens and every module's page, from the demo in
# its own database under var/screenshots/, served and shot with Chromium (scripts/screenshots.py).
screenshots: bootstrap
	$(UV) run --locked python scripts/screenshots.py

format: bootstrap
	$(UV) run --locked ruff format .
	$(UV) run --locked ruff check --fix .

clean:
	rm -rf .venv node_modules $(VENDOR) var/static
