"""English third-party speech just before the user's query: not answered, and the query still is (issue 14)."""

from __future__ import annotations

import numpy as np

from humdial.agent import lexicon
from humdial.agent.strategies import AddresseeStrategy
from humdial.audio.io import from_array

QUERY = "Can you tell me how to make a good cup of coffee at home?"


def test_an_opening_aside_is_split_off_and_only_the_request_is_answered(kit):
    agent = kit.agent("en")
    assert agent._after_aside("Where did you put the remote? How do I bake bread at home?") == \
        "How do I bake bread at home?"
    assert agent._after_aside("Mom, can you close the window? Thanks.") is None  # the rest is no request
    assert agent._after_aside("How do I bake bread? Where did you put it?") is None  # the aside is not first
    assert agent._after_aside("What time is it? How do I bake bread?") is None  # no aside at all
    assert kit.agent("en")._after_aside(None) is None
    # whisper re-decoding the two voices as one turn kept the query's capital but dropped the full stop
    assert agent._after_aside("We're leaving in a moment Can you help me plan a weekend in Toronto?") == \
        "Can you help me plan a weekend in Toronto?"


def test_unpunctuated_sentences_split_only_before_a_capitalised_opener():
    from humdial.agent import lexicon

    assert lexicon.sentences("We're leaving in a moment Can you help me?", "en") == \
        ["We're leaving in a moment", "Can you help me?"]
    assert lexicon.sentences("I flew to Paris and then Rome.", "en") == ["I flew to Paris and then Rome."]
    assert lexicon.sentences("Tell me more. What else?", "en") == ["Tell me more.", "What else?"]
    assert lexicon.sentences("Yes Can", "en") == ["Yes", "Can"]
    assert lexicon.sentences("OK Can you", "en") == ["OK Can you"]  # an upper-case word before: no boundary


def test_household_talk_to_others_is_an_aside(kit):
    agent = kit.agent("en")
    for text in ("I'm going out, do you need anything?", "Who left the door open?",
                 "Someone's at the door.", "Turn the music down a little, please."):
        assert agent.addressee.decide(text, "en", None, None).decision == "others", text


def _first_onset(result) -> float:
    return int(np.flatnonzero(np.abs(result.output) > 1e-4)[0]) / result.output_rate


def _aside_then_query(kit, say, timeline, aside_text: str, gap_s: float):
    """A bystander's line (another voice) at 0.5 s, the user's QUERY `gap_s` later; (agent result, query end)."""
    aside = say(aside_text, voice="en-us+f2")
    q = say(QUERY)
    q_at = 0.5 + len(aside) / 16000 + gap_s
    end = q_at + len(q) / 16000
    x = timeline(end + 4.0, [(0.5, aside), (q_at, q)])
    return kit.agent("en").run(from_array(x, 16000)), end


def test_bystander_then_user_with_a_short_gap(kit, say, timeline):
    """A different voice asks someone else a question, the user asks theirs 0.5 s later (one merged turn):
    the agent speaks only after the user's query, answers it, and enrols no one from the mixed turn."""
    result, end = _aside_then_query(kit, say, timeline, "I'm going out, do you need anything?", 0.5)
    assert _first_onset(result) > end, "the agent answered the bystander"
    replies = result.log.of_type("reply")
    assert replies and "coffee" in replies[0]["text"] and "anything" not in replies[0]["text"]
    assert _first_onset(result) - end < 1.0


def test_merged_aside_and_query_are_split(kit, say, timeline):
    """With only 0.1 s between the bystander's question and the user's, the VAD hears one turn: its
    opening aside is split off, the query answered, and the mixed voices enrol no one."""
    result, end = _aside_then_query(kit, say, timeline, "Where did you put the remote?", 0.1)
    splits = [e for e in result.log.of_type("decision") if e["decision"] == "split"]
    assert splits and "remote" not in splits[0]["evidence"]["rest"]
    assert _first_onset(result) > end
    assert "coffee" in result.log.of_type("reply")[0]["text"] and "remote" not in result.log.of_type("reply")[0]["text"]
    assert not result.log.of_type("enrolment")


def test_a_correction_of_what_the_user_said_is_for_the_agent_even_with_a_misheard_framing_phrase():
    """"No, I said Berlin, not Seoul." heard as "No, I said we're leaving the ice hole." (seed 11): the
    misheard "we're leaving" frames it for a bystander and the garbled words break the topic, but "I said"
    corrects what the user told the agent. Asides hold no such phrase, and stay asides."""
    from humdial.agent.strategies import AddresseeStrategy

    addressee = AddresseeStrategy()
    heard = "No, I said we're leaving the ice hole."
    verdict = addressee.decide(heard, "en", None, 0.04)
    assert verdict.decision == "agent" and any("i said" in cue for cue in verdict.evidence["cues"])
    # without the correction phrase the same cues make an aside
    assert addressee.decide("No, we're leaving the ice hole.", "en", None, 0.04).decision == "others"
    assert addressee.decide("Sorry, I'm asking my phone something.", "en", None, 0.04).decision == "others"
    assert addressee.decide("不对，我说的是北京，不是首尔。", "zh", 2.5, 0.04).decision == "agent"


def test_a_name_heard_in_an_earlier_partial_still_marks_an_aside():
    s = AddresseeStrategy()
    later = "Hold on, I live here, I'll be there in a second."  # whisper re-decoding lost the name (seed 4242)
    assert s.decide(later, "en", 0.0, 0.02).decision == "agent"
    assert s.decide(later, "en", 0.0, 0.02, earlier=["Hold on, Olivia."]).decision == "others"
    # "Pardon" is a repeat request, not a name, even capitalised before a comma
    assert lexicon.name_vocative("Pardon, could you say that again?") is None
    assert lexicon.name_vocative("Pardon, I missed that.") is None  # seed 4242: "I" after it is no evidence
    assert s.decide("Pardon, could you say that again?", "en", 0.0, 0.0).decision == "agent"
