"""Track 1 data model: tasks (old and new numbering), turns, dialogues, per-line load errors.

The same `Turn` type carries gold turns (user text + gold emotion) and submission turns (system
replies); `validate_dialogue` checks the fields each kind needs and reports every problem of a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Literal

from humdial.protocol.languages import LANGS  # noqa: F401 - re-exported

Kind = Literal["gold", "submission", "input"]
"""gold: the labelled test set; submission: a system's replies; input: what a system is given (labels optional)."""


class Task(Enum):
    """Track 1 tasks under the current (new) numbering; the value is the current task number."""

    TRAJECTORY = 1
    REASONING = 2
    EMPATHY = 3
    RECOGNITION = 4
    GENERATION = 5

    @property
    def ranked(self) -> bool:
        """Only Tasks 1-3 count towards the official final score."""
        return self.value <= 3

    @property
    def code(self) -> str:
        return f"T{self.value}"


OLD_TO_NEW: dict[int, int] = {1: 4, 2: 1, 3: 2, 4: 3, 5: 5}
"""Task numbers before the organisers' renumbering of 2025-10-10 -> current numbers."""


def task_from_number(number: int, numbering: Literal["new", "old"] = "new") -> Task:
    """Map a task number in either numbering to a `Task`; ValueError for an unknown number."""
    mapped = OLD_TO_NEW.get(number) if numbering == "old" else number
    try:
        return Task(mapped)
    except ValueError:
        raise ValueError(f"no Track 1 task {number} in the {numbering} numbering") from None


_ID = re.compile(r"^task(?P<task>\d+)_(?P<turns>\d+)_(?P<lang>zh|en)_(?P<group>\d+)_(?P<index>\d+)$")
_LANG_ID = re.compile(r"(?:^|_)(?P<lang>zh|en)_\d+")


@dataclass(frozen=True)
class DialogueIdParts:
    """What a dialogue id such as `task1_3_zh_0001_0001` says (new numbering, by observation)."""

    task: int | None
    n_turns: int | None
    lang: str | None


def parse_dialogue_id(dialogue_id: str) -> DialogueIdParts:
    match = _ID.match(dialogue_id)
    if match:
        return DialogueIdParts(int(match["task"]), int(match["turns"]), match["lang"])
    loose = _LANG_ID.search(dialogue_id)
    return DialogueIdParts(None, None, loose["lang"] if loose else None)


_SPACE = re.compile(r"\s+")


def normalise_emotion(label: str) -> str:
    """Open label set: case-folded, whitespace trimmed and collapsed; never mapped to a fixed list."""
    return _SPACE.sub(" ", label.strip()).casefold()


NEUTRAL_LABELS: frozenset[str] = frozenset({"neutral"})
"""Labels that count as neutral for the Task 3 turn choice (the official code compares only 'neutral')."""


def is_neutral(emotion: str | None, neutral: frozenset[str] = NEUTRAL_LABELS) -> bool:
    return emotion is not None and normalise_emotion(emotion) in neutral


@dataclass(frozen=True)
class Turn:
    turn_id: int
    text: str | None = None
    """User transcript (gold; `input_text` takes precedence over `text`, as in the official scripts)."""
    emotion: str | None = None
    """Normalised gold emotion of the user turn."""
    label: str | None = None
    """The gold emotion exactly as written (the official prompts show it unchanged, e.g. `ANGER`)."""
    user_audio: str | None = None
    """`split_audio_file` (gold) or `input_audio` (submission), as written in the file."""
    response_text: str | None = None
    response_audio: str | None = None


@dataclass(frozen=True)
class Dialogue:
    dialogue_id: str
    turns: tuple[Turn, ...]
    lang: str | None = None
    task: Task | None = None
    source: str = ""
    """`path:line` of the JSONL line this came from."""
    base_dir: str = ""
    """Folder that relative audio paths are resolved against (the JSONL's folder)."""
    extra: dict[str, Any] = field(default_factory=dict)

    def turn(self, turn_id: int) -> Turn | None:
        return next((t for t in self.turns if t.turn_id == turn_id), None)

    @property
    def last(self) -> Turn:
        return self.turns[-1]

    def with_context(self, **changes: Any) -> "Dialogue":
        return replace(self, **changes)


