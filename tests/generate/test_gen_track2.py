"""Track 2 generation: determinism, annotation/audio agreement (silero VAD), clean inputs, layouts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from humdial.audio.io import load_audio
from humdial.audio.vad import speech_segments
from humdial.generate.driver import generate_track2
from humdial.generate.track2.script import BREAK, UNIT_KEYS
from humdial.layouts.track2 import read_dev, read_manifest, read_test
from humdial.protocol import track2 as registry
from humdial.protocol.annotation import load_annotation

ONSET_TOLERANCE_S = 0.1


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def dev(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dev_a")
    summary = generate_track2(out, ["en", "zh"], n=1, seed=1, layout="dev", jobs=1, quiet=True)
    assert summary.errors == [] and summary.written == 20
    return out


@pytest.fixture(scope="module")
def manifest(dev) -> list[dict]:
    return [json.loads(line) for line in (dev / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def test_same_seed_same_bytes_regardless_of_jobs(dev, tmp_path):
    again = tmp_path / "again"
    generate_track2(again, ["en", "zh"], n=1, seed=1, layout="dev", jobs=2, quiet=True)
    assert _files(again) == _files(dev)


def test_different_seed_different_items(manifest, tmp_path):
    other = tmp_path / "other"
    generate_track2(other, ["en"], n=1, seed=2, layout="dev", jobs=1, quiet=True)
    theirs = [json.loads(x) for x in (other / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    ours = {(r["unit"], tuple(r["texts"])) for r in manifest if r["lang"] == "en"}
    assert len(theirs) == 10
    assert sum((r["unit"], tuple(r["texts"])) not in ours for r in theirs) >= 8


def test_every_unit_and_language_is_written(manifest):
    assert sorted((r["lang"], r["unit"]) for r in manifest) == sorted(
        (lang, unit) for lang in ("en", "zh") for unit in UNIT_KEYS)
    assert all(r["timing"]["vad_onset_ok"] for r in manifest)


def test_vad_onsets_match_annotation(dev, manifest):
    """Each placed utterance starts, for silero VAD, within 0.1 s of its written xmin."""
    for rec in manifest:
        wav = dev / rec["files"]["wav"]
        ann = load_annotation(dev / rec["files"]["annotation"])
        onsets = [s.start for s in speech_segments(load_audio(wav))]
        for k, seg in enumerate(ann.segments):
            error = min(abs(o - seg.xmin) for o in onsets)
            assert error <= ONSET_TOLERANCE_S, f"{rec['sample_id']} segment {k} ({seg.text!r}): off by {error:.3f} s"


def test_segment_conventions(dev, manifest):
    for rec in manifest:
        ann = load_annotation(dev / rec["files"]["annotation"])
        kinds = [p["kind"] for p in rec["parts"]]
        roles = [p["role"] for p in rec["parts"]]
        unit = rec["unit"]
        assert ann.final_duration >= ann.segments[-1].xmax + 4.0  # room for an answer after the last speech
        assert all(a.xmax < b.xmin for a, b in zip(ann.segments, ann.segments[1:]))
        if registry.unit_by_key(unit).category == "interruption":
            assert kinds == ["query", "interruption"]
            gap = ann.segments[1].xmin - ann.segments[0].xmax
            assert 1.5 <= gap <= 4.0
        elif unit == "backchannel":
            assert kinds[0] == "query" and set(kinds[1:]) == {"backchannel"} and len(kinds) >= 2
        elif unit == "pause":
            assert len(ann.segments) == 1 and BREAK in ann.segments[0].text
            assert ann.segments[0].xmax - ann.segments[0].xmin > 2.0
        elif unit == "third_party.after":
            assert roles == ["user", "third_party"] and rec["files"]["wav"].endswith("_add.wav")
        elif unit == "third_party.before":
            assert roles == ["third_party", "user"] and rec["files"]["wav"].endswith("_before.wav")
        elif unit == "speech_to_others":
            assert kinds == ["query", "query2", "aside"]


def test_third_party_is_quieter_than_user(dev, manifest):
    for rec in manifest:
        if rec["unit"].startswith("third_party"):
            pcm, _ = sf.read(dev / rec["files"]["wav"], dtype="float32")
            ann = load_annotation(dev / rec["files"]["annotation"])
            rms = [float(np.sqrt(np.mean(pcm[int(s.xmin * 16000):int(s.xmax * 16000)] ** 2))) for s in ann.segments]
            user, third = (rms[0], rms[1]) if rec["unit"].endswith("after") else (rms[1], rms[0])
            assert third < user


def test_clean_inputs(dev, manifest):
    for rec in manifest:
        unit = registry.unit_by_key(rec["unit"])
        assert ("clean_wav" in rec["files"]) == unit.needs_clean
        if not unit.needs_clean:
            continue
        noisy, rate = sf.read(dev / rec["files"]["wav"], dtype="int16")
        clean, _ = sf.read(dev / rec["files"]["clean_wav"], dtype="int16")
        assert rate == 16000 and len(clean) == len(noisy)
        ann = load_annotation(dev / rec["files"]["annotation"])
        spans = [(round(s.xmin * rate), round(s.xmax * rate)) for s in ann.segments]
        if rec["unit"] == "speech_to_others":
            lo, hi = spans[2]
            assert not clean[lo:hi].any()
            assert np.array_equal(clean[:lo], noisy[:lo]) and np.array_equal(clean[hi:], noisy[hi:])
        else:
            lo, hi = spans[0]
            assert np.array_equal(clean[lo:hi], noisy[lo:hi])
            assert not clean[:lo].any() and not clean[hi:].any()


def test_transcripts_cover_the_spoken_words(dev, manifest):
    for rec in manifest:
        words = json.loads((dev / rec["files"]["transcript"]).read_text(encoding="utf-8"))["chunks"]
        ann = load_annotation(dev / rec["files"]["annotation"])
        assert words and all(c["timestamp"][0] <= c["timestamp"][1] for c in words)
        assert abs(words[0]["timestamp"][0] - ann.segments[0].xmin) < 0.05
        if "clean_transcript" in rec["files"]:
            clean = json.loads((dev / rec["files"]["clean_transcript"]).read_text(encoding="utf-8"))["chunks"]
            assert 0 < len(clean) < len(words)


def test_dev_layout_reads_back(dev):
    data = read_dev(dev)
    assert len(data.samples) == 20 and not data.problems
    assert all(not s.problems for s in data.samples)


def test_manifest_ids_are_the_ids_evaluation_uses(dev):
    """One sample-id rule: the generator's manifest joins the reader's (and so the results') samples."""
    assert set(read_manifest(dev)) == {s.sample_id for s in read_dev(dev).samples}
    assert not any("Follow-up_Questions" in sid for sid in read_manifest(dev))


def test_test_layout_and_pairing(tmp_path):
    out = tmp_path / "test"
    generate_track2(out, ["en"], n=1, seed=3, layout="test", jobs=1, quiet=True)
    lines = [json.loads(x) for x in (out / "pairing.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == [f"{i:06d}" for i in range(1, 11)]
    with_clean = [x for x in lines if x["clean_id"]]
    assert len(with_clean) == 8  # all but pause and third-party before
    assert {x["clean_id"] for x in with_clean} == {f"{i:06d}" for i in range(1, 9)}
    for x in lines:
        assert (out / f"test-{x['id']}.wav").exists() and (out / x["annotation"]).exists()
        if x["clean_id"]:
            assert (out / f"clean-{x['clean_id']}.wav").exists()
    data = read_test(out)
    assert len(data.samples) == 10 and not data.problems and all(not s.problems for s in data.samples)
    assert set(read_manifest(out)) == {s.sample_id for s in data.samples}
