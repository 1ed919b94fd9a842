"""Check a Track 2 submission: `HD-Track2/test/test-{id}_output.wav` and `HD-Track2/clean/clean-{id}_output.wav`.

Without a test set: layout, file names and audio. With one (`test-{id}.wav`, `clean-{id}.wav`,
`pairing.jsonl`): every test input and every clean input has an output (the published exclusions
excepted), outputs are mono and as long as their input (the metrics share the input's time base).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf

from humdial.layouts.track2 import PAIRING_FILE, SUBMISSION_ROOT, read_test
from humdial.submit.audio import AudioLimits, check_wav
from humdial.submit.problems import CheckReport
from humdial.layouts.source import find_root, opened

FOLDERS = {"test": re.compile(r"^test-(?P<id>[A-Za-z0-9_\-]+)_output\.wav$"),
           "clean": re.compile(r"^clean-(?P<id>[A-Za-z0-9_\-]+)_output\.wav$")}
EXCLUDED = frozenset({"test-003126", "clean-000899"})
"""Inputs removed from Track 2 scoring by the organisers (news of 2025-11-17); no output is needed."""
TRACK2_LIMITS = AudioLimits(min_seconds=0.3, max_seconds=900.0)


@dataclass(frozen=True)
class LengthRule:
    tolerance_s: float = 0.5
    """An output whose length differs from its input's by more than this is reported (warning): the official
    client writes exactly the input length rounded up to 30 ms, and speech past the input end is cut."""


def _scan(root: Path, report: CheckReport, limits: AudioLimits) -> dict[str, Path]:
    """{'test-<id>' or 'clean-<id>': output path} for every well-named output; problems recorded."""
    outputs: dict[str, Path] = {}
    for folder, pattern in FOLDERS.items():
        directory = root / folder
        if not directory.is_dir():
            report.error(f"{folder}/", "folder is missing")
            continue
        for path in sorted(directory.iterdir()):
            rel = f"{folder}/{path.name}"
            match = pattern.match(path.name)
            if not match or not path.is_file():
                report.error(rel, f"unexpected entry; files must be named {folder}-{{id}}_output.wav")
                continue
            outputs[f"{folder}-{match['id']}"] = path
    for path in sorted(p for p in root.iterdir() if p.is_file() and p.suffix.lower() != ".pdf"):
        report.warning(path.name, "unexpected file at the top of the submission")
    return outputs


def check_track2_folder(folder: Path, test_set: str | Path | None = None, limits: AudioLimits = TRACK2_LIMITS,
                        lengths: LengthRule = LengthRule(), source: str | None = None) -> CheckReport:
    report = CheckReport("track2", source or str(folder))
    root = find_root(folder, SUBMISSION_ROOT, tuple(FOLDERS))
    outputs = _scan(root, report, limits)
    report.stats["outputs"] = len(outputs)
    expected: dict[str, Path] = {}
    if test_set is not None:
        test_root = Path(test_set)
        if not (test_root / PAIRING_FILE).is_file():
            report.error(str(test_root), f"test set has no {PAIRING_FILE}")
        else:
            dataset = read_test(test_root, outputs=root)
            for problem in dataset.problems:
                report.warning(problem["path"], f"test set: {problem['reason']}")
            for sample in dataset.samples:
                expected[sample.input_wav.stem] = sample.input_wav
                if sample.clean_wav is not None:
                    expected[sample.clean_wav.stem] = sample.clean_wav
        for wav in sorted(test_root.glob("clean-*.wav")):
            expected.setdefault(wav.stem, wav)
    for key, path in sorted(outputs.items()):
        facts = check_wav(path, f"{path.parent.name}/{path.name}", report, limits)
        source_wav = expected.get(key)
        if facts is not None and source_wav is not None and source_wav.is_file():
            try:
                input_s = sf.info(str(source_wav)).duration
            except RuntimeError as exc:
                report.warning(str(source_wav), f"test input unreadable, length not compared: {exc}")
                continue
            if abs(facts.duration - input_s) > lengths.tolerance_s:
                report.warning(f"{path.parent.name}/{path.name}",
                               f"length {facts.duration:.2f} s differs from the input's {input_s:.2f} s")
    if test_set is not None:
        for key in sorted(set(expected) - set(outputs)):
            if key in EXCLUDED:
                report.stats["excluded inputs"] += 1
                continue
            folder_name = key.split("-", 1)[0]
            report.error(f"{folder_name}/{key}_output.wav", "missing output for a test-set input")
        for key in sorted(set(outputs) - set(expected)):
            report.warning(f"{key.split('-', 1)[0]}/{key}_output.wav", "output for no input of the test set")
    return report


def check_track2(path: str | Path, test_set: str | Path | None = None, **options) -> CheckReport:
    with opened(path) as folder:
        report = check_track2_folder(folder, test_set, source=str(path), **options)
        if not Path(path).is_dir() and not (folder / SUBMISSION_ROOT).is_dir():
            # the organisers unpack the zip and look for HD-Track2/test and HD-Track2/clean
            report.error(str(path), f"the zip has no {SUBMISSION_ROOT}/ root folder; pack it as "
                                    f"{SUBMISSION_ROOT}/test/... and {SUBMISSION_ROOT}/clean/... (humdial submit pack does)")
        return report
