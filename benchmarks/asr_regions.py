"""Region decoding vs whole-file decoding on a generated Track 2 set: accuracy, first-word timing, cost.

    python benchmarks/asr_regions.py DATA [--limit N] [--json OUT] [--report-only OUT]

DATA is a `gen track2` + `run track2` folder. Every wav is decoded twice with the bundled whisper
(1 CPU thread, so CPU seconds compare cleanly on a shared machine): `regions=false` (the whole file,
as before) and the default region decoding (humdial.asr.regions). Reported per language:
- inputs and clean inputs (their generated `<stem>.json` is the exact script and word placement):
  WER (en, words) / CER (zh, characters) against the script, and the first-word onset error;
- outputs (the baseline agent's speech; no reference): how often the two paths give the same words,
  the word edit distance between them, and the first-word start difference (Track 2 delays read it);
- CPU seconds and Whisper encoder passes (30 s windows) of each path.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from humdial.asr.chinese import split_tokens
from humdial.asr.regions import speech_regions
from humdial.asr.snap import SnapConfig
from humdial.asr.whisper import WhisperOptions, WhisperTranscriber
from humdial.audio.io import load_audio
from humdial.audio.vad import speech_segments
from humdial.protocol.transcript import load_transcript

PATHS = {"full": {"regions": False}, "regions": {"regions": True}}


def tokens(text: str, lang: str) -> list[str]:
    if lang == "zh":
        return split_tokens(text)
    return "".join(c if c.isalnum() or c in "' " else " " for c in text.lower()).split()


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def _transcribers(lang: str) -> dict:
    """One whisper per path for `lang`, each counting its encoder passes."""
    out = {}
    for name, fields in PATHS.items():
        t = WhisperTranscriber(None, WhisperOptions(language=lang, threads=1, **fields))
        model = t._lazy_model(t._load)
        passes = [0]
        encode = model.encode

        def counted(features, _encode=encode, _passes=passes):
            _passes[0] += 1
            return _encode(features)

        model.encode = counted
        out[name] = (t, passes)
    return out


def decode_all(root: Path, limit: int | None, dump: Path | None) -> dict:
    """{relative wav path: {lang, duration, regions_s, full: {...}, regions: {...}}}; languages alternate file by
    file (so a partial run covers both), and `dump` is rewritten after every file."""
    per_lang = {lang: sorted((root / lang).rglob("*.wav"))[:limit] for lang in ("en", "zh") if (root / lang).is_dir()}
    transcribers = {lang: _transcribers(lang) for lang, files in per_lang.items() if files}
    queue = [(lang, files[i]) for i in range(max(map(len, per_lang.values()), default=0))
             for lang, files in per_lang.items() if i < len(files)]
    out: dict = {}
    for k, (lang, wav) in enumerate(queue):
        audio = load_audio(wav)
        regions = speech_regions(speech_segments(audio, SnapConfig().vad_config()), audio.duration)
        rec = {"lang": lang, "duration": audio.duration, "regions_s": sum(e - s for s, e in regions)}
        order = list(transcribers[lang].items())
        for name, (t, passes) in order if k % 4 < 2 else order[::-1]:  # alternate: fair under changing load
            before, cpu = passes[0], time.process_time()
            words = t.transcribe(audio).words
            rec[name] = {"cpu_s": time.process_time() - cpu, "passes": passes[0] - before,
                         "words": [[w.text, w.start, w.end] for w in words]}
        out[str(wav.relative_to(root))] = rec
        print(f"{wav.relative_to(root)}: {rec['duration']:.1f} s, speech regions {rec['regions_s']:.1f} s; "
              + ", ".join(f"{n} {rec[n]['cpu_s']:.2f} cpu-s {rec[n]['passes']} passes {len(rec[n]['words'])} words"
                          for n in PATHS), flush=True)
        if dump:
            dump.write_text(json.dumps(out), encoding="utf-8")
    return out


def report(root: Path, decoded: dict) -> None:
    for lang in ("en", "zh"):
        items = {k: v for k, v in decoded.items() if v["lang"] == lang}
        if not items:
            continue
        metric = "CER" if lang == "zh" else "WER"
        print(f"\n## {lang}: {len(items)} files, {sum(v['duration'] for v in items.values()):.0f} s of audio, "
              f"speech regions {sum(v['regions_s'] for v in items.values()):.0f} s")
        print(f"| path | {metric} inputs | first-word error median / max | CPU s | encoder passes | words |")
        print("|---|---|---|---|---|---|")
        for name in PATHS:
            errors = ref_len = 0
            onset = []
            for rel, v in items.items():
                ref_path = root / Path(rel).with_suffix(".json")
                if rel.endswith("_output.wav") or not ref_path.exists():
                    continue
                ref = load_transcript(ref_path)
                hyp = [w[0] for w in v[name]["words"]]
                ref_tokens = tokens(ref.text, lang)
                errors += edit_distance(ref_tokens, tokens(" ".join(hyp), lang))
                ref_len += len(ref_tokens)
                if v[name]["words"] and ref.words:
                    onset.append(abs(v[name]["words"][0][1] - ref.words[0].start))
            print(f"| {name} | {errors / max(1, ref_len):.1%} | "
                  f"{statistics.median(onset):.3f} / {max(onset):.3f} s | "
                  f"{sum(v[name]['cpu_s'] for v in items.values()):.1f} | "
                  f"{sum(v[name]['passes'] for v in items.values())} | "
                  f"{sum(len(v[name]['words']) for v in items.values())} |")
        outputs = {k: v for k, v in items.items() if k.endswith("_output.wav")}
        same = sum(tokens(" ".join(w[0] for w in v["full"]["words"]), lang)
                   == tokens(" ".join(w[0] for w in v["regions"]["words"]), lang) for v in outputs.values())
        dist = sum(edit_distance(tokens(" ".join(w[0] for w in v["full"]["words"]), lang),
                                 tokens(" ".join(w[0] for w in v["regions"]["words"]), lang)) for v in outputs.values())
        size = sum(len(tokens(" ".join(w[0] for w in v["full"]["words"]), lang)) for v in outputs.values())
        starts = [abs(v["full"]["words"][0][1] - v["regions"]["words"][0][1]) for v in outputs.values()
                  if v["full"]["words"] and v["regions"]["words"]]
        median = statistics.median(starts) if starts else float("nan")
        print(f"outputs ({len(outputs)}, no reference): same words in {same}; edit distance between the paths "
              f"{dist} tokens of {size} ({dist / max(1, size):.1%}, punctuation and case ignored); "
              f"first-word start difference median {median:.3f} s, max {max(starts, default=float('nan')):.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("--json", type=Path, default=None, help="also write every decode here")
    ap.add_argument("--report-only", type=Path, default=None, help="report a --json written earlier")
    ap.add_argument("--limit", type=int, default=None, help="at most this many wav files per language")
    args = ap.parse_args()
    if args.report_only:
        decoded = json.loads(args.report_only.read_text(encoding="utf-8"))
    else:
        decoded = decode_all(args.data, args.limit, args.json)
    report(args.data, decoded)


if __name__ == "__main__":
    main()
