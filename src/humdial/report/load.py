"""Find and read whatever a run directory holds; every missing or unreadable part becomes a note.

The report never fails because one stage did not run: a run with only Track 2 results, only Track 1
results, or neither still gives a page that says what is missing and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRACK2_FILE = "track2_results.json"
TRACK1_FILE = "track1_results.json"
EMOTION_FILE = "track1_emotion.json"
"""Written by `humdial run track1`: per-turn predicted emotion beside the gold label (when the data has one)."""
VERDICTS_FILE = "verdicts.jsonl"
SEARCH_DEPTH = 3
"""Results files are looked for in the run directory and up to this many folder levels below it."""


@dataclass
class RunData:
    run_dir: Path
    track2: dict | None = None
    track2_path: Path | None = None
    track1: dict | None = None
    track1_path: Path | None = None
    verdicts: dict[tuple[str, str], dict] = field(default_factory=dict)
    """(task, sample_id) -> verdict line (the last line per key wins, as in the judge's log)."""
    notes: list[str] = field(default_factory=list)
    """What could not be read or was not found, in words, shown at the top of the report."""
    emotion: dict | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Optional run metadata (e.g. `demo.json` written by `humdial demo`)."""


def _find(run_dir: Path, name: str) -> Path | None:
    direct = run_dir / name
    if direct.is_file():
        return direct
    for depth in range(1, SEARCH_DEPTH + 1):
        hits = sorted(run_dir.glob("/".join(["*"] * depth + [name])))
        if hits:
            return hits[0]
    return None


def _read_json(path: Path, notes: list[str]) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        notes.append(f"{path}: unreadable ({exc}); that section is left out")
        return None
    if not isinstance(value, dict):
        notes.append(f"{path}: not a JSON object; that section is left out")
        return None
    return value


def _read_verdicts(path: Path, notes: list[str]) -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    bad = 0
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                out[(str(rec["task"]), str(rec["sample_id"]))] = rec
            except (json.JSONDecodeError, KeyError, TypeError):
                bad += 1
    if bad:
        notes.append(f"{path}: {bad} unreadable verdict line(s) skipped")
    return out


def load_run(run_dir: str | Path) -> RunData:
    run_dir = Path(run_dir)
    data = RunData(run_dir=run_dir)
    if not run_dir.is_dir():
        data.notes.append(f"{run_dir} is not a directory; nothing to report")
        return data
    for attr, name, what in (("track2", TRACK2_FILE, "humdial eval track2"), ("track1", TRACK1_FILE, "humdial eval track1")):
        path = _find(run_dir, name)
        if path is None:
            data.notes.append(f"no {name} in {run_dir} (run `{what}` to add this track)")
            continue
        setattr(data, attr, _read_json(path, data.notes))
        setattr(data, f"{attr}_path", path)
    for results_path in (data.track2_path, data.track1_path, run_dir / VERDICTS_FILE):
        if results_path is None:
            continue
        verdicts = results_path.parent / VERDICTS_FILE
        if verdicts.is_file():
            for key, rec in _read_verdicts(verdicts, data.notes).items():
                data.verdicts.setdefault(key, rec)
    emotion = _find(run_dir, EMOTION_FILE)
    if emotion is not None:
        data.emotion = _read_json(emotion, data.notes)
    meta = run_dir / "demo.json"
    if meta.is_file():
        data.extra = _read_json(meta, data.notes) or {}
    return data


AGENT_LOG_DIR = "agent_logs"
"""`humdial run track2` mirrors its output tree under OUT/agent_logs/ with one `<stem>.events.jsonl` per output."""
LOG_SEARCH_LEVELS = 4


def find_event_log(output_wav: str | Path, sample_id: str) -> Path | None:
    """The agent's event log for one output wav: next to it, or in an `agent_logs/` mirror of an ancestor folder."""
    wav = Path(output_wav)
    name = wav.stem + ".events.jsonl"
    candidates = [wav.with_name(name), wav.with_name(wav.stem + "_events.jsonl"),
                  wav.with_name(f"{Path(sample_id).name}.events.jsonl")]
    for ancestor in list(wav.parents)[:LOG_SEARCH_LEVELS]:
        candidates.append(ancestor / AGENT_LOG_DIR / wav.parent.relative_to(ancestor) / name)
    return next((c for c in candidates if c.is_file()), None)


def read_event_log(path: Path, limit: int = 400) -> list[dict]:
    """Up to `limit` events (dicts); non-JSON lines are kept as {'text': line}."""
    events: list[dict] = []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return events
    if path.suffix == ".json":
        try:
            value = json.loads(text)
            items = value.get("events", []) if isinstance(value, dict) else value
            return [e if isinstance(e, dict) else {"text": str(e)} for e in items][:limit]
        except json.JSONDecodeError:
            pass
    for line in text.splitlines():
        if len(events) >= limit:
            break
        if not line.strip():
            continue
        try:
            value = json.loads(line)
            events.append(value if isinstance(value, dict) else {"text": str(value)})
        except json.JSONDecodeError:
            events.append({"text": line})
    return events
