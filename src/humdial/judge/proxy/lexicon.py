"""The proxy judge's phrase lists (uncertainty, acknowledgement, repeat request, restatement cue, filler), en + zh."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LEXICON_FILE = "behaviour_lexicon.json"
CATEGORIES = ("uncertainty", "acknowledgement", "repeat_request", "restatement_cue", "filler")


@dataclass(frozen=True)
class Lexicon:
    uncertainty: tuple[str, ...]
    """The model says it did not hear or understand, or asks for a repeat or clarification."""
    acknowledgement: tuple[str, ...]
    """The model takes up what was said ("okay", "sure", "I'll stop", "好的")."""
    repeat_request: tuple[str, ...]
    """The user asks the model to say it again (the overlap, not the model)."""
    restatement_cue: tuple[str, ...]
    """The model marks that it is repeating on request ("as I said", "我刚才说")."""
    filler: tuple[str, ...] = ()
    """Content-free tokens ("uh", "mm", "嗯"): speech made only of them is low-information."""


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    data = json.loads(resources.files(__package__).joinpath("data", LEXICON_FILE).read_text(encoding="utf-8"))
    merged = {cat: tuple(data[cat]["en"]) + tuple(data[cat]["zh"]) for cat in CATEGORIES}
    return Lexicon(**merged)
