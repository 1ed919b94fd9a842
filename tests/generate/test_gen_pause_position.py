"""Pause Handling scripts pause mid-sentence: never right after a finished sentence, in either language.

A pause after "Can you help me?" or "你能帮帮我吗？" follows a complete question, where answering is the right
behaviour, so such a sample would test nothing. Hesitant openers ("Let me think.") stay allowed.
"""

from __future__ import annotations

import random

import pytest

from humdial.generate.bank import load_bank
from humdial.generate.track2.script import BREAK, compose, zh_pause_points


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_in_query_pause_never_follows_a_sentence_end(lang):
    openers = {o.replace(BREAK, "").strip() for o in load_bank(f"track2_{lang}")["generic"]["pause_openers"]}
    in_query = 0
    for seed in range(1500):
        text = next(p.text for p in compose(lang, "pause", random.Random(seed)).parts if BREAK in p.text)
        before = text.split(BREAK)[0].strip()
        if any(before.endswith(o) for o in openers):
            continue
        in_query += 1
        assert before[-1] not in "。？！.?!", text
    assert in_query > 300  # the in-query branch is exercised


def test_no_pause_point_after_a_question_mark():
    pieces = ["你能帮帮我吗？", "我的", "手机", "开不了机。"]
    text = "".join(pieces)
    assert "你能帮帮我吗？" not in [text[:p] for p in zh_pause_points(pieces)]
    assert "你能帮帮我吗？我的" in [text[:p] for p in zh_pause_points(pieces)]
