"""The `_sentence.json` annotation of a Track 2 input: total duration and timed speech segments.

Shape: `{"final_duration": s, "speech_segments": [{"xmin": s, "xmax": s, "text": str}, ...]}`.
Segment index meaning per scenario is in track2.md section 1.4 (e.g. Third-party *before*: seg[0] is
the third party, seg[1] the real query).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from humdial.errors import AnnotationError

MAX_SECONDS = 24 * 3600.0
"""Largest time an annotation may give (a Track 2 input lasts seconds to minutes); beyond is an error."""
MAX_BYTES = 4 * 1024**2
"""Largest annotation file read (a real one is under 2 kB)."""


def _seconds(value: object, what: str, where: str, source: str | None) -> float:
    """A finite time in [0, MAX_SECONDS]; AnnotationError for NaN, Infinity, 400-digit integers, strings..."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise AnnotationError(f"{where}: {what} is not a number ({type(value).__name__})", source)
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise AnnotationError(f"{where}: {what} is not a usable number ({str(value)[:40]!r})", source) from None
    if not math.isfinite(number) or not 0 <= number <= MAX_SECONDS:
        raise AnnotationError(f"{where}: {what}={str(value)[:40]} is outside 0..{MAX_SECONDS:g} s", source)
    return number


@dataclass(frozen=True)
class SpeechSegment:
    xmin: float
    xmax: float
    text: str = ""


@dataclass(frozen=True)
class SentenceAnnotation:
    final_duration: float
    segments: tuple[SpeechSegment, ...]

    def segment(self, index: int, source: str | None = None) -> SpeechSegment:
        """The segment at `index`, or an AnnotationError naming the problem (the official scripts crash)."""
        if index >= len(self.segments):
            raise AnnotationError(
                f"annotation has {len(self.segments)} speech segment(s) but this scenario needs segment {index}",
                source)
        return self.segments[index]

    def to_json(self) -> dict:
        return {"final_duration": self.final_duration,
                "speech_segments": [{"xmin": s.xmin, "xmax": s.xmax, "text": s.text} for s in self.segments]}

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def from_json(cls, data: object, source: str | None = None) -> "SentenceAnnotation":
        where = source or "annotation"
        if not isinstance(data, dict) or "speech_segments" not in data:
            raise AnnotationError(f"{where}: expected an object with 'speech_segments'", source)
        raw = data["speech_segments"]
        if not isinstance(raw, list):
            raise AnnotationError(f"{where}: 'speech_segments' must be a list", source)
        segments = []
        for i, seg in enumerate(raw):
            if not isinstance(seg, dict) or "xmin" not in seg or "xmax" not in seg:
                raise AnnotationError(f"{where}: segment {i} needs numeric xmin and xmax", source)
            s = SpeechSegment(_seconds(seg["xmin"], f"segment {i} xmin", where, source),
                              _seconds(seg["xmax"], f"segment {i} xmax", where, source), str(seg.get("text", ""))[:10_000])
            if not s.xmin <= s.xmax:
                raise AnnotationError(f"{where}: segment {i} has xmin={s.xmin}, xmax={s.xmax}", source)
            segments.append(s)
        duration = _seconds(data.get("final_duration", segments[-1].xmax if segments else 0.0), "'final_duration'",
                            where, source)
        return cls(final_duration=duration, segments=tuple(segments))


def load_annotation(path: str | Path) -> SentenceAnnotation:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise AnnotationError(f"annotation is over {MAX_BYTES} bytes: {path}", path)
        if not path.is_file():
            raise AnnotationError(f"annotation is not a regular file: {path}", path)
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AnnotationError(f"annotation not found: {path}", path) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnnotationError(f"annotation is not valid UTF-8 JSON: {path} ({exc})", path) from exc
    except (RecursionError, ValueError) as exc:  # 100k-deep nesting; a 5000-digit integer (int limit)
        raise AnnotationError(f"annotation cannot be read: {path} ({type(exc).__name__})", path) from None
    except OSError as exc:
        raise AnnotationError(f"annotation cannot be read: {path} ({exc.strerror or exc})", path) from None
    return SentenceAnnotation.from_json(data, str(path))
