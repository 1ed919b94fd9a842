"""Judges: an OpenAI-compatible LLM client, a verdict cache, versioned rubrics and an offline proxy judge.

Contracts live in `humdial.judge.base` (ContentPart, JudgeRequest, Verdict, Judge); rubric loading in
`humdial.judge.rubrics`; the per-run verdict log (`verdicts.jsonl`) in `humdial.results.verdicts`.
"""

from humdial.judge.base import ContentPart, Judge, JudgeRequest, Parser, Verdict

__all__ = ["ContentPart", "Judge", "JudgeRequest", "Parser", "Verdict"]
