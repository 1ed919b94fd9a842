"""How far a short clip's voice similarity can be trusted (not a test: it prints figures).

Why: the agent compares each turn's voice (GE2E) with the user enrolled from their first turn, and a
turn below `ThirdPartyConfig.distinct_threshold` is ignored as someone else. A short clip gives a noisy
embedding, so a user's own short request ("stop, please.") can fall below the cut-off. This measures,
on generated Track 2 dev sets (the benchmark's `--keep` folders), the similarity of same-speaker and
other-speaker clips of several lengths against an enrolment made as the agent makes it (VAD speech
frames of the user's first segment, at most 2.4 s), so a length-dependent cut-off can be read off.

    python benchmarks/agent_speaker_clips.py DATA_DIR [DATA_DIR ...] [--lengths 0.5,0.8,1.1,1.4,2.4]

Same speaker: the user's later segments in the same input. Other speaker: the third party's segments in
the same input, and the first user segment of every other input of the same set with a different voice label.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from humdial.agent.config import AgentConfig
from humdial.agent.speaker import cosine, load_speaker_encoder
from humdial.audio.io import ANALYSIS_RATE, load_audio
from humdial.audio.vad import StreamingVad

CFG = AgentConfig()


def speech_frames(samples: np.ndarray) -> np.ndarray:
    """The VAD speech frames of a segment, concatenated (the agent's `_speech_only`)."""
    vad, hop, on = StreamingVad(), CFG.hop_samples, False
    kept = []
    for i in range(len(samples) // hop):
        frame = samples[i * hop:(i + 1) * hop]
        on = vad.probability(frame) >= (CFG.vad_off if on else CFG.vad_on)
        if on:
            kept.append(frame)
    return np.concatenate(kept) if kept else np.zeros(0, np.float32)


def segments(data: Path) -> list[dict]:
    """Per input: its segments' speech (VAD frames), role and voice label."""
    items = []
    for line in (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        audio = load_audio(data / rec["files"]["wav"]).samples
        segs = []
        for part, seg in zip(rec["parts"], rec["segments"]):
            a, b = int(seg["xmin"] * ANALYSIS_RATE), int(seg["xmax"] * ANALYSIS_RATE)
            segs.append({"role": part["role"], "voice": part["voice"], "speech": speech_frames(audio[a:b])})
        items.append({"id": f"{data}:{rec['sample_id']}", "set": str(data), "segs": segs})  # ids repeat across sets
    return items


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="+", type=Path)
    ap.add_argument("--lengths", default="0.5,0.8,1.1,1.4,2.4")
    args = ap.parse_args()
    lengths = [float(x) for x in args.lengths.split(",")]
    enc = load_speaker_encoder("auto")
    tp = CFG.third_party
    rate = ANALYSIS_RATE
    items = [it for d in args.data for it in segments(d)]
    enrol = {}
    for it in items:
        first = it["segs"][0]
        if first["role"] == "user" and len(first["speech"]) >= tp.enrol_min_speech_s * rate:
            enrol[it["id"]] = (first["voice"], enc.embed(first["speech"][: int(tp.max_speech_s * rate)]))
    sims: dict[tuple[str, float], list[float]] = {}

    clips: dict[tuple[str, int, float], np.ndarray] = {}

    def add(kind: str, emb_ref: np.ndarray, item: dict, k: int) -> None:
        speech = item["segs"][k]["speech"]
        for L in lengths:
            n = int(L * rate)
            if len(speech) >= n:
                key = (item["id"], k, L)
                if key not in clips:
                    clips[key] = enc.embed(speech[:n])
                sims.setdefault((kind, L), []).append(cosine(emb_ref, clips[key]))

    for it in items:
        if it["id"] not in enrol:
            continue
        voice, ref = enrol[it["id"]]
        for k, seg in enumerate(it["segs"][1:], start=1):
            add("same" if seg["role"] == "user" and seg["voice"] == voice else "other", ref, it, k)
        for other in items:
            seg = other["segs"][0]
            if (other["set"] == it["set"] and other["id"] != it["id"] and seg["role"] == "user"
                    and seg["voice"] != voice):
                add("other", ref, other, 0)
    print(f"{len(items)} inputs, {len(enrol)} enrolments, encoder {enc.name}; similarity to the enrolled user")
    print(f"{'clip s':>6s} {'kind':>5s} {'n':>5s} {'min':>6s} {'p5':>6s} {'p25':>6s} {'median':>6s} {'p95':>6s} {'max':>6s}")
    for L in lengths:
        for kind in ("same", "other"):
            v = np.array(sims.get((kind, L), []))
            if not len(v):
                continue
            q = np.percentile(v, [5, 25, 50, 95])
            print(f"{L:6.1f} {kind:>5s} {len(v):5d} {v.min():6.3f} {q[0]:6.3f} {q[1]:6.3f} {q[2]:6.3f} {q[3]:6.3f} "
                  f"{v.max():6.3f}")
        same, other = np.array(sims.get(("same", L), [])), np.array(sims.get(("other", L), []))
        for cut in (0.5, 0.55, 0.6, 0.65):
            if len(same) and len(other):
                print(f"       cut {cut:.2f}: same below {np.mean(same < cut):.1%}, other at or above "
                      f"{np.mean(other >= cut):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
