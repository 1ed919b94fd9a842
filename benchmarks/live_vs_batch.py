"""Live equals batch? The same agent on the same inputs, once in batch (`run track2`, simulated clock)
and once served live (`humdial serve`) and streamed in real time (`humdial stream`); both evaluated
with `eval track2` (offline proxy judge). Prints the totals side by side and the live transport figures
(end-to-end latency, output lag, late and dropped frames). Not a test: it prints figures.

Target (issue 15): interruption and rejection within 5 points, total delay within 0.1 s.
Every subprocess gets OPENBLAS_NUM_THREADS=1 (see humdial/serve/threads.py), batch included, so the
two runs differ by the clock only.

    python benchmarks/live_vs_batch.py --n 3 --seed 7 --lang en --sessions 4 [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

KEYS = ("interruption_total", "rejection_total", "total_delay_s")
LIMITS = {"interruption_total": 5.0, "rejection_total": 5.0, "total_delay_s": 0.1}
ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}


def humdial(*args: str, check: bool = True) -> None:
    print("$ humdial " + " ".join(args), flush=True)
    subprocess.run([sys.executable, "-m", "humdial", *args], check=check, env=ENV)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(lang: str, port: int, logs: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "humdial", "serve", "--lang", lang, "--port", str(port),
                             "--logs", str(logs)], env=ENV)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("humdial serve exited before it was ready")
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("humdial serve did not come up")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3, help="samples per scenario")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--lang", default="en")
    ap.add_argument("--sessions", type=int, default=4, help="inputs streamed at once")
    ap.add_argument("--jobs", type=int, default=2, help="batch worker processes")
    ap.add_argument("--keep", default=None, help="work folder to keep (default: a temporary one)")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="live_vs_batch_"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "data"
    if not (data / "manifest.jsonl").exists():
        humdial("gen", "track2", "--out", str(data), "--lang", args.lang, "--n", str(args.n), "--seed", str(args.seed))
    t = time.perf_counter()
    humdial("run", "track2", "--data", str(data), "--out", str(work / "batch"), "--lang", args.lang,
            "--jobs", str(args.jobs), check=False)
    batch_s = time.perf_counter() - t
    port = free_port()
    server = serve(args.lang, port, work / "serve_logs")
    try:
        t = time.perf_counter()
        humdial("stream", "--url", f"ws://127.0.0.1:{port}/ws", "--data", str(data), "--out", str(work / "live"),
                "--lang", args.lang, "--sessions", str(args.sessions), check=False)
        live_s = time.perf_counter() - t
    finally:
        server.terminate()
        server.wait(30)
    results = {}
    for name in ("batch", "live"):
        run = work / f"eval_{name}"
        humdial("eval", "track2", "--data", str(data), "--outputs", str(work / name), "--out", str(run),
                "--lang", args.lang, "--quiet", check=False)
        results[name] = json.loads((run / "track2_results.json").read_text(encoding="utf-8"))
    stream = json.loads((work / "live" / "stream_run.json").read_text(encoding="utf-8"))

    figures: dict = {"n": args.n, "seed": args.seed, "lang": args.lang, "sessions": args.sessions,
                     "batch_wall_s": round(batch_s, 1), "live_wall_s": round(live_s, 1), "modes": {}}
    for mode in ("official", "strict"):
        rows = {}
        print(f"\n[{mode}] {args.lang}    {'batch':>8s} {'live':>8s} {'diff':>8s}  within target")
        for key in KEYS:
            b = results["batch"][mode]["languages"][args.lang].get(key)
            v = results["live"][mode]["languages"][args.lang].get(key)
            diff = None if b is None or v is None else round(v - b, 3)
            ok = diff is not None and abs(diff) <= LIMITS[key]
            rows[key] = {"batch": b, "live": v, "diff": diff, "within": ok}
            print(f"  {key:20s} {b if b is not None else '-':>8} {v if v is not None else '-':>8} "
                  f"{diff if diff is not None else '-':>8}  {'yes' if ok else 'NO'} (|diff| <= {LIMITS[key]})")
        scen = {}
        for name, vals in results["live"][mode]["scenarios"][args.lang].items():
            scen[name] = (results["batch"][mode]["scenarios"][args.lang][name].get("headline"), vals.get("headline"))
        rows["headline_by_scenario"] = scen
        figures["modes"][mode] = rows
    e2e = stream["end_to_end_latency"]
    figures["stream"] = {k: stream.get(k) for k in ("ok", "errors", "output_lag_mean_s", "output_lag_p95_s",
                                                    "late_output_frames", "dropped_output_frames",
                                                    "send_jitter_mean_s", "end_to_end_latency", "input_s")}
    figures["stream"]["errors"] = len(stream["errors"])
    print(f"\nlive transport: end-to-end latency mean {e2e['mean_s']} s (p95 {e2e['p95_s']} s, engine mean "
          f"{e2e['engine_mean_s']} s, {e2e['n']} replies); output lag mean {stream['output_lag_mean_s']} s "
          f"(p95 {stream['output_lag_p95_s']} s); {stream['late_output_frames']} late, "
          f"{stream['dropped_output_frames']} dropped output frames; {len(stream['errors'])} stream errors")
    (work / "live_vs_batch.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(f"figures in {work / 'live_vs_batch.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
