"""Cost profiles: what each computation of the agent is charged on the deterministic cost clock.

A profile is a JSON file (the default, `agent/data/cost_profile_2cpu.json`, was measured on 2 CPU
cores by `python -m humdial.agent.calibrate`). Each entry prices one computation as

    cost_s = fixed_s + per_unit_s * units

where `unit` says what is counted (a VAD frame, a second of audio fed to ASR, a second of speech
synthesised...). Entries are keyed `what:variant` (e.g. `asr:whisper-partials`, `speaker:ge2e`) with a
plain `what` entry as the fallback for variants the profile was not calibrated on; the event log
records which key priced each computation. The profile's name, version and sha256 go into every
session's event log and the run summary, so a figure can always be traced to the costs behind it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from humdial.errors import HumdialError

DEFAULT_PROFILE = "cost_profile_2cpu.json"
"""File name of the shipped profile inside `humdial/agent/data/`."""
PROFILE_FORMAT = 1
"""Version of the profile file format (not of the figures in it: that is the profile's own `version`)."""


@dataclass(frozen=True)
class Cost:
    fixed_s: float
    per_unit_s: float
    unit: str
    doc: str

    def __call__(self, units: float) -> float:
        return self.fixed_s + self.per_unit_s * max(0.0, units)


@dataclass(frozen=True)
class CostProfile:
    name: str
    version: int
    costs: dict[str, Cost]
    measured_on: dict[str, Any]
    sha256: str
    source: str

    def cost(self, what: str, variant: str, units: float) -> tuple[str, float]:
        """(key used, seconds charged) for one computation; `what:variant` first, then `what`."""
        for key in ((f"{what}:{variant}", what) if variant else (what,)):
            if key in self.costs:
                return key, self.costs[key](units)
        raise HumdialError(f"cost profile {self.name!r} ({self.source}) has no cost for {what!r}"
                           + (f" (variant {variant!r})" if variant else "")
                           + "; add it, or calibrate: python -m humdial.agent.calibrate --out FILE")

    def provenance(self) -> dict:
        return {"name": self.name, "version": self.version, "sha256": self.sha256, "source": self.source}


def parse_profile(text: str, source: str) -> CostProfile:
    """Validate a profile's JSON text; every problem names the file and the entry."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HumdialError(f"cost profile {source} is not JSON: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("format") != PROFILE_FORMAT:
        raise HumdialError(f"cost profile {source}: expected an object with \"format\": {PROFILE_FORMAT}")
    if not isinstance(raw.get("name"), str) or not isinstance(raw.get("version"), int):
        raise HumdialError(f"cost profile {source}: needs a string \"name\" and an integer \"version\"")
    costs = {}
    for key, entry in (raw.get("costs") or {}).items():
        try:
            cost = Cost(float(entry["fixed_s"]), float(entry["per_unit_s"]), str(entry["unit"]), str(entry["doc"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise HumdialError(f"cost profile {source}: entry {key!r} needs fixed_s, per_unit_s, unit and doc "
                               f"({exc})") from exc
        if cost.fixed_s < 0 or cost.per_unit_s < 0:
            raise HumdialError(f"cost profile {source}: entry {key!r} has a negative cost")
        costs[key] = cost
    if not costs:
        raise HumdialError(f"cost profile {source}: no costs")
    return CostProfile(raw["name"], raw["version"], costs, dict(raw.get("measured_on") or {}),
                       hashlib.sha256(text.encode("utf-8")).hexdigest(), source)


def load_profile(path: str | Path | None = None) -> CostProfile:
    """A profile file, or the shipped 2-core default when `path` is None."""
    if path is None:
        text = resources.files("humdial.agent").joinpath("data", DEFAULT_PROFILE).read_text(encoding="utf-8")
        return parse_profile(text, f"humdial/agent/data/{DEFAULT_PROFILE}")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HumdialError(f"cannot read cost profile {path}: {exc}") from exc
    return parse_profile(text, str(path))


def profile_json(name: str, version: int, costs: dict[str, Cost], measured_on: dict[str, Any],
                 notes: str = "") -> str:
    """Text of a profile file (stable key order and rounding, so a re-calibration diffs cleanly)."""
    body = {"format": PROFILE_FORMAT, "name": name, "version": version, "notes": notes, "measured_on": measured_on,
            "costs": {k: {"fixed_s": round(c.fixed_s, 6), "per_unit_s": round(c.per_unit_s, 6), "unit": c.unit,
                          "doc": c.doc} for k, c in sorted(costs.items())}}
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"
