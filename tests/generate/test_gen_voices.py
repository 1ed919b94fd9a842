"""Voices, rooms and spread conditions of the Track 2 generator (generate/voices.py, rooms.py, tts/piper.py)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from humdial.audio.io import load_audio
from humdial.audio.vad import speech_segments
from humdial.errors import HumdialError
from humdial.generate.driver import render_track2_chunk
from humdial.generate.rooms import draw_room
from humdial.generate.track2.plan import plan_dev
from humdial.generate.voices import ENGINES, VoiceOptions, pick_voices
from humdial.protocol.annotation import load_annotation
from humdial.tts import piper

needs_piper = pytest.mark.skipif(not piper.available(), reason="optional extra humdial[voices] not installed")


def test_voice_options_validate_and_default_is_plain():
    assert VoiceOptions().plain and not VoiceOptions(rooms=True).plain
    with pytest.raises(HumdialError):
        VoiceOptions(engines="festival")


@pytest.mark.parametrize("engines", ENGINES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_user_and_third_party_voices_differ(engines, lang):
    rng = random.Random(0)
    pairs = [pick_voices(lang, VoiceOptions(engines=engines), rng) for _ in range(40)]
    assert all(u != o for u, o in pairs)
    piper_used = any(v.startswith("piper:") for pair in pairs for v in pair)
    assert piper_used == (lang == "en" and engines != "espeak")


def test_room_keeps_onset_and_far_talker_is_more_reverberant():
    room = draw_room(random.Random(3), ["user", "third_party"])
    dry = np.zeros(8000)
    dry[0] = 1.0
    for role in ("user", "third_party"):
        wet = room.apply(dry, role)
        assert int(np.argmax(np.abs(wet))) <= 1  # direct path stays at the onset
    late = {role: float(np.sum(room.apply(dry, role)[160:] ** 2)) for role in ("user", "third_party")}
    assert late["third_party"] > late["user"]  # same direct path, more reverberant energy when far
    again = draw_room(random.Random(3), ["user", "third_party"])
    assert all(np.array_equal(room.rirs[k], again.rirs[k]) for k in room.rirs)


@needs_piper
def test_piper_is_deterministic_and_trimmed():
    tts = piper.PiperSynthesizer()
    a = tts.synthesize("Could you tell me the weather tomorrow?", "en", voice="piper:joe-low")
    b = tts.synthesize("Could you tell me the weather tomorrow?", "en", voice="piper:joe-low")
    assert np.array_equal(a.samples, b.samples) and a.duration > 1.0
    assert np.max(np.abs(a.samples[:110])) > 10 ** (-50 / 20)  # starts sounding in its first 5 ms frame
    assert [w.text for w in a.words][:2] == ["Could", "you"] and a.words[-1].end <= a.duration + 1e-6
    slow = tts.synthesize("Could you tell me the weather tomorrow?", "en", voice="piper:joe-low", rate=0.8)
    assert slow.duration > a.duration * 1.04  # the duration model responds sublinearly (0.7 -> +24 %)
    with pytest.raises(HumdialError):
        tts.synthesize("你好", "zh")


def _render(out: Path, options: VoiceOptions, units: set[str]) -> list[dict]:
    jobs = [j for j in plan_dev(out, ["en"], 1, 5, voices=options) if j.unit in units]
    return render_track2_chunk(jobs)


@needs_piper
def test_piper_rooms_spread_samples_are_reproducible_and_onsets_agree(tmp_path):
    options = VoiceOptions(engines="piper", rooms=True, spread=True)
    units = {"third_party.after", "backchannel", "stop"}
    records = _render(tmp_path / "a", options, units)
    again = _render(tmp_path / "b", options, units)
    assert all("error" not in r for r in records), records
    for r, s in zip(records, again):
        a_bytes = (tmp_path / "a" / r["files"]["wav"]).read_bytes()
        assert a_bytes == (tmp_path / "b" / s["files"]["wav"]).read_bytes()
        assert r["voices"] == options.describe() and "room" in r["timing"] and r["snr_db"] is not None
        assert all(p["voice"].startswith("piper:") for p in r["parts"])
        assert r["timing"]["vad_onset_ok"]
        onsets = [seg.start for seg in speech_segments(load_audio(tmp_path / "a" / r["files"]["wav"]))]
        for seg in load_annotation(tmp_path / "a" / r["files"]["annotation"]).segments:
            assert min(abs(o - seg.xmin) for o in onsets) <= 0.15
    third = next(r for r in records if r["unit"] == "third_party.after")
    assert third["parts"][0]["voice"] != third["parts"][1]["voice"]
    json.dumps(records)  # manifest records stay JSON


def test_mix_check_flags_a_segment_without_vad_onset_and_skips_close_followers():
    from humdial.generate.speech import OUTPUT_RATE, set_level, speak
    from humdial.audio.io import to_pcm16
    from humdial.generate.track2.render import mix_errors
    from humdial.protocol.annotation import SpeechSegment
    from humdial.tts.espeak import EspeakSynthesizer

    clip = set_level(speak(EspeakSynthesizer(), "Could you tell me a story?", "en", "en-us+m3").samples, -22.0)
    mix = np.zeros(5 * OUTPUT_RATE, dtype=np.float32)
    mix[OUTPUT_RATE:OUTPUT_RATE + len(clip)] = clip
    end = 1.0 + len(clip) / OUTPUT_RATE
    spoken = SpeechSegment(xmin=1.0, xmax=end, text="story")
    close = SpeechSegment(xmin=end + 0.2, xmax=end + 0.4, text="follows 0.2 s later: not checked")
    phantom = SpeechSegment(xmin=4.5, xmax=4.9, text="nothing is said here")
    errors = mix_errors(to_pcm16(mix), (spoken, close, phantom))
    assert len(errors) == 2 and errors[0] <= 0.1 and errors[1] > 0.15
