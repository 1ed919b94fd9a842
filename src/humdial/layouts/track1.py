"""Read Track 1 JSONL files and find them in the official folder layouts.

Layouts understood (a language folder `zh/` or `en/` somewhere under the root):
- test / submission: `<lang>/HD-Track1-T{1,2,3}.jsonl` (current numbering, unambiguous);
- train / dev: `<lang>/task{K}.jsonl` or `<lang>/task{K}_{N}.jsonl`, where K is in the current numbering
  (`numbering="new"`, the released dev data) or in the pre-2025-10-10 numbering (`numbering="old"`).
Every malformed line becomes a `LineError`; nothing is skipped silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal

from humdial.protocol.track1 import LANGS, Dialogue, Kind, LineError, Task, task_from_number, validate_dialogue

Numbering = Literal["new", "old"]
OFFICIAL_JSONL = re.compile(r"^HD-Track1-T(?P<task>\d)\.jsonl$")
NUMBERED_JSONL = re.compile(r"^task(?P<task>\d)(?:_(?P<turns>\d+))?\.jsonl$")


def official_jsonl_name(task: Task) -> str:
    return f"HD-Track1-{task.code}.jsonl"


def official_audio_dir(task: Task) -> str:
    return f"HD-Track1-{task.code}"


def response_wav_name(dialogue_id: str, turn_id: int) -> str:
    """The official name of a response wav (SITE test-set page)."""
    return f"{dialogue_id}_{turn_id}_response.wav"


@dataclass
class LoadResult:
    dialogues: list[Dialogue] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    def extend(self, other: "LoadResult") -> None:
        self.dialogues.extend(other.dialogues)
        self.errors.extend(other.errors)


def iter_jsonl(path: Path) -> Iterator[tuple[int, object | LineError]]:
    """(line number, parsed object or LineError) per non-blank line; undecodable bytes are errors too."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield 0, LineError(str(path), 0, f"cannot read file: {exc}")
        return
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            yield number, LineError(str(path), number, f"not UTF-8: {exc}")
        except json.JSONDecodeError as exc:
            yield number, LineError(str(path), number, f"malformed JSON: {exc.msg} at column {exc.colno}")


def load_dialogues(path: str | Path, kind: Kind, lang: str | None = None, task: Task | None = None) -> LoadResult:
    """Load one JSONL file of dialogues; `lang`/`task` come from the layout when known."""
    path = Path(path)
    result = LoadResult()
    seen: dict[str, int] = {}
    for number, obj in iter_jsonl(path):
        if isinstance(obj, LineError):
            result.errors.append(obj)
            continue
        dialogue, problems = validate_dialogue(obj, kind)
        did = obj.get("dialogue_id") if isinstance(obj, dict) and isinstance(obj.get("dialogue_id"), str) else None
        for problem in problems:
            result.errors.append(LineError(str(path), number, problem, did))
        if dialogue is None:
            continue
        if dialogue.dialogue_id in seen:
            result.errors.append(LineError(str(path), number, f"duplicate dialogue_id (first on line "
                                           f"{seen[dialogue.dialogue_id]}); this line is ignored", did))
            continue
        seen[dialogue.dialogue_id] = number
        if lang is not None and dialogue.lang is not None and dialogue.lang != lang:
            result.errors.append(LineError(str(path), number, f"dialogue id says language {dialogue.lang!r} but the "
                                           f"file is in the {lang!r} folder; using {lang!r}", did))
        result.dialogues.append(dialogue.with_context(lang=lang or dialogue.lang, task=task,
                                                      source=f"{path}:{number}", base_dir=str(path.parent)))
    return result


@dataclass(frozen=True)
class TaskFile:
    lang: str
    task: Task
    path: Path
    n_turns: int | None = None


def _lang_of(path: Path, root: Path) -> str | None:
    for part in reversed(path.relative_to(root).parts[:-1]):
        if part in LANGS:
            return part
    return None


def find_task_files(root: str | Path, numbering: Numbering = "new", official_only: bool = False) -> list[TaskFile]:
    """Every Track 1 JSONL under `root` with its language and task, sorted (lang, task, path).

    A file whose language cannot be told from a `zh`/`en` folder is not listed; `root` may itself be
    a language folder (`.../zh`).
    """
    root = Path(root)
    found: list[TaskFile] = []
    for path in sorted(root.rglob("*.jsonl")):
        lang = _lang_of(path, root) or (root.name if root.name in LANGS else None)
        if lang is None:
            continue
        official = OFFICIAL_JSONL.match(path.name)
        if official:
            found.append(TaskFile(lang, task_from_number(int(official["task"])), path))
            continue
        numbered = NUMBERED_JSONL.match(path.name)
        if numbered and not official_only:
            try:
                task = task_from_number(int(numbered["task"]), numbering)
            except ValueError:
                continue
            turns = int(numbered["turns"]) if numbered["turns"] else None
            found.append(TaskFile(lang, task, path, turns))
    return sorted(found, key=lambda f: (f.lang, f.task.value, str(f.path)))


def load_tree(root: str | Path, kind: Kind, numbering: Numbering = "new", ranked_only: bool = True) -> LoadResult:
    """Load every task file under `root` (see `find_task_files`)."""
    result = LoadResult()
    for task_file in find_task_files(root, numbering):
        if ranked_only and not task_file.task.ranked:
            continue
        result.extend(load_dialogues(task_file.path, kind, task_file.lang, task_file.task))
    return result
