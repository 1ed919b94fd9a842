"""Run the agent over a Track 2 data set: one output wav and one event log per input (noisy and clean).

Outputs are written atomically (temporary file, then rename): the wav, then the event log, then a small
job record (`<stem>.job.json` beside the log) holding the job's key: the sha256 of the input wav plus
every setting that shapes the output (agent config, clock, cost profile, responder, ASR, speaker
encoder, humdial version). A re-run skips a job exactly when its record holds the key it would compute
now; a job whose input or settings changed is redone, and a job that now fails loses its earlier
outputs, so no output of an older input survives a resume. Each worker
process loads the models once (`AgentKit`) and reuses them for all its samples. Sessions run on the
cost clock unless told otherwise (`RunSettings.clock`); the runner still measures each session's wall
time, outside the engine, for the real-time factor.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import soundfile as sf

from humdial.agent.build import AgentKit
from humdial.agent.state import EventLog
from humdial.audio.io import load_audio, write_audio
from humdial import __version__
from humdial.errors import ItemError
from humdial.execute.cache import file_sha256, key_of
from humdial.results.paths import AGENT_EVENTS_SUFFIX, AGENT_JOB_SUFFIX, AGENT_LOGS_DIR as LOG_DIR


@dataclass(frozen=True)
class RunSettings:
    langs: tuple[str, ...]
    responder: str = "offline"
    asr: tuple[tuple[str, str], ...] = ()
    speaker_encoder: str = "auto"
    realtime: bool = False
    force: bool = False
    clock: str = "cost"
    """'cost' (deterministic, priced by `cost_profile`) or 'wall' (measured); `realtime` overrides both."""
    cost_profile: str | None = None
    """Cost profile file for the cost clock (None: the shipped 2-core profile)."""
    self_transcripts: bool = False
    """Also write `<output stem>.json`: the agent's own words and timings (not ASR), for scoring a
    language with no ASR model; every report built on them must say so."""


@dataclass(frozen=True)
class Job:
    sample_id: str
    lang: str
    role: str  # "input" | "clean"
    input_wav: Path
    output_wav: Path
    log_path: Path

    @property
    def record_path(self) -> Path:
        """The job record (key of what made the outputs), written last."""
        return self.log_path.with_name(self.log_path.name.removesuffix(AGENT_EVENTS_SUFFIX) + AGENT_JOB_SUFFIX)

    @property
    def self_transcript(self) -> Path:
        return self.output_wav.with_suffix(".json")


@dataclass
class JobResult:
    sample_id: str
    role: str
    output: str
    status: str  # ok | skipped | error
    audio_s: float = 0.0
    compute_s: float = 0.0
    """Measured wall time of the session itself (the real-time factor's numerator, whatever the clock)."""
    charged_s: float = 0.0
    """Compute time the session's clock charged (profile costs on the cost clock)."""
    wall_s: float = 0.0
    error: dict | None = None
    decisions: dict = field(default_factory=dict)
    replaced: bool = False
    """An earlier output existed but its record does not match this input and these settings (or is
    absent), so it was redone (never set under --force)."""


def log_path_for(output_wav: Path, out_root: Path) -> Path:
    try:
        rel = output_wav.relative_to(out_root)
    except ValueError:
        rel = Path(output_wav.name)
    return out_root / LOG_DIR / rel.with_suffix(AGENT_EVENTS_SUFFIX)


def plan_jobs(samples: list, out_root: Path) -> list[Job]:
    """Two jobs per sample where the protocol has a clean input, one otherwise."""
    jobs = []
    for s in samples:
        jobs.append(Job(s.sample_id, s.lang, "input", s.input_wav, s.output_wav, log_path_for(s.output_wav, out_root)))
        if s.clean_wav is not None and s.clean_output_wav is not None and s.clean_wav.exists():
            jobs.append(Job(s.sample_id, s.lang, "clean", s.clean_wav, s.clean_output_wav,
                            log_path_for(s.clean_output_wav, out_root)))
    return jobs


_KITS: dict[RunSettings, AgentKit] = {}


def _kit(settings: RunSettings) -> AgentKit:
    key = RunSettings(settings.langs, settings.responder, settings.asr, settings.speaker_encoder,
                      cost_profile=settings.cost_profile)
    if key not in _KITS:
        from humdial.agent.config import AgentConfig
        from humdial.agent.costs import load_profile

        _KITS[key] = AgentKit.load(list(settings.langs), settings.responder, dict(settings.asr),
                                   AgentConfig(speaker_encoder=settings.speaker_encoder),
                                   load_profile(settings.cost_profile))
    return _KITS[key]


def settings_identity(settings: RunSettings) -> dict:
    """Everything besides the input wav and the job's language that shapes a job's outputs (part of every
    job key); the ASR spec enters per language, so changing one language's ASR redoes only its jobs."""
    from humdial.agent.config import AgentConfig
    from humdial.agent.costs import load_profile

    clock = effective_clock(settings)
    return {"humdial": __version__, "clock": clock, "responder": settings.responder,
            "asr": dict(settings.asr),
            "agent_config": AgentConfig(speaker_encoder=settings.speaker_encoder).as_dict(),
            "cost_profile": load_profile(settings.cost_profile).sha256 if clock == "cost" else None,
            "self_transcripts": settings.self_transcripts}


def job_key(job: Job, identity: dict) -> str | None:
    """sha256 over the input wav's content, the job's language and the settings; None if unreadable."""
    try:
        digest = file_sha256(job.input_wav)
    except OSError:
        return None
    asr = identity["asr"].get(job.lang)
    return key_of({"input_sha256": digest, "lang": job.lang, "asr": asr, "settings": {**identity, "asr": None}})


def stale_outputs(job: Job) -> list[Path]:
    return [job.record_path, job.output_wav, job.log_path, job.self_transcript]


def run_job(kit: AgentKit, job: Job, clock: str = "cost", self_transcript: bool = False,
            key: str | None = None) -> JobResult:
    """Run one input; bad audio or a failing responder become an error result, never an exception.

    The job record goes first (so a kill mid-job leaves the job undone) and is written back with `key`
    once every output is in place; a failed job removes the outputs of any earlier run of it."""
    start = time.perf_counter()
    try:
        job.record_path.unlink(missing_ok=True)
        audio = load_audio(job.input_wav)
        frames = sf.info(str(job.input_wav)).frames
        log = EventLog()
        session_start = time.perf_counter()
        result = kit.agent(job.lang, clock=clock, log=log).run(audio, output_rate=audio.source_rate,
                                                               output_samples=frames)
        session_s = time.perf_counter() - session_start
        tmp = job.output_wav.with_name(job.output_wav.stem + ".partial.wav")
        write_audio(tmp, result.output, result.output_rate)
        tmp.replace(job.output_wav)
        if self_transcript:
            from humdial.protocol.transcript import Transcript

            Transcript.from_words(result.words).save(job.self_transcript)
        log.write(job.log_path)
        if key is not None:
            write_record(job, key)
    except ItemError as exc:
        return _failed(job, exc.as_dict(), start)
    except Exception as exc:  # an engine bug on one input is recorded with its reason; the run goes on
        return _failed(job, {"kind": "agent_error", "message": f"{type(exc).__name__}: {exc}",
                             "path": str(job.input_wav)}, start)
    counts: dict[str, int] = {}
    for e in log.events:
        if e["type"] == "decision":
            key = f"{e['strategy']}:{e['decision']}"
            counts[key] = counts.get(key, 0) + 1
    return JobResult(job.sample_id, job.role, str(job.output_wav), "ok", result.audio_s, session_s, result.compute_s,
                     time.perf_counter() - start, decisions=counts)


def _failed(job: Job, error: dict, start: float) -> JobResult:
    for path in stale_outputs(job):
        try:
            path.unlink(missing_ok=True)
        except OSError:  # e.g. a folder where the output should be: the error already says what is wrong
            pass
    return JobResult(job.sample_id, job.role, str(job.output_wav), "error", error=error,
                     wall_s=time.perf_counter() - start)


def write_record(job: Job, key: str) -> None:
    tmp = job.record_path.with_name(job.record_path.name + ".tmp")
    tmp.write_text(json.dumps({"key": key, "input": str(job.input_wav)}, ensure_ascii=False), encoding="utf-8")
    tmp.replace(job.record_path)


def _recorded_key(job: Job) -> str | None:
    try:
        record = json.loads(job.record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record.get("key") if isinstance(record, dict) else None


def effective_clock(settings: RunSettings) -> str:
    return "real" if settings.realtime else settings.clock


def is_current(job: Job, key: str | None, self_transcript: bool = False) -> bool:
    """The outputs are in place and were made from this very input with these very settings."""
    if key is None or _recorded_key(job) != key:
        return False
    outputs = [job.output_wav, job.log_path] + ([job.self_transcript] if self_transcript else [])
    return all(p.is_file() for p in outputs)


def run_chunk(settings: RunSettings, jobs: list[Job]) -> list[dict]:
    """Worker entry point (module level, so a process pool can pickle it)."""
    identity = settings_identity(settings)
    keys = {id(j): job_key(j, identity) for j in jobs}
    results: dict[int, JobResult] = {}
    pending = []
    for j in jobs:
        if not settings.force and is_current(j, keys[id(j)], settings.self_transcripts):
            results[id(j)] = JobResult(j.sample_id, j.role, str(j.output_wav), "skipped")
        else:
            pending.append(j)
    if pending:
        kit = _kit(settings)
        for job in pending:
            replaced = not settings.force and job.output_wav.exists()
            results[id(job)] = run_job(kit, job, effective_clock(settings), settings.self_transcripts, keys[id(job)])
            results[id(job)].replaced = replaced and results[id(job)].status == "ok"
    return [asdict(results[id(j)]) for j in jobs]
