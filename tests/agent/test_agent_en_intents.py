"""English intents: a stop phrase that opens a new request is a topic switch (issue 14)."""

from __future__ import annotations

from humdial.agent.intent import Intent, classify


def test_never_mind_then_a_new_request_is_a_topic_switch():
    heard = "Never mind, different question. I'm looking for a book about history for my vacation. Any s"
    assert classify(heard, "en", True).intent == Intent.TOPIC_SWITCH
    assert classify("Sorry, before I forget, what time does the museum open?", "en", True).intent == \
        Intent.TOPIC_SWITCH


def test_a_short_stop_with_a_marker_stays_a_stop():
    assert classify("Never mind, forget that.", "en", True).intent == Intent.STOP
    assert classify("Okay, stop, please.", "en", True).intent == Intent.STOP
    assert classify("Hold on, stop there.", "en", True).intent == Intent.STOP


def test_chinese_keeps_stop_first():
    assert classify("算了，换个话题，今天天气怎么样？", "zh", True).intent == Intent.STOP
