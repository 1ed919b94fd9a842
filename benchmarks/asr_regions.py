"""Decoding paths compared on a generated Track 2 set: whole file vs speech regions, 30 s vs short windows.

    python benchmarks/asr_regions.py DATA [--limit N] [--paths full:0,regions:0,regions:1] [--json OUT]
                                          [--report-only OUT]

DATA is a `gen track2` + `run track2` folder. Every wav is decoded once per path with the bundled
whisper (1 CPU thread, so CPU seconds compare cleanly on a shared machine). A path is
`full|regions:WINDOW_S`: `full` decodes the whole file (`regions=false`), `regions` only its padded
speech runs (humdial.asr.regions); WINDOW_S 0 is faster-whisper's own loop with 30 s encoder windows,
anything else the short-window loop (humdial.asr.window) with that step. Paths run in a rotating order
file by file, so changing load falls on all of them. Reported per language:
- inputs and clean inputs (their generated `<stem>.json` is the exact script and word placement):
  WER (en, words) / CER (zh, characters) against the script, and the first-word onset error;
- outputs (the baseline agent's speech; no reference): how often each path gives the first path's
  words, the word edit distance to it, and the first-word start difference (Track 2 delays read it);
- CPU seconds, Whisper encoder passes and encoded seconds (the encoder input, padding included).
Tokenisation and edit distance are asr_languages.py's (one definition for both benchmarks).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from asr_languages import tokens
from humdial.asr.error_rate import edit_distance
from humdial.asr.regions import speech_regions
from humdial.asr.snap import SnapConfig
from humdial.asr.whisper import WhisperOptions, WhisperTranscriber
from humdial.audio.io import load_audio
from humdial.audio.vad import speech_segments
from humdial.protocol.transcript import load_transcript

def parse_paths(text: str) -> dict[str, dict]:
    """`full:0,regions:1` -> {name: WhisperOptions fields}."""
    out = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        kind, _, window = item.partition(":")
        if kind not in ("full", "regions"):
            raise SystemExit(f"path {item!r}: expected full:WINDOW_S or regions:WINDOW_S")
        out[item] = {"regions": kind == "regions", "window_s": float(window or 0)}
    return out


class CountingEncoder:
    """Stands in for the CTranslate2 model: counts encoder passes and encoded frames, delegates the rest."""

    def __init__(self, inner):
        self.inner, self.passes, self.frames = inner, 0, 0

    def encode(self, features, *args, **kwargs):
        self.passes += 1
        self.frames += int(features.shape[-1])
        return self.inner.encode(features, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _transcribers(lang: str, paths: dict[str, dict]) -> dict:
    """One whisper per path for `lang`, each counting its encoder work."""
    out = {}
    for name, fields in paths.items():
        t = WhisperTranscriber(None, WhisperOptions(language=lang, threads=1, **fields))
        model = t._lazy_model(t._load)
        model.model = CountingEncoder(model.model)
        out[name] = (t, model.model)
    return out


def decode_all(root: Path, limit: int | None, dump: Path | None, paths: dict[str, dict],
               files: str = "all") -> dict:
    """{relative wav path: {lang, duration, regions_s, PATH: {...} per path}}; languages alternate file by
    file (so a partial run covers both), and `dump` is rewritten after every file."""
    def wanted(wav: Path) -> bool:
        output = wav.name.endswith("_output.wav")
        if files == "outputs":
            return output
        return files == "all" or (not output and wav.with_suffix(".json").exists())

    per_lang = {lang: [w for w in sorted((root / lang).rglob("*.wav")) if wanted(w)][:limit]
                for lang in ("en", "zh") if (root / lang).is_dir()}
    transcribers = {lang: _transcribers(lang, paths) for lang, files in per_lang.items() if files}
    queue = [(lang, files[i]) for i in range(max(map(len, per_lang.values()), default=0))
             for lang, files in per_lang.items() if i < len(files)]
    out: dict = {}
    for k, (lang, wav) in enumerate(queue):
        audio = load_audio(wav)
        regions = speech_regions(speech_segments(audio, SnapConfig().vad_config()), audio.duration)
        rec = {"lang": lang, "duration": audio.duration, "regions_s": sum(e - s for s, e in regions)}
        order = list(transcribers[lang].items())
        order = order[k % len(order):] + order[:k % len(order)]  # rotate: fair under changing load
        for name, (t, counter) in order:
            passes, frames, cpu = counter.passes, counter.frames, time.process_time()
            words = t.transcribe(audio).words
            rec[name] = {"cpu_s": time.process_time() - cpu, "passes": counter.passes - passes,
                         "encoded_s": (counter.frames - frames) / 100,
                         "words": [[w.text, w.start, w.end] for w in words]}
        out[str(wav.relative_to(root))] = rec
        print(f"{wav.relative_to(root)}: {rec['duration']:.1f} s, speech regions {rec['regions_s']:.1f} s; "
              + ", ".join(f"{n} {rec[n]['cpu_s']:.2f} cpu-s {rec[n]['passes']} passes {len(rec[n]['words'])} words"
                          for n in paths), flush=True)
        if dump:
            dump.write_text(json.dumps(out), encoding="utf-8")
    return out


def report(root: Path, decoded: dict) -> None:
    names = [n for n, v in next(iter(decoded.values()), {}).items() if isinstance(v, dict)]
    for lang in ("en", "zh"):
        items = {k: v for k, v in decoded.items() if v["lang"] == lang}
        if not items:
            continue
        metric = "CER" if lang == "zh" else "WER"
        print(f"\n## {lang}: {len(items)} files, {sum(v['duration'] for v in items.values()):.0f} s of audio, "
              f"speech regions {sum(v['regions_s'] for v in items.values()):.0f} s")
        print(f"| path | {metric} inputs | first-word error median / max | CPU s | encoder passes | encoded s | words |")
        print("|---|---|---|---|---|---|---|")
        for name in names:
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
                  f"{statistics.median(onset) if onset else float('nan'):.3f} / {max(onset, default=float('nan')):.3f} s | "
                  f"{sum(v[name]['cpu_s'] for v in items.values()):.1f} | "
                  f"{sum(v[name]['passes'] for v in items.values())} | "
                  f"{sum(v[name].get('encoded_s', 30.0 * v[name]['passes']) for v in items.values()):.0f} | "
                  f"{sum(len(v[name]['words']) for v in items.values())} |")
        outputs = {k: v for k, v in items.items() if k.endswith("_output.wav")}
        first = names[0]
        for name in names[1:]:
            def text(v, n):
                return tokens(" ".join(w[0] for w in v[n]["words"]), lang)
            same = sum(text(v, first) == text(v, name) for v in outputs.values())
            dist = sum(edit_distance(text(v, first), text(v, name)) for v in outputs.values())
            size = sum(len(text(v, first)) for v in outputs.values())
            starts = [abs(v[first]["words"][0][1] - v[name]["words"][0][1]) for v in outputs.values()
                      if v[first]["words"] and v[name]["words"]]
            median = statistics.median(starts) if starts else float("nan")
            print(f"outputs ({len(outputs)}, no reference), {name} against {first}: same words in {same}; edit "
                  f"distance {dist} tokens of {size} ({dist / max(1, size):.1%}, punctuation and case ignored); "
                  f"first-word start difference median {median:.3f} s, max {max(starts, default=float('nan')):.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("--json", type=Path, default=None, help="also write every decode here")
    ap.add_argument("--report-only", type=Path, default=None, help="report a --json written earlier")
    ap.add_argument("--limit", type=int, default=None, help="at most this many wav files per language")
    ap.add_argument("--paths", default="full:0,regions:0,regions:1",
                    help="comma list of full|regions:WINDOW_S (0 = 30 s windows); the first is the reference "
                         "for the outputs' agreement")
    ap.add_argument("--files", choices=("all", "inputs", "outputs"), default="all",
                    help="inputs: only files with a reference transcript; outputs: only the system's outputs")
    args = ap.parse_args()
    if args.report_only:
        decoded = json.loads(args.report_only.read_text(encoding="utf-8"))
    else:
        decoded = decode_all(args.data, args.limit, args.json, parse_paths(args.paths), args.files)
    report(args.data, decoded)


if __name__ == "__main__":
    main()
