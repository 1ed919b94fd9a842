"""Transcription stage: ASR on the four files of each sample, plus the speech-directed-at-others cut.

As in the official pipeline the ASR backend is chosen per language (`--asr en=whisper ...`).
Transcripts are stored as official-shape JSON under RUN_DIR/transcripts/<sample id>/<role>.json
and the ASR cache makes re-runs free. For speech directed at others, step 2 of the official
procedure keeps the input from the second query on and silences the output over the second
query (track2.md 2.5); those cuts are re-transcribed, or, when the language falls back to
precomputed transcripts, derived from the full transcripts by the same cut (labelled as such).

Output cut, two ways (`TranscribeConfig.official_cut`):
- official (default in `--mode official`): as the organisers' pydub script builds it. Times become whole
  milliseconds (truncated); the silence is `AudioSegment.silent(end_ms - start_ms)`, i.e.
  int(11025 * ms / 1000) frames at pydub's default 11,025 Hz, resampled to the file's rate by
  `audioop.ratecv` when joined (floor((n - 1) * out / in) + 1 frames, rates reduced by their gcd); the
  audio after it resumes at frame int(end_ms * rate / 1000). The audio after the silence is therefore
  shifted by up to ~1.1 ms against the exact cut. Computed at the file's own rate, then applied to the
  16 kHz analysis audio (rounded to the nearest sample).
- exact (strict): zeros over [xmin, xmax) at the analysis rate, nothing shifted.
The input cut (keep from int(xmin * 1000) ms) is the same in both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from humdial.asr.base import transcribe_many
from humdial.asr.registry import AsrRouter, AsrSpec
from humdial.asr.cache import TranscriptCache
from humdial.protocol.transcript import Transcript, Word, load_transcript
from humdial.audio.io import Audio, load_audio
from humdial.errors import HumdialError, ItemError
from humdial.layouts.track2 import Track2Sample
from humdial.protocol.annotation import load_annotation

@dataclass(frozen=True)
class TranscribeConfig:
    routes: dict[str, AsrSpec]
    store: Path
    cache_dir: Path | None = None
    threads: int | None = None
    for_judge: bool = True
    """Also transcribe the inputs and clean files the behaviour judge needs (not only the outputs)."""
    official_cut: bool = True
    """Speech directed at others: build the output cut as the official script does (module docs)."""


@dataclass(frozen=True)
class StoredTranscripts:
    """Transcript source for the measure stage: the output transcript written by this stage."""

    store: Path

    def __call__(self, sample: Track2Sample) -> Transcript:
        return load_transcript(role_path(self.store, sample.sample_id, "output"))


def split_threads(config: TranscribeConfig, jobs: int) -> TranscribeConfig:
    """Unless --asr-threads was given, give each of `jobs` workers an equal share of this machine's cores
    (at least 1, at most whisper's default cap): two 2-thread models on 2 cores only fight over them.
    Threads never change a transcript (they are not part of the cache key)."""
    if config.threads is not None:
        return config
    import os

    from humdial.asr.whisper import default_threads

    return replace(config, threads=max(1, min(default_threads(), (os.cpu_count() or 1) // max(1, jobs))))


def judge_needs_transcripts(stages: tuple[str, ...] | list[str], judge_enabled: bool) -> bool:
    """Whether this run must transcribe the judge's files (inputs, clean files, SDAO cuts) and not only outputs.

    Only the judge stage reads them; measure reads the output transcript alone (first response and
    timestamp rejection), so `--stages transcribe,measure` or `--judge none` decodes one file per sample
    instead of up to four (+2 cuts). A later `--stages judge` run then needs `transcribe` again; the
    shared ASR cache makes the already-decoded outputs free.
    """
    return judge_enabled and "judge" in stages


def role_path(store: Path, sample_id: str, role: str) -> Path:
    return store / sample_id / f"{role}.json"


_routers: dict[str, AsrRouter] = {}


def router(config: TranscribeConfig) -> AsrRouter:
    """One router per process and configuration (models load once per worker)."""
    key = repr(config)
    if key not in _routers:
        cache = TranscriptCache(config.cache_dir) if config.cache_dir else None
        _routers[key] = AsrRouter(config.routes, cache=cache, threads=config.threads)
    return _routers[key]


def decoded_before(sample: Track2Sample, config: TranscribeConfig) -> bool:
    """Whether the shared ASR cache already holds every whole file this stage decodes for `sample`.

    Cheap (reads and hashes the audio, decodes nothing). It only decides where the sample runs: in the
    command's process when True, so a warm run starts no worker (`map_chunks(local=...)`). A wrong answer
    costs time, never a different transcript; the speech-to-others cuts are not checked.
    """
    try:
        transcriber = router(config).for_language(sample.lang)
    except HumdialError:
        return False
    has = getattr(transcriber, "has", None)
    if has is None:
        return not getattr(transcriber, "cacheable", True)  # precomputed transcripts: nothing to decode
    try:
        return all(has(load_audio(wav)) for wav in wavs_for(sample, config.for_judge).values())
    except ItemError:
        return False  # a worker will record the error


def wavs_for(sample: Track2Sample, for_judge: bool = True) -> dict[str, Path]:
    wavs = {"output": sample.output_wav}
    if for_judge and sample.unit.judge_target:
        wavs["input"] = sample.input_wav
        if sample.clean_wav and sample.clean_output_wav:
            wavs["input_clean"], wavs["output_clean"] = sample.clean_wav, sample.clean_output_wav
    return wavs


PYDUB_SILENT_RATE = 11025
"""pydub's default frame rate for `AudioSegment.silent`."""


def ratecv_frames(n: int, in_rate: int, out_rate: int) -> int:
    """Frames `audioop.ratecv` returns for `n` input frames (a fresh state): floor((n-1)*b/a) + 1."""
    if n <= 0:
        return 0
    g = math.gcd(in_rate, out_rate)
    return (n - 1) * (out_rate // g) // (in_rate // g) + 1


def official_output_cut_times(xmin: float, xmax: float, rate: int) -> tuple[float, float]:
    """(silence length, where the kept audio resumes in the original) in seconds, as the official script
    builds the SDAO step-2 output at the file's `rate` (module docs). Rates below 11,025 Hz are not modelled."""
    start_ms, end_ms = int(xmin * 1000), int(xmax * 1000)
    frames = int(PYDUB_SILENT_RATE * ((end_ms - start_ms) / 1000.0))
    silence = ratecv_frames(frames, PYDUB_SILENT_RATE, rate) if rate != PYDUB_SILENT_RATE else frames
    return silence / rate, int(end_ms * (rate / 1000.0)) / rate


def cut_transcript(t: Transcript, start: float, silence_until: float | None = None,
                   resume: tuple[float, float] | None = None) -> Transcript:
    """Words of `t` at or after `start` (and after `silence_until`), on a time axis starting at `start`.

    `resume` = (silence length, resume point) places the words after the silence as the official cut does.
    """
    floor = max(start, silence_until or start)
    if resume is not None:
        shift = resume[0] - resume[1]
        return Transcript.from_words([Word(w.text, w.start + shift, w.end + shift) for w in t.words
                                      if w.start >= resume[1]])
    return Transcript.from_words([Word(w.text, w.start - start, w.end - start) for w in t.words if w.start >= floor])


def official_output_cut(audio: Audio, xmin: float, xmax: float) -> Audio:
    """The official SDAO step-2 output: the pydub silence, then the audio from its (ms-truncated) resume point."""
    silence_s, resume_s = official_output_cut_times(xmin, xmax, audio.source_rate)
    rate = audio.sample_rate
    tail = audio.samples[min(len(audio.samples), round(resume_s * rate)):]
    samples = np.concatenate([np.zeros(round(silence_s * rate), dtype=np.float32), tail])
    return Audio(np.ascontiguousarray(samples), rate, audio.source_rate, audio.source_channels, audio.path)


def cut_audio(audio: Audio, start: float, silence: tuple[float, float] | None = None) -> Audio:
    """Keep audio from `start` (whole milliseconds, truncated as the official script does)."""
    samples = audio.samples.copy()
    rate = audio.sample_rate
    if silence:
        samples[int(silence[0] * rate): int(silence[1] * rate)] = 0.0
    first = int(int(start * 1000) * rate / 1000)
    return Audio(np.ascontiguousarray(samples[first:]), rate, audio.source_rate, audio.source_channels, audio.path)


BATCH_AUDIO_S = 600.0
"""Seconds of audio a chunk loads before it transcribes them together (whisper runs their VAD as one batch,
humdial.asr.whisper.WhisperTranscriber.transcribe_many). Bounds the memory: the loaded samples plus the
VAD's float32 copy of them (600 s = 2 x 38 MB); a whole generated chunk of 4 samples (~200 s) fits."""


@dataclass
class _Loaded:
    """One sample between loading and transcription: its record, transcriber and per-role audio (or error)."""

    sample: Track2Sample
    rec: dict
    transcriber: Any
    audio: dict[str, Audio | ItemError]


def transcribe_chunk(samples: list[Track2Sample], config: TranscribeConfig) -> list[dict]:
    """Transcribe the files of a chunk of samples; a bad file becomes a per-role error in its sample's record."""
    asr = router(config)
    out: list[dict] = []
    group: list[_Loaded] = []
    seconds = 0.0
    for s in samples:
        loaded = _Loaded(s, {"sample_id": s.sample_id, "roles": {}, "errors": [], "notes": []},
                         asr.for_language(s.lang), {})
        for role, wav in wavs_for(s, config.for_judge).items():
            try:
                loaded.audio[role] = load_audio(wav)
            except ItemError as exc:
                loaded.audio[role] = exc
        group.append(loaded)
        seconds += sum(a.duration for a in loaded.audio.values() if isinstance(a, Audio))
        if seconds >= BATCH_AUDIO_S:
            out += _transcribe_group(group, config)
            group, seconds = [], 0.0
    return out + (_transcribe_group(group, config) if group else [])


def _transcribe_group(group: list[_Loaded], config: TranscribeConfig) -> list[dict]:
    """Transcribe every loaded file of the group, one batch per transcriber, then store and record each."""
    jobs: dict[int, list[tuple[_Loaded, str]]] = {}
    for loaded in group:
        for role, audio in loaded.audio.items():
            if isinstance(audio, Audio):
                jobs.setdefault(id(loaded.transcriber), []).append((loaded, role))
    done: dict[tuple[int, str], Transcript | ItemError] = {}
    for items in jobs.values():
        transcriber = items[0][0].transcriber
        results = transcribe_many(transcriber, [loaded.audio[role] for loaded, role in items])
        done.update({(id(loaded), role): r for (loaded, role), r in zip(items, results)})
    out = []
    for loaded in group:
        s, rec = loaded.sample, loaded.rec
        full: dict[str, tuple[Transcript, Audio]] = {}
        for role, audio in loaded.audio.items():
            result = audio if isinstance(audio, ItemError) else done[(id(loaded), role)]
            if isinstance(result, ItemError):
                rec["errors"].append({"stage": "transcribe", "role": role, **result.as_dict()})
                role_path(config.store, s.sample_id, role).unlink(missing_ok=True)  # never leave an earlier run's
                continue
            result.save(role_path(config.store, s.sample_id, role))
            rec["roles"][role] = len(result.words)
            full[role] = (result, audio)
        if config.for_judge and s.unit.headline == "sdao_resume" and {"input", "output"} <= full.keys():
            _sdao_cut(s, full, loaded.transcriber, config, rec)
        out.append(rec)
    return out


def _sdao_cut(s: Track2Sample, full: dict, transcriber, config: TranscribeConfig, rec: dict) -> None:
    try:
        q2 = load_annotation(s.annotation).segment(1, str(s.annotation))
    except ItemError as exc:
        rec["errors"].append({"stage": "transcribe", "role": "sdao_cut", **exc.as_dict()})
        return
    precomputed = config.routes[s.lang].backend == "precomputed"
    for role, silence in (("input_cut", None), ("output_cut", (q2.xmin, q2.xmax))):
        transcript, audio = full[role.replace("_cut", "")]
        official = config.official_cut and silence is not None
        if precomputed:
            resume = official_output_cut_times(q2.xmin, q2.xmax, audio.source_rate) if official else None
            cut = cut_transcript(transcript, q2.xmin, silence[1] if silence else None, resume)
            rec["notes"].append(f"{role}: derived from the precomputed transcript (no ASR for {s.lang})")
        else:
            try:
                cut = transcriber.transcribe(official_output_cut(audio, q2.xmin, q2.xmax) if official
                                             else cut_audio(audio, q2.xmin, silence))
            except ItemError as exc:
                rec["errors"].append({"stage": "transcribe", "role": role, **exc.as_dict()})
                continue
        cut.save(role_path(config.store, s.sample_id, role))
        rec["roles"][role] = len(cut.words)
