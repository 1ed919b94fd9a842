"""Audio for the report: display envelopes and player sources (embedded FLAC or relative links).

Audio policy (`ReportOptions.audio`):
- `embed`: every player gets a base64 Ogg Vorbis data URI (16 kHz mono; about a tenth of FLAC's size,
  plenty for listening), so the single HTML file plays anywhere;
- `link`: players point at the wav files by a path relative to the report, so the page stays small but
  needs the run directory next to it;
- `auto` (default): embed until `embed_budget_mb` of audio has been embedded, then link. A demo-sized run
  is fully self-contained; a 1,000-sample evaluation stays a few MB and opens in seconds.
"""

from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from humdial.audio.io import load_audio
from humdial.errors import ItemError

ENVELOPE_COLUMNS = 600
"""Columns of a waveform drawing; enough for a 30 s sample at 50 ms per column."""
EMBED_RATE = 16000
"""Embedded audio is resampled to this rate (the protocol's rate), mono."""
EMBED_FORMAT = ("OGG", "VORBIS", "audio/ogg")
"""Lossy but compact (libsndfile's Vorbis encoder, default quality); every current browser plays it."""


@dataclass
class AudioBudget:
    mode: str = "auto"
    limit_bytes: int = 4 * 1024 * 1024
    used_bytes: int = 0
    linked: int = 0
    embedded: int = 0


@dataclass
class Clip:
    """A loaded recording: what the timeline draws and what the player plays."""

    path: Path
    duration: float
    envelope: tuple[np.ndarray, np.ndarray]
    src: str | None = None
    problems: list[str] = field(default_factory=list)


def envelope(samples: np.ndarray, rate: int, duration: float, columns: int = ENVELOPE_COLUMNS) -> tuple[np.ndarray, np.ndarray]:
    """(min, max) per column over [0, duration], scaled by the clip's own peak (quiet outputs stay visible)."""
    total = max(1, int(round(duration * rate)))
    x = np.zeros(total, dtype=np.float32)
    x[: min(total, len(samples))] = samples[:total]
    peak = float(np.abs(x).max()) or 1.0
    edges = np.linspace(0, total, columns + 1).astype(int)
    lo = np.array([x[a:b].min() if b > a else 0.0 for a, b in zip(edges[:-1], edges[1:])]) / peak
    hi = np.array([x[a:b].max() if b > a else 0.0 for a, b in zip(edges[:-1], edges[1:])]) / peak
    return lo, hi


def _data_uri(samples: np.ndarray, rate: int) -> str:
    container, subtype, mime = EMBED_FORMAT
    buffer = io.BytesIO()
    sf.write(buffer, np.clip(samples, -1.0, 1.0).astype(np.float32), rate, format=container, subtype=subtype)
    return f"data:{mime};base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def load_clip(path: str | Path, report_dir: Path, budget: AudioBudget, duration: float | None = None) -> Clip | None:
    """Load one recording for display; None (and no exception) when it is missing or unreadable."""
    path = Path(path)
    try:
        audio = load_audio(path, target_rate=EMBED_RATE)
    except (ItemError, OSError, RuntimeError, ValueError):
        return None
    length = duration if duration is not None else audio.duration
    clip = Clip(path=path, duration=audio.duration, envelope=envelope(audio.samples, EMBED_RATE, length))
    if budget.mode != "link":
        uri = _data_uri(audio.samples, EMBED_RATE)
        if budget.mode == "embed" or budget.used_bytes + len(uri) <= budget.limit_bytes:
            budget.used_bytes += len(uri)
            budget.embedded += 1
            clip.src = uri
            return clip
    clip.src = Path(os.path.relpath(path.resolve(), report_dir.resolve())).as_posix()
    budget.linked += 1
    return clip
