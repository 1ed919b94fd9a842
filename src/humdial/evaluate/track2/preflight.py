"""Track 2 preflight: before any ASR, check the data set can be evaluated and say what was found.

Checks: layout and languages/scenarios recognised (a `--data` folder one level too high or too low
gets an error naming the expected layout), inputs and annotations readable, system outputs present
(counts and the expected names of what is missing, against `--allow-missing`), and a remote judge
answering one probe request. Problems with single samples stay per-sample errors later; only a
set-up that cannot give a meaningful result stops the command (PreflightError, exit 2).
"""

from __future__ import annotations

import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from humdial.errors import AnnotationError, HumdialError, PreflightError
from humdial.evaluate.preflight import check_missing, probe_judge
from humdial.layouts.track2 import PAIRING_FILE, SUBMISSION_ROOT, Track2Dataset
from humdial.protocol import track2 as registry
from humdial.protocol.annotation import load_annotation

DEV_LAYOUT = ("dev layout: DATA/<lang>/<Scenario folder>/<stem>.wav + <stem>_sentence.json, with lang en or zh "
              "(e.g. DATA/en/Interruption/0000_0001.wav); test layout: DATA/pairing.jsonl + DATA/test-<id>.wav")


@dataclass
class Track2Preflight:
    layout: str
    samples: int
    by_lang: dict[str, int]
    by_unit: dict[str, int]
    missing_outputs: list[str] = field(default_factory=list)
    bad_annotations: int = 0
    missing_inputs: int = 0
    judge: str = ""
    layout_problems: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        langs = ", ".join(f"{k} {v}" for k, v in sorted(self.by_lang.items()))
        found = self.samples - len(self.missing_outputs)
        lines = [f"preflight: {self.layout} layout, {self.samples} samples ({langs}) in {len(self.by_unit)} scenario unit(s)",
                 f"preflight: outputs found for {found}/{self.samples} samples"
                 + (f"; missing e.g. {self.missing_outputs[0]}" if self.missing_outputs else ""),
                 f"preflight: annotations {self.samples - self.bad_annotations - self.missing_inputs} ok, "
                 f"{self.bad_annotations} unreadable, {self.missing_inputs} inputs missing"]
        if self.layout_problems:
            first = self.layout_problems[0]
            lines.append(f"preflight: {len(self.layout_problems)} layout problem(s) (in the results' layout_problems), "
                         f"e.g. {first['path']}: {first['reason']}")
        if self.judge:
            lines.append(f"preflight: {self.judge}")
        return "\n".join(lines)


def _is_file(path: Path | None) -> bool:
    """A regular file (a FIFO, a folder or a device named like an output is not an output)."""
    try:
        return path is not None and stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _layout_hint(data: Path) -> str:
    """Why a dev folder gave no samples: one level too low, one too high, or not a data set at all."""
    try:
        children = sorted(p for p in data.iterdir() if p.is_dir())
    except OSError as exc:
        return f"cannot list {data}: {exc}"

    def is_scenario(p: Path) -> bool:
        try:
            registry.resolve(p.name)
            return True
        except HumdialError:
            return False

    def is_lang(p: Path) -> bool:
        try:
            registry.normalise_language(p.name)
            return True
        except HumdialError:
            return False

    if any(is_scenario(p) for p in children):
        return f"{data} holds scenario folders: it looks like one language folder; pass its parent ({data.parent})"
    if is_scenario(data):
        return f"{data} is a scenario folder; pass the folder two levels up ({data.parent.parent})"
    for child in children:
        try:
            grand = [p for p in child.iterdir() if p.is_dir()]
        except OSError:
            continue
        if any(is_lang(p) for p in grand) or (child / PAIRING_FILE).exists():
            return f"{data} looks one level too high: {child} holds the data set; pass --data {child}"
    if (data / SUBMISSION_ROOT).is_dir():
        return f"{data} holds a submission ({SUBMISSION_ROOT}/): pass it as --outputs and the test inputs as --data"
    langs = [p for p in children if is_lang(p)]
    if langs:
        return f"language folder(s) {', '.join(p.name for p in langs)} hold no recognised scenario folder with samples"
    return f"no language folder (en, zh) or {PAIRING_FILE} in {data}"


def run_preflight(dataset: Track2Dataset, data: Path, judge: object | None = None,
                  allow_missing: float | int | None = 0, check_outputs: bool = True) -> Track2Preflight:
    """Check `dataset` (as read) and the judge; PreflightError/StageError when nothing meaningful can run."""
    samples = dataset.samples
    if not samples:
        problems = "; ".join(f"{p['path']}: {p['reason']}" for p in dataset.problems[:3])
        hint = _layout_hint(Path(data)) if dataset.layout == "dev" else f"the pairing manifest lists no sample of the chosen languages"
        raise PreflightError(f"no Track 2 sample found in {data}: {hint}. Expected {DEV_LAYOUT}."
                             + (f" Problems: {problems}" if problems else ""))
    report = Track2Preflight(layout=dataset.layout, samples=len(samples),
                             by_lang=dict(Counter(s.lang for s in samples)),
                             by_unit=dict(Counter(s.unit_key for s in samples)), layout_problems=list(dataset.problems))
    for s in samples:
        if not _is_file(s.input_wav):
            report.missing_inputs += 1
            continue
        try:
            load_annotation(s.annotation)
        except AnnotationError:
            report.bad_annotations += 1
        if check_outputs:
            for wav in (s.output_wav, s.clean_output_wav):
                if wav is not None and not _is_file(wav):
                    report.missing_outputs.append(str(wav))
                    break
    if report.missing_inputs == len(samples):
        raise PreflightError(f"none of the {len(samples)} Track 2 inputs is a readable file (e.g. {samples[0].input_wav})")
    if check_outputs:
        check_missing("system output", report.missing_outputs, len(samples), allow_missing,
                      "Outputs are <stem>_output.wav beside each input in the outputs mirror (dev) or "
                      f"{SUBMISSION_ROOT}/test/test-<id>_output.wav (test); check --outputs.")
    if judge is not None:
        report.judge = probe_judge(judge)
    return report
