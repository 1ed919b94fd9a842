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


def test_run_track1_dialogue_id_with_a_path_never_writes_outside_the_output(tmp_path):
    """A Task 3 dialogue id holding `../` is an item error of its turns, not a reply wav written anywhere."""
    lang_dir = tmp_path / "data" / "en"
    lang_dir.mkdir(parents=True)
    line = {"dialogue_id": "../../escaped", "turns": [{"turn_id": 1, "text": "I'm so sad today."}]}
    (lang_dir / "HD-Track1-T3.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    out = tmp_path / "deep" / "out"
    assert main(["run", "track1", "--data", str(tmp_path / "data"), "--out", str(out), "--no-encoder",
                 "--quiet"]) == 1
    assert not list(tmp_path.rglob("escaped*"))
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(errors) == 1 and "cannot be part of a file name" in errors[0]["error"]
    # the re-run reuses the recorded answer, error included: same outputs, same exit code
    before = (out / "HD-Track1" / "en" / "HD-Track1-T3.jsonl").read_bytes()
    assert main(["run", "track1", "--data", str(tmp_path / "data"), "--out", str(out), "--no-encoder",
                 "--quiet"]) == 1
    assert (out / "HD-Track1" / "en" / "HD-Track1-T3.jsonl").read_bytes() == before
    assert len((out / "errors.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_run_track1_record_that_is_garbage_is_redone(tmp_path):
    """A corrupt or truncated resume record (a kill mid-write, a hand edit) is a miss, never a crash."""
    from humdial.generate.track1.example import write_example

    gold, _ = write_example(tmp_path / "ex", langs=("en",), per_task=1)
    out = tmp_path / "out"
    args = ["run", "track1", "--data", str(gold), "--out", str(out), "--no-encoder", "--quiet", "--user-text", "transcript"]
    assert main(args) == 0
    first = {p.name: p.read_bytes() for p in (out / "HD-Track1" / "en").glob("*.jsonl")}
    records = sorted((out / "track1_done").glob("*.json"))
    records[0].write_text("{truncated", encoding="utf-8")
    records[1].write_text(json.dumps({"key": 5, "result": None}), encoding="utf-8")
    records[2].write_text("[]", encoding="utf-8")
    assert main(args) == 0
    assert {p.name: p.read_bytes() for p in (out / "HD-Track1" / "en").glob("*.jsonl")} == first
