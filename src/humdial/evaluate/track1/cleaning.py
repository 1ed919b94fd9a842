"""Strip chat-template debris from a system reply before judging it, and say what was removed.

The official scripts only cut at the last "assistant\\n"; replies also carry role tokens such as
`<|im_start|>assistant`, end tokens, and reasoning blocks. Every change is reported so it can be logged.
"""

from __future__ import annotations

import re

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)
_ROLE_START = re.compile(r"(?:<\|im_start\|>\s*)?\bassistant\s*\n|<\|im_start\|>\s*assistant\b")
_SPECIAL = re.compile(r"<\|[^|>]{1,40}\|>")


def clean_response(text: str | None) -> tuple[str, list[str]]:
    """(cleaned text, list of changes made)."""
    if not text:
        return "", []
    changes: list[str] = []
    out = text
    if _THINK.search(out):
        out = _THINK.sub("", out)
        changes.append("removed <think> block")
    starts = list(_ROLE_START.finditer(out))
    if starts:
        out = out[starts[-1].end():]
        changes.append("kept text after the last assistant role marker")
    if _SPECIAL.search(out):
        out = _SPECIAL.sub("", out)
        changes.append("removed special tokens")
    stripped = out.strip()
    if stripped != out and not changes:
        changes.append("trimmed whitespace")
    return stripped, changes
