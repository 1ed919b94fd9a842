"""Track 2 generation throughput: samples written per second (wav + annotation + clean + transcripts).

Usage: python benchmarks/gen_track2.py [--n 10] [--jobs 2] [--lang en,zh]
Prints one line with samples/s; 1,000 samples take 1000 / that figure seconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from humdial.generate.driver import generate_track2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10, help="samples per scenario per language")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--lang", default="en,zh")
    parser.add_argument("--layout", default="dev", choices=["dev", "test"])
    args = parser.parse_args()
    langs = [x for x in args.lang.split(",") if x]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        summary = generate_track2(Path(tmp), langs, args.n, seed=0, layout=args.layout, jobs=args.jobs, quiet=True)
        elapsed = time.perf_counter() - start
    rate = summary.written / elapsed
    print(f"gen track2: {summary.written} samples in {elapsed:.1f} s with --jobs {args.jobs} = {rate:.2f} samples/s "
          f"(1,000 samples ~ {1000 / rate / 60:.1f} min); errors: {len(summary.errors)}, flagged: {summary.flagged}")


if __name__ == "__main__":
    main()
