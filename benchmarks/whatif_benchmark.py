"""What-if explorer latency per control: what a workshop waits for after moving a slider.

For the demo (`generate_demo`, 12 managers) and a 5,000-person engagement (`generate_demo(people=5000)`),
each control is moved 10 times to values not seen before (no remembered result helps), with the tab
that shows its effect visible; a move is timed from setting the control's value (the widget's
`observe` calls the same handler a browser's change does) to the visible panel's output updated.
The median of the 10 moves is printed beside its target (<= 200 ms demo, <= 1 s at 5,000 people).
The Charts tab is timed the same way for two controls, the coaching target (every chart moves) and
the base uplift (one chart moves).

    .venv/bin/python benchmarks/whatif_benchmark.py          # both engagements
    .venv/bin/python benchmarks/whatif_benchmark.py --demo   # the demo only
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

MOVES = 10
TARGETS = {"demo": 0.2, "5,000 people": 1.0}
# control -> the tab that shows what it moves
PANEL_OF = {"uplift_conservative": "roi", "uplift_base": "roi", "uplift_upper": "roi",
            "gap_closure_share": "roi", "gross_margin_pct": "roi",
            "target_coaching_hours_per_rep_month": "coaching", "team_development_weight": "compensation",
            "cohort_size": "training", "weeks_between_waves": "training", "highlight": "roi"}
CHART_RUNS = ("target_coaching_hours_per_rep_month", "uplift_base")


def values_for(explorer, name: str) -> list:
    """MOVES values for a control, each different from the last and from the engagement's own."""
    from workbook.engagement.assumptions import BY_NAME
    from workbook.interactive.model import HIGHLIGHTS

    if name == "highlight":
        return [HIGHLIGHTS[(i + 2) % len(HIGHLIGHTS)] for i in range(MOVES)]   # never "base" first
    a, now = BY_NAME[name], explorer.controls[name].value
    if a.kind == "integer":
        pool = [v for v in range(int(a.minimum), int(a.maximum) + 1) if v != now]
        return [pool[i % len(pool)] for i in range(MOVES)]
    step = explorer.controls[name].step
    grid = np.round(np.arange(a.minimum, a.maximum + step / 2, step), 6)
    pool = [float(v) for v in grid if abs(v - now) > step / 2]
    picks = np.linspace(0, len(pool) - 1, MOVES).round().astype(int)
    return [pool[i] for i in picks]


def time_control(explorer, name: str, panel: str) -> float:
    """Median seconds from the control's new value to the visible panel drawn."""
    explorer.reset()
    explorer.show(panel)
    times = []
    for value in values_for(explorer, name):
        before = explorer.draws[panel]
        started = time.perf_counter()
        explorer.controls[name].value = value      # observe -> Explorer._on_change, as in a browser
        times.append(time.perf_counter() - started)
        assert explorer.draws[panel] == before + 1, f"{panel} was not redrawn after moving {name}"
    return statistics.median(times)


def run(which: tuple[str, ...] = ("demo", "5,000 people")) -> list[tuple[str, str, str]]:
    from workbook.demo import generate_demo
    from workbook.interactive import CONTROLS, build_explorer

    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for label in which:
            people = {"5,000 people": 5000}.get(label)
            folder = generate_demo(Path(tmp) / label.replace(",", "").replace(" ", "_"),
                                   **({"people": people} if people else {}))
            started = time.perf_counter()
            explorer = build_explorer(folder, audience="room")
            opened = time.perf_counter() - started
            target = TARGETS[label]
            managers = len(explorer.results.readiness)
            rows.append((f"what-if, {label} ({managers} managers): open the explorer", f"{opened:.2f} s", ""))
            for name in (*CONTROLS, "highlight"):
                panel = PANEL_OF[name]
                median = time_control(explorer, name, panel)
                rows.append((f"what-if, {label}: {name} -> {panel} tab (median of {MOVES})",
                             f"{median * 1000:.0f} ms", f"<= {target * 1000:.0f} ms"))
            for name in CHART_RUNS:
                median = time_control(explorer, name, "charts")
                rows.append((f"what-if, {label}: {name} -> charts tab (median of {MOVES})",
                             f"{median * 1000:.0f} ms", f"<= {target * 1000:.0f} ms"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", action="store_true", help="the demo only")
    args = parser.parse_args(argv)
    rows = run(("demo",) if args.demo else ("demo", "5,000 people"))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'figure':<{width}}  {'value':>10}  target")
    print("-" * (width + 22))
    for label, value, target in rows:
        print(f"{label:<{width}}  {value:>10}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
