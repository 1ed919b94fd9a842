"""The per-run verdict log, `verdicts.jsonl`: one line per judged (task, sample), any track, any judge.

Evaluators (Track 1 and Track 2) write it next to their results; `humdial judge agree` and the report
read it. Line format (see docs/judge.md, docs/run_directory.md), validated by `VerdictRecord`:

    {"schema": "humdial.verdict/2", "sample_id": "0001_0002", "task": "follow_up", "language": "en",
     "tags": ["C_RESPOND", ...], "tag": "C_RESPOND" | null, "score": null | 4 | {"dim": 3, ...},
     "judge": "proxy", "model": "...", "rubric_id": "track2_behaviour", "rubric_version": "1",
     "status": "ok" | "parse_failed" | "judge_failed", "raw": "<judge answer>", "reason": "...", "error": ""}

`tags` holds every behaviour tag of the answer (the Track 2 ratio counts them all); `tag` is the first
one, kept for one-label consumers such as agreement. A line without "schema" is version 1 (one `tag`,
no `tags`) and is read as tags = [tag]. A later line for the same (task, sample_id) replaces an earlier
one, so a re-run may simply append.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from humdial.errors import HumdialError
from humdial.results.paths import VERDICTS
from humdial.results.schema import describe_validation_error

FILE_NAME = VERDICTS
SCHEMA = "humdial.verdict/2"
OLD_SCHEMAS = ("humdial.verdict/1",)

class Verdict(Protocol):
    """What a record is made from: the fields of `humdial.judge.base.Verdict` (a layer above results/)."""

    judge: str
    model: str
    rubric_id: str
    rubric_version: str
    status: str
    raw: str
    reason: str
    error: str

STATUSES: tuple[str, ...] = ("ok", "parse_failed", "judge_failed")
"""ok: parsed answer. parse_failed: the judge answered, but never in the required shape within the
re-ask budget (a final answer; cached). judge_failed: no usable answer at all (network, HTTP, timeout,
replay miss); never cached as final, so a re-run retries exactly these."""

Score = float | int | dict[str, float] | None


class VerdictRecord(BaseModel):
    """One line of the verdict log."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    schema_: str = Field(SCHEMA, alias="schema")
    sample_id: str
    task: str
    judge: str
    model: str = ""
    rubric_id: str = ""
    rubric_version: str = ""
    status: str
    tags: tuple[str, ...] = ()
    """Every categorical label of the answer (Track 2 behaviour tags), in the judge's order."""
    tag: str | None = None
    """The first of `tags`; None for score tasks or failed verdicts."""
    score: Score = None
    """Numeric score, or {dimension: score} for multi-dimension rubrics (Track 1)."""
    raw: str = ""
    reason: str = ""
    error: str = ""
    language: str | None = None

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value not in STATUSES:
            raise ValueError(f"unknown status {value!r}")
        return value

    @field_validator("model", "rubric_id", "rubric_version", "raw", "reason", "error", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return "" if value is None else str(value)

    @field_validator("schema_")
    @classmethod
    def _known_schema(cls, value: str) -> str:
        if value != SCHEMA and value not in OLD_SCHEMAS:
            raise ValueError(f"unknown verdict schema {value!r} (this humdial reads {SCHEMA} and older)")
        return value

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("line is not a JSON object")
        data = dict(data)
        tags, tag = data.get("tags"), data.get("tag")
        if not tags and isinstance(tag, str):
            data["tags"] = [tag]
        elif tags and tag is None and isinstance(tags, (list, tuple)) and tags and isinstance(tags[0], str):
            data["tag"] = tags[0]
        return data

    @property
    def key(self) -> tuple[str, str]:
        return (self.task, self.sample_id)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)

    @classmethod
    def from_verdict(cls, sample_id: str, task: str, verdict: Verdict, *, tags: Iterable[str] = (),
                     tag: str | None = None, score: Score = None, language: str | None = None) -> "VerdictRecord":
        tags = tuple(tags) or ((tag,) if tag else ())
        return cls(sample_id=sample_id, task=task, judge=verdict.judge, model=verdict.model,
                   rubric_id=verdict.rubric_id, rubric_version=verdict.rubric_version, status=verdict.status,
                   tags=tags, tag=tags[0] if tags else None, score=score, raw=verdict.raw, reason=verdict.reason,
                   error=verdict.error, language=language)

    @classmethod
    def from_dict(cls, data: Any) -> "VerdictRecord":
        """Validate one decoded line; raises ValueError with the reason."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ValueError(describe_validation_error(exc)) from None


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
