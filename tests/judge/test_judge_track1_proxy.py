"""Each Track 1 proxy scorer ranks a clearly better reply above a clearly worse one, in en and zh."""

import numpy as np
import pytest

from humdial.judge.proxy import track1_text as t
from humdial.judge.proxy.track1_audio import acoustic_features, signal_quality, vocal_expressiveness
from humdial.generate.track1.example import speechlike

CASES = {
    "en": {
        "turns": ["My boss moved the deadline to tomorrow and I am furious.",
                  "Then my sister called, she finally got the job at the hospital!",
                  "But the bus broke down on the way home and I just sat there.",
                  "How did my mood change today?"],
        "emotions": ["anger", "happy", "sad", "neutral"],
        "t1_good": "You started out really angry when your boss moved the deadline, then suddenly felt happy "
                   "when your sister got the hospital job, and finally slipped into a sad, tired mood after the "
                   "bus broke down; now you sound calm as you look back.",
        "t1_bad": "You had a day with many feelings. Let me know if there is anything else.",
        "t2_good": "Your anger came because the deadline change took away your sense of control, so your "
                   "sister's hospital job felt like relief; the bus breaking down made you sad because deep down "
                   "you needed the day to go right.",
        "t2_bad": "Feelings change. Okay.",
        "t3_good": "That sounds really draining. It makes sense you feel sad after the bus broke down at the end "
                   "of such a long day; maybe take a quiet moment to rest tonight.",
        "t3_bad": "Don't worry, everything will be fine.",
    },
    "zh": {
        "turns": ["老板把截止日期提前到明天了，我快气死了。", "然后我姐姐打电话说她在医院找到工作了！",
                  "结果回家的公交车坏了，我就坐在路边。", "我今天的情绪是怎么变化的？"],
        "emotions": ["anger", "happy", "sad", "neutral"],
        "t1_good": "你一开始非常生气，因为老板把截止日期提前了；后来姐姐在医院找到工作，你一下子变得开心；"
                   "最后公交车坏了，你又有些难过，现在回想起来比较平静。",
        "t1_bad": "你今天情绪很多。还有什么需要吗？",
        "t2_good": "你生气是因为截止日期的变化让你失去了掌控感，所以姐姐在医院找到工作让你松了口气；"
                   "公交车坏了让你难过，其实是因为你内心需要这一天顺利结束。",
        "t2_bad": "情绪会变。好的。",
        "t3_good": "听起来真的很累，公交车坏了又在路边等，难过是很正常的。你已经撑过了很长的一天，今晚好好休息一下吧。",
        "t3_bad": "别担心，一切都会好的。",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_proxies_rank_better_above_worse(lang):
    c = CASES[lang]
    users = c["turns"][:-1]
    pairs = {
        "Accuracy_Completeness": lambda r: t.trajectory_accuracy(r, c["emotions"], lang),
        "Depth_Granularity": lambda r: t.trajectory_depth(r, lang),
        "Added_Value": lambda r: t.trajectory_added_value(r, users, lang),
    }
    for dim, fn in pairs.items():
        good, bad = fn(c["t1_good"]), fn(c["t1_bad"])
        assert good.score > bad.score, (dim, good, bad)
    for dim, fn in {"Information_Integration": lambda r: t.reasoning_integration(r, users, lang),
                    "Insight_RootCause": lambda r: t.reasoning_insight(r, lang),
                    "Clarity_Logic": lambda r: t.reasoning_clarity(r, lang)}.items():
        good, bad = fn(c["t2_good"]), fn(c["t2_bad"])
        assert good.score > bad.score, (dim, good, bad)
    good = t.empathy_text(c["t3_good"], c["turns"][:3], "sad", lang)
    bad = t.empathy_text(c["t3_bad"], c["turns"][:3], "sad", lang)
    assert good.score >= 4 and bad.score <= 2, (good, bad)
    assert t.trajectory_accuracy(c["t1_good"], c["emotions"], lang).score == 5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trajectory_accuracy_penalises_wrong_order(lang):
    c = CASES[lang]
    ordered = t.trajectory_accuracy(c["t1_good"], c["emotions"], lang).score
    shuffled = t.trajectory_accuracy(c["t1_good"], ["sad", "anger", "happy", "neutral"], lang).score
    assert ordered > shuffled


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_audio_proxies_rank_better_above_worse(lang, speech):
    text = {"en": "I am so sorry that happened to you, take a rest tonight.", "zh": "听起来你今天真的很辛苦，好好休息一下吧。"}[lang]
    clean, _ = speech(text, "en" if lang == "en" else "zh")
    good = np.concatenate([clean, np.zeros(4000, np.float32), clean]) * 0.5
    rng = np.random.default_rng(0)
    flat = speechlike(len(good) / 16000, 1, f0_swing=0.0, pauses=False, noise=0.0)
    flat = flat / np.abs(flat).max() * 0.3
    envelope_free = flat * (1 + 0.0 * np.arange(len(flat)))
    noisy = np.clip(good * 4 + 0.15 * rng.standard_normal(len(good)), -1, 1)
    f_good, f_flat, f_noisy = (acoustic_features(x, 16000) for x in (good, envelope_free, noisy))
    assert vocal_expressiveness(f_good).score > vocal_expressiveness(f_flat).score, (f_good, f_flat)
    assert signal_quality(f_good).score > signal_quality(f_noisy).score, (f_good, f_noisy)
    assert signal_quality(f_good).score >= 4
