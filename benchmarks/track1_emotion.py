"""Emotion-label accuracy of the Track 1 baseline on freshly generated dialogues (en and zh).

    python benchmarks/track1_emotion.py [--n 2] [--seed 7] [--no-encoder] [--keep DIR]

Generates a new Track 1 set with `humdial gen track1` (test layout, both languages), runs the baseline's
emotion recogniser turn by turn (causal, never reading the gold label), and prints accuracy per emotion and
language, the confusion matrix (rows gold, columns predicted) and the time per turn.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2, help="dialogues per task, turn count and language")
    parser.add_argument("--seed", type=int, default=7, help="generation seed (use one the tests do not)")
    parser.add_argument("--no-encoder", action="store_true", help="lexicon, tags and voice only")
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated data in this folder")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    console = Console()

    from humdial.empathy.runner import _jobs_from_file
    from humdial.cli import main as cli
    from humdial.audio.io import load_audio
    from humdial.empathy.emotion import EMOTIONS, EmotionConfig, EmotionRecognizer
    from humdial.errors import ItemError
    from humdial.layouts.track1 import find_task_files

    root = args.keep or Path(tempfile.mkdtemp(prefix="humdial-emotion-"))
    rc = cli(["gen", "track1", "--out", str(root), "--layout", "test", "--n", str(args.n), "--seed", str(args.seed),
              "--jobs", str(args.jobs), "--quiet"])
    if rc not in (0, 1):
        console.print(f"[red]humdial gen track1 failed (exit {rc}); nothing to measure[/red]")
        return 2
    recognizer = EmotionRecognizer(EmotionConfig(encoder_weight=0.0 if args.no_encoder else 0.6))
    confusion: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    errors: list[dict] = []
    turns = 0
    started = time.perf_counter()
    for f in find_task_files(root):
        for job in _jobs_from_file(f.path, f.lang, f.task, errors):
            audios = []
            for t in job.turns:
                try:
                    audios.append(load_audio(Path(job.base_dir) / t["audio"]).samples if t["audio"] else None)
                except ItemError:
                    audios.append(None)
            states = recognizer.analyse_causal(job.lang, [t["turn_id"] for t in job.turns],
                                               [t["text"] for t in job.turns], audios)
            for t, s in zip(job.turns, states):
                if t["gold"]:
                    confusion[job.lang][t["gold"]][s.label] += 1
                    turns += 1
    seconds = time.perf_counter() - started
    if not turns:
        console.print("[red]no labelled turns found in the generated data[/red]")
        return 2
    labels = sorted({g for lang in confusion.values() for g in lang} | set(EMOTIONS))
    for lang, rows in sorted(confusion.items()):
        table = Table(title=f"[{lang}] confusion (rows gold, columns predicted)", title_justify="left")
        table.add_column("gold")
        for p in labels:
            table.add_column(p[:7], justify="right")
        table.add_column("n", justify="right")
        table.add_column("acc", justify="right")
        for g in labels:
            n = sum(rows[g].values())
            if n:
                table.add_row(g, *[str(rows[g][p]) for p in labels], str(n), f"{rows[g][g] / n:.2f}")
        console.print(table)
        total = sum(sum(r.values()) for r in rows.values())
        hits = sum(rows[g][g] for g in rows)
        per_emotion = [rows[g][g] / sum(rows[g].values()) for g in rows if sum(rows[g].values())]
        console.print(f"[bold]{lang}[/bold]: accuracy {hits / total:.3f} ({hits}/{total} turns), "
                      f"macro-average recall {sum(per_emotion) / len(per_emotion):.3f}")
    console.print(f"{turns} turns in {seconds:.1f} s ({1000 * seconds / turns:.0f} ms per turn, "
                  f"encoder {'off' if args.no_encoder else 'on'}); data: {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
