import json
import shutil
import zipfile

import numpy as np
import pytest

from humdial.audio.io import write_audio
from humdial.cli import main
from humdial.errors import UnsafeArchiveError
from humdial.submit.pack import pack_track1, pack_track2
from humdial.submit.track1 import check_track1
from humdial.submit.track2 import check_track2
from humdial.generate.track1.example import write_example


@pytest.fixture()
def example(tmp_path):
    return write_example(tmp_path / "ex")


def _messages(report):
    return [(p.severity, p.where, p.message) for p in report.problems]


def test_clean_example_passes(example):
    gold, sub = example
    report = check_track1(sub, gold)
    assert report.ok, report.render()
    assert report.stats["dialogues"] == 12 and report.stats["audio files read"] == 16


def test_every_problem_reported_at_once(example, tmp_path):
    gold, sub = example
    # 1: malformed line, 2: missing Task 2 file in en, 3: missing evaluated-turn audio, 4: stereo audio,
    # 5: dialogue missing a turn, 6: stray file name, 7: PDF missing.
    t1 = sub / "zh" / "HD-Track1-T1.jsonl"
    t1.write_text(t1.read_text(encoding="utf-8") + "{broken\n", encoding="utf-8")
    (sub / "en" / "HD-Track1-T2.jsonl").unlink()
    (sub / "zh" / "HD-Track1-T3" / "task3_4_zh_0001_0001_4_response.wav").unlink()
    write_audio(sub / "en" / "HD-Track1-T3" / "tmp.wav", np.zeros(10), 16000)
    stereo = np.random.default_rng(0).standard_normal((16000, 2)).astype(np.float32) * 0.1
    import soundfile as sf
    sf.write(str(sub / "en" / "HD-Track1-T3" / "task3_4_en_0001_0001_1_response.wav"), stereo, 16000)
    t2 = sub / "zh" / "HD-Track1-T2.jsonl"
    lines = [json.loads(x) for x in t2.read_text(encoding="utf-8").splitlines()]
    lines[0]["turns"] = lines[0]["turns"][:-1]
    t2.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    (sub / "Example_System_Description.pdf").unlink()
    report = check_track1(sub, gold)
    text = report.render()
    assert not report.ok
    assert "zh/HD-Track1-T1.jsonl:3" in text and "malformed JSON" in text
    assert "en/HD-Track1-T2.jsonl: missing (mandatory)" in text
    assert "Task 3 evaluated turn" in text and "task3_4_zh_0001_0001_4_response.wav" in text
    assert "2 channels" in text
    assert "turn(s) [4] not answered" in text
    assert "tmp.wav: unexpected file name" in text
    assert "System_Description" in text
    assert len(report.errors) >= 7


def test_excluded_and_extra_items(tmp_path):
    gold, sub = write_example(tmp_path / "ex", per_task=1)
    t2 = gold / "en" / "HD-Track1-T2.jsonl"
    line = json.loads(t2.read_text(encoding="utf-8"))
    line["dialogue_id"] = "task2_4_en_0002_0014"  # on the published exclusion list, never answered
    t2.write_text(t2.read_text(encoding="utf-8") + json.dumps(line) + "\n", encoding="utf-8")
    report = check_track1(sub, gold)
    assert report.ok, report.render()
    assert report.stats["excluded test dialogues"] == 1


def test_zip_and_pack_roundtrip(example, tmp_path):
    gold, sub = example
    result = pack_track1(sub, tmp_path / "out" / "HD-Track1.zip", gold=gold)
    assert result.check.ok, result.check.render()
    assert "HD-Track1/zh/HD-Track1-T3/task3_4_zh_0001_0001_4_response.wav" in result.members
    again = pack_track1(sub, tmp_path / "out2" / "HD-Track1.zip", gold=gold)
    assert result.zip_path.read_bytes() == again.zip_path.read_bytes()
    assert main(["submit", "check", "track1", str(result.zip_path), "--gold", str(gold)]) == 0


def test_pack_moves_audio_to_official_place(example, tmp_path):
    gold, sub = example
    moved = tmp_path / "run" / "audio"
    run = tmp_path / "run"
    shutil.copytree(sub, run / "sys")
    shutil.move(str(run / "sys" / "en" / "HD-Track1-T3"), moved)
    t3 = run / "sys" / "en" / "HD-Track1-T3.jsonl"
    text = t3.read_text(encoding="utf-8").replace('"HD-Track1-T3/', '"../../audio/')
    t3.write_text(text, encoding="utf-8")
    result = pack_track1(run, tmp_path / "HD-Track1.zip", gold=gold)
    assert result.check.ok, result.check.render()
    with zipfile.ZipFile(result.zip_path) as z:
        packed = [json.loads(x) for x in z.read("HD-Track1/en/HD-Track1-T3.jsonl").decode().splitlines()]
    assert packed[0]["turns"][0]["response_audio"].startswith("HD-Track1-T3/")


