"""Read data files shipped inside the package (never from the source checkout's ../shared)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    """Load `humdial/protocol/data/<name>`; cached because these files are immutable."""
    text = resources.files("humdial.protocol").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def published_results() -> dict:
    return load_json("published_results.json")
