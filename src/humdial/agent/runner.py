"""Run the agent over a Track 2 data set: one output wav and one event log per input (noisy and clean).

Outputs are written atomically (temporary file, then rename) and the event log after the wav, so a
run killed half-way resumes by skipping every input whose output and log both exist. Each worker
process loads the models once (`AgentKit`) and reuses them for all its samples. Sessions run on the
cost clock unless told otherwise (`RunSettings.clock`); the runner still measures each session's wall
time, outside the engine, for the real-time factor.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import soundfile as sf

from humdial.agent.build import AgentKit
from humdial.agent.state import EventLog
from humdial.audio.io import load_audio, write_audio
from humdial.errors import ItemError
from humdial.results.paths import AGENT_EVENTS_SUFFIX, AGENT_LOGS_DIR as LOG_DIR



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


def run_job(kit: AgentKit, job: Job, clock: str = "cost", self_transcript: bool = False) -> JobResult:
    """Run one input; bad audio or a failing responder become an error result, never an exception."""
    start = time.perf_counter()
    try:
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

            Transcript.from_words(result.words).save(job.output_wav.with_suffix(".json"))
        log.write(job.log_path)
    except ItemError as exc:
        return JobResult(job.sample_id, job.role, str(job.output_wav), "error", error=exc.as_dict(),
                         wall_s=time.perf_counter() - start)
    except Exception as exc:  # an engine bug on one input is recorded with its reason; the run goes on
        return JobResult(job.sample_id, job.role, str(job.output_wav), "error",
                         error={"kind": "agent_error", "message": f"{type(exc).__name__}: {exc}",
                                "path": str(job.input_wav)}, wall_s=time.perf_counter() - start)
    counts: dict[str, int] = {}
    for e in log.events:
        if e["type"] == "decision":
            key = f"{e['strategy']}:{e['decision']}"
            counts[key] = counts.get(key, 0) + 1
    return JobResult(job.sample_id, job.role, str(job.output_wav), "ok", result.audio_s, session_s, result.compute_s,
                     time.perf_counter() - start, decisions=counts)


def effective_clock(settings: RunSettings) -> str:
    return "real" if settings.realtime else settings.clock


def is_done(job: Job) -> bool:
    return job.output_wav.exists() and job.log_path.exists()


def run_chunk(settings: RunSettings, jobs: list[Job]) -> list[dict]:
    """Worker entry point (module level, so a process pool can pickle it)."""
    pending = [j for j in jobs if settings.force or not is_done(j)]
    results = {id(j): JobResult(j.sample_id, j.role, str(j.output_wav), "skipped") for j in jobs if j not in pending}
    if pending:
        kit = _kit(settings)
        for job in pending:
            results[id(job)] = run_job(kit, job, effective_clock(settings), settings.self_transcripts)
    return [asdict(results[id(j)]) for j in jobs]
