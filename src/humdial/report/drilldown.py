"""Per-sample drill-down: input and output waveforms on one time axis, VAD segments, words, the agent's
event log, the judge's verdict and reason, and audio players."""

from __future__ import annotations

import json
from collections import defaultdict
from html import escape
from pathlib import Path

from humdial.protocol.transcript import load_transcript
from humdial.errors import ItemError
from humdial.report.load import find_event_log, read_event_log
from humdial.report.media import AudioBudget, Clip, load_clip
from humdial.report.svg import PALETTE, Lane, timeline
from humdial.results import paths
from humdial.results.track2 import SampleRecord
from humdial.results.verdicts import VerdictRecord
from humdial.scoring.sample_verdict import SampleVerdict

EVENT_TIME_KEYS: tuple[str, ...] = ("t", "time", "at", "timestamp", "t_s")
"""Keys an agent event may use for its time in seconds."""


STATUS_LABEL = {"ok": "evaluated", "error": "evaluation error"}
"""What the evaluator's per-sample status means: measured without errors or not (NOT whether it passed)."""


def pick_samples(records: list[SampleRecord], limit: int, failed: set[str] = frozenset()) -> list[SampleRecord]:
    """Up to `limit` samples: evaluation errors first, then failed samples, then round-robin over
    (language, unit) so every scenario shows."""
    groups: dict[tuple[str, str], list[SampleRecord]] = defaultdict(list)
    for r in records:
        groups[(r.lang, r.unit)].append(r)
    chosen = ([r for r in records if r.errors] + [r for r in records if not r.errors and r.sample_id in failed])[:limit]
    seen = {id(r) for r in chosen}
    queues = [list(v) for _, v in sorted(groups.items())]
    while len(chosen) < limit and any(queues):
        for q in queues:
            while q and id(q[0]) in seen:
                q.pop(0)
            if q and len(chosen) < limit:
                r = q.pop(0)
                chosen.append(r)
                seen.add(id(r))
    return chosen


def _words(run_dir: Path, sample_id: str, role: str, wav: str | None) -> tuple[tuple[float, float, str], ...]:
    """Words of one recording: the evaluator's stored ASR transcript, else a precomputed `<stem>.json`."""
    candidates = [paths.transcripts_dir(run_dir) / sample_id / f"{role}.json"]
    if wav:
        candidates.append(Path(wav).with_suffix(".json"))
    for path in candidates:
        if not path.is_file():
            continue
        try:
            return tuple((w.start, w.end, w.text) for w in load_transcript(path).words)
        except (ItemError, OSError, ValueError, KeyError, TypeError):
            continue
    return ()


def _event_time(event: dict) -> float | None:
    for key in EVENT_TIME_KEYS:
        value = event.get(key)
        if isinstance(value, (int, float)):
            return float(value)
    return None


def _event_label(event: dict) -> str:
    parts = [str(event[k]) for k in ("type", "name", "event", "state", "to", "strategy", "decision", "what", "text")
             if k in event]
    reason = event.get("reason")
    return " / ".join(parts) + (f" - {reason}" if reason else "")


def _player(label: str, clip: Clip | None, missing: str) -> str:
    if clip is None:
        return f'<div class="player missing">{escape(label)}: {escape(missing)}</div>'
    return (f'<div class="player"><span>{escape(label)}</span>'
            f'<audio controls preload="none" src="{escape(clip.src or "")}"></audio></div>')


def _verdict_html(verdict: VerdictRecord | None) -> str:
    if verdict is None:
        return '<p class="muted">no judge verdict recorded for this sample</p>'
    judge = f"{verdict.judge} ({verdict.model})"
    proxy = ' <span class="badge proxy">proxy</span>' if verdict.judge == "proxy" else ""
    answer: object = ", ".join(verdict.tags) if verdict.tags else verdict.score
    if isinstance(answer, dict):
        answer = ", ".join(f"{k}={v}" for k, v in answer.items())
    return (f'<div class="verdict"><b>Judge</b> {escape(judge)}{proxy}: <b>{escape(str(answer))}</b> '
            f'[{escape(verdict.status)}]<br><span class="reason">{escape(verdict.reason or verdict.error)}</span></div>')


def _events_html(events: list[dict]) -> str:
    if not events:
        return '<p class="muted">no agent event log found for this sample</p>'
    rows = "".join(f"<tr><td>{'' if _event_time(e) is None else f'{_event_time(e):.3f}'}</td>"
                   f"<td>{escape(_event_label(e) or json.dumps(e, ensure_ascii=False)[:200])}</td></tr>" for e in events)
    return (f'<details><summary>Agent event log ({len(events)} events)</summary>'
            f'<table class="events"><tr><th>t (s)</th><th>event</th></tr>{rows}</table></details>')


LEGEND = ('<div class="legend"><span style="color:#c53030">| red lines: agent events (hover for the event)</span>'
          '<span>input/output: waveforms</span><span>VAD: detected speech</span>'
          '<span>stop / resp: latency intervals</span></div>')


