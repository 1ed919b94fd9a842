"""The demo's headline: a Track 2 final per language and overall, or the reason it cannot be computed."""

from __future__ import annotations

import io

from rich.console import Console

from humdial.pipeline.demo import headline
from humdial.pipeline.headline import track2_finals
from humdial.protocol import track2 as registry
from humdial.results.track2 import UnitValues, build_track2_results
from humdial.scoring.track2 import DelayScoreParams, language_block, overall_block

PARAMS = DelayScoreParams()


def _scenarios(delay: float, hole: str | None = None) -> dict[str, dict]:
    """Every scenario scored; `hole` loses its first-response delay (as when no output word was recognised)."""
    out = {}
    for sc in registry.scenarios():
        value = {"headline": 0.8 if sc.is_interruption else 0.6, "first_response_delay": delay}
        if sc.is_interruption:
            value.update(stop_latency=delay / 2, response_latency=delay)
        if sc.id == hole:
            value["first_response_delay"] = None
        out[sc.id] = value
    return out


def _sample(lang: str, unit: str, diff: float | None) -> dict:
    return {"sample_id": f"{lang}-{unit}-{diff}", "lang": lang, "unit": unit, "status": "ok",
            "first_response": {"diff": diff}}


def _results(languages: dict[str, dict[str, dict]], samples: list[dict]) -> object:
    blocks = {lang: language_block(scen) for lang, scen in languages.items()}
    data = {"mode": "official", "provenance": {"asr": {"routes": {"zh": {"spec": "whisper"}, "en": {"spec": "whisper"}}}},
            "official": {"scenarios": languages, "languages": blocks, "overall": overall_block(blocks, PARAMS)},
            "samples": samples}
    return build_track2_results(data)


def test_a_language_without_a_valid_delay_says_which_scenario_and_why():
    results = _results({"zh": _scenarios(1.2, hole="pause"), "en": _scenarios(0.9)},
                       [_sample("zh", "pause", None), _sample("zh", "pause", None), _sample("zh", "stop", 0.5)])
    zh, en, overall = track2_finals(results)
    assert zh.value is None
    assert zh.reason == ("no valid first-response delay in scenario pause "
                         "(0 of 2 samples answered after the anchor ended, 2 had no recognised first word)")
    assert en.value is not None and not en.reason
    alone = overall_block({"en": language_block(_scenarios(0.9))}, PARAMS)  # the scorer's own en-only final
    assert en.value == alone["final_score"]
    assert overall.value is None and overall.reason == "needs the zh and en totals; zh has none (reason above)"


def test_complete_runs_print_every_final_and_the_evaluators_asr():
    results = _results({"zh": _scenarios(1.2), "en": _scenarios(0.9)}, [])
    finals = {f.scope: f for f in track2_finals(results)}
    assert all(f.value is not None for f in finals.values())
    assert finals["overall"].reason == "zh+en" and finals["overall"].value == results.official.overall.final_score
    buffer = io.StringIO()
    headline(results, ("en", "zh"), Console(file=buffer, width=200))
    text = buffer.getvalue()
    assert "evaluator's own ASR: en=whisper, zh=whisper" in text
    assert f"zh: {finals['zh'].value:.1f}" in text and f"overall: {finals['overall'].value:.1f} (zh+en)" in text


def test_a_one_language_run_is_labelled_and_a_missing_language_explained():
    results = _results({"en": _scenarios(0.9)}, [])
    zh, en, overall = track2_finals(results)
    assert zh.value is None and zh.reason == "no zh samples were evaluated"
    assert overall.value == en.value and overall.reason == "en only"
    assert [f.scope for f in track2_finals(results, ("en",))] == ["en", "overall"]


def test_a_missing_scenario_score_carries_its_pending_reason():
    scen = _scenarios(0.9)
    scen["backchannel"]["headline"] = None
    data = _results({"en": scen}, [])
    data.units["en"] = {"backchannel": UnitValues.model_validate({"official": {"pending": "judge not run"}})}
    en = track2_finals(data, ("en",))[0]
    assert en.value is None and en.reason == "no score for scenario backchannel (judge not run)"


def test_a_one_language_run_without_a_final_says_so():
    results = _results({"en": _scenarios(0.9, hole="stop")}, [_sample("en", "stop", None)])
    en, overall = track2_finals(results, ("en",))
    assert en.reason == ("no valid first-response delay in scenario stop "
                         "(0 of 1 samples answered after the anchor ended, 1 had no recognised first word)")
    assert overall.value is None and overall.reason == "en only run, and en has no final (reason above)"


def test_a_scenario_of_two_units_says_which_unit_spoke_early():
    """The demo's case: both third-party-before samples answered before the user's query ended."""
    results = _results({"zh": _scenarios(1.2, hole="third_party"), "en": _scenarios(0.9)},
                       [_sample("zh", "third_party.after", 0.8), _sample("zh", "third_party.after", 0.6),
                        _sample("zh", "third_party.before", -4.1), _sample("zh", "third_party.before", -0.2)])
    zh = track2_finals(results)[0]
    assert zh.reason == ("no valid first-response delay in scenario third_party "
                         "(third_party.after: 2 of 2 samples answered after the anchor ended; "
                         "third_party.before: 0 of 2 samples answered after the anchor ended, 2 spoke before it ended)")
