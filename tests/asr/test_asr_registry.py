"""ASR spec parsing, per-language routing and the --asr command-line options."""

from __future__ import annotations

import argparse
import pickle

import pytest

from humdial.asr.cache import CachedTranscriber
from humdial.asr.precomputed import PrecomputedTranscriber
from humdial.asr.registry import (ZH_GAP_NOTE, AsrRouter, AsrSpec, add_asr_arguments, build, parse_routes,
                                  parse_spec, router_from_args)
from humdial.asr.whisper import WhisperTranscriber
from humdial.errors import HumdialError, MissingExtraError


@pytest.mark.parametrize("text, expected", [
    ("whisper", AsrSpec("whisper")),
    ("Whisper:/models/ct2", AsrSpec("whisper", "/models/ct2")),
    ("whisper:/m/ct2?beam=5&language=auto", AsrSpec("whisper", "/m/ct2", (("beam", "5"), ("language", "auto")))),
    ("paraformer:/models/paraformer?vad=/models/fsmn", AsrSpec("paraformer", "/models/paraformer", (("vad", "/models/fsmn"),))),
    ("parakeet:/models/x.nemo", AsrSpec("parakeet", "/models/x.nemo")),
    ("precomputed", AsrSpec("precomputed")),
    ("precomputed:/dir", AsrSpec("precomputed", "/dir")),
    ("whisper?snap=off", AsrSpec("whisper", None, (("snap", "off"),))),
])
def test_parse_spec(text, expected):
    assert parse_spec(text) == expected


def test_spec_round_trips_through_str():
    for text in ("whisper", "paraformer:/models/p?vad=/models/v", "precomputed:/dir"):
        assert str(parse_spec(text)) == text


@pytest.mark.parametrize("text, reason", [
    ("tiny.en", "unknown ASR backend"),
    ("openai-whisper:/x", "unknown ASR backend"),
    ("whisper?beam", "not KEY=VALUE"),
])
def test_bad_specs(text, reason):
    with pytest.raises(HumdialError, match=reason):
        parse_spec(text)


def test_routes_defaults_overrides_and_bare_specs():
    assert parse_routes(None) == {"en": AsrSpec("whisper"), "zh": AsrSpec("whisper")}
    routes = parse_routes(["zh=paraformer:/models/p", "English=parakeet:/m.nemo"])
    assert routes == {"en": AsrSpec("parakeet", "/m.nemo"), "zh": AsrSpec("paraformer", "/models/p")}
    assert parse_routes(["precomputed:/t"]) == {"en": AsrSpec("precomputed", "/t"), "zh": AsrSpec("precomputed", "/t")}
    assert parse_routes(["precomputed", "en=whisper"])["en"] == AsrSpec("whisper")
    with pytest.raises(HumdialError, match="unknown language"):
        parse_routes(["fr=whisper"])


def test_unknown_settings_and_bad_values(tmp_path):
    with pytest.raises(HumdialError, match="unknown whisper setting"):
        build(parse_spec("whisper?beams=5"))
    with pytest.raises(HumdialError, match="must be an integer"):
        build(parse_spec("whisper?beam=five"))
    with pytest.raises(HumdialError, match="true or false"):
        build(parse_spec("whisper?snap=maybe"))
    with pytest.raises(HumdialError, match="unknown precomputed setting"):
        build(parse_spec(f"precomputed:{tmp_path}?x=1"))
    with pytest.raises(HumdialError, match="seconds or off"):
        build(parse_spec("whisper?window=wide"))
    with pytest.raises(HumdialError, match="between 0 and 30"):
        build(parse_spec("whisper?window=45"))


def test_build_whisper_settings():
    asr = build(parse_spec("whisper?beam=3&snap=off&threads=1"), "en")
    assert isinstance(asr, WhisperTranscriber)
    assert (asr.options.beam_size, asr.options.snap_to_speech, asr.options.threads) == (3, False, 1)
    assert build(parse_spec("whisper?window=off"), "en").options.window_s == 0.0
    assert build(parse_spec("whisper?window=4"), "en").options.short_window


def test_default_router_transcribes_both_languages_with_bundled_whisper(tmp_path):
    from humdial.asr.cache import TranscriptCache

    router = AsrRouter(parse_routes(None), cache=TranscriptCache(tmp_path))
    assert isinstance(router.for_language("english"), CachedTranscriber)
    assert isinstance(router.for_language("en").inner, WhisperTranscriber)
    zh = router.for_language("zh").inner
    assert isinstance(zh, WhisperTranscriber) and "whisper-base" in zh.model_id and zh.options.language == "zh"
    info = router.describe()
    assert info["routes"]["zh"]["spec"] == "whisper" and info["routes"]["en"]["spec"] == "whisper"
    assert info["routes"]["zh"]["options"]["postprocess"].startswith("zh:")
    assert "postprocess" not in info["routes"]["en"]["options"]
    assert info["notes"] == []
    assert pickle.loads(pickle.dumps(router.for_language("en"))).describe() == router.for_language("en").describe()


def test_precomputed_chinese_is_flagged_and_never_cached(tmp_path):
    from humdial.asr.cache import TranscriptCache

    router = AsrRouter(parse_routes(["zh=precomputed"]), cache=TranscriptCache(tmp_path))
    assert isinstance(router.for_language("zh"), PrecomputedTranscriber)
    assert router.notes() == [ZH_GAP_NOTE] and "precomputed" in ZH_GAP_NOTE


def test_router_without_precomputed_chinese_has_no_gap_note():
    router = AsrRouter({"en": AsrSpec("precomputed")})
    assert router.notes() == []
    with pytest.raises(HumdialError, match="no ASR route"):
        router.for_language("zh")


def test_router_errors_surface_at_construction(tmp_path):
    with pytest.raises(HumdialError, match="English-only"):
        AsrRouter(parse_routes(["whisper:tiny.en"]))  # routes zh to the English-only model too
    with pytest.raises(HumdialError, match="does not exist"):
        AsrRouter(parse_routes(["zh=paraformer:/nonexistent/p"]))
    model = tmp_path / "paraformer"
    model.mkdir()
    import importlib.util

    if importlib.util.find_spec("funasr") is None:
        with pytest.raises(MissingExtraError, match="paraformer"):
            AsrRouter(parse_routes([f"zh=paraformer:{model}"]))


def test_argparse_helper(tmp_path):
    parser = argparse.ArgumentParser()
    add_asr_arguments(parser)
    args = parser.parse_args(["--asr", f"zh=precomputed:{tmp_path}", "--asr-threads", "1",
                              "--asr-cache", str(tmp_path / "cache")])
    router = router_from_args(args)
    assert router.routes["zh"] == AsrSpec("precomputed", str(tmp_path))
    assert router.for_language("en").inner.options.threads == 1
    assert router.describe()["cache"] == str(tmp_path / "cache")
    assert router.notes() == [ZH_GAP_NOTE]

    off = router_from_args(parser.parse_args(["--no-asr-cache"]), default_cache=tmp_path / "unused")
    assert off.cache is None and isinstance(off.for_language("en"), WhisperTranscriber)
    run_default = router_from_args(parser.parse_args([]), default_cache=tmp_path / "run-cache")
    assert run_default.describe()["cache"] == str(tmp_path / "run-cache")
