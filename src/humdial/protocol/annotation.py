"""The `_sentence.json` annotation of a Track 2 input: total duration and timed speech segments.

Shape: `{"final_duration": s, "speech_segments": [{"xmin": s, "xmax": s, "text": str}, ...]}`.
Segment index meaning per scenario is in track2.md section 1.4 (e.g. Third-party *before*: seg[0] is
the third party, seg[1] the real query).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from humdial.errors import AnnotationError


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
            try:
                s = SpeechSegment(float(seg["xmin"]), float(seg["xmax"]), str(seg.get("text", "")))
            except (KeyError, TypeError, ValueError) as exc:
                raise AnnotationError(f"{where}: segment {i} needs numeric xmin and xmax ({exc})", source) from exc
            if not (0 <= s.xmin <= s.xmax):
                raise AnnotationError(f"{where}: segment {i} has xmin={s.xmin}, xmax={s.xmax}", source)
            segments.append(s)
        try:
            duration = float(data.get("final_duration", segments[-1].xmax if segments else 0.0))
        except (TypeError, ValueError) as exc:
            raise AnnotationError(f"{where}: 'final_duration' is not a number", source) from exc
        return cls(final_duration=duration, segments=tuple(segments))


def load_annotation(path: str | Path) -> SentenceAnnotation:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AnnotationError(f"annotation not found: {path}", path) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnnotationError(f"annotation is not valid UTF-8 JSON: {path} ({exc})", path) from exc
    return SentenceAnnotation.from_json(data, str(path))
