"""The run pipeline: real papermill runs, manifest, latest pointer, failures that leave latest alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import openpyxl
import pytest
from engagement_files import roster, write_csv, write_engagement

from workbook.cli import main
from workbook.run.notebooks import find_notebooks, notebooks_dir
from workbook.run.runner import run_engagement

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
INJECTIONS = ['=HYPERLINK("http://evil.example","click")', "+SUM(1,1)", "@cmd", "-2+3"]


def test_demo_run_writes_every_output_the_spec_names(demo_run):
    run_dir = demo_run.run_dir
    assert demo_run.deliverable.exists()
    assert demo_run.deliverable.name.endswith(" - Manager Readiness Assessment.xlsx")
    for nb in find_notebooks(None):
        for suffix in (".ipynb", ".html", ".report.html"):
            assert (run_dir / "notebooks" / (nb.stem + suffix)).exists()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "succeeded"
    assert {r["status"] for r in manifest["notebooks"]} == {"ok"}
    assert all(r["seconds"] > 0 for r in manifest["notebooks"])
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert manifest["versions"]["papermill"] and manifest["versions"]["pandas"]
    assert manifest["parameters"]["engagement_dir"] == str(Path(manifest["engagement_dir"]))
    assert (run_dir / "results" / "data_issues.csv").exists()
    latest = run_dir.parent / "latest"
    assert latest.is_symlink() and latest.resolve() == run_dir.resolve()
    assert (run_dir.parent / "LATEST").read_text().strip() == run_dir.name


def test_notebooks_run_in_this_environments_python(demo_run, tmp_path):
    nb = nbformat.read(demo_run.run_dir / "notebooks" / "01_data_quality.ipynb", as_version=4)
    assert nb.metadata["papermill"]["parameters"]["output_dir"] == str(demo_run.run_dir)
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    nbformat.write(probe, tmp_path / "probe.ipynb")
    from workbook.run.kernel import ensure_kernel
    from workbook.run.notebooks import execute

    execute(tmp_path / "probe.ipynb", tmp_path / "out.ipynb", {}, ensure_kernel(), 60, 10**12)
    ran = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    printed = ran.cells[-1].outputs[0]["text"].strip()
    assert Path(printed).resolve() == Path(sys.executable).resolve()


def test_charts_are_shown_whole_at_their_own_size(demo_run):
    """The toolkit's charts lay themselves out (constrained layout), so a notebook shows each at its
    figure size, drawn once, instead of the inline backend's measured crop: the readiness chart is
    8 x 4 inches at the inline backend's 100 dpi."""
    import base64
    import io

    from PIL import Image

    cells = json.loads((demo_run.run_dir / "notebooks" / "02_manager_readiness.ipynb").read_text())["cells"]
    images = [Image.open(io.BytesIO(base64.b64decode(output["data"]["image/png"])))
              for cell in cells for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]
    assert [image.size for image in images] == [(800, 400)]


