"""Per-sample Track 2 measurements that need no judge: VAD timing, first response, rejection.

Work is done in chunks so the VAD network runs several recordings as one batch. VAD segments
are cached by (file content hash, VAD fingerprint) in the run directory, so re-runs and resumed
runs skip finished files and produce identical numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import soundfile as sf

from humdial.protocol.transcript import Transcript, load_transcript
from humdial.audio.io import Audio, load_audio
from humdial.audio.segments import Segment, merge_segments
from humdial.audio.vad import VadConfig, speech_segments_batch
from humdial.errors import AudioError, ItemError
from humdial.evaluate.track2 import timing
from humdial.evaluate.track2.delays import first_response
from humdial.execute.cache import JsonCache, file_sha256, key_of
from humdial.layouts.track2 import Track2Sample
from humdial.protocol.annotation import load_annotation
from humdial.results.paths import vad_cache_dir

TranscriptSource = Callable[[Track2Sample], Transcript]
"""Gives a sample's output transcript; the default reads the precomputed `<stem>.json` next to the wav."""


def precomputed_transcript(sample: Track2Sample) -> Transcript:
    return load_transcript(Track2Sample.transcript_path(sample.output_wav))


@dataclass(frozen=True)
class MeasureConfig:
    vad: VadConfig = field(default_factory=VadConfig)
    cache_dir: Path | None = None
    transcripts: TranscriptSource = precomputed_transcript


class _VadJob:
    """Collects the recordings of a chunk, runs uncached ones through VAD as one batch."""

    def __init__(self, config: MeasureConfig):
        self.config = config
        self.cache = JsonCache(vad_cache_dir(config.cache_dir)) if config.cache_dir else None
        self.fingerprint = config.vad.fingerprint()
        self.pending: dict[str, tuple[Audio, str | None]] = {}
        self.info: dict[str, dict] = {}
        self.segments: dict[str, list[Segment]] = {}

    def cached(self, path: Path) -> bool:
        """Whether `path`'s VAD segments are cached (hashes the file, runs no network)."""
        return (self.cache is not None and path.exists()
                and self.cache.get(key_of("vad", file_sha256(path), self.fingerprint)) is not None)

    def add(self, path: Path) -> None:
        key = str(path)
        if key in self.info or key in self.pending:
            return
        if not path.exists():
            raise AudioError(f"audio file not found: {path}", path)
        digest = file_sha256(path)
        ckey = key_of("vad", digest, self.fingerprint)
        hit = self.cache.get(ckey) if self.cache else None
        if hit is not None:
            self.info[key] = hit["info"]
            self.segments[key] = [Segment(*s) for s in hit["segments"]]
            return
        audio = load_audio(path)
        self.info[key] = {"sha256": digest, "duration": round(audio.duration, 6), "source_rate": audio.source_rate,
                          "channels": audio.source_channels}
        self.pending[key] = (audio, ckey)

    def run(self) -> None:
        if not self.pending:
            return
        keys = list(self.pending)
        results = speech_segments_batch([self.pending[k][0] for k in keys], self.config.vad)
        for k, segs in zip(keys, results):
            self.segments[k] = segs
            if self.cache:
                self.cache.put(self.pending[k][1], {"info": self.info[k], "segments": [list(s) for s in segs]})
        self.pending.clear()


def _error(exc: Exception, stage: str) -> dict:
    if isinstance(exc, ItemError):
        return {"stage": stage, **exc.as_dict()}
    return {"stage": stage, "kind": type(exc).__name__, "message": str(exc), "path": None}


