# sellerflow: `make run` starts a sandbox with demo data (PORT=8000 and SELLERFLOW_DB may be
# given: `make run PORT=8080 SELLERFLOW_DB=sqlite:///./other.db`); `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
export SELLERFLOW_DB ?= sqlite:///./sellerflow.db
PORT ?= 8000

.PHONY: install run test bench lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[postgresql,dev]"
	@# Compiled now, as a wheel install would: every command then starts from bytecode, also
	@# where PYTHONDONTWRITEBYTECODE is set.
	$(BIN)/python -m compileall -q src
	@touch $(STAMP)

install: $(STAMP)

# What running needs (no test or lint tools); `make install` or `make test` add those.
$(RUN_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[postgresql]"
	$(BIN)/python -m compileall -q src
	@touch $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/sellerflow init --sandbox
	$(BIN)/sellerflow demo --if-empty
	$(BIN)/sellerflow serve --port $(PORT)

test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=15

bench: install
	$(BIN)/python -m compileall -q src
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/placement.py
	$(BIN)/python bench/upload.py
	$(BIN)/python bench/http_api.py
	$(BIN)/python bench/console.py
	$(BIN)/python bench/label_purchase.py
	$(BIN)/python bench/classroom.py
	$(BIN)/python bench/sweep.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/notifications.py
	$(BIN)/python bench/processes.py
	$(BIN)/python bench/soak.py

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache .mypy_cache
