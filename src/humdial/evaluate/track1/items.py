"""Join a submission to the gold test set and decide, per (language, task, dialogue), what gets judged.

Every gold dialogue becomes exactly one `Item` with a status:
- judge: the evaluated turn has a reply; a judge request is built.
- excluded: on the exclusion list (removed from scoring).
- missing: no dialogue, no evaluated turn, or an empty reply (scored by the missing policy).
- language_mismatch: the reply is in the other language (minimum score on every judged dimension).
- not_evaluable: Task 3 dialogue where the turn rule picks no turn (official behaviour: left out).
Submission dialogues that match no gold dialogue, and turns that match no gold turn, are reported as extra.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from humdial.evaluate.track1.cleaning import clean_response, official_clean
from humdial.protocol.track1_exclusions import Exclusions
from humdial.evaluate.track1.language import language_mismatch
from humdial.layouts.track1 import official_audio_dir, response_wav_name
from humdial.protocol.track1 import Dialogue, Task, Turn
from humdial.protocol.track1_target import T3TurnRule, choose_t3_turn

ItemStatus = Literal["judge", "excluded", "missing", "language_mismatch", "not_evaluable"]


@dataclass
class HistoryTurn:
    turn_id: int
    text: str
    emotion: str
    """Normalised label (strict prompts, the proxy)."""
    response: str
    label: str = ""
    """The gold label as written (official prompts)."""


@dataclass
class Item:
    lang: str
    task: Task
    dialogue_id: str
    status: ItemStatus
    reason: str = ""
    eval_turn: int | None = None
    history: list[HistoryTurn] = field(default_factory=list)
    """Gold user turns 1..evaluated turn with the submission's (cleaned) replies."""
    response: str = ""
    audio_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    """Non-fatal observations: missing earlier turns, extra turns, cleaned replies."""
    errors: list[dict] = field(default_factory=list)
    """Per-item failures that change what is scored ({kind, message, path}): a Task 3 reply wav that is
    missing or unreadable (its audio dimensions go unjudged: left out in official mode, 1 in strict), a
    human rating absent from the ratings file. Counted in the results and they make the exit code 1."""

    def error(self, kind: str, message: str, path: object | None = None) -> None:
        self.errors.append({"kind": kind, "message": message, "path": None if path is None else str(path)})

    @property
    def item_id(self) -> str:
        return f"{self.lang}/{self.task.code}/{self.dialogue_id}"

    @property
    def target_emotion(self) -> str | None:
        return self.history[-1].emotion if self.history else None


@dataclass
class JoinReport:
    extra_dialogues: list[str] = field(default_factory=list)
    """`lang/Tk/dialogue_id` of submission dialogues with no gold counterpart."""
    missing_dialogues: list[str] = field(default_factory=list)
    missing_turns: list[str] = field(default_factory=list)
    extra_turns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: list(v) for k, v in self.__dict__.items()}


def resolve_response_audio(sub: Dialogue, turn: Turn) -> Path | None:
    """The official place (`<lang>/HD-Track1-T3/{id}_{turn}_response.wav` next to the JSONL) first, then the
    turn's own `response_audio` path (relative to the JSONL's folder)."""
    base = Path(sub.base_dir)
    candidates = [base / official_audio_dir(Task.EMPATHY) / response_wav_name(sub.dialogue_id, turn.turn_id)]
    if turn.response_audio:
        given = Path(turn.response_audio)
        candidates.append(given if given.is_absolute() else base / given)
    return next((c for c in candidates if c.is_file()), None)


def official_t3_turn(gold: Dialogue, rule: T3TurnRule) -> tuple[Turn | None, str]:
    """The official Task 3 choice: a turn is non-neutral when its label, lower-cased, is not 'neutral';
    a missing or empty label therefore counts as non-neutral (strict refuses such a dialogue instead)."""
    emotional = [t for t in gold.turns if (t.label or "").lower() != "neutral"]
    if rule == "second":
        if len(emotional) < 2:
            return None, f"fewer than two non-neutral turns ({len(emotional)}); rule 'second' picks none"
        return emotional[1], f"second non-neutral turn (turn {emotional[1].turn_id})"
    if not emotional:
        return None, "no non-neutral turn; rule 'last' picks none"
    return emotional[-1], f"last non-neutral turn (turn {emotional[-1].turn_id})"


