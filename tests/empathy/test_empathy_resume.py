"""`run track1` resumes: kill -9 half-way then re-run equals one uninterrupted run; changed inputs are redone."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from humdial.empathy.hearing import HearingOptions
from humdial.empathy.runner import KILL_AFTER_ENV, Track1RunOptions, run_track1
from humdial.results import paths


@pytest.fixture(scope="module")
def gold(tmp_path_factory):
    from humdial.generate.track1.example import write_example

    gold, _ = write_example(tmp_path_factory.mktemp("t1") / "ex", per_task=1)
    return gold


def _outputs(out: Path) -> dict[str, bytes]:
    """The submission and the per-dialogue files (the resume records aside)."""
    files = sorted(p for p in (out / "HD-Track1").rglob("*") if p.is_file())
    files += [out / paths.TRACK1_TIMELINES, out / paths.TRACK1_EMOTION, out / paths.ERRORS]
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


def _cli(data: Path, out: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    src = str(Path(__file__).resolve().parents[2] / "src")
    full = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})}
    return subprocess.run([sys.executable, "-m", "humdial", "run", "track1", "--data", str(data), "--out", str(out),
                           "--no-encoder", "--quiet", "--user-text", "transcript"], env=full, capture_output=True, text=True, timeout=600)


def test_kill_9_half_way_then_resume_equals_an_uninterrupted_run(gold, tmp_path):
    fresh = run_track1(Track1RunOptions(data=gold, out=tmp_path / "fresh", encoder=False, quiet=True, hearing=HearingOptions("transcript")))
    assert fresh.dialogues == 6 and fresh.reused == 0

    out = tmp_path / "killed"
    killed = _cli(gold, out, {KILL_AFTER_ENV: "4"})
    assert killed.returncode == -signal.SIGKILL
    assert len(list((out / paths.TRACK1_DONE_DIR).glob("*.json"))) == 4
    resumed = _cli(gold, out)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "4 dialogues reused" in resumed.stdout
    assert _outputs(out) == _outputs(tmp_path / "fresh")


def test_changed_inputs_and_settings_are_redone(gold, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(gold, data)
    out = tmp_path / "out"
    assert run_track1(Track1RunOptions(data=data, out=out, encoder=False, quiet=True, hearing=HearingOptions("transcript"))).reused == 0
    assert run_track1(Track1RunOptions(data=data, out=out, encoder=False, quiet=True, hearing=HearingOptions("transcript"))).reused == 6

    # one Task 3 dialogue's words change, another's user audio changes (same names): exactly those two are redone
    t3 = data / "en" / "HD-Track1-T3.jsonl"
    line = json.loads(t3.read_text(encoding="utf-8").splitlines()[0])
    line["turns"] = line["turns"][:2]
    line["turns"][1]["text"] = "Honestly I am terrified of the exam tomorrow."
    t3.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    zh_t1 = data / "zh" / "HD-Track1-T1.jsonl"
    first_audio = next(t["split_audio_file"] for t in json.loads(zh_t1.read_text(encoding="utf-8").splitlines()[0])
                       ["turns"] if t.get("split_audio_file"))
    wav = data / "zh" / first_audio
    wav.write_bytes(wav.read_bytes()[:-200])  # other content, same name
    again = run_track1(Track1RunOptions(data=data, out=out, encoder=False, quiet=True, hearing=HearingOptions("transcript")))
    assert again.reused == 4
    fresh = tmp_path / "fresh"
    run_track1(Track1RunOptions(data=data, out=fresh, encoder=False, quiet=True, hearing=HearingOptions("transcript")))
    assert _outputs(out) == _outputs(fresh)  # the wavs of the dropped turns are gone too

    # another setting (the encoder) shapes every answer: nothing is reused
    assert run_track1(Track1RunOptions(data=data, out=out, encoder=True, quiet=True, hearing=HearingOptions("transcript"))).reused == 0
