"""Stream a whole Track 2 set into a live system (`humdial stream`): every input in real time, the
answers written in the official output layout with their event logs, as `humdial run track2` does.

Per output: the wav (exactly the input's frames, at the input's rate), `agent_logs/<stem>.events.jsonl`
(the system's events as received; empty when it sends none) and `agent_logs/<stem>.stream.json` (send
jitter, output lag, dropped frames, end-to-end latencies, errors). Outputs are written atomically and
the log last, so a re-run skips every input already done (resumable).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from humdial.agent.runner import Job, is_current, stale_outputs, write_record
from humdial.audio.io import load_audio, write_audio
from humdial.errors import HumdialError, ItemError
from humdial.execute.cache import file_sha256, key_of
from humdial.serve.client import StreamResult, stream_audio
from humdial.serve.protocol import RATES


@dataclass(frozen=True)
class StreamSettings:
    url: str
    sessions: int = 1
    frame_ms: float = 20.0
    force: bool = False
    realtime: bool = True
    """False only for tests of the transport: pacing is what makes a stream a live benchmark."""


def stream_key(job: Job, settings: StreamSettings) -> str | None:
    """What a streamed output is made from: the input's content, its language, the system's URL and the
    pacing. A resume redoes a job exactly when this changed (None: the input is unreadable)."""
    try:
        digest = file_sha256(job.input_wav)
    except OSError:
        return None
    return key_of({"input_sha256": digest, "lang": job.lang, "url": settings.url, "frame_ms": settings.frame_ms,
                   "realtime": settings.realtime})


def _forget(job: Job) -> None:
    """Remove what an earlier stream of this job left: a failed job must not keep an older input's output."""
    for path in stale_outputs(job):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def stats_path(job: Job) -> Path:
    return job.log_path.with_name(job.log_path.name.replace(".events.jsonl", ".stream.json"))


def agent_events(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Protocol messages -> the agent's event log (what `run track2` writes): `log` wrappers unwrapped,
    session bookkeeping (`ready`, `end`) left out."""
    events = []
    for m in messages:
        kind = m.get("type")
        if kind == "log" and isinstance(m.get("event"), dict):
            events.append(m["event"])
        elif kind not in ("ready", "end"):
            events.append(m)
    return events


async def stream_job(job: Job, settings: StreamSettings, on_frame: Callable[[int, int], None] | None = None,
                     key: str | None = None) -> dict:
    """One input through the live system; a failure is returned as an error record, never raised. The job
    record (resume key) is written last, once the wav and the log are in place."""
    record: dict[str, Any] = {"sample_id": job.sample_id, "role": job.role, "output": str(job.output_wav)}
    _forget(job)
    try:
        audio = load_audio(job.input_wav, target_rate=None)
    except ItemError as exc:
        return {**record, "status": "error", "error": exc.as_dict()}
    rate = audio.sample_rate
    if rate not in RATES:
        return {**record, "status": "error", "error": {"kind": "bad_rate", "path": str(job.input_wav),
                                                        "message": f"input at {rate} Hz: the protocol carries "
                                                                   f"{', '.join(map(str, RATES))} Hz"}}
    result: StreamResult = await stream_audio(settings.url, audio.samples, rate, job.lang, job.sample_id,
                                              output_rate=rate, frame_ms=settings.frame_ms,
                                              realtime=settings.realtime, on_frame=on_frame)
    stats = {**record, **result.stats, "error": result.error}
    stats_file = stats_path(job)
    stats_file.parent.mkdir(parents=True, exist_ok=True)
    stats_file.write_text(json.dumps(stats, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    if result.error is not None:
        return {**record, "status": "error", "stats": result.stats,
                "error": {"kind": f"stream_{result.error['code']}", "message": result.error["message"],
                          "path": str(job.input_wav)}}
    tmp = job.output_wav.with_name(job.output_wav.stem + ".partial.wav")
    write_audio(tmp, result.output, rate)
    tmp.replace(job.output_wav)
    log = job.log_path
    log.parent.mkdir(parents=True, exist_ok=True)
    part = log.with_name(log.name + ".tmp")
    part.write_text("".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in agent_events(result.events)),
                    encoding="utf-8")
    part.replace(log)
    if key is not None:
        write_record(job, key)
    return {**record, "status": "ok", "stats": result.stats}


async def stream_jobs(jobs: list[Job], settings: StreamSettings,
                      progress: Callable[[float], None] | None = None) -> list[dict]:
    """All pending jobs, `settings.sessions` at a time; `progress(seconds_of_input_streamed)`."""
    if settings.sessions < 1:
        raise HumdialError("--sessions must be at least 1")
    gate = asyncio.Semaphore(settings.sessions)

    async def one(job: Job) -> dict:
        key = stream_key(job, settings)
        if not settings.force and is_current(job, key):
            return {"sample_id": job.sample_id, "role": job.role, "output": str(job.output_wav), "status": "skipped"}
        async with gate:
            def on_frame(k: int, n: int) -> None:
                if progress is not None:
                    progress(settings.frame_ms / 1000)
            return await stream_job(job, settings, on_frame, key)

    return list(await asyncio.gather(*(one(j) for j in jobs)))


def summarise(results: list[dict], settings: StreamSettings) -> dict:
    """Totals over the set: counts, errors, jitter/lag/dropped frames and end-to-end latency."""
    ok = [r for r in results if r["status"] == "ok"]
    stats = [r["stats"] for r in ok]

    def pool(key: str, field: str) -> float | None:
        values = [s[key][field] for s in stats if s.get(key, {}).get("n")]
        return round(float(np.mean(values)), 4) if values else None

    e2e = [m["end_to_end_s"] for s in stats for m in s.get("end_to_end", [])]
    engine = [m["engine_s"] for s in stats for m in s.get("end_to_end", [])]
    return {"url": settings.url, "sessions": settings.sessions, "frame_ms": settings.frame_ms,
            "paced": settings.realtime, "jobs": len(results), "ok": len(ok),
            "skipped": sum(r["status"] == "skipped" for r in results),
            "errors": [r for r in results if r["status"] == "error"],
            "input_s": round(sum(s["input_s"] for s in stats), 2),
            "send_jitter_mean_s": pool("send_jitter", "mean_s"), "send_jitter_max_s": pool("send_jitter", "max_s"),
            "output_lag_mean_s": pool("output_lag", "mean_s"), "output_lag_p95_s": pool("output_lag", "p95_s"),
            "late_output_frames": sum(s["late_output_frames"] for s in stats),
            "dropped_output_frames": sum(s["dropped_output_frames"] for s in stats),
            "end_to_end_latency": {"n": len(e2e), "mean_s": round(float(np.mean(e2e)), 4) if e2e else None,
                                   "p95_s": round(float(np.percentile(e2e, 95)), 4) if e2e else None,
                                   "engine_mean_s": round(float(np.mean(engine)), 4) if engine else None}}
