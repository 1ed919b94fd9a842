import numpy as np

from humdial.agent import lexicon
from humdial.agent.intent import Intent, classify
from humdial.agent.strategies import (AddresseeStrategy, BackchannelStrategy, BargeInConfig, BargeInStrategy,
                                      EndOfTurnStrategy, ResumeStrategy, ThirdPartyStrategy)


def test_barge_in_pauses_after_min_speech_and_respects_grace():
    s = BargeInStrategy(BargeInConfig(min_speech_s=0.1, grace_after_start_s=0.3))
    assert s.decide(0.064, 2.0).decision == "keep"
    assert s.decide(0.128, 2.0).decision == "pause"
    assert s.decide(0.5, 0.2).decision == "keep"  # inside the grace window


def test_backchannel_with_and_without_transcript():
    s = BackchannelStrategy()
    assert s.decide(0.5, "Uh-huh.", "en").decision == "backchannel"
    assert s.decide(0.6, "Yeah, I see.", "en").decision == "backchannel"
    assert s.decide(0.6, "Stop.", "en").decision == "no"
    assert s.decide(0.9, "Yeah, but why?", "en").decision == "no"
    assert s.decide(2.0, "yeah yeah yeah", "en").decision == "no"  # too long
    assert s.decide(0.4, None, "zh").decision == "backchannel"  # acoustic only
    assert s.decide(1.0, None, "zh").decision == "no"
    assert s.decide(0.4, "嗯嗯，对。", "zh").decision == "backchannel"


def test_end_of_turn_needs_more_silence_when_unfinished():
    s = EndOfTurnStrategy()
    c = s.config
    q = "Can you tell me how to get to the museum?"
    assert s.decide(c.complete_silence_s - 0.05, 2.0, q, None, "en").decision == "wait"
    assert s.decide(c.complete_silence_s + 0.01, 2.0, q, None, "en").decision == "end"
    unfinished = "I want to book a flight to"
    assert s.completeness(unfinished, "en")[0] == "incomplete"
    assert s.decide(1.0, 2.0, unfinished, None, "en").decision == "wait"
    assert s.decide(c.incomplete_silence_s - 0.05, 2.0, unfinished, None, "en").decision == "wait"
    assert s.decide(c.incomplete_silence_s, 2.0, unfinished, None, "en").decision == "end"
    assert s.completeness("Let me think.", "en")[0] == "incomplete"
    assert s.completeness("Okay, so,", "en")[0] == "incomplete"
    assert s.completeness("I need a gift for my grandfather.", "en")[0] == "statement"
    assert s.decide(0.3, 2.0, "I need a gift for my grandfather.", None, "en").decision == "wait"
    # without a transcript: a final pitch fall shortens the wait
    assert s.decide(c.no_text_silence_s, 2.0, None, -3.0, "zh").decision == "end"
    assert s.decide(c.no_text_silence_s, 2.0, None, 1.0, "zh").decision == "wait"
    assert s.decide(5.0, 0.1, "uh", None, "en").decision == "wait"  # too little speech is never a turn


def test_third_party_uses_voice_and_level():
    s = ThirdPartyStrategy()
    assert s.decide(np.ones(4), -20).decision == "unknown"
    user = np.array([1.0, 0.0, 0.0, 0.0])
    s.enrol(user, -20.0)
    assert s.decide(user, -21.0).decision == "user"
    other = np.array([0.0, 1.0, 0.0, 0.0])  # orthogonal voice
    assert s.decide(other, -20.0).decision == "other"
    borderline = np.array([0.75, 0.66, 0.0, 0.0])  # similarity ~0.75
    assert s.decide(borderline, -20.5).decision == "user"  # same level: benefit of the doubt
    assert s.decide(borderline, -26.0).decision == "other"  # quieter: someone further away
    assert s.decide(user, -35.0).decision == "other"  # much quieter: background speech
    assert s.enrol(user, -22.0) == "refined" and s.enrolled.turns == 2


