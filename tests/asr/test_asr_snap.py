"""Snapping ASR word edges to VAD speech runs."""

from __future__ import annotations

from humdial.asr.snap import snap_words
from humdial.protocol.transcript import Word
from humdial.audio.segments import Segment


def test_clamps_leading_and_trailing_silence():
    words = [Word("hello", 0.0, 1.2), Word("there", 1.2, 2.9)]
    out = snap_words(words, [Segment(0.7, 2.3)])
    assert out == [Word("hello", 0.7, 1.2), Word("there", 1.2, 2.3)]


def test_words_outside_speech_are_kept():
    words = [Word("um", 5.0, 5.3)]
    assert snap_words(words, [Segment(0.7, 2.3)]) == words
    assert snap_words(words, []) == words


def test_late_word_after_a_pause_moves_to_run_start_within_limit():
    words = [Word("stop", 0.5, 1.0), Word("I", 2.14, 2.24), Word("said", 2.24, 2.6)]
    speech = [Segment(0.5, 1.0), Segment(1.98, 2.6)]
    assert snap_words(words, speech)[1] == Word("I", 1.98, 2.24)
    # Beyond max_extend_s the gap may be an unheard word: leave it alone.
    assert snap_words(words, speech, max_extend_s=0.1)[1] == Word("I", 2.14, 2.24)


def test_early_end_before_a_pause_is_stretched_but_never_into_the_next_word():
    words = [Word("yes", 0.5, 0.8), Word("no", 1.0, 1.3)]
    out = snap_words(words, [Segment(0.5, 1.2)])
    assert out[0] == Word("yes", 0.5, 0.8)  # the next word starts inside the same run
    assert out[1] == Word("no", 1.0, 1.2)


def test_word_spanning_two_runs_keeps_the_hull():
    words = [Word("I", 1.1, 1.68)]
    out = snap_words(words, [Segment(0.77, 1.18), Segment(1.41, 2.81)])
    assert out == [Word("I", 1.1, 1.68)]


def test_word_laid_over_a_long_pause_keeps_the_side_holding_most_of_it():
    """Seen on an agent output that paused for a backchannel: "need" aligned over the 0.74 s pause."""
    speech = [Segment(4.3, 4.99), Segment(5.73, 7.4)]
    assert snap_words([Word("need", 4.9, 5.84)], speech) == [Word("need", 5.73, 5.84)]
    assert snap_words([Word("said", 4.5, 5.8)], speech) == [Word("said", 4.3, 4.99)]  # most of it before the pause (and it opens the run)
    assert snap_words([Word("need", 4.9, 5.84)], speech, split_gap_s=1.0) == [Word("need", 4.9, 5.84)]


def test_last_word_of_a_run_ending_early_reaches_the_run_end():
    assert snap_words([Word("yes", 0.5, 0.9)], [Segment(0.5, 1.1)]) == [Word("yes", 0.5, 1.1)]
    assert snap_words([Word("yes", 0.5, 0.7)], [Segment(0.5, 1.1)], max_extend_s=0.3) == [Word("yes", 0.5, 0.7)]
