"""English end of turn: a question over the agent's reply that ends on 'that' is finished (issue 14)."""

from __future__ import annotations

from humdial.agent.strategies.end_of_turn import EndOfTurnStrategy


def test_a_follow_up_ending_on_that_is_answered_quickly():
    s = EndOfTurnStrategy()
    c = s.config
    assert s.completeness("Where can I buy that?", "en", interrupting=True)[0] == "complete"
    assert s.completeness("Are there any good apps for this?", "en", interrupting=True)[0] == "complete"
    assert s.decide(c.complete_silence_s, 1.2, "Where can I buy that?", None, "en", interrupting=True).decision == "end"


def test_other_cut_off_endings_still_wait():
    s = EndOfTurnStrategy()
    assert s.completeness("Where can I buy that", "en", interrupting=True)[0] == "incomplete"  # no question mark
    assert s.completeness("Can you recommend a book for the?", "en", interrupting=True)[0] == "incomplete"
    # at a quiet moment (a first query may pause mid-sentence) 'that?' still waits
    assert s.completeness("Can you recommend a book that?", "en")[0] == "incomplete"
