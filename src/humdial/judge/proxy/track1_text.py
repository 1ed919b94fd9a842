"""Offline PROXY scorers for the seven text dimensions of Track 1 (en and zh). Not the official judge.

Each scorer turns measurable evidence in the reply into a 1..5 score plus a reason:
- Task 1 trajectory: gold emotion labels found (with en/zh synonym lists) in the gold order
  (Accuracy_Completeness); transition and intensity wording, with a length cap (Depth_Granularity);
  references to concrete events of the user's turns (Added_Value).
- Task 2 reasoning: how many user turns the reply draws on (Information_Integration); causal connectives
  plus psychological-need vocabulary (Insight_RootCause); sentence structure, a causal link and a sane
  length (Clarity_Logic; a reply with neither a causal link nor anything from the dialogue scores 1).
- Task 3: validation, naming the user's emotion, personal references and empowering suggestions, minus
  templated comfort (textual_empathy_insight).
Word lists live in `humdial/track1/data/proxy_lexicon.json` (versioned). Tasks 1/2 return 1, 3 or 5.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

from humdial.judge.proxy.text import find_phrase, is_cjk, normalise, tokens

TEXT_PROXY_VERSION = 2


@lru_cache(maxsize=1)
def lexicon() -> dict:
    text = resources.files("humdial.judge.proxy").joinpath("data", "track1_lexicon.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class TextLimits:
    verbose_words_en: int = 160
    """An English summary longer than this many words is 'verbose' (caps depth at 3)."""
    verbose_chars_zh: int = 260
    """Same for Chinese characters."""
    min_tokens: int = 8
    """Fewer tokens than this cannot carry a reasoning chain."""
    event_share: float = 0.25
    """Share of a user turn's content words (en) or character bigrams (zh), at least one, that the reply
    must take up for that turn to count as referenced."""


LIMITS = TextLimits()


@dataclass(frozen=True)
class DimScore:
    score: int
    reason: str


def _words(lang: str, key: str) -> list[str]:
    return lexicon()[key][lang]


def _count(text: str, phrases: Sequence[str]) -> list[str]:
    """Distinct phrases of the list that occur in the text."""
    return [p for p in phrases if find_phrase(text, [p])]


def emotion_family(label: str) -> str:
    label = label.strip().casefold()
    return lexicon()["emotion_aliases"].get(label, label)


def _emotion_positions(text: str, family: str, lang: str) -> list[int]:
    """Character positions in the normalised text where a word of this emotion family occurs."""
    norm = f" {normalise(text)} "
    words = lexicon()["emotions"].get(family, {}).get(lang) or [family]
    positions: list[int] = []
    for word in words:
        w = normalise(word)
        pattern = re.escape(w) if is_cjk(w) else rf"(?<= ){re.escape(w)}(?= )"
        positions += [m.start() for m in re.finditer(pattern, norm)]
    return sorted(positions)


def _segments(emotions: Sequence[str]) -> list[str]:
    """The trajectory: consecutive repeats collapsed (anger, anger, sad -> anger, sad)."""
    out: list[str] = []
    for e in emotions:
        fam = emotion_family(e)
        if not out or out[-1] != fam:
            out.append(fam)
    return out


def _content_units(text: str, lang: str) -> set[str]:
    """Content words (en, 5-letter prefixes so 'moved' meets 'move') or CJK character bigrams (zh)."""
    if lang == "zh":
        chars = "".join(ch for ch in normalise(text) if is_cjk(ch))
        return {chars[i:i + 2] for i in range(len(chars) - 1)}
    stop = set(lexicon()["stopwords"]["en"])
    return {w[:5] for w in tokens(text) if len(w) >= 3 and w not in stop}


def referenced_turns(response: str, user_turns: Sequence[str], lang: str, limits: TextLimits = LIMITS) -> list[int]:
    """1-based indices of the user turns whose concrete content the reply takes up."""
    reply = _content_units(response, lang)
    hits = []
    for index, turn in enumerate(user_turns, start=1):
        units = _content_units(turn, lang)
        need = max(1, math.ceil(limits.event_share * len(units)))
        if units and len(units & reply) >= need:
            hits.append(index)
    return hits


def _length(text: str, lang: str) -> int:
    return sum(1 for ch in text if is_cjk(ch)) if lang == "zh" else len(tokens(text))


def _verbose(text: str, lang: str, limits: TextLimits) -> bool:
    return _length(text, lang) > (limits.verbose_chars_zh if lang == "zh" else limits.verbose_words_en)


# --- Task 1 ---------------------------------------------------------------------------------------
def trajectory_accuracy(response: str, gold_emotions: Sequence[str], lang: str) -> DimScore:
    path = _segments(gold_emotions)
    cursor, found, in_order = -1, [], True
    for fam in path:
        positions = _emotion_positions(response, fam, lang)
        if not positions:
            continue
        found.append(fam)
        later = [p for p in positions if p > cursor]
        if later:
            cursor = later[0]
        else:
            in_order = False
    known = set(lexicon()["emotions"])
    extra = [f for f in known - set(path) if _emotion_positions(response, f, lang)]
    missed = [f for f in path if f not in found]
    coverage = len(found) / len(path) if path else 0.0
    if not missed and in_order and not extra:
        score = 5
    elif coverage >= 0.6 and len(missed) <= 1:
        score = 3
    else:
        score = 1
    return DimScore(score, f"proxy: {len(found)}/{len(path)} gold emotions named ({', '.join(found) or 'none'}), "
                           f"order {'kept' if in_order else 'broken'}, missed {missed or 'none'}, extra {extra or 'none'}")


def trajectory_depth(response: str, lang: str, limits: TextLimits = LIMITS) -> DimScore:
    moves = _count(response, _words(lang, "transition"))
    strength = _count(response, _words(lang, "intensity"))
    markers = len(moves) + len(strength)
    score = 5 if markers >= 3 and moves and strength else 3 if markers >= 1 else 1
    if score == 5 and _verbose(response, lang, limits):
        score = 3
    return DimScore(score, f"proxy: transition words {moves or 'none'}, intensity words {strength or 'none'}"
                           + (", verbose" if _verbose(response, lang, limits) else ""))


def trajectory_added_value(response: str, user_turns: Sequence[str], lang: str) -> DimScore:
    refs = referenced_turns(response, user_turns, lang)
    score = 5 if len(refs) >= min(2, len(user_turns)) and refs else 3 if refs else 1
    return DimScore(score, f"proxy: reply refers to events of user turn(s) {refs or 'none'}")


# --- Task 2 ---------------------------------------------------------------------------------------
def reasoning_integration(response: str, user_turns: Sequence[str], lang: str) -> DimScore:
    refs = referenced_turns(response, user_turns, lang)
    wanted = min(3, len(user_turns))
    earlier = [r for r in refs if r <= len(user_turns) - 2]
    score = 5 if len(refs) >= wanted and earlier else 3 if refs else 1
    return DimScore(score, f"proxy: draws on user turn(s) {refs or 'none'} of {len(user_turns)}")


def reasoning_insight(response: str, lang: str) -> DimScore:
    causal = _count(response, _words(lang, "causal"))
    deeper = _count(response, _words(lang, "insight"))
    score = 5 if len(causal) >= 2 and deeper else 3 if causal else 1
    return DimScore(score, f"proxy: causal links {causal or 'none'}, underlying-need words {deeper or 'none'}")


_SENTENCE = re.compile(r"[.!?。！？;；]+")


def reasoning_clarity(response: str, lang: str, limits: TextLimits = LIMITS,
                      user_turns: Sequence[str] = ()) -> DimScore:
    size = _length(response, lang)
    sentences = [s for s in _SENTENCE.split(response) if s.strip()]
    causal = _count(response, _words(lang, "causal"))
    if size < limits.min_tokens:
        return DimScore(1, f"proxy: too short to reason ({size} {'chars' if lang == 'zh' else 'words'})")
    if user_turns and not causal and not referenced_turns(response, user_turns, lang, limits):
        # a generic reply (e.g. the same sentence for every dialogue) has no reasoning to be clear about
        return DimScore(1, "proxy: no causal link and nothing taken from the dialogue")
    clauses = len(sentences) + response.count(",") + response.count("，")
    structured = causal and clauses >= 2 and not _verbose(response, lang, limits)
    return DimScore(5 if structured else 3, f"proxy: {len(sentences)} sentence(s), causal links {causal or 'none'}"
                                          + (", verbose" if _verbose(response, lang, limits) else ""))


# --- Task 3 (text) --------------------------------------------------------------------------------
def empathy_text(response: str, user_turns: Sequence[str], target_emotion: str | None, lang: str) -> DimScore:
    validation = _count(response, _words(lang, "validation"))
    named = bool(target_emotion) and bool(_emotion_positions(response, emotion_family(target_emotion), lang))
    personal = referenced_turns(response, user_turns, lang)
    empower = _count(response, _words(lang, "empowerment"))
    templated = _count(response, _words(lang, "templated"))
    points = bool(validation) + named + bool(personal) + bool(empower)
    score = 1 + points
    if templated and not personal:
        score = max(1, score - 1)
    return DimScore(min(score, 5), f"proxy: validation {validation or 'none'}, emotion named {named}, "
                                   f"personal references {personal or 'none'}, empowering {empower or 'none'}, "
                                   f"templated {templated or 'none'}")
