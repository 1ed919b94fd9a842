"""Track 2 scripts: what is said in one sample, by whom, in which order (no timing, no audio).

One script per (language, unit, index), drawn from the Track 2 bank with a seeded generator.
The part order equals the `speech_segments` order of track2.md section 1.4.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass

from humdial.generate.bank import Filler, capitalise, load_bank

BREAK = "[break]"
"""Marks the pause inside a Pause Handling utterance (as the official Easy-Turn transcripts do)."""

UNIT_KEYS = ("follow_up", "negation", "repetition", "topic_switch", "stop", "backchannel", "pause",
             "third_party.after", "third_party.before", "speech_to_others")


@dataclass(frozen=True)
class Part:
    """One spoken segment. role: user / third_party (a different speaker); kind: what it does."""

    role: str
    kind: str
    text: str
    emotion: str = "neutral"


@dataclass(frozen=True)
class Track2Script:
    lang: str
    unit: str
    topic: str
    parts: tuple[Part, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.parts)

    def to_json(self) -> dict:
        return {"lang": self.lang, "unit": self.unit, "topic": self.topic, "parts": [asdict(p) for p in self.parts]}


INTERRUPTION_EMOTIONS = {"negation": ("neutral", "neutral", "anger", "disgust"), "stop": ("neutral", "neutral", "anger")}
"""Some negations and stop requests are spoken with irritation; every other part is neutral."""


def _join(lang: str, *pieces: str) -> str:
    sep = "" if lang == "zh" else " "
    return sep.join(p.strip() for p in pieces if p.strip())


def _split_for_pause(lang: str, text: str, rng: random.Random) -> str:
    """Insert [break] either after a hesitant opener or inside the query (40-70 % of the way in)."""
    bank = load_bank(f"track2_{lang}")
    if rng.random() < 0.5:
        opener = rng.choice(bank["generic"]["pause_openers"])
        return re.sub(r"\s*\[break\]\s*", f" {BREAK} ", _join(lang, opener, text))
    if lang == "zh":
        body = [i for i, c in enumerate(text) if "\u4e00" <= c <= "\u9fff"]
        cut = body[int(len(body) * rng.uniform(0.4, 0.7))]
        return f"{text[:cut]} {BREAK} {text[cut:]}"
    words = text.split()
    cut = max(1, min(len(words) - 1, int(len(words) * rng.uniform(0.4, 0.7))))
    return f"{' '.join(words[:cut])} {BREAK} {' '.join(words[cut:])}"


def compose(lang: str, unit: str, rng: random.Random) -> Track2Script:
    """Draw one script for a unit key (see UNIT_KEYS)."""
    bank = load_bank(f"track2_{lang}")
    generic = bank["generic"]
    topics = bank["topics"]
    topic_name = rng.choice(sorted(topics))
    topic = topics[topic_name]
    fill = Filler(bank["slots"], rng)
    cap = capitalise if lang == "en" else (lambda s: s)
    query = cap(fill.pick(topic["queries"]))

    def user(kind: str, text: str, emotion: str = "neutral") -> Part:
        return Part("user", kind, cap(text), emotion)

    parts: list[Part]
    if unit == "follow_up":
        parts = [user("query", query), user("interruption", fill.pick(topic["follow_ups"]))]
    elif unit == "negation":
        pool = topic["negations"] if rng.random() < 0.7 else generic["negations"]
        parts = [user("query", query), user("interruption", fill.pick(pool),
                                            rng.choice(INTERRUPTION_EMOTIONS["negation"]))]
    elif unit == "repetition":
        parts = [user("query", query), user("interruption", fill.pick(generic["repetitions"]))]
    elif unit == "topic_switch":
        other = topics[rng.choice(sorted(t for t in topics if t != topic_name))]
        fresh = Filler(bank["slots"], rng)
        switch = _join(lang, rng.choice(generic["switch_prefixes"]), fresh.pick(other["queries"]))
        parts = [user("query", query), user("interruption", switch)]
    elif unit == "stop":
        parts = [user("query", query), user("interruption", fill.pick(generic["stops"]),
                                            rng.choice(INTERRUPTION_EMOTIONS["stop"]))]
    elif unit == "backchannel":
        count = rng.choice((1, 2, 2, 3))
        parts = [user("query", query)] + [user("backchannel", b) for b in
                                          rng.sample(generic["backchannels"], count)]
    elif unit == "pause":
        parts = [user("query", _split_for_pause(lang, query, rng))]
    elif unit == "third_party.after":
        parts = [user("query", query), Part("third_party", "third_party", cap(fill.pick(generic["third_party"])))]
    elif unit == "third_party.before":
        parts = [Part("third_party", "third_party", cap(fill.pick(generic["third_party"]))), user("query", query)]
    elif unit == "speech_to_others":
        parts = [user("query", query), user("query2", fill.pick(topic["follow_ups"])),
                 user("aside", fill.pick(generic["asides"]))]
    else:
        raise ValueError(f"unknown Track 2 unit {unit!r}")
    return Track2Script(lang=lang, unit=unit, topic=topic_name, parts=tuple(parts))
