"""Find JSON objects inside free text (judge answers with prose, code fences or several objects).

Bounded for hostile answers: only the first MAX_SCAN_CHARS characters are scanned and at most
MAX_STARTS '{' positions are tried (each failed decode costs time linear in its position, so an
unbounded scan of a 10 MB answer of '{' characters is quadratic); nesting too deep for the decoder
is a failed start, not a crash.
"""

from __future__ import annotations

import json
from typing import Iterator

MAX_SCAN_CHARS = 200_000
"""A judge answer is a few kB; longer text is truncated before scanning."""
MAX_STARTS = 2_000
"""'{' positions tried before giving up (a real answer has a handful)."""


def json_objects(text: str) -> Iterator[dict]:
    """Every JSON object that decodes starting at some '{' in `text`, in order of position.

    Nested objects are yielded too (after their parent), so callers can look for a key at any depth.
    """
    text = text[:MAX_SCAN_CHARS]
    decoder = json.JSONDecoder()
    index = text.find("{")
    starts = 0
    while index != -1 and starts < MAX_STARTS:
        starts += 1
        try:
            value, _ = decoder.raw_decode(text, index)
        except (json.JSONDecodeError, RecursionError):
            value = None
        if isinstance(value, dict):
            yield value
        index = text.find("{", index + 1)
