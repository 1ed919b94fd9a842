"""Per-language accuracy, first-word timing and speed of the bundled whisper models on generated speech.

    python benchmarks/asr_languages.py [--n 24] [--threads 2] [--models en=tiny.en,en=base,zh=base]

Clips: user lines of Track 2 scripts drawn from the generator's banks (seeded), spoken by espeak-ng
with the generator's user voices, trimmed to audible speech and placed after LEAD_S of silence.
Reported per (language, model): WER (en, words) or CER (zh, characters) against the script text,
the first-word onset error against the known placement (as Track 2 delays read it), and the
real-time factor (transcription time / audio duration, model load excluded). espeak speech is far
easier than real speech for timing and harder for Chinese recognition: treat the figures as a
comparison between models on the same data, not as absolute accuracy.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time

import numpy as np
import soxr

from humdial.asr.chinese import split_tokens
from humdial.asr.error_rate import edit_distance
from humdial.asr.whisper import WhisperOptions, WhisperTranscriber
from humdial.audio.io import from_array
from humdial.generate.track2.script import BREAK, UNIT_KEYS, compose
from humdial.tts.espeak import EspeakSynthesizer, voices_for_role

RATE = 16000
LEAD_S, TAIL_S = 1.3, 1.0


def tokens(text: str, lang: str) -> list[str]:
    if lang == "zh":
        return split_tokens(text)
    return re.findall(r"[a-z0-9']+", text.lower())


def clips(lang: str, n: int, seed: int) -> list[tuple[str, np.ndarray]]:
    """n (text, 16 kHz samples with LEAD_S/TAIL_S silence) pairs; the speech onset is exactly LEAD_S."""
    rng = random.Random(seed)
    synth = EspeakSynthesizer()
    voices = voices_for_role(lang, "user")
    out: list[tuple[str, np.ndarray]] = []
    while len(out) < n:
        script = compose(lang, rng.choice(UNIT_KEYS), rng)
        part = next(p for p in script.parts if p.role == "user")
        text = part.text.replace(BREAK, "").replace("  ", " ").strip()
        out.append((text, placed(synth.synthesize(text, lang, voice=voices[len(out) % len(voices)]))))
    return out


def placed(utt) -> np.ndarray:
    """An utterance at 16 kHz, trimmed to audible speech, after LEAD_S and before TAIL_S of silence."""
    samples = soxr.resample(utt.samples, utt.sample_rate, RATE).astype(np.float32)
    loud = np.flatnonzero(np.abs(samples) > 0.02 * np.abs(samples).max())
    speech = samples[int(loud[0]): int(loud[-1]) + 1]
    return np.concatenate([np.zeros(int(LEAD_S * RATE), np.float32), speech,
                           np.zeros(int(TAIL_S * RATE), np.float32)])


def measure(lang: str, model: str, data: list[tuple[str, np.ndarray]], threads: int) -> dict:
    asr = WhisperTranscriber(model, WhisperOptions(language=lang, threads=threads))
    t0 = time.perf_counter()
    asr._lazy_model(asr._load)
    load_s = time.perf_counter() - t0
    errors = ref_len = 0
    onset, compute_s, audio_s, empty = [], 0.0, 0.0, 0
    for text, samples in data:
        t0 = time.perf_counter()
        result = asr.transcribe(from_array(samples, RATE))
        compute_s += time.perf_counter() - t0
        audio_s += len(samples) / RATE
        ref = tokens(text, lang)
        errors += edit_distance(ref, tokens(result.text, lang))
        ref_len += len(ref)
        if result.words:
            onset.append(abs(result.words[0].start - LEAD_S))
        else:
            empty += 1
    return {"lang": lang, "model": model, "error_rate": errors / max(1, ref_len), "rtf": compute_s / audio_s,
            "onset_median": statistics.median(onset) if onset else float("nan"),
            "onset_p90": float(np.percentile(onset, 90)) if onset else float("nan"),
            "onset_max": max(onset) if onset else float("nan"), "empty": empty, "load_s": load_s,
            "clips": len(data), "audio_s": audio_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=24, help="clips per language")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2, help="CTranslate2 CPU threads")
    parser.add_argument("--models", default="en=tiny.en,en=base,zh=base",
                        help="comma-separated LANG=MODEL (bundled name or CTranslate2 directory)")
    args = parser.parse_args()

    pairs = [item.split("=", 1) for item in args.models.split(",") if item.strip()]
    data = {lang: clips(lang, args.n, args.seed) for lang in sorted({lang for lang, _ in pairs})}
    print(f"| lang | model | {'WER/CER':>7} | onset err median | P90 | max | no words | RTF ({args.threads} threads) | load s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for lang, model in pairs:
        r = measure(lang, model, data[lang], args.threads)
        metric = "CER" if lang == "zh" else "WER"
        print(f"| {lang} | {model} | {metric} {r['error_rate']:.1%} | {r['onset_median']:.3f} s | {r['onset_p90']:.3f} s"
              f" | {r['onset_max']:.3f} s | {r['empty']}/{r['clips']} | {r['rtf']:.3f} | {r['load_s']:.1f} |", flush=True)
    print(f"\n{args.n} clips per language ({sum(len(d) for d in data.values())} total), seed {args.seed}; "
          f"onset error = |first token start - {LEAD_S} s placement|.")


if __name__ == "__main__":
    main()
