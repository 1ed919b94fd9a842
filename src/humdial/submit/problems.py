"""A list of problems found in a submission, each with where it is and why; printed all at once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity.upper():7} {self.where}: {self.message}"


@dataclass
class CheckReport:
    """Errors make a submission invalid; warnings are worth a look but do not."""

    track: str
    source: str
    problems: list[Problem] = field(default_factory=list)
    stats: Counter = field(default_factory=Counter)

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem("error", where, message))

    def warning(self, where: str, message: str) -> None:
        self.problems.append(Problem("warning", where, message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def render(self) -> str:
        lines = [str(p) for p in sorted(self.problems, key=lambda p: (p.severity != "error", p.where))]
        facts = ", ".join(f"{k}: {v}" for k, v in sorted(self.stats.items()))
        verdict = "OK" if self.ok else "INVALID"
        lines.append(f"{self.track} submission {self.source}: {verdict} "
                     f"({len(self.errors)} error(s), {len(self.warnings)} warning(s); {facts})")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"track": self.track, "source": self.source, "ok": self.ok, "stats": dict(self.stats),
                "problems": [{"severity": p.severity, "where": p.where, "message": p.message} for p in self.problems]}
