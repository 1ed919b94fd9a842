"""Track 1 replies: per turn an empathetic reply naming the feeling and the event; on the final turn a
trajectory summary or an explanation of causes, as the user's question asks.

Backends share the agent's Responder protocol (`humdial.respond`): the offline default here is
deterministic and template-based; `openai:MODEL@URL` and `gguf:PATH` wrap the agent's LLM responders and
hand them the emotion timeline as context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from humdial.respond.base import Intent
from humdial.respond.base import Reply, ResponseRequest, Turn
from humdial.empathy.perspective import second_person
from humdial.empathy.emotion.timeline import EmotionTimeline

Goal = Literal["empathy", "trajectory", "reasoning"]
TEMPLATES = Path(__file__).parent / "data" / "templates.yaml"
HIGH_CONFIDENCE, LOW_CONFIDENCE = 0.55, 0.4
"""Fused-confidence bounds for the intensity words (above: 'really', below: 'a little', between: 'quite')."""

_TRAJECTORY = {"en": re.compile(r"\b(sum(marise|marize|up)?|summary|changed?|changes|how (did|have) (i|my)|mood|journey|go through|"
                                r"emotions? (went|shift)|feelings? (went|shift|change))", re.I),
               "zh": re.compile(r"总结|变化|怎么变|经历了|心情.*过程|情绪.*(变|起伏)")}
_REASONING = {"en": re.compile(r"\b(why|reason|cause|because|explain|root)", re.I),
              "zh": re.compile(r"为什么|原因|为何|怎么会|根源|解释")}


@lru_cache(maxsize=1)
def templates() -> dict:
    return yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))


def question_goal(text: str, lang: str, default: Goal) -> Goal:
    """What the final question asks for: reasons ('why...') win over a summary ('how did my mood change')."""
    lang = lang if lang in _REASONING else "en"
    if _REASONING[lang].search(text or ""):
        return "reasoning"
    if _TRAJECTORY[lang].search(text or ""):
        return "trajectory"
    return default


@dataclass(frozen=True)
class Track1Request:
    lang: str
    timeline: EmotionTimeline
    """States of the turns so far, the current one last."""
    user_text: str
    goal: Goal
    history: tuple[Turn, ...] = ()


def _intensity(t: dict, confidence: float) -> str:
    level = "high" if confidence >= HIGH_CONFIDENCE else "low" if confidence < LOW_CONFIDENCE else "mid"
    return t["intensity"][level]


def _event(text: str, lang: str) -> str:
    clause = second_person(text, lang) if text else ""
    return clause or ("这件事" if lang == "zh" else "that happened")


class TemplateResponder:
    """Offline, deterministic replies built from the emotion timeline and the user's own words."""

    name = "offline-empathy"

    def describe(self) -> dict:
        return {"backend": "offline", "name": self.name, "templates": str(TEMPLATES.name)}

    def respond_track1(self, req: Track1Request) -> Reply:
        lang = req.lang if req.lang in ("en", "zh") else "en"
        t = templates()[lang]
        if req.goal == "trajectory":
            text = self._summary(req.timeline, t, lang)
        elif req.goal == "reasoning":
            text = self._reasons(req.timeline, t, lang)
        else:
            now = req.timeline.turns[-1]
            text = t["turn"][now.label].format(event=_event(now.event, lang), intensity=_intensity(t, now.confidence))
        return Reply.from_text(text, req.goal, lang)

    def _summary(self, timeline: EmotionTimeline, t: dict, lang: str) -> str:
        s = t["summary"]
        turns = timeline.turns[:-1] or timeline.turns  # the last turn is the question itself
        parts = [s["open"]]
        prev = None
        for k, turn in enumerate(turns):
            if prev is not None and turn.label == prev.label:
                continue
            fill = {"feeling": t["feeling"][turn.label], "event": _event(turn.event, lang),
                    "intensity": _intensity(t, turn.confidence)}
            if prev is None:
                parts.append(s["first"].format(**fill))
            elif turn.label == "neutral":
                parts.append(s["next_calm"].format(**fill))
            elif prev.label != "neutral":
                parts.append(s["next_abrupt"].format(speed=s["speed"]["abrupt"], **fill))
            else:
                parts.append(s["next"].format(**fill))
            prev = turn
        labels = [t["feeling"][st.label] for st in _stretches(turns)]
        change = max(timeline.changes, key=lambda c: (c.before != "neutral") + (c.after != "neutral"), default=None)
        if len(labels) > 1 and change is not None:
            parts.append(s["arc"].format(path=s["joiner"].join(labels), before=t["feeling"][change.before],
                                         after=t["feeling"][change.after]))
        parts.append(s["now"].format(feeling=t["feeling"][timeline.turns[-1].label]))
        return ("" if lang == "zh" else " ").join(parts)

    def _reasons(self, timeline: EmotionTimeline, t: dict, lang: str) -> str:
        r = t["reasons"]
        turns = [x for x in (timeline.turns[:-1] or timeline.turns) if x.label != "neutral"] or list(timeline.turns)
        parts = [r["open"]]
        for turn in turns[:4]:
            parts.append(r["step"].format(feeling=t["feeling"][turn.label], event=_event(turn.event, lang),
                                          need=t["need"][turn.label]))
        if len(turns) > 1:
            parts.append(r["link"])
        strongest = max(turns, key=lambda x: x.confidence)
        parts.append(r["root"].format(need=t["need"][strongest.label]))
        parts.append(r["takeaway"])
        return ("" if lang == "zh" else " ").join(parts)


def _stretches(turns) -> list:
    out = []
    for turn in turns:
        if not out or out[-1].label != turn.label:
            out.append(turn)
    return out


class LLMTrack1Responder:
    """Any agent Responder (openai:, gguf:) given the timeline as context in the user message."""

    def __init__(self, inner):
        self.inner = inner
        self.name = f"{inner.name}-empathy"

    def describe(self) -> dict:
        return {"backend": "llm", "inner": self.inner.describe()}

    def respond_track1(self, req: Track1Request) -> Reply:
        states = "; ".join(f"turn {x.turn_id}: {x.label} ({x.event})" for x in req.timeline.turns)
        ask = {"empathy": "Reply with empathy: name the user's feeling and the concrete event, in two or three sentences.",
               "trajectory": "Summarise every emotion of the user in order, neutral stretches included, each tied to its event, "
                             "with how strong and how fast each change was.",
               "reasoning": "Explain the causes of the user's emotions, linking events across the turns to the needs beneath them."}
        language = "Answer in Chinese." if req.lang == "zh" else "Answer in English."
        text = f"{req.user_text}\n\n[emotion timeline so far: {states}. {ask[req.goal]} {language}]"
        return self.inner.respond(ResponseRequest(lang=req.lang, intent=Intent.QUERY, user_text=text,
                                                  history=req.history))


def make_track1_responder(spec: str = "offline"):
    if spec.strip() in ("", "offline"):
        return TemplateResponder()
    from humdial.respond import make_responder

    return LLMTrack1Responder(make_responder(spec))
