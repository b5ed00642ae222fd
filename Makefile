# The only commands a newcomer needs: make lab, make test, make report.
# Setup is shared: the first run creates .venv and installs the project with its notebook
# and map and scale (Dask) extras; later runs reinstall only when the content of pyproject.toml
# changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KERNEL := iraq-escalation
HASH := $(shell $(PYTHON) -c "import hashlib,pathlib;print(hashlib.sha256(pathlib.Path('pyproject.toml').read_bytes()).hexdigest()[:16])")
STAMP := $(VENV)/.installed-$(HASH)
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: setup lab test report lint format clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebooks,maps,scale]"
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (iraq-escalation)" >/dev/null
	@rm -f $(VENV)/.installed-*
	@touch $@

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_FLAGS)

# tests/, the notebooks (nbval) and the Examples of the docstrings in toolkit/ (doctests)
test: setup
	$(BIN)/python -m pytest tests notebooks toolkit --doctest-modules $(NBVAL)

# The classic template writes each figure's alternative text (toolkit.show) into its <img alt>;
# the lab template ignores it.
report: setup
	@mkdir -p build
	$(BIN)/jupyter nbconvert --to html --template classic --execute --ExecutePreprocessor.kernel_name=$(KERNEL) --output-dir build notebooks/*.ipynb

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
