"""The published exclusion list (configurable): exact dialogue ids and id prefixes removed from scoring."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from humdial.errors import HumdialError


@dataclass(frozen=True)
class Exclusions:
    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    version: str = "none"
    source: str = "none"

    def reason(self, dialogue_id: str) -> str | None:
        """Why this dialogue is excluded, or None when it is scored."""
        if dialogue_id in self.exact:
            return f"excluded by list {self.version} (exact id)"
        for prefix in self.prefixes:
            if dialogue_id.startswith(prefix):
                return f"excluded by list {self.version} (prefix {prefix})"
        return None

    def describe(self) -> dict:
        return {"version": self.version, "source": self.source, "exact": sorted(self.exact),
                "prefixes": list(self.prefixes)}


def _from_json(data: dict, source: str) -> Exclusions:
    try:
        exact = data.get("exact", [])
        prefixes = data.get("prefixes", [])
        if not all(isinstance(x, str) for x in [*exact, *prefixes]):
            raise TypeError("ids and prefixes must be strings")
        return Exclusions(frozenset(exact), tuple(prefixes), str(data.get("version", "custom")), source)
    except (AttributeError, TypeError) as exc:
        raise HumdialError(f"bad exclusion list {source}: {exc}") from exc


def published_exclusions() -> Exclusions:
    text = resources.files("humdial.protocol").joinpath("data", "track1_exclusions.json").read_text(encoding="utf-8")
    return _from_json(json.loads(text), "package:exclusions.json")


def load_exclusions(spec: str | None) -> Exclusions:
    """`None`/'published' -> the organisers' list; 'none' -> nothing excluded; else a JSON file
    `{"exact": [...], "prefixes": [...], "version": "..."}` or a text file of ids (a trailing `*` marks a prefix)."""
    if spec in (None, "published"):
        return published_exclusions()
    if spec == "none":
        return Exclusions()
    path = Path(spec)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HumdialError(f"cannot read exclusion list {path}: {exc}") from exc
    if path.suffix == ".json":
        try:
            return _from_json(json.loads(text), str(path))
        except json.JSONDecodeError as exc:
            raise HumdialError(f"exclusion list {path} is not valid JSON: {exc}") from exc
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return Exclusions(frozenset(x for x in lines if not x.endswith("*")),
                      tuple(x[:-1] for x in lines if x.endswith("*")), path.stem, str(path))
