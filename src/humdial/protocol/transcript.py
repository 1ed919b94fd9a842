"""Transcripts with word (or character) timestamps, in the official on-disk JSON shape.

On disk: `{"text": "<space-separated tokens>", "chunks": [{"text": tok, "timestamp": [start_s, end_s]}]}`.
`chunks` is empty for silent audio.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from humdial.errors import TranscriptError

MAX_WORD_TIME_S = 24 * 3600.0
"""Word times beyond a day (1e30 s, Infinity) are an invalid transcript, not a very late answer."""


class Word(NamedTuple):
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...] = field(default_factory=tuple)

    @property
    def first_word_start(self) -> float | None:
        """Onset of the first token, or None when nothing was recognised."""
        return self.words[0].start if self.words else None

    @property
    def is_empty(self) -> bool:
        return not self.words

    def to_official(self) -> dict[str, Any]:
        return {"text": self.text,
                "chunks": [{"text": w.text, "timestamp": [w.start, w.end]} for w in self.words]}

    @classmethod
    def from_words(cls, words: list[Word] | tuple[Word, ...]) -> "Transcript":
        return cls(text=" ".join(w.text for w in words), words=tuple(words))

    @classmethod
    def from_official(cls, data: Any, source: str | None = None) -> "Transcript":
        """Parse and validate the official shape; raises TranscriptError with the reason."""
        where = source or "transcript"
        if not isinstance(data, dict):
            raise TranscriptError(f"{where}: expected a JSON object with 'text' and 'chunks'", source)
        chunks = data.get("chunks", [])
        if not isinstance(chunks, list):
            raise TranscriptError(f"{where}: 'chunks' must be a list", source)
        words = []
        for i, chunk in enumerate(chunks):
            try:
                start, end = chunk["timestamp"]
                word = Word(str(chunk["text"]), float(start), float(end))
            except (KeyError, TypeError, ValueError, OverflowError) as exc:
                raise TranscriptError(f"{where}: chunk {i} is not {{text, timestamp:[start,end]}} ({exc})",
                                      source) from exc
            if not (0 <= word.start <= word.end <= MAX_WORD_TIME_S):  # also false for NaN and Infinity
                raise TranscriptError(f"{where}: chunk {i} has an invalid time span {chunk['timestamp']}", source)
            words.append(word)
        text = data.get("text")
        if text is None:
            text = " ".join(w.text for w in words)
        return cls(text=str(text), words=tuple(words))

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_official(), ensure_ascii=False), encoding="utf-8")


def load_transcript(path: str | Path) -> Transcript:
    path = Path(path)
    if path.exists() and not path.is_file():  # a FIFO would block the read forever
        raise TranscriptError(f"transcript is not a regular file: {path}", path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TranscriptError(f"transcript not found: {path}", path) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TranscriptError(f"transcript is not valid UTF-8 JSON: {path} ({exc})", path) from exc
    except (RecursionError, ValueError, OSError) as exc:  # deep nesting, huge integers, a folder or FIFO
        raise TranscriptError(f"transcript cannot be read: {path} ({type(exc).__name__})", path) from None
    return Transcript.from_official(data, str(path))
