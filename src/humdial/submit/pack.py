"""Build HD-Track1.zip / HD-Track2.zip from a run directory, then check the zip that was written.

Track 1 run dir: `<lang>/HD-Track1-T{1,2,3}.jsonl` anywhere below it; Task 3 audio is taken from the
official place next to the JSONL (`HD-Track1-T3/{dialogue_id}_{turn_id}_response.wav`) or from the
turn's `response_audio` path (relative to the JSONL), and its path is rewritten to the official one.
Track 2 run dir: holds `HD-Track2/test/` and `HD-Track2/clean/` (as `humdial run track2` writes them).
Zips are deterministic: sorted members with a fixed timestamp, so the same run gives the same bytes.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from humdial.errors import HumdialError
from humdial.layouts.track2 import SUBMISSION_ROOT as T2_ROOT
from humdial.submit.problems import CheckReport
from humdial.layouts.source import find_root
from humdial.submit.track1 import ROOT as T1_ROOT
from humdial.submit.track1 import check_track1
from humdial.submit.track2 import FOLDERS, check_track2
from humdial.layouts.track1 import find_task_files, iter_jsonl, official_audio_dir, response_wav_name
from humdial.protocol.track1 import Task

FIXED_TIME = (2025, 11, 24, 0, 0, 0)


@dataclass
class PackResult:
    zip_path: Path
    members: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What packing could not do (audio not found, lines copied unchanged)."""
    left_out: list[str] = field(default_factory=list)
    """Files that look like outputs but could not be packed (a misnamed wav): the pack lacks them, so the
    command exits 1 even when the check of the zip finds nothing wrong."""
    check: CheckReport | None = None

    @property
    def ok(self) -> bool:
        return self.check is not None and self.check.ok and not self.left_out


class _ZipWriter:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.entries: dict[str, bytes | Path] = {}
        self.path = path

    def add(self, name: str, content: bytes | Path) -> None:
        if name in self.entries:
            raise HumdialError(f"two files would be packed as {name}")
        self.entries[name] = content

    def write(self) -> list[str]:
        tmp = self.path.with_suffix(".zip.partial")
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(self.entries):
                content = self.entries[name]
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, content.read_bytes() if isinstance(content, Path) else content)
        tmp.replace(self.path)
        return sorted(self.entries)


def _find_pdf(run_dir: Path, description: str | Path | None) -> Path | None:
    if description is not None:
        pdf = Path(description)
        if not pdf.is_file():
            raise HumdialError(f"system description not found: {pdf}")
        return pdf
    found = sorted(run_dir.rglob("*_System_Description.pdf"))
    return found[0] if found else None


def _t3_audio(jsonl: Path, did: str, turn: dict) -> Path | None:
    candidates = [jsonl.parent / official_audio_dir(Task.EMPATHY) / response_wav_name(did, turn["turn_id"])]
    if isinstance(turn.get("response_audio"), str) and turn["response_audio"]:
        given = Path(turn["response_audio"])
        candidates.append(given if given.is_absolute() else jsonl.parent / given)
    return next((c for c in candidates if c.is_file()), None)


def _pack_t3_lines(jsonl: Path, lang: str, writer: _ZipWriter, result: PackResult) -> bytes:
    """The Task 3 file with its audio paths made official. A line that is not a dialogue is copied byte for
    byte, so the check of the zip reports it (never dropped: a pack must not lose an item silently)."""
    try:
        raw_lines = jsonl.read_bytes().splitlines()
    except OSError as exc:
        raise HumdialError(f"cannot read {jsonl}: {exc}") from exc
    out: list[bytes] = []
    audio_prefix = f"{T1_ROOT}/{lang}/{official_audio_dir(Task.EMPATHY)}"
    for number, obj in iter_jsonl(jsonl):
        if not isinstance(obj, dict) or not isinstance(obj.get("turns"), list) or "dialogue_id" not in obj:
            result.notes.append(f"{jsonl}:{number}: not a dialogue line; copied unchanged (the check reports it)")
            out.append(raw_lines[number - 1] if 0 < number <= len(raw_lines) else b"")
            continue
        did = str(obj["dialogue_id"])
        for turn in obj["turns"]:
            if not isinstance(turn, dict) or not isinstance(turn.get("turn_id"), int):
                continue
            audio = _t3_audio(jsonl, did, turn)
            name = response_wav_name(did, turn["turn_id"])
            if audio is None:
                result.notes.append(f"{jsonl}:{number}: no response audio found for {did} turn {turn['turn_id']}")
                continue
            writer.add(f"{audio_prefix}/{name}", audio)
            turn["response_audio"] = f"{official_audio_dir(Task.EMPATHY)}/{name}"
        out.append(json.dumps(obj, ensure_ascii=False).encode("utf-8"))
    return b"".join(line + b"\n" for line in out)


def pack_track1(run_dir: str | Path, out_zip: str | Path, description: str | Path | None = None,
                gold: str | Path | None = None) -> PackResult:
    run_dir = Path(run_dir)
    files = find_task_files(run_dir, official_only=True)
    if not files:
        raise HumdialError(f"no <lang>/HD-Track1-T*.jsonl under {run_dir}")
    result = PackResult(Path(out_zip))
    writer = _ZipWriter(result.zip_path)
    for task_file in files:
        if not task_file.task.ranked:
            continue
        name = f"{T1_ROOT}/{task_file.lang}/{task_file.path.name}"
        if task_file.task is Task.EMPATHY:
            writer.add(name, _pack_t3_lines(task_file.path, task_file.lang, writer, result))
        else:
            writer.add(name, task_file.path)
    pdf = _find_pdf(run_dir, description)
    if pdf is not None:
        writer.add(f"{T1_ROOT}/{pdf.name}", pdf)
    else:
        result.notes.append("no system description PDF given (--description); the organisers require one")
    result.members = writer.write()
    result.check = check_track1(result.zip_path, gold)
    return result


def pack_track2(run_dir: str | Path, out_zip: str | Path, description: str | Path | None = None,
                test_set: str | Path | None = None) -> PackResult:
    run_dir = Path(run_dir)
    root = find_root(run_dir, T2_ROOT, tuple(FOLDERS))
    result = PackResult(Path(out_zip))
    writer = _ZipWriter(result.zip_path)
    for folder, pattern in FOLDERS.items():
        directory = root / folder
        if not directory.is_dir():
            raise HumdialError(f"{directory} not found; a Track 2 run dir holds HD-Track2/test and HD-Track2/clean")
        for path in sorted(directory.iterdir()):
            if pattern.match(path.name) and path.is_file():
                writer.add(f"{T2_ROOT}/{folder}/{path.name}", path)
            elif path.suffix.lower() == ".wav" and not path.name.endswith(".partial.wav"):
                result.left_out.append(str(path))
                result.notes.append(f"{path}: a wav whose name is not an official output name; NOT packed")
            else:
                result.notes.append(f"{path}: not an output file name; left out")
    pdf = _find_pdf(run_dir, description)
    if pdf is not None:
        writer.add(f"{T2_ROOT}/{pdf.name}", pdf)
    result.members = writer.write()
    result.check = check_track2(result.zip_path, test_set)
    return result

