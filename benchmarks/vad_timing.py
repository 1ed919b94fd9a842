"""Benchmark: Track 2 VAD + timing throughput, in seconds of audio per wall-clock second, one core.

Builds a synthetic dev set (espeak speech placed on 20 s timelines, interruption scenario, so
both input and output go through VAD), then times `run_eval` with one worker and an empty cache,
and again with the cache filled. Target: >= 300x real time on one core for the uncached run.

    python benchmarks/vad_timing.py [--samples 40] [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import soxr  # noqa: E402

from humdial.protocol.transcript import Transcript, Word  # noqa: E402
from humdial.audio.io import write_audio  # noqa: E402
from humdial.evaluate.track2.pipeline import EvalOptions, run_eval  # noqa: E402
from humdial.protocol.annotation import SentenceAnnotation, SpeechSegment  # noqa: E402
from humdial.tts.espeak import EspeakSynthesizer  # noqa: E402

SR = 16000


def build(root: Path, n: int, seconds: float) -> float:
    tts = EspeakSynthesizer()
    clips = []
    for text in ("Could you explain how tides work, please?", "Wait, what about the moon?",
                 "Tides come from the pull of the moon and the sun on the oceans."):
        u = tts.synthesize(text, "en")
        clips.append(soxr.resample(u.samples, u.sample_rate, SR).astype(np.float32))
    rng = np.random.default_rng(0)
    folder = root / "en" / "Follow-up_Questions"
    total = 0.0
    for k in range(n):
        user, model = np.zeros(int(seconds * SR), np.float32), np.zeros(int(seconds * SR), np.float32)
        t0 = rng.uniform(0.3, 1.0)
        q = clips[0]
        user[int(t0 * SR): int(t0 * SR) + len(q)] += q
        a0 = t0 + len(q) / SR + 0.8
        model[int(a0 * SR): int(a0 * SR) + len(clips[2])] += clips[2]
        i0 = a0 + 1.5
        user[int(i0 * SR): int(i0 * SR) + len(clips[1])] += clips[1]
        stem = f"0001_{k:04d}"
        write_audio(folder / f"{stem}.wav", user, SR)
        write_audio(folder / f"{stem}_output.wav", model, SR)
        write_audio(folder / f"clean_{stem}.wav", user, SR)
        SentenceAnnotation(seconds, (SpeechSegment(t0, t0 + len(q) / SR), SpeechSegment(i0, i0 + 1.5))).save(
            folder / f"{stem}_sentence.json")
        Transcript.from_words([Word("Tides", a0, a0 + 0.3)]).save(folder / f"{stem}_output.json")
        total += 2 * seconds
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root, run = Path(tmp) / "data", Path(tmp) / "run"
        audio_s = build(root, args.samples, args.seconds)
        for label in ("uncached", "cached"):
            t = time.perf_counter()
            run_eval(EvalOptions(data=root, out=run, jobs=1, quiet=True))
            wall = time.perf_counter() - t
            print(f"{label:9s}: {audio_s:.0f} s of audio in {wall:.2f} s wall = {audio_s / wall:.0f}x real time (1 worker)")


if __name__ == "__main__":
    main()
