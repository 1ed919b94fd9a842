"""Where Track 1 dialogues go.

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

from humdial.generate.track1.render import Track1Item
from humdial.generate.track1.script import TASKS, TURN_COUNTS

TEST_ROOT = "HD-Track1-Test"


def _group(item: Track1Item, layout: str) -> tuple[Path, str]:
    """(JSONL path relative to out, audio folder name relative to the JSONL folder)."""
    if layout == "test":
        return Path(TEST_ROOT) / item.lang / f"HD-Track1-T{item.task}.jsonl", f"HD-Track1-T{item.task}"
    return Path(item.lang) / f"task{item.task}_{item.n_turns}.jsonl", f"task{item.task}_{item.n_turns}"


def plan(out: Path, langs: list[str], n: int, seed: int, layout: str = "train") -> list[Track1Item]:
    items = []
    for lang in langs:
        for task in TASKS:
            for turns in TURN_COUNTS:
                for i in range(n):
                    did = f"task{task}_{turns}_{lang}_{seed % 10000:04d}_{i + 1:04d}"
                    base = Path(TEST_ROOT) / lang if layout == "test" else Path(lang)
                    folder = f"HD-Track1-T{task}" if layout == "test" else f"task{task}_{turns}"
                    items.append(Track1Item(lang=lang, task=task, n_turns=turns, index=i, seed=seed,
                                            dialogue_id=did, audio_dir=str(out / base / folder), audio_ref=folder))
    return items


def write_index(out: Path, items: list[Track1Item], records: list[dict], layout: str) -> None:
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
