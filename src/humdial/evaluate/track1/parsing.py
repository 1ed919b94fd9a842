"""Parse a Track 1 judge answer into integer scores per dimension, in one of two modes.

official (`parse_official`), the organisers' procedure (track1.md 2.4), rule by rule:
1. strip the answer; if it contains "```json", take the text from that marker to the next "```" (or the
   end); else, if it starts and ends with "```", drop both fences and a leading "json";
2. `json.loads` the whole of that text; on a decode error append the missing "]" (Tasks 1-2 only) and
   "}" by comparing open and close counts, once, and parse again (recorded as `repaired`);
3. the result must be an object with a "scores" object, else the answer fails (the item leaves the means);
4. each dimension key is looked up exactly; the value goes through Python's `int()`; a missing key or a
   value `int()` refuses ("4.5", null, "four") becomes 1;
5. Tasks 1-2 map <=2 -> 1, <=4 -> 3, else 5; Task 3 clamps to 1..5.
Every coercion and mapping is listed so its frequency can be reported.

strict (`parse_scores`): the first JSON object in the answer (fences and prose tolerated) holding every
required dimension under "scores" or at the top level; keys matched case-insensitively; integer values
only (4, "4", 4.0). Missing dimensions, fractions, values outside 1..5 and non-numbers are rejected with a
reason (the client re-asks with it). An answer whose outermost object is unbalanced (truncated) is
recorded `repaired` whether the scores came from a complete inner object or from appending braces.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Sequence

from humdial.judge.jsonscan import json_objects as _objects
from humdial.protocol.track1_dimensions import ALLOWED, DIMENSIONS
from humdial.protocol.track1 import Task

ParseMode = str
"""'official' or 'strict'."""


# --- official -------------------------------------------------------------------------------------
def official_extract(raw: str) -> str:
    """Step 1: the text the official scripts hand to `json.loads`."""
    text = raw.strip()
    if "```json" in text:
        start = text.index("```json") + len("```json")
        end = text.find("```", start)
        return text[start:] if end == -1 else text[start:end]
    if text.startswith("```") and text.endswith("```") and len(text) >= 6:
        text = text[3:-3].strip()
        if text.startswith("json"):
            text = text[4:]
    return text


def official_load(text: str, close_brackets: bool) -> tuple[Any, bool]:
    """Step 2: (decoded value, repaired); ValueError when even the brace-appended text does not decode."""
    try:
        return json.loads(text), False
    except json.JSONDecodeError as exc:
        first = exc
    brackets = max(0, text.count("[") - text.count("]")) if close_brackets else 0
    braces = max(0, text.count("{") - text.count("}"))
    if not (brackets or braces):
        raise ValueError(f"not JSON: {first.msg} at char {first.pos}")
    try:
        return json.loads(text + "]" * brackets + "}" * braces), True
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON even after appending closing brackets: {exc.msg}") from exc


def official_int(value: Any) -> int | None:
    """Python's `int(value)`, or None where it raises (the caller then scores 1)."""
    try:
        return int(value)
    except Exception:  # noqa: BLE001 - int() raises TypeError/ValueError/OverflowError; all mean "not a score"
        return None


def official_map(task: Task, value: int) -> int:
    """Step 5: Tasks 1-2 -> 1/3/5, Task 3 clamped to 1..5."""
    if task is Task.EMPATHY:
        return min(5, max(1, value))
    return 1 if value <= 2 else 3 if value <= 4 else 5


def parse_official(raw: str, task: Task, dims: Sequence[str] | None = None) -> dict:
    """{"scores", "mapped", "coerced", "repaired"}; ValueError where the official scripts record an error."""
    dims = tuple(dims or DIMENSIONS[task])
    value, repaired = official_load(official_extract(raw), close_brackets=task is not Task.EMPATHY)
    if not isinstance(value, dict) or "scores" not in value:
        raise ValueError('no "scores" key in the answer object')
    block = value["scores"]
    if not isinstance(block, dict):
        raise ValueError('"scores" is not an object')
    scores: dict[str, int] = {}
    mapped: list[str] = []
    coerced: list[str] = []
    for dim in dims:
        given = block.get(dim)
        number = official_int(given)
        if number is None:
            coerced.append(f"{dim}: {'missing' if dim not in block else repr(given)}->1")
            scores[dim] = 1
            continue
        scores[dim] = official_map(task, number)
        if type(given) is not int:
            coerced.append(f"{dim}: int({given!r})={number}")
        if number != scores[dim]:
            mapped.append(f"{dim}: {number}->{scores[dim]}")
    return {"scores": scores, "mapped": mapped, "coerced": coerced, "repaired": repaired}


# --- strict ---------------------------------------------------------------------------------------
def _truncated(text: str) -> bool:
    start = text.find("{")
    return start != -1 and text.count("{", start) > text.count("}", start)


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
    """{"scores": {dim: int}, "mapped": [...], "repaired": bool}; ValueError when unusable (strict)."""
    dims = tuple(dims or DIMENSIONS[task])
    found = next((s for s in (_find_scores(o, dims) for o in _objects(raw)) if s is not None), None)
    if found is None:
        fixed = _repaired(raw)
        found = next((s for s in (_find_scores(o, dims) for o in _objects(fixed or "")) if s is not None), None)
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
    return {"scores": scores, "mapped": mapped, "repaired": _truncated(raw)}


def scores_parser(task: Task, dims: Sequence[str] | None = None, mode: ParseMode = "strict") -> Callable[[str], dict]:
    if mode == "official":
        return lambda raw: parse_official(raw, task, dims)
    return lambda raw: parse_scores(raw, task, dims)
