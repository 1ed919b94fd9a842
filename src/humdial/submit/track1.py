"""Check a Track 1 submission against the official layout (SITE test-set page):

    HD-Track1/
      <Team>_System_Description.pdf
      zh/ HD-Track1-T1.jsonl  HD-Track1-T2.jsonl  HD-Track1-T3.jsonl
          HD-Track1-T3/{dialogue_id}_{turn_id}_response.wav
      en/ (same)

Without a gold test set the check covers layout, JSONL schema, ids and audio. With one (`gold`), it also
checks that every non-excluded test dialogue and turn is answered and that the Task 3 evaluated turn has
audio (errors), and reports extra dialogues and turns (warnings).
"""

from __future__ import annotations

import re
from pathlib import Path

from humdial.submit.audio import AudioLimits, check_wav
from humdial.submit.problems import CheckReport
from humdial.layouts.source import find_root, opened
from humdial.protocol.track1_exclusions import Exclusions, published_exclusions
from humdial.layouts.track1 import load_dialogues, load_tree, official_audio_dir, official_jsonl_name, response_wav_name
from humdial.protocol.track1 import LANGS, Dialogue, Task, parse_dialogue_id
from humdial.protocol.track1_target import T3TurnRule, choose_t3_turn

ROOT = "HD-Track1"
RANKED = (Task.TRAJECTORY, Task.REASONING, Task.EMPATHY)
_RESPONSE_WAV = re.compile(r"^(?P<did>.+)_(?P<turn>\d+)_response\.wav$")


def _check_pdf(root: Path, report: CheckReport) -> None:
    pdfs = sorted(root.glob("*.pdf"))
    if not pdfs:
        report.error(str(root), "no system description PDF (<Team>_System_Description.pdf); it is mandatory")
        return
    for pdf in pdfs:
        if not pdf.name.endswith("_System_Description.pdf"):
            report.warning(pdf.name, "PDF name should be <Team>_System_Description.pdf")
        with pdf.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                report.error(pdf.name, "not a PDF file (no %PDF- header)")


def _gold_index(gold: Path) -> dict[tuple[str, Task], dict[str, Dialogue]]:
    loaded = load_tree(gold, "gold")
    index: dict[tuple[str, Task], dict[str, Dialogue]] = {}
    for d in loaded.dialogues:
        index.setdefault((d.lang, d.task), {})[d.dialogue_id] = d
    return index


def _check_ids(d: Dialogue, lang: str, task: Task, where: str, report: CheckReport) -> None:
    parts = parse_dialogue_id(d.dialogue_id)
    if parts.lang is not None and parts.lang != lang:
        report.error(where, f"dialogue id is {parts.lang} but sits in the {lang} folder")
    if parts.task is not None and parts.task != task.value:
        report.error(where, f"dialogue id is a task{parts.task} id but sits in {official_jsonl_name(task)}")
    expected = list(range(1, len(d.turns) + 1))
    if [t.turn_id for t in d.turns] != expected:
        report.error(where, f"turn ids {[t.turn_id for t in d.turns]} are not 1..{len(d.turns)}")
    for t in d.turns:
        if not (t.response_text or "").strip():
            report.error(f"{where} turn {t.turn_id}", "empty response_text")


def _compare_with_gold(sub: dict[str, Dialogue], gold: dict[str, Dialogue], where: str,
                       exclusions: Exclusions, report: CheckReport) -> None:
    for did, g in gold.items():
        if exclusions.reason(did):
            report.stats["excluded test dialogues"] += 1
            continue
        s = sub.get(did)
        if s is None:
            report.error(where, f"test dialogue {did} is not answered")
            continue
        missing = sorted({t.turn_id for t in g.turns} - {t.turn_id for t in s.turns})
        extra = sorted({t.turn_id for t in s.turns} - {t.turn_id for t in g.turns})
        if missing:
            report.error(f"{where} [{did}]", f"turn(s) {missing} not answered")
        if extra:
            report.warning(f"{where} [{did}]", f"turn(s) {extra} are not in the test set")
    for did in sorted(set(sub) - set(gold)):
        report.warning(f"{where} [{did}]", "dialogue is not in the test set")


