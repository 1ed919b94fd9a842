"""Where generated Track 1 dialogues go, and their index files.

train: <out>/<lang>/task{T}_{N}/{dialogue_id}_{turn_id}.wav and <out>/<lang>/task{T}_{N}.jsonl
       (the dev/train naming with the current task numbers and a turn-count suffix, track1.md 1.2).
test:  <out>/HD-Track1-Test/<lang>/HD-Track1-T{T}/{dialogue_id}_{turn_id}.wav and
       <out>/HD-Track1-Test/<lang>/HD-Track1-T{T}.jsonl (all turn counts of a task together).
dialogue_id = task{T}_{N}_{lang}_{SSSS}_{iiii} (SSSS = seed mod 10000). JSONL lines follow
track1.md 1.1 (`turns[].turn_id/text/emotion/split_audio_file/response_text`, with the reference
reply as `response_text`), plus `cause` per turn; `split_audio_file` is relative to the JSONL's folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from typing import Protocol

from humdial.layouts.track1 import official_audio_dir, official_jsonl_name
from humdial.protocol.track1 import Task

TEST_ROOT = "HD-Track1-Test"


class PlannedDialogue(Protocol):
    """What the writer needs of a planned dialogue (the generator's Track1Item satisfies it)."""

    lang: str
    task: int
    n_turns: int


def dialogue_id(lang: str, task: int, n_turns: int, seed: int, index: int) -> str:
    """`task{T}_{N}_{lang}_{SSSS}_{iiii}`; SSSS = seed mod 10000, so sets from different seeds merge."""
    return f"task{task}_{n_turns}_{lang}_{seed % 10000:04d}_{index + 1:04d}"


def group_paths(lang: str, task: int, n_turns: int, layout: str) -> tuple[Path, str]:
    """(JSONL path relative to the output folder, audio folder name relative to the JSONL's folder)."""
    if layout == "test":
        t = Task(task)
        return Path(TEST_ROOT) / lang / official_jsonl_name(t), official_audio_dir(t)
    return Path(lang) / f"task{task}_{n_turns}.jsonl", f"task{task}_{n_turns}"


def _group(item: PlannedDialogue, layout: str) -> tuple[Path, str]:
    return group_paths(item.lang, item.task, item.n_turns, layout)


def write_index(out: Path, items: list[PlannedDialogue], records: list[dict], layout: str) -> None:
    """One JSONL per group, lines in canonical order; failed dialogues are left out (see errors.jsonl)."""
    groups: dict[Path, list[str]] = {}
    for item, rec in zip(items, records):
        path, _ = _group(item, layout)
        lines = groups.setdefault(path, [])
        if "error" not in rec:
            lines.append(json.dumps({"dialogue_id": rec["dialogue_id"], "turns": rec["turns"]}, ensure_ascii=False))
    for rel, lines in groups.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as fh:
        for item, rec in zip(items, records):
            if "error" not in rec:
                fh.write(json.dumps({"dialogue_id": rec["dialogue_id"], "lang": item.lang, "task": item.task,
                                     "n_turns": item.n_turns, "voice": rec["voice"],
                                     "jsonl": str(_group(item, layout)[0]),
                                     **({"script_source": rec["script_source"]} if "script_source" in rec else {})},
                                    ensure_ascii=False) + "\n")
