"""Short-window decoding: window sizes, timestamp splitting, and equality with faster-whisper at 30 s."""

from __future__ import annotations

import numpy as np
import pytest

from humdial.asr.whisper import WhisperOptions, WhisperTranscriber
from humdial.asr.window import FULL_WINDOW_FRAMES, TAIL_S, split_at_timestamps, window_frames
from humdial.audio.io import from_array

RATE = 16000
TB = 50000  # a stand-in timestamp_begin token id


def test_windows_round_up_to_whole_steps_and_never_exceed_30_s():
    assert window_frames(130, 1.0, 100) == 200
    assert window_frames(200, 1.0, 100) == 200
    assert window_frames(1, 2.0, 100) == 200
    assert window_frames(2901, 2.0, 100) == FULL_WINDOW_FRAMES
    assert window_frames(1200, 30.0, 100) == FULL_WINDOW_FRAMES
    assert window_frames(130, 1.0, 100, tail_s=5.0) == 700  # 1.3 s + 5 s of padding, rounded up to whole seconds
    assert window_frames(2600, 1.0, 100, tail_s=5.0) == FULL_WINDOW_FRAMES


def test_consecutive_timestamps_split_segments_and_a_lone_final_one_ends_the_window():
    tokens = [TB + 0, 1, 2, TB + 50, TB + 60, 3, TB + 100]
    segments, seek, lone = split_at_timestamps(tokens, TB, seek=300, size=400, time_offset=3.0, precision=0.02, stride=2)
    assert lone and seek == 700
    assert [(s["start"], s["end"], s["tokens"]) for s in segments] == [
        (3.0, 4.0, [TB, 1, 2, TB + 50]), (4.2, 5.0, [TB + 60, 3, TB + 100])]


def test_an_unfinished_last_segment_is_dropped_and_the_next_window_starts_where_the_last_complete_one_ended():
    tokens = [TB + 0, 1, TB + 50, TB + 60, 2, 3]
    segments, seek, lone = split_at_timestamps(tokens, TB, seek=0, size=3000, time_offset=0.0, precision=0.02, stride=2)
    assert not lone and len(segments) == 1 and seek == 50 * 2  # the end of the last complete segment


def test_no_timestamp_pair_gives_one_segment_over_the_window():
    segments, seek, lone = split_at_timestamps([TB, 1, 2, TB + 40], TB, seek=0, size=250, time_offset=0.0,
                                               precision=0.02, stride=2)
    assert lone and seek == 250 and (segments[0]["start"], segments[0]["end"]) == (0.0, 0.8)
    segments, seek, _ = split_at_timestamps([1, 2], TB, seek=100, size=250, time_offset=1.0, precision=0.02, stride=2)
    assert seek == 350 and (segments[0]["start"], segments[0]["end"]) == (1.0, 3.5)


@pytest.mark.slow
def test_the_loop_at_30_s_reproduces_faster_whisper_and_short_windows_keep_the_words(speech):
    """window_s=30 runs our loop with faster-whisper's window: every word and time must equal
    WhisperModel.transcribe's (the loop, prompt, no-speech test and word timing are faithful); the default short
    window must find the same utterance at the same onset."""
    samples, _ = speech("Hello, I would like to book a table for two people tomorrow evening.", "en", "en-us+m3")
    audio = from_array(np.concatenate([np.zeros(RATE, np.float32), samples, np.zeros(RATE, np.float32)]), RATE)
    results = {}
    for window in (0.0, 30.0, WhisperOptions().window_s):
        t = WhisperTranscriber(None, WhisperOptions(language="en", window_s=window, regions=False, snap_to_speech=False))
        results[window] = t.transcribe(audio).words
    assert results[0.0] and results[30.0] == results[0.0]
    short = results[WhisperOptions().window_s]
    assert abs(short[0].start - results[0.0][0].start) <= 0.1
    heard = {w.text.strip(",.!?").lower() for w in short}
    assert len(heard & {"hello", "like", "book", "table", "two", "people", "tomorrow", "evening"}) >= 6


def test_window_and_features_are_part_of_the_cache_key():
    short, full = WhisperOptions(window_s=1.0).decoding(), WhisperOptions(window_s=0).decoding()
    assert short["window_s"] == {"step_s": 1.0, "tail_s": TAIL_S} and full["window_s"] == 0
    assert short["features"] == full["features"]
    assert short["features"].startswith("log-mel/")
    assert WhisperOptions(language=None, window_s=1.0).decoding()["window_s"] == 0  # auto-detect: the 30 s loop