def _eval_turn(gold: Dialogue, rule: T3TurnRule, official: bool) -> tuple[Turn | None, str]:
    if gold.task is Task.EMPATHY:
        if official:
            return official_t3_turn(gold, rule)
        if any(not t.emotion for t in gold.turns):
            return None, "gold dialogue has turns without an emotion label"
        return choose_t3_turn(gold, rule)
    return gold.last, f"last turn (turn {gold.last.turn_id})"


def build_item(gold: Dialogue, sub: Dialogue | None, rule: T3TurnRule, exclusions: Exclusions,
               language_rule: bool, report: JoinReport, official: bool = False) -> Item:
    """One item; `official` picks the official reply cleaning and Task 3 turn rule (see module docs)."""
    item = Item(gold.lang or "", gold.task, gold.dialogue_id, "judge")
    excluded = exclusions.reason(gold.dialogue_id)
    if excluded:
        item.status, item.reason = "excluded", excluded
        return item
    if sub is None:
        report.missing_dialogues.append(item.item_id)
        item.status, item.reason = "missing", "dialogue not in the submission"
        return item
    gold_ids = {t.turn_id for t in gold.turns}
    sub_ids = {t.turn_id for t in sub.turns}
    if gold_ids - sub_ids:
        report.missing_turns.append(f"{item.item_id}: {sorted(gold_ids - sub_ids)}")
        item.notes.append(f"turns {sorted(gold_ids - sub_ids)} not answered")
    if sub_ids - gold_ids:
        report.extra_turns.append(f"{item.item_id}: {sorted(sub_ids - gold_ids)}")
        item.notes.append(f"turns {sorted(sub_ids - gold_ids)} not in the gold dialogue (ignored)")
    target, why = _eval_turn(gold, rule, official)
    if target is None:
        item.status, item.reason = "not_evaluable", why
        return item
    item.eval_turn = target.turn_id
    for g in gold.turns:
        if g.turn_id > target.turn_id:
            break
        s = sub.turn(g.turn_id)
        reply = s.response_text if s else ""
        # official Task 3 does not strip the reply; Tasks 1-2 do
        text, changes = (official_clean(reply, strip=gold.task is not Task.EMPATHY) if official
                         else clean_response(reply))
        if changes:
            item.notes.append(f"turn {g.turn_id} reply cleaned: {'; '.join(changes)}")
        if not (g.text and g.emotion):
            item.notes.append(f"turn {g.turn_id}: gold turn lacks its text or emotion label")
        item.history.append(HistoryTurn(g.turn_id, g.text or "", g.emotion or "", text, g.label or ""))
    item.response = item.history[-1].response
    if not item.response.strip():
        item.status, item.reason = "missing", f"evaluated turn {target.turn_id} ({why}) has no reply"
        return item
    if language_rule:
        mismatch = language_mismatch(gold.lang, item.response)
        if mismatch:
            item.status, item.reason = "language_mismatch", mismatch
            return item
    if gold.task is Task.EMPATHY:
        sub_turn = sub.turn(target.turn_id)
        item.audio_path = resolve_response_audio(sub, sub_turn) if sub_turn else None
        if item.audio_path is None:
            expected = Path(sub.base_dir) / official_audio_dir(Task.EMPATHY) / response_wav_name(sub.dialogue_id,
                                                                                                   target.turn_id)
            given = f" (nor the turn's response_audio {sub_turn.response_audio!r})" \
                if sub_turn and sub_turn.response_audio else ""
            item.error("missing_response_audio", f"no response audio for the evaluated turn {target.turn_id}: "
                       f"{expected.parent.name}/{expected.name} not found{given}; audio dimensions not judged",
                       expected)
    item.reason = why
    return item


def join(gold: list[Dialogue], submission: list[Dialogue], rule: T3TurnRule, exclusions: Exclusions,
         language_rule: bool = True, official: bool = False) -> tuple[list[Item], JoinReport]:
    report = JoinReport()
    subs = {(d.lang, d.task, d.dialogue_id): d for d in submission}
    items = [build_item(g, subs.get((g.lang, g.task, g.dialogue_id)), rule, exclusions, language_rule, report,
                        official)
             for g in gold if g.task is not None and g.task.ranked]
    known = {(g.lang, g.task, g.dialogue_id) for g in gold}
    report.extra_dialogues = sorted(f"{k[0]}/{k[1].code}/{k[2]}" for k in subs if k not in known and k[1] is not None)
    return items, report
