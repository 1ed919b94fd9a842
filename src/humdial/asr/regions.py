"""Decode only the speech of a file: pad VAD speech runs, pack them into clips, map word times back.

Why: an evaluation file is mostly silence or the other speaker's turn, and Whisper spends a 30 s
encoder pass on every window it visits, silent or not. Worse, over long silence it writes text that
was never said ("you" every 30 s of a silent output), which Track 2 would count as a response. A
file with no speech run therefore decodes to no words without loading a model, and a file with
speech is decoded as a few clips made of its padded speech runs laid end to end (each clip at most
one Whisper window), with every word time mapped back to the file's own time axis.

The mapping is exact for a word inside one piece. A word the decoder places across the joint of two
pieces belongs to the piece that holds its midpoint, clipped to that piece (the audio in between was never
decoded): Whisper's word alignment often starts a word a few frames early, in the padding before it, and
the old rule (keep the start, end at the first piece's end) moved such a word seconds back in time, to a
20 ms stub at the end of the previous piece, where it read as a response that was never given.

Whisper may also end a window early: it writes the closing timestamp after one sentence and the rest of
the clip, later pieces included, is never read (a 20 ms shift of the same audio was enough to lose a whole
resumed reply). `unread_pieces` finds the pieces that start after the last decoded word, so the caller can
decode them again as a clip of their own.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from humdial.audio.segments import Segment, merge_segments
from humdial.protocol.transcript import Word

REGION_PAD_S = 0.4
"""Context kept on both sides of each speech run (VAD edges are found with no padding, humdial.asr.snap):
Whisper misses soft word onsets and trailing consonants without some audio around them. Runs whose padded
spans touch are merged, so two runs closer than 0.8 s are decoded as the original audio between them."""
MAX_CLIP_S = 30.0
"""A packed clip never exceeds one Whisper window (30 s), so every clip costs one encoder pass; a single
padded run longer than this is decoded on its own (Whisper then walks it window by window)."""

REGIONS_VERSION = 2
"""Bump when the packing or the mapping back changes a transcript (part of the cache key). 2: a word across a
joint goes to the piece holding its midpoint, and pieces the decoder stopped short of are decoded again."""

SILENT_PEAK = 1e-4
"""A file whose samples never exceed this magnitude (-80 dBFS) holds no speech: VAD is skipped too, so a
30-minute digitally silent output costs one pass over its samples."""


def is_silent(samples: np.ndarray) -> bool:
    """True when no sample reaches SILENT_PEAK (an empty file included)."""
    return not samples.size or float(np.max(np.abs(samples))) < SILENT_PEAK


@dataclass(frozen=True)
class Piece:
    """A span [start, end) of the file, laid at `offset` seconds into its clip."""

    start: float
    end: float
    offset: float

    @property
    def length(self) -> float:
        return self.end - self.start


def speech_regions(speech: list[Segment], duration: float, pad_s: float = REGION_PAD_S) -> list[Segment]:
    """Speech runs padded by `pad_s`, clipped to [0, duration], with touching or overlapping spans merged."""
    # edges on whole milliseconds: a whole number of samples at 16 kHz, so clip offsets are exact
    padded = [Segment(max(0.0, math.floor((s - pad_s) * 1000) / 1000),
                      min(duration, math.ceil((e + pad_s) * 1000) / 1000))
              for s, e in speech if e > s]
    return merge_segments([r for r in padded if r.end > r.start], 0.0)


def pack(regions: list[Segment], max_clip_s: float = MAX_CLIP_S) -> list[list[Piece]]:
    """Lay regions end to end, in time order, into clips of at most `max_clip_s` seconds (greedy)."""
    clips: list[list[Piece]] = []
    used = max_clip_s  # forces a new clip for the first region
    for start, end in regions:
        length = end - start
        if not clips or used + length > max_clip_s:
            clips.append([])
            used = 0.0
        clips[-1].append(Piece(start, end, used))
        used += length
    return clips


def clip_samples(samples: np.ndarray, rate: int, clip: list[Piece]) -> np.ndarray:
    """The clip's audio: each piece's samples (cut at whole samples), concatenated."""
    parts = [samples[round(p.start * rate):round(p.end * rate)] for p in clip]
    return np.ascontiguousarray(np.concatenate(parts) if parts else np.zeros(0, np.float32), dtype=np.float32)


def to_file_words(words: list[Word], clip: list[Piece]) -> list[Word]:
    """Map words timed on the clip's axis back to the file's axis (module docs for a word across a joint)."""
    offsets = [p.offset for p in clip]
    out: list[Word] = []
    for w in words:
        piece = clip[max(0, bisect_right(offsets, (w.start + w.end) / 2) - 1)]
        start = piece.start + min(max(w.start - piece.offset, 0.0), piece.length)
        end = piece.start + min(max(w.end - piece.offset, 0.0), piece.length)
        out.append(Word(w.text, round(start, 3), round(max(start, end), 3)))
    return out


def unread_pieces(words: list[Word], clip: list[Piece], pad_s: float = REGION_PAD_S) -> list[Piece]:
    """The clip's pieces whose speech starts after the last decoded word, re-laid as a clip of their own.

    A piece's speech starts `pad_s` after its offset. Empty when the decoder read into the last piece, and
    when it found no words at all (decoding the same audio again would give the same nothing).
    """
    if not words:
        return []
    last = max(w.end for w in words)
    rest = [p for p in clip if p.offset + pad_s > last]
    if not rest or rest[0] is clip[0]:
        return []
    base = rest[0].offset
    return [Piece(p.start, p.end, p.offset - base) for p in rest]
