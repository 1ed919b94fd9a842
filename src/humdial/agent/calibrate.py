"""Measure what each computation of the agent costs on this machine and write a cost profile.

    python -m humdial.agent.calibrate --out my_profile.json [--name NAME] [--lang en,zh] [--repeats 7]
    humdial run track2 ... --cost-profile my_profile.json

Each computation is timed on espeak speech of several sizes (median of `repeats` runs after a
warm-up call, models loaded first as a session would find them) and a line `fixed_s + per_unit_s *
units` is fitted by least squares. Run it on an otherwise idle machine: the profile is meant to be
the machine's typical cost, and it is the one thing in a cost-clock run that was ever measured.
On a machine you cannot make idle, `--timer cpu` times each call by the CPU time of this process
instead (all its threads, plus forked children such as the espeak-ng worker): for computations that
run on one thread (the agent's models run with one thread each; run it with OPENBLAS_NUM_THREADS=1 so
numpy does too) that is what the call takes on an idle core, and it barely moves with other load.
The shipped default (`agent/data/cost_profile_2cpu.json`) was written by this module on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
from datetime import datetime, timezone
from pathlib import Path
from time import perf_counter, process_time
from typing import Callable

import numpy as np
import soxr

from humdial.agent.build import AgentKit
from humdial.agent.costs import Cost, profile_json

UNITS = {"vad": "input frame (512 samples, 32 ms)", "asr": "second of audio transcribed",
         "prosody": "second of audio analysed", "speaker": "second of speech embedded",
         "topic": "call (two short texts)", "respond": "reply", "tts": "second of speech synthesised"}
DOCS = {
    "vad": "one streaming silero VAD step on a 32 ms frame; charged for every input frame",
    "asr": "a partial transcript of the current turn (turn audio plus pre-roll), at each pause",
    "prosody": "final pitch movement of a turn, used for end-of-turn when there is no transcript",
    "speaker": "speaker embedding of a turn's speech (third-party check, enrolment)",
    "topic": "multilingual sentence-encoder similarity of the turn to the recent context (addressee cue)",
    "respond": "building a reply: the responder's call (offline templates), or a policy reply (stop, repeat, "
               "continue) that needs no responder",
    "tts": "synthesising one reply sentence and resampling it to the output rate (16 kHz when calibrated)",
}
LENGTHS_S = {"asr": (1.0, 2.0, 4.0, 7.0), "prosody": (1.0, 2.0, 4.0, 7.0), "speaker": (0.5, 1.0, 2.0, 3.0)}
"""Audio sizes each size-dependent computation is timed at (the range the agent feeds them)."""
SENTENCES = {
    "en": ("Sure.", "That is a good question to ask.",
           "The short answer is that it depends on your goals, your budget and how much time you have.",
           "Let me walk you through it step by step, starting with the things you need to buy first, "
           "then the ones you can add later when you know what you like."),
    "zh": ("好的。", "这是一个很好的问题。", "简单来说，这取决于你的目标、你的预算，还有你有多少时间。",
           "我一步一步地给你讲，先说你需要先买的东西，再说以后等你知道自己喜欢什么时可以再添的东西。"),
}


def cpu_time() -> float:
    """CPU time of this process (all its threads) plus that of its reaped children: espeak-ng synthesises
    in a forked child (tts/espeak.py), whose work `process_time()` alone would not see."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # microseconds; os.times() ticks at 10 ms
    return process_time() + children.ru_utime + children.ru_stime


TIMERS = {"wall": perf_counter, "cpu": cpu_time}
"""`wall`: elapsed time (an idle machine's truth); `cpu`: CPU time of this process and its reaped children
(robust to other load)."""
_timer: Callable[[], float] = perf_counter