def _check_t3_audio(lang_dir: Path, dialogues: dict[str, Dialogue], gold: dict[str, Dialogue] | None,
                    rule: T3TurnRule, report: CheckReport, limits: AudioLimits) -> None:
    audio_dir = lang_dir / official_audio_dir(Task.EMPATHY)
    rel = f"{lang_dir.name}/{audio_dir.name}"
    present = {p.name: p for p in audio_dir.glob("*")} if audio_dir.is_dir() else {}
    if not audio_dir.is_dir():
        report.error(rel, "Task 3 audio folder is missing")
    expected: set[str] = set()
    for did, d in dialogues.items():
        required = None
        if gold is not None and did in gold:
            turn, _ = choose_t3_turn(gold[did], rule)
            required = turn.turn_id if turn else None
        for t in d.turns:
            name = response_wav_name(did, t.turn_id)
            expected.add(name)
            if name in present:
                check_wav(present[name], f"{rel}/{name}", report, limits)
            elif required == t.turn_id:
                report.error(f"{rel}/{name}", f"missing: turn {t.turn_id} is the Task 3 evaluated turn ({rule} rule)")
            elif gold is None or required is None:
                report.warning(f"{rel}/{name}", "missing response audio (the evaluated turn is chosen by gold "
                                                "emotions; supply audio for every turn)")
    for name, path in sorted(present.items()):
        if name in expected:
            continue
        if not _RESPONSE_WAV.match(name):
            report.error(f"{rel}/{name}", "unexpected file name; must be {dialogue_id}_{turn_id}_response.wav")
        elif path.is_file():
            report.warning(f"{rel}/{name}", "response audio for no dialogue/turn of HD-Track1-T3.jsonl")


def check_track1_folder(folder: Path, gold: str | Path | None = None, exclusions: Exclusions | None = None,
                        t3_rule: T3TurnRule = "second", limits: AudioLimits = AudioLimits(),
                        source: str | None = None) -> CheckReport:
    report = CheckReport("track1", source or str(folder))
    root = find_root(folder, ROOT, LANGS)
    exclusions = exclusions if exclusions is not None else published_exclusions()
    gold_index = _gold_index(Path(gold)) if gold else None
    _check_pdf(root, report)
    for lang in LANGS:
        lang_dir = root / lang
        if not lang_dir.is_dir():
            report.error(f"{lang}/", "language folder is missing")
            continue
        for task in RANKED:
            path = lang_dir / official_jsonl_name(task)
            rel = f"{lang}/{path.name}"
            if not path.is_file():
                report.error(rel, "missing (mandatory)")
                continue
            loaded = load_dialogues(path, "submission", lang, task)
            for err in loaded.errors:
                report.error(f"{rel}:{err.line}" + (f" [{err.dialogue_id}]" if err.dialogue_id else ""), err.message)
            dialogues = {d.dialogue_id: d for d in loaded.dialogues}
            report.stats["dialogues"] += len(dialogues)
            for did, d in dialogues.items():
                _check_ids(d, lang, task, f"{rel} [{did}]", report)
            gold_dialogues = gold_index.get((lang, task), {}) if gold_index is not None else None
            if gold_dialogues is not None:
                if not gold_dialogues:
                    report.warning(rel, "the gold set has no dialogues for this language and task")
                _compare_with_gold(dialogues, gold_dialogues, rel, exclusions, report)
            if task is Task.EMPATHY:
                _check_t3_audio(lang_dir, dialogues, gold_dialogues, t3_rule, report, limits)
    return report


def check_track1(path: str | Path, gold: str | Path | None = None, **options) -> CheckReport:
    """Check a folder or zip; an unsafe zip raises UnsafeArchiveError (nothing is extracted)."""
    with opened(path) as folder:
        return check_track1_folder(folder, gold, source=str(path), **options)
