"""Track 1 preflight: gold and submission found, replies present (against `--allow-missing`), judge reachable.

Runs after the (fast) load and join, before any judge request, so a submission folder one level off or
an unreachable judge stops `eval track1` in seconds (PreflightError exit 2, StageError exit 3).
"""

from __future__ import annotations

from collections import Counter

from humdial.errors import PreflightError
from humdial.evaluate.preflight import check_missing, probe_judge

GOLD_LAYOUT = "GOLD/<lang>/HD-Track1-T{1,2,3}.jsonl with lang zh or en"
SUBMISSION_LAYOUT = "HD-Track1/<lang>/HD-Track1-T{1,2,3}.jsonl (a folder or a zip of it)"


def run_preflight(items: list, gold_dialogues: int, sub_dialogues: int, gold_root: object, submission: object,
                  judge: object | None, allow_missing: float | int | None) -> str:
    """A summary line; PreflightError/StageError when the run cannot give a meaningful result."""
    if not gold_dialogues:
        raise PreflightError(f"no gold Track 1 dialogue of the chosen languages under {gold_root}; expected {GOLD_LAYOUT}")
    if not sub_dialogues:
        raise PreflightError(f"no Track 1 dialogue found in the submission {submission}; expected {SUBMISSION_LAYOUT}")
    status = Counter(i.status for i in items)
    missing = [f"{i.lang}/{i.task.code}/{i.dialogue_id}" for i in items if i.status == "missing"]
    check_missing("reply", missing, len(items), allow_missing,
                  f"Replies come from the submission's task files ({SUBMISSION_LAYOUT}).")
    line = (f"preflight: {len(items)} items ({', '.join(f'{k} {v}' for k, v in sorted(status.items()))}); "
            f"{sub_dialogues} submitted dialogues")
    present = {(i.lang, i.task.code) for i in items}
    gaps = [f"{lang} {code}" for lang in sorted({i.lang for i in items}) for code in ("T1", "T2", "T3")
            if (lang, code) not in present]
    if gaps:
        line += (f"\npreflight: the gold set has no dialogues for {', '.join(gaps)}; those languages' finals "
                 "cannot be computed")
    no_audio = [e for i in items for e in i.errors if e["kind"] == "missing_response_audio"]
    if no_audio:
        line += (f"\npreflight: {len(no_audio)} Task 3 evaluated turn(s) without response audio (counted as item "
                 f"errors; audio dimensions not judged), e.g. {no_audio[0]['path']}")
    if status.get("judge") and judge is not None:
        line += "\npreflight: " + probe_judge(judge).removeprefix("judge: ")
    return line