def test_a_notebook_runs_with_the_plain_papermill_cli(demo_engagement, tmp_path):
    out = tmp_path / "out.ipynb"
    proc = subprocess.run([sys.executable, "-m", "papermill", str(notebooks_dir() / "01_data_quality.ipynb"),
                           str(out), "-p", "engagement_dir", str(demo_engagement), "-k", "workbook"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    nb = nbformat.read(out, as_version=4)
    outputs = "".join(str(o) for c in nb.cells for o in c.get("outputs", []))
    assert "Rows read" in outputs and "Front-line managers" in outputs


def _small_engagement(folder: Path, people_names=("Mia Manager", "Ron Rep")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    roster(folder, ["person_id,name,manager_id", f'M1,"{people_names[0]}",', f'R1,"{people_names[1]}",M1'])
    quoted = ['"' + text.replace('"', '""') + '"' for text in INJECTIONS]
    write_csv(folder / "deals.csv", ["rep_name,date,amount", f'"{people_names[1]}",2026-01-02,100'] +
              [f"{text},2026-01-03,5" for text in quoted])
    return write_engagement(folder, {"people": "roster.csv", "sales": "deals.csv"}, client="=1+2 Client")


def test_failing_notebook_leaves_latest_untouched_and_reports_the_cell(tmp_path, capsys):
    engagement = _small_engagement(tmp_path / "eng")
    out = tmp_path / "deliverables"
    good = run_engagement(engagement, out, only=None)
    assert good.status == "succeeded"
    bad = run_engagement(engagement, out, extra_parameters={"engagement_dir": str(tmp_path / "missing")})
    assert bad.status == "failed"
    assert bad.failure.ename == "EngagementError" and "no such engagement folder" in bad.failure.evalue
    assert bad.failure.cell is not None
    assert not list(bad.run_dir.glob("*.xlsx")) and not list(bad.run_dir.glob(".*.xlsx"))   # nor a draft
    manifest = json.loads((bad.run_dir / "manifest.json").read_text())
    assert manifest["status"] == "failed" and manifest["failed_at"] == "01_data_quality"
    executed = nbformat.read(bad.run_dir / "notebooks" / "01_data_quality.ipynb", as_version=4)
    assert any(o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", []))
    assert (out / "test" / "LATEST").read_text().strip() == good.run_dir.name
    assert (out / "test" / "latest").resolve() == good.run_dir.resolve()
    from workbook.cli.report import report_run as report

    assert report(bad) == 1
    err = capsys.readouterr().err
    assert "EngagementError" in err and "01_data_quality.ipynb" in err and "left in place" in err


def test_blocking_issues_stop_the_run_before_anything_is_written(tmp_path, capsys):
    folder = tmp_path / "eng"
    roster(folder, ["person_id,name,manager_id", "A,Ann,B", "B,Bob,A"])
    write_engagement(folder, {"people": "roster.csv"})
    out = tmp_path / "deliverables"
    assert main(["run", str(folder), "--out", str(out)]) == 1
    assert not out.exists()
    assert "management cycle" in capsys.readouterr().out


def test_client_text_that_looks_like_a_formula_stays_text(tmp_path):
    engagement = _small_engagement(tmp_path / "eng")
    result = run_engagement(engagement, tmp_path / "deliverables")
    assert result.status == "succeeded"
    book = openpyxl.load_workbook(result.deliverable)
    seen = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(t in cell.value for t in INJECTIONS + ["=1+2 Client"]):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    seen.add(cell.value)
    assert "=1+2 Client" in seen
    assert any("HYPERLINK" in v for v in seen)


def test_only_runs_one_notebook_without_publishing(tmp_path, capsys):
    engagement = _small_engagement(tmp_path / "eng")
    out = tmp_path / "deliverables"
    assert main(["run", str(engagement), "--out", str(out), "--only", "01", "--only", "02",
                 "--fresh-kernels"]) == 0
    manifest = json.loads(next((out / "test").glob("*/manifest.json")).read_text())
    assert [r["notebook"] for r in manifest["notebooks"]] == ["01_data_quality.ipynb",
                                                              "02_manager_readiness.ipynb"]
    assert manifest["status"] == "partial"
    assert not (out / "test" / "LATEST").exists()
    printed = capsys.readouterr().out
    assert "no deliverable written" in printed
    assert printed.index("validating eng (reading and checking every file) ...") < printed.index(
        "  read roster.csv (people): ") < printed.index("validated test")
    assert "  read deals.csv (sales): 5 rows in " in printed
    assert main(["run", str(engagement), "--out", str(out), "--only", "99_nothing"]) == 2


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_demo_deliverable_without_errors(demo_run, tmp_path):
    from libreoffice import recalculate

    recalculated = recalculate(demo_run.deliverable, tmp_path)
    book = openpyxl.load_workbook(recalculated, data_only=True)
    errors = [(ws.title, c.coordinate, c.value) for ws in book.worksheets for row in ws.iter_rows()
              for c in row if c.value in ("#REF!", "#NAME?", "#DIV/0!", "#VALUE!", "#N/A", "#NUM!", "Err:502")]
    assert not errors
