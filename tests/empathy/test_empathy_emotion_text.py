"""Emotion understanding: lexicon, tags, negation, voice evidence, fusion and the timeline."""

import numpy as np
import pytest

from humdial.empathy.emotion import EmotionConfig, EmotionRecognizer, build_timeline, canonical
from humdial.empathy.emotion.acoustic import voice_evidence, voice_features
from humdial.empathy.emotion.text import event_clause, text_evidence

NO_ENCODER = EmotionConfig(encoder_weight=0.0)


@pytest.mark.parametrize("lang,text,label", [
    ("en", "I'm furious, my coworker took credit for my report again!", "anger"),
    ("en", "[sigh] I failed my driving test and I feel so down.", "sadness"),
    ("en", "Wow, I just found out my sister is coming tomorrow!", "surprise"),
    ("en", "I'm really worried the biopsy results will be bad.", "fear"),
    ("en", "Ugh, the fridge smells rotten, it's disgusting.", "disgust"),
    ("en", "[laughter] I finally got the job, I'm so happy!", "happiness"),
    ("en", "Can you tell me what time the meeting starts?", "neutral"),
    ("zh", "我气死了，同事又把锅甩给我了。", "anger"),
    ("zh", "[sigh] 我好难过，奶奶去世了。", "sadness"),
    ("zh", "太好了，我终于通过考试了！", "happiness"),
    ("zh", "我好害怕，万一面试失败怎么办？", "fear"),
    ("zh", "天哪，我完全没想到她会来！", "surprise"),
    ("zh", "冰箱里的东西都发霉了，太恶心了。", "disgust"),
    ("zh", "请问明天的会议几点开始？", "neutral"),
])
def test_lexicon_labels_clear_turns(lang, text, label):
    [state] = EmotionRecognizer(NO_ENCODER).analyse(lang, [1], [text], [None])
    assert state.label == label, (state.label, state.cues)


def test_negation_turns_a_cue_into_neutral_evidence():
    plain, negated = text_evidence("I am happy about it", "en"), text_evidence("I am not happy about it", "en")
    assert plain.votes["happiness"] > 0 and negated.votes["happiness"] == 0
    assert negated.votes["neutral"] > 0


def test_tags_vote_and_are_reported():
    ev = text_evidence("[laughter] okay then", "en")
    assert ev.tags == ("laughter",) and ev.tag_votes["happiness"] > 0


def test_event_clause_prefers_the_cause():
    assert event_clause("I'm so angry because my landlord kept the deposit.", "en") == "my landlord kept the deposit"
    assert "同事" in event_clause("我很生气，因为同事把锅甩给我了。", "zh")


def test_aliases_map_to_the_label_set():
    assert canonical("Happy") == "happiness" and canonical(" SAD ") == "sadness" and canonical("boredom") == "boredom"


def _tone(f0: float, seconds: float, gain: float, syllables: float, rate: int = 16000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    envelope = 0.5 * (1 + np.sin(2 * np.pi * syllables * t)) ** 2
    return (gain * envelope * np.sin(2 * np.pi * f0 * t)).astype(np.float32)


def test_voice_evidence_reads_departures_from_the_speaker_median():
    calm = [_tone(140, 2.0, 0.2, 4.0) for _ in range(3)]
    aroused = _tone(190, 2.0, 0.5, 5.5)
    flat = _tone(110, 2.0, 0.08, 3.0)
    ev = voice_evidence([voice_features(x) for x in calm + [aroused, flat]])
    high = max(ev[3], key=ev[3].get)
    assert high in ("happiness", "anger", "surprise", "fear")
    assert max(ev[4], key=ev[4].get) in ("sadness", "disgust")
    assert voice_evidence([voice_features(calm[0])]) == [None]


def test_causal_analysis_ignores_later_turns_and_timeline_ties_changes_to_events():
    texts = ["Hi, can you check the weather for Saturday?", "I'm furious, the airline cancelled my flight!",
             "[laughter] But then my friend offered me a ride, so happy!"]
    rec = EmotionRecognizer(NO_ENCODER)
    states = rec.analyse_causal("en", [1, 2, 3], texts, [None] * 3)
    assert [s.label for s in states] == ["neutral", "anger", "happiness"]
    assert rec.analyse_causal("en", [1, 2], texts[:2], [None] * 2)[1] == states[1]
    tl = build_timeline(states)
    assert [(c.before, c.after) for c in tl.changes] == [("neutral", "anger"), ("anger", "happiness")]
    assert "airline cancelled" in tl.changes[0].cause and tl.changes[1].abrupt and not tl.changes[0].abrupt
