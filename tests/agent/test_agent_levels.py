"""Level cues are relative to the session's own levels: noise floor and user level, not absolute dBFS."""

from __future__ import annotations

import numpy as np
import pytest

from humdial.agent.levels import MIN_FLOOR_FRAMES, LevelTracker, compensate
from humdial.agent.strategies import AddresseeStrategy, ThirdPartyStrategy
from humdial.audio.prosody import level_dbfs


def noise(n: int, rms: float, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal(n).astype(np.float32)
    return x * np.float32(rms / np.sqrt(np.mean(x ** 2)))


def tracker_with_floor(rms: float) -> LevelTracker:
    t = LevelTracker()
    for i in range(20):
        t.add_silence(noise(512, rms, seed=i))
    return t


def test_floor_needs_enough_silence_then_is_the_median_silent_level():
    t = LevelTracker()
    for i in range(MIN_FLOOR_FRAMES - 1):
        t.add_silence(noise(512, 0.001, seed=i))
    assert t.floor_db is None and t.above_floor(-20.0) is None
    t.add_silence(noise(512, 0.001, seed=99))
    assert t.floor_db == pytest.approx(-60.0, abs=0.1)


def test_compensation_removes_the_noise_power():
    assert compensate(-20.0, None) == -20.0
    assert compensate(-20.0, -120.0) == -20.0  # digital silence: nothing to remove
    assert compensate(-40.0, -60.0) == pytest.approx(-40.04, abs=0.01)
    assert compensate(-57.0, -60.0) == pytest.approx(-60.0, abs=0.05)  # 3 dB above = equal speech power
    assert compensate(-60.0, -60.0) < -60.0 + 0.5 - 9  # mostly noise stays finite, well below the floor


def test_a_quieter_talker_is_as_much_quieter_at_low_snr():
    """User at 3 dB SNR, a third party 5 dB quieter: measured on speech-plus-noise the drop shrinks below
    the 3 dB threshold; measured above the floor it stays about 5 dB, and the verdict matches the clean case."""
    rng_len = 16000
    for floor_rms in (0.0, 0.0175):
        t = tracker_with_floor(floor_rms) if floor_rms else LevelTracker()
        user = noise(rng_len, 0.025, seed=1) + noise(rng_len, floor_rms, seed=2)
        other = noise(rng_len, 0.025 * 10 ** (-5 / 20), seed=3) + noise(rng_len, floor_rms, seed=4)
        raw_drop = level_dbfs(user) - level_dbfs(other)
        drop = t.speech_level(level_dbfs(user)) - t.speech_level(level_dbfs(other))
        assert drop == pytest.approx(5.0, abs=0.6), (floor_rms, drop)
        if floor_rms:
            assert raw_drop < 3.0  # what a level without the floor removed would have said
        s = ThirdPartyStrategy()
        e = np.ones(8)
        s.enrol(e, t.speech_level(level_dbfs(user)))
        s.enrol(e, t.speech_level(level_dbfs(user)))
        other_voice = np.r_[np.ones(4), np.zeros(4)]  # similarity 0.71: below other_threshold, above distinct
        assert s.decide(other_voice, t.speech_level(level_dbfs(other))).decision == "other"


@pytest.mark.parametrize("gain_db", [-20.0, 0.0, 20.0])
def test_background_cue_before_enrolment_does_not_depend_on_gain(gain_db):
    """The same scene at any microphone gain: a far voice 4 dB above the floor is background, a close
    one 25 dB above it is the user."""
    g = 10 ** (gain_db / 20)
    t = tracker_with_floor(0.002 * g)
    far = level_dbfs(noise(16000, 0.002 * g * 10 ** (4 / 20), seed=5))
    near = level_dbfs(noise(16000, 0.002 * g * 10 ** (25 / 20), seed=6))
    s = AddresseeStrategy()
    assert s.decide("Tell me a joke", "en", None, None, t.above_floor(far)).decision == "others"
    assert s.decide("Tell me a joke", "en", None, None, t.above_floor(near)).decision == "agent"


def test_no_floor_no_background_cue():
    """Digital silence (no noise): level alone says nothing before the user's level is known."""
    t = LevelTracker()
    for _ in range(20):
        t.add_silence(np.zeros(512, np.float32))
    snr = t.above_floor(level_dbfs(noise(16000, 0.001)))
    assert snr is not None and snr > 50
    assert AddresseeStrategy().decide("Tell me a joke", "en", None, None, snr).decision == "agent"
