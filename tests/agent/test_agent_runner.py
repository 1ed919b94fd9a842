import json
from pathlib import Path

import soundfile as sf

from humdial.agent.costs import load_profile
from humdial.cli import main


def _write(path, samples, rate=16000):
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), samples, rate, subtype="PCM_16")


def _annotation(path, duration, segments):
    path.write_text(json.dumps({"final_duration": duration, "speech_segments": [
        {"xmin": a, "xmax": b, "text": t} for a, b, t in segments]}), encoding="utf-8")


def test_dev_layout_outputs_logs_errors_and_resume(tmp_path, say, timeline):
    q = say("What is the capital of France?")
    x = timeline(5.0, [(0.3, q)])
    folder = tmp_path / "data" / "en" / "Follow-up_Questions"
    _write(folder / "0001_0001.wav", x)
    _write(folder / "clean_0001_0001.wav", x)
    _annotation(folder / "0001_0001_sentence.json", 5.0, [(0.3, 0.3 + len(q) / 16000, "What is the capital of France?")])
    pause = tmp_path / "data" / "en" / "Pause_Handling"
    pause.mkdir(parents=True)
    (pause / "0001_0002.wav").write_bytes(b"RIFF not really a wav")
    _annotation(pause / "0001_0002_sentence.json", 3.0, [(0.1, 2.0, "broken")])
    out = tmp_path / "out"
    code = main(["run", "track2", "--data", str(tmp_path / "data"), "--out", str(out), "--lang", "en", "--quiet"])
    assert code == 1  # one input is broken: counted, explained, not fatal
    summary = json.loads((out / "agent_run.json").read_text())
    assert summary["ok"] == 2 and len(summary["errors"]) == 1
    assert summary["errors"][0]["error"]["kind"] == "audio_error"
    for name in ("0001_0001_output.wav", "clean_0001_0001_output.wav"):
        wav = out / "en" / "Follow-up_Questions" / name
        info = sf.info(str(wav))
        assert info.frames == len(x) and info.samplerate == 16000 and info.channels == 1
        log = out / "agent_logs" / "en" / "Follow-up_Questions" / name.replace(".wav", ".events.jsonl")
        events = [json.loads(line) for line in log.read_text().splitlines()]
        assert events[0]["type"] == "system" and events[-1]["name"] == "end"
        assert any(e["type"] == "state" for e in events)
    code = main(["run", "track2", "--data", str(tmp_path / "data"), "--out", str(out), "--lang", "en", "--quiet"])
    summary = json.loads((out / "agent_run.json").read_text())
    assert summary["skipped"] == 2 and summary["ok"] == 0  # resumable: finished outputs are kept


def test_test_layout_writes_the_submission_tree(tmp_path, say, timeline):
    data = tmp_path / "test"
    x = timeline(4.0, [(0.3, say("How far is the moon?"))])
    import soxr

    x24 = soxr.resample(x, 16000, 24000)
    _write(data / "test-000001.wav", x24, 24000)  # a 24 kHz input: the output keeps its rate and length
    _write(data / "clean-000007.wav", x)
    (data / "annotations").mkdir(parents=True)
    _annotation(data / "annotations" / "test-000001_sentence.json", 4.0, [(0.3, 1.5, "How far is the moon?")])
    (data / "pairing.jsonl").write_text(json.dumps({"id": "000001", "lang": "en", "scenario": "follow_up",
                                                    "annotation": "annotations/test-000001_sentence.json",
                                                    "clean_id": "000007"}) + "\n", encoding="utf-8")
    out = tmp_path / "sub"
    assert main(["run", "track2", "--data", str(data), "--out", str(out), "--lang", "en", "--quiet",
                 "--self-transcripts"]) == 0
    info = sf.info(str(out / "HD-Track2" / "test" / "test-000001_output.wav"))
    assert info.samplerate == 24000 and info.frames == len(x24)
    assert (out / "HD-Track2" / "clean" / "clean-000007_output.wav").exists()
    own = json.loads((out / "HD-Track2" / "test" / "test-000001_output.json").read_text())
    assert own["chunks"] and 1.5 < own["chunks"][0]["timestamp"][0] < 4.0  # after the question, inside the input


