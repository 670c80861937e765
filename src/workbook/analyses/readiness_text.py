"""The words of a readiness row: the flags raised and the plain 'why' sentence for each manager."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from workbook.analyses.readiness_pillars import PILLAR_LABELS, PILLARS


def readiness_flags(out: pd.DataFrame, a: dict[str, Any]) -> pd.Series:
    limit = float(a["span_flag_above"])
    rules = [
        (out["span"] > limit, f"span over {limit:g}"),
        (out["team_size"] == 0, "no active reps"),
        ((out["attrition_low"] > out["org_attrition_rate"]) & (out["attrition_exits"] > 0),
         "attrition above organisation"),
        (out["results_high"] < out["org_results"], "results below organisation"),
        (out["hours_per_rep_month"] < float(a["target_coaching_hours_per_rep_month"]), "coaching below target"),
        (out["manager_sales_program"] < 1, "not trained on the reps' program"),
        (out["manager_coaching_program"] < 1, "coaching program not completed"),
        (out["barrier_point"] != "", "buy-in barrier at " + out["barrier_point"].astype(str)),
        (out["inferred"] if "inferred" in out else pd.Series(False, index=out.index),
         "inferred from the manager column"),
        (out["buy_in_gate"] if "buy_in_gate" in out else pd.Series(False, index=out.index),
         "buy-in gate: not ready to lead until awareness and desire improve"),
        (out["coaching_gate"] if "coaching_gate" in out else pd.Series(False, index=out.index),
         "coaching gate: not ready to lead until coaching improves"),
    ]
    flags = pd.Series("", index=out.index, dtype="object")
    for mask, text in rules:
        hit = mask.fillna(False).to_numpy(dtype=bool)
        flags = flags.where(~hit, np.where(flags == "", text, flags + "; " + text))
    return flags


TIER_PHRASE = {"ready": "Ready to lead the program", "developing": "Developing",
               "not_ready": "Not ready"}
# a 'ready' manager with a pillar below this is told which pillar is the gap to close
WEAK_PILLAR_BELOW = 50.0
FLAG_PHRASE = {
    "attrition above organisation": "loses reps faster than the organisation",
    "results below organisation": "team results below the organisation's",
    "coaching below target": "coaches less than the target",
    "not trained on the reps' program": "has not taken the reps' program",
    "coaching program not completed": "has not completed the coaching program",
    "no active reps": "has no active reps",
    "buy-in gate: not ready to lead until awareness and desire improve":
        "does not yet see the need for or want the change (awareness or desire at 2 or below), so "
        "cannot be 'ready' until a buy-in step",
    "coaching gate: not ready to lead until coaching improves":
        "coaches too little to lead a coaching-centred change, so cannot be 'ready' until coaching "
        "improves",
    "inferred from the manager column": "has no row of their own in the roster (inferred from the "
                                        "manager column)",
}


def shown_score(score: float, a: dict[str, Any]) -> str:
    """The score in whole points, or to one decimal where rounding would cross a tier line
    (69.9 is 'developing' and must not read as 70)."""
    lines = [float(a[k]) for k in ("tier_ready_min_score", "tier_developing_min_score") if k in a]
    for line in lines:
        if score < line <= math.floor(score + 0.5):
            return f"{math.floor(score * 10) / 10:.1f}"
    return f"{math.floor(score + 0.5):.0f}"   # half up: 56.5 reads 57, as 73.5 reads 74


def why_text(out: pd.DataFrame, a: dict[str, Any]) -> pd.Series:
    """One plain sentence per manager: tier, weakest pillars, what is flagged."""
    ready = float(a["tier_ready_min_score"])
    labels = [PILLAR_LABELS[p] for p in PILLARS]
    scores = out[[f"score_{p}" for p in PILLARS]].to_numpy(dtype=float)
    sentences = []
    for row, (tier, flags, score) in enumerate(zip(out["tier"], out["flags"], out["readiness_score"],
                                                   strict=True)):
        weak = sorted((s, i) for i, s in enumerate(scores[row]) if not np.isnan(s) and s < ready)[:2]
        if pd.isna(score):
            text = "Not scored"
        elif tier == "ready" and weak and weak[0][0] < WEAK_PILLAR_BELOW:
            # ready overall, but one pillar is far off: say so, so the row does not contradict its flags
            s, i = weak[0]
            text = f"Ready overall ({shown_score(score, a)}/100); {labels[i]} ({s:.0f}) is the gap to close"
            weak = weak[1:]
        else:
            text = f"{TIER_PHRASE.get(tier, tier)} ({shown_score(score, a)}/100)"
        if weak:
            text += ("; also " if text.endswith("gap to close") else "; weakest on ") + " and ".join(
                f"{labels[i]} ({s:.0f})" for s, i in weak)
        elif not text.endswith("gap to close") and pd.notna(score):
            text += "; no pillar below the 'ready' line"
        phrases = []
        for flag in (f for f in str(flags).split("; ") if f):
            if flag.startswith("span over"):
                phrases.append(f"manages too many people directly ({flag})")
            elif flag.startswith("buy-in barrier at"):
                phrases.append(f"buy-in stalls at {flag.rsplit(' ', 1)[-1]}")
            else:
                phrases.append(FLAG_PHRASE.get(flag, flag))
        if phrases:
            text += "; " + ", ".join(phrases)
        sentences.append(text + ".")
    return pd.Series(sentences, index=out.index, dtype="object")
