"""No stale work: a resume after the files changed never mixes an earlier run's work with new files."""

from __future__ import annotations

import json
import shutil

from humdial.cli import main

BASE = ["eval", "track2", "--quiet", "--asr", "en=precomputed", "--lang", "en", "--judge", "none"]


def test_changed_files_with_reused_stages_are_refused(pause_set, tmp_path, capsys):
    run = tmp_path / "run"
    args = BASE + ["--data", str(pause_set), "--out", str(run)]
    assert main(args) == 0
    folder = pause_set / "en" / "Pause_Handling"
    shutil.copy(folder / "0002_0002_output.wav", folder / "0002_0001_output.wav.tmp")
    (folder / "0002_0001_output.wav.tmp").replace(folder / "0002_0001_output.wav")
    import soundfile as sf

    data, rate = sf.read(folder / "0002_0001_output.wav")
    sf.write(folder / "0002_0001_output.wav", data * 0.5, rate)  # same name, other content
    assert main(args + ["--stages", "measure,score"]) == 2
    assert "changed since the earlier run" in capsys.readouterr().err
    assert main(args) == 0  # every stage: the caches redo what changed
    fresh = tmp_path / "fresh"
    assert main(BASE + ["--data", str(pause_set), "--out", str(fresh)]) == 0
    a = json.loads((run / "track2_results.json").read_text())
    b = json.loads((fresh / "track2_results.json").read_text())
    for key in ("units", "official", "strict"):
        assert a[key] == b[key]


def test_failed_transcription_removes_the_earlier_transcript(pause_set, tmp_path):
    run = tmp_path / "run"
    args = BASE + ["--data", str(pause_set), "--out", str(run)]
    assert main(args) == 0
    stored = list((run / "transcripts").rglob("output.json"))
    assert stored
    (pause_set / "en" / "Pause_Handling" / "0002_0001_output.json").write_text("{broken")
    assert main(args) == 1
    assert not (run / "transcripts" / "en" / "pause" / "0002_0001" / "output.json").exists()
