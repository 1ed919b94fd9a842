"""Voice groups (`--voice-group tune|eval|all`): a fixed split of voices and conditions into two halves.

Why: an agent tuned and measured on the same voices and levels can learn them (issue 14). With the
groups, a tuning set (`tune`) and an evaluation set (`eval`) share no voice, and their levels, SNRs,
speaking rates and rooms come from disjoint bands of the same ranges, so the agent is measured on
conditions it was not fitted on. `all` draws from everything, exactly as without groups.

The split does not depend on `--seed`: a tuning set made with one seed and an evaluation set made with
another never share a voice. It is seeded by `SPLIT_SEED`; changing that string (or a voice list)
changes the split; `humdial.generate.voices.group_table()` returns it and docs/generate.md lists it.

- Voices: each pool (engine, language, role; Piper voices serve every role, so one pool per language)
  is shuffled with a generator seeded by SPLIT_SEED and the pool's name; the first ceil(n/2) voices
  are `tune`, the rest `eval`. Every voice belongs to exactly one group.
- Conditions: a range is cut into `BANDS` equal bands; `tune` draws from the even bands (1st, 3rd),
  `eval` from the odd ones (2nd, 4th), so both groups span the whole range and an evaluation value is
  one the tuning set never had, without extrapolating beyond it.
"""

from __future__ import annotations

import random
from math import ceil

GROUPS = ("all", "tune", "eval")
SPLIT_SEED = "humdial-voice-groups-v1"
"""Seeds the voice split; a new value (or a changed voice list) gives other groups."""
BANDS = 4
"""Equal bands a condition range is cut into; tune takes the even ones, eval the odd ones."""


def split(pool_name: str, voices: list[str]) -> dict[str, list[str]]:
    """{'tune': [...], 'eval': [...]} of one voice pool, in the pool's own order."""
    order = list(voices)
    random.Random(f"{SPLIT_SEED}:{pool_name}").shuffle(order)
    tune = set(order[:ceil(len(order) / 2)])
    return {"tune": [v for v in voices if v in tune], "eval": [v for v in voices if v not in tune]}


def members(pool_name: str, voices: list[str], group: str) -> list[str]:
    """The voices of `group` in a pool (`all`: the whole pool)."""
    return list(voices) if group == "all" else split(pool_name, voices)[group]


def bands(bounds: tuple[float, float], group: str) -> list[tuple[float, float]]:
    """The sub-ranges of `bounds` that `group` draws from."""
    lo, hi = bounds
    if group == "all":
        return [(lo, hi)]
    width = (hi - lo) / BANDS
    first = 0 if group == "tune" else 1
    return [(lo + k * width, lo + (k + 1) * width) for k in range(first, BANDS, 2)]


def draw(rng: random.Random, bounds: tuple[float, float], group: str) -> float:
    """A uniform draw from the group's bands (`all`: one uniform draw over `bounds`, as without groups)."""
    if group == "all":
        return rng.uniform(*bounds)
    return rng.uniform(*rng.choice(bands(bounds, group)))
