"""English end of turn: an unfinished opening waits out a mid-utterance pause of up to 2.5 s (issue 14)."""

from __future__ import annotations

from humdial.agent.strategies.end_of_turn import EndOfTurnStrategy


def test_english_waits_out_a_long_mid_utterance_pause_chinese_keeps_its_wait():
    s = EndOfTurnStrategy()
    c = s.config
    assert c.incomplete_silence_en_s >= 2.5 > c.incomplete_silence_s  # the generator's pauses reach 2.5 s
    opener = "I'm planning the family."  # a remark with no request: the rest of the query may follow
    assert s.completeness(opener, "en")[0] == "incomplete"
    assert s.decide(2.5, 1.5, opener, None, "en").decision == "wait"
    assert s.decide(c.incomplete_silence_en_s, 1.5, opener, None, "en").decision == "end"
    assert s.decide(c.incomplete_silence_s, 1.5, "我要给我弟弟", None, "zh").decision == "end"
    # a finished question is still answered quickly
    assert s.decide(c.complete_silence_s, 1.5, "How do I get to the museum?", None, "en").decision == "end"
