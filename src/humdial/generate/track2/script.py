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


PAUSE_SPAN = (0.4, 0.7)
"""Where an in-query pause falls, as a share of the query's spoken length (mid-utterance, not at an edge)."""
MIN_SIDE_CHARS = 2
"""Chinese characters required on each side of an in-query pause (never a lone particle such as 吗)."""
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SLOT_REF = re.compile(r"\{\w+~?\}")
"""A slot reference in a bank template (syntax: humdial.generate.bank)."""
_CLAUSE_END = "，、；：。？！,;:?!"
_SENTENCE_END = "。？！.?!"
"""A pause placed after one of these would follow a finished sentence, where answering is right: the
official Pause Handling samples pause mid-sentence, so the generator never puts an in-query pause there."""


def _fill_pieces(fill: Filler, template: str) -> list[str]:
    """Fill `template` slot by slot, left to right (same draws as Filler.fill), keeping the pieces apart.

    Piece edges are word boundaries by construction: a slot value is a whole phrase, so a pause placed
    at an edge can never split a word such as 同事 or 体育馆.
    """
    pieces: list[str] = []
    last = 0
    for match in _SLOT_REF.finditer(template):
        pieces.append(template[last:match.start()])
        pieces.append(fill.fill(match.group(0)))
        last = match.end()
    pieces.append(template[last:])
    return [p for p in pieces if p]


def zh_pause_points(pieces: list[str]) -> list[int]:
    """Offsets in "".join(pieces) where a Chinese pause may go: slot edges and after clause punctuation,
    with at least MIN_SIDE_CHARS Chinese characters on both sides, never right after a sentence end."""
    text = "".join(pieces)
    points: set[int] = set()
    offset = 0
    for piece in pieces:
        points.update((offset, offset + len(piece)))
        offset += len(piece)
    points.update(i + 1 for i, c in enumerate(text) if c in _CLAUSE_END)
    total = len(_CJK.findall(text))
    return sorted(p for p in points if not text[p:p + 1] or text[p] not in _CLAUSE_END
                  if text[:p].rstrip()[-1:] not in _SENTENCE_END
                  if MIN_SIDE_CHARS <= len(_CJK.findall(text[:p])) <= total - MIN_SIDE_CHARS)


def _split_for_pause(lang: str, text: str, rng: random.Random, pieces: list[str] | None = None) -> str:
    """Insert [break] either after a hesitant opener or inside the query (PAUSE_SPAN of the way in).

    Chinese has no spaces, so an in-query pause goes only at a word boundary known from the
    template (zh_pause_points), the one nearest the drawn position; without one, after an opener.
    Neither language pauses right after a finished sentence ("Can you help me? [break] ...").
    """
    def after_opener() -> str:
        opener = rng.choice(load_bank(f"track2_{lang}")["generic"]["pause_openers"])
        return re.sub(r"\s*\[break\]\s*", f" {BREAK} ", _join(lang, opener, text))

    points = zh_pause_points(pieces or [text]) if lang == "zh" else []
    if rng.random() < 0.5 or (lang == "zh" and not points):
        return after_opener()
    share = rng.uniform(*PAUSE_SPAN)
    if lang == "zh":
        total = len(_CJK.findall(text))
        cut = min(points, key=lambda p: (abs(len(_CJK.findall(text[:p])) - total * share), p))
        return f"{text[:cut]} {BREAK} {text[cut:]}"
    words = text.split()
    cuts = [i for i in range(1, len(words)) if words[i - 1][-1] not in _SENTENCE_END]
    if not cuts:
        return after_opener()
    target = max(1, min(len(words) - 1, int(len(words) * share)))
    cut = min(cuts, key=lambda i: (abs(i - target), i))
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
    pieces = _fill_pieces(fill, rng.choice(topic["queries"]))
    query = cap("".join(pieces))

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
        parts = [user("query", _split_for_pause(lang, query, rng, pieces if lang == "zh" else None))]
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
