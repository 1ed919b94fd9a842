"""`humdial stream`: play a Track 2 set into a live system in real time and write its answers for eval."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from humdial.commands.options import add_lang, add_out

COMMAND = ("stream",)
HELP = "stream every input of a Track 2 set into a live system (docs/streaming.md) and write its outputs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", required=True, help="the live system's WebSocket, e.g. ws://127.0.0.1:8765/ws")
    parser.add_argument("--data", required=True, help="Track 2 data: dev or test layout (as for run track2)")
    add_out(parser, "output folder (dev mirror, or HD-Track2/ for the test layout)")
    add_lang(parser, default="en,zh")
    parser.add_argument("--sessions", type=int, default=1, help="inputs streamed at the same time")
    parser.add_argument("--frame-ms", type=float, default=20.0, help="input frame duration (20-32 ms)")
    parser.add_argument("--pairing", default=None, help="pairing manifest of a test layout (default: DATA/pairing.jsonl)")
    parser.add_argument("--limit", type=int, default=0, help="stream only the first N samples (0: all)")
    parser.add_argument("--force", action="store_true", help="stream again inputs whose outputs exist")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    import asyncio

    from humdial.agent.runner import plan_jobs
    from humdial.errors import HumdialError
    from humdial.execute.pool import progress_bar
    from humdial.layouts.track2 import PAIRING_FILE, SUBMISSION_ROOT, read_track2
    from humdial.serve.protocol import MAX_FRAME_MS, MIN_FRAME_MS
    from humdial.serve.stream_set import StreamSettings, stream_jobs, summarise

    if not args.url.startswith(("ws://", "wss://")):
        raise HumdialError(f"--url must be a ws:// or wss:// address, got {args.url!r}")
    if not MIN_FRAME_MS <= args.frame_ms <= MAX_FRAME_MS:
        raise HumdialError(f"--frame-ms must be within {MIN_FRAME_MS:g}-{MAX_FRAME_MS:g}")
    if args.sessions < 1:
        raise HumdialError("--sessions must be at least 1")
    data, out = Path(args.data), Path(args.out)
    langs = tuple(args.lang)
    is_test = bool(args.pairing) or (data / PAIRING_FILE).exists()
    outputs = out / SUBMISSION_ROOT if is_test and out.name != SUBMISSION_ROOT else out
    if is_test:
        (outputs / "test").mkdir(parents=True, exist_ok=True)
        (outputs / "clean").mkdir(parents=True, exist_ok=True)
    dataset = read_track2(data, outputs, list(langs), args.pairing)
    samples = dataset.samples[: args.limit] if args.limit else dataset.samples
    jobs = plan_jobs(samples, out)
    for job in jobs:
        job.output_wav.parent.mkdir(parents=True, exist_ok=True)
    settings = StreamSettings(args.url, args.sessions, args.frame_ms, args.force)
    total_s = 0.0
    for job in jobs:
        try:
            import soundfile as sf

            total_s += sf.info(str(job.input_wav)).duration
        except Exception:
            pass
    with progress_bar(args.quiet) as bar:
        task = bar.add_task(f"streaming ({args.sessions} at once, audio seconds)", total=round(total_s, 1))
        results = asyncio.run(stream_jobs(jobs, settings, lambda s: bar.advance(task, s)))
        bar.update(task, completed=round(total_s, 1))
    summary = {"layout": dataset.layout, "data": str(data), "outputs": str(outputs), "langs": list(langs),
               **summarise(results, settings), "layout_problems": dataset.problems}
    out.mkdir(parents=True, exist_ok=True)
    (out / "stream_run.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str),
                                         encoding="utf-8")
    e2e = summary["end_to_end_latency"]
    print(f"stream: {summary['ok']} written, {summary['skipped']} already done, {len(summary['errors'])} failed; "
          f"output lag mean {summary['output_lag_mean_s']} s, {summary['late_output_frames']} late and "
          f"{summary['dropped_output_frames']} dropped output frames"
          + (f"; end-to-end latency mean {e2e['mean_s']} s over {e2e['n']} replies" if e2e["n"] else "")
          + f"; summary in {out / 'stream_run.json'}")
    for err in summary["errors"][:10]:
        print(f"  error {err['sample_id']} ({err['role']}): {err['error']['message']}")
    return 1 if summary["errors"] else 0
