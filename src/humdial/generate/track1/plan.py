"""Plan a Track 1 generation run: which dialogues, in which order, under which names (layouts name them)."""

from __future__ import annotations

from pathlib import Path

from humdial.generate.track1.render import Track1Item
from humdial.generate.voices import VoiceOptions
from humdial.generate.track1.script import TASKS, TURN_COUNTS
from humdial.layouts.track1_write import dialogue_id, group_paths


def plan(out: Path, langs: list[str], n: int, seed: int, layout: str = "train",
         voices: VoiceOptions = VoiceOptions()) -> list[Track1Item]:
    items = []
    for lang in langs:
        for task in TASKS:
            for turns in TURN_COUNTS:
                for i in range(n):
                    jsonl, folder = group_paths(lang, task, turns, layout)
                    items.append(Track1Item(lang=lang, task=task, n_turns=turns, index=i, seed=seed,
                                            dialogue_id=dialogue_id(lang, task, turns, seed, i),
                                            audio_dir=str(out / jsonl.parent / folder), audio_ref=folder,
                                            voices=voices))
    return items
