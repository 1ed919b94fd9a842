"""Scenario banks: valid, varied enough, and slot filling behaves (corrections differ, values persist)."""

from __future__ import annotations

import random

import pytest

from humdial.errors import HumdialError
from humdial.generate.bank import Filler, load_bank
from humdial.generate.report import track1_sizes, track2_sizes
from humdial.generate.speech import spoken_text
from humdial.generate.track2.script import UNIT_KEYS, compose


@pytest.mark.parametrize("name", ["track2_en", "track2_zh", "track1_en", "track1_zh"])
def test_banks_load(name):
    assert load_bank(name)["language"] == name[-2:]


def test_size_report_shows_thousands_of_distinct_scripts():
    t2 = track2_sizes(["en", "zh"], draws=3000)
    assert set(t2) == set(UNIT_KEYS)
    for unit, row in t2.items():
        assert min(row.values()) >= 1000, (unit, row)
    t1 = track1_sizes(["en", "zh"], draws=1000)
    assert all(min(row.values()) >= 800 for row in t1.values())


def test_slot_values_persist_and_corrections_differ():
    fill = Filler({"city": ["A", "B", "C"]}, random.Random(0))
    first = fill.fill("{city}")
    assert fill.fill("in {city}") == f"in {first}"
    assert all(fill.fill("{city~}") != first for _ in range(20))
    with pytest.raises(HumdialError):
        fill.fill("{nowhere}")


def test_negations_correct_the_first_query():
    rng = random.Random(5)
    for _ in range(300):
        s = compose("en", "negation", rng)
        if ", not " in s.parts[1].text and s.parts[1].text.startswith("No, I said"):
            said, wrong = (x.removeprefix("a ") for x in
                           s.parts[1].text[len("No, I said "):].rstrip(".").split(", not "))
            assert said != wrong and wrong in s.parts[0].text
            assert " a a" not in s.parts[0].text + s.parts[1].text


def test_tags_are_spoken_not_read():
    assert spoken_text("[sigh] I lost it. [laughter]", "en") == "haah I lost it. ha ha ha"
    assert spoken_text("唉，[unknown]好吧", "zh") == "唉， 好吧"


def test_zh_scripts_are_chinese_and_en_scripts_are_not():
    rng = random.Random(1)
    for unit in UNIT_KEYS:
        zh = " ".join(compose("zh", unit, rng).texts)
        en = " ".join(compose("en", unit, rng).texts)
        assert any("\u4e00" <= c <= "\u9fff" for c in zh)
        assert not any("\u4e00" <= c <= "\u9fff" for c in en)
