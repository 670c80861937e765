"""Finding, executing (papermill) and exporting (nbconvert) the analysis notebooks."""

from __future__ import annotations

import errno
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from workbook.errors import NotebookFailure, UnknownNotebook

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
# a file the run writes could not be written (disk full, read-only): the runner says so, not "kernel"
WRITE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, getattr(errno, "EDQUOT", errno.ENOSPC)}


def notebooks_dir() -> Path:
    """The analysis notebooks: $WORKBOOK_NOTEBOOKS, else the repository's notebooks/ folder."""
    configured = os.environ.get("WORKBOOK_NOTEBOOKS")
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(__file__).resolve().parents[3] / "notebooks"


def find_notebooks(only: list[str] | None = None) -> list[Path]:
    folder = notebooks_dir()
    found = sorted(folder.glob(NOTEBOOK_GLOB))
    if not found:
        raise FileNotFoundError(f"no analysis notebooks found in {folder}")
    if not only:
        return found
    chosen = []
    for wanted in only:
        key = wanted.removesuffix(".ipynb")
        matches = [nb for nb in found if nb.stem == key or nb.stem.startswith(key) or nb.stem[3:] == key]
        if not matches:
            names = ", ".join(nb.stem for nb in found)
            raise UnknownNotebook(f"no notebook matches '{wanted}'; available: {names}")
        chosen.extend(m for m in matches if m not in chosen)
    return sorted(chosen)


