"""Real-time factor and word-timing error of a whisper model on synthetic English speech.

    python benchmarks/asr_whisper.py [--threads N] [--repeats R] [--model tiny.en|base|DIR]

Speech comes from espeak-ng (humdial.tts.espeak), placed at a known offset inside silence. RTF =
transcription time / audio duration (model load excluded and reported separately). Timing errors
are against the placement (utterance onset / end) and against espeak's own word boundaries
(which include any pause after a word, so interior errors are an upper bound). Synthetic speech is
much easier than real speech: treat the accuracy figures as a smoke test, not a benchmark.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from humdial.asr.whisper import WhisperOptions, WhisperTranscriber
from humdial.audio.io import from_array
from humdial.tts.espeak import EspeakSynthesizer

SENTENCES = [
    "Hello, I would like to book a table for two people tomorrow evening.",
    "What is the weather going to be like this weekend?",
    "Can you tell me a joke about cats?",
    "Stop. I said stop talking.",
    "Actually, I changed my mind, let's talk about football instead.",
    "Sorry, could you repeat that please?",
]
VOICES = ["en-us+m3", "en-us+f2"]
LEAD_S, TAIL_S = 1.3, 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="CTranslate2 CPU threads (default: up to 4)")
    parser.add_argument("--no-snap", action="store_true", help="raw whisper word times (no VAD snapping)")
    parser.add_argument("--model", default=None, help="bundled name or CTranslate2 directory (default: the English default)")
    parser.add_argument("--repeats", type=int, default=1, help="passes over the clips (timing only)")
    args = parser.parse_args()

    synth = EspeakSynthesizer()
    clips = []
    for voice in VOICES:
        for text in SENTENCES:
            utt = synth.synthesize(text, "en", voice=voice)
            rate = utt.sample_rate
            samples = np.concatenate([np.zeros(int(LEAD_S * rate)), utt.samples, np.zeros(int(TAIL_S * rate))])
            clips.append((from_array(samples, rate), utt))

    settings: dict = {"snap_to_speech": not args.no_snap}
    if args.threads is not None:
        settings["threads"] = args.threads
    options = WhisperOptions(**settings)
    started = time.perf_counter()
    asr = WhisperTranscriber(args.model, options)
    asr._lazy_model(asr._load)
    load_s = time.perf_counter() - started

    audio_s = compute_s = 0.0
    onset_err, end_err, word_err = [], [], []
    for _ in range(args.repeats):
        for audio, utt in clips:
            t0 = time.perf_counter()
            result = asr.transcribe(audio)
            compute_s += time.perf_counter() - t0
            audio_s += audio.duration
            if not result.words:
                continue
            onset_err.append(abs(result.words[0].start - LEAD_S))
            end_err.append(abs(result.words[-1].end - (LEAD_S + utt.duration)))
            if len(result.words) == len(utt.words):
                word_err.extend(abs(h.start - (LEAD_S + r.start)) for h, r in zip(result.words, utt.words))

    print(f"whisper {asr.model_id}, threads={asr.options.threads}, beam={asr.options.beam_size}, "
          f"{asr.options.compute_type}, snap_to_speech={asr.options.snap_to_speech}")
    print(f"model load: {load_s:.2f} s (includes sha256 check)")
    print(f"real-time factor: {compute_s / audio_s:.3f}  ({compute_s:.1f} s for {audio_s:.1f} s of audio, "
          f"{len(clips) * args.repeats} clips)")
    print(f"utterance onset error: median {statistics.median(onset_err):.3f} s, max {max(onset_err):.3f} s")
    print(f"utterance end error:   median {statistics.median(end_err):.3f} s, max {max(end_err):.3f} s")
    if word_err:
        print(f"word start error vs espeak word events ({len(word_err)} words in clips with matching word "
              f"counts): median {statistics.median(word_err):.3f} s, P90 {np.percentile(word_err, 90):.3f} s, "
              f"within 0.15 s: {np.mean(np.array(word_err) <= 0.15):.0%}")


if __name__ == "__main__":
    main()
