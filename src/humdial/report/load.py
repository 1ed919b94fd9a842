"""Find and read whatever a run directory holds, through the `humdial.results` models; every missing,
unreadable or invalid part becomes a note.

The report never fails because one stage did not run: a run with only Track 2 results, only Track 1
results, or neither still gives a page that says what is missing and why.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

from humdial.errors import HumdialError
from humdial.results import paths
from humdial.results.demo import DemoMeta, load_demo_meta
from humdial.results.track1 import EmotionReport, Track1Results, load_emotion_report, load_track1_results
from humdial.results.track2 import Track2Results, load_track2_results
from humdial.results.verdicts import VerdictRecord, read_verdicts

SEARCH_DEPTH = 3
"""Results files are looked for in the run directory and up to this many folder levels below it."""

T = TypeVar("T")


@dataclass
class RunData:
    run_dir: Path
    track2: Track2Results | None = None
    track2_path: Path | None = None
    track1: Track1Results | None = None
    track1_path: Path | None = None
    verdicts: dict[tuple[str, str], VerdictRecord] = field(default_factory=dict)
    """(task, sample_id) -> verdict (the last line per key wins, as in the judge's log)."""
    notes: list[str] = field(default_factory=list)
    """What could not be read or was not found, in words, shown at the top of the report."""
    emotion: EmotionReport | None = None
    demo: DemoMeta | None = None
    """What `humdial demo` ran and skipped, when the run directory is a demo's."""


def _find(run_dir: Path, name: str) -> Path | None:
    direct = run_dir / name
    if direct.is_file():
        return direct
    for depth in range(1, SEARCH_DEPTH + 1):
        hits = sorted(run_dir.glob("/".join(["*"] * depth + [name])))
        if hits:
            return hits[0]
    return None


def _read(path: Path, loader: Callable[[Path], T], notes: list[str]) -> T | None:
    try:
        return loader(path)
    except HumdialError as exc:
        notes.append(f"{exc}; that section is left out")
        return None


def _read_verdicts(path: Path, notes: list[str]) -> dict[tuple[str, str], VerdictRecord]:
    try:
        log = read_verdicts(path)
    except (HumdialError, OSError) as exc:
        notes.append(f"{path}: unreadable ({exc})")
        return {}
    if log.errors:
        notes.append(f"{path}: {len(log.errors)} unreadable verdict line(s) skipped (first: {log.errors[0]})")
    return log.records


def load_run(run_dir: str | Path) -> RunData:
    run_dir = Path(run_dir)
    data = RunData(run_dir=run_dir)
    if not run_dir.is_dir():
        data.notes.append(f"{run_dir} is not a directory; nothing to report")
        return data
    path = _find(run_dir, paths.TRACK2_RESULTS)
    if path is None:
        data.notes.append(f"no {paths.TRACK2_RESULTS} in {run_dir} (run `humdial eval track2` to add this track)")
    else:
        data.track2, data.track2_path = _read(path, load_track2_results, data.notes), path
    path = _find(run_dir, paths.TRACK1_RESULTS)
    if path is None:
        data.notes.append(f"no {paths.TRACK1_RESULTS} in {run_dir} (run `humdial eval track1` to add this track)")
    else:
        data.track1, data.track1_path = _read(path, load_track1_results, data.notes), path
    for results_path in (data.track2_path, data.track1_path, run_dir / paths.VERDICTS):
        if results_path is None:
            continue
        verdicts = results_path.parent / paths.VERDICTS
        if verdicts.is_file():
            for key, rec in _read_verdicts(verdicts, data.notes).items():
                data.verdicts.setdefault(key, rec)
    emotion = _find(run_dir, paths.TRACK1_EMOTION)
    if emotion is not None:
        data.emotion = _read(emotion, load_emotion_report, data.notes)
    meta = run_dir / paths.DEMO_META
    if meta.is_file():
        data.demo = _read(meta, load_demo_meta, data.notes)
    return data


LOG_SEARCH_LEVELS = 4


def find_event_log(output_wav: str | Path, sample_id: str) -> Path | None:
    """The agent's event log for one output wav: next to it, or in an `agent_logs/` mirror of an ancestor folder."""
    wav = Path(output_wav)
    name = wav.stem + paths.AGENT_EVENTS_SUFFIX
    candidates = [wav.with_name(name), wav.with_name(wav.stem + "_events.jsonl"),
                  wav.with_name(Path(sample_id).name + paths.AGENT_EVENTS_SUFFIX)]
    for ancestor in list(wav.parents)[:LOG_SEARCH_LEVELS]:
        candidates.append(ancestor / paths.AGENT_LOGS_DIR / wav.parent.relative_to(ancestor) / name)
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


REPLY_SEARCH_DEPTH = 6
"""Folder levels below the run directory searched for Track 1 reply wavs (the demo keeps the system's
submission at <run>/track1/system/HD-Track1/<lang>/HD-Track1-T3/)."""


def wav_index(root: Path, depth: int = REPLY_SEARCH_DEPTH) -> dict[str, list[Path]]:
    """file name -> wav paths under `root` (at most `depth` levels down), to find replies results name only."""
    out: dict[str, list[Path]] = {}
    root = Path(root)
    base = len(root.parts)
    for folder, dirs, files in os.walk(root):
        if len(Path(folder).parts) - base >= depth:
            dirs[:] = []
        for name in files:
            if name.lower().endswith(".wav"):
                out.setdefault(name, []).append(Path(folder) / name)
    return out


def find_reply_audio(audio: str | None, lang: str, run_dir: Path, index: dict[str, list[Path]]) -> Path | None:
    """A Track 1 item's reply wav: an existing path as written, else the file of that name under the run
    directory in a folder of the item's language (names repeat across languages)."""
    if not audio:
        return None
    given = Path(audio)
    if given.is_absolute() and given.is_file():
        return given
    if (run_dir / given).is_file():
        return run_dir / given
    matches = index.get(given.name, [])
    in_lang = [m for m in matches if lang in m.parts]
    chosen = in_lang or (matches if len(matches) == 1 else [])
    return chosen[0] if chosen else None
