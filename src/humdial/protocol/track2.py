"""Track 2 scenario registry: official names, folder names, aliases and which metrics apply.

Everything here is read from `data/track2_scenarios.json`; code elsewhere asks this module,
never hard-codes a folder name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from humdial.errors import HumdialError
from humdial.protocol.languages import ALIASES, LANGS, normalise_language  # noqa: F401 - re-exported
from humdial.protocol.resources import load_json

Headline = Literal["judge_respond", "judge_resume", "timestamp_rejection", "sdao_resume"]
LANGUAGES = LANGS
LANGUAGE_ALIASES = ALIASES


@dataclass(frozen=True)
class Unit:
    """One scored unit: a scenario, or one variant (after / before) of Third-party Speech."""

    scenario_id: str
    category: str
    variant: str
    dev_folder: str
    stem_suffix: str
    headline: Headline
    anchor_segment: int
    delay_accepts_zero: bool
    needs_clean: bool
    timing_latencies: bool
    judge_target: str | None

    @property
    def key(self) -> str:
        """Stable id, e.g. `follow_up` or `third_party.after`."""
        return f"{self.scenario_id}.{self.variant}" if self.variant else self.scenario_id


@dataclass(frozen=True)
class Scenario:
    id: str
    category: str
    official_name: str
    internal_alias: str
    aliases: tuple[str, ...]
    units: tuple[Unit, ...]
    combine_weights: dict[str, float] | None

    @property
    def is_interruption(self) -> bool:
        return self.category == "interruption"


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@lru_cache(maxsize=1)
def scenarios() -> tuple[Scenario, ...]:
    data = load_json("track2_scenarios.json")
    out = []
    for s in data["scenarios"]:
        units = tuple(
            Unit(scenario_id=s["id"], category=s["category"], variant=v["name"], dev_folder=v["dev_folder"],
                 stem_suffix=v["stem_suffix"], headline=v["headline"], anchor_segment=v["anchor_segment"],
                 delay_accepts_zero=v["delay_accepts_zero"], needs_clean=v["needs_clean"],
                 timing_latencies=v["timing_latencies"], judge_target=v["judge_target"])
            for v in s["variants"]
        )
        combine = s.get("combine", {}).get("weights")
        out.append(Scenario(id=s["id"], category=s["category"], official_name=s["official_name"],
                            internal_alias=s["internal_alias"], aliases=tuple(s["aliases"]), units=units,
                            combine_weights=combine))
    return tuple(out)


def units() -> tuple[Unit, ...]:
    return tuple(u for s in scenarios() for u in s.units)


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, tuple[str, str]]:
    """Normalised name -> (scenario id, variant). Folder names of variants map to the variant."""
    index: dict[str, tuple[str, str]] = {}
    for s in scenarios():
        for name in (s.id, s.official_name, s.internal_alias, *s.aliases):
            index[_norm(name)] = (s.id, "")
        for u in s.units:
            index[_norm(u.dev_folder)] = (s.id, u.variant)
            if u.variant:
                index[_norm(f"{s.id}.{u.variant}")] = (s.id, u.variant)
                index[_norm(f"{s.internal_alias}_{u.variant}")] = (s.id, u.variant)
    return index


def scenario(name: str) -> Scenario:
    """Look up a scenario by id, official name, folder name or alias (case and punctuation ignored)."""
    sid, _ = resolve(name)
    return next(s for s in scenarios() if s.id == sid)


def resolve(name: str) -> tuple[str, str]:
    """Return (scenario id, variant) for any accepted name; variant is '' when the name does not fix it."""
    hit = _alias_index().get(_norm(name))
    if hit is None:
        known = ", ".join(s.id for s in scenarios())
        raise HumdialError(f"unknown Track 2 scenario {name!r}; known scenarios: {known} (and their aliases)")
    return hit


def unit(name: str, variant: str | None = None) -> Unit:
    """The scored unit for a name; a scenario with variants needs the variant (from the name or argument)."""
    sid, v = resolve(name)
    v = variant if variant is not None and not v else v
    s = next(s for s in scenarios() if s.id == sid)
    for u in s.units:
        if u.variant == (v or ""):
            return u
    if len(s.units) == 1 and not v:
        return s.units[0]
    names = ", ".join(u.variant for u in s.units)
    raise HumdialError(f"scenario {sid!r} has variants ({names}); say which one (got {v!r})")


def unit_by_key(key: str) -> Unit:
    for u in units():
        if u.key == key:
            return u
    raise HumdialError(f"unknown Track 2 unit {key!r}")

