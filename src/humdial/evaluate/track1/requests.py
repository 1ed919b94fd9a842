"""Build the judge request for one Track 1 item.

Default (our rubrics): the rubric is the system message; the user message holds the conversation with
the gold emotion labels, the final question and the reply, plus the reply audio for Task 3.
Template rubrics (`--rubric FILE`, or the files `humdial rubric import` writes from the organisers'
checkout, whose text has `{conversation_history}`, `{user_question}`, `{final_model_response}` or
`{conversation_context}` placeholders): filled as the official scripts intend, sent as the only user
message, audio first, with the official history format:
- Tasks 1-2: per turn `用户(emotion:LABEL): TEXT` then `AI: REPLY`, joined by newlines, every turn including
  the evaluated one; a turn without text or label is left out. `user_question` is the last turn's text
  ("N/A" when empty); `final_model_response` the last reply.
- Task 3: per turn `User(LABEL): TEXT` then `AI: REPLY`, turns 1..evaluated turn.
LABEL is the gold label as written (no case-folding). A template that is a valid `str.format` string (its
literal braces written `{{ }}`, as the Task 3 file is) is formatted; one that is not (the Task 1-2 files'
unescaped JSON examples) gets its placeholders replaced and every other brace left alone.
The structured inputs also travel as `context` for the offline proxy judge.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from humdial.judge.base import ContentPart, JudgeRequest, Sampling
from humdial.judge.rubrics import Rubric
from humdial.evaluate.track1.items import Item
from humdial.protocol.track1 import Task

OFFICIAL_SAMPLING = Sampling(temperature=0.6, top_p=0.95, top_k=20, max_tokens=16384, n=1, max_reasks=0)
"""The official request (track1.md 2.0): one sample, no per-request seed (their engine seed is not a request
field), no re-ask (their retry loop re-parses the same string)."""
STRICT_SAMPLING = Sampling(temperature=0.0, seed=1234, max_tokens=4096, n=1, max_reasks=2)
"""Deterministic decoding; 4096 tokens leave room for the step-by-step reasoning Task 3 asks for; two
bounded re-asks with the parser's complaint, then the item counts as a failure (scored 1)."""
MODE_SAMPLING = {"official": OFFICIAL_SAMPLING, "strict": STRICT_SAMPLING}


def mode_sampling(mode: str, **overrides: Any) -> Sampling:
    """The mode's request parameters with any CLI overrides (None values ignored; top_k 0 = not sent, for
    servers that refuse unknown fields)."""
    chosen = replace(MODE_SAMPLING[mode], **{k: v for k, v in overrides.items() if v is not None})
    return replace(chosen, top_k=None) if chosen.top_k == 0 else chosen


PLACEHOLDERS = ("{conversation_history}", "{user_question}", "{final_model_response}", "{conversation_context}")
_SLOT = re.compile(r"\{(" + "|".join(p.strip("{}") for p in PLACEHOLDERS) + r")\}")
LANG_NAMES = {"zh": "Chinese", "en": "English"}


def render_history(item: Item, include_last_reply: bool = True) -> str:
    lines = []
    for turn in item.history:
        lines.append(f"User (emotion: {turn.emotion}): {turn.text}")
        if include_last_reply or turn is not item.history[-1]:
            lines.append(f"Assistant: {turn.response or '(no reply)'}")
    return "\n".join(lines)


def render_materials(item: Item, has_audio: bool) -> str:
    head = [f"Conversation language: {LANG_NAMES.get(item.lang, item.lang)}",
            "Conversation so far (each user turn shows its annotated emotion):",
            render_history(item, include_last_reply=False), ""]
    last = item.history[-1]
    if item.task is Task.EMPATHY:
        head.append("Reply to assess (text" + ("; its audio is attached" if has_audio else "; no audio available")
                    + f"):\n{last.response}")
    else:
        head.append(f"The user's final question (turn {last.turn_id}):\n{last.text}\n")
        head.append(f"Reply to assess:\n{last.response}")
    return "\n".join(head)


def is_template(rubric: Rubric) -> bool:
    return any(p in rubric.text for p in PLACEHOLDERS)


def official_history(item: Item) -> str:
    """The history exactly as the official scripts write it (see module docs)."""
    lines: list[str] = []
    for turn in item.history:
        if item.task is Task.EMPATHY:
            lines += [f"User({turn.label}): {turn.text}", f"AI: {turn.response}"]
        elif turn.text and turn.label:  # the official guard: a turn without text or label is dropped
            lines += [f"用户(emotion:{turn.label}): {turn.text}", f"AI: {turn.response}"]
    return "\n".join(lines)


def template_values(item: Item) -> dict[str, str]:
    history = official_history(item)
    return {"conversation_history": history, "conversation_context": history,
            "user_question": item.history[-1].text or "N/A", "final_model_response": item.response}


def fill_template(template: str, values: dict[str, str]) -> str:
    """`str.format` when the template is a valid format string, else plain placeholder replacement."""
    try:
        return template.format(**values)
    except (KeyError, ValueError, IndexError, AttributeError):
        return _SLOT.sub(lambda m: values[m[1]] if m[1] in values else m[0], template)  # one pass


def proxy_context(item: Item) -> dict[str, Any]:
    return {"track": "track1", "task": item.task.name.lower(), "lang": item.lang,
            "turns": [{"turn_id": t.turn_id, "text": t.text, "emotion": t.emotion, "response": t.response}
                      for t in item.history],
            "response": item.response}


def build_request(item: Item, rubric: Rubric, audio: ContentPart | None = None,
                  sampling: Sampling | None = None) -> JudgeRequest:
    metadata = {"sample_id": item.item_id, "task": item.task.code, "language": item.lang,
                "eval_turn": item.eval_turn}
    if is_template(rubric):
        parts = ((audio,) if audio else ()) + (ContentPart.of_text(fill_template(rubric.text, template_values(item))),)
        system = ""
    else:
        parts = (ContentPart.of_text(render_materials(item, audio is not None)),) + ((audio,) if audio else ())
        system = rubric.text
    return JudgeRequest(rubric_id=rubric.id, rubric_version=rubric.version, system=system, parts=parts,
                        context=proxy_context(item), metadata=metadata, sampling=sampling)
