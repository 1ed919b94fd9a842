"""Per-sample rows of a run as JSONL or CSV (`humdial export samples RUN`), for pandas, spreadsheets and
other analysis tools. Track 2 rows carry the sample's verdict against its scenario's criterion; Track 1
rows the judge's scores. One schema per track; `track` says which."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from humdial.report.load import RunData, load_run
from humdial.report.track2_view import sample_tags
from humdial.scoring.sample_verdict import sample_verdict

TRACK2_COLUMNS = ("track", "sample_id", "lang", "unit", "scenario", "evaluation", "verdict", "reason", "criterion",
                  "flags", "judge_tags", "first_response_delay_s", "model_speech_s", "stop_latency_s",
                  "response_latency_s", "errors", "input", "output")
TRACK1_COLUMNS = ("track", "sample_id", "lang", "task", "dialogue_id", "evaluation", "scores", "reason", "audio")


def track2_rows(data: RunData) -> list[dict]:
    if data.track2 is None:
        return []
    rows = []
    for s in data.track2.samples:
        tags = sample_tags(s, data.verdicts)
        v = sample_verdict(s.model_dump(), tags)
        fr, ev = s.first_response, s.event
        rows.append({"track": "track2", "sample_id": s.sample_id, "lang": s.lang, "unit": s.unit,
                     "scenario": s.unit.split(".")[0], "evaluation": s.status, "verdict": v.verdict,
                     "reason": v.reason, "criterion": v.criterion, "flags": v.flags, "judge_tags": tags,
                     "first_response_delay_s": fr.diff if fr else None, "model_speech_s": s.model_speech_s,
                     "stop_latency_s": ev.stop_latency if ev else None,
                     "response_latency_s": ev.response_latency if ev else None,
                     "errors": [f"{e.kind}: {e.message}" for e in s.errors],
                     "input": s.files.get("input"), "output": s.files.get("output")})
    return rows


def track1_rows(data: RunData) -> list[dict]:
    if data.track1 is None:
        return []
    return [{"track": "track1", "sample_id": it.id, "lang": it.lang, "task": it.task, "dialogue_id": it.dialogue_id,
             "evaluation": it.status, "scores": it.scores, "reason": it.reason, "audio": it.audio}
            for it in data.track1.items]


def sample_rows(run_dir: str | Path) -> tuple[list[dict], list[str]]:
    """(rows of both tracks, notes on what could not be read)."""
    data = load_run(run_dir)
    return track2_rows(data) + track1_rows(data), data.notes


def _cell(value: object) -> str:
    """CSV cell: lists and dicts as compact JSON, None as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_rows(rows: list[dict], out, fmt: str) -> None:
    """Write to an open text stream: JSONL (one object a line) or CSV (the union of both tracks' columns)."""
    if fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    columns = list(dict.fromkeys([c for c in TRACK2_COLUMNS if any(r["track"] == "track2" for r in rows)]
                                 + [c for c in TRACK1_COLUMNS if any(r["track"] == "track1" for r in rows)]))
    writer = csv.DictWriter(out, fieldnames=columns or list(TRACK2_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _cell(r.get(k)) for k in columns})