def _median_time(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up: first calls allocate
    times = []
    for _ in range(repeats):
        start = _timer()
        fn()
        times.append(_timer() - start)
    return statistics.median(times)


def fit_line(units: list[float], seconds: list[float]) -> tuple[float, float]:
    """(fixed_s, per_unit_s) by least squares, both kept non-negative."""
    x, y = np.asarray(units, float), np.asarray(seconds, float)
    if len(set(units)) < 2:
        return float(max(0.0, y.mean())), 0.0
    slope, intercept = np.polyfit(x, y, 1)
    if slope < 0:
        return float(max(0.0, y.mean())), 0.0
    if intercept < 0:
        return 0.0, float(max(0.0, (x @ y) / (x @ x)))
    return float(intercept), float(slope)


def _speech(kit: AgentKit, lang: str, seconds: float) -> np.ndarray:
    """At least `seconds` of espeak speech at 16 kHz (sentences repeated), cut to length."""
    parts, total = [], 0
    while total < seconds * 16000:
        for text in SENTENCES.get(lang, SENTENCES["en"]):
            u = kit.synthesizer.synthesize(text, lang)
            x = soxr.resample(u.samples.astype(np.float32), u.sample_rate, 16000).astype(np.float32)
            parts.append(x)
            total += len(x)
    return np.concatenate(parts)[: int(seconds * 16000)]


def _cost(what: str, fixed: float, per_unit: float, variant_note: str = "") -> Cost:
    return Cost(fixed, per_unit, UNITS[what], DOCS[what] + (f" [{variant_note}]" if variant_note else ""))


def calibrate(kit: AgentKit, langs: list[str], repeats: int = 7, timer: str = "wall") -> dict[str, Cost]:
    """Time every computation the kit's agent charges; keys as the cost clock looks them up."""
    global _timer
    _timer = TIMERS[timer]
    from humdial.respond.base import Reply, ResponseRequest
    from humdial.agent.intent import Intent
    from humdial.agent.speaker import SpectralEncoder
    from humdial.audio.io import from_array
    from humdial.audio.prosody import final_pitch_movement
    from humdial.audio.vad import StreamingVad

    costs: dict[str, Cost] = {}
    lang0 = langs[0]
    speech = _speech(kit, lang0, max(LENGTHS_S["asr"]))

    vad = StreamingVad()
    frames = [speech[i:i + 512] for i in range(0, len(speech) - 511, 512)][:100]
    per_frame = _median_time(lambda: [vad.probability(f) for f in frames], repeats) / len(frames)
    costs["vad:silero"] = _cost("vad", per_frame, 0.0)

    seen: set[str] = set()
    for lang in langs:
        tr = kit.transcribers.get(lang)
        if tr is None or tr.name in seen:
            continue
        seen.add(tr.name)
        clip = _speech(kit, lang, max(LENGTHS_S["asr"]))
        secs = [_median_time(lambda n=n: tr.transcribe(from_array(clip[: int(n * 16000)], 16000)), repeats)
                for n in LENGTHS_S["asr"]]
        costs[f"asr:{tr.name}"] = _cost("asr", *fit_line(list(LENGTHS_S["asr"]), secs))

    secs = [_median_time(lambda n=n: final_pitch_movement(speech[: int(n * 16000)]), repeats)
            for n in LENGTHS_S["prosody"]]
    costs["prosody"] = _cost("prosody", *fit_line(list(LENGTHS_S["prosody"]), secs))

    for encoder in {kit.speaker_encoder.name: kit.speaker_encoder, "spectral": SpectralEncoder()}.values():
        secs = [_median_time(lambda n=n: encoder.embed(speech[: int(n * 16000)]), repeats)
                for n in LENGTHS_S["speaker"]]
        costs[f"speaker:{encoder.name}"] = _cost("speaker", *fit_line(list(LENGTHS_S["speaker"]), secs))

    if kit.sentence_encoder is not None:
        texts = ["Can you tell me how to make a good cup of coffee at home?",
                 "Sure. The short answer is that it depends on your goals and your time."]
        costs["topic:sentence-encoder"] = _cost("topic", _median_time(lambda: kit.sentence_encoder.encode(texts),
                                                                      repeats), 0.0)

    request = ResponseRequest(lang0, Intent.QUERY, "Can you tell me how to make a good cup of coffee at home?", (),
                              None)
    costs[f"respond:{kit.responder.name}"] = _cost("respond", _median_time(lambda: kit.responder.respond(request),
                                                                           repeats), 0.0)
    costs["respond:policy"] = _cost("respond", _median_time(lambda: Reply(("OK.",), "stop", lang0), repeats), 0.0,
                                    "policy reply: no responder call")

    units, secs = [], []
    for lang in langs:
        for text in SENTENCES.get(lang, SENTENCES["en"]):
            def synth(text: str = text, lang: str = lang) -> np.ndarray:
                u = kit.synthesizer.synthesize(text, lang)
                return soxr.resample(u.samples.astype(np.float32), u.sample_rate, 16000, quality="HQ")

            secs.append(_median_time(synth, repeats))
            units.append(len(synth()) / 16000)
    costs[f"tts:{getattr(kit.synthesizer, 'name', 'tts')}"] = _cost("tts", *fit_line(units, secs))
    return with_fallbacks(costs, kit)


def with_fallbacks(costs: dict[str, Cost], kit: AgentKit) -> dict[str, Cost]:
    """Add a plain `what` entry per computation: the kit's default variant, for uncalibrated ones."""
    defaults = {"asr": next((f"asr:{t.name}" for t in kit.transcribers.values() if t is not None), None),
                "speaker": f"speaker:{kit.speaker_encoder.name}", "respond": f"respond:{kit.responder.name}",
                "tts": f"tts:{getattr(kit.synthesizer, 'name', 'tts')}", "vad": "vad:silero",
                "topic": "topic:sentence-encoder"}
    out = dict(costs)
    for what, key in defaults.items():
        if key in costs and what not in costs:
            c = costs[key]
            out[what] = Cost(c.fixed_s, c.per_unit_s, c.unit,
                             f"fallback for any {what} variant not calibrated here: priced as {key}")
    return out


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpus": cpus, "platform": platform.platform(), "processor": _cpu_model(),
            "python": platform.python_version(), "date": datetime.now(timezone.utc).strftime("%Y-%m-%d")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m humdial.agent.calibrate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="profile file to write (JSON)")
    ap.add_argument("--name", default=None, help="profile name recorded in every run (default: <host>-<N>cpu)")
    ap.add_argument("--version", type=int, default=1, help="profile version (raise it when re-measuring)")
    ap.add_argument("--lang", default="en,zh", help="languages whose ASR and synthesis to time")
    ap.add_argument("--repeats", type=int, default=7, help="timed runs per measurement (the median is kept)")
    ap.add_argument("--timer", default="wall", choices=sorted(TIMERS),
                    help="wall: elapsed time (use an idle machine); cpu: this process's CPU time")
    ap.add_argument("--responder", default="offline")
    ap.add_argument("--asr-en", default="partials")
    ap.add_argument("--asr-zh", default="partials")
    ap.add_argument("--speaker-encoder", default="auto", choices=["auto", "ge2e", "spectral"])
    args = ap.parse_args(argv)
    from humdial.agent.config import AgentConfig

    langs = [x.strip() for x in args.lang.split(",") if x.strip()]
    kit = AgentKit.load(langs, args.responder, {"en": args.asr_en, "zh": args.asr_zh},
                        AgentConfig(speaker_encoder=args.speaker_encoder))
    costs = calibrate(kit, langs, max(1, args.repeats), args.timer)
    info = {**machine(), "repeats": args.repeats, "timer": args.timer, "langs": langs, "asr": {"en": args.asr_en, "zh": args.asr_zh},
            "responder": args.responder}
    name = args.name or f"{platform.node() or 'machine'}-{info['cpus']}cpu"
    text = profile_json(name, args.version, costs, info,
                        "cost_s = fixed_s + per_unit_s * units; written by python -m humdial.agent.calibrate")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    for key, c in sorted(costs.items()):
        print(f"{key:28s} {c.fixed_s * 1000:9.2f} ms + {c.per_unit_s * 1000:8.2f} ms per {c.unit}")
    print(f"wrote {args.out} ({name} v{args.version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
