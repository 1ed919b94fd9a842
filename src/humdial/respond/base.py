"""The Responder protocol: from the user's words, the intent and the dialogue so far, to a reply.

Replies are lists of sentences, so speech can start after the first sentence is synthesised and a
paused reply can resume at a sentence or word. Stop and repeat requests, and resumption, are handled
by the engine's policy for every responder (they need the exact words already spoken, not creativity);
the responder writes answers, follow-ups, corrections and topic changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol, runtime_checkable


class Intent(str, Enum):
    """What kind of reply a user turn calls for (decided by agent/intent.py, or fixed by the Track 1 baseline)."""

    QUERY = "query"
    FOLLOW_UP = "follow_up"
    NEGATION = "negation"
    REPEAT = "repeat"
    TOPIC_SWITCH = "topic_switch"
    STOP = "stop"
    CONTINUE = "continue"
    UNKNOWN = "unknown"


_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")


@dataclass(frozen=True)
class Reply:
    sentences: tuple[str, ...]
    intent: str
    lang: str

    @property
    def text(self) -> str:
        return ("" if self.lang == "zh" else " ").join(self.sentences)

    @classmethod
    def from_text(cls, text: str, intent: str, lang: str) -> "Reply":
        parts = tuple(p.strip() for p in _SENTENCE.split(text.strip()) if p.strip())
        return cls(parts or (text.strip(),), intent, lang)


@dataclass(frozen=True)
class Turn:
    role: str  # "user" | "agent"
    text: str


@dataclass(frozen=True)
class ResponseRequest:
    lang: str
    intent: Intent
    user_text: str | None
    """Transcript of the user's turn; None when no ASR model covers the language."""
    history: tuple[Turn, ...] = field(default_factory=tuple)
    interrupted_reply: str | None = None
    """The part of the agent's previous reply that was spoken before the user cut in, if any."""


@runtime_checkable
class Responder(Protocol):
    name: str

    def describe(self) -> dict:
        ...

    def respond(self, request: ResponseRequest) -> Reply:
        ...


INSTRUCTIONS = {
    "en": ("You are a friendly voice assistant in a spoken conversation. Answer in plain spoken English, "
           "four to six short sentences, no lists or markup."),
    "zh": "你是一个语音助手，正在和用户口头对话。请用自然的口语化中文回答，四到六个短句，不要列表或格式符号。",
}
INTENT_HINTS = {
    Intent.FOLLOW_UP: {"en": "The user interrupted you with a follow-up. Answer it directly.",
                       "zh": "用户打断你追问了一个问题，请直接回答。"},
    Intent.NEGATION: {"en": "The user disagreed with what you were saying. Acknowledge it briefly and correct course.",
                      "zh": "用户对你刚才的话表示否定或不满。先简短承认，再换个方向回答。"},
    Intent.TOPIC_SWITCH: {"en": "The user changed the topic. Drop the old topic and answer the new one.",
                          "zh": "用户换了话题。放下之前的话题，回答新的问题。"},
}


def build_messages(request: ResponseRequest) -> list[dict[str, str]]:
    """Chat messages for LLM backends (system instructions + history + the turn with its intent)."""
    lang = request.lang if request.lang in INSTRUCTIONS else "en"
    system = INSTRUCTIONS[lang]
    hint = INTENT_HINTS.get(request.intent, {}).get(lang)
    if hint:
        system += " " + hint
    if request.interrupted_reply:
        label = "你被打断前说到：" if lang == "zh" else "You had said this before being interrupted: "
        system += " " + label + request.interrupted_reply
    messages = [{"role": "system", "content": system}]
    for turn in request.history[-8:]:
        messages.append({"role": "assistant" if turn.role == "agent" else "user", "content": turn.text})
    messages.append({"role": "user", "content": request.user_text or ("（听不清）" if lang == "zh" else "(inaudible)")})
    return messages
