"""Feasibility check for the next ASR speed-up (docs/scale.md, "Not done yet"): decoding the windows of
several files in one CTranslate2 call.

Why: the Whisper decoder costs about 17 ms per token at batch size 1 and is most of a cold `eval track2`.
A batch shares the weight reads, but a transcript must not depend on the files it is batched with. So
this checks both: for equal-length short windows (the only ones CTranslate2 can batch without padding a
window to its neighbour's length, which would change its transcript), are the encoder+greedy decoder
results (tokens, score, no-speech probability) bitwise equal to each window alone, and how much decoder
CPU does a batch save? Nothing in humdial decodes this way yet.

Each window: the first `--content-s` seconds of a file's log-mel features (humdial's fixed-order ones),
zero-padded to `--window-s`, encoded, then decoded greedily with timestamps (the evaluator's settings).

    python benchmarks/asr_batch_decode.py DATA [--lang en] [--files 8] [--window-s 11] [--content-s 6]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="a generated data folder (gen track2 + run track2)")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--window-s", type=float, default=11.0)
    ap.add_argument("--content-s", type=float, default=6.0)
    args = ap.parse_args()

    import ctranslate2
    from faster_whisper.tokenizer import Tokenizer

    from humdial.asr.whisper import WhisperOptions, WhisperTranscriber, with_language_preset
    from humdial.audio.io import load_audio

    options = with_language_preset(WhisperOptions(language=args.lang, threads=1))
    transcriber = WhisperTranscriber(None, options)
    model = transcriber._lazy_model(transcriber._load)
    tokenizer = Tokenizer(model.hf_tokenizer, True, task="transcribe", language=args.lang)
    prompt_tokens = tokenizer.encode(" " + options.initial_prompt.strip()) if options.initial_prompt else []
    prompt = model.get_prompt(tokenizer, prompt_tokens, without_timestamps=False)
    frames, content = round(args.window_s * 100), round(args.content_s * 100)
    windows = []
    for wav in sorted((args.data / args.lang).rglob("*_output.wav"))[:args.files]:
        features = model.feature_extractor(load_audio(wav).samples)
        window = np.zeros((1, features.shape[0], frames), np.float32)
        used = min(content, features.shape[-1])
        window[0, :, :used] = features[:, :used]
        windows.append(window)

    def decode(batch: list[np.ndarray]) -> tuple[list, float]:
        encoded = model.model.encode(ctranslate2.StorageView.from_array(np.concatenate(batch)), to_cpu=False)
        start = time.process_time()
        results = model.model.generate(encoded, [prompt] * len(batch), beam_size=1, max_length=448,
                                       return_scores=True, return_no_speech_prob=True, suppress_blank=True,
                                       suppress_tokens=[-1], no_repeat_ngram_size=options.no_repeat_ngram_size)
        return results, time.process_time() - start

    alone = [decode([w]) for w in windows]
    alone_cpu = sum(cpu for _, cpu in alone)
    tokens = sum(len(r[0].sequences_ids[0]) for r, _ in alone)
    print(f"{len(windows)} windows of {args.window_s:g} s ({args.lang}), {tokens} tokens; decoder alone: "
          f"{alone_cpu:.2f} CPU s ({alone_cpu / max(tokens, 1) * 1000:.1f} ms per token)")
    for size in (2, 4, 8):
        same, cpu = 0, 0.0
        for i in range(0, len(windows), size):
            results, spent = decode(windows[i:i + size])
            cpu += spent
            for j, result in enumerate(results):
                one = alone[i + j][0][0]
                same += (result.sequences_ids == one.sequences_ids and result.scores == one.scores
                         and result.no_speech_prob == one.no_speech_prob)
        print(f"batch {size}: {same}/{len(windows)} bitwise equal to alone; decoder {cpu:.2f} CPU s "
              f"({alone_cpu / max(cpu, 1e-9):.2f}x less)")


if __name__ == "__main__":
    main()
