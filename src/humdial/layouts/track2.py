"""Track 2 layouts: dev folders, the flat test set with our pairing manifest, and submissions.

dev:        <root>/<lang>/<Scenario folder>/<stem>.wav, <stem>_sentence.json, clean_<stem>.wav;
            system outputs <stem>_output.wav and clean_<stem>_output.wav in the same folder
            (or under a mirror tree given by --outputs).
test:       <root>/test-{id}.wav, <root>/clean-{id}.wav and <root>/pairing.jsonl, one line per test id:
            {"id", "lang", "scenario", "variant", "annotation", "clean_id"} (the official pairing is private).
submission: HD-Track2/test/test-{id}_output.wav and HD-Track2/clean/clean-{id}_output.wav.
Precomputed transcripts are `<wav stem>.json` next to each wav.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from humdial.errors import HumdialError
from humdial.protocol import track2 as registry

PAIRING_FILE = "pairing.jsonl"
MANIFEST_FILE = "manifest.jsonl"
"""Written by `humdial gen track2`: one line per sample (its id, script texts, timings, voices, files)."""
SUBMISSION_ROOT = "HD-Track2"
SAFE_ID = re.compile(r"(?!\.\.?$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
"""Test and clean ids name files and run-folder paths: no separators, no `..`, so no write outside the run."""


@dataclass(frozen=True)
class Track2Sample:
    sample_id: str
    lang: str
    unit_key: str
    input_wav: Path
    annotation: Path
    output_wav: Path
    clean_wav: Path | None = None
    clean_output_wav: Path | None = None
    problems: tuple[str, ...] = ()
    """Layout problems found while reading (e.g. a clean input the protocol needs is absent)."""

    @property
    def unit(self) -> registry.Unit:
        return registry.unit_by_key(self.unit_key)

    @staticmethod
    def transcript_path(wav: Path) -> Path:
        return wav.with_suffix(".json")


@dataclass
class Track2Dataset:
    layout: Literal["dev", "test"]
    root: Path
    samples: list[Track2Sample]
    problems: list[dict] = field(default_factory=list)
    """Set-level problems (unknown folders, malformed pairing lines, unpaired files), each with a reason."""


# --- Naming rules: the one place that says where a sample's files are and what its id is. -------------------------
# The reader below and the generator's writer (layouts/track2_write.py, generate/track2/plan.py) both use them, so a
# generated manifest's sample ids are the ids evaluation results carry.


@dataclass(frozen=True)
class InputFiles:
    """The input side of one sample: noisy input, its annotation and transcript, and the clean input if any."""

    wav: Path
    annotation: Path
    transcript: Path
    clean_wav: Path | None = None
    clean_transcript: Path | None = None


def dev_stem(seed: int, index: int, unit: registry.Unit) -> str:
    """`SSSS_NNNN[_add|_before]`: SSSS = seed mod 10000, so sets made with different seeds merge without clashes."""
    return f"{seed % 10000:04d}_{index + 1:04d}{unit.stem_suffix}"


def dev_sample_id(lang: str, unit: registry.Unit, stem: str) -> str:
    return f"{lang}/{unit.key}/{stem}"


def test_sample_id(test_id: str) -> str:
    return f"test-{test_id}"


def dev_input_files(root: Path, lang: str, unit: registry.Unit, stem: str) -> InputFiles:
    folder = root / lang / unit.dev_folder
    clean = unit.needs_clean
    return InputFiles(wav=folder / f"{stem}.wav", annotation=folder / f"{stem}_sentence.json",
                      transcript=folder / f"{stem}.json",
                      clean_wav=folder / f"clean_{stem}.wav" if clean else None,
                      clean_transcript=folder / f"clean_{stem}.json" if clean else None)


def test_input_files(root: Path, test_id: str, clean_id: str | None) -> InputFiles:
    return InputFiles(wav=root / f"test-{test_id}.wav", annotation=root / "annotations" / f"test-{test_id}_sentence.json",
                      transcript=root / f"test-{test_id}.json",
                      clean_wav=root / f"clean-{clean_id}.wav" if clean_id else None,
                      clean_transcript=root / f"clean-{clean_id}.json" if clean_id else None)


def _unit_for(folder_name: str, stem: str) -> registry.Unit:
    sid, variant = registry.resolve(folder_name)
    if not variant and sid == "third_party":
        for u in registry.scenario(sid).units:
            if u.stem_suffix and stem.endswith(u.stem_suffix):
                return u
        raise HumdialError(f"cannot tell the third-party variant of {stem!r} (expected suffix _add or _before)")
    return registry.unit(sid, variant)


def read_dev(root: str | Path, outputs: str | Path | None = None, langs: list[str] | None = None) -> Track2Dataset:
    root = Path(root)
    out_root = Path(outputs) if outputs else root
    dataset = Track2Dataset("dev", root, [])
    for lang_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            lang = registry.normalise_language(lang_dir.name)
        except HumdialError:
            dataset.problems.append({"path": str(lang_dir), "reason": "not a language folder (zh/en); ignored"})
            continue
        if langs and lang not in langs:
            continue
        for scen_dir in sorted(p for p in lang_dir.iterdir() if p.is_dir()):
            try:
                registry.resolve(scen_dir.name)
            except HumdialError:
                if not scen_dir.name.endswith("_for_eval"):
                    dataset.problems.append({"path": str(scen_dir), "reason": "unknown scenario folder; ignored"})
                continue
            stems = {p.name[: -len("_sentence.json")] for p in scen_dir.glob("*_sentence.json")}
            stems |= {p.stem for p in scen_dir.glob("*.wav")
                      if not p.stem.startswith("clean_") and not p.stem.endswith("_output")}
            rel = scen_dir.relative_to(root)
            for stem in sorted(stems):
                try:
                    u = _unit_for(scen_dir.name, stem)
                except HumdialError as exc:
                    dataset.problems.append({"path": str(scen_dir / stem), "reason": str(exc)})
                    continue
                problems = []
                clean = scen_dir / f"clean_{stem}.wav"
                if u.needs_clean and not clean.exists():
                    problems.append(f"clean input clean_{stem}.wav is missing")
                dataset.samples.append(Track2Sample(
                    sample_id=dev_sample_id(lang, u, stem), lang=lang, unit_key=u.key,
                    input_wav=scen_dir / f"{stem}.wav", annotation=scen_dir / f"{stem}_sentence.json",
                    output_wav=out_root / rel / f"{stem}_output.wav",
                    clean_wav=clean if u.needs_clean else None,
                    clean_output_wav=(out_root / rel / f"clean_{stem}_output.wav") if u.needs_clean else None,
                    problems=tuple(problems)))
    return dataset


def submission_dir(outputs: str | Path) -> Path:
    """Accept the folder holding HD-Track2/, HD-Track2/ itself, or a folder with test/ and clean/."""
    outputs = Path(outputs)
    if (outputs / SUBMISSION_ROOT).is_dir():
        return outputs / SUBMISSION_ROOT
    return outputs


def read_test(root: str | Path, outputs: str | Path | None = None, pairing: str | Path | None = None,
              langs: list[str] | None = None) -> Track2Dataset:
    root = Path(root)
    pairing_path = Path(pairing) if pairing else root / PAIRING_FILE
    if not pairing_path.exists():
        raise HumdialError(f"test layout needs a pairing manifest; not found: {pairing_path}")
    sub = submission_dir(outputs) if outputs else root / SUBMISSION_ROOT
    dataset = Track2Dataset("test", root, [])
    seen: set[str] = set()
    for lineno, line in enumerate(pairing_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{pairing_path}:{lineno}"
        try:
            entry = json.loads(line)
            test_id = str(entry["id"])
            lang = registry.normalise_language(str(entry["lang"]))
            u = registry.unit(str(entry["scenario"]), entry.get("variant") or None)
            clean_id = entry.get("clean_id")
            annotation = Path(entry.get("annotation") or f"annotations/test-{test_id}_sentence.json")
            for name, value in (("id", test_id), ("clean_id", clean_id)):
                if value is not None and not SAFE_ID.fullmatch(str(value)):
                    raise HumdialError(f"{name} {str(value)[:60]!r} is not a plain file-name part (letters, digits, _ - .)")
            if annotation.is_absolute() or ".." in annotation.parts:
                raise HumdialError(f"annotation path {str(annotation)[:60]!r} leaves the data folder")
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError, HumdialError) as exc:
            dataset.problems.append({"path": where, "reason": f"malformed pairing line: {exc}"})
            continue
        if test_id in seen:
            dataset.problems.append({"path": where, "reason": f"duplicate test id {test_id}; later line ignored"})
            continue
        seen.add(test_id)
        if langs and lang not in langs:
            continue
        problems = []
        if u.needs_clean and not clean_id:
            problems.append("pairing gives no clean partner, but this scenario needs one")
        has_clean = bool(clean_id) and u.needs_clean
        dataset.samples.append(Track2Sample(
            sample_id=test_sample_id(test_id), lang=lang, unit_key=u.key,
            input_wav=root / f"test-{test_id}.wav",
            annotation=annotation if annotation.is_absolute() else root / annotation,
            output_wav=sub / "test" / f"test-{test_id}_output.wav",
            clean_wav=root / f"clean-{clean_id}.wav" if has_clean else None,
            clean_output_wav=sub / "clean" / f"clean-{clean_id}_output.wav" if has_clean else None,
            problems=tuple(problems)))
    for wav in sorted(root.glob("test-*.wav")):
        if wav.stem[len("test-"):] not in seen:
            dataset.problems.append({"path": str(wav), "reason": "test input has no line in the pairing manifest"})
    return dataset


def read_track2(data: str | Path, outputs: str | Path | None = None, langs: list[str] | None = None,
                pairing: str | Path | None = None) -> Track2Dataset:
    """Detect the layout (a pairing manifest means the test layout) and read it."""
    data = Path(data)
    if not data.is_dir():
        raise HumdialError(f"data folder not found: {data}")
    if pairing or (data / PAIRING_FILE).exists():
        return read_test(data, outputs, pairing, langs)
    return read_dev(data, outputs, langs)


def read_manifest(root: str | Path) -> dict[str, dict]:
    """The generator's manifest by sample id (the same ids evaluation results carry); {} when there is none.

    Malformed lines are skipped: the manifest is descriptive (scripts, voices), never needed to evaluate.
    """
    path = Path(root) / MANIFEST_FILE
    if not path.is_file():
        return {}
    out: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and isinstance(rec.get("sample_id"), str):
            out[rec["sample_id"]] = rec
    return out
