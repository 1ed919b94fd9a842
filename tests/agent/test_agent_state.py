import json

import pytest

from humdial.agent.frames import DecisionFrame, TranscriptFrame
from humdial.agent.state import DuplexState as S
from humdial.agent.state import EventLog, IllegalTransition, StateMachine


def test_transitions_are_logged_with_reasons(tmp_path):
    log = EventLog()
    sm = StateMachine(log)
    sm.go(S.USER_SPEAKING, 0.5, "user speech onset (VAD)")
    sm.go(S.THINKING, 2.0, "end of user turn")
    sm.go(S.SPEAKING, 2.1, "reply to query")
    sm.go(S.PAUSED, 3.0, "barge-in")
    sm.go(S.SPEAKING, 3.6, "resume after false alarm: backchannel")
    states = log.of_type("state")
    assert [(e["from"], e["to"]) for e in states] == [
        ("LISTENING", "USER_SPEAKING"), ("USER_SPEAKING", "THINKING"), ("THINKING", "SPEAKING"),
        ("SPEAKING", "PAUSED"), ("PAUSED", "SPEAKING")]
    assert all(e["reason"] for e in states)
    assert states[-1]["t"] == 3.6
    path = tmp_path / "log.jsonl"
    log.write(path)
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert lines == log.events


def test_illegal_transition_raises():
    sm = StateMachine(EventLog())
    with pytest.raises(IllegalTransition):
        sm.go(S.SPEAKING, 0.1, "speaking without a turn")  # LISTENING -> SPEAKING is not allowed
    with pytest.raises(IllegalTransition):
        sm.go(S.PAUSED, 0.1, "nothing to pause")


def test_same_state_is_a_no_op():
    log = EventLog()
    sm = StateMachine(log)
    sm.go(S.LISTENING, 1.0, "nothing")
    assert log.events == []


def test_frames_describe_themselves():
    d = DecisionFrame(1.23456, "backchannel", "resume", "every word is an acknowledgement", {"text": "uh-huh"})
    assert d.as_event() == {"t": 1.2346, "type": "decision", "strategy": "backchannel", "decision": "resume",
                            "reason": "every word is an acknowledgement", "evidence": {"text": "uh-huh"}}
    t = TranscriptFrame(2.0, "hello", 1.0, 1.5, final=True).as_event()
    assert t["text"] == "hello" and t["audio"] == [1.0, 1.5] and t["final"] is True
