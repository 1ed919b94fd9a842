"""Human Task 3 ratings (vocal empathy D2, audio quality D3) from a CSV `dialogue_id,turn_id,rater,d2,d3`.

In the challenge these two dimensions were rated by people; a judge cannot reproduce them. Ratings are
averaged over raters per (dialogue, turn). Bad rows become `LineError`s; a rater rating the same turn
twice is an error (the second row is ignored) rather than a silent double weight.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean

from humdial.errors import HumdialError
from humdial.protocol.track1 import LineError

COLUMNS = ("dialogue_id", "turn_id", "rater", "d2", "d3")
SCALE = (1.0, 5.0)
"""Allowed rating range (inclusive); fractional ratings are accepted."""


@dataclass(frozen=True)
class HumanScore:
    d2: float
    d3: float
    raters: int


@dataclass
class HumanRatings:
    scores: dict[tuple[str, int], HumanScore] = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)
    source: str = ""

    def get(self, dialogue_id: str, turn_id: int) -> HumanScore | None:
        return self.scores.get((dialogue_id, turn_id))

    def describe(self) -> dict:
        return {"source": self.source, "items": len(self.scores), "row_errors": len(self.errors),
                "max_raters_per_item": max((s.raters for s in self.scores.values()), default=0)}


def _rating(value: str, column: str) -> float:
    number = float(value)
    if not SCALE[0] <= number <= SCALE[1]:
        raise ValueError(f"{column}={value} outside {SCALE[0]:g}..{SCALE[1]:g}")
    return number


def load_human_ratings(path: str | Path) -> HumanRatings:
    path = Path(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise HumdialError(f"cannot read human ratings {path}: {exc}") from exc
    per_item: dict[tuple[str, int], dict[str, tuple[float, float]]] = {}
    errors: list[LineError] = []
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise HumdialError(f"human ratings {path} lack column(s) {missing}; header must be {','.join(COLUMNS)}")
        for row in reader:
            line = reader.line_num
            did = (row.get("dialogue_id") or "").strip()
            try:
                if not did:
                    raise ValueError("empty dialogue_id")
                turn = int((row.get("turn_id") or "").strip())
                rater = (row.get("rater") or "").strip()
                if not rater:
                    raise ValueError("empty rater")
                d2 = _rating((row.get("d2") or "").strip(), "d2")
                d3 = _rating((row.get("d3") or "").strip(), "d3")
            except ValueError as exc:
                errors.append(LineError(str(path), line, f"bad rating row: {exc}", did or None))
                continue
            ratings = per_item.setdefault((did, turn), {})
            if rater in ratings:
                errors.append(LineError(str(path), line, f"rater {rater!r} rated turn {turn} twice; row ignored", did))
                continue
            ratings[rater] = (d2, d3)
    scores = {key: HumanScore(fmean(v[0] for v in r.values()), fmean(v[1] for v in r.values()), len(r))
              for key, r in per_item.items()}
    return HumanRatings(scores, errors, str(path))
