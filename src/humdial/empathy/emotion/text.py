"""Text evidence: lexicon cues (with negation and intensifiers), paralinguistic tags, and the event clause.

Why a lexicon first: it is transparent (every vote names the word that cast it), needs no model, and
works the same in both languages; the sentence encoder (prototypes.py) covers paraphrases it misses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from humdial.empathy.emotion.labels import EMOTIONS, lexicon_data

TAG = re.compile(r"\[([^\]]{1,30})\]")
_CLAUSE_SPLIT = re.compile(r"[.!?;。！？；…]+|,|，|、")
_CAUSE_MARKERS = {"en": ("because", "since", "after", "when"), "zh": ("因为", "由于", "自从", "刚才", "今天")}
_PURE_CAUSE = {"en": ("because", "since"), "zh": ("因为", "由于")}
"""Markers that only announce a cause: the event is what follows them ("...because X" -> "X")."""


@dataclass(frozen=True)
class TextEvidence:
    votes: dict[str, float]
    """Summed cue weights per emotion (0 for emotions without cues)."""
    cues: tuple[str, ...]
    """The cue words that voted, as `emotion:word`."""
    tags: tuple[str, ...] = ()
    tag_votes: dict[str, float] = field(default_factory=dict)


def strip_tags(text: str) -> str:
    return " ".join(TAG.sub(" ", text).split())


def tags_of(text: str) -> tuple[str, ...]:
    return tuple(t.strip().lower() for t in TAG.findall(text or ""))


@lru_cache(maxsize=4)
def _patterns(lang: str) -> list[tuple[str, str, re.Pattern]]:
    cues = lexicon_data()[lang]["cues"]
    out = []
    for emotion, words in cues.items():
        for word in words:
            word = str(word).lower()
            if lang == "zh":
                out.append((emotion, word, re.compile(re.escape(word))))
            else:
                body = re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)
                out.append((emotion, word.rstrip("*"), re.compile(r"(?<![\w'])" + body + r"(?![\w'])")))
    return out


def _preceded_by(text: str, start: int, words: list[str], lang: str, window: int) -> bool:
    before = text[:start]
    if lang == "zh":
        return any(w in before[-(window + 2):] for w in words)
    tokens = re.findall(r"[\w']+", before)[-window:]
    return any(t in words or t.endswith("n't") and "n't" in words for t in tokens)


def text_evidence(text: str, lang: str) -> TextEvidence:
    """Votes per emotion from one user turn (tags counted separately)."""
    data = lexicon_data()
    spec = data[lang if lang in ("en", "zh") else "en"]
    clean = strip_tags(text or "").lower()
    votes = {e: 0.0 for e in EMOTIONS}
    cues: list[str] = []
    taken: list[tuple[int, int]] = []
    for emotion, word, pattern in sorted(_patterns(lang if lang in ("en", "zh") else "en"), key=lambda p: -len(p[1])):
        for m in pattern.finditer(clean):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue  # a longer cue already covers this span ("太好了" before "好")
            taken.append((m.start(), m.end()))
            weight = 1.0
            if _preceded_by(clean, m.start(), spec["intensifiers"], lang, 2):
                weight *= data["intensifier_gain"]
            if emotion != "neutral" and _preceded_by(clean, m.start(), spec["negations"], lang, data["negation_window"]):
                votes["neutral"] += 0.3
                cues.append(f"not-{emotion}:{word}")
                continue
            votes[emotion] += weight * (0.4 if emotion == "neutral" else 1.0)
            cues.append(f"{emotion}:{word}")
    tag_votes = {e: 0.0 for e in EMOTIONS}
    tags = tags_of(text or "")
    for tag in tags:
        for emotion, vote in (data["tags"].get(tag) or {}).items():
            tag_votes[emotion] += float(vote)
    return TextEvidence(votes, tuple(cues), tags, tag_votes)


def event_clause(text: str, lang: str) -> str:
    """The clause that names what happened: one with a cause marker, else the longest clause (feeling words
    alone, "I'm so angry", make short clauses; the event is usually the longer one)."""
    clean = strip_tags(text or "")
    clauses = [c.strip() for c in _CLAUSE_SPLIT.split(clean) if len(c.strip()) > 1]
    if not clauses:
        return clean
    markers = _CAUSE_MARKERS.get(lang, ())
    for clause in clauses:
        low = clause.lower()
        for m in markers:
            hit = low.find(m) if lang == "zh" else (lambda r: r.start() if r else -1)(re.search(rf"\b{m}\b", low))
            if hit < 0:
                continue
            if m in _PURE_CAUSE.get(lang, ()) and len(clause[hit + len(m):].strip()) > 1:
                return clause[hit + len(m):].strip()
            return clause
    return max(clauses, key=len)
