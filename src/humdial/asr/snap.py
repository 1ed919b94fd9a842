"""Tighten ASR word times to the speech that VAD finds.

Whisper's cross-attention word alignment is loose at the edges: the first word of a window often
starts at the window start (0.0 s even when speech begins at 0.7 s) and the last word often runs
0.2-0.9 s into trailing silence. Track 2 measures delays from `chunks[0].timestamp[0]`, so those
errors go straight into the score. Clamping each word into the speech regions it overlaps fixes
the edges without ever moving a word into a place the ASR did not put it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from humdial.protocol.transcript import Word
from humdial.audio.io import Audio
from humdial.audio.segments import Segment
from humdial.audio.vad import VadConfig, speech_segments


@dataclass(frozen=True)
class SnapConfig:
    """VAD settings for snapping (finer than the official segmentation, which pads and drops short runs)."""

    speech_pad_ms: int = 0
    """No padding: we want the speech edges themselves, not the official padded segments."""
    min_speech_ms: int = 64
    """Keep runs as short as two 32 ms windows, so single short words ('yes', 'stop') still snap."""
    max_extend_s: float = 0.3
    """How far the first (last) word of a speech run may be stretched back (forward) to the run's edge.
    Whisper places words after a pause about 0.1-0.2 s late; a larger gap more likely means a word
    the ASR did not hear, which must not be credited to its neighbour."""
    split_gap_s: float = 0.3
    """A word laid over a silence at least this long is clamped to the speech on one side of it, the side
    holding more of the word. Whisper's alignment sometimes stretches a word over a pause (an agent that
    paused for a backchannel: "need" at 4.90-5.84 s over silence from 4.99 to 5.73 s), and where the reply
    restarts then decides what a judge reads as new speech. Shorter gaps (stop closures, a 0.23 s gap
    inside "I" seen in generated speech) keep the word whole."""

    def vad_config(self) -> VadConfig:
        return VadConfig(speech_pad_ms=self.speech_pad_ms, min_speech_ms=self.min_speech_ms)


def snap_words(words: list[Word], speech: list[Segment], max_extend_s: float = SnapConfig.max_extend_s,
               split_gap_s: float = SnapConfig.split_gap_s) -> list[Word]:
    """Clamp each word into the hull of the speech segments it overlaps, then stretch run edges.

    A word that overlaps no speech segment is kept unchanged (the ASR may hear speech the VAD
    misses, e.g. whispering). Segments less than `split_gap_s` apart form one hull; a word over
    several hulls keeps the one it overlaps most. After clamping, a word that opens a speech run (no earlier word
    overlaps the run) and starts at most `max_extend_s` after the run's start is moved to start
    with it; likewise a word that closes a run is stretched to the run's end.
    """
    speech = sorted(speech)
    return _stretch_to_runs(_clamp(words, speech, split_gap_s), speech, max_extend_s)


def _overlap(word: Word, segs: list[Segment]) -> float:
    return sum(max(0.0, min(word.end, s.end) - max(word.start, s.start)) for s in segs)


def _main_hull(word: Word, segs: list[Segment], split_gap_s: float) -> list[Segment]:
    """The run of segments (consecutive gaps under `split_gap_s`) that holds most of the word."""
    hulls = [[segs[0]]]
    for seg in segs[1:]:
        if seg.start - hulls[-1][-1].end >= split_gap_s:
            hulls.append([])
        hulls[-1].append(seg)
    return max(hulls, key=lambda h: _overlap(word, h))  # the earliest wins a tie


def _clamp(words: list[Word], speech: list[Segment], split_gap_s: float) -> list[Word]:
    if not speech:
        return list(words)
    ends = [seg.end for seg in speech]
    snapped: list[Word] = []
    for word in words:
        i = bisect_left(ends, word.start)  # first segment ending at or after the word start
        if word.start < word.end:
            hull = [seg for seg in speech[i:] if seg.start < word.end and seg.end > word.start]
        else:
            hull = [seg for seg in speech[i:] if seg.start <= word.start <= seg.end]
        if not hull:
            snapped.append(word)
            continue
        hull = _main_hull(word, hull, split_gap_s)
        start = max(word.start, hull[0].start)
        end = min(word.end, hull[-1].end)
        snapped.append(Word(word.text, round(start, 3), round(max(start, end), 3)))
    return snapped


def _stretch_to_runs(words: list[Word], speech: list[Segment], max_extend_s: float) -> list[Word]:
    out = list(words)
    for seg in speech:
        inside = [i for i, w in enumerate(out) if w.start < seg.end and w.end > seg.start]
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        w = out[first]
        before = out[first - 1].end if first > 0 else 0.0
        if seg.start < w.start <= seg.start + max_extend_s and before <= seg.start:
            out[first] = Word(w.text, round(seg.start, 3), w.end)
        w = out[last]
        after = out[last + 1].start if last + 1 < len(out) else float("inf")
        if seg.end - max_extend_s <= w.end < seg.end and after >= seg.end:
            out[last] = Word(w.text, w.start, round(seg.end, 3))
    return out


def snap_to_audio(words: list[Word], audio: Audio, config: SnapConfig = SnapConfig()) -> list[Word]:
    """Run VAD on `audio` and snap `words` to it; a no-op for an empty word list."""
    if not words:
        return list(words)
    return snap_words(words, speech_segments(audio, config.vad_config()), config.max_extend_s)
