"""Bank size report: how many distinct scripts the banks actually produce per scenario and language.

Counted by drawing, not by formula: the figure is the number of distinct scripts among `draws`
seeded draws (a lower bound on what the bank can produce, and exactly what the generator does).
"""

from __future__ import annotations

import random

from humdial.generate.track1 import script as track1_script
from humdial.generate.track2 import script as track2_script

DRAWS = 5000
"""Scripts drawn per (scenario, language) for the report."""


def track2_sizes(langs: list[str], draws: int = DRAWS, seed: int = 0) -> dict[str, dict[str, int]]:
    """{unit: {lang: distinct scripts among `draws`}}."""
    out: dict[str, dict[str, int]] = {}
    for unit in track2_script.UNIT_KEYS:
        for lang in langs:
            rng = random.Random(f"report:{seed}:{lang}:{unit}")
            seen = {track2_script.compose(lang, unit, rng).texts for _ in range(draws)}
            out.setdefault(unit, {})[lang] = len(seen)
    return out


def track1_sizes(langs: list[str], draws: int = DRAWS, seed: int = 0) -> dict[str, dict[str, int]]:
    """{"task{T}_{N}": {lang: distinct dialogues (user texts + emotions) among `draws`}}."""
    out: dict[str, dict[str, int]] = {}
    for task in track1_script.TASKS:
        for turns in track1_script.TURN_COUNTS:
            for lang in langs:
                rng = random.Random(f"report:{seed}:{lang}:{task}:{turns}")
                seen = {tuple((t.text, t.emotion) for t in track1_script.compose(lang, task, turns, "x", rng).turns)
                        for _ in range(draws)}
                out.setdefault(f"task{task}_{turns}", {})[lang] = len(seen)
    return out


def print_report(title: str, sizes: dict[str, dict[str, int]], draws: int) -> None:
    from rich.console import Console
    from rich.table import Table

    langs = sorted({lang for row in sizes.values() for lang in row})
    table = Table(title=f"{title}: distinct scripts among {draws} seeded draws per row")
    table.add_column("scenario")
    for lang in langs:
        table.add_column(lang, justify="right")
    for name, row in sizes.items():
        table.add_row(name, *(str(row.get(lang, "")) for lang in langs))
    Console().print(table)
