"""An engagement's prepare.ipynb: the reshaping mapping cannot express, run first and recorded."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from engagement_files import roster, write_csv, write_engagement

from workbook.cli import main
from workbook.engagement.config import load_engagement
from workbook.run.fingerprint import engagement_fingerprint
from workbook.run.runner import run_engagement

pytestmark = pytest.mark.slow

SUM_ORDER_LINES = """\
import pandas as pd
from pathlib import Path
orders = pd.read_csv(Path(engagement_dir) / "orders.csv")
lines = pd.read_csv(Path(engagement_dir) / "order_lines.csv")
lines["amount"] = lines["Quantity"] * lines["UnitPrice"] * (1 - lines["Discount"])
totals = lines.groupby("OrderID", as_index=False)["amount"].sum()
sales = orders.merge(totals, on="OrderID")
sales = sales.rename(columns={"SalesRep": "rep_name", "OrderDate": "date"}).assign(stage="won")
sales[["rep_name", "date", "amount", "stage"]].to_csv(Path(prepared_dir) / "sales.csv", index=False)
"""


def _notebook(path, code: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('engagement_dir = ""\nprepared_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def orders_engagement(tmp_path):
    folder = tmp_path / "retail"
    roster(folder)
    write_csv(folder / "orders.csv", ["OrderID,SalesRep,OrderDate", "10248,Ron Rep,2026-03-04",
                                      "10249,Ron Rep,2026-04-05"])
    write_csv(folder / "order_lines.csv", ["OrderID,Quantity,UnitPrice,Discount", "10248,12,14,0",
                                           "10248,10,9.8,0", "10249,9,18.6,0.1"])
    _notebook(folder / "prepare.ipynb", SUM_ORDER_LINES)
    return write_engagement(folder, {"people": "roster.csv", "sales": "prepared/sales.csv"},
                            as_of="2026-09-30")


def test_validate_runs_prepare_first_and_reads_its_output(orders_engagement, capsys):
    assert main(["validate", str(orders_engagement)]) == 0
    out = capsys.readouterr().out
    assert "ran the engagement's prepare.ipynb" in out
    sales = (orders_engagement / "prepared" / "sales.csv").read_text().splitlines()
    assert len(sales) == 3 and sales[1].endswith(",266.0,won")        # 12x14 + 10x9.8


def test_the_run_keeps_the_executed_prepare_and_records_its_hash(orders_engagement, tmp_path):
    before = engagement_fingerprint(load_engagement(orders_engagement))
    result = run_engagement(orders_engagement, tmp_path / "out")
    assert result.status == "succeeded", result.message
    assert (result.run_dir / "notebooks" / "00_prepare.ipynb").is_file()
    assert (result.run_dir / "notebooks" / "00_prepare.html").is_file()
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert any(i["table"] == "prepare" and len(i["sha256"]) == 64 for i in manifest["inputs"])
    lines = orders_engagement / "order_lines.csv"
    lines.write_text(lines.read_text() + "10249,1,1,0\n")
    assert engagement_fingerprint(load_engagement(orders_engagement)) != before   # a raw file it reads


def test_a_failing_prepare_is_one_sentence_naming_the_cell(orders_engagement, capsys, monkeypatch):
    """...and the executed copy, kept for the consultant to open, is in the temporary folder."""
    import shutil
    import tempfile

    scratch = tempfile.mkdtemp(prefix="wbt", dir="/tmp")     # short: kernel socket paths live here too
    monkeypatch.setattr(tempfile, "tempdir", scratch)
    try:
        _notebook(orders_engagement / "prepare.ipynb", "1 / 0")
        assert main(["validate", str(orders_engagement)]) == 1
        err = capsys.readouterr().err
        assert "prepare notebook failed in cell" in err and "ZeroDivisionError" in err
        assert "Traceback" not in err
        kept = [p for p in Path(scratch).glob("workbook-prepare-*/*.ipynb")]
        assert len(kept) == 1 and "ZeroDivisionError" in kept[0].read_text(encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_neither_validate_nor_a_run_leaves_the_executed_prepare_in_the_temporary_folder(
        orders_engagement, tmp_path, monkeypatch, capsys):
    import shutil
    import tempfile

    scratch = tempfile.mkdtemp(prefix="wbt", dir="/tmp")     # short: kernel socket paths live here too
    monkeypatch.setattr(tempfile, "tempdir", scratch)
    try:
        assert main(["validate", str(orders_engagement)]) == 0
        assert os.listdir(scratch) == []
        result = run_engagement(orders_engagement, tmp_path / "out")
        assert result.status == "succeeded", result.message
        assert os.listdir(scratch) == []
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