def test_cost_clock_runs_are_byte_identical_and_name_their_profile(tmp_path, say, timeline):
    q = say("What is the capital of France?")
    x = timeline(5.0, [(0.3, q)])
    data = tmp_path / "data"
    folder = data / "en" / "Follow-up_Questions"
    _write(folder / "0001_0001.wav", x)
    _annotation(folder / "0001_0001_sentence.json", 5.0, [(0.3, 0.3 + len(q) / 16000, "What is the capital?")])
    rel_wav = Path("en") / "Follow-up_Questions" / "0001_0001_output.wav"
    rel_log = Path("agent_logs") / "en" / "Follow-up_Questions" / "0001_0001_output.events.jsonl"
    files = []
    for run in ("a", "b"):
        assert main(["run", "track2", "--data", str(data), "--out", str(tmp_path / run), "--lang", "en", "--quiet"]) == 0
        files.append(((tmp_path / run / rel_wav).read_bytes(), (tmp_path / run / rel_log).read_bytes()))
        summary = json.loads((tmp_path / run / "agent_run.json").read_text())
        assert summary["clock"] == "cost" and summary["cost_profile"]["name"] == load_profile().name
    assert files[0] == files[1]
    start = json.loads(files[0][1].decode().splitlines()[0])
    assert start["clock"] == "cost" and start["cost_profile"]["sha256"] == load_profile().sha256

    assert main(["run", "track2", "--data", str(data), "--out", str(tmp_path / "w"), "--lang", "en", "--quiet",
                 "--clock", "wall"]) == 0
    summary = json.loads((tmp_path / "w" / "agent_run.json").read_text())
    assert summary["clock"] == "wall" and summary["cost_profile"] is None
    events = (tmp_path / "w" / rel_log).read_text().splitlines()
    assert json.loads(events[0])["clock"] == "wall"

    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["run", "track2", "--data", str(data), "--out", str(tmp_path / "x"), "--lang", "en", "--quiet",
                 "--cost-profile", str(bad)]) != 0


def _tree(root: Path) -> dict[str, bytes]:
    """Every agent output and event log below `root` (not the summary, which names its own folder)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "agent_run.json"}


def test_resume_redoes_exactly_the_changed_inputs_and_settings(tmp_path, say, timeline):
    data = tmp_path / "data"
    folder = data / "en" / "Follow-up_Questions"
    for k, text in ((1, "What is the capital of France?"), (2, "How far away is the moon?")):
        q = say(text)
        _write(folder / f"0001_000{k}.wav", timeline(4.0, [(0.3, q)]))
        _annotation(folder / f"0001_000{k}_sentence.json", 4.0, [(0.3, 0.3 + len(q) / 16000, text)])
    out = tmp_path / "out"
    args = ["run", "track2", "--data", str(data), "--lang", "en", "--quiet", "--asr", "en=none"]
    assert main(args + ["--out", str(out)]) == 0
    first = _tree(out)
    assert any(name.endswith(".job.json") for name in first)

    # same name, other content: only that input is redone, and the result equals a fresh run on the new files
    _write(folder / "0001_0002.wav", timeline(4.0, [(0.8, say("Tell me a story about a dragon."))]))
    assert main(args + ["--out", str(out)]) == 0
    summary = json.loads((out / "agent_run.json").read_text())
    assert (summary["ok"], summary["redone"], summary["skipped"]) == (1, 1, 1)
    assert main(args + ["--out", str(tmp_path / "fresh")]) == 0
    resumed, fresh = _tree(out), _tree(tmp_path / "fresh")
    assert resumed == fresh
    changed = "en/Follow-up_Questions/0001_0002_output.wav"
    assert resumed[changed] != first[changed]

    # a setting that shapes every output (the cost profile's figures) redoes every job
    from importlib import resources

    from humdial.agent.costs import DEFAULT_PROFILE

    other = tmp_path / "profile.json"
    raw = json.loads(resources.files("humdial.agent").joinpath("data", DEFAULT_PROFILE).read_text(encoding="utf-8"))
    raw["name"] = "edited"
    other.write_text(json.dumps(raw), encoding="utf-8")
    assert main(args + ["--out", str(out), "--cost-profile", str(other)]) == 0
    summary = json.loads((out / "agent_run.json").read_text())
    assert (summary["ok"], summary["redone"], summary["skipped"]) == (2, 2, 0)
    assert main(args + ["--out", str(out), "--cost-profile", str(other)]) == 0
    assert json.loads((out / "agent_run.json").read_text())["skipped"] == 2

    # an input that became unreadable fails and takes its earlier output with it: nothing stale survives
    (folder / "0001_0001.wav").write_bytes(b"RIFF not a wav any more")
    assert main(args + ["--out", str(out), "--cost-profile", str(other)]) == 1
    assert not (out / "en" / "Follow-up_Questions" / "0001_0001_output.wav").exists()
    assert not list((out / "agent_logs").rglob("0001_0001_output.*"))
