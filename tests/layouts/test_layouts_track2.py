"""Layout readers (dev, test + pairing, submission) and safe zip extraction."""

import json
import os
import stat
import zipfile

import numpy as np
import pytest

from humdial.audio.io import write_audio
from humdial.errors import HumdialError, UnsafeArchiveError
from humdial.layouts.safe_zip import ZipLimits, open_folder_or_zip, safe_extract
from humdial.layouts.track2 import read_track2
from humdial.protocol import track2 as registry


def _touch_wav(path, seconds=0.5):
    write_audio(path, np.zeros(int(16000 * seconds), np.float32), 16000)


def test_registry_aliases():
    assert registry.resolve("ask") == ("follow_up", "")
    assert registry.resolve("Speech_Directe_at_Others") == ("speech_to_others", "")
    assert registry.resolve("Third-party_Speech_before") == ("third_party", "before")
    assert registry.unit("others_talk_to_user", "after").stem_suffix == "_add"
    assert [s.internal_alias for s in registry.scenarios()] == [
        "ask", "deny", "repeat", "shift", "wait", "backchannel", "pause", "others_talk_to_user", "talk_to_others"]
    assert len(registry.units()) == 10
    with pytest.raises(HumdialError):
        registry.resolve("no_such_scenario")
    with pytest.raises(HumdialError):
        registry.unit("third_party")


def test_dev_reader(tmp_path):
    d = tmp_path / "en" / "Follow-up_Questions"
    _touch_wav(d / "0001_0001.wav")
    _touch_wav(d / "clean_0001_0001.wav")
    _touch_wav(d / "0001_0001_output.wav")
    (d / "0001_0001_sentence.json").write_text("{}")
    _touch_wav(d / "0001_0002.wav")  # no clean input: flagged
    tp = tmp_path / "zh" / "Third-party_Speech"
    _touch_wav(tp / "0002_0001_add.wav")
    _touch_wav(tp / "0002_0002_before.wav")
    _touch_wav(tp / "0002_0003.wav")  # cannot tell after/before
    (tmp_path / "fr").mkdir()
    (tmp_path / "en" / "Mystery").mkdir()
    ds = read_track2(tmp_path)
    assert ds.layout == "dev"
    ids = {s.sample_id: s for s in ds.samples}
    assert set(ids) == {"en/follow_up/0001_0001", "en/follow_up/0001_0002",
                        "zh/third_party.after/0002_0001_add", "zh/third_party.before/0002_0002_before"}
    s = ids["en/follow_up/0001_0001"]
    assert s.output_wav.name == "0001_0001_output.wav" and s.clean_output_wav.name == "clean_0001_0001_output.wav"
    assert ids["en/follow_up/0001_0002"].problems
    assert ids["zh/third_party.before/0002_0002_before"].clean_wav is None
    reasons = " ".join(p["reason"] for p in ds.problems)
    assert "_add or _before" in reasons and "not a language folder" in reasons and "unknown scenario" in reasons
    assert [s.sample_id for s in read_track2(tmp_path, langs=["zh"]).samples] == [
        "zh/third_party.after/0002_0001_add", "zh/third_party.before/0002_0002_before"]


def test_test_layout_with_pairing_and_submission(tmp_path):
    data = tmp_path / "test"
    lines = [{"id": "000001", "lang": "en", "scenario": "ask", "annotation": "annotations/test-000001_sentence.json",
              "clean_id": "000007"},
             {"id": "000002", "lang": "zh", "scenario": "third_party", "variant": "before", "clean_id": None},
             "not json", {"id": "000003", "lang": "xx", "scenario": "pause"},
             {"id": "000001", "lang": "en", "scenario": "ask"}]
    data.mkdir()
    (data / "pairing.jsonl").write_text("\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines))
    for name in ("test-000001", "test-000002", "test-000009", "clean-000007"):
        _touch_wav(data / f"{name}.wav")
    sub = tmp_path / "sub" / "HD-Track2"
    _touch_wav(sub / "test" / "test-000001_output.wav")
    ds = read_track2(data, tmp_path / "sub")
    assert ds.layout == "test"
    assert [s.sample_id for s in ds.samples] == ["test-000001", "test-000002"]
    first = ds.samples[0]
    assert first.output_wav == sub / "test" / "test-000001_output.wav"
    assert first.clean_output_wav == sub / "clean" / "clean-000007_output.wav"
    assert ds.samples[1].unit_key == "third_party.before"
    assert len(ds.problems) == 4  # bad json, bad lang, duplicate, unpaired test-000009


def _zip(path, members):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)


@pytest.mark.parametrize("name", ["../evil.wav", "/abs/evil.wav", "a/../../evil.wav", "C:/evil.wav", "..\\evil.wav"])
def test_zip_refuses_traversal_and_absolute(tmp_path, name):
    z = tmp_path / "x.zip"
    _zip(z, [("HD-Track2/test/ok.wav", b"x"), (name, b"evil")])
    with pytest.raises(UnsafeArchiveError):
        safe_extract(z, tmp_path / "out")
    assert not (tmp_path / "evil.wav").exists()


def test_zip_refuses_symlink(tmp_path):
    z = tmp_path / "x.zip"
    with zipfile.ZipFile(z, "w") as zf:
        info = zipfile.ZipInfo("HD-Track2/link.wav")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeArchiveError, match="symbolic link"):
        safe_extract(z, tmp_path / "out")


def test_zip_refuses_bomb(tmp_path):
    z = tmp_path / "bomb.zip"
    _zip(z, [("HD-Track2/test/big.wav", b"\0" * (8 * 1024**2))])
    with pytest.raises(UnsafeArchiveError, match="bomb"):
        safe_extract(z, tmp_path / "out")
    with pytest.raises(UnsafeArchiveError, match="bomb"):
        safe_extract(z, tmp_path / "out2", ZipLimits(max_total_bytes=1024, max_ratio=1e9))


def test_zip_extracts_good_archive_and_folder_passthrough(tmp_path):
    z = tmp_path / "HD-Track2.zip"
    _zip(z, [("HD-Track2/test/test-000001_output.wav", os.urandom(2000))])
    folder = open_folder_or_zip(z, tmp_path / "run")
    assert (folder / "HD-Track2" / "test" / "test-000001_output.wav").stat().st_size == 2000
    assert open_folder_or_zip(tmp_path, tmp_path / "run") == tmp_path
    bad = tmp_path / "not.zip"
    bad.write_text("hello")
    with pytest.raises(HumdialError):
        open_folder_or_zip(bad, tmp_path / "run")
