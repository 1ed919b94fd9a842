"""The Track 1 judge stage with a progress bar on stderr (rich), silent with --quiet.

Why batches: the Judge protocol answers a list at once (`judge_many`), with no per-item callback; asking
in batches lets the bar move while an LLM judge works through hundreds of items, and keeps stdout clean
for the results table.
"""

from __future__ import annotations

from typing import Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from humdial.judge.base import Judge, JudgeRequest, Parser, Verdict

JUDGE_BATCH = 16
"""Requests per judge_many call: four times the LLM client's default concurrency (4), so the endpoint stays
busy while the bar still moves every few seconds; identical requests are still asked once per batch."""


def stderr_progress(quiet: bool) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=Console(stderr=True), disable=quiet, transient=False)


def judge_groups(judge: Judge, groups: Sequence[tuple[str, Sequence[JudgeRequest], Parser]],
                 quiet: bool = False) -> list[list[Verdict]]:
    """Answer each (label, requests, parser) group in input order, one bar line per group."""
    out: list[list[Verdict]] = []
    with stderr_progress(quiet) as bar:
        for label, requests, parse in groups:
            task = bar.add_task(f"Track 1 judge: {label}", total=len(requests))
            verdicts: list[Verdict] = []
            for start in range(0, len(requests), JUDGE_BATCH):
                batch = list(requests[start:start + JUDGE_BATCH])
                verdicts += judge.judge_many(batch, parse)
                bar.advance(task, len(batch))
            out.append(verdicts)
    return out
