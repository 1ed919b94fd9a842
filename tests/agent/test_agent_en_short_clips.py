"""English: a short clip's voice similarity alone does not make the user a third party (issue 14)."""

from __future__ import annotations

import numpy as np

from humdial.agent.strategies.third_party import ThirdPartyStrategy

USER = np.array([1.0, 0.0, 0.0, 0.0])


def _at(similarity: float) -> np.ndarray:
    """A unit embedding with the given cosine similarity to USER."""
    return np.array([similarity, np.sqrt(1 - similarity ** 2), 0.0, 0.0])


def _enrolled() -> ThirdPartyStrategy:
    s = ThirdPartyStrategy()
    s.enrol(USER, -20.0)
    return s


def test_the_cut_off_rises_with_clip_length():
    s, c = _enrolled(), ThirdPartyStrategy().config
    assert s.distinct_cut(None) == c.distinct_threshold  # Chinese: the engine passes no length
    assert s.distinct_cut(c.short_clip_s) == c.short_clip_distinct_threshold < c.distinct_threshold
    assert s.distinct_cut(0.5) == c.short_clip_distinct_threshold  # never below the shortest clip's cut-off
    assert s.distinct_cut(c.short_clip_full_s) == s.distinct_cut(2.4) == c.distinct_threshold
    middle = s.distinct_cut((c.short_clip_s + c.short_clip_full_s) / 2)
    assert c.short_clip_distinct_threshold < middle < c.distinct_threshold


def test_a_short_stop_request_at_0_58_is_the_user_a_long_clip_is_not():
    """The eval-group failure: 'stop, please.' (0.83 s of speech) scored 0.58 against the enrolled user."""
    s = _enrolled()
    short = s.decide(_at(0.58), -20.5, 0.83)
    assert short.decision == "user" and short.evidence["distinct_cut"] < 0.58
    assert s.decide(_at(0.58), -20.5, 1.5).decision == "other"  # 1.5 s is enough to trust the voice
    assert s.decide(_at(0.58), -20.5).decision == "other"  # no length given (Chinese): unchanged
    assert s.decide(_at(0.45), -20.5, 0.75).decision == "other"  # far below even the short-clip cut-off
    assert s.decide(_at(0.58), -35.0, 0.83).decision == "other"  # much quieter: background speech still


def test_engine_passes_the_clip_length_for_english_only(kit, say, timeline):
    """The English engine passes the clip length, so its verdicts log the cut-off used (the Chinese path passes
    None, which keeps `distinct_threshold`: test_a_short_stop_request_at_0_58_is_the_user_a_long_clip_is_not)."""
    from humdial.audio.io import from_array

    q = say("Can you tell me how to make a good cup of coffee at home?")
    follow = say("What about tea instead, is that easier to make?")
    end = 0.5 + len(q) / 16000
    x = timeline(end + 9.0, [(0.5, q), (end + 2.0, follow)])
    result = kit.agent("en").run(from_array(x, 16000))
    verdicts = [e for e in result.log.of_type("decision") if e["strategy"] == "third_party"]
    assert verdicts and all("distinct_cut" in v["evidence"] for v in verdicts)
