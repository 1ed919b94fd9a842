"""Turn the user's own words into words addressed to them ("my boss yelled at me" -> "your boss yelled at you")."""

from __future__ import annotations

import re

_EN = {"i": "you", "i'm": "you're", "im": "you're", "i've": "you've", "i'll": "you'll", "i'd": "you'd", "me": "you",
       "my": "your", "mine": "yours", "myself": "yourself", "am": "are", "we": "you", "our": "your", "us": "you",
       "we're": "you're", "ourselves": "yourselves", "you": "I", "your": "my", "yours": "mine", "you're": "I'm"}
_EN_WORD = re.compile(r"[A-Za-z']+")
_ZH = (("我们", "你们"), ("我", "你"))


def second_person(text: str, lang: str) -> str:
    """Swap first and second person; keeps everything else as the user said it."""
    text = text.strip().rstrip("。.!！?？")
    if lang == "zh":  # only 我 -> 你: a 你 in a user's clause usually addresses a third person
        for a, b in _ZH:
            text = text.replace(a, b)
        return text

    def swap(match: re.Match) -> str:
        word = match.group(0)
        out = _EN.get(word.lower())
        if out is None:
            return word
        return out if word[0].islower() or out == "I" else out[0].upper() + out[1:]

    swapped = _EN_WORD.sub(swap, text)
    return swapped[0].lower() + swapped[1:] if swapped[:2] not in ("I ", "I'") and swapped else swapped
