"""Stop / response latency rules and first-response delay on hand-made segments."""

from humdial.protocol.transcript import Transcript, Word
from humdial.audio.segments import Segment, merge_segments
from humdial.evaluate.track2 import timing
from humdial.evaluate.track2.delays import first_response
from humdial.protocol import track2 as registry
from humdial.protocol.annotation import SentenceAnnotation, SpeechSegment

S = Segment


def test_merge_uses_inclusive_gap():
    segs = [S(3.0, 4.0), S(0.0, 1.0), S(1.5, 2.0), S(4.5001, 5.0)]
    assert merge_segments(segs, 0.5) == [S(0.0, 2.0), S(3.0, 4.0), S(4.5001, 5.0)]  # gap == 0.5 merges
    assert merge_segments(segs, 0.6) == [S(0.0, 2.0), S(3.0, 5.0)]
    assert merge_segments(segs, 0.25) == sorted(segs)


def test_stop_intervals_count_every_overlap():
    user = [S(0.0, 2.0), S(5.0, 6.0)]
    model = [S(1.5, 3.0), S(4.0, 5.4)]
    assert timing.official_stop_intervals(user, model) == [(1.5, 2.0), (5.0, 5.4)]


def test_stop_intervals_deduplicate_by_end_keeping_shortest():
    # model segments sharing an end with the user segment give two overlaps ending at 2.0
    assert timing.official_stop_intervals([S(0.0, 2.0)], [S(0.5, 2.0), S(1.5, 2.0)]) == [(1.5, 2.0)]


def test_response_intervals_first_model_start_after_each_user_end():
    user = [S(0.0, 2.0), S(4.0, 5.0), S(5.2, 5.5)]
    model = [S(2.7, 4.5), S(6.0, 7.0)]
    # user 0 -> model 2.7; user 1 and 2 both -> 6.0: keep the later user end (5.5)
    assert timing.official_response_intervals(user, model) == [(2.0, 2.7), (5.5, 6.0)]


def test_no_model_start_after_user_end_is_skipped():
    assert timing.official_response_intervals([S(0, 3)], [S(1, 2)]) == []


def test_event_latencies():
    model = [S(1.0, 4.2), S(5.0, 6.0)]
    assert abs(timing.event_stop_latency(3.5, 4.0, model) - 0.7) < 1e-9
    assert timing.event_stop_latency(4.5, 4.8, model) == 0.0
    assert abs(timing.event_response_latency(4.0, model) - 1.0) < 1e-9
    assert timing.event_response_latency(6.5, model) is None


def _ann(*segs):
    return SentenceAnnotation(10.0, tuple(SpeechSegment(a, b, "") for a, b in segs))


def test_first_response_anchor_and_drops():
    out = Transcript.from_words([Word("hi", 3.0, 3.2)])
    fr = first_response(registry.unit("follow_up"), _ann((0, 2.5), (4, 5)), out)
    assert fr.anchor_end == 2.5 and abs(fr.diff - 0.5) < 1e-9 and fr.waited
    before = first_response(registry.unit("third_party", "before"), _ann((0, 1), (1.5, 3.0)), out)
    assert before.anchor_end == 3.0 and before.diff == 0.0
    assert before.official_delay(accepts_zero=False) is None and before.official_delay(accepts_zero=True) == 0.0
    assert before.waited is False
    silent = first_response(registry.unit("pause"), _ann((0, 2)), Transcript("", ()))
    assert silent.diff is None and silent.waited is None and silent.official_delay(True) is None
