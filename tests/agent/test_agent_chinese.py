"""Chinese understanding of the agent: lexicon, intents, end of turn, piecewise partials (no model needed)."""

from __future__ import annotations

import numpy as np
import pytest

from humdial.agent import lexicon
from humdial.agent.intent import Intent, classify
from humdial.agent.strategies import BackchannelStrategy, EndOfTurnStrategy
from humdial.asr.partial import ShortWindowWhisper, clean_chinese


@pytest.mark.parametrize("text, interrupting, after_stop, intent", [
    ("等一下，别说了。", True, False, Intent.STOP),
    ("好了好了，可以了，别讲了。", True, False, Intent.STOP),
    ("不好意思，你能再说一遍吗？", True, False, Intent.REPEAT),
    ("我没听懂，说慢一点好吗？", True, False, Intent.REPEAT),
    ("不对，我问的是上海，不是北京。", True, False, Intent.NEGATION),
    ("你搞错了吧，不是这样的。", True, False, Intent.NEGATION),
    ("先不说这个了，我想问一下怎么做蛋糕。", True, False, Intent.TOPIC_SWITCH),
    ("那下午会下雨吗？", True, False, Intent.FOLLOW_UP),
    ("明天北京的天气怎么样？", False, False, Intent.QUERY),
    ("继续吧。", False, True, Intent.CONTINUE),
])
def test_chinese_intents(text, interrupting, after_stop, intent):
    assert classify(text, "zh", interrupting, after_stop=after_stop).intent == intent


def test_chinese_backchannels_resume_and_requests_do_not():
    s = BackchannelStrategy()
    for text in ("嗯嗯。", "对对对", "哦，原来是这样。", "好的，明白了"):
        assert s.decide(0.6, text, "zh").decision == "backchannel", text
    for text in ("等一下", "什么？", "你说什么"):
        assert s.decide(0.6, text, "zh").decision == "no", text


@pytest.mark.parametrize("text, interrupting, state", [
    ("我要给我弟弟", False, "incomplete"),          # a remark with no request yet: the pause-handling opener
    ("今天晚上我想和", False, "incomplete"),        # ends on a connective
    ("我想问一下，", False, "incomplete"),
    ("有什么好主意吗？", False, "complete"),
    ("给我推荐一部吧", False, "complete"),          # a sentence-final particle closes a request
    ("你能推荐一本人物传记给我吗", False, "complete"),
    ("等一下，别说了", True, "complete"),           # a request about the agent's speech
])
def test_chinese_end_of_turn_completeness(text, interrupting, state):
    assert EndOfTurnStrategy().completeness(text, "zh", interrupting)[0] == state


def test_chinese_pieces_join_without_spaces():
    assert lexicon.join("我要给我弟弟。", "买生日礼物", "zh") == "我要给我弟弟。买生日礼物"
    assert lexicon.join("I want to", "buy a gift", "en") == "I want to buy a gift"
    assert lexicon.join("", "买", "zh") == "买"


def test_chinese_partials_drop_english_drift():
    assert clean_chinese("我要给我最好的朋友, my son really will, you son will.") == "我要给我最好的朋友,"
    assert clean_chinese("My son really will 又生不熬出以马。") == "又生不熬出以马。"
    assert clean_chinese("我们的天主,能在我一字吗?") == "我们的天主,能在我一字吗?"
    assert clean_chinese("這樣啊") == "这样啊"  # simplified characters


def test_partials_name_their_cost_key_per_model():
    assert ShortWindowWhisper(language="en").name == "whisper-partials"
    zh = ShortWindowWhisper(language="zh")
    assert zh.name == "whisper-partials-base" and zh.incremental and zh.window_s == 2.0
    assert ShortWindowWhisper("/models/x", language="zh").name == "whisper-partials-dir"


def test_shipped_profile_prices_chinese_partials():
    from humdial.agent.costs import load_profile

    profile = load_profile()
    key, cost = profile.cost("asr", "whisper-partials-base", 2.0)
    assert key == "asr:whisper-partials-base"
    assert 0.0 < cost < profile.cost("asr", "whisper-partials", 10.0)[1] * 3


class PieceRecorder:
    """An incremental transcriber that records how much audio each call got and names each piece."""

    name = "pieces"
    incremental = True

    def __init__(self):
        self.lengths: list[float] = []

    def transcribe(self, audio):
        from humdial.protocol.transcript import Transcript

        self.lengths.append(len(audio.samples) / 16000)
        pieces = ["我要给我弟弟", "买生日礼物有什么好主意吗？"]
        return Transcript(text=pieces[len(self.lengths) - 1] if len(self.lengths) <= len(pieces) else "", words=())

    def describe(self):
        return {"backend": self.name}


def test_incremental_transcriber_hears_only_new_speech_and_the_pause_is_not_answered(say, timeline):
    """A turn with a 1.5 s pause: the second partial covers only the speech after the pause, the pieces are
    joined, and the agent waits through the pause (the first piece has no request) then answers."""
    from humdial.agent.build import AgentKit
    from humdial.agent.config import AgentConfig
    from humdial.audio.io import from_array

    kit = AgentKit.load(["zh"], asr={"zh": "none"}, config=AgentConfig(topic_similarity=False))
    recorder = PieceRecorder()
    kit.transcribers["zh"] = recorder
    a, b = say("我要给我弟弟", "cmn", lang="zh"), say("买生日礼物有什么好主意吗？", "cmn", lang="zh")
    a_end = 0.5 + len(a) / 16000
    b_start = a_end + 1.5
    b_end = b_start + len(b) / 16000
    agent = kit.agent("zh")
    result = agent.run(from_array(timeline(b_end + 4.0, [(0.5, a), (b_start, b)]), 16000))
    asr = [e for e in result.log.of_type("compute") if e["what"] == "asr"]
    assert len(recorder.lengths) >= 2, asr
    assert recorder.lengths[1] < len(b) / 16000 + 0.5, (recorder.lengths, asr, a_end, b_start)
    transcripts = [e["text"] for e in result.log.of_type("transcript")]
    assert transcripts[-1] == "我要给我弟弟买生日礼物有什么好主意吗？"
    replies = result.log.of_type("reply")
    assert replies, "the agent never answered"
    first_reply_t = replies[0]["t"]
    assert first_reply_t > b_end, "the agent answered into the pause"
    assert first_reply_t < b_end + 1.5
    pieces = [e for e in result.log.of_type("compute") if e["what"] == "asr" and "piece_s" in e]
    assert pieces and all(e["cost_key"] == "asr" for e in pieces)  # uncalibrated variant: the fallback prices it
