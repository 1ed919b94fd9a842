"""How well the evaluator hears the agent's replies (not a test: it prints figures).

The Track 2 judge reads the agent's output through the evaluator's own Chinese ASR (bundled
multilingual whisper base). espeak Mandarin is hard for it, so a reply the agent did give can look
like "no new model speech" or like an unrelated one. This script synthesises the agent's Chinese
reply sentences (the offline responder's openings and bodies, and the engine's policy texts) with
candidate espeak voices and speaking rates, transcribes each with the evaluator's default Chinese
ASR, and prints the character error rate (CER) per setting, so the agent's reply voice is chosen
from numbers (`--lang en`: the English bodies, restated questions and policy texts, word error rate
against the evaluator's default English ASR):

    python benchmarks/agent_replies.py [--voices cmn+f3,cmn,cmn+f2] [--rates 0.8,0.9,1.0] [--threads 2]
    python benchmarks/agent_replies.py --acks 好的,没问题,明白了 [--voices cmn+f3] [--rates 0.8]
    python benchmarks/agent_replies.py --lang en --acks "Good question.,Of course.,Sure." --voices en-us+f3 --rates 1
    python benchmarks/agent_replies.py --lang en --voices en-us+f3,en-us,en-gb --rates 0.8,0.9,1.0

--acks measures acknowledgement openings instead: each candidate is spoken before a fixed reply sentence,
and the script reports how often the evaluator's transcript still opens with an acknowledgement the
proxy judge recognises (its lexicon, within its first 4 tokens): a reply to an interruption that the
judge hears as acknowledged counts as a response to it. With --lang en the candidates are English, each
spoken as its own sentence (the agent synthesises sentence by sentence, 0.18 s apart) before six "You are
asking ..." sentences, and transcribed by the evaluator's default English ASR.

CER counts Chinese characters (and Latin words) by edit distance, after converting the ASR output to
simplified characters and dropping punctuation, like the evaluator's scoring.
"""

from __future__ import annotations

import argparse
import re
import time

import numpy as np
import soxr

from humdial.agent import lexicon
from humdial.asr.chinese import split_tokens
from humdial.asr.error_rate import edit_distance
from humdial.asr.registry import build, parse_spec
from humdial.audio.io import from_array
from humdial.respond.offline import EN_BODIES, ZH_BODIES, ZH_OPENINGS
from humdial.tts.espeak import EspeakSynthesizer

RATE = 16000
LEAD_S, TAIL_S = 0.5, 0.5


EN_RESTATED = ("You asked how to make a Caesar salad at home.", "You asked what the must-see places in Vienna are.",
               "You asked how to plan a family holiday in Seattle.", "You asked why your laptop won't turn on.",
               "You asked what to cook for dinner tonight.", "You asked how the human immune system works.")
"""English openings as the agent builds them from a user's question (queries of the kind the generator asks)."""


def sentences(lang: str = "zh") -> list[str]:
    """Every fixed sentence the agent speaks with the offline responder (English: also restated questions)."""
    if lang == "en":
        out = [s for body in EN_BODIES for s in body] + list(EN_RESTATED)
    else:
        out = [s for body in ZH_BODIES for s in body] + [s for s in ZH_OPENINGS.values() if "{" not in s]
    out += [t for t in lexicon.policy_text(lang).values() if "{" not in t]
    return list(dict.fromkeys(out))


def _tokens(text: str, lang: str) -> list[str]:
    """Characters (and Latin words) for Chinese; lower-cased words without punctuation for English."""
    if lang == "zh":
        return split_tokens(lexicon.normalise(text))
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("-", " ")).split()


ACK_FOLLOWERS = {"zh": ("我们换个话题。", "我换个说法。", "你问的是明天的天气。", "我来简单说一下。"),
                 "en": ("You are asking what to cook for dinner tonight.",
                        "You are asking about the weather in Chicago this week.", "You are asking how to sleep better.",
                        "You are asking which phone to buy.", "You are asking about a gift for a coworker.",
                        "You are asking where to go on holiday.")}
