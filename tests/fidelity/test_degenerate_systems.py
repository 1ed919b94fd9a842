"""Degenerate systems must not fool the offline proxy judges (issue 11, deliverable 4).

Track 2: five degenerate systems on constructed samples of every judged kind (en + zh): the user's input
played back, one canned unrelated reply (at three start times), silence, noise transcribed as fillers, and
the clean output replayed regardless of the interruption. Track 1: one constant reply for every turn.
"""

import json
import sys
from pathlib import Path

import pytest

from humdial.evaluate.track1.pipeline import EvalOptions, evaluate
from humdial.generate.track1.example import write_example
from humdial.judge.proxy import decide_behaviour
from humdial.judge.proxy.track1_judge import Track1ProxyJudge
from humdial.models.sentence_encoder import shared_encoder

sys.path.insert(0, str(Path(__file__).parents[1] / "judge"))
from judge_cases import CASES, EXTRA_CASES, sample, transcript  # noqa: E402

INTERRUPTIONS = {"en": ["What about the food there?", "Actually, what is the weather like in Tokyo today?",
                        "Stop, please stop talking.", "Sorry, could you repeat that?"],
                 "zh": ["那里的美食怎么样？", "算了，东京今天天气怎么样？", "等一下，先停在这里", "你能再说一遍吗？"]}
REJECTIONS = {"en": ["Uh-huh.", "Honey, did you feed the dog this morning?"],
              "zh": ["嗯嗯。", "老公，你今天早上喂狗了吗？"]}
CANNED = {"en": "I really enjoy playing chess with my friends on the weekend. We usually meet at the park near the river.",
          "zh": "我周末很喜欢和朋友们一起下棋。我们通常在河边的公园见面。"}
SILENT = {"text": "", "chunks": []}


def degenerate(name, lang, overlap):
    base = sample(lang, overlap, None)
    if name == "echo":
        return [{**base, "output_clean": base["input_clean"], "output_noisy": base["input_noisy"]}]
    if name == "canned":
        return [{**base, "output_clean": transcript((CANNED[lang], at)), "output_noisy": transcript((CANNED[lang], at))}
                for at in (0.5, 2.0, 6.0)]
    if name == "silence":
        return [{**base, "output_clean": SILENT, "output_noisy": SILENT}]
    if name == "noise":
        return [{**base, "output_noisy": transcript(("uh", 1.0), ("mm", 3.3), ("ah", 5.1), ("hmm", 6.7)),
                 "output_clean": transcript(("mm", 1.4), ("uh", 4.0))}]
    if name == "replay":
        return [{**base, "output_noisy": base["output_clean"]}]
    raise ValueError(name)


@pytest.fixture(scope="module")
def encoder():
    return shared_encoder()


def _ratio(encoder, system, overlaps, tag):
    tags = [decide_behaviour(ctx, encoder).tag for lang, texts in overlaps.items() for o in texts
            for ctx in degenerate(system, lang, o)]
    return sum(t == tag for t in tags) / len(tags)


@pytest.mark.parametrize("system", ["echo", "canned", "silence", "noise", "replay"])
def test_degenerate_system_gets_no_respond(encoder, system):
    assert _ratio(encoder, system, INTERRUPTIONS, "C_RESPOND") <= 0.2


@pytest.mark.parametrize("system", ["echo", "canned", "silence", "noise"])
def test_degenerate_system_gets_no_resume(encoder, system):
    assert _ratio(encoder, system, REJECTIONS, "C_RESUME") <= 0.2
    assert _ratio(encoder, system, INTERRUPTIONS, "C_RESUME") <= 0.2


def test_replaying_the_clean_output_is_resume_which_is_what_rejection_rewards(encoder):
    # Not a proxy weakness: ignoring every overlap IS the target behaviour of the rejection scenarios, and the
    # official LLM judge's C_RESUME definition says so too; the same system scores 0 on every interruption.
    assert _ratio(encoder, "replay", REJECTIONS, "C_RESUME") == 1.0
    assert _ratio(encoder, "replay", INTERRUPTIONS, "C_RESUME") == 1.0


def test_talking_on_after_a_stop_request_is_not_respond(encoder):
    for lang, after in (("zh", "这座城市的咖啡馆文化也很有名，街边到处都是咖啡馆。"),
                        ("en", "The city also has lovely cafes on almost every street corner.")):
        overlap = INTERRUPTIONS[lang][2]
        assert decide_behaviour(sample(lang, overlap, after), encoder).tag != "C_RESPOND"


def test_constructed_cases_keep_their_labels(encoder):
    cases = {**CASES, **EXTRA_CASES}
    right = sum(decide_behaviour(sample(lang, o, a), encoder).tag == exp for (lang, _), (o, a, exp) in cases.items())
    assert right == len(cases)


CONSTANT = {"en": "Thank you for sharing. I understand how you feel.", "zh": "谢谢你的分享，我理解你的感受。"}


def _text_dims(results):
    out = {}
    for lang, entry in results["per_language"].items():
        for code, task in entry["tasks"].items():
            for dim, v in task["dims"].items():
                out[(lang, code, dim)] = v["mean"]
    return out


def test_constant_track1_reply_scores_at_most_2_and_real_replies_keep_theirs(tmp_path):
    gold, sub = write_example(tmp_path / "ex", per_task=1)  # the one dialogue per task has the good replies
    good = _text_dims(evaluate(gold, sub, Track1ProxyJudge(), tmp_path / "good", EvalOptions()))
    for path in sub.glob("*/HD-Track1-T*.jsonl"):
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        for line in lines:
            for turn in line["turns"]:
                turn["response_text"] = CONSTANT[path.parent.name]
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    constant = _text_dims(evaluate(gold, sub, Track1ProxyJudge(), tmp_path / "const", EvalOptions()))
    assert constant and all(v <= 2 for v in constant.values()), constant
    assert all(good[k] >= 3 for k in good), good