def measure_chunk(samples: list[Track2Sample], config: MeasureConfig) -> list[dict]:
    """Measure a chunk of samples; never raises for a bad item, records the error instead."""
    job = _VadJob(config)
    records = []
    for s in samples:
        rec: dict = {"sample_id": s.sample_id, "lang": s.lang, "unit": s.unit_key,
                     "files": {"input": str(s.input_wav), "output": str(s.output_wav),
                               "annotation": str(s.annotation)},
                     "errors": [], "warnings": list(s.problems)}
        try:
            rec["_annotation"] = load_annotation(s.annotation)
        except ItemError as exc:
            rec["errors"].append(_error(exc, "annotation"))
        for role, path in (("input", s.input_wav), ("output", s.output_wav)):
            if role == "input" and not s.unit.timing_latencies:
                try:
                    rec["input"] = {"duration": round(sf.info(str(path)).duration, 6), "sha256": file_sha256(path)}
                except (OSError, RuntimeError) as exc:
                    rec["errors"].append(_error(AudioError(f"input audio unreadable or missing: {path} ({exc})",
                                                           path), "input"))
                continue
            try:
                job.add(path)
            except ItemError as exc:
                kind = "output_missing" if role == "output" and not path.exists() else None
                err = _error(exc, role)
                if kind:
                    err["kind"] = kind
                rec["errors"].append(err)
        records.append(rec)
    job.run()
    for s, rec in zip(samples, records):
        _finish(s, rec, job, config)
    return records


def vad_cached(sample: Track2Sample, config: MeasureConfig) -> bool:
    """Whether every file `measure_chunk` runs VAD on for `sample` is in the VAD cache: such a sample is cheap
    to measure in the command's process (`map_chunks(local=...)`); a wrong answer costs time, not results."""
    job = _VadJob(config)
    paths = [sample.output_wav] + ([sample.input_wav] if sample.unit.timing_latencies else [])
    try:
        return all(job.cached(p) for p in paths)
    except OSError:
        return False


def _finish(s: Track2Sample, rec: dict, job: _VadJob, config: MeasureConfig) -> None:
    annotation = rec.pop("_annotation", None)
    user_key, out_key = str(s.input_wav), str(s.output_wav)
    gap = config.vad
    if out_key in job.segments:
        model = merge_segments(job.segments[out_key], gap.model_merge_gap_s)
        rec["output"] = job.info[out_key]
        rec["model_segments"] = [list(m) for m in model]
        rec["model_speech_s"] = round(sum(m.end - m.start for m in model), 3)
        if rec["output"]["channels"] > 1:
            rec["warnings"].append(f"output has {rec['output']['channels']} channels; down-mixed "
                                   "(the official timing script crashes on non-mono output)")
    else:
        model = None
    if user_key in job.segments:
        rec["input"] = job.info[user_key]
    if rec.get("input") and rec.get("output") and abs(rec["input"]["duration"] - rec["output"]["duration"]) > 0.1:
        rec["warnings"].append(f"output lasts {rec['output']['duration']:.2f} s but input "
                               f"{rec['input']['duration']:.2f} s; outputs must be sample-aligned with inputs")
    if user_key in job.segments:
        user = merge_segments(job.segments[user_key], gap.user_merge_gap_s)
        rec["user_segments"] = [list(u) for u in user]
        if model is not None:
            rec["stop_intervals"] = timing.official_stop_intervals(user, model)
            rec["response_intervals"] = timing.official_response_intervals(user, model)
            if annotation is not None and len(annotation.segments) >= 2:
                seg = annotation.segments[1]
                rec["event"] = {"onset": seg.xmin, "end": seg.xmax,
                                "stop_latency": round(timing.event_stop_latency(seg.xmin, seg.xmax, model), 3),
                                "response_latency": _round6(timing.event_response_latency(seg.xmax, model))}
            elif annotation is not None:
                rec["warnings"].append("annotation has no interruption segment (seg 1); strict event latencies skipped")
    if annotation is not None:
        try:
            annotation.segment(s.unit.anchor_segment, str(s.annotation))
        except ItemError as exc:
            rec["errors"].append(_error(exc, "annotation"))
            annotation = None
    if annotation is not None and s.output_wav.exists():
        try:
            transcript = config.transcripts(s)
            fr = first_response(s.unit, annotation, transcript, str(s.annotation))
            # raw difference: the official `> 0` / `>= 0` tests compare unrounded values
            rec["first_response"] = {"anchor_end": fr.anchor_end, "first_word_start": fr.first_word_start,
                                     "diff": fr.diff}
        except ItemError as exc:
            rec["errors"].append(_error(exc, "first_response"))
    rec["status"] = "error" if rec["errors"] else "ok"


def _round6(x: float | None) -> float | None:
    return None if x is None else round(x, 6)
