"""The per-run verdict log, `verdicts.jsonl`: one line per judged (task, sample), any track, any judge.

Evaluators (Track 1 and Track 2) write it next to their results; `humdial judge agree` reads two of
them. Line format (see docs/judge.md):

    {"sample_id": "0001_0002", "task": "follow_up", "language": "en",
     "tag": "C_RESPOND" | null, "score": null | 4 | {"dim": 3, ...},
     "judge": "proxy", "model": "...", "rubric_id": "track2_behaviour", "rubric_version": "1",
     "status": "ok" | "parse_failed" | "judge_failed", "raw": "<judge answer>", "reason": "...", "error": ""}

A later line for the same (task, sample_id) replaces an earlier one, so a re-run may simply append.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from humdial.errors import HumdialError
from humdial.judge.base import STATUSES, Verdict

FILE_NAME = "verdicts.jsonl"

Score = float | int | dict[str, float] | None


@dataclass(frozen=True)
class VerdictRecord:
    sample_id: str
    task: str
    judge: str
    model: str
    rubric_id: str
    rubric_version: str
    status: str
    tag: str | None = None
    """Categorical label (Track 2 behaviour tag); None for score tasks or failed verdicts."""
    score: Score = None
    """Numeric score, or {dimension: score} for multi-dimension rubrics (Track 1)."""
    raw: str = ""
    reason: str = ""
    error: str = ""
    language: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.task, self.sample_id)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_verdict(cls, sample_id: str, task: str, verdict: Verdict, *, tag: str | None = None,
                     score: Score = None, language: str | None = None) -> "VerdictRecord":
        return cls(sample_id=sample_id, task=task, judge=verdict.judge, model=verdict.model,
                   rubric_id=verdict.rubric_id, rubric_version=verdict.rubric_version, status=verdict.status,
                   tag=tag, score=score, raw=verdict.raw, reason=verdict.reason, error=verdict.error,
                   language=language)

    @classmethod
    def from_dict(cls, data: Any) -> "VerdictRecord":
        """Validate one decoded line; raises ValueError with the reason."""
        if not isinstance(data, dict):
            raise ValueError("line is not a JSON object")
        missing = [k for k in ("sample_id", "task", "judge", "status") if not isinstance(data.get(k), str)]
        if missing:
            raise ValueError(f"missing or non-string field(s): {', '.join(missing)}")
        if data["status"] not in STATUSES:
            raise ValueError(f"unknown status {data['status']!r}")
        tag, score = data.get("tag"), data.get("score")
        if tag is not None and not isinstance(tag, str):
            raise ValueError("'tag' must be a string or null")
        if score is not None and not isinstance(score, (int, float, dict)):
            raise ValueError("'score' must be a number, an object of numbers, or null")
        text = {k: str(data.get(k) or "") for k in ("model", "rubric_id", "rubric_version", "raw", "reason", "error")}
        language = data.get("language")
        return cls(sample_id=data["sample_id"], task=data["task"], judge=data["judge"], status=data["status"],
                   tag=tag, score=score, language=language if isinstance(language, str) else None, **text)


@dataclass(frozen=True)
class VerdictLogReadResult:
    records: dict[tuple[str, str], VerdictRecord]
    """Last record per (task, sample_id)."""
    errors: list[str]
    """One explanation per unreadable line (`<file>:<line>: reason`)."""


def resolve_log_path(path: str | Path) -> Path:
    """A run directory (holding verdicts.jsonl) or the file itself (any existing file, or a `.jsonl` name)."""
    path = Path(path)
    return path if path.is_file() or path.suffix == ".jsonl" else path / FILE_NAME


def write_verdicts(path: str | Path, records: Iterable[VerdictRecord]) -> Path:
    """Write the whole log atomically (temp file in the same folder, then rename)."""
    target = resolve_log_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".verdicts-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def append_verdicts(path: str | Path, records: Iterable[VerdictRecord]) -> Path:
    """Append lines (a re-run adding its newly completed verdicts)."""
    target = resolve_log_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    return target


def read_verdicts(path: str | Path) -> VerdictLogReadResult:
    """Read a log; bad lines are reported in `errors`, never fatal. A missing file is fatal."""
    target = resolve_log_path(path)
    if not target.is_file():
        raise HumdialError(f"no verdict log at {target}")
    records: dict[tuple[str, str], VerdictRecord] = {}
    errors: list[str] = []
    with target.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = VerdictRecord.from_dict(json.loads(line))
            except (json.JSONDecodeError, ValueError) as exc:
                errors.append(f"{target}:{number}: {exc}")
                continue
            records[record.key] = record
    return VerdictLogReadResult(records=records, errors=errors)
