"""Build the judge request for one Track 1 item.

Default (our rubrics): the rubric is the system message; the user message holds the conversation with
the gold emotion labels, the final question and the reply, plus the reply audio for Task 3.
Template rubrics (`--rubric FILE` whose text has `{conversation_history}`, `{user_question}`,
`{final_model_response}` or `{conversation_context}` placeholders, as the organisers' prompt files do):
placeholders are filled by plain replacement (braces elsewhere in the text are left alone, so JSON
examples inside the prompt cannot break formatting), sent as the only user message, audio first.
The structured inputs also travel as `context` for the offline proxy judge.
"""

from __future__ import annotations

from typing import Any

from humdial.judge.base import ContentPart, JudgeRequest
from humdial.judge.rubrics import Rubric
from humdial.evaluate.track1.items import Item
from humdial.protocol.track1 import Task

PLACEHOLDERS = ("{conversation_history}", "{user_question}", "{final_model_response}", "{conversation_context}")
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


def _fill(template: str, item: Item) -> str:
    values = {"{conversation_history}": render_history(item), "{user_question}": item.history[-1].text,
              "{final_model_response}": item.response, "{conversation_context}": render_history(item)}
    for key, value in values.items():
        template = template.replace(key, value)
    return template


def proxy_context(item: Item) -> dict[str, Any]:
    return {"track": "track1", "task": item.task.name.lower(), "lang": item.lang,
            "turns": [{"turn_id": t.turn_id, "text": t.text, "emotion": t.emotion, "response": t.response}
                      for t in item.history],
            "response": item.response}


def build_request(item: Item, rubric: Rubric, audio: ContentPart | None = None) -> JudgeRequest:
    metadata = {"sample_id": item.item_id, "task": item.task.code, "language": item.lang,
                "eval_turn": item.eval_turn}
    if is_template(rubric):
        parts = ((audio,) if audio else ()) + (ContentPart.of_text(_fill(rubric.text, item)),)
        system = ""
    else:
        parts = (ContentPart.of_text(render_materials(item, audio is not None)),) + ((audio,) if audio else ())
        system = rubric.text
    return JudgeRequest(rubric_id=rubric.id, rubric_version=rubric.version, system=system, parts=parts,
                        context=proxy_context(item), metadata=metadata)
