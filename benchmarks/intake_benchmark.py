"""How long intake takes on a large, messy CRM export (about 500,000 rows, 50 MB)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def write_large_crm(folder: Path, rows: int = 500_000, reps: int = 4_000, seed: int = 3) -> Path:
    rng = np.random.default_rng(seed)
    names = np.array([f"Rep Number{i:05d} Surname{i % 97:02d}" for i in range(reps)])
    people = pd.DataFrame({"person_id": [f"E{i:06d}" for i in range(reps)], "name": names,
                           "manager_id": ""})
    people.to_csv(folder / "roster.csv", index=False)
    owner = names[rng.integers(0, reps, rows)]
    owner = np.where(rng.random(rows) < 0.2, np.char.upper(owner.astype(str)), owner)
    days = pd.Timestamp("2025-10-01") + pd.to_timedelta(rng.integers(0, 365, rows), unit="D")
    iso = days.strftime("%Y-%m-%d")
    us = days.strftime("%m/%d/%Y")
    text = days.strftime("%d %b %Y")
    pick = rng.integers(0, 3, rows)
    dates = np.where(pick == 0, iso, np.where(pick == 1, us, text))
    amount = rng.gamma(2.0, 9000, rows).round(2)
    money = np.where(rng.random(rows) < 0.5, [f"${a:,.2f}" for a in amount], amount.astype(str))
    stages = np.array(["Closed Won", "Won", "Closed Lost", "Negotiation", "Proposal"])[rng.integers(0, 5, rows)]
    deals = pd.DataFrame({"Opportunity ID": [f"OPP-{i:07d}" for i in range(rows)], "Owner": owner,
                          "Close Date": dates, "Amount": money, "Stage": stages,
                          "Account Name": "Account " + pd.Series(rng.integers(0, 20000, rows)).astype(str),
                          "Description": "Contract placement for a senior developer role, 6 months"})
    deals.to_csv(folder / "crm.csv", index=False, encoding="utf-8-sig")
    (folder / "engagement.yaml").write_text(
        "client: Bench\nengagement: bench\nsources:\n  people: roster.csv\n  sales:\n    path: crm.csv\n"
        "    columns: {Owner: rep_name, Close Date: date, Amount: amount, Stage: stage, "
        "Opportunity ID: opportunity_id}\n", encoding="utf-8")
    return folder / "crm.csv"


def run(repeats: int = 3) -> list[tuple[str, str]]:
    from workbook.intake.load import load_engagement_data

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        crm = write_large_crm(folder)
        size_mb = crm.stat().st_size / 1e6
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            data = load_engagement_data(folder)
            times.append(time.perf_counter() - t)
        rows = len(data.tables["sales"])
    return [("intake: CRM CSV size", f"{size_mb:.1f} MB, {rows:,} deals used"),
            (f"intake: load + clean + resolve owners (median of {repeats})", f"{np.median(times):.2f} s")]


if __name__ == "__main__":
    for label, value in run():
        print(f"{label:<60} {value}")
