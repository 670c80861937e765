"""The synthetic demo client: deterministic, scalable, and as messy as promised."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from workbook import demo


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return demo.generate_demo(tmp_path_factory.mktemp("demo") / "client" / "demo")


def _xlsx(path, **kwargs) -> pd.DataFrame:
    return pd.read_excel(path, engine="openpyxl", **kwargs)


def _roster(folder) -> pd.DataFrame:
    return _xlsx(folder / demo.FILES["people"], sheet_name="Employees", header=3, dtype=str)


def test_writes_every_file_and_config(demo_dir):
    for name in demo.FILES.values():
        assert (demo_dir / name).stat().st_size > 0, name
    config = yaml.safe_load((demo_dir / "engagement.yaml").read_text(encoding="utf-8"))
    assert config["client"] == demo.CLIENT and config["engagement"] == "demo"
    assert set(config["sources"]) == set(demo.FILES)
    for table, spec in config["sources"].items():
        assert spec["path"] == demo.FILES[table]
    assert config["sources"]["coaching"]["encoding"] == "cp1252"
    assert config["ownership"]["current_owner"] == "committee"
    assert "# " in (demo_dir / "engagement.yaml").read_text(encoding="utf-8")   # comments survive


def test_config_loader_accepts_engagement_yaml(demo_dir):
    from workbook.engagement.config import load_engagement

    engagement = load_engagement(demo_dir)
    assert engagement.name == "demo" and set(engagement.sources) == set(demo.FILES)
    assert engagement.sources["coaching"].date_format == "dmy"
    assert engagement.sources["people"].header_row == 4


def test_formula_like_title_is_stored_as_text(demo_dir):
    import openpyxl

    sheet = openpyxl.load_workbook(demo_dir / demo.FILES["people"], read_only=True)["Employees"]
    cells = [row[3] for row in sheet.iter_rows(min_row=5) if row[3].value == demo.INJECTION_TITLE]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_deterministic_bytes(tmp_path):
    a = demo.generate_demo(tmp_path / "a", people=100)
    b = demo.generate_demo(tmp_path / "b", people=100)
    for name in [*demo.FILES.values(), "engagement.yaml"]:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    c = demo.generate_demo(tmp_path / "c", people=100, seed=8)
    assert (c / demo.FILES["sales"]).read_bytes() != (a / demo.FILES["sales"]).read_bytes()


def test_size_knob_scales(tmp_path):
    small = demo.generate_demo(tmp_path / "small", people=100)
    large = demo.generate_demo(tmp_path / "large", people=400)
    assert len(_roster(small)) == 100 and len(_roster(large)) == 400
    for name in (demo.FILES["sales"], demo.FILES["coaching"]):
        ratio = (large / name).stat().st_size / (small / name).stat().st_size
        assert 2.5 < ratio < 6.5, (name, ratio)


def test_roster_layout_and_planted_weak_manager(demo_dir):
    raw = _xlsx(demo_dir / demo.FILES["people"], header=None, dtype=str)
    assert raw.iloc[0, 0].startswith(demo.CLIENT) and raw.iloc[1, 0].startswith("Exported")
    assert raw.iloc[2].isna().all()
    roster = _roster(demo_dir)
    assert list(roster.columns[:9]) == ["Employee ID", "Full Name", "Manager ID", "Job Title", "Hire Date",
                                        "Term Date", "Term Reason", "Region", "Annual Quota"]
    ids = roster["Employee ID"].str.strip().str.upper()
    managers = roster["Manager ID"].fillna("").str.strip().str.upper()
    assert ids.is_unique and (roster["Employee ID"] != ids).sum() >= 1      # stray spaces / lowercase
    active = roster["Term Date"].isna()
    spans = managers[active].value_counts()
    assert spans[demo.PLANTED_WEAK_MANAGER_ID] > 10
    team = managers == demo.PLANTED_WEAK_MANAGER_ID
    assert roster.loc[team, "Term Reason"].isin(["Resigned", "Voluntary"]).sum() >= 4
    for mid in (demo.PLANTED_STRONG_COACH_ID, *demo.PLANTED_WEAK_COACH_IDS, *demo.PLANTED_NO_SURVEY_IDS):
        assert 3 <= spans[mid] <= 10
    assert roster["Full Name"].str.lower().is_unique
    assert (roster["Job Title"] == demo.INJECTION_TITLE).sum() == 1
    assert demo.ACCENTED_REP in set(roster["Full Name"])
    assert demo.UNKNOWN_DEAL_OWNER not in set(roster["Full Name"])


def test_crm_export_is_messy(demo_dir):
    data = (demo_dir / demo.FILES["sales"]).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Opportunity ID,Opportunity Owner,Close Date,Amount,Stage,Account Name"
    assert lines[-1].startswith(",,Total,\"$") and "" in lines[1:-1]
    assert ',"$' in text and "USD " in text and (",(" in text or ',"(' in text)   # credit notes
    assert demo.UNKNOWN_DEAL_OWNER in text
    for label in ("Closed Won", "Closed Lost"):
        assert f",{label}," in text


def test_coaching_log_is_cp1252(demo_dir):
    data = (demo_dir / demo.FILES["coaching"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    assert demo.ACCENTED_REP in text
    strong = text.count("\n" + demo.PLANTED_STRONG_COACH_NAME + ",")
    assert strong > 3 * text.count("\n" + demo.PLANTED_WEAK_COACH_NAMES[0] + ",") > 0
    assert text.count("\n" + demo.PLANTED_WEAK_MANAGER_NAME + ",") == 0   # planted: no coaching at all


def test_survey_skips_planted_non_respondents(demo_dir):
    survey = _xlsx(demo_dir / demo.FILES["survey"], dtype={"Respondent ID": str})
    assert "Awareness (1-5)" in survey.columns
    respondents = set(survey["Respondent ID"])
    assert not respondents & set(demo.PLANTED_NO_SURVEY_IDS)
    assert {demo.PLANTED_WEAK_MANAGER_ID, demo.PLANTED_STRONG_COACH_ID} <= respondents


def test_too_small_is_refused(tmp_path):
    with pytest.raises(ValueError):
        demo.generate_demo(tmp_path / "tiny", people=10)


def test_the_committed_demo_is_what_the_generator_writes(tmp_path):
    from pathlib import Path

    from workbook.demo import generate_demo

    committed = Path(__file__).resolve().parents[1] / "client_data" / "demo"
    fresh = generate_demo(tmp_path / "demo")
    names = sorted(p.name for p in fresh.iterdir())
    assert sorted(p.name for p in committed.iterdir()) == names
    for name in names:
        assert (committed / name).read_bytes() == (fresh / name).read_bytes(), name
