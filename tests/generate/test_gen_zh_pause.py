"""Chinese Pause Handling scripts: the [break] pause falls between words, never inside one."""

from __future__ import annotations

import random
import re

from humdial.generate.bank import Filler, load_bank
from humdial.generate.track2.script import BREAK, MIN_SIDE_CHARS, compose, zh_pause_points

CJK = re.compile(r"[\u4e00-\u9fff]")


def _all_values(slots: dict[str, list[str]]) -> set[str]:
    """Every fully expanded slot value (nested slots expanded over all their own values)."""
    out: set[str] = set()

    def expand(text: str) -> None:
        match = re.search(r"\{(\w+)~?\}", text)
        if match is None:
            out.add(text)
            return
        for value in slots[match.group(1)]:
            expand(text[:match.start()] + value + text[match.end():])

    for values in slots.values():
        for value in values:
            expand(value)
    return out


WORDS_OF_TEMPLATES = ("天气", "预报", "怎么", "礼物", "推荐", "生日", "有什么", "好处", "计划", "问题", "同事", "体育馆")
"""Multi-character words of the templates themselves, including the two the old generator split."""


def test_breaks_never_split_a_slot_value_or_template_word_over_many_scripts():
    bank = load_bank("track2_zh")
    protected = {v for v in _all_values(bank["slots"]) if len(CJK.findall(v)) > 1} | set(WORDS_OF_TEMPLATES)
    inside = 0
    for seed in range(600):
        text = compose("zh", "pause", random.Random(seed)).parts[0].text
        assert text.count(BREAK) == 1, text
        before, after = (s.strip() for s in text.split(BREAK))
        joined = before + after
        cut = len(before)
        assert len(CJK.findall(before)) >= MIN_SIDE_CHARS and len(CJK.findall(after)) >= MIN_SIDE_CHARS, text
        assert not after[:1] in "，。？！、", text
        for word in protected:
            for m in re.finditer(re.escape(word), joined):
                assert not m.start() < cut < m.end(), f"{word!r} split in {text!r}"
        inside += not any(before.endswith(o.replace(BREAK, "").strip())
                          for o in bank["generic"]["pause_openers"])
    assert inside > 150  # the in-query branch is still exercised, not only openers


def test_pause_points_are_slot_edges_and_clause_ends():
    pieces = ["我要给", "一位同事", "买生日礼物，有什么好主意吗？"]
    text = "".join(pieces)
    points = zh_pause_points(pieces)
    assert [text[:p] for p in points] == ["我要给", "我要给一位同事", "我要给一位同事买生日礼物，"]


def test_same_seed_same_script():
    assert compose("zh", "pause", random.Random(3)) == compose("zh", "pause", random.Random(3))
    fill = Filler(load_bank("track2_zh")["slots"], random.Random(0))
    assert fill.fill("{place}") in load_bank("track2_zh")["slots"]["place"]
