"""Simulated rooms: image-source impulse responses (pyroomacoustics) for near and far talkers.

Why: in a real room the user speaks close to the device and a third party (or a bystander) farther
away, so the far talker is quieter *and* more reverberant (lower direct-to-reverberant ratio).
Level alone, as the plain generator does, lets an agent key on loudness; a room makes the third
party sound like one.

Each sample draws one shoebox room, one microphone and a position per role, all from the sample's
seeded generator. Impulse responses are aligned so that their direct-path peak is sample 0: a clip
convolved with one keeps its speech onset where it was, and the annotation's `xmin` stays exact.
The reverberant tail is cut where it falls `TAIL_FLOOR_DB` below the clip's peak.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from scipy.signal import fftconvolve

from humdial.generate import groups

RATE = 16_000
ROOM_DIMS_M = ((3.0, 7.0), (3.0, 6.0), (2.4, 3.2))
"""Ranges of width, depth and height of a drawn room (living rooms to small offices)."""
RT60_S = (0.2, 0.6)
"""Reverberation time range (furnished rooms)."""
NEAR_M = (0.4, 1.0)
"""User-to-microphone distance range."""
FAR_M = (1.8, 3.5)
"""Third party / bystander distance range (capped by the room's size)."""
MAX_ORDER = 12
"""Image-source reflection order cap: keeps one response under ~0.2 s to compute on one core."""
PRE_PEAK_SAMPLES = 8
"""Samples kept before the direct-path peak (the fractional-delay filter's leading half)."""
TAIL_FLOOR_DB = 50.0
"""A convolved clip ends where its level falls this far below its peak (5 ms frames)."""
ROLE_DISTANCE = {"user": NEAR_M, "third_party": FAR_M, "bystander": FAR_M}


@dataclass(frozen=True)
class Room:
    """One drawn room and the impulse response of each role's position (aligned, unit direct path)."""

    dims: tuple[float, float, float]
    rt60: float
    distances: dict[str, float]
    rirs: dict[str, np.ndarray]

    def describe(self) -> dict:
        return {"dims_m": [round(d, 2) for d in self.dims], "rt60_s": round(self.rt60, 3),
                "distance_m": {k: round(v, 2) for k, v in self.distances.items()}}

    def apply(self, samples: np.ndarray, role: str) -> np.ndarray:
        """The clip as heard at the microphone from this role's position; onset unchanged."""
        wet = fftconvolve(samples.astype(np.float64), self.rirs[role])[PRE_PEAK_SAMPLES:]
        return _trim_tail(wet, len(samples)).astype(np.float32)


def _trim_tail(wet: np.ndarray, min_len: int) -> np.ndarray:
    frame = RATE // 200
    n = len(wet) // frame * frame
    peaks = np.abs(wet[:n]).reshape(-1, frame).max(axis=1)
    floor = peaks.max() * 10 ** (-TAIL_FLOOR_DB / 20)
    loud = np.flatnonzero(peaks > floor)
    end = (int(loud[-1]) + 1) * frame if loud.size else min_len
    return wet[:max(min(end, len(wet)), 1)]


def _point(rng: random.Random, dims: tuple[float, float, float], margin: float = 0.3) -> np.ndarray:
    return np.array([rng.uniform(margin, d - margin) for d in dims[:2]] + [rng.uniform(0.9, 1.6)])


def _place(rng: random.Random, mic: np.ndarray, dims: tuple[float, float, float],
           distance: tuple[float, float], group: str) -> tuple[np.ndarray, float]:
    """A source at a drawn distance (the group's bands) and direction from the mic, pulled inside the room
    if needed."""
    for _ in range(50):
        d, angle, dz = groups.draw(rng, distance, group), rng.uniform(0, 2 * np.pi), rng.uniform(-0.3, 0.4)
        flat = np.sqrt(max(d * d - dz * dz, 0.0))  # the drawn distance is the 3-D one the manifest records
        pos = mic + np.array([flat * np.cos(angle), flat * np.sin(angle), dz])
        if all(0.2 < pos[k] < dims[k] - 0.2 for k in range(3)):
            return pos, float(np.linalg.norm(pos - mic))
    pos = np.clip(pos, 0.2, np.array(dims) - 0.2)
    return pos, float(np.linalg.norm(pos - mic))


def _aligned(rir: np.ndarray) -> np.ndarray:
    """The response from PRE_PEAK_SAMPLES before its direct path (first strong peak), direct path = 1."""
    strong = np.flatnonzero(np.abs(rir) >= 0.5 * np.abs(rir).max())
    peak = int(strong[0]) if strong.size else int(np.argmax(np.abs(rir)))
    lead = min(PRE_PEAK_SAMPLES, peak)
    out = np.zeros(len(rir) - peak + PRE_PEAK_SAMPLES)
    out[PRE_PEAK_SAMPLES - lead:] = rir[peak - lead:]
    return out / (abs(out[PRE_PEAK_SAMPLES]) + 1e-12)


def draw_room(rng: random.Random, roles: list[str], group: str = "all") -> Room:
    """Draw a room and compute one impulse response per role (deterministic given `rng`).

    `group` (generate/groups.py) restricts the reverberation time and the talkers' distances to its
    bands; the room's size is drawn from the whole range either way."""
    import pyroomacoustics as pra

    dims = tuple(rng.uniform(lo, hi) for lo, hi in ROOM_DIMS_M)
    rt60 = groups.draw(rng, RT60_S, group)
    absorption, order = pra.inverse_sabine(rt60, dims)
    room = pra.ShoeBox(dims, fs=RATE, materials=pra.Material(absorption), max_order=min(order, MAX_ORDER),
                       use_rand_ism=False, air_absorption=False)
    mic = _point(rng, dims)
    room.add_microphone(mic)
    distances = {}
    for role in roles:
        pos, dist = _place(rng, mic, dims, ROLE_DISTANCE.get(role, FAR_M), group)
        room.add_source(pos)
        distances[role] = dist
    room.compute_rir()
    rirs = {role: _aligned(np.asarray(room.rir[0][k], dtype=np.float64)) for k, role in enumerate(roles)}
    return Room(dims=dims, rt60=rt60, distances=distances, rirs=rirs)
