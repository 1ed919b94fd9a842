"""Intent of a user turn, from its transcript: what kind of reply it calls for.

Order matters: a stop or repeat request is unmistakable and wins (except, in English, a stop phrase
with a topic switch marker and a new request: see SWITCH_AFTER_STOP_WORDS; and in Chinese a leading
`wait` phrase before a negation, "等一下，完全不是这样的", which corrects); a negation is checked on the
opening words (so 'no' deep inside a question does not count); a topic switch needs an explicit
marker; anything else said during the agent's reply is a follow-up, and a turn at a quiet moment is
a new query. Without a transcript the intent is 'unknown'.
"""

from __future__ import annotations

from dataclasses import dataclass

from humdial.agent import lexicon
from humdial.respond.base import Intent  # noqa: F401 - the intent vocabulary is shared with the responders


_CONTINUE = {"en": ("go on", "continue", "keep going", "please continue", "carry on", "go ahead"),
             "zh": ("继续", "接着说", "你说吧", "说下去")}


SWITCH_AFTER_STOP_WORDS = 6
"""English: a turn with a stop phrase and a topic switch marker ("Never mind, different question. I'm looking
for a book...") is a topic switch when it asks a question or runs past this many words (a new request);
a short one ("Never mind, forget that.") stays a stop."""


def _after_wait(text: str, lang: str, stops: list[str]) -> str | None:
    """What follows a leading `wait` phrase when that is the turn's only stop phrase ("等一下，完全不是这样的"
    -> "完全不是这样的"); None otherwise (English has no `wait` list)."""
    waits = lexicon.phrases(lang, "wait")
    if not waits or any(p not in waits for p in stops):
        return None
    chars = "".join(lexicon.words(text))
    lead = lexicon.starts_with(chars, lang, "wait", window=2)
    if not lead:
        return None
    rest = lexicon.strip_opener(chars)
    return rest if rest != chars else None


@dataclass(frozen=True)
class IntentResult:
    intent: Intent
    reason: str


def classify(text: str | None, lang: str, interrupting: bool, after_stop: bool = False) -> IntentResult:
    """`interrupting`: the agent was speaking (or had just been paused) when the turn began."""
    if text is None or not lexicon.normalise(text):
        return IntentResult(Intent.UNKNOWN, "no transcript")
    if after_stop and any(lexicon._contains(lexicon.normalise(text), p) for p in _CONTINUE.get(lang, ())):
        return IntentResult(Intent.CONTINUE, "asks to go on after a stop")
    hit = lexicon.matches(text, lang, "repeat")
    if hit:
        return IntentResult(Intent.REPEAT, f"repeat request {hit[0]!r}")
    n_words = len(lexicon.words(text))
    hit = lexicon.matches(text, lang, "stop")
    switch = lexicon.matches(text, lang, "topic_switch")
    if switch and hit and lang == "en" and (text.rstrip().endswith("?") or n_words > SWITCH_AFTER_STOP_WORDS):
        return IntentResult(Intent.TOPIC_SWITCH, f"topic switch marker {switch[0]!r} after {hit[0]!r}, and a new "
                                                 "request: the user drops the reply for another question")
    if hit and (n_words <= 12 or lexicon.starts_with(text, lang, "stop", window=3)):
        prefaced = _after_wait(text, lang, hit)
        if prefaced is not None and lexicon.starts_with(prefaced, lang, "negation", window=4):
            return IntentResult(Intent.NEGATION, f"negation after {hit[0]!r}: a moment asked for, then a correction")
        return IntentResult(Intent.STOP, f"stop request {hit[0]!r}")
    if switch:
        return IntentResult(Intent.TOPIC_SWITCH, f"topic switch marker {switch[0]!r}")
    hit = lexicon.starts_with(text, lang, "negation", window=4)
    if hit:
        return IntentResult(Intent.NEGATION, f"negation {hit[0]!r} at the start")
    if interrupting:
        return IntentResult(Intent.FOLLOW_UP, "a question or remark during the agent's reply")
    return IntentResult(Intent.QUERY, "a new turn")
