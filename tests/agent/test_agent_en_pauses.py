"""End of turn at a quiet moment: an unfinished opening waits out a mid-utterance pause of up to 2.5 s (issue 14)."""

from __future__ import annotations

from humdial.agent.strategies.end_of_turn import EndOfTurnStrategy


def test_an_unfinished_turn_waits_out_a_long_mid_utterance_pause_in_both_languages():
    s = EndOfTurnStrategy()
    c = s.config
    assert c.incomplete_silence_s >= 2.5  # the generator's pauses reach 2.5 s
    opener = "I'm planning the family."  # a remark with no request: the rest of the query may follow
    assert s.completeness(opener, "en")[0] == "incomplete"
    assert s.decide(2.5, 1.5, opener, None, "en").decision == "wait"
    assert s.decide(c.incomplete_silence_s, 1.5, opener, None, "en").decision == "end"
    # Chinese: a short unfinished turn is an opener too ("让" was "让我想想，", seed 9595) ...
    for heard in ("我要给我弟弟", "让", "大"):
        assert s.decide(2.5, 1.0, heard, None, "zh").decision == "wait"
        assert s.decide(c.incomplete_silence_s, 1.0, heard, None, "zh").decision == "end"
    # ... but a long one is a query whose particle was lost, answered sooner
    assert s.decide(c.long_turn_silence_zh_s, 2.5, "我要给我弟弟买一个礼物", None, "zh").decision == "end"
    # a finished question is still answered quickly
    assert s.decide(c.complete_silence_s, 1.5, "How do I get to the museum?", None, "en").decision == "end"
