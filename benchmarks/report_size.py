"""Benchmark: a 1,000-sample Track 2 report, its size, build time and how long headless Chromium takes to load it.

A real small run is the base (`--base RUN_DIR`, or built here: `gen track2 --n 1`, `run track2 --asr none`,
`eval track2` with the proxy judge). Its sample records are repeated under distinct ids up to `--samples`
(every record keeps its own wavs, so each drawn sample really loads and encodes audio), written as a run
directory, and `humdial.report.build_report` writes the page with the default options (auto audio: Ogg
Vorbis embedded up to 4 MB, then linked; 40 drill-downs; every sample listed).

Load time: wall seconds of `chromium --headless --dump-dom PAGE` (the DOM is dumped once the page has
loaded and its script has run), minus the same command on an empty page (browser start-up), best of
`--repeat`. The machine may be shared: the load average is printed with the figures.

    python benchmarks/report_size.py [--samples 1000] [--base RUN_DIR] [--keep DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--mute-audio", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def humdial(*args: str) -> None:
    """Run one CLI command quietly; exit 1 (finished, some items failed: counted in the results) is accepted."""
    code = subprocess.run([sys.executable, "-m", "humdial", *args], stdout=subprocess.DEVNULL).returncode
    if code not in (0, 1):
        raise SystemExit(f"humdial {' '.join(args)}: exit {code}")


def build_base(work: Path) -> Path:
    data, run = work / "data", work / "base"
    humdial("gen", "track2", "--out", str(data), "--n", "1", "--lang", "en", "--quiet")
    humdial("run", "track2", "--data", str(data), "--out", str(data), "--lang", "en", "--asr", "none", "--quiet")
    # (the agent's event logs land in data/agent_logs, which eval reports as a layout note and ignores)
    humdial("eval", "track2", "--data", str(data), "--out", str(run), "--lang", "en", "--judge", "proxy", "--quiet")
    return run


def scale_run(base: Path, out: Path, samples: int) -> Path:
    """`out` with base's track2_results.json, its sample records repeated under distinct ids."""
    raw = json.loads((base / "track2_results.json").read_text(encoding="utf-8"))
    records = raw["samples"]
    raw["samples"] = [{**records[i % len(records)], "sample_id": f"{records[i % len(records)]['sample_id']}-{i:04d}"}
                      for i in range(samples)]
    out.mkdir(parents=True, exist_ok=True)
    (out / "track2_results.json").write_text(json.dumps(raw), encoding="utf-8")
    return out


def load_seconds(chromium: str, page: Path, profile: Path, repeat: int) -> tuple[float, float, int]:
    """(best page wall s, best empty-page wall s, DOM characters)."""
    empty = profile.parent / "empty.html"
    empty.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")

    def once(target: Path) -> tuple[float, int]:
        started = time.perf_counter()
        done = subprocess.run([chromium, *CHROMIUM_ARGS, f"--user-data-dir={profile}", "--dump-dom", target.as_uri()],
                              capture_output=True, text=True, check=True, timeout=600)
        return time.perf_counter() - started, len(done.stdout)

    page_s, dom = min(once(page) for _ in range(repeat))
    empty_s = min(once(empty)[0] for _ in range(repeat))
    return page_s, empty_s, dom


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--base", type=Path, default=None, help="run directory with track2_results.json to repeat")
    ap.add_argument("--keep", type=Path, default=None, help="work folder to keep (default: a temporary one)")
    ap.add_argument("--repeat", type=int, default=3, help="browser loads per page; the best is reported")
    args = ap.parse_args()
    from humdial.report import ReportOptions, build_report

    chromium = os.environ.get("HUMDIAL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    work = args.keep or Path(tempfile.mkdtemp(prefix="humdial-report-size-"))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    base = args.base or build_base(work)
    run = scale_run(base, work / f"run{args.samples}", args.samples)
    started = time.perf_counter()
    page = build_report(run, ReportOptions())
    built = time.perf_counter() - started
    html = page.read_text(encoding="utf-8")
    size = page.stat().st_size
    print(f"report: {page}")
    rows, drawn = html.count('class="srow"'), html.count('data-chart="timeline"')
    embedded = html.count('src="data:audio/')
    print(f"samples {args.samples} (from {base}); page {size / 1e6:.2f} MB; built in {built:.1f} s; "
          f"sample rows {rows}, drill-downs {drawn}, audio players: {embedded} embedded, "
          f"{html.count('<audio') - embedded} linked")
    if not chromium:
        print("no chromium binary: load time not measured (apt-get install chromium)")
        return
    page_s, empty_s, dom = load_seconds(chromium, page, work / "profile", args.repeat)
    print(f"headless Chromium --dump-dom: {page_s:.2f} s wall (best of {args.repeat}); empty page {empty_s:.2f} s; "
          f"page load beyond browser start-up {max(0.0, page_s - empty_s):.2f} s; DOM {dom / 1e6:.2f} M characters")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
