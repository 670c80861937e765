"""The notebooks' own code run in this process, without papermill or a kernel.

Two uses, neither of them a consultant's run: the benchmark's floor (what a run would cost with no
orchestration at all: one cold process that loads the engagement, runs every cell of every notebook
and writes the workbook) and the bad-input campaign (every case validation accepts must get through
the notebooks' code). Parameters are injected as papermill would; each cell's last expression is
displayed as Jupyter would (tables and styled tables rendered to HTML, which is where a Styler
fails), and figures are closed after each cell.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path


def _display(value: object) -> None:
    for method in ("_repr_html_", "to_html"):
        if hasattr(value, method):
            getattr(value, method)()
            return


def run_notebook_code(notebook: Path, engagement_dir: Path, output_dir: Path) -> None:
    """Every code cell of `notebook`, in order, in one namespace; raises what a cell raises."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    namespace: dict = {"display": _display, "__name__": "__main__"}
    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    for cell in cells:
        source = "".join(cell["source"])
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = f"engagement_dir = {str(engagement_dir)!r}\noutput_dir = {str(output_dir)!r}\n"
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, notebook.name, "exec"), namespace)  # noqa: S102 - the toolkit's own notebooks
        if last is not None:
            _display(eval(compile(ast.Expression(last.value), notebook.name, "eval"), namespace))  # noqa: S307
        plt.close("all")


def run_in_process(engagement_dir: Path, output_dir: Path, deliverable: Path) -> Path:
    """Every notebook's code, then the workbook from the results they saved, through the run's own
    deliverable_context (no kernel, no HTML, no manifest written)."""
    from workbook.deliverable import write_deliverable
    from workbook.intake.load import load_engagement_data
    from workbook.run.deliverable_build import deliverable_context
    from workbook.run.manifest import Manifest
    from workbook.run.notebooks import find_notebooks

    for notebook in find_notebooks(None):
        run_notebook_code(notebook, engagement_dir, output_dir)
    data = load_engagement_data(engagement_dir)
    e = data.engagement
    manifest = Manifest(run_id="in-process", engagement=e.name, client=e.client,
                        engagement_dir=str(engagement_dir), started="")
    return write_deliverable(deliverable, deliverable_context(data, output_dir, "in-process", manifest))
