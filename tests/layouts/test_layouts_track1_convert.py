import json

from humdial.cli import main
from humdial.layouts.track1_convert import convert
from humdial.audio.io import write_audio
import numpy as np


def _train(root, n_turns=(3, 5)):
    lines = []
    for n in n_turns:
        did = f"task1_{n}_en_0001_{n:04d}"
        turns = []
        for i in range(1, n + 1):
            wav = root / "en" / "task1" / f"{did}_{i}.wav"
            write_audio(wav, np.zeros(1600), 16000)
            turns.append({"turn_id": i, "text": f"user says {i}", "emotion": "sad" if i % 2 else "neutral",
                          "split_audio_file": f"task1/{did}_{i}.wav", "response_text": f"reply {i}"})
        lines.append({"dialogue_id": did, "turns": turns})
    lines.append({"dialogue_id": "task1_3_en_0001_0009", "turns": [
        {"turn_id": 1, "text": "a", "emotion": "sad", "split_audio_file": "task1/nowhere.wav", "response_text": "r"}]})
    lines.append({"dialogue_id": "task1_3_en_0001_0010", "turns": [
        {"turn_id": 1, "text": "a", "emotion": "sad", "split_audio_file": f"task1/task1_3_en_0001_0003_1.wav"}]})
    path = root / "en" / "task1_3.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines) + "{bad\n")


def test_osum_echat_uses_replies_and_all_history(tmp_path):
    _train(tmp_path / "train")
    result = convert(tmp_path / "train", tmp_path / "osum.jsonl", "osum-echat")
    records = [json.loads(x) for x in (tmp_path / "osum.jsonl").read_text().splitlines()]
    assert result.written == 2 and len(records) == 2
    five = next(r for r in records if r["key"].startswith("task1_5"))
    assert five["txt"] == "reply 5" and [five[f"txt_{i}"] for i in range(1, 5)] == [f"reply {i}" for i in range(1, 5)]
    assert five["wav"].endswith("_5.wav") and five["wav_4"].endswith("_4.wav") and "wav_5" not in five
    assert all(v for k, v in five.items() if k.startswith("wav"))
    assert set(five["extra"]) == {"speech_token", *(f"speech_token_{i}" for i in range(1, 5))}
    assert five["task"] == "<S2TCHAT> <TEXT2TOKEN> <HISTORY>" and five["lang"] == "en"
    three = next(r for r in records if r["key"].startswith("task1_3"))
    assert "wav_3" not in three and three["txt_2"] == "reply 2"
    reasons = " | ".join(e.message for e in result.errors)
    assert "user audio not found" in reasons and "no response_text" in reasons and "malformed JSON" in reasons


def test_opens2s_messages(tmp_path):
    _train(tmp_path / "train", n_turns=(3,))
    code = main(["convert", "track1", "--data", str(tmp_path / "train"), "--to", "opens2s",
                 "--out", str(tmp_path / "os2s.jsonl")])
    assert code == 1  # the bad lines are reported
    record = json.loads((tmp_path / "os2s.jsonl").read_text().splitlines()[0])
    roles = [m["role"] for m in record["messages"]]
    assert roles == ["user", "assistant"] * 3
    user, assistant = record["messages"][0]["content"][0], record["messages"][1]["content"][0]
    assert user["audio"].endswith("_1.wav") and user["text"] == "" and assistant["text"] == "reply 1"
    assert assistant["audio"] == "" and assistant["speech_units"] == ""


def test_relative_paths_are_relative_to_the_output_file(tmp_path, monkeypatch):
    import os

    _train(tmp_path / "data" / "train", n_turns=(3,))
    monkeypatch.chdir(tmp_path)  # a relative --data, as typed on the command line
    out = tmp_path / "converted" / "osum.jsonl"
    main(["convert", "track1", "--data", "data/train", "--to", "osum-echat", "--out", str(out), "--relative-paths"])
    record = json.loads(out.read_text().splitlines()[0])
    assert not os.path.isabs(record["wav"]) and record["wav"].startswith("../data/train/en/task1/")
    assert (out.parent / record["wav"]).is_file() and (out.parent / record["wav_1"]).is_file()
