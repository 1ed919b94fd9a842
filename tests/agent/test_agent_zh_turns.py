"""Chinese turn-taking and replies: sentence pauses inside a query, reply openings and bodies, partial cleanup."""

from __future__ import annotations

import pytest

from humdial.agent.intent import Intent
from humdial.agent.strategies import EndOfTurnStrategy
from humdial.asr.partial import clean_chinese
from humdial.respond.base import ResponseRequest, Turn
from humdial.respond.offline import ZH_BODIES, OfflineResponder


def test_chinese_question_at_a_quiet_moment_outlasts_a_sentence_pause():
    eot = EndOfTurnStrategy()
    c = eot.config
    q = "今天晚上看什么纪录片好？"  # the user may go on: "推荐一部吧。"
    assert c.complete_silence_s < 0.4 < c.complete_silence_zh_s  # espeak Mandarin pauses 0.32-0.37 s
    assert eot.decide(0.4, 2.0, q, None, "zh").decision == "wait"
    assert eot.decide(c.complete_silence_zh_s, 2.0, q, None, "zh").decision == "end"
    # over the agent's reply a short request keeps the short wait (response latency)
    assert eot.decide(0.3, 1.0, "你说什么？", None, "zh", interrupting=True).decision == "end"
    # English is unchanged
    assert eot.decide(0.3, 2.0, "What should I watch tonight?", None, "en").decision == "end"


def _body_index(reply) -> int:
    return next(i for i, b in enumerate(ZH_BODIES) if b[0] in reply.sentences)


@pytest.mark.parametrize("intent", [Intent.FOLLOW_UP, Intent.NEGATION, Intent.TOPIC_SWITCH])
def test_chinese_reply_after_an_interruption_does_not_repeat_the_cut_off_answer(intent):
    r = OfflineResponder()
    for query in ("明天北京的天气怎么样？", "你能推荐一本人物传记给我吗？", "我想开始学弹吉他，怎么开始？",
                  "从这里到火车站怎么走？"):
        first = r.respond(ResponseRequest("zh", Intent.QUERY, query))
        heard = "".join(first.sentences[:2])  # cut off during the body's first sentence
        follow_text = "那下午会下雨吗？"
        history = (Turn("user", query), Turn("user", follow_text))
        again = r.respond(ResponseRequest("zh", intent, follow_text, history, heard))
        assert _body_index(again) != _body_index(first), (query, intent)
        # cut off before any body sentence was heard: the earlier query's body is still avoided
        early = r.respond(ResponseRequest("zh", intent, follow_text, history, first.sentences[0][:3]))
        assert _body_index(early) != _body_index(first), (query, intent)
        assert again == r.respond(ResponseRequest("zh", intent, follow_text, history, heard))  # deterministic


def test_chinese_replies_to_interruptions_open_with_an_acknowledgement():
    r = OfflineResponder()
    for intent in (Intent.FOLLOW_UP, Intent.NEGATION, Intent.TOPIC_SWITCH):
        reply = r.respond(ResponseRequest("zh", intent, "不对，我问的是上海。"))
        assert reply.sentences[0].startswith(("收到", "没问题")), reply.sentences[0]
    query = r.respond(ResponseRequest("zh", Intent.QUERY, "明天北京的天气怎么样？"))
    assert query.sentences[0] == "你问的是明天北京的天气怎么样。"


@pytest.mark.parametrize("heard, kept", [
    ("我当时去以下是普通话的句子。", "我当时去"),                      # the decoding prompt written back
    ("以下是普通话的句子。以下是普通话的句子。名体", "名体"),
    ("大我传似我们伴伸伭伟伍估伺伞优众", "大我传似我们"),              # a loop through the code table
    ("您很\ufffd便宜的能有。", "您很便宜的能有。"),                  # an undecodable byte
    ("今天晚上看什么纪录片好？推荐一部吧。", "今天晚上看什么纪录片好？推荐一部吧。"),
    ("喂喂，你听得到吗？", "喂喂，你听得到吗？"),
])
def test_chinese_partials_drop_decoder_artefacts(heard, kept):
    assert clean_chinese(heard) == kept


_HASH_AGENT_VOICE = """
import hashlib
from humdial.agent.speech_out import SpeechConfig
from humdial.tts.espeak import EspeakSynthesizer
c = SpeechConfig()
u = EspeakSynthesizer().synthesize("没问题，我们换个话题。", "zh", voice=c.voice_zh, rate=c.rate_zh)
print(hashlib.sha256(u.samples.tobytes()).hexdigest())
"""


def test_chinese_agent_voice_is_identical_across_processes():
    """espeak variants with breath noise (f2, f3, f5...) differ from one process to the next, so an agent
    speaking with one could not give byte-identical outputs on a re-run (issue 14)."""
    import subprocess
    import sys

    runs = {subprocess.run([sys.executable, "-c", _HASH_AGENT_VOICE], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)}
    assert len(runs) == 1


def test_chinese_empty_partial_is_unclear_speech_not_silence():
    """The cleanup turns a prompt echo ("以下是普通话的句子。") into "": that was a pause-handling opener
    answered after 0.9 s (eval voice group, seed 4711); it must wait as for a remark with no request."""
    eot = EndOfTurnStrategy()
    assert clean_chinese("以下是普通话的句子。") == ""
    assert eot.completeness("", "zh")[0] == "incomplete"
    assert eot.decide(1.0, 0.5, "", None, "zh").decision == "wait"
    assert eot.completeness("", "zh", interrupting=True)[0] == "statement"
    assert eot.completeness("", "en")[0] == "unknown"  # English unchanged


@pytest.mark.parametrize("heard", ["我想问一下", "嗯，我想问一下，", "那个，", "让我想想"])
def test_chinese_run_up_at_a_quiet_moment_outlasts_a_long_pause(heard):
    """A pause-handling opener waits as long as in English: "我想问一下" was answered 2.21 s into its pause
    (seed 9393, eval voices), and the generator's pauses run to 2.5 s in both languages."""
    eot = EndOfTurnStrategy()
    c = eot.config
    assert c.incomplete_silence_s > 2.5
    assert eot.decide(2.4, 1.2, heard, None, "zh").decision == "wait"
    assert eot.decide(2.4, 2.5, heard, None, "zh").decision == "wait"  # however long the run-up took
    assert eot.decide(c.incomplete_silence_s, 1.2, heard, None, "zh").decision == "end"
    # a long remark without a request that is no run-up is a query whose particle was lost
    assert eot.decide(1.3, 2.5, "从这里到那边做的做。", None, "zh").decision == "end"
    # over the agent's reply an unfinished request keeps the short wait
    assert eot.decide(1.0, 1.2, heard, None, "zh", interrupting=True).decision == "end"
