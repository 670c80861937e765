"""The report-mode HTML a client reads: titled "<Client> — <section>", sentences as paragraphs
(no printed output), every table a styled one with text at the left and numbers at the right,
true/false in words, a stylesheet of its own and nothing fetched from the internet."""

from __future__ import annotations

import ast
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from workbook.engagement.config import load_engagement
from workbook.pipeline.display import say, table
from workbook.run import notebooks as run_notebooks
from workbook.run.notebooks import export_html, find_notebooks

NOTEBOOKS = find_notebooks()
# what a number, date, money, percentage, ratio or hours cell reads like ("n/a" and blank too)
NUMBER_LIKE = re.compile(r"^(|n/a|[-+]?[$£€]?[-+]?[\d,]*\.?\d+\s?(%|x|h)?|\d{4}-\d{2}-\d{2})$")


class _Page(HTMLParser):
    """The page's title, <pre> blocks, paragraphs, stylesheets and tables (id, header and cells)."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.pre: list[str] = []
        self.paragraphs: list[str] = []
        self.styles: list[str] = []
        self.tables: list[dict] = []
        self.scripts = 0
        self._open: list[str] = []
        self._text: list[str] = []
        self._cell: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "table":
            self.tables.append({"id": attrs.get("id") or "", "class": attrs.get("class") or "",
                                "rows": [], "caption": ""})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = {"tag": tag, "class": (attrs.get("class") or "").split(), "text": ""}
        if tag in ("title", "pre", "p", "style", "caption"):
            self._open.append(tag)
            self._text.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self._cell["text"] = self._cell["text"].strip()
            self.tables[-1]["rows"][-1].append(self._cell)
            self._cell = None
        if self._open and self._open[-1] == tag:
            self._open.pop()
            text = self._text.pop()
            if tag == "title":
                self.title = text.strip()
            elif tag == "pre":
                self.pre.append(text)
            elif tag == "p":
                self.paragraphs.append(" ".join(text.split()))
            elif tag == "style":
                self.styles.append(text)
            elif tag == "caption" and self.tables:
                self.tables[-1]["caption"] = text.strip()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        if self._text:
            self._text[-1] += data


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _section(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    heading = "".join(cells[0]["source"]).splitlines()[0]
    return re.sub(r"^# \d+ · ", "", heading)


def _left_columns(table_id: str, styles: str) -> set[int]:
    """Columns the table's own stylesheet sets at the left: `#T_x .colN { text-align: left; }`."""
    found = re.findall(r"#" + re.escape(table_id) + r" \.col(\d+) \{\s*text-align: left;", styles)
    return {int(n) for n in found}


def _columns(t: dict) -> list[list[dict]]:
    body = [row for row in t["rows"] if row and all(c["tag"] == "td" for c in row)]
    return [list(cells) for cells in zip(*body, strict=True)] if body else []


@pytest.fixture(scope="module")
def reports(demo_run) -> dict[str, Path]:
    folder = demo_run.run_dir / "notebooks"
    return {nb.stem: folder / f"{nb.stem}.report.html" for nb in NOTEBOOKS}


@pytest.fixture(scope="module")
def client(demo_engagement) -> str:
    return load_engagement(demo_engagement).client


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_page_title_names_the_client_and_the_section(notebook, reports, client):
    expected = f"{client} — {_section(notebook)}"
    assert client == "Northwind Talent Partners"
    assert _page(reports[notebook.stem]).title == expected
    assert _page(reports[notebook.stem].with_suffix("").with_suffix(".html")).title == expected


