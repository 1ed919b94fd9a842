"""Chinese transcript post-processing: simplified characters and one token per character.

Why: the official Chinese ASR (paraformer-zh) writes simplified characters, one chunk per character,
and the judge and the rejection/delay rules read that shape. Whisper writes multi-character "words"
and sometimes traditional characters, so its Chinese output is converted (OpenCC's t2s tables, from
the pure-Python `opencc-python-reimplemented` package: offline, no native code) and split per character.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from humdial.protocol.transcript import Word

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[\w'’])+")
_HAS_CJK = re.compile(rf"[{_CJK}]")

POSTPROCESS_ID = "zh: opencc t2s, one token per CJK character, punctuation dropped (v1)"
"""Names this post-processing in transcript cache keys; change it whenever the output would change."""


def split_tokens(text: str) -> list[str]:
    """One token per Chinese character and one per non-Chinese word, punctuation dropped."""
    return _TOKEN.findall(text)


def has_cjk(text: str) -> bool:
    return bool(_HAS_CJK.search(text))


@lru_cache(maxsize=1)
def _converter() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese characters (other text unchanged)."""
    return _converter().convert(text) if has_cjk(text) else text


def character_words(words: list[Word]) -> list[Word]:
    """Simplify and split each word into tokens (split_tokens), sharing its time span evenly.

    Whisper gives one span per word; a per-character span is not observable, so each token gets an
    equal slice (by character count) of its word's span. The first token keeps the word's start,
    which is what delays are measured from.
    """
    out: list[Word] = []
    for word in words:
        tokens = split_tokens(to_simplified(word.text))
        if not tokens:
            continue
        total = sum(len(t) for t in tokens)
        span = word.end - word.start
        done = 0
        for token in tokens:
            start = word.start + span * done / total
            done += len(token)
            end = word.start + span * done / total
            out.append(Word(token, round(start, 3), round(end, 3)))
    return out
