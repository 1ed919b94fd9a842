"""Text helpers for the proxy judge that work on English words and on Chinese one-character tokens."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_TOKEN = re.compile(f"[a-z0-9']+|[{_CJK}]")
_CJK_OR_PUNCT = _CJK + r"\u3000-\u303f\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK_OR_PUNCT}])\\s+(?=[{_CJK_OR_PUNCT}])")
_NOT_WORD = re.compile(f"[^a-z0-9'{_CJK}]+")
SENTENCE_END = tuple(".?!。？！…")


def is_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))


def join_words(words: Iterable[str]) -> str:
    """Join ASR tokens: spaces between English words, none between Chinese characters."""
    return _SPACE_BETWEEN_CJK.sub("", " ".join(w.strip() for w in words if w.strip()))


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, punctuation to spaces, no spaces inside Chinese runs."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _NOT_WORD.sub(" ", text)
    return _SPACE_BETWEEN_CJK.sub("", " ".join(text.split()))


def tokens(text: str) -> list[str]:
    """English words and single Chinese characters, in order."""
    return _TOKEN.findall(normalise(text))


def ends_sentence(word: str) -> bool:
    return word.strip().endswith(SENTENCE_END)


def find_phrase(text: str, phrases: Sequence[str]) -> str | None:
    """The first phrase found in `text` (English at word boundaries, Chinese as a substring)."""
    norm = normalise(text)
    padded = f" {norm} "
    for phrase in phrases:
        p = normalise(phrase)
        if not p:
            continue
        if is_cjk(p):
            if p in norm:
                return phrase
        elif f" {p} " in padded:
            return phrase
    return None


def head(text: str, n_tokens: int) -> str:
    """The first `n_tokens` tokens of `text`, re-joined (for 'does it start with ...' checks)."""
    return join_words(tokens(text)[:n_tokens])


def bigram_containment(segment: str, reference: str) -> float:
    """Share of the segment's token bigrams that also occur in the reference (0 when under 2 tokens).

    High only when the segment repeats the reference's wording, which a resumed answer does and an
    answer on the same topic but to a new question does not.
    """
    seg, ref = tokens(segment), tokens(reference)
    seg_bigrams = list(zip(seg, seg[1:]))
    if not seg_bigrams:
        return 0.0
    ref_bigrams = set(zip(ref, ref[1:]))
    return sum(1 for b in seg_bigrams if b in ref_bigrams) / len(seg_bigrams)