def test_unsafe_zip_refused(tmp_path):
    bad = tmp_path / "HD-Track1.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("../evil.txt", "x")
    with pytest.raises(UnsafeArchiveError):
        check_track1(bad)
    assert main(["submit", "check", "track1", str(bad)]) == 1
    assert not (tmp_path / "evil.txt").exists()


def _track2_test_set(root):
    rng = np.random.default_rng(1)
    pairing = []
    for i, (scenario, clean) in enumerate([("follow_up", "000001"), ("pause", None), ("backchannel", "000003")], 1):
        tid = f"{i:06d}"
        write_audio(root / f"test-{tid}.wav", rng.standard_normal(32000) * 0.1, 16000)
        if clean:
            write_audio(root / f"clean-{clean}.wav", rng.standard_normal(24000) * 0.1, 16000)
        pairing.append({"id": tid, "lang": "en", "scenario": scenario, "variant": None,
                        "annotation": f"test-{tid}_sentence.json", "clean_id": clean})
    (root / "pairing.jsonl").write_text("".join(json.dumps(x) + "\n" for x in pairing))


def test_track2_check_and_pack(tmp_path):
    test_set = tmp_path / "test"
    _track2_test_set(test_set)
    run = tmp_path / "run" / "HD-Track2"
    rng = np.random.default_rng(2)
    for tid in ("000001", "000002"):
        write_audio(run / "test" / f"test-{tid}_output.wav", rng.standard_normal(32000) * 0.1, 16000)
    write_audio(run / "clean" / "clean-000001_output.wav", rng.standard_normal(8000) * 0.1, 16000)
    import soundfile as sf
    sf.write(str(run / "clean" / "clean-000003_output.wav"), rng.standard_normal((24000, 2)) * 0.1, 16000)
    (run / "clean" / "notes.txt").write_text("x")
    report = check_track2(run.parent, test_set)
    text = report.render()
    assert "test/test-000003_output.wav: missing output" in text
    assert "2 channels" in text and "notes.txt" in text
    assert "differs from the input's 1.50 s" in text
    assert not report.ok
    write_audio(run / "test" / "test-000003_output.wav", rng.standard_normal(32000) * 0.1, 16000)
    write_audio(run / "clean" / "clean-000003_output.wav", rng.standard_normal(24000) * 0.1, 16000)
    (run / "clean" / "notes.txt").unlink()
    result = pack_track2(run.parent, tmp_path / "HD-Track2.zip", test_set=test_set)
    assert result.check.ok, result.check.render()
    assert "HD-Track2/test/test-000003_output.wav" in result.members


def test_pack_never_drops_a_malformed_task3_line(example, tmp_path, capsys):
    """The line is packed byte for byte, so the check of the zip cannot say OK for a pack that lost it."""
    gold, sub = example
    t3 = sub / "en" / "HD-Track1-T3.jsonl"
    lines = t3.read_text(encoding="utf-8").splitlines()
    broken = lines[1][: len(lines[1]) // 2]
    t3.write_text("\n".join([lines[0], broken, '["not", "a dialogue"]']) + "\n", encoding="utf-8")
    out = tmp_path / "HD-Track1.zip"
    assert main(["submit", "pack", "track1", str(sub), "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "INVALID" in printed and "copied unchanged" in printed
    with zipfile.ZipFile(out) as z:
        packed = z.read("HD-Track1/en/HD-Track1-T3.jsonl").decode("utf-8").splitlines()
    assert len(packed) == 3 and packed[1] == broken
    assert main(["submit", "check", "track1", str(out)]) == 1
    assert "INVALID" in capsys.readouterr().out


def test_pack_track2_says_which_wavs_it_could_not_pack(tmp_path, capsys):
    run = tmp_path / "run" / "HD-Track2"
    rng = np.random.default_rng(3)
    write_audio(run / "test" / "test-000001_output.wav", rng.standard_normal(16000) * 0.1, 16000)
    write_audio(run / "test" / "test 000002_output.wav", rng.standard_normal(16000) * 0.1, 16000)  # misnamed
    write_audio(run / "clean" / "clean-000001_output.wav", rng.standard_normal(16000) * 0.1, 16000)
    (run / "test" / "test-000001_output.json").write_text("{}")  # a self-transcript: not an output, no failure
    assert main(["submit", "pack", "track2", str(run.parent), "--out", str(tmp_path / "HD-Track2.zip")]) == 1
    captured = capsys.readouterr()
    assert "test 000002_output.wav: a wav whose name is not an official output name; NOT packed" in captured.out
    assert "1 output file(s) could not be packed" in captured.err
    (run / "test" / "test 000002_output.wav").unlink()
    assert main(["submit", "pack", "track2", str(run.parent), "--out", str(tmp_path / "HD-Track2.zip")]) == 0
