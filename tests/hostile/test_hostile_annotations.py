"""Hostile annotations: each becomes a counted annotation_error for its sample, never a traceback."""

from __future__ import annotations

import json

import pytest

from humdial.cli import main
from humdial.errors import AnnotationError
from humdial.protocol.annotation import load_annotation

SEG = '{"final_duration": 4.0, "speech_segments": [{"xmin": %s, "xmax": 1.5}]}'
HOSTILE = {
    "huge_int": SEG % ("9" * 400),
    "infinity": SEG % "Infinity",
    "nan": SEG % "NaN",
    "e308": SEG % "1e308",
    "e30": SEG % "1e30",
    "negative": SEG % "-1",
    "bool": SEG % "true",
    "list": SEG % "[1]",
    "deep": "[" * 100_000 + "]" * 100_000,
    "deep_object": '{"speech_segments": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "segment_not_object": '{"speech_segments": [1, 2]}',
    "duration_inf": '{"final_duration": Infinity, "speech_segments": []}',
    "not_utf8": b"\xff\xfe{",
    "digits_5000": SEG % ("1" * 5000),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_loader_raises_annotation_error(tmp_path, name):
    path = tmp_path / "a_sentence.json"
    text = HOSTILE[name]
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(AnnotationError):
        load_annotation(path)


def test_folder_named_like_an_annotation(tmp_path):
    (tmp_path / "a_sentence.json").mkdir()
    with pytest.raises(AnnotationError, match="not a regular file"):
        load_annotation(tmp_path / "a_sentence.json")


def test_eval_counts_each_bad_annotation(pause_set, tmp_path, capsys):
    folder = pause_set / "en" / "Pause_Handling"
    (folder / "0002_0001_sentence.json").write_text(HOSTILE["huge_int"])
    (folder / "0002_0002_sentence.json").write_text(HOSTILE["deep"])
    rc = main(["eval", "track2", "--data", str(pause_set), "--out", str(tmp_path / "run"), "--lang", "en",
               "--quiet", "--asr", "en=precomputed", "--judge", "none"])
    assert rc == 1
    res = json.loads((tmp_path / "run" / "track2_results.json").read_text())
    assert res["counts"]["errors_by_kind"].get("annotation_error") == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("stamp", [[1e30, 1e30 + 1], ["Infinity", 1e400], [-1, 0.5], [2, 1]])
def test_impossible_word_times_are_transcript_errors(pause_set, tmp_path, stamp):
    out = pause_set / "en" / "Pause_Handling" / "0002_0001_output.json"
    out.write_text(json.dumps({"text": "hi", "chunks": [{"text": "hi", "timestamp": stamp}]}))
    rc = main(["eval", "track2", "--data", str(pause_set), "--out", str(tmp_path / "run"), "--lang", "en",
               "--quiet", "--asr", "en=precomputed", "--judge", "none"])
    assert rc == 1
    res = json.loads((tmp_path / "run" / "track2_results.json").read_text())
    assert res["counts"]["errors_by_kind"] == {"transcript_error": 1}
