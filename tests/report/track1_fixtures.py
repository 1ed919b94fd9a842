"""Two small Track 1 runs of different 'systems' on the same gold data, each with its submission (and the
Task 3 reply wavs) inside the run directory, as `humdial demo` lays them out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from humdial.cli import main
from humdial.generate.track1.example import write_example

WRONG_LANGUAGE = ("en/T2/task2_4_en_0001_0001", "en/T3/task3_4_en_0001_0001")
"""The items system B answers in Chinese: judged in A, scored 1 (language mismatch) in B. The T3 one has
reply audio, so its side-by-side view has players."""


def _answer_in_chinese(submission: Path, item_id: str) -> None:
    lang, task, dialogue = item_id.split("/")
    path = submission / lang / f"HD-Track1-{task}.jsonl"
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    for line in lines:
        if line["dialogue_id"] == dialogue:
            for turn in line["turns"]:
                turn["response_text"] = "我觉得你是因为截止日期才生气的，后来又松了一口气。"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")


def make_track1_runs(root: Path) -> tuple[Path, Path]:
    """Run A = the bundled example submission; run B = the same with one English reply in Chinese."""
    run_a, run_b = root / "t1_run_a", root / "t1_run_b"
    gold, sub_a = write_example(run_a / "system")
    shutil.copytree(run_a / "system", run_b / "system")
    sub_b = run_b / "system" / sub_a.name
    for item_id in WRONG_LANGUAGE:
        _answer_in_chinese(sub_b, item_id)
    for sub, run in ((sub_a, run_a), (sub_b, run_b)):
        code = main(["eval", "track1", "--gold", str(gold), "--submission", str(sub), "--out", str(run)])
        assert code in (0, 1), code
    return run_a, run_b


def silence_one_output(data: Path, out: Path, sample: str = "0001_0003") -> Path:
    """Track 2 'system B': the report fixture's data with one pause output replaced by silence, evaluated."""
    import numpy as np

    from humdial.audio.io import write_audio

    shutil.copytree(data, out / "data")
    for name in (f"{sample}_output.wav", f"clean_{sample}_output.wav"):
        write_audio(out / "data" / "en" / "Pause_Handling" / name, np.zeros(10 * 16000, np.float32), 16000)
    run = out / "run"
    assert main(["eval", "track2", "--data", str(out / "data"), "--out", str(run), "--lang", "en", "--quiet"]) in (0, 1)
    return run


def both_tracks(track2_run: Path, track1_run: Path, out: Path) -> Path:
    """One run directory with both tracks, as the demo writes it (Track 1 under track1/)."""
    shutil.copytree(track2_run, out)
    shutil.copytree(track1_run, out / "track1")
    return out
