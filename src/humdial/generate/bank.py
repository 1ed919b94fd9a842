"""Scenario banks: YAML files of templates with slots, filled by a seeded random generator.

Template syntax (shared by the Track 1 and Track 2 banks):
- `{slot}` draws a value from the bank's `slots`; a slot drawn once keeps its value for the whole
  sample, so "I asked about {city~}, not {city}" refers back to the city of the first query.
- `{slot~}` draws a value different from the one already drawn (a correction).
- Slot values may themselves contain `{slot}` references (expanded up to `MAX_DEPTH` levels).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from humdial.errors import HumdialError

BANK_DIR = Path(__file__).parent / "banks"
MAX_DEPTH = 3
"""Nesting limit for slot values that contain slots (a cycle in a bank is an error, not a hang)."""
FORMAT_SECTIONS = ("reply_templates",)
"""Bank sections whose {names} are filled by code (str.format), not slots."""
_SLOT = re.compile(r"\{(\w+)(~?)\}")


@dataclass
class Filler:
    """Fills templates for one sample; remembers drawn slot values so later templates agree."""

    slots: dict[str, list[str]]
    rng: random.Random
    chosen: dict[str, str] = field(default_factory=dict)

    def fill(self, template: str, depth: int = 0) -> str:
        if depth > MAX_DEPTH:
            raise HumdialError(f"bank template nests slots deeper than {MAX_DEPTH}: {template!r}")

        def value(match: re.Match) -> str:
            name, other = match.group(1), bool(match.group(2))
            if name not in self.slots:
                raise HumdialError(f"bank template uses unknown slot {{{name}}}: {template!r}")
            if name in self.chosen and not other:
                return self.chosen[name]
            options = self.slots[name]
            if other and name in self.chosen:
                options = [o for o in options if o != self.chosen[name]] or options
                return self.fill(self.rng.choice(options), depth + 1)
            picked = self.fill(self.rng.choice(options), depth + 1)
            self.chosen[name] = picked
            return picked

        return _SLOT.sub(value, template)

    def pick(self, templates: list[str]) -> str:
        return self.fill(self.rng.choice(templates))


def template_slots(template: str) -> set[str]:
    return {m.group(1) for m in _SLOT.finditer(template)}


@lru_cache(maxsize=None)
def load_bank(name: str) -> dict[str, Any]:
    """A bank by file stem (e.g. `track2_en`), validated for unknown slot references."""
    path = BANK_DIR / f"{name}.yaml"
    if not path.exists():
        raise HumdialError(f"no scenario bank {name!r} (looked for {path})")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    bad = [repr(v) for v in _leaves(data) if not isinstance(v, str)]
    if bad:
        raise HumdialError(f"bank {name}: every entry must be a string (quote YAML words such as yes/no/on): "
                           f"{', '.join(bad[:5])}")
    slots = data.get("slots", {})
    templated = {k: v for k, v in data.items() if k not in FORMAT_SECTIONS}
    unknown = sorted(s for t in _strings(templated) for s in template_slots(t) if s not in slots)
    if unknown:
        raise HumdialError(f"bank {name}: templates use undefined slots: {', '.join(sorted(set(unknown)))}")
    return data


def _leaves(node: Any):
    if isinstance(node, dict):
        for v in node.values():
            yield from _leaves(v)
    elif isinstance(node, list):
        for v in node:
            yield from _leaves(v)
    else:
        yield node


def _strings(node: Any):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def capitalise(text: str) -> str:
    """Upper-case the first letter (a slot value such as 'my laptop' can open an English sentence)."""
    return text[:1].upper() + text[1:] if text and text[0].isalpha() and text[0].islower() else text
