"""English partials: whisper's repetition loop is cut before the end of turn reads the transcript (issue 14)."""

from __future__ import annotations

from humdial.agent.lexicon import cut_repetition
from humdial.agent.strategies.end_of_turn import EndOfTurnStrategy

LOOP = "I need a birthday present for my partner and I need a birthday present for my partner and I need a"


def test_a_repetition_loop_is_cut_and_its_lead_in_connective_dropped():
    assert cut_repetition(LOOP, "en") == "I need a birthday present for my partner"
    assert cut_repetition("Can you help me the printer won't charge? Can you help me the printer won", "en") == \
        "Can you help me the printer won't charge?"
    assert cut_repetition("Where can I buy that? Where can I buy that?", "en") == "Where can I buy that?"
    for text in ("How do I get to the station?", "I want a red one, not a red two.", "", "yes yes yes yes"):
        assert cut_repetition(text, "en") == text
    assert cut_repetition("对对对对对对对对", "zh") == "对对对对对对对对"


def test_the_cut_turns_a_two_and_a_half_second_wait_into_a_short_one():
    s = EndOfTurnStrategy()
    assert s.completeness(LOOP, "en")[0] == "incomplete"  # ends on "a": 2.6 s
    state = s.completeness(cut_repetition(LOOP, "en"), "en")[0]
    assert state in ("unpunctuated", "statement")  # 'I need': a request, answered after <= 1 s of silence
    assert s.decide(1.0, 3.0, cut_repetition(LOOP, "en"), None, "en").decision == "end"
