"""Hostile archives: each is refused with a message naming the problem, nothing written outside `dest`."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from humdial.errors import HumdialError, UnsafeArchiveError
from humdial.layouts.safe_zip import ZipLimits, open_folder_or_zip, safe_extract


def _zip(path: Path, members: list[tuple[str, bytes]], method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in members:
            z.writestr(name, data)
    return path


def _patch(path: Path, offset_from_name: str, fn) -> None:
    raw = bytearray(path.read_bytes())
    fn(raw, raw.index(offset_from_name.encode()))
    path.write_bytes(bytes(raw))


def _refused(path: Path, dest: Path, words: str, limits: ZipLimits = ZipLimits()) -> None:
    with pytest.raises(UnsafeArchiveError, match=words):
        safe_extract(path, dest, limits)
    outside = [p for p in dest.parent.rglob("*") if p != path and dest not in p.parents and p != dest]
    assert outside == []


def test_encrypted_member(tmp_path):
    z = _zip(tmp_path / "a.zip", [("a.wav", b"x" * 100)])
    raw = bytearray(z.read_bytes())
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):  # set the encryption flag in the local and central headers
        i = raw.index(sig)
        flag_at = i + (6 if sig == b"PK\x03\x04" else 8)
        raw[flag_at] |= 1
    z.write_bytes(bytes(raw))
    _refused(z, tmp_path / "out", "encrypted")


def test_unsupported_method(tmp_path):
    z = _zip(tmp_path / "a.zip", [("a.wav", b"x" * 100)], zipfile.ZIP_STORED)
    raw = bytearray(z.read_bytes())
    for sig, at in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        i = raw.index(sig)
        raw[i + at:i + at + 2] = struct.pack("<H", 99)
    z.write_bytes(bytes(raw))
    _refused(z, tmp_path / "out", "compression method 99")


def test_bad_crc(tmp_path):
    z = _zip(tmp_path / "a.zip", [("a.wav", b"hello world" * 10)], zipfile.ZIP_STORED)
    _patch(z, "hello world", lambda raw, i: raw.__setitem__(i, ord("j")))
    _refused(z, tmp_path / "out", "cannot be extracted")


def test_truncated_member(tmp_path):
    z = _zip(tmp_path / "a.zip", [("a.wav", bytes(range(256)) * 400)])
    raw = z.read_bytes()
    start = raw.index(b"a.wav") + 5
    z.write_bytes(raw[:start + 50] + raw[raw.index(b"PK\x01\x02"):])  # data cut, directory kept
    with pytest.raises(UnsafeArchiveError):
        safe_extract(z, tmp_path / "out")


@pytest.mark.parametrize("names, words", [
    ([".", "a"], "extraction folder itself"),
    (["./"], None),
    (["a", "a/b"], "clashes"),
    (["a/b", "a"], "clashes"),
    (["a", "a"], "clashes"),
    (["x" * 300], "over 255 bytes"),
    (["d/" * 2000 + "f"], "folders deep"),
])
def test_bad_names(tmp_path, names, words):
    z = tmp_path / "a.zip"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name we write on purpose
        _zip(z, [(n, b"data") for n in names])
    if words is None:  # a lone directory entry for "." is harmless: nothing is written
        assert safe_extract(z, tmp_path / "out") == []
        return
    _refused(z, tmp_path / "out", words)


def test_many_small_members_bomb(tmp_path):
    z = _zip(tmp_path / "bomb.zip", [(f"m{i}.wav", bytes(1 << 20)) for i in range(40)])
    assert z.stat().st_size < 1 << 20
    _refused(z, tmp_path / "out", "decompression bomb")


def test_extraction_never_deletes_user_files(tmp_path):
    run = tmp_path / "run"
    folder = run / "extracted-x"
    folder.mkdir(parents=True)
    (folder / "precious.txt").write_text("mine")
    z = _zip(folder / "x.zip", [("a.wav", b"data")])
    with pytest.raises(HumdialError, match="not made by humdial"):
        open_folder_or_zip(z, run)
    assert (folder / "precious.txt").read_text() == "mine" and z.is_file()
    other = _zip(tmp_path / "x.zip", [("b.wav", b"data")])
    with pytest.raises(HumdialError):
        open_folder_or_zip(other, run)
    assert (folder / "precious.txt").is_file()


def test_reextraction_replaces_its_own_folder(tmp_path):
    z = _zip(tmp_path / "x.zip", [("a.wav", b"data")])
    first = open_folder_or_zip(z, tmp_path / "run")
    (first / "stale.wav").write_bytes(b"old")
    again = open_folder_or_zip(z, tmp_path / "run")
    assert again == first and (again / "a.wav").is_file() and not (again / "stale.wav").exists()


def test_submit_check_track2_zip_needs_the_root_folder(tmp_path):
    import io

    import numpy as np
    import soundfile as sf

    from humdial.submit.track2 import check_track2

    buf = io.BytesIO()
    sf.write(buf, np.zeros(16000, np.float32), 16000, format="WAV")
    bare = _zip(tmp_path / "bare.zip", [("test/test-1_output.wav", buf.getvalue())])
    report = check_track2(bare)
    assert not report.ok and any("HD-Track2/ root" in str(p) for p in report.errors)
    rooted = _zip(tmp_path / "HD-Track2.zip", [("HD-Track2/test/test-1_output.wav", buf.getvalue())])
    assert not any("root folder" in str(p) for p in check_track2(rooted).errors)
