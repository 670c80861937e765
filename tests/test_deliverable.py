"""The Excel deliverable, checked the way a client's tools read it (openpyxl, LibreOffice)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from libreoffice import recalculate, requires_libreoffice

from workbook.deliverable import deliverable_filename, registry, write_deliverable
from workbook.deliverable.book import FREEZE_MAX_POINTS
from workbook.deliverable.cells import MAX_CELL_CHARS, TRUNCATION_MARKER, sheet_title
from workbook.deliverable.registry import SheetSpec
from workbook.deliverable.sheets.assumptions_sheet import (
    LIVE_SHEET_BY_GROUP,
    NAME_HEADER,
    RERUN_NOTE,
    assumption_cell_refs,
)
from workbook.deliverable.style import currency_format
from workbook.engagement.assumptions import DEFAULTS, build_assumptions
from workbook.intake.issues import ISSUE_COLUMNS

SPEC_ORDER = [
    "Cover", "Contents", "Executive Summary", "Manager Readiness", "Training Plan", "Coaching Gaps",
    "ROI Model", "Compensation", "Ownership", "Data Quality", "Assumptions", "Methodology", "Provenance",
]
TABLE_SHEETS = ["Contents", "Data Quality", "Assumptions", "Provenance"]
INJECTIONS = ['=HYPERLINK("http://evil","x")', "+SUM(1,1)", "-2+3", "@x", "\tcmd", "=1+1"]
ERRORS = {"#REF!", "#NAME?", "#DIV/0!", "#VALUE!", "#N/A", "#NUM!", "#NULL!"}


def _write(tmp_path, ctx, sheets=None, name="out.xlsx"):
    return write_deliverable(tmp_path / name, ctx, sheets=sheets)


def _stub(title):
    def build(book, ctx):
        ws = book.sheet(title)
        row = book.write_title(ws, title, "Stub for the layout test.")
        book.write_table(ws, row, pd.DataFrame({"a": [1, 2]}), title)

    return build


def _formula_sheet(book, ctx):
    ws = book.sheet("Formula Check")
    row = book.write_title(ws, "Formula Check", "A live formula over a defined assumption name.")
    table = pd.DataFrame({"Scenario": ["base"], "Benefit": [None]})
    book.write_table(ws, row, table, "formula_check", column_kinds={"Benefit": "currency"})
    book.write_formula(ws, row + 1, 1, "=uplift_base*1000", book.kind_format("currency"),
                       value=ctx.assumptions["uplift_base"] * 1000)


FORMULA_SPEC = SheetSpec("Formula Check", "Test-only: a live formula.", _formula_sheet)


def test_sheets_follow_the_spec_order_and_skip_unbuilt(tmp_path, deliverable_context):
    path = _write(tmp_path, deliverable_context)
    names = openpyxl.load_workbook(path).sheetnames
    assert names == [s.title for s in registry.SHEETS if s.build is not None]
    assert names == [t for t in SPEC_ORDER if t in names]

    full = [s if s.build else dataclasses.replace(s, build=_stub(s.title)) for s in registry.SHEETS]
    path = _write(tmp_path, deliverable_context, full, "full.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SPEC_ORDER
    contents = wb["Contents"]
    listed = [contents.cell(row=r, column=2).value for r in range(5, 5 + len(SPEC_ORDER))]
    assert listed == SPEC_ORDER


def test_table_sheets_freeze_headers_and_wide_sheets_print_across_pages(tmp_path, deliverable_context):
    wb = openpyxl.load_workbook(_write(tmp_path, deliverable_context))
    for title in TABLE_SHEETS:
        ws = wb[title]
        assert ws.tables, title
        if title == "Provenance":  # a short sheet of small tables: no header frozen or repeated
            assert ws.freeze_panes is None and not ws.print_title_rows
            continue
        assert ws.freeze_panes is not None, title
        assert ws.print_title_rows, title
        # what stays frozen takes at most ~40% of a laptop screen: a header far down freezes the title
        frozen = ws[ws.freeze_panes].row - 1
        height = sum(ws.row_dimensions[r].height or 15 for r in range(1, frozen + 1))
        assert height <= FREEZE_MAX_POINTS, (title, ws.freeze_panes, height)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        tall = 1 if ws.title == "Executive Summary" else 0   # the summary is one page, by design
        wide = int(ws.page_setup.fitToWidth or 1)
        # every sheet prints one page wide, but Manager Readiness: scores on one page, stakes on the next
        assert wide == 1 or ws.title == "Manager Readiness", (ws.title, wide)
        assert wide <= 2, ws.title
        assert int(1 if ws.page_setup.fitToHeight is None else ws.page_setup.fitToHeight) == tall
        assert "&A" in ws.oddFooter.center.text and "&P" in ws.oddFooter.right.text


def test_footer_escapes_ampersand_and_properties_are_fixed(tmp_path, deliverable_context):
    wb = openpyxl.load_workbook(_write(tmp_path, deliverable_context))
    assert deliverable_context.client == "Acme IT Staffing & Co"
    assert "&&" in wb["Cover"].oddFooter.left.text
    assert wb.properties.title == "Acme IT Staffing & Co - Manager Readiness Assessment"
    assert wb.properties.created == dt.datetime(2026, 11, 26, 20, 30)
    assert deliverable_context.run_id in wb.properties.description


@pytest.mark.parametrize("payload", INJECTIONS)
def test_client_text_is_never_a_formula(tmp_path, deliverable_context, payload):
    issues = pd.DataFrame([["warning", "sales", payload, 3, payload, payload, payload]], columns=ISSUE_COLUMNS)
    ctx = dataclasses.replace(
        deliverable_context, client=payload, data_issues=issues,
        inputs=[{"table": "sales", "file": payload, "sha256": "ab" * 32, "bytes": 10}],
        parameters={"note": payload},
    )
    wb = openpyxl.load_workbook(_write(tmp_path, ctx))
    hits = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value == payload]
    assert len(hits) >= 6  # cover, data quality (4), provenance (client, file, parameter)
    for cell in hits:
        assert cell.data_type == "s", cell.coordinate
    text_sheets = {"Cover", "Contents", "Data Quality", "Assumptions", "Methodology", "Provenance"}
    formulas = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert [c for c in formulas if c.parent.title in text_sheets] == []
    assert not any(payload in str(c.value) for c in formulas)  # only the toolkit's own live formulas


def test_long_text_is_truncated_with_a_marker(tmp_path, deliverable_context):
    long = "x" * 40_000
    issues = pd.DataFrame([["warning", "sales", "f.csv", 2, "c", "v", long]], columns=ISSUE_COLUMNS)
    wb = openpyxl.load_workbook(_write(tmp_path, dataclasses.replace(deliverable_context, data_issues=issues)))
    cells = [c.value for r in wb["Data Quality"].iter_rows() for c in r if isinstance(c.value, str)]
    cut = [v for v in cells if v.startswith("xxx")]
    assert len(cut) == 1 and len(cut[0]) == MAX_CELL_CHARS and cut[0].endswith(TRUNCATION_MARKER)


def test_missing_values_are_empty_cells(tmp_path, deliverable_context):
    issues = pd.DataFrame(
        [["warning", "sales", "f.csv", pd.NA, None, np.nan, "whole file"]], columns=ISSUE_COLUMNS
    )
    wb = openpyxl.load_workbook(_write(tmp_path, dataclasses.replace(deliverable_context, data_issues=issues)))
    ws = wb["Data Quality"]
    row = next(r for r in ws.iter_rows() if r[6].value == "whole file")
    assert [c.value for c in row[3:6]] == [None, None, None]
    assert not any(isinstance(c.value, float) and math.isnan(c.value) for r in ws.iter_rows() for c in r)


def test_sheet_titles_are_sanitised():
    title = sheet_title("Q3: a/b [draft]*? \\ a very long sheet title indeed")
    assert len(title) <= 31 and not set("[]:*?/\\") & set(title)
    assert sheet_title("Cover", {"cover"}) == "Cover (2)"
    assert sheet_title("'quoted'") == "quoted"
    assert sheet_title("") == "Sheet"


def test_forbidden_sheet_title_is_written_sanitised_and_linked(tmp_path, deliverable_context):
    spec = SheetSpec("Q3: Risks/Issues [draft]", "Test-only.", _stub("Q3: Risks/Issues [draft]"))
    wb = openpyxl.load_workbook(_write(tmp_path, deliverable_context, [*registry.SHEETS, spec]))
    name = wb.sheetnames[-1]
    assert name == "Q3- Risks-Issues -draft-"
    links = [c.hyperlink.location for r in wb["Contents"].iter_rows() for c in r if c.hyperlink]
    assert f"'{name}'!A1" in links
    assert len(links) == len(wb.sheetnames)


def test_every_assumption_has_a_defined_name_on_its_input_cell(tmp_path, deliverable_context):
    ctx = dataclasses.replace(deliverable_context, assumptions=build_assumptions())
    wb = openpyxl.load_workbook(_write(tmp_path, ctx))
    refs = assumption_cell_refs(ctx)
    ws = wb["Assumptions"]
    validated = {str(rng) for dv in ws.data_validations.dataValidation for rng in dv.sqref.ranges}
    for a in DEFAULTS:
        defined = wb.defined_names[a.name]
        assert defined.attr_text == refs[a.name]
        cell = defined.attr_text.split("!")[1].replace("$", "")
        assert ws[cell].value == pytest.approx(a.value), a.name
        assert ws[cell].offset(column=2).value == "Default (see Source)"
        assert ws[cell].offset(column=1).value, a.name  # every assumption has a unit
        note = ws[cell].offset(column=4).value or ""
        if a.live and LIVE_SHEET_BY_GROUP.get(a.group, "") in wb.sheetnames:
            assert ws[cell].fill.fgColor.rgb.endswith("FFF2CC"), a.name
            assert cell in validated, a.name
            assert RERUN_NOTE not in note
        else:  # applied when the engagement is re-run: a plain value, not an input
            assert not str(ws[cell].fill.fgColor.rgb).endswith("FFF2CC"), a.name
            assert cell not in validated, a.name
            assert note.endswith(RERUN_NOTE), a.name


def test_override_shows_its_value_and_is_marked(tmp_path, deliverable_context):
    ctx = dataclasses.replace(deliverable_context, assumptions=build_assumptions({"uplift_base": 0.1}))
    wb = openpyxl.load_workbook(_write(tmp_path, ctx))
    cell = wb["Assumptions"][assumption_cell_refs(ctx)["uplift_base"].split("!")[1].replace("$", "")]
    assert cell.value == pytest.approx(0.1)
    assert cell.offset(column=2).value == "Set for this engagement"
    assert "engagement.yaml" in cell.offset(column=3).value


def test_no_issues_says_so(tmp_path, deliverable_context):
    ctx = dataclasses.replace(deliverable_context, data_issues=pd.DataFrame(columns=ISSUE_COLUMNS))
    wb = openpyxl.load_workbook(_write(tmp_path, ctx))
    ws = wb["Data Quality"]
    texts = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert any(t.startswith("No data issues were found") for t in texts)
    assert list(ws.tables) == ["tbl_row_counts"]


def test_blocking_issues_come_first_and_are_coloured(tmp_path, deliverable_context):
    wb = openpyxl.load_workbook(_write(tmp_path, deliverable_context))
    ws = wb["Data Quality"]
    table = ws.tables["tbl_data_issues"]
    rows = list(ws[table.ref])[1:]
    severities = [r[0].value for r in rows]
    assert severities == sorted(severities)  # "Blocking" < "Warning"
    assert set(severities) == {"Blocking", "Warning"}  # capitalised for display
    rules = [rule.formula[0] for cf in ws.conditional_formatting for rule in cf.rules]
    assert any('"Blocking"' in f for f in rules)


def test_formula_cells_carry_their_computed_value(tmp_path, deliverable_context):
    path = _write(tmp_path, deliverable_context, [*registry.SHEETS, FORMULA_SPEC])
    assert openpyxl.load_workbook(path)["Formula Check"]["B5"].value == "=uplift_base*1000"
    assert openpyxl.load_workbook(path, data_only=True)["Formula Check"]["B5"].value == 80


def test_failed_build_leaves_nothing_behind(tmp_path, deliverable_context, monkeypatch):
    target = tmp_path / "deliverable.xlsx"

    def explode(book, ctx):
        raise RuntimeError("boom")

    patched = [dataclasses.replace(s, build=explode) if s.title == "Methodology" else s
               for s in registry.SHEETS]
    monkeypatch.setattr(registry, "SHEETS", patched)
    with pytest.raises(RuntimeError, match="boom"):
        write_deliverable(target, deliverable_context)
    assert list(tmp_path.iterdir()) == []

    target.write_bytes(b"the previous good deliverable")
    with pytest.raises(RuntimeError):
        write_deliverable(target, deliverable_context)
    assert list(tmp_path.iterdir()) == [target]
    assert target.read_bytes() == b"the previous good deliverable"


def test_registry_is_the_declared_spec_order_with_changes_only_after_an_earlier_run():
    spec_order = ["Cover", "Contents", "Executive Summary", "Manager Readiness", "Training Plan",
                  "Coaching Gaps", "ROI Model", "Compensation", "Ownership", "Data Quality",
                  "Assumptions", "Methodology", "Provenance"]
    assert [s.title for s in registry.planned_sheets(False)] == spec_order
    assert [s.title for s in registry.planned_sheets(True)] == [*spec_order, "Changes Since Last Run"]
    # Programme Impact follows Ownership once a manager has completed the programme
    with_impact = [s.title for s in registry.planned_sheets(True, has_impact=True)]
    assert with_impact == [*spec_order[:9], "Programme Impact", *spec_order[9:], "Changes Since Last Run"]
    assert all(callable(s.build) and s.answers.endswith(".") for s in registry.planned_sheets(True))


def test_deliverable_filename():
    assert deliverable_filename("Acme IT Staffing") == "Acme IT Staffing - Manager Readiness Assessment.xlsx"
    assert deliverable_filename('A/B: "C"*?<>|') == "A B C - Manager Readiness Assessment.xlsx"
    assert deliverable_filename(" .. ") == "Client - Manager Readiness Assessment.xlsx"


def test_currency_formats():
    assert currency_format("USD") == '"$"#,##0'
    assert currency_format("EUR") == '"€"#,##0'
    assert currency_format("chf") == '#,##0 "CHF"'


@requires_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_recalculates_live_formulas_over_defined_names(tmp_path, deliverable_context):
    path = _write(tmp_path, deliverable_context, [*registry.SHEETS, FORMULA_SPEC])
    recalculated = recalculate(path, tmp_path / "recalc1")
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    errors = [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for r in ws.iter_rows()
              for c in r if isinstance(c.value, str) and c.value in ERRORS]
    assert errors == []
    assert wb["Formula Check"]["B5"].value == pytest.approx(80)

    edited = openpyxl.load_workbook(path)
    ref = assumption_cell_refs(deliverable_context)["uplift_base"].split("!")[1].replace("$", "")
    edited["Assumptions"][ref].value = 0.12
    changed = tmp_path / "edited" / "changed.xlsx"
    changed.parent.mkdir()
    edited.save(changed)
    again = openpyxl.load_workbook(recalculate(changed, tmp_path / "recalc2"), data_only=True)
    assert again["Formula Check"]["B5"].value == pytest.approx(120)


def test_carriage_return_text_stays_text(tmp_path, deliverable_context):
    wb = openpyxl.load_workbook(_write(tmp_path, dataclasses.replace(deliverable_context, client="\rcmd")))
    cell = wb["Cover"]["B2"]
    assert cell.data_type == "s"
    assert cell.value in ("\rcmd", "_x000D_cmd")  # XlsxWriter escapes CR; Excel shows it as CR


def _two_tables(**second):
    def build(book, ctx):
        ws = book.sheet("Two Tables")
        row = book.write_title(ws, "Two Tables", "A summary, then the main list.")
        last = book.write_table(ws, row, pd.DataFrame({"Wave": [1, 2], "People": [3, 4]}), "summary")
        book.write_table(ws, last + 3, pd.DataFrame({"Person": ["A", "B", "C"]}), "people", **second)

    return SheetSpec("Two Tables", "Test-only.", build)


@pytest.mark.parametrize(
    ("second", "frozen", "repeated"),
    [
        ({}, "A5", "$4:$4"),  # default: the first table keeps both
        ({"freeze": True}, "A10", "$9:$9"),  # the main table takes both
        ({"repeat_header": True}, "A5", "$9:$9"),  # print titles move, the freeze stays
        ({"freeze": True, "repeat_header": False}, "A10", "$4:$4"),
    ],
)
def test_a_later_table_can_take_the_frozen_and_printed_header(tmp_path, deliverable_context, second,
                                                              frozen, repeated):
    wb = openpyxl.load_workbook(_write(tmp_path, deliverable_context, [_two_tables(**second)]))
    ws = wb["Two Tables"]
    assert ws.freeze_panes == frozen
    assert ws.print_title_rows == repeated


def test_numeric_headers_are_right_aligned_over_their_numbers(tmp_path, deliverable_context):
    wb = openpyxl.load_workbook(_write(tmp_path, deliverable_context))
    ws = wb["Data Quality"]
    table = ws.tables["tbl_row_counts"]
    header, first = list(ws[table.ref])[:2]
    by_name = {h.value: (h, c) for h, c in zip(header, first, strict=True)}
    for name in ("Rows read", "Rows used", "Rows skipped"):
        h, c = by_name[name]
        assert h.alignment.horizontal == "right" and c.alignment.horizontal == "right", name
        assert c.alignment.indent >= 1, name  # a gap before the next column's text
        width = ws.column_dimensions[h.column_letter].width
        assert width >= max(len(w) for w in name.split()) + 2, name
    for name in ("Table", "File"):
        h, c = by_name[name]
        assert h.alignment.horizontal == "left" and c.alignment.horizontal == "left", name
        assert c.alignment.indent >= 1 and h.alignment.indent >= 1, name
    assert first[0].value == "People"  # table names capitalised for display


def test_data_quality_row_numbers_are_plain_integers(tmp_path, deliverable_context):
    issues = pd.DataFrame([["warning", "people", "roster.csv", 1844, "c", "v", "m"]], columns=ISSUE_COLUMNS)
    wb = openpyxl.load_workbook(_write(tmp_path, dataclasses.replace(deliverable_context, data_issues=issues)))
    ws = wb["Data Quality"]
    rows = list(ws[ws.tables["tbl_data_issues"].ref])
    cell = rows[1][3]
    assert rows[0][3].value == "Row in file" and cell.value == 1844
    assert cell.number_format == "0"
    assert [c.value for c in rows[1][:2]] == ["Warning", "People"]
    # the issues list is the long table: its header is the one frozen and repeated
    assert ws.print_title_rows == f"${rows[0][0].row}:${rows[0][0].row}"
    # the issues table sits below the reconciliation, too far down to freeze: the title stays in view
    assert ws.freeze_panes == "A3"


def test_assumption_units_and_defined_name_column(tmp_path, deliverable_context):
    ctx = dataclasses.replace(deliverable_context, assumptions=build_assumptions())
    wb = openpyxl.load_workbook(_write(tmp_path, ctx))
    ws = wb["Assumptions"]
    refs = {k: v.split("!")[1].replace("$", "") for k, v in assumption_cell_refs(ctx).items()}
    assert ws[refs["default_coaching_minutes"]].offset(column=1).value == "minutes"
    assert ws[refs["tier_ready_min_score"]].offset(column=1).value == "score (0-100)"
    header = list(ws[ws.tables["tbl_assumptions"].ref])[0]
    assert header[-1].value == NAME_HEADER
    texts = " ".join(c.value for r in ws.iter_rows(max_row=5) for c in r if isinstance(c.value, str))
    assert "Yellow cells are live inputs" in texts and "re-run" in texts


def _cover_text(wb) -> str:
    return " ".join(str(c.value) for r in wb["Cover"].iter_rows() for c in r if c.value is not None)


def test_cover_names_only_the_sheets_written(tmp_path, deliverable_context):
    skip = {"Executive Summary", "Compensation"}
    some = [s if s.build or s.title in skip else dataclasses.replace(s, build=_stub(s.title))
            for s in registry.SHEETS if s.title not in skip]
    text = _cover_text(openpyxl.load_workbook(_write(tmp_path, deliverable_context, some)))
    assert "Executive Summary" not in text and "Compensation" not in text
    assert "Start with the Manager Readiness sheet" in text
    assert "change one and the ROI Model sheet recalculates" in text

    full = [s if s.build else dataclasses.replace(s, build=_stub(s.title)) for s in registry.SHEETS]
    wb = openpyxl.load_workbook(_write(tmp_path, deliverable_context, full, "full.xlsx"))
    text = _cover_text(wb)
    assert "Start with the Executive Summary" in text
    assert "ROI Model and Compensation sheets recalculate" in text

    only_appendix = [s for s in registry.SHEETS if s.title in {"Cover", "Methodology"}]
    wb = openpyxl.load_workbook(_write(tmp_path, deliverable_context, only_appendix, "bare.xlsx"))
    text = _cover_text(wb)
    assert "Assumptions" not in text and "ROI" not in text and "Contents" not in text


def test_cover_flags_placeholder_assumptions(tmp_path, deliverable_context):
    line = f"Some assumptions are placeholders to confirm with {deliverable_context.client}: see Assumptions."
    assert line in _cover_text(openpyxl.load_workbook(_write(tmp_path, deliverable_context)))
    confirmed = {a.name: a.value for a in DEFAULTS if "placeholder" in a.source.lower()}
    ctx = dataclasses.replace(deliverable_context, assumptions=build_assumptions(confirmed))
    assert "placeholders" not in _cover_text(openpyxl.load_workbook(_write(tmp_path, ctx, name="ok.xlsx")))


def test_provenance_shows_folder_names_and_labelled_parameters(tmp_path, deliverable_context):
    params = {"engagement_dir": "/tmp/secret/acme-2026q4", "output_dir": "/tmp/out/acme/20261126T203000Z",
              "only": None, "cell_timeout": 600, "run_timeout": 3600}
    wb = openpyxl.load_workbook(_write(tmp_path, dataclasses.replace(deliverable_context, parameters=params)))
    ws = wb["Provenance"]
    rows = {r[0].value: r[1].value for r in ws[ws.tables["tbl_parameters"].ref][1:]}
    assert rows["Engagement folder"] == "acme-2026q4"
    assert rows["Per-cell time limit (s)"] == "600"
    assert rows["Whole-run time limit (s)"] == "3600"
    assert rows["Notebooks run"] == "All"
    values = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert not any("/tmp/" in v for v in values)


def test_methodology_describes_results_and_roi_as_computed(tmp_path, deliverable_context):
    wb = openpyxl.load_workbook(_write(tmp_path, deliverable_context))
    text = " ".join(str(c.value) for r in wb["Methodology"].iter_rows() for c in r if c.value is not None)
    assert "win rate and" not in text
    assert "empirical Bayes (normal-normal, weighted by rep-months)" in text
    assert "gross margin" in text
    assert ("The Compensation sheet shows" in text) == ("Compensation" in wb.sheetnames)


def test_methodology_ends_with_a_glossary_of_the_words_the_sheets_use(tmp_path, deliverable_context):
    wb = openpyxl.load_workbook(_write(tmp_path, deliverable_context))
    text = " ".join(str(c.value) for r in wb["Methodology"].iter_rows() for c in r if c.value is not None)
    assert "Glossary" in text
    for term in ("Reps in post", "Barrier point", "Core performers", "Team-development standard",
                 "Stepped wedge", "Placeholder", "Gate"):
        assert term in text, term


@pytest.mark.parametrize("formula", [
    "=A1+B2", "=SUM(A1:A9)*team_development_weight", '=IF(ABS(C3)>0.1,"yes","")', "{=SUM(A1:A3*B1:B3)}",
    "=FILTER(A1:A9,B1:B9>0)", "=SORT(A1:A9)", "=XLOOKUP(A1,B1:B9,C1:C9)", "=SINGLE(A1:A3)",
    "=_xlfn.XLOOKUP(A1,B1:B9,C1:C9)", '="FILTER(" & A1', "=MYSORT(A1)",
])
def test_the_fast_formula_sheet_writes_what_xlsxwriter_would(tmp_path, formula):
    """book.Sheet skips XlsxWriter's formula rewrites only when none applies: the same result."""
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    from workbook.deliverable.cells import Sheet

    wb = xlsxwriter.Workbook(str(tmp_path / "f.xlsx"))
    plain, fast = wb.add_worksheet("a", worksheet_class=Worksheet), wb.add_worksheet("b", worksheet_class=Sheet)
    assert fast._prepare_formula(formula) == plain._prepare_formula(formula)
    wb.close()