"""Sentences spoken after each candidate acknowledgement (one synthesis per pair in Chinese, two in English)."""
SENTENCE_GAP_S = 0.18
"""The agent's silence between English sentences (agent.speech_out.SpeechConfig.sentence_gap_s)."""


def _speak(synth, text: str, lang: str, voice: str, rate: float) -> np.ndarray:
    utt = synth.synthesize(text, lang, voice=voice, rate=rate)
    return soxr.resample(utt.samples, utt.sample_rate, RATE).astype(np.float32)


def measure_acks(asr, synth, acks: list[str], voice: str, rate: float, lang: str = "zh") -> None:
    from humdial.judge.proxy.lexicon import load_lexicon
    from humdial.judge.proxy.text import find_phrase, head

    lex = load_lexicon()
    followers = ACK_FOLLOWERS[lang]
    for ack in acks:
        hits, heard = 0, []
        for follower in followers:
            if lang == "zh":
                samples = _speak(synth, f"{ack}，{follower}", lang, voice, rate)
            else:
                gap = np.zeros(int(SENTENCE_GAP_S * RATE), np.float32)
                samples = np.concatenate([_speak(synth, ack, lang, voice, rate), gap,
                                          _speak(synth, follower, lang, voice, rate)])
            pad = np.zeros(int(LEAD_S * RATE), np.float32)
            text = asr.transcribe(from_array(np.concatenate([pad, samples, pad]), RATE)).text
            hits += find_phrase(head(text, 4), lex.acknowledgement) is not None
            heard.append(text[:8 if lang == "zh" else 24])
        print(f"{voice:10} {rate:5.2f} {ack:6} recognised {hits}/{len(followers)}  {' | '.join(heard)}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--voices", default="cmn+f3,cmn,cmn+f2,cmn+f5")
    ap.add_argument("--rates", default="0.8,0.9,1.0")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--show", action="store_true", help="print each sentence's transcript")
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences (a quick comparison)")
    ap.add_argument("--acks", default=None, help="comma list of acknowledgement openings to measure instead")
    ap.add_argument("--lang", default="zh", choices=("zh", "en"),
                    help="en: word error rate of the English sentences (voices e.g. en-us+f3,en-us)")
    args = ap.parse_args()
    asr = build(parse_spec("whisper"), language=args.lang, threads=args.threads)
    synth = EspeakSynthesizer()
    if args.acks:
        for voice in args.voices.split(","):
            for rate in (float(r) for r in args.rates.split(",")):
                measure_acks(asr, synth, args.acks.split(","), voice, rate, args.lang)
        return
    texts = sentences(args.lang)[: args.limit or None]
    unit = "CER" if args.lang == "zh" else "WER"
    print(f"{len(texts)} sentences, evaluator ASR: {asr.describe().get('model', asr.describe())}")
    print(f"{'voice':10} {'rate':>5} {unit:>6} {'tokens':>6} {'speech s':>9} {'asr s':>6}")
    for voice in args.voices.split(","):
        for rate in (float(r) for r in args.rates.split(",")):
            errors = total = 0
            speech_s = asr_s = 0.0
            for text in texts:
                utt = synth.synthesize(text, args.lang, voice=voice, rate=rate)
                samples = soxr.resample(utt.samples, utt.sample_rate, RATE).astype(np.float32)
                speech_s += len(samples) / RATE
                pad = np.zeros(int(LEAD_S * RATE), np.float32)
                t0 = time.perf_counter()
                heard = asr.transcribe(from_array(np.concatenate([pad, samples, pad]), RATE)).text
                asr_s += time.perf_counter() - t0
                ref, hyp = _tokens(text, args.lang), _tokens(heard, args.lang)
                errors += edit_distance(ref, hyp)
                total += len(ref)
                if args.show:
                    print(f"    {text} -> {heard}")
            print(f"{voice:10} {rate:5.2f} {errors / max(1, total):6.3f} {total:6d} {speech_s:9.1f} {asr_s:6.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
