"""Track 2 behaviour tags: request building and strict answer parsing.

The user message mirrors the official shape: each of the four transcripts (official `{text, chunks}`
dicts) is serialised compactly to a JSON string, the four strings go into an object with keys
input_clean, input_noisy, output_clean, output_noisy, and that object is serialised again
(compact, non-ASCII kept). The same request carries the transcripts as structured `context` for the
offline proxy judge, plus optional overlap hints from the annotation.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from humdial.judge.base import ContentPart, JudgeRequest
from humdial.judge.jsonscan import json_objects
from humdial.judge.rubrics import Rubric, load_rubric

RUBRIC_ID = "track2_behaviour"
TAGS: tuple[str, ...] = ("C_RESPOND", "C_RESUME", "C_UNCERTAIN_HANDLING", "C_UNKNOWN")
TRANSCRIPT_KEYS: tuple[str, ...] = ("input_clean", "input_noisy", "output_clean", "output_noisy")
KEY = "behaviour"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def behaviour_request(transcripts: Mapping[str, dict], *, rubric: Rubric | None = None,
                      overlap_start: float | None = None, first_query_end: float | None = None,
                      metadata: dict[str, Any] | None = None) -> JudgeRequest:
    """Build the request for one sample.

    `transcripts` maps each of TRANSCRIPT_KEYS to an official-shape dict (`Transcript.to_official()`).
    `overlap_start` (e.g. the annotation's second segment xmin) or `first_query_end` (its first segment
    xmax) help the proxy judge find the overlap; LLM judges find it from the text, as officially.
    """
    missing = [k for k in TRANSCRIPT_KEYS if not isinstance(transcripts.get(k), dict)]
    if missing:
        raise ValueError(f"behaviour request needs all four transcripts; missing: {', '.join(missing)}")
    rubric = rubric or load_rubric(RUBRIC_ID)
    payload = {k: _compact(transcripts[k]) for k in TRANSCRIPT_KEYS}
    context: dict[str, Any] = {k: transcripts[k] for k in TRANSCRIPT_KEYS}
    if overlap_start is not None:
        context["overlap_start"] = float(overlap_start)
    if first_query_end is not None:
        context["first_query_end"] = float(first_query_end)
    return JudgeRequest(rubric_id=rubric.id, rubric_version=rubric.version, system=rubric.text,
                        parts=(ContentPart.of_text(_compact(payload)),), context=context,
                        metadata=dict(metadata or {}))


def parse_behaviour(raw: str) -> dict:
    """`{"behaviour": [tags]}` from a judge answer; raises ValueError when it is not there or not valid.

    Takes the first JSON object (anywhere in the text, code fences and prose tolerated) that has the key
    `behaviour`. A single string is accepted as a one-tag list. Every tag must be one of TAGS and the list
    must not be empty; duplicates are dropped (order kept). The rubric asks for one tag; a list of several
    valid tags is kept as is, since the official ratio counts every tag.
    """
    for obj in json_objects(raw):
        if KEY not in obj:
            continue
        tags = obj[KEY]
        if isinstance(tags, str):
            tags = [tags]
        if not isinstance(tags, list) or not tags:
            raise ValueError(f"'{KEY}' must be a non-empty list of tags, got {obj[KEY]!r}")
        cleaned: list[str] = []
        for tag in tags:
            if not isinstance(tag, str) or tag.strip() not in TAGS:
                raise ValueError(f"unknown behaviour tag {tag!r}; allowed: {', '.join(TAGS)}")
            if tag.strip() not in cleaned:
                cleaned.append(tag.strip())
        return {KEY: cleaned}
    raise ValueError(f"no JSON object with key '{KEY}' in the answer")
