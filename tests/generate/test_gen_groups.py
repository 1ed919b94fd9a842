"""Voice groups and the generator's voice flags (generate/groups.py, generate/voices.py, gen track1|track2)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from humdial.cli import main
from humdial.errors import HumdialError
from humdial.generate import groups
from humdial.generate.driver import render_track2_chunk
from humdial.generate.track2.plan import plan_dev
from humdial.generate.voices import ENGINES, VoiceOptions, group_of, group_table, pick_voices, pool
from humdial.tts import piper

needs_piper = pytest.mark.skipif(not piper.available(), reason="optional extra humdial[voices] not installed")


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _in_bands(value: float, bounds: tuple[float, float], group: str) -> bool:
    return any(lo - 1e-9 <= value <= hi + 1e-9 for lo, hi in groups.bands(bounds, group))


def test_split_is_pinned_disjoint_and_complete():
    # a changed split would silently mix tuning and evaluation voices across versions: pinned here
    assert groups.split("espeak:en:user", ["en-us+m3", "en-us+f1", "en-us+m1", "en-us+f4", "en+m7", "en-us+Annie"]) \
        == {"tune": ["en-us+m3", "en-us+f4", "en-us+Annie"], "eval": ["en-us+f1", "en-us+m1", "en+m7"]}
    table = group_table()
    assert set(table["voices"]) == {"espeak:en:user", "espeak:en:third_party", "piper:en", "espeak:zh:user",
                                    "espeak:zh:third_party"}
    for name, halves in table["voices"].items():
        assert not set(halves["tune"]) & set(halves["eval"]), name
        assert len(halves["eval"]) >= 2 and len(halves["tune"]) >= len(halves["eval"]), name
    for lang in ("en", "zh"):
        for role in ("user", "third_party"):
            everything = pool(lang, role, "mixed")
            assert sorted(pool(lang, role, "mixed", "tune") + pool(lang, role, "mixed", "eval")) == sorted(everything)
            assert all(group_of(v, lang) == "tune" for v in pool(lang, role, "mixed", "tune"))
            assert all(group_of(v, lang) == "eval" for v in pool(lang, role, "mixed", "eval"))


def test_bands_interleave_and_all_draws_like_the_plain_generator():
    assert groups.bands((0.0, 4.0), "tune") == [(0.0, 1.0), (2.0, 3.0)]
    assert groups.bands((0.0, 4.0), "eval") == [(1.0, 2.0), (3.0, 4.0)]
    a, b = random.Random(5), random.Random(5)
    assert [groups.draw(a, (-26.0, -20.0), "all") for _ in range(5)] == [b.uniform(-26.0, -20.0) for _ in range(5)]
    rng = random.Random(1)
    for group in ("tune", "eval"):
        values = [groups.draw(rng, (10.0, 35.0), group) for _ in range(200)]
        assert all(_in_bands(v, (10.0, 35.0), group) for v in values)
        assert min(values) < 16.25 + 6.25 and max(values) > 28.75 - 6.25  # both bands are used
    with pytest.raises(HumdialError):
        VoiceOptions(group="holdout")


@pytest.mark.parametrize("engines", ENGINES)
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("group", ["tune", "eval"])
def test_picked_voices_stay_in_their_group(engines, lang, group):
    rng = random.Random(0)
    options = VoiceOptions(engines=engines, group=group)
    for _ in range(40):
        user, other = pick_voices(lang, options, rng)
        assert user != other and group_of(user, lang) == group and group_of(other, lang) == group


def _render(out: Path, options: VoiceOptions, units: set[str]) -> list[dict]:
    return render_track2_chunk([j for j in plan_dev(out, ["en"], 1, 11, voices=options) if j.unit in units])


def test_eval_group_samples_record_their_conditions_and_stay_in_their_bands(tmp_path):
    from humdial.generate import rooms, voices

    options = VoiceOptions(rooms=True, spread=True, group="eval")
    records = _render(tmp_path, options, {"third_party.after", "backchannel"})
    assert all("error" not in r for r in records), records
    for r in records:
        assert r["voices"] == options.describe()
        assert all(p["voice_group"] == "eval" and group_of(p["voice"], "en") == "eval" for p in r["parts"])
        timing = r["timing"]
        assert _in_bands(timing["user_level_dbfs"], voices.USER_LEVEL_DBFS, "eval")
        assert _in_bands(r["snr_db"], voices.SNR_DB, "eval")
        assert all(_in_bands(x, voices.RATE_FACTOR, "eval") for x in timing["rates"].values())
        assert _in_bands(timing["room"]["rt60_s"], rooms.RT60_S, "eval")
        assert _in_bands(timing["room"]["distance_m"]["user"], rooms.NEAR_M, "eval")
        assert timing["onsets_checked"] >= 1 and timing["onsets_off"] == 0
    third = next(r for r in records if r["unit"] == "third_party.after")
    assert _in_bands(third["timing"]["third_party_level_db"], voices.THIRD_PARTY_LEVEL_DB, "eval")


def test_gen_track2_flags_same_seed_same_bytes(tmp_path, capsys):
    args = ["gen", "track2", "--lang", "en", "--n", "1", "--seed", "4", "--spread", "--voice-group", "tune", "--quiet"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["written"] == 10 and summary["onsets"]["checked"] >= 10 and summary["onsets"]["off"] == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    records = [json.loads(x) for x in (tmp_path / "a" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(r["voices"] == {"engines": "espeak", "rooms": False, "spread": True, "group": "tune"} for r in records)
    assert all(p["voice_group"] == "tune" for r in records for p in r["parts"])
    assert all(r["snr_db"] is not None and "rates" in r["timing"] for r in records)
    stamp = json.loads((tmp_path / "a" / "humdial_gen.json").read_text(encoding="utf-8"))
    assert "group='tune'" in stamp["voices"]


@pytest.mark.parametrize("track", ["track1", "track2"])
def test_piper_without_the_extra_is_one_clear_line(tmp_path, capsys, monkeypatch, track):
    monkeypatch.setattr(piper, "available", lambda: False)
    code = main(["gen", track, "--out", str(tmp_path / "x"), "--lang", "en", "--n", "1", "--voices", "piper"])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1
    assert "humdial[voices]" in err and "--voices piper" in err
    assert not (tmp_path / "x").exists()  # refused before any work


def test_track1_refuses_track2_only_options(tmp_path):
    from humdial.generate.driver import generate_track1

    with pytest.raises(HumdialError, match="Track 2 only"):
        generate_track1(tmp_path, ["en"], 1, 1, voices=VoiceOptions(rooms=True))


@needs_piper
def test_track1_speaks_with_a_piper_voice_of_the_group(tmp_path):
    from humdial.generate.driver import render_track1_chunk
    from humdial.generate.track1.plan import plan

    def run(out: Path) -> tuple[list, list[dict]]:
        items = plan(out, ["en"], 1, 3, voices=VoiceOptions(engines="piper", group="eval"))[:2]
        return items, render_track1_chunk(items)

    items, records = run(tmp_path / "a")
    again_items, again = run(tmp_path / "b")
    assert all("error" not in r for r in records), records
    for item, r, other_item in zip(items, records, again_items):
        assert r["voice"] in pool("en", "user", "piper", "eval") and r["voice"].startswith("piper:")
        for turn in r["turns"]:
            name = f"{item.dialogue_id}_{turn['turn_id']}.wav"
            assert (Path(item.audio_dir) / name).read_bytes() == (Path(other_item.audio_dir) / name).read_bytes()


def test_docs_list_the_split_as_the_code_draws_it():
    docs = (Path(__file__).parents[2] / "docs" / "generate.md").read_text(encoding="utf-8")
    table = group_table()
    for name, halves in table["voices"].items():
        assert f"| {name} | {', '.join(halves['tune'])} | {', '.join(halves['eval'])} |" in docs, name
    for name, halves in table["bands"].items():
        row = [", ".join(f"{lo:g} to {hi:g}" for lo, hi in halves[g]) for g in ("tune", "eval")]
        assert f"| {name} | {row[0]} | {row[1]} |" in docs, name