@dataclass(frozen=True)
class LineError:
    """A problem with one line of one file; loaders return these instead of skipping the line."""

    path: str
    line: int
    message: str
    dialogue_id: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        who = f" [{self.dialogue_id}]" if self.dialogue_id else ""
        return f"{where}{who}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "dialogue_id": self.dialogue_id, "message": self.message}


def _text_field(obj: dict, names: tuple[str, ...], where: str, problems: list[str],
                required: bool) -> str | None:
    """First non-empty field among `names` (aliases in precedence order, so an empty `input_text` falls
    back to `text` as in the official scripts), else the first present one; type-checked."""
    present: list[str] = []
    for name in names:
        if name in obj and obj[name] is not None:
            value = obj[name]
            if not isinstance(value, str):
                problems.append(f"{where}: '{name}' must be a string, got {type(value).__name__}")
                return None
            if value:
                return value
            present.append(value)
    if present:
        return present[0]
    if required:
        problems.append(f"{where}: missing '{names[0]}'" + (f" (or '{names[1]}')" if len(names) > 1 else ""))
    return None


def _turn_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def validate_dialogue(obj: Any, kind: Kind) -> tuple[Dialogue | None, list[str]]:
    """Check one parsed JSON line; returns the dialogue (None when unusable) and every problem found.

    gold: each turn should have a user text and an emotion (audio and replies are optional: train data has
    no response audio). A turn lacking either is reported but not fatal: the dialogue stays (the official
    scripts drop only that turn from the judge's history). input: nothing beyond turn ids (a system's
    view of the test set; labels optional).
    submission: each turn needs `response_text`; `response_audio` is checked by the
    Task 3 code, since only Task 3 needs audio.
    """
    problems: list[str] = []
    warnings: list[str] = []
    """Reported like problems, but the dialogue is kept."""
    if not isinstance(obj, dict):
        return None, [f"a line must be a JSON object, got {type(obj).__name__}"]
    did = obj.get("dialogue_id")
    if not isinstance(did, str) or not did.strip():
        problems.append("missing or empty 'dialogue_id'")
        did = None
    turns_raw = obj.get("turns")
    if not isinstance(turns_raw, list) or not turns_raw:
        problems.append("'turns' must be a non-empty list")
        return None, problems
    turns: list[Turn] = []
    seen: set[int] = set()
    for index, raw in enumerate(turns_raw, start=1):
        where = f"turns[{index}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be an object")
            continue
        tid = _turn_id(raw.get("turn_id"))
        if tid is None or tid < 1:
            problems.append(f"{where}: 'turn_id' must be a positive integer, got {raw.get('turn_id')!r}")
            continue
        where = f"turn {tid}"
        if tid in seen:
            problems.append(f"{where}: duplicate turn_id")
            continue
        seen.add(tid)
        gold = kind == "gold"
        text = _text_field(raw, ("input_text", "text"), where, warnings, required=gold)
        emotion = _text_field(raw, ("input_emotion", "emotion"), where, warnings, required=gold)
        if gold and emotion is not None and not emotion.strip():
            warnings.append(f"{where}: empty emotion label")
        if gold and text is not None and not text:
            warnings.append(f"{where}: empty user text")
        audio = _text_field(raw, ("split_audio_file", "input_audio"), where, problems, required=False)
        response = _text_field(raw, ("response_text",), where, problems, required=kind == "submission")
        response_audio = _text_field(raw, ("response_audio",), where, problems, required=False)
        turns.append(Turn(turn_id=tid, text=text,
                          emotion=normalise_emotion(emotion) if emotion is not None else None, label=emotion,
                          user_audio=audio or None, response_text=response, response_audio=response_audio or None))
    if problems or did is None:
        return None, problems + warnings
    problems = [f"{w} (not fatal: the dialogue is still scored)" for w in warnings]
    turns.sort(key=lambda t: t.turn_id)
    parts = parse_dialogue_id(did)
    extra = {k: v for k, v in obj.items() if k not in ("dialogue_id", "turns")}
    return Dialogue(dialogue_id=did, turns=tuple(turns), lang=parts.lang, extra=extra), problems
