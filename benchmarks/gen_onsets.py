"""Onset agreement of generated Track 2 inputs, per voice condition (issue 14 item 2).

For every combination of --voices (espeak, piper, mixed), rooms (off/on) and spread (off/on), generate
a small dev set, then read back what was written: every annotated segment that follows at least 0.5 s
of silence (and each sample's first) must start within 0.15 s of an onset of the unmerged VAD segments
of the input wav. Prints, per combination, the onsets checked, how many are off, the worst distance,
the samples flagged by the generator (`vad_onset_ok: false`) and the redraws it needed.

    python benchmarks/gen_onsets.py [--n 1] [--lang en,zh] [--seed 7] [--jobs 1] [--voices espeak,piper,mixed]
                                    [--group all]
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from pathlib import Path

from humdial.audio.io import load_audio
from humdial.audio.vad import speech_segments
from humdial.generate.driver import generate_track2
from humdial.generate.voices import VoiceOptions
from humdial.protocol.annotation import load_annotation

SILENCE_S = 0.5
"""A segment after at least this much silence is checked (the issue's rule)."""
TOLERANCE_S = 0.15
"""Largest accepted distance from its xmin to the nearest VAD onset (the issue's target)."""


def check(out: Path) -> dict:
    """Counts over one generated set, read back from its files."""
    checked = off = flagged = redraws = 0
    worst = 0.0
    misses: list[str] = []
    for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        flagged += not rec["timing"]["vad_onset_ok"]
        redraws += rec["timing"]["attempts"] - 1
        onsets = [s.start for s in speech_segments(load_audio(out / rec["files"]["wav"]))]
        speech_end = 0.0
        for k, seg in enumerate(load_annotation(out / rec["files"]["annotation"]).segments):
            if k == 0 or seg.xmin - speech_end >= SILENCE_S:
                err = min((abs(o - seg.xmin) for o in onsets), default=float("inf"))
                checked += 1
                worst = max(worst, err)
                if err > TOLERANCE_S:
                    off += 1
                    misses.append(f"{rec['sample_id']} seg {k} ({err:.2f} s)")
            speech_end = max(speech_end, seg.xmax)
    return {"checked": checked, "off": off, "worst_s": round(worst, 3), "flagged": flagged, "redraws": redraws,
            "misses": misses}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1, help="samples per scenario per language and combination")
    ap.add_argument("--lang", default="en,zh")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--voices", default="espeak,piper,mixed")
    ap.add_argument("--group", default="all", help="voice group: tune | eval | all")
    args = ap.parse_args()
    langs = [x for x in args.lang.split(",") if x]
    total = {"checked": 0, "off": 0, "flagged": 0}
    for engines, rooms, spread in itertools.product(args.voices.split(","), (False, True), (False, True)):
        options = VoiceOptions(engines=engines, rooms=rooms, spread=spread, group=args.group)
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            summary = generate_track2(Path(tmp), langs, args.n, args.seed, jobs=args.jobs, quiet=True, voices=options)
            counts = check(Path(tmp))
            wall = time.perf_counter() - t0
        for key in total:
            total[key] += counts[key]
        print(f"{engines:6s} rooms={rooms!s:5s} spread={spread!s:5s}: {summary.written} samples, "
              f"{counts['checked']} onsets checked, {counts['off']} off (> {TOLERANCE_S} s), worst "
              f"{counts['worst_s']:.3f} s, {counts['flagged']} flagged, {counts['redraws']} redraws, "
              f"{len(summary.errors)} errors, {wall:.0f} s", flush=True)
        for miss in counts["misses"]:
            print(f"    off: {miss}", flush=True)
    print(f"all: {total['checked']} onsets checked, {total['off']} off, {total['flagged']} samples flagged")


if __name__ == "__main__":
    main()
