"""Track 1 generation: official layouts that the project's loaders read, gold labels, task rules."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import soundfile as sf

from humdial.generate.driver import generate_track1
from humdial.generate.track1.script import compose, emotion_plan
from humdial.layouts.track1 import load_tree


@pytest.fixture(scope="module")
def train(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("t1_train")
    summary = generate_track1(out, ["en", "zh"], n=1, seed=4, layout="train", jobs=1, quiet=True)
    assert summary.errors == [] and summary.written == 18
    return out


def test_train_layout_loads_and_audio_exists(train):
    loaded = load_tree(train, "gold")
    assert len(loaded.dialogues) == 18 and not loaded.errors
    for path in sorted(train.glob("*/task*_*.jsonl")):
        task, turns = (int(x) for x in path.stem[len("task"):].split("_"))
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            assert d["dialogue_id"].startswith(f"task{task}_{turns}_{path.parent.name}_")
            assert [t["turn_id"] for t in d["turns"]] == list(range(1, turns + 1))
            for t in d["turns"]:
                wav = path.parent / t["split_audio_file"]
                assert wav.name == f"{d['dialogue_id']}_{t['turn_id']}.wav"
                info = sf.info(str(wav))
                assert info.samplerate == 16000 and info.channels == 1 and info.duration > 0.5
                assert t["response_text"] and t["emotion"]


def test_task_rules(train):
    for path in sorted(train.glob("*/task*_*.jsonl")):
        task = int(path.stem[len("task")])
        for line in path.read_text(encoding="utf-8").splitlines():
            turns = json.loads(line)["turns"]
            emotional = [t for t in turns if t["emotion"] != "neutral"]
            assert len(emotional) >= 2  # Task 3's scorer needs a second non-neutral turn
            assert all(t["cause"] for t in emotional)
            if task in (1, 2):
                last = turns[-1]
                assert last["emotion"] == "neutral"
                # the reference reply names every cause of the dialogue
                assert all(t["cause"] in last["response_text"] for t in emotional)


def test_emotion_changes_are_audible(train):
    """Sad turns are spoken slower than angry ones (prosody table), on average."""
    rates = {"sadness": [], "anger": []}
    for path in sorted(train.glob("en/task*_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for t in json.loads(line)["turns"]:
                if t["emotion"] in rates:
                    dur = sf.info(str(path.parent / t["split_audio_file"])).duration
                    rates[t["emotion"]].append(len(t["text"]) / dur)
    if rates["sadness"] and rates["anger"]:
        mean = {k: sum(v) / len(v) for k, v in rates.items()}
        assert mean["sadness"] < mean["anger"]


def test_test_layout(tmp_path):
    generate_track1(tmp_path, ["zh"], n=1, seed=4, layout="test", jobs=1, quiet=True)
    root = tmp_path / "HD-Track1-Test" / "zh"
    for task in (1, 2, 3):
        lines = (root / f"HD-Track1-T{task}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 3  # one dialogue per turn count
        for line in lines:
            d = json.loads(line)
            for t in d["turns"]:
                assert (root / t["split_audio_file"]).exists()
                assert t["split_audio_file"].startswith(f"HD-Track1-T{task}/")
    assert len(load_tree(tmp_path / "HD-Track1-Test", "gold").dialogues) == 9


def test_compose_is_seeded():
    a = compose("en", 1, 5, "x", random.Random(1))
    b = compose("en", 1, 5, "x", random.Random(1))
    c = compose("en", 1, 5, "x", random.Random(2))
    assert a == b and a != c


def test_emotion_plan_never_repeats_and_opens_on_an_event():
    rng = random.Random(0)
    for _ in range(200):
        plan = emotion_plan(3, 1, ["anger", "fear", "sadness"], rng)
        assert plan[0] != "neutral" and plan.count("neutral") == 1
        emotional = [e for e in plan if e != "neutral"]
        assert all(x != y for x, y in zip(emotional, emotional[1:]))