def execute(notebook: Path, output: Path, parameters: dict, kernel: str, cell_timeout: int,
            deadline: float, shared=None) -> float | None:
    """Run one notebook with papermill; returns kernel start-up seconds. Retries once if the kernel
    fails to start; raises NotebookFailure otherwise. `shared` is an EngagementKernel whose kernel
    the notebook runs on (None: a fresh kernel)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from workbook.run.kernel import kernel_manager_class

    def timeout_for(cell) -> int:
        remaining = int(deadline - time.monotonic())
        if remaining <= 0:
            return 1
        return max(1, min(cell_timeout, remaining))

    for attempt in (1, 2):
        if time.monotonic() >= deadline:
            raise NotebookFailure(notebook.stem, "timeout", "RunTimeout",
                                  "the whole-run time limit was reached before this notebook started")
        started = time.perf_counter()
        km = shared.for_notebook() if shared is not None else None
        options = {"km": km} if km is not None else {"kernel_manager_class": kernel_manager_class()}
        try:
            pm.execute_notebook(str(notebook), str(output), parameters=parameters, kernel_name=kernel,
                                progress_bar=False, log_output=False, start_timeout=60,
                                request_save_on_cell_execute=False, timeout_func=timeout_for, **options)
            return _kernel_start_seconds(output, started)
        except PapermillExecutionError as exc:
            raise NotebookFailure(notebook.stem, "error", exc.ename, str(exc.evalue),
                                  exc.exec_count, "\n".join(exc.traceback)) from None
        except Exception as exc:  # nbclient timeouts, dead kernels, start-up failures
            name = type(exc).__name__
            if shared is not None:
                shared.discard()   # never reuse a kernel that timed out or died
            if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
                if not exc.filename:   # the executed copy could not be written: not the kernel's fault
                    exc.filename = str(output)
                raise
            if "Timeout" in name and _cells_started(output):
                raise NotebookFailure(notebook.stem, "timeout", "CellTimeoutError",
                                      f"a cell ran longer than its time limit ({cell_timeout} s per cell, "
                                      "or the whole-run limit)") from None
            if attempt == 1 and not _cells_started(output):
                continue  # the kernel did not start: one retry
            raise NotebookFailure(notebook.stem, "kernel", name, str(exc).strip().splitlines()[0]
                                  if str(exc).strip() else name) from None
    return None  # pragma: no cover - the loop always returns or raises


def _cells_started(output: Path) -> bool:
    import nbformat

    if not output.exists():
        return False
    try:
        nb = nbformat.read(str(output), as_version=4)
    except Exception:
        return False
    return any(c.get("metadata", {}).get("papermill", {}).get("start_time") for c in nb.cells)


def _kernel_start_seconds(output: Path, started: float) -> float | None:
    """Time from papermill start to the first cell starting: kernel start-up plus injection."""
    import datetime as dt

    import nbformat

    nb = nbformat.read(str(output), as_version=4)
    run_start = nb.metadata.get("papermill", {}).get("start_time")
    first = next((c.metadata.get("papermill", {}).get("start_time") for c in nb.cells
                  if c.metadata.get("papermill", {}).get("start_time")), None)
    if not run_start or not first:
        return None
    delta = dt.datetime.fromisoformat(first) - dt.datetime.fromisoformat(run_start)
    return round(delta.total_seconds(), 3)


# The report-mode page: the lab template's structure without JupyterLab's stylesheet or scripts
# (require.js, MathJax, mermaid: the outputs need none, and a shared file then opens offline), with
# a small stylesheet of its own: a readable body font, a page width, left-aligned text, tables with
# numbers at the right (tables from pipeline.table set their text columns at the left). Printed
# text, should a notebook print, reads as paragraphs; warnings (stderr) stay in the full HTML.
REPORT_CSS = """
body { margin: 0; background: #fff; color: #1f2933; font-size: 16px; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 32px 24px 64px; text-align: left; }
h1 { font-size: 28px; line-height: 1.25; margin: 0 0 12px; color: #0b2545; }
h2 { font-size: 21px; line-height: 1.3; margin: 40px 0 8px; padding-top: 20px; color: #0b2545;
  border-top: 1px solid #d9e2ec; }
p, li { max-width: 80ch; }
p { margin: 0 0 10px; }
a.anchor-link, .jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser { display: none; }
.jp-OutputArea-child { margin: 14px 0; }
.jp-OutputArea-output { overflow-x: auto; }
table { border-collapse: collapse; font-size: 14px; line-height: 1.35; margin: 4px 0;
  font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; text-align: right; vertical-align: top; border-bottom: 1px solid #e4e7eb; }
thead th { background: #f0f4f8; color: #243b53; font-weight: 600; vertical-align: bottom;
  border-bottom: 2px solid #9fb3c8; }
tbody tr:nth-child(even) { background: #f8fafc; }
caption { caption-side: bottom; text-align: left; color: #52606d; font-size: 13px; padding-top: 6px; }
img { max-width: 100%; height: auto; }
.workbook-text p { white-space: pre-line; }
pre { font-family: inherit; white-space: pre-wrap; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } }
"""

REPORT_TEMPLATE = "workbook_report.html.j2"
_REPORT_TEMPLATE_TEXT = """{%- extends 'index.html.j2' -%}
{%- block html_head -%}
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{{ nb.metadata.get('title', resources['metadata']['name']) | escape_html_keep_quotes }}</title>
<style type="text/css">{% raw %}""" + REPORT_CSS + """{% endraw %}</style>
{%- endblock html_head -%}
{%- block body_header -%}<body class="workbook-report">
<main>
{%- endblock body_header -%}
{% block stream_stdout -%}
<div class="jp-OutputArea-output workbook-text">
{%- for paragraph in (output.text | strip_ansi).strip().split('\\n\\n') %}<p>{{ paragraph | e }}</p>{% endfor -%}
</div>
{%- endblock stream_stdout %}
{% block stream_stderr -%}{%- endblock stream_stderr %}
"""


@dataclass
class _Exporters:
    full: object
    report: object


_EXPORTERS: _Exporters | None = None


def _exporters() -> _Exporters:
    """Built once per process and reused: each exporter compiles its template on first use."""
    global _EXPORTERS
    if _EXPORTERS is None:
        from jinja2 import DictLoader
        from nbconvert import HTMLExporter

        report = HTMLExporter(extra_loaders=[DictLoader({REPORT_TEMPLATE: _REPORT_TEMPLATE_TEXT})],
                              template_file=REPORT_TEMPLATE)
        report.exclude_input = True
        report.exclude_input_prompt = True
        report.exclude_output_prompt = True
        _EXPORTERS = _Exporters(HTMLExporter(), report)
    return _EXPORTERS


def warm_exporters() -> None:
    """Both exporters built and every part of them an engagement's notebook uses made ready, on a
    small notebook with one of each kind of cell and output (templates compiled, the Python lexer,
    the markdown renderer, the HTML sanitiser and the page's selectors): a batch's fork server does
    this once, so no engagement's worker pays it (~1 s of imports and templates, and ~0.3 s more
    that an empty notebook left to the first real one)."""
    exporters = _exporters()
    sample = _sample_notebook()
    exporters.full.from_notebook_node(sample)
    exporters.report.from_notebook_node(sample)


def _sample_notebook():
    from nbformat import v4

    pixel = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYAAAAAMAAWgmWQ0AAAAASUVORK5CYII=")
    notebook = v4.new_notebook(metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    notebook.cells = [
        v4.new_markdown_cell("# Section\n\nSome **bold** text, a [link](https://example.com), a list:\n\n"
                             "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
        v4.new_code_cell("from workbook import pipeline\nvalue = pipeline  # a comment\nvalue", outputs=[
            v4.new_output("stream", name="stdout", text="a paragraph\n\nanother"),
            v4.new_output("display_data", data={"text/plain": "table", "text/html":
                          "<table><tr><td style='color: red'>1</td></tr></table>"}),
            v4.new_output("display_data", data={"text/plain": "<Figure>", "image/png": pixel}),
            v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=1),
        ]),
    ]
    return notebook


def page_title(nb, executed: Path) -> str:
    """"<Client> — <section>": the engagement's client (engagement.yaml of the engagement the
    notebook ran on) and the notebook's first heading without its number ("03 · Coaching gaps" ->
    "Coaching gaps"); the section alone when the client cannot be read."""
    heading = next((line[2:].strip() for cell in nb.cells if cell.cell_type == "markdown"
                    for line in cell.source.splitlines() if line.startswith("# ")), "")
    section = re.sub(r"^\d+\s*[·.:\-–—]\s*", "", heading) or \
        re.sub(r"^\d+_", "", executed.stem).replace("_", " ").capitalize()
    client = _client(nb)
    return f"{client} — {section}" if client else section


def _client(nb) -> str:
    from workbook.engagement.config import load_engagement

    folder = nb.metadata.get("papermill", {}).get("parameters", {}).get("engagement_dir")
    if not folder:
        return ""
    try:
        return load_engagement(folder).client
    except Exception:   # a title is not worth failing an export for
        return ""


def export_html(executed: Path) -> tuple[Path, Path]:
    """Full HTML (code and output) and a report-mode HTML (outputs only, the report's own
    stylesheet) beside the notebook, both titled "<Client> — <section>"."""
    import nbformat

    exporters = _exporters()
    nb = nbformat.read(str(executed), as_version=4)
    nb.metadata["title"] = page_title(nb, executed)
    full_path = executed.with_suffix(".html")
    report_path = executed.with_suffix(".report.html")
    body, _ = exporters.full.from_notebook_node(nb)
    full_path.write_text(body, encoding="utf-8")
    body, _ = exporters.report.from_notebook_node(nb)
    report_path.write_text(body, encoding="utf-8")
    return full_path, report_path
