"""Compare Chinese decoding prompts for the evaluator's whisper route on generated Mandarin.

    python benchmarks/asr_prompts.py [--seeds 7,8,9,10] [--n 20] [--threads 2] [--prompts "P1|P2"]

Three clip sets, all espeak-ng Mandarin with the generator's user voices (benchmarks/asr_languages.py
places each after 1.3 s of silence): user lines of Track 2 scripts (n per seed), every backchannel of the
Chinese bank and every stop request, each said by two voices. Reported per prompt and set: CER against
the script text, clips with no words, and "echoes": clips whose transcript shares a character pair with
the prompt that the script text does not have (the prompt written back as if heard). The first prompt
given is the reference; the default list holds the shipped CHINESE_PRESET prompt and the one it replaced.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from asr_languages import RATE, clips, placed, tokens
from humdial.asr.error_rate import edit_distance
from humdial.asr.whisper import CHINESE_PRESET, WhisperOptions, WhisperTranscriber
from humdial.audio.io import from_array
from humdial.generate.bank import load_bank
from humdial.tts.espeak import EspeakSynthesizer, voices_for_role

FORMER_PROMPT = "以下是普通话的句子。"
COMMA_PROMPT = "你好，今天我想问你一个问题。"
"""The shipped prompt with a full-width comma (U+FF0C): it sent whisper on walks through the full-width
block ("你问的是我ＧＦＪＬＭＯ２ＤＺＰ..." over 3 of 132 agent replies), which the shipped one never did."""


def spoken(lines: list[str], voices_per_line: int = 2) -> list[tuple[str, np.ndarray]]:
    """Each line said by `voices_per_line` user voices, placed like asr_languages.clips."""
    synth = EspeakSynthesizer()
    voices = voices_for_role("zh", "user")
    out: list[tuple[str, np.ndarray]] = []
    for k in range(voices_per_line):
        for i, text in enumerate(lines):
            out.append((text, placed(synth.synthesize(text, "zh", voice=voices[(i + k) % len(voices)]))))
    return out


def pairs(text: str) -> set[str]:
    chars = "".join(tokens(text, "zh"))
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def measure(prompt: str, data: list[tuple[str, np.ndarray]], threads: int) -> dict:
    preset = {**CHINESE_PRESET, "initial_prompt": prompt}  # an explicit prompt would otherwise drop the preset
    asr = WhisperTranscriber("base", WhisperOptions(language="zh", threads=threads, **preset))
    prompt_pairs = pairs(prompt)
    errors = ref_len = empty = 0
    echoes: list[str] = []
    t0 = time.perf_counter()
    for text, samples in data:
        hyp = asr.transcribe(from_array(samples, RATE)).text
        ref, heard = tokens(text, "zh"), tokens(hyp, "zh")
        errors += edit_distance(ref, heard)
        ref_len += len(ref)
        empty += not heard
        if (pairs(hyp) & prompt_pairs) - pairs(text):
            echoes.append(hyp)
    return {"cer": errors / max(1, ref_len), "empty": empty, "echoes": echoes, "clips": len(data),
            "seconds": time.perf_counter() - t0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="7,8,9,10", help="comma-separated clip seeds (user lines)")
    parser.add_argument("--n", type=int, default=20, help="user-line clips per seed")
    parser.add_argument("--threads", type=int, default=2, help="CTranslate2 CPU threads")
    parser.add_argument("--prompts", default=f"{FORMER_PROMPT}|{COMMA_PROMPT}|{CHINESE_PRESET['initial_prompt']}",
                        help="'|'-separated prompts")
    args = parser.parse_args()
    generic = load_bank("track2_zh")["generic"]
    sets = {"user lines": [c for s in args.seeds.split(",") for c in clips("zh", args.n, int(s))],
            "backchannels": spoken(list(generic["backchannels"])),
            "stop requests": spoken(list(generic["stops"]))}
    print("| prompt | set | clips | CER | no words | prompt echoed | decode s |")
    print("|---|---|---|---|---|---|---|")
    for prompt in args.prompts.split("|"):
        for name, data in sets.items():
            row = measure(prompt, data, args.threads)
            print(f"| {prompt} | {name} | {row['clips']} | {100 * row['cer']:.1f} % | {row['empty']} | "
                  f"{len(row['echoes'])} | {row['seconds']:.1f} |", flush=True)
            for hyp in row["echoes"][:3]:
                print(f"|   | echo example | | | | {hyp} | |")


if __name__ == "__main__":
    main()
