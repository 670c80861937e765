"""The client data-request workbook: generated from the schema, filled by a client, read back as is."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import yaml

from workbook.cli import main
from workbook.data_request import (
    FIRST_DATA_ROW,
    GUIDES,
    HEADER_ROW,
    INSTRUCTIONS,
    REQUIRED_ROW,
    is_required,
    request_columns,
    request_file_name,
    sources_block,
    write_request,
)
from workbook.intake.load import load_engagement_data
from workbook.intake.schema import TABLE_SPECS


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def request_book(tmp_path):
    return write_request(tmp_path / "acme", "Acme IT Staffing")


def headers(ws) -> list[str]:
    return [c.value for c in ws[HEADER_ROW] if c.value is not None]


def list_validations(ws) -> dict[str, list[str]]:
    """Header name -> the values of the list validation covering its data rows."""
    names = {c.column_letter: c.value for c in ws[HEADER_ROW] if c.value is not None}
    out = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list":
            continue
        for cell_range in dv.sqref.ranges:
            assert cell_range.min_row == FIRST_DATA_ROW and cell_range.max_row >= FIRST_DATA_ROW + 4999
            letter = openpyxl.utils.get_column_letter(cell_range.min_col)
            out[names[letter]] = dv.formula1.strip('"').split(",")
    return out


def validation_types(ws) -> dict[str, str]:
    names = {c.column_letter: c.value for c in ws[HEADER_ROW] if c.value is not None}
    out = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            out[names[openpyxl.utils.get_column_letter(cell_range.min_col)]] = dv.type or "any"
    return out


def test_file_name_is_safe_for_file_systems():
    assert request_file_name("Acme IT Staffing") == "Data Request - Acme IT Staffing.xlsx"
    assert request_file_name('Acme: "IT"/Staffing <EU>?') == "Data Request - Acme IT Staffing EU.xlsx"
    assert request_file_name("...") == "Data Request - Client.xlsx"


def test_every_canonical_column_is_a_header_with_required_columns_marked(request_book):
    book = openpyxl.load_workbook(request_book)
    assert book.sheetnames == [INSTRUCTIONS, *(GUIDES[t].sheet for t in TABLE_SPECS)]
    for table, spec in TABLE_SPECS.items():
        ws = book[GUIDES[table].sheet]
        names = headers(ws)
        assert [c.name for c in spec.columns] == names[:len(spec.columns)], table
        assert all(spec.is_mappable(n) for n in names), table
        assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
        for column, cell in zip(request_columns(spec), ws[HEADER_ROW], strict=True):
            tag = ws.cell(REQUIRED_ROW, cell.column).value
            fill = cell.fill.fgColor.rgb
            if is_required(column):
                assert tag.startswith("Required") and fill.endswith("1F3864"), (table, column.name)
            else:
                assert tag == "Optional" and not fill.endswith("1F3864"), (table, column.name)
    comp = headers(book["Compensation"])
    assert "weight_revenue" in comp and "weight_margin" in comp


def test_enumerations_have_drop_downs_with_the_declared_choices(request_book):
    book = openpyxl.load_workbook(request_book)
    seen = 0
    for table, spec in TABLE_SPECS.items():
        ws = book[GUIDES[table].sheet]
        lists = list_validations(ws)
        expected = {c.name: list(c.choices) for c in spec.columns if c.choices}
        assert lists == expected, table
        seen += len(expected)
        types = validation_types(ws)
        for column in request_columns(spec):
            if column.kind == "date":
                assert types[column.name] == "date", (table, column.name)
            elif column.kind in ("money", "number"):
                assert types[column.name] == "decimal", (table, column.name)
    assert seen == 6   # role, termination_type, stage, activity, status, dimension


def test_scores_are_checked_on_their_declared_scale(request_book):
    ws = openpyxl.load_workbook(request_book)["Survey"]
    letter = next(c.column_letter for c in ws[HEADER_ROW] if c.value == "score")
    rule = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(letter))
    assert rule.type == "decimal" and rule.operator in (None, "between")   # between is the default
    assert (float(rule.formula1), float(rule.formula2)) == (1, 5)


def fill(ws, rows: list[dict]) -> None:
    """Type rows under the header, as a client would."""
    col = {c.value: c.column for c in ws[HEADER_ROW] if c.value is not None}
    for r, values in enumerate(rows, FIRST_DATA_ROW):
        for name, value in values.items():
            ws.cell(r, col[name], value)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_round_trip_a_filled_request_loads_with_no_mapping_and_no_issues(request_book):
    book = openpyxl.load_workbook(request_book)
    people = [("L1", "Lee Leader", None, "VP Sales", "2015-01-05")]
    people += [(f"M{i}", f"Manager {i}", "L1", "Sales Manager", "2018-03-01") for i in (1, 2)]
    people += [(f"R{i}", f"Rep {i}", "M1" if i <= 3 else "M2", "Account Executive", "2021-02-01")
               for i in range(1, 6)]
    fill(book["People"], [
        {"person_id": p, "name": n, "manager_id": m, "title": t, "hire_date": d(h),
         "team": "East" if m == "M1" else None, "annual_quota": 1_000_000 if p.startswith("R") else None}
        for p, n, m, t, h in people])
    deals = [("R1", "won", 12500), ("R2", "lost", 8000), ("R3", "open", 20000), ("R4", "won", 5000.5),
             ("R5", "won", 30000)]
    fill(book["Sales"], [{"rep_id": r, "date": d("2026-03-05"), "amount": a, "stage": s,
                          "opportunity_id": f"OPP-{i}"} for i, (r, s, a) in enumerate(deals)])
    fill(book["Coaching"], [
        {"manager_id": "M1", "rep_id": "R1", "date": d("2026-04-14"), "minutes": 45,
         "activity": "deal_review", "quality": 4},
        {"manager_name": "Manager 2", "rep_name": "Rep 4", "date": d("2026-04-15"), "minutes": 30,
         "activity": "joint_call", "quality": 3},
        {"manager_id": "M2", "rep_id": "R5", "date": d("2026-05-01"), "activity": "one_on_one"}])
    fill(book["Training"], [
        {"person_id": p, "program": "Consultative Selling", "status": s,
         "completed_date": d("2026-05-02") if s == "completed" else None, "score": 86 if s == "completed" else None}
        for p, s in [("R1", "completed"), ("R2", "in_progress"), ("R3", "not_started"), ("M1", "completed")]])
    fill(book["Survey"], [{"person_id": p, "dimension": dim, "score": score}
                          for p in ("M1", "M2")
                          for dim, score in zip(TABLE_SPECS["survey"].column("dimension").choices,
                                                (4, 3, 5, 2, 4), strict=True)])
    fill(book["Compensation"], [{"person_id": p, "base_salary": 120000, "target_variable": 60000,
                                 "weight_revenue": 0.7, "weight_margin": 0.3} for p in ("M1", "M2")])
    book.save(request_book)   # returned under the same name

    folder = request_book.parent
    config = {"client": "Acme IT Staffing", "engagement": "acme",
              **yaml.safe_load(sources_block(request_book.name))}
    (folder / "engagement.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    assert all("columns" not in s for s in config["sources"].values())

    data = load_engagement_data(folder)
    assert data.issues == []
    tables = data.tables
    assert len(tables["people"]) == 8
    assert tables["people"]["role"].value_counts().to_dict() == {"rep": 5, "manager": 2, "leader": 1}
    assert sorted(tables["sales"]["amount"].tolist()) == [5000.5, 8000, 12500, 20000, 30000]
    assert sorted(tables["sales"]["stage"]) == ["lost", "open", "won", "won", "won"]
    assert tables["coaching"]["rep_id"].tolist() == ["R1", "R4", "R5"]
    assert tables["coaching"]["manager_id"].tolist() == ["M1", "M2", "M2"]
    assert len(tables["training"]) == 4 and len(tables["survey"]) == 10
    assert tables["compensation"]["weight_revenue"].tolist() == [0.7, 0.7]
    assert data.as_of == dt.date(2026, 5, 2)


def test_an_untouched_request_still_loads(request_book):
    """Optional sheets the client leaves empty are simply empty tables, not errors."""
    book = openpyxl.load_workbook(request_book)
    fill(book["People"], [{"person_id": "L1", "name": "Lee"}, {"person_id": "R1", "name": "Ron",
                                                              "manager_id": "L1"}])
    book.save(request_book)
    config = {"client": "Acme", "as_of": "2026-09-30", **yaml.safe_load(sources_block(request_book.name))}
    (request_book.parent / "engagement.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    data = load_engagement_data(request_book.parent)
    assert data.blocking == [] and len(data.tables["people"]) == 2
    assert not data.has("sales") and not data.has("survey")


def test_cli_request_writes_the_workbook_and_prints_the_sources_block(tmp_path, capsys):
    code, text = run(capsys, "request", "acme", "--root", tmp_path)
    assert code == 0, text
    path = tmp_path / "acme" / "Data Request - Acme.xlsx"
    assert path.is_file()
    block = yaml.safe_load(text[text.index("sources:"):])
    assert block["sources"]["people"] == {"path": path.name, "sheet": "People", "header_row": HEADER_ROW}
    assert set(block["sources"]) == set(TABLE_SPECS)
    # never overwrites what may be the client's filled-in copy, unless --force
    code, text = run(capsys, "request", "acme", "--root", tmp_path)
    assert code == 1 and "--force" in text
    assert run(capsys, "request", "acme", "--root", tmp_path, "--force")[0] == 0


def test_cli_request_takes_the_client_from_engagement_yaml(tmp_path, capsys):
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "engagement.yaml").write_text("client: Acme Corp.\nsources: {people: roster.csv}\n")
    assert run(capsys, "request", "acme", "--root", tmp_path)[0] == 0
    assert (folder / "Data Request - Acme Corp.xlsx").is_file()


def test_cli_request_bad_name_exits_1_with_the_naming_rule(tmp_path, capsys):
    code, text = run(capsys, "request", "Bad Name", "--root", tmp_path)
    assert code == 1 and "lowercase letters, digits" in text and "Traceback" not in text
    assert not any(tmp_path.iterdir())


def test_cli_request_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["request", "--help"])
    assert exc.value.code == 0
    assert "usage: workbook request" in capsys.readouterr().out


def test_new_writes_the_request_and_keeps_a_valid_engagement_yaml(tmp_path, capsys):
    code, text = run(capsys, "new", "acme", "--root", tmp_path, "--client", "Acme: IT")
    assert code == 0, text
    folder = tmp_path / "acme"
    assert (folder / "Data Request - Acme IT.xlsx").is_file()
    config_text = (folder / "engagement.yaml").read_text()
    assert "Data Request - Acme IT.xlsx" in config_text
    config = yaml.safe_load(config_text)
    assert config["sources"] == {"people": "roster.csv"}
    (folder / "roster.csv").write_text("person_id,name,manager_id,hire_date\nL1,Lee,,2024-01-01\n"
                                       "R1,Ron,L1,2025-02-01\n")   # dated: the analysis needs an as-of
    assert run(capsys, "validate", folder)[0] == 0
