# make demo / make test: build .venv with this machine's Python if missing or stale, then run.
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lab present bench lint clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "workbook needs Python 3.11 or newer; set PYTHON=python3.11")'
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -e '.[test]'
	$(VPY) -m ipykernel install --sys-prefix --name workbook --display-name "Python (workbook)" >/dev/null
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/workbook demo

test: $(STAMP)
	$(VPY) -m pytest -q

# The notebooks' kernelspec `python3` resolves to this .venv's Python: JupyterLab runs from .venv,
# prefers the environment's kernelspecs over user-wide ones, and launches "python" as its own interpreter.
lab: $(STAMP)
	JUPYTER_PREFER_ENV_PATH=1 $(VENV)/bin/jupyter lab notebooks/

# The what-if explorer for a room: Voila on localhost, no code (make present ENGAGEMENT=client_data/acme PORT=8870)
ENGAGEMENT ?= client_data/demo
present: $(STAMP)
	$(VENV)/bin/workbook present $(ENGAGEMENT) $(if $(PORT),--port $(PORT))

bench: $(STAMP)
	$(VPY) benchmarks/run_benchmarks.py

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) deliverables .pytest_cache
