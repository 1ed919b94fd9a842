"""Strict parsing of a Track 1 judge answer into integer scores per dimension.

Accepted: the first JSON object in the answer (code fences and surrounding prose tolerated) that holds
every required dimension, either under "scores" or at the top level; keys matched case-insensitively;
values that are integers (4, "4", 4.0). Rejected with a reason (which the client sends back in its
re-ask): missing dimensions, fractions ("4.5"), values outside 1..5, non-numbers. A truncated answer
that lacks only closing braces is repaired once, and the repair is recorded.
"""

from __future__ import annotations

from typing import Callable, Sequence

from humdial.judge.jsonscan import json_objects as _objects
from humdial.protocol.track1_dimensions import ALLOWED, DIMENSIONS
from humdial.protocol.track1 import Task


def _repaired(text: str) -> str | None:
    """The answer with missing closing braces appended (the judge ran out of tokens), or None."""
    start = text.find("{")
    if start == -1:
        return None
    body = text[start:].rstrip().rstrip("`").rstrip()
    missing = body.count("{") - body.count("}")
    return body + "}" * missing if missing > 0 else None


def _value(dim: str, value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{dim}: {value!r} is not a score")
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            raise ValueError(f"{dim}: {value!r} is not an integer score")
        value = int(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{dim}: {value} is not an integer score")
        value = int(value)
    if not isinstance(value, int):
        raise ValueError(f"{dim}: {value!r} is not a score")
    if not 1 <= value <= 5:
        raise ValueError(f"{dim}: {value} is outside 1..5")
    return value


def _find_scores(obj: dict, dims: Sequence[str]) -> dict | None:
    for candidate in (obj.get("scores"), obj):
        if isinstance(candidate, dict):
            lowered = {str(k).strip().casefold(): v for k, v in candidate.items()}
            if all(d.casefold() in lowered for d in dims):
                return {d: lowered[d.casefold()] for d in dims}
    return None


def parse_scores(raw: str, task: Task, dims: Sequence[str] | None = None) -> dict:
    """{"scores": {dim: int}, "mapped": [...], "repaired": bool}; ValueError when unusable."""
    dims = tuple(dims or DIMENSIONS[task])
    repaired = False
    found = next((s for s in (_find_scores(o, dims) for o in _objects(raw)) if s is not None), None)
    if found is None:
        fixed = _repaired(raw)
        found = next((s for s in (_find_scores(o, dims) for o in _objects(fixed or "")) if s is not None), None)
        repaired = found is not None
    if found is None:
        raise ValueError(f"no JSON object with all of {', '.join(dims)}")
    scores, mapped = {}, []
    allowed = ALLOWED[task]
    for dim in dims:
        value = _value(dim, found[dim])
        if value not in allowed:
            lower = max(a for a in allowed if a <= value)
            mapped.append(f"{dim}: {value}->{lower}")
            value = lower
        scores[dim] = value
    return {"scores": scores, "mapped": mapped, "repaired": repaired}


def scores_parser(task: Task, dims: Sequence[str] | None = None) -> Callable[[str], dict]:
    return lambda raw: parse_scores(raw, task, dims)
