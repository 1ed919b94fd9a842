"""One compared value of `humdial compare`: A, B, B - A and its paired bootstrap interval (both tracks)."""

from __future__ import annotations

from dataclasses import dataclass, field

from humdial.report.bootstrap import Interval


@dataclass
class Difference:
    """One compared value: where it applies (`lang`, `scenario`; "" = overall), its name and unit."""

    lang: str
    scenario: str
    key: str
    unit: str
    """"%" (a fraction), "s", "score" (0-100) or "t1" (a Track 1 judge score or final)."""
    a: float | None
    b: float | None
    interval: Interval | None = None

    @property
    def diff(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a

    def as_dict(self) -> dict:
        return {"lang": self.lang, "scenario": self.scenario, "key": self.key, "unit": self.unit, "a": self.a,
                "b": self.b, "diff": self.diff, "interval": self.interval.as_dict() if self.interval else None}


@dataclass
class PairCounts:
    """What every two-run comparison states first, whatever the track: the runs, the mode, and how many
    samples or items both runs hold (the differences are computed over those) and each alone."""

    a: str
    b: str
    mode: str
    shared: int
    only_a: int
    only_b: int
    differences: list[Difference] = field(default_factory=list)
