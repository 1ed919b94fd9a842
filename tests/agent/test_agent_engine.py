"""Behaviour of the whole engine on espeak speech placed on a timeline, on the cost clock (the default)."""

import time

import numpy as np

from humdial.agent.build import AgentKit
from humdial.agent.config import AgentConfig
from humdial.respond.offline import OfflineResponder
from humdial.audio.io import from_array

QUERY = "Can you tell me how to make a good cup of coffee at home?"


def speech_spans(output: np.ndarray, rate: int, hop_s: float = 0.02) -> list[tuple[float, float]]:
    """(start, end) seconds of non-silent output, gaps under 0.3 s merged."""
    hop = int(rate * hop_s)
    active = [float(np.abs(output[i:i + hop]).max()) > 1e-3 for i in range(0, len(output), hop)]
    spans: list[list[float]] = []
    for k, on in enumerate(active):
        if on:
            t = k * hop_s
            if spans and t - spans[-1][1] <= 0.3:
                spans[-1][1] = t + hop_s
            else:
                spans.append([t, t + hop_s])
    return [(a, b) for a, b in spans]


def run(kit: AgentKit, x: np.ndarray, lang: str = "en"):
    agent = kit.agent(lang)
    result = agent.run(from_array(x, 16000))
    return agent, result


def test_answers_after_the_user_stops_and_keeps_length(kit, say, timeline):
    q = say(QUERY)
    end = 0.5 + len(q) / 16000
    x = timeline(end + 4.0, [(0.5, q)])
    agent, result = run(kit, x)
    assert len(result.output) == len(x)
    spans = speech_spans(result.output, result.output_rate)
    assert spans, "the agent never spoke"
    assert spans[0][0] > end, "the agent spoke before the user finished"
    assert spans[0][0] < end + 3.0
    assert spans[-1][1] >= len(x) / 16000 - 0.1  # still answering at the end of the input
    states = [e["to"] for e in result.log.of_type("state")]
    assert states[:3] == ["USER_SPEAKING", "THINKING", "SPEAKING"]


def test_backchannel_does_not_stop_the_reply(kit, say, timeline):
    q = say(QUERY)
    end = 0.5 + len(q) / 16000
    x = timeline(end + 7.0, [(0.5, q), (end + 2.5, say("Uh-huh."))])
    agent, result = run(kit, x)
    decisions = [(e["strategy"], e["decision"]) for e in result.log.of_type("decision")]
    assert ("backchannel", "backchannel") in decisions
    replies = result.log.of_type("reply")
    assert len(replies) == 1, "a backchannel must not trigger a new reply"
    spans = speech_spans(result.output, result.output_rate)
    # speaking again after the backchannel, and until the end of the input
    assert spans[-1][1] >= len(x) / 16000 - 0.1
    resumed = [e for e in result.log.of_type("state") if e["reason"].startswith("resume after false alarm: backchannel")]
    assert resumed


def test_stop_request_stops_quickly_and_offers_to_continue(kit, say, timeline):
    q = say(QUERY)
    end = 0.5 + len(q) / 16000
    stop_at = end + 3.0
    x = timeline(stop_at + 8.0, [(0.5, q), (stop_at, say("Okay, stop, that's enough."))])
    agent, result = run(kit, x)
    paused = [e for e in result.log.of_type("state") if e["to"] == "PAUSED"]
    assert paused and paused[0]["t"] - stop_at < 0.5, "the agent kept talking over the stop request"
    replies = result.log.of_type("reply")
    assert replies[-1]["intent"] == "stop"
    assert "stop" in replies[-1]["text"].lower() and "go on" in replies[-1]["text"].lower()
    # after the short acknowledgement, silence
    spans = speech_spans(result.output, result.output_rate)
    assert spans[-1][1] < len(x) / 16000 - 0.5


class SlowResponder(OfflineResponder):
    def __init__(self, delay_s: float):
        self.delay_s = delay_s

    def respond(self, request):
        time.sleep(self.delay_s)
        return super().respond(request)


def first_reply_onset(kit: AgentKit, x: np.ndarray, responder) -> tuple[float, float, dict]:
    """(time the turn was judged over, first output sample time, the respond compute event), acoustic-only agent."""
    from dataclasses import replace

    slow_kit = replace(kit, responder=responder, transcribers={"en": None})
    agent = slow_kit.agent("en")
    result = agent.run(from_array(x, 16000))
    thinking = next(e["t"] for e in result.log.of_type("state") if e["to"] == "THINKING")
    onset = int(np.flatnonzero(np.abs(result.output) > 1e-4)[0]) / result.output_rate
    respond = next(e for e in result.log.of_type("compute") if e["what"] == "respond")
    return thinking, onset, respond


def test_cost_clock_charges_the_profile_not_the_delay(kit, say, timeline):
    q = say(QUERY)
    x = timeline(0.5 + len(q) / 16000 + 3.0, [(0.5, q)])
    t_fast, onset_fast, respond_fast = first_reply_onset(kit, x, SlowResponder(0.0))
    t_slow, onset_slow, respond_slow = first_reply_onset(kit, x, SlowResponder(0.4))
    assert (t_fast, onset_fast) == (t_slow, onset_slow)
    assert respond_slow == respond_fast and respond_slow["cost_key"] == "respond:offline"
    assert respond_slow["cost_s"] == round(kit.cost_profile.costs["respond:offline"](1), 4)


def test_output_length_matches_other_rates(kit, say, timeline):
    q = say(QUERY)
    x = timeline(6.0, [(0.3, q)])
    agent = kit.agent("en")
    result = agent.run(from_array(x, 16000), output_rate=24000, output_samples=int(6.0 * 24000))
    assert len(result.output) == 6 * 24000 and result.output_rate == 24000


def test_silence_gives_silence(kit):
    agent = kit.agent("en")
    x = np.zeros(16000 * 3, np.float32)
    result = agent.run(from_array(x + 1e-5, 16000))
    assert not np.any(result.output)
    assert [e for e in result.log.of_type("state")] == []


def test_mandarin_without_asr_takes_turns_acoustically(say, timeline):
    kit = AgentKit.load(["zh"], config=AgentConfig(topic_similarity=False))
    q = say("请问去博物馆怎么走？我想明天去看看。", voice="cmn+m3", lang="zh")
    end = 0.5 + len(q) / 16000
    x = timeline(end + 4.0, [(0.5, q)])
    agent = kit.agent("zh")
    result = agent.run(from_array(x, 16000))
    replies = result.log.of_type("reply")
    assert replies and any("\u4e00" <= ch <= "\u9fff" for ch in replies[0]["text"])
    onset = int(np.flatnonzero(np.abs(result.output) > 1e-4)[0]) / result.output_rate
    assert onset > end


def test_quiet_background_speech_before_the_query_is_not_answered(kit, say, timeline):
    remark = say("The delivery guy is here.", voice="en-us+m2", gain=0.15)
    q = say(QUERY)
    q_at = 0.5 + len(remark) / 16000 + 0.8
    end = q_at + len(q) / 16000
    x = timeline(end + 4.0, [(0.5, remark), (q_at, q)])
    agent, result = run(kit, x)
    onset = int(np.flatnonzero(np.abs(result.output) > 1e-4)[0]) / result.output_rate
    assert onset > end, "the agent answered the background remark"
    # either ignored as background speech, or held as a remark without a request until the query came
    assert "coffee" in result.log.of_type("reply")[0]["text"]
