"""engagement.yaml: typed loading, did-you-mean for unknown keys, paths kept inside the folder."""

from __future__ import annotations

import pytest
from engagement_files import roster, write_engagement

from workbook.engagement.config import load_engagement
from workbook.errors import EngagementError


def test_loads_short_and_long_sources(tmp_path):
    roster(tmp_path)
    write_engagement(tmp_path, {"people": "roster.csv",
                                "sales": {"path": "deals.csv", "header_row": 3,
                                          "columns": {"Owner": "rep_name", "Amount": "amount"}}},
                     as_of="2026-09-30", assumptions={"uplift_base": 0.1})
    e = load_engagement(tmp_path)
    assert e.client == "Test Client"
    assert e.sources["people"].path == tmp_path.resolve() / "roster.csv"
    assert e.sources["sales"].header_row == 3
    assert e.sources["sales"].columns == {"Owner": "rep_name", "Amount": "amount"}
    assert str(e.as_of) == "2026-09-30"
    assert e.assumptions["uplift_base"] == 0.1
    assert "uplift_base" in e.assumptions.overridden


@pytest.mark.parametrize("config, expected", [
    ({"client": "X", "sources": {"people": "r.csv"}, "curency": "USD"}, "did you mean 'currency'"),
    ({"client": "X", "sources": {"peple": "r.csv", "people": "r.csv"}}, "did you mean 'sources.people'"),
    ({"client": "X", "sources": {"people": {"path": "r.csv", "header": 2}}},
     "did you mean 'sources.people.header_row'"),
    ({"client": "X", "sources": {"people": {"path": "r.csv", "columns": {"Emp": "person_idd"}}}},
     "did you mean 'person_id'"),
    ({"client": "X", "sources": {"people": "r.csv"}, "assumptions": {"uplift_bse": 0.1}},
     "did you mean 'uplift_base'"),
    ({"client": "X", "sources": {"people": "r.csv"}, "ownership": {"current_owner": "comittee"}},
     "did you mean 'committee'"),
])
def test_unknown_keys_suggest_the_nearest_valid_key(tmp_path, config, expected):
    write_engagement(tmp_path, **{"sources": config.pop("sources")}, **config)
    with pytest.raises(EngagementError, match=expected):
        load_engagement(tmp_path)


@pytest.mark.parametrize("path", ["../outside.csv", "/etc/passwd", "sub/../../x.csv"])
def test_paths_must_stay_inside_the_engagement_folder(tmp_path, path):
    folder = tmp_path / "eng"
    write_engagement(folder, {"people": path})
    with pytest.raises(EngagementError, match="outside the engagement folder|must be relative"):
        load_engagement(folder)


def test_symlink_escaping_the_folder_is_refused(tmp_path):
    folder = tmp_path / "eng"
    folder.mkdir()
    (tmp_path / "secret.csv").write_text("person_id\nX\n")
    (folder / "link.csv").symlink_to(tmp_path / "secret.csv")
    write_engagement(folder, {"people": "link.csv"})
    with pytest.raises(EngagementError, match="outside the engagement folder"):
        load_engagement(folder)


@pytest.mark.parametrize("name", ["Acme 2026", "acme/../x", "ACME", "acme.q4"])
def test_engagement_names_are_folder_safe(tmp_path, name):
    write_engagement(tmp_path, {"people": "r.csv"}, engagement=name)
    with pytest.raises(EngagementError, match="may contain only lowercase"):
        load_engagement(tmp_path)


def test_missing_client_and_people_are_errors(tmp_path):
    (tmp_path / "engagement.yaml").write_text("sources:\n  people: r.csv\n")
    with pytest.raises(EngagementError, match="'client' is required"):
        load_engagement(tmp_path)
    (tmp_path / "engagement.yaml").write_text("client: X\nsources:\n  sales: d.csv\n")
    with pytest.raises(EngagementError, match="sources.people' is required"):
        load_engagement(tmp_path)


def test_out_of_range_assumption_is_an_error(tmp_path):
    write_engagement(tmp_path, {"people": "r.csv"}, assumptions={"gap_closure_share": 2})
    with pytest.raises(EngagementError, match="gap_closure_share' must be at most 1"):
        load_engagement(tmp_path)


def test_invalid_yaml_names_the_line(tmp_path):
    (tmp_path / "engagement.yaml").write_text("client: X\nsources:\n  people: [unclosed\n")
    with pytest.raises(EngagementError, match=r"line \d+"):
        load_engagement(tmp_path)
