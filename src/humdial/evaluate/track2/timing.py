"""Stop and response latency from VAD segments (track2.md section 2.3).

`official_*` follow the organisers' script: every user/model overlap counts as stop latency,
and every user-segment end followed by a model start counts as response latency. The
`event_*` variants used by strict mode only look at the annotated interruption.
Interval ends are rounded with Python's round() to 3 decimals, as the official script does.
"""

from __future__ import annotations

from humdial.audio.segments import Segment


def official_stop_intervals(user: list[Segment], model: list[Segment]) -> list[tuple[float, float]]:
    """Overlaps of user and model speech, de-duplicated by end (ms), shortest kept, sorted by end."""
    found: list[tuple[float, float]] = []
    i = j = 0
    while i < len(user) and j < len(model):
        start = max(user[i].start, model[j].start)
        end = min(user[i].end, model[j].end)
        if start < end:
            found.append((start, end))
        if user[i].end < model[j].end:
            i += 1
        else:
            j += 1
    by_end: dict[int, tuple[float, float]] = {}
    for start, end in found:
        key = round(end * 1000)
        if key not in by_end or end - start < by_end[key][1] - by_end[key][0]:
            by_end[key] = (start, end)
    return sorted(((round(s, 3), round(e, 3)) for s, e in by_end.values()), key=lambda iv: iv[1])


def official_response_intervals(user: list[Segment], model: list[Segment]) -> list[tuple[float, float]]:
    """(user end, next model start) pairs, de-duplicated by model start (ms), later user end kept."""
    by_start: dict[int, tuple[float, float]] = {}
    for u in user:
        nxt = next((m for m in model if m.start > u.end), None)
        if nxt is None:
            continue
        candidate = (round(u.end, 3), round(nxt.start, 3))
        key = round(nxt.start * 1000)
        if key not in by_start or candidate[0] > by_start[key][0]:
            by_start[key] = candidate
    return sorted(by_start.values(), key=lambda iv: iv[1])


def event_stop_latency(onset: float, event_end: float, model: list[Segment]) -> float:
    """Seconds from the interruption onset until model speech overlapping the interruption ends (0 if none)."""
    overlapping = [m.end for m in model if m.start < event_end and m.end > onset]
    return max(overlapping) - onset if overlapping else 0.0


def event_response_latency(event_end: float, model: list[Segment]) -> float | None:
    """Seconds from the end of the interruption to the next model speech onset; None when it never answers."""
    nxt = next((m.start for m in model if m.start > event_end), None)
    return None if nxt is None else nxt - event_end
