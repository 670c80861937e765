"""Every analysis notebook is thin and runnable the same way: a cheap check over NN_*.ipynb.

Like notebooker's template sanity test: the parameters cell is tagged and holds engagement_dir and
output_dir, nothing is committed with outputs, code imports only from workbook.pipeline, and no code
cell grows into logic a test cannot reach (it belongs in the package).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from workbook.run.notebooks import find_notebooks, notebooks_dir

MAX_CODE_LINES = 12          # a section: one call, its table or chart, a sentence
ALLOWED_IMPORTS = ("workbook.pipeline", "workbook")   # `from workbook import pipeline`
NOTEBOOKS = find_notebooks()


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def test_the_run_finds_the_five_analysis_notebooks_in_order():
    assert [p.name for p in NOTEBOOKS] == ["01_data_quality.ipynb", "02_manager_readiness.ipynb",
                                           "03_coaching_gaps.ipynb", "04_compensation_ownership.ipynb",
                                           "05_programme_impact.ipynb"]
    assert (notebooks_dir() / "what_if_explorer.ipynb").is_file()   # interactive: not part of a run


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_tagged_and_first_code_cell(path):
    code = [c for c in _cells(path) if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", []), "the first code cell must be tagged"
    assigned = {t.id for node in ast.parse(_source(code[0])).body if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)}
    assert assigned == {"engagement_dir", "output_dir"}
    assert sum("parameters" in c["metadata"].get("tags", []) for c in code) == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_outputs_committed(path):
    for cell in _cells(path):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, _source(cell)[:60]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_imports_only_the_pipeline_and_stays_small(path):
    code = [c for c in _cells(path) if c["cell_type"] == "code"]
    setups = [c for c in code if "pipeline.setup(engagement_dir, output_dir)" in _source(c)]
    assert len(setups) == 1, "one set-up call: analysis = pipeline.setup(engagement_dir, output_dir)"
    for cell in code:
        text = _source(cell)
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                pytest.fail(f"{path.name}: `import {node.names[0].name}`: use workbook.pipeline")
            if isinstance(node, ast.ImportFrom):
                assert node.module in ALLOWED_IMPORTS, f"{path.name}: from {node.module} import ..."
                if node.module == "workbook":
                    assert [a.name for a in node.names] == ["pipeline"]
        lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        assert len(lines) <= MAX_CODE_LINES, f"{path.name}: a {len(lines)}-line cell:\n{text}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_section_has_a_sentence(path):
    cells = _cells(path)
    assert cells[0]["cell_type"] == "markdown" and _source(cells[0]).startswith("# ")
    assert sum(c["cell_type"] == "markdown" for c in cells) >= 3


def test_the_runner_skips_the_iri_grammars_and_notebooks_still_validate():
    """workbook.run keeps jsonschema from building rfc3987_syntax's grammars (~1 s per process); the
    notebooks are still checked against the nbformat schema."""
    import subprocess
    import sys

    code = ("import sys, workbook.run, papermill, nbformat, glob\n"
            "assert sys.modules.get('rfc3987_syntax') is None\n"
            "for path in glob.glob('notebooks/0*.ipynb'):\n"
            "    nbformat.validate(nbformat.read(path, as_version=4))\n"
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=notebooks_dir().parent, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_the_pipeline_package_loads_lazily_and_keeps_its_names():
    """Light imports of the package (columns, results) do not drag in matplotlib; every name the
    notebooks use is still there, functions (not the modules of the same name)."""
    import subprocess
    import sys

    code = ("import sys, workbook.deliverable, workbook.run.runner\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported by the runner'\n"
            "import workbook.pipeline.data_quality, workbook.pipeline.compensation\n"
            "from workbook import pipeline\n"
            "from workbook.pipeline import charts, show\n"
            "assert all(callable(getattr(pipeline, n)) for n in pipeline.__all__ if n != 'charts')\n"
            "assert pipeline.charts is charts and callable(show)\n"
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
