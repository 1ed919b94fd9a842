"""Time segments and the merge rule applied to VAD output."""

from __future__ import annotations

from typing import Iterable, NamedTuple


class Segment(NamedTuple):
    start: float
    end: float


def merge_segments(segments: Iterable[Segment | tuple[float, float]], max_gap: float) -> list[Segment]:
    """Sort and merge segments whose gap (next.start - prev.end) is <= max_gap seconds."""
    merged: list[Segment] = []
    for start, end in sorted((float(s), float(e)) for s, e in segments):
        if merged and start - merged[-1].end <= max_gap:
            merged[-1] = Segment(merged[-1].start, max(merged[-1].end, end))
        else:
            merged.append(Segment(start, end))
    return merged