def sample_attrs(record: SampleRecord, verdict: SampleVerdict | None) -> str:
    """The data attributes the report's filters select on."""
    return (f'data-sample="{escape(record.sample_id)}" data-lang="{escape(record.lang)}" '
            f'data-unit="{escape(record.unit)}" data-scenario="{escape(record.unit.split(".")[0])}" '
            f'data-status="{escape(STATUS_LABEL.get(record.status, record.status))}" '
            f'data-verdict="{escape(verdict.verdict if verdict else "")}"')


def verdict_badge(verdict: SampleVerdict | None) -> str:
    if verdict is None:
        return ""
    return (f'<span class="badge {escape(verdict.verdict)}" title="{escape(verdict.criterion)}">'
            f'{escape(verdict.verdict)}</span>')


def track2_sample_html(record: SampleRecord, verdicts: dict[tuple[str, str], VerdictRecord], run_dir: Path,
                       report_dir: Path, budget: AudioBudget, sample_verdict: SampleVerdict | None = None,
                       anchor: str = "s-") -> str:
    files = record.files
    duration = max(record.input.duration if record.input else 0.0, record.output.duration if record.output else 0.0,
                   1.0)
    in_clip = load_clip(files["input"], report_dir, budget, duration) if files.get("input") else None
    out_clip = load_clip(files["output"], report_dir, budget, duration) if files.get("output") else None
    if in_clip:
        duration = max(duration, in_clip.duration)
    lanes = []
    if in_clip:
        lanes.append(Lane("input", envelope=in_clip.envelope, colour=PALETTE["input"]))
    if record.user_segments:  # lanes only where they have data (rejection samples have no user VAD)
        lanes.append(Lane("user VAD", intervals=tuple((s, e, "") for s, e in record.user_segments),
                          colour=PALETTE["user_vad"]))
    sid = record.sample_id
    in_words = _words(run_dir, sid, "input", files.get("input"))
    if in_words:
        lanes.append(Lane("input words", intervals=in_words, colour="#c6f6d5"))
    if out_clip:
        lanes.append(Lane("output", envelope=out_clip.envelope, colour=PALETTE["output"]))
    if record.model_segments:
        lanes.append(Lane("model VAD", intervals=tuple((s, e, "") for s, e in record.model_segments),
                          colour=PALETTE["model_vad"]))
    out_words = _words(run_dir, sid, "output", files.get("output"))
    if out_words:
        lanes.append(Lane("output words", intervals=out_words, colour="#bee3f8"))
    if record.stop_intervals or record.response_intervals:
        lanes.append(Lane("stop / response", colour="#feb2b2", intervals=tuple(
            [(s, e, "stop") for s, e in record.stop_intervals] + [(s, e, "resp") for s, e in record.response_intervals])))
    events: list[dict] = []
    log = find_event_log(files["output"], sid) if files.get("output") else None
    if log:
        events = read_event_log(log)
    state_changes = [e for e in events if e.get("type") == "state"]
    marks = [(t, _event_label(e)) for e in (state_changes or events) if (t := _event_time(e)) is not None]
    fr = record.first_response
    if fr is not None and fr.anchor_end is not None:
        marks.append((fr.anchor_end, "first-response anchor (end of the user's query)"))
    svg = timeline(lanes, duration, marks, title=f"sample {sid}")
    problems = "".join(f'<li class="error">{escape(e.kind)}: {escape(e.message)}</li>' for e in record.errors)
    problems += "".join(f'<li class="warning">{escape(str(w))}</li>' for w in record.warnings)
    frd = "-" if fr is None or fr.diff is None else f"{fr.diff:.3f} s"
    verdict = verdicts.get((record.unit, sid))
    status = record.status
    why = (f'<p class="why"><b>{escape(sample_verdict.verdict)}</b>: {escape(sample_verdict.reason)} '
           f'<span class="muted">(criterion: {escape(sample_verdict.criterion)})</span>'
           + "".join(f'<br><span class="warn">{escape(f)}</span>' for f in sample_verdict.flags) + "</p>"
           if sample_verdict else "")
    return (f'<section class="sample" id="{escape(anchor + sid)}" {sample_attrs(record, sample_verdict)}>'
            f'<h4>{escape(record.lang)} / {escape(record.unit)} / {escape(sid)} {verdict_badge(sample_verdict)}'
            f'<span class="badge {escape(status)}">{escape(STATUS_LABEL.get(status, status))}</span></h4>{why}'
            f'<div class="scroll">{svg}</div>{LEGEND}'
            f'<div class="players">{_player("input", in_clip, "input audio not found")}{_player("output", out_clip, "no output audio")}</div>'
            f'<p>first-response delay {frd}; stop intervals {len(record.stop_intervals)}, '
            f'response intervals {len(record.response_intervals)}</p>'
            f'{_verdict_html(verdict)}{_events_html(events)}'
            + (f'<ul class="problems">{problems}</ul>' if problems else "") + "</section>")
