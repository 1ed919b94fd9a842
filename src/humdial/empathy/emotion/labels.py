"""The label set the recogniser predicts, and the mapping of other spellings onto it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def lexicon_data() -> dict:
    return yaml.safe_load((DATA_DIR / "lexicon.yaml").read_text(encoding="utf-8"))


EMOTIONS: tuple[str, ...] = tuple(lexicon_data()["labels"])
"""neutral plus the six basic emotions of the challenge's label list (Track 1 spec, section 1.3)."""


def canonical(label: str | None) -> str | None:
    """Lower-cased label mapped through the aliases (happy -> happiness); unknown labels pass through."""
    if label is None:
        return None
    key = " ".join(label.strip().lower().split())
    return lexicon_data()["aliases"].get(key, key)
