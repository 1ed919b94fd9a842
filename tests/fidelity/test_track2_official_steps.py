"""Known answers for Track 2 official steps (track2.md 2.1 D/E, 2.5, 3.1), written from the specification."""

import warnings

import numpy as np
import pytest

from humdial.audio.io import Audio
from humdial.scoring.track2_aggregate import unit_values
from humdial.evaluate.track2.transcripts import (cut_audio, cut_transcript, official_output_cut,
                                                 official_output_cut_times, ratecv_frames)
from humdial.protocol import track2 as registry
from humdial.protocol.transcript import Transcript, Word


def test_ratecv_frame_count_matches_audioop_when_available():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        audioop = pytest.importorskip("audioop")
    for out_rate in (16000, 22050, 24000, 44100, 48000):
        for n in (1, 2, 7, 100, 441, 13957, 33080):
            got, _ = audioop.ratecv(b"\0\0" * n, 2, 1, 11025, out_rate, None)
            assert ratecv_frames(n, 11025, out_rate) == len(got) // 2, (out_rate, n)


def test_official_sdao_output_cut_known_answer():
    # xmin 1.2345 s, xmax 2.5 s at 16 kHz: ms 1234..2500 -> 1266 ms -> int(11025 * 1.266) = 13957 frames at
    # 11,025 Hz -> floor(13956 * 640 / 441) + 1 = 20254 frames at 16 kHz; audio resumes at frame 40000 (2.5 s)
    silence, resume = official_output_cut_times(1.2345, 2.5, 16000)
    assert silence == pytest.approx(20254 / 16000) and resume == pytest.approx(2.5)
    rate = 16000
    samples = np.arange(4 * rate, dtype=np.float32) + 1.0  # every sample non-zero and unique
    audio = Audio(samples, rate, rate, 1, None)
    cut = official_output_cut(audio, 1.2345, 2.5)
    assert np.all(cut.samples[:20254] == 0) and cut.samples[20254] == samples[40000]
    exact = cut_audio(audio, 1.2345, (1.2345, 2.5))
    # exact: kept from frame 19744 (1234 ms), zeros over [19752, 40000), so frame 40000 lands at 20256
    assert exact.samples[20256] == samples[40000] and np.all(exact.samples[8:20256] == 0)
    assert exact.samples[7] == samples[19751]
    # official: the audio after the silence arrives 2 samples (0.125 ms) earlier than in the exact cut


def test_official_cut_on_a_precomputed_transcript_shifts_words_the_same_way():
    t = Transcript.from_words([Word("a", 0.5, 0.9), Word("b", 1.5, 1.8), Word("c", 3.0, 3.4)])
    silence, resume = official_output_cut_times(1.2345, 2.5, 16000)
    official = cut_transcript(t, 1.2345, 2.5, (silence, resume))
    exact = cut_transcript(t, 1.2345, 2.5)
    assert [w.text for w in official.words] == [w.text for w in exact.words] == ["c"]
    assert official.words[0].start - exact.words[0].start == pytest.approx(silence - (resume - 1.2345))


def _records(diffs):
    return [{"errors": [], "status": "ok", "model_speech_s": 1.0,
             "first_response": {"anchor_end": 1.0, "first_word_start": None if d is None else 1.0 + d, "diff": d}}
            for d in diffs]


def test_first_response_tests_compare_raw_values_and_means_keep_3dp():
    pause = registry.unit_by_key(next(u.key for sc in registry.scenarios() for u in sc.units
                                      if u.headline == "timestamp_rejection" and not u.delay_accepts_zero))
    values = unit_values(pause, _records([4e-7, -4e-7, 0.2, 0.3004]), None)
    official = values["official"]
    # 4e-7 > 0 counts (a 6-dp rounding would have made it 0 and dropped it); -4e-7 is an early start
    assert official["first_response_delay_n"] == 3
    assert official["first_response_delay"] == 0.167  # (0.0000004 + 0.2 + 0.3004) / 3 = 0.16680..., 3 dp half up
    assert official["headline"] == 0.75 and official["headline_n"] == 4
