"""Find JSON objects inside free text (judge answers with prose, code fences or several objects)."""

from __future__ import annotations

import json
from typing import Iterator


def json_objects(text: str) -> Iterator[dict]:
    """Every JSON object that decodes starting at some '{' in `text`, in order of position.

    Nested objects are yielded too (after their parent), so callers can look for a key at any depth.
    """
    decoder = json.JSONDecoder()
    index = text.find("{")
    while index != -1:
        try:
            value, _ = decoder.raw_decode(text, index)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, dict):
            yield value
        index = text.find("{", index + 1)