def test_the_title_drops_the_number_and_falls_back_to_the_file_name(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 03 · Coaching gaps\n\nText.")])
    assert run_notebooks.page_title(nb, tmp_path / "03_coaching_gaps.ipynb") == "Coaching gaps"
    nb.metadata["papermill"] = {"parameters": {"engagement_dir": str(tmp_path / "missing")}}
    assert run_notebooks.page_title(nb, tmp_path / "x.ipynb") == "Coaching gaps"   # no client: section only
    assert run_notebooks.page_title(nbformat.v4.new_notebook(), tmp_path / "00_prepare.ipynb") == "Prepare"


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_sentences_are_paragraphs_not_printed_output(notebook, reports, demo_run, client):
    executed = json.loads((demo_run.run_dir / "notebooks" / notebook.name).read_text(encoding="utf-8"))
    printed = [o for c in executed["cells"] for o in c.get("outputs", [])
               if o["output_type"] == "stream" and o["name"] == "stdout"]
    assert printed == [], f"{notebook.stem} printed: {printed[0]['text'][:120]!r}"
    page = _page(reports[notebook.stem])
    assert page.pre == []
    assert f"{client}: data as of 2026-09-30" in page.paragraphs


@pytest.mark.slow
def test_the_sentences_each_notebook_says_are_in_the_report(reports):
    said = {"01_data_quality": "0 blocking, 5 warnings",
            "02_manager_readiness": "Ready 6 · Developing 5 · Not ready 1",
            "03_coaching_gaps": "of 12 managers are below target",
            "04_compensation_ownership": "Finding: Reinforcement and coaching are owned by a committee",
            "05_programme_impact": "completed 8 · planned 4"}
    for stem, sentence in said.items():
        paragraphs = _page(reports[stem]).paragraphs
        assert any(sentence in p for p in paragraphs), (stem, sentence, paragraphs[:6])


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_table_is_styled_with_text_left_and_no_true_false(notebook, reports):
    html = reports[notebook.stem].read_text(encoding="utf-8")
    page = _page(reports[notebook.stem])
    assert page.tables, f"{notebook.stem}: no table"
    assert 'class="dataframe"' not in html, "a raw pandas table"
    styles = "\n".join(page.styles)
    for t in page.tables:
        assert re.fullmatch(r"T_\w+", t["id"]), f"{notebook.stem}: an unstyled table {t}"
        cells = [c["text"] for row in t["rows"] for c in row]
        assert not {"True", "False", "true", "false"} & set(cells), f"{notebook.stem}: {t['id']}"
        left = _left_columns(t["id"], styles)
        for n, column in enumerate(_columns(t)):
            values = [c["text"] for c in column]
            is_text = any(not NUMBER_LIKE.match(v) for v in values)
            assert (n in left) == is_text, (notebook.stem, t["id"], n, values[:4])


@pytest.mark.slow
def test_the_risk_flag_reads_as_a_word(reports):
    page = _page(reports["04_compensation_ownership"])
    risk = next(t for t in page.tables
                if any(c["text"] == "Change-management risk" and c["tag"] == "th" for row in t["rows"] for c in row))
    header = [c["text"] for c in risk["rows"][0]]
    values = {row[header.index("Change-management risk")]["text"] for row in risk["rows"][1:]}
    assert values <= {"yes", ""} and "yes" in values


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_report_has_its_own_stylesheet_and_no_scripts(notebook, reports):
    page = _page(reports[notebook.stem])
    css = page.styles[0]
    assert "max-width" in css and "font-family" in css and "text-align: left" in css
    assert len(css) < 5_000                 # not JupyterLab's stylesheet (~300 kB a page)
    assert page.scripts == 0    # no require.js, MathJax or mermaid: the file opens offline
    assert reports[notebook.stem].stat().st_size < 250_000


@pytest.mark.slow
def test_long_tables_say_so_in_their_caption(reports):
    page = _page(reports["03_coaching_gaps"])
    captions = [t["caption"] for t in page.tables if t["caption"]]
    assert captions == ["The first 10 of 12 rows (all are in the workbook and the results CSVs)."]


@pytest.mark.slow
def test_exporters_are_built_once_and_reused(demo_run, tmp_path):
    import shutil

    copy = tmp_path / "01_data_quality.ipynb"
    shutil.copy(demo_run.run_dir / "notebooks" / copy.name, copy)
    export_html(copy)
    first = run_notebooks._EXPORTERS
    export_html(copy)
    assert run_notebooks._EXPORTERS is first and first is not None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_say_their_sentences_rather_than_print_them(path):
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            calls = {node.func.id for node in ast.walk(ast.parse("".join(cell["source"])))
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
            assert "print" not in calls, f"{path.name}: print(...) in a report cell: use say(...)"


def test_say_prints_plain_text_outside_a_notebook(capsys):
    say("**Finding:** one & <two>", "Second.", points=["a", "b"])
    assert capsys.readouterr().out == "Finding: one & <two>\n\nSecond.\n\n- a\n- b\n"


def test_say_displays_escaped_paragraphs_in_a_notebook(monkeypatch):
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda data, raw: shown.append(data))
    say("**Finding:** one & <two>", points=["a"])
    assert shown == [{"text/html": '<div class="workbook-say"><p><strong>Finding:</strong> one &amp; &lt;two&gt;'
                                   "</p><ul><li>a</li></ul></div>",
                      "text/plain": "Finding: one & <two>\n\n- a"}]


def test_true_false_columns_read_yes_and_no():
    frame = pd.DataFrame({"manager_name": ["A", "B"], "on_track": [True, False], "risk_flag": [True, False]})
    html = table(frame, ["manager_name", "on_track", "risk_flag"]).to_html()
    assert ">yes<" in html and ">no<" in html and "True" not in html and "False" not in html
    assert re.search(r"#T_\w+ \.col1 \{\s*text-align: left;", html)
