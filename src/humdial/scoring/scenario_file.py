"""The per-scenario values file read by `humdial score track2` (and found inside track2_results.json).

Format (JSON):
    {"languages": {"en": {"follow_up": {"headline": 0.80, "stop_latency": 1.2, "response_latency": 2.0,
                                        "first_response_delay": 1.5},
                          ... the other four interruption scenarios likewise ...,
                          "backchannel": {"headline": 0.81, "first_response_delay": 2.7},
                          "pause": {"headline": 0.853, "first_response_delay": 2.7},
                          "third_party": {"after": 0.2, "before": 0.02, "first_response_delay": 2.7},
                          "speech_to_others": {"headline": 0.05, "first_response_delay": 2.7}},
                   "zh": {...}},
     "delay_score_params": {"k": 40, "L_min": 0.624, "L_base": 2.531}}      (optional)
Scenario keys accept any alias (e.g. "ask", "Follow-up_Questions"). Third-party may give "headline"
directly or "after" and "before". A track2_results.json is accepted as is (its `official` block, or
`strict` with mode="strict").
"""

from __future__ import annotations

import json
from pathlib import Path

from humdial.errors import HumdialError
from humdial.protocol import track2 as registry
from humdial.scoring import track2 as scoring


def _scenario_values(raw: dict, where: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for name, values in raw.items():
        sid, _ = registry.resolve(name)
        if not isinstance(values, dict):
            raise HumdialError(f"{where}/{name}: expected an object of values")
        v = dict(values)
        if sid == "third_party" and v.get("headline") is None and "after" in v and "before" in v:
            v["headline"] = scoring.combine_third_party(v["after"], v["before"])
        v.setdefault("headline", None)
        v.setdefault("first_response_delay", None)
        out[sid] = v
    return out


def load_scenario_file(path: str | Path, mode: str = "official") -> tuple[dict[str, dict], scoring.DelayScoreParams]:
    """Return ({lang: {scenario id: values}}, delay score parameters) from either accepted format."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HumdialError(f"cannot read scenario values from {path}: {exc}") from exc
    params = scoring.DelayScoreParams()
    if isinstance(data, dict) and str(data.get("schema", "")).startswith("humdial.track2_results"):
        scen = data[mode]["scenarios"]
        p = data[mode]["overall"].get("delay_score_params")
    elif isinstance(data, dict) and isinstance(data.get("languages"), dict):
        scen = {registry.normalise_language(lang): _scenario_values(v, f"{path}:{lang}")
                for lang, v in data["languages"].items()}
        p = data.get("delay_score_params")
    else:
        raise HumdialError(f"{path}: expected {{'languages': {{lang: {{scenario: values}}}}}} or a track2_results.json")
    if p:
        params = scoring.DelayScoreParams(k=p.get("k", params.k), L_min=p.get("L_min", params.L_min),
                                          L_base=p.get("L_base", params.L_base), clip=p.get("clip", False))
    return scen, params


def score_scenarios(scen: dict[str, dict], params: scoring.DelayScoreParams) -> dict:
    languages = {lang: scoring.language_block(values_with_defaults(v)) for lang, v in scen.items()}
    return {"languages": languages, "overall": scoring.overall_block(languages, params)}


def values_with_defaults(values: dict[str, dict]) -> dict[str, dict]:
    return {s.id: values.get(s.id, {"headline": None, "first_response_delay": None}) for s in registry.scenarios()}
