"""Strip chat-template debris from a system reply before judging it, and say what was removed.

Two cleaners, one per mode:
- `official_clean`: what the organisers' scripts do and nothing more: keep the text after the last
  "assistant\\n", then strip whitespace (Tasks 1-2 only; Task 3 does not strip).
- `clean_response` (strict): replies also carry role tokens such as `<|im_start|>assistant`, end tokens and
  reasoning blocks; all are removed. Every change is reported so it can be logged.
"""

from __future__ import annotations

import re

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)
_ROLE_START = re.compile(r"(?:<\|im_start\|>\s*)?\bassistant\s*\n|<\|im_start\|>\s*assistant\b")
_SPECIAL = re.compile(r"<\|[^|>]{1,40}\|>")
OFFICIAL_MARKER = "assistant\n"


def official_clean(text: str | None, strip: bool = True) -> tuple[str, list[str]]:
    """(cleaned text, changes) by the official rule: the part after the last "assistant\\n", then `strip()`."""
    out = text or ""
    changes: list[str] = []
    if OFFICIAL_MARKER in out:
        out = out.split(OFFICIAL_MARKER)[-1]
        changes.append('kept text after the last "assistant\\n" (official rule)')
    if strip:
        out = out.strip()
    return out, changes


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
