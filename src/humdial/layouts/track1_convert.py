"""Convert HumDial Track 1 train/dev JSONL into the two baselines' training formats.

OSUM-EChat raw JSONL, one line per dialogue of N turns:
    key = dialogue_id; wav/txt = user audio and *assistant reply* of turn N; wav_i/txt_i for every earlier
    turn i = 1..N-1 (all of them, not a fixed three); extra.speech_token, speech_token_i = [] ;
    task = "<S2TCHAT> <TEXT2TOKEN> <HISTORY>" (or without <HISTORY> for one turn); lang; emotion of turn N.
OpenS2S `messages` JSONL: per turn a user message with the audio and an assistant message with the reply
    text; speech_units empty.

Fixed relative to the official converter (track1.md 3.2): replies (not user transcripts) go into txt*;
history is every earlier turn; audio paths are resolved against the JSONL's folder and must exist, so no
path is empty; a dialogue that cannot be converted is reported with its reason, never half-written.
Speech tokens (S3Tokenizer for OSUM-EChat, GLM-4-Voice units for OpenS2S) need reply audio made with an
open-source TTS and the model's own tokenizer: the keys are written empty for the user's tokenizer to fill.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from humdial.layouts.track1 import Numbering, find_task_files, load_dialogues
from humdial.protocol.track1 import Dialogue, LineError

Target = Literal["osum-echat", "opens2s"]
TARGETS: tuple[str, ...] = ("osum-echat", "opens2s")
OSUM_TASK_HISTORY = "<S2TCHAT> <TEXT2TOKEN> <HISTORY>"
OSUM_TASK_SINGLE = "<S2TCHAT> <TEXT2TOKEN>"


@dataclass
class ConvertResult:
    written: int = 0
    errors: list[LineError] = field(default_factory=list)


def _audio(dialogue: Dialogue, path: str | None, turn_id: int, relative_to: Path | None) -> str:
    """The audio path, absolute, or relative to `relative_to` (the output file's folder) when given."""
    if not path:
        raise ValueError(f"turn {turn_id} has no user audio path")
    resolved = Path(path) if Path(path).is_absolute() else Path(dialogue.base_dir) / path
    if not resolved.is_file():
        raise ValueError(f"turn {turn_id} user audio not found: {resolved}")
    absolute = resolved.resolve()
    return str(absolute) if relative_to is None else os.path.relpath(absolute, relative_to.resolve())


def _reply(turn_id: int, text: str | None) -> str:
    if not text or not text.strip():
        raise ValueError(f"turn {turn_id} has no response_text (the training target)")
    return text.strip()


def to_osum_echat(dialogue: Dialogue, relative_to: Path | None = None) -> dict:
    turns = dialogue.turns
    last = turns[-1]
    record: dict = {"key": dialogue.dialogue_id,
                    "wav": _audio(dialogue, last.user_audio, last.turn_id, relative_to),
                    "txt": _reply(last.turn_id, last.response_text)}
    extra: dict = {"speech_token": []}
    for index, turn in enumerate(turns[:-1], start=1):
        record[f"wav_{index}"] = _audio(dialogue, turn.user_audio, turn.turn_id, relative_to)
        record[f"txt_{index}"] = _reply(turn.turn_id, turn.response_text)
        extra[f"speech_token_{index}"] = []
    record["extra"] = extra
    record["task"] = OSUM_TASK_HISTORY if len(turns) > 1 else OSUM_TASK_SINGLE
    if dialogue.lang:
        record["lang"] = dialogue.lang
    if last.emotion:
        record["emotion"] = last.emotion
    return record


def _item(text: str = "", audio: str = "") -> dict:
    return {"text": text, "audio": audio, "speech_units": "", "spk_emb": ""}


def to_opens2s(dialogue: Dialogue, relative_to: Path | None = None) -> dict:
    messages = []
    for turn in dialogue.turns:
        messages.append({"role": "user", "content": [_item(audio=_audio(dialogue, turn.user_audio, turn.turn_id, relative_to))]})
        messages.append({"role": "assistant", "content": [_item(text=_reply(turn.turn_id, turn.response_text))]})
    return {"messages": messages}


CONVERTERS = {"osum-echat": to_osum_echat, "opens2s": to_opens2s}


def convert(data: str | Path, out: str | Path, target: Target, numbering: Numbering = "new",
            absolute: bool = True, ranked_only: bool = False) -> ConvertResult:
    """Convert every task file under `data` into one JSONL at `out` (written atomically).

    Audio paths are absolute, or (`absolute=False`) relative to the folder of `out`, so the JSONL finds its
    audio from wherever it is read."""
    if target not in CONVERTERS:
        raise ValueError(f"unknown target {target!r}; choose from {TARGETS}")
    result = ConvertResult()
    relative_to = None if absolute else Path(out).parent
    lines: list[str] = []
    files = find_task_files(data, numbering)
    if not files:
        result.errors.append(LineError(str(data), 0, "no <lang>/task*.jsonl or HD-Track1-T*.jsonl found"))
    for task_file in files:
        if ranked_only and not task_file.task.ranked:
            continue
        loaded = load_dialogues(task_file.path, "gold", task_file.lang, task_file.task)
        result.errors.extend(loaded.errors)
        for dialogue in loaded.dialogues:
            try:
                lines.append(json.dumps(CONVERTERS[target](dialogue, relative_to), ensure_ascii=False))
            except ValueError as exc:
                path, _, line = dialogue.source.rpartition(":")
                result.errors.append(LineError(path, int(line or 0), f"not converted: {exc}", dialogue.dialogue_id))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".partial")
    tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    tmp.replace(out)
    result.written = len(lines)
    return result