def test_addressee_cues():
    s = AddresseeStrategy()
    assert s.decide("Mom, can you close the door?", "en", 0.0, 0.5).decision == "others"
    assert s.decide("Hold on, Sophie, I'll be there in a minute.", "en", 0.0, 0.5).decision == "others"
    assert s.decide("Could you pass me the water?", "en", 0.0, 0.5).decision == "others"
    assert s.decide("Did you remember to buy milk?", "en", None, None).decision == "others"
    assert s.decide("What about the price of the tickets?", "en", 0.0, 0.6).decision == "agent"
    assert s.decide("Sorry, could you say that again?", "en", 0.0, 0.1).decision == "agent"
    # level alone: a big drop marks an aside even without a transcript
    assert s.decide(None, "zh", 12.0, None).decision == "others"
    assert s.decide(None, "zh", 2.0, None).decision == "agent"
    assert s.decide("Tell me a joke", "en", None, None, snr_db=4.0).decision == "others"
    assert s.decide("Tell me a joke", "en", None, None, snr_db=7.2).decision == "agent"  # a measured user
    assert s.decide("Tell me a joke", "en", None, None, snr_db=25.0).decision == "agent"


def test_resume_restarts_sentence_after_long_pause():
    s = ResumeStrategy()
    assert s.decide(0.5, 3).decision == "word"
    assert s.decide(s.config.restart_sentence_after_s + 1, 3).decision == "sentence"
    assert s.decide(10.0, 0).decision == "word"  # already at the sentence start


def test_intent_classification():
    assert classify("Sorry, could you say that again?", "en", True).intent == Intent.REPEAT
    assert classify("Okay, stop, that's enough.", "en", True).intent == Intent.STOP
    assert classify("No, that's not what I meant.", "en", True).intent == Intent.NEGATION
    assert classify("By the way, how do I cook rice?", "en", True).intent == Intent.TOPIC_SWITCH
    assert classify("What about the price?", "en", True).intent == Intent.FOLLOW_UP
    assert classify("How do I get to the museum?", "en", False).intent == Intent.QUERY
    assert classify(None, "zh", True).intent == Intent.UNKNOWN
    assert classify("停一下，别说了", "zh", True).intent == Intent.STOP
    assert classify("Please go on", "en", False, after_stop=True).intent == Intent.CONTINUE


def test_lexicon_phrase_matching():
    assert lexicon.only_backchannel("I see.", "en")
    assert lexicon.only_backchannel("Uh-huh, yeah.", "en")
    assert not lexicon.only_backchannel("I see why", "en")
    assert not lexicon.only_backchannel("", "en")
    assert lexicon.matches("could you say that again please", "en", "repeat")
    assert lexicon.ends_with("a flight to", "en", "incomplete_end") == "to"
    assert lexicon.name_vocative("Okay, so what about it?") is None


def test_remarks_and_run_ups_wait_longer():
    s = EndOfTurnStrategy()
    assert s.completeness("We're leaving in a moment.", "en")[0] == "incomplete"  # no request in it
    assert s.completeness("Can you help me?", "en")[0] == "incomplete"  # a run-up to the real question
    # a hesitation phrase, even with the question mark whisper gives it ("How can I save [pause] thirty pounds")
    assert s.completeness("How can I say?", "en")[0] == "incomplete"
    assert s.completeness("How can I say thank you in French?", "en")[0] == "complete"
    assert s.completeness("I'm looking for a science fiction book.", "en")[0] == "statement"


def test_louder_new_voice_replaces_a_single_enrolment():
    s = ThirdPartyStrategy()
    s.enrol(np.array([1.0, 0.0, 0.0]), -32.0)  # a quiet first speaker (background)
    v = s.decide(np.array([0.0, 1.0, 0.0]), -22.0)
    assert v.decision == "user" and v.evidence["reenrol"]
    assert s.enrol(np.array([0.0, 1.0, 0.0]), -22.0, replace=True) == "re-enrolled"
    assert s.decide(np.array([1.0, 0.0, 0.0]), -32.0).decision == "other"


def test_hummed_backchannel_transcribed_as_noise():
    assert BackchannelStrategy().decide(0.6, "n n n n n n", "en").decision == "backchannel"


def test_words_about_the_agent_complete_an_interruption_only():
    s = EndOfTurnStrategy()
    assert s.completeness("Okay, stop, that's enough.", "en", interrupting=True)[0] == "complete"
    assert s.completeness("The delivery guy is not here.", "en", interrupting=False)[0] == "incomplete"


def test_cut_off_questions_and_missing_punctuation():
    s = EndOfTurnStrategy()
    assert s.completeness("What's the weather going to?", "en")[0] == "incomplete"  # '?' added to a fragment
    assert s.completeness("How can I save", "en")[0] == "unpunctuated"
    assert s.completeness("That's enough, thank you.", "en", interrupting=True)[0] == "complete"
