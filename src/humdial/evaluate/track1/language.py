"""Language of a reply from its text alone (zh vs en), for the language-mismatch rule.

The rule (results page): a reply in another language than the user's input scores the minimum.
We decide from script: the share of CJK ideographs among all letters. Paralinguistic tags such as
`[laughter]` and chat-template debris are removed first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from humdial.evaluate.track1.cleaning import clean_response

ZH_MIN_CJK_RATIO = 0.3
"""A reply is Chinese when CJK ideographs are at least this share of its letters. A Chinese reply with a
few English words ("这个 deadline 让你很有压力": 0.58) stays zh; an English reply quoting a Chinese name
("That sounds hard, 加油!": 0.13) stays en."""
MIN_LETTERS = 2
"""Fewer letters than this: no decision (empty or punctuation-only replies are handled as empty)."""


_TAGS = re.compile(r"\[[^\]]{1,40}\]")


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0xF900 <= code <= 0xFAFF)


@dataclass(frozen=True)
class LanguageGuess:
    lang: str | None
    """'zh', 'en' or None (too little text to decide)."""
    cjk_ratio: float
    letters: int


def detect_language(text: str | None) -> LanguageGuess:
    cleaned = _TAGS.sub(" ", clean_response(text)[0])
    cjk = latin = 0
    for ch in cleaned:
        if _is_cjk(ch):
            cjk += 1
        elif ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN"):
            latin += 1
    letters = cjk + latin
    if letters < MIN_LETTERS:
        return LanguageGuess(None, 0.0, letters)
    ratio = cjk / letters
    return LanguageGuess("zh" if ratio >= ZH_MIN_CJK_RATIO else "en", round(ratio, 4), letters)


def language_mismatch(expected: str | None, response_text: str | None) -> str | None:
    """A reason string when the reply's detected language differs from `expected`, else None."""
    if expected is None:
        return None
    guess = detect_language(response_text)
    if guess.lang is None or guess.lang == expected:
        return None
    return f"reply language {guess.lang} (CJK ratio {guess.cjk_ratio:.2f}) differs from input language {expected}"
