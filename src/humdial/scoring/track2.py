"""Track 2 totals, delay score and final score from per-scenario values (track2.md section 3).

Inputs are per-language scenario values (fractions in [0, 1] and latencies in seconds). All
arithmetic runs on decimals and each stage is rounded half up where the official readme says so.
Constants come from `protocol/data/track2_scoring.json` and can be overridden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from humdial.protocol import track2 as registry
from humdial.protocol.resources import load_json
from humdial.scoring.rounding import dec, mean, round_half_up

_CONST = load_json("track2_scoring.json")
_ROUND = _CONST["rounding"]


@dataclass(frozen=True)
class DelayScoreParams:
    """Delay score `100 - k * ln(L / L_min) / ln(L_base / L_min)`; defaults are the final ranking's."""

    k: float = _CONST["delay_score"]["k"]
    L_min: float = _CONST["delay_score"]["L_min"]
    """Lowest total delay in the field (HelloWorld, 0.624 s)."""
    L_base: float = _CONST["delay_score"]["L_base"]
    """The official baseline's total delay (2.531 s), which maps to 100 - k."""
    clip: bool = False
    """The official score is not clipped; clip=True bounds it to [0, 100]."""


def delay_score(total_delay_s: float, params: DelayScoreParams = DelayScoreParams(), rounded: bool = True) -> float:
    if total_delay_s <= 0:
        raise ValueError(f"total delay must be positive, got {total_delay_s}")
    raw = 100 - params.k * math.log(total_delay_s / params.L_min) / math.log(params.L_base / params.L_min)
    if params.clip:
        raw = min(100.0, max(0.0, raw))
    return round_half_up(raw, _ROUND["delay_score"]) if rounded else raw


def delay_score_bounds(total_delay_s: float, digits: int = 3,
                       params: DelayScoreParams = DelayScoreParams()) -> tuple[float, float]:
    """Range of unrounded delay scores consistent with latencies published to `digits` decimals.

    The organisers computed scores from unrounded latencies, so a published 3-decimal latency
    (and L_min, L_base) only pins the score to an interval. Used to check published rows honestly.
    """
    h = 0.5 * 10 ** -digits
    scores = []
    for L in (total_delay_s - h, total_delay_s + h):
        for lmin in (params.L_min - h, params.L_min + h):
            for lb in (params.L_base - h, params.L_base + h):
                p = DelayScoreParams(k=params.k, L_min=lmin, L_base=lb, clip=params.clip)
                scores.append(delay_score(L, p, rounded=False))
    return min(scores), max(scores)


def final_score(interruption_total: float, rejection_total: float, delay_score_value: float) -> float:
    w = _CONST["final_weights"]
    raw = (dec(w["interruption"]) * dec(interruption_total) + dec(w["rejection"]) * dec(rejection_total)
           + dec(w["delay"]) * dec(delay_score_value))
    return round_half_up(raw, _ROUND["final"])


@dataclass
class LanguageScores:
    """Per-language totals; None where an input is missing (the reason is in `missing`)."""

    interruption_total: float | None
    rejection_total: float | None
    total_delay_s: float | None
    scenario_values: dict[str, float | None]
    missing: list[str] = field(default_factory=list)


INTERRUPTION_KEYS = tuple(s.id for s in registry.scenarios() if s.is_interruption)
REJECTION_KEYS = tuple(s.id for s in registry.scenarios() if not s.is_interruption)


def combine_third_party(after: float, before: float) -> float:
    """Third-party value = 0.5 * RESUME(after) + 0.5 * rejection rate(before), 3 decimals."""
    w = registry.scenario("third_party").combine_weights or {"after": 0.5, "before": 0.5}
    return round_half_up(dec(w["after"]) * dec(after) + dec(w["before"]) * dec(before), _ROUND["scenario_value"])


def language_totals(headline: dict[str, float | None], stop_latency: dict[str, float | None],
                    response_latency: dict[str, float | None],
                    first_response_delay: dict[str, float | None]) -> LanguageScores:
    """Totals for one language.

    `headline` maps scenario id -> value (third_party already combined). Latency dicts map the
    five interruption scenario ids to pooled means; `first_response_delay` maps each of the nine
    scenarios (third_party already averaged over its variants) to a mean delay.
    """
    missing = [f"headline:{k}" for k in INTERRUPTION_KEYS + REJECTION_KEYS if headline.get(k) is None]
    interruption = rejection = delay = None
    if not any(m.split(":")[1] in INTERRUPTION_KEYS for m in missing):
        interruption = round_half_up(mean(headline[k] for k in INTERRUPTION_KEYS) * 100, _ROUND["track_total"])
    if not any(m.split(":")[1] in REJECTION_KEYS for m in missing):
        rejection = round_half_up(mean(headline[k] for k in REJECTION_KEYS) * 100, _ROUND["track_total"])
    stops = [stop_latency.get(k) for k in INTERRUPTION_KEYS]
    resps = [response_latency.get(k) for k in INTERRUPTION_KEYS]
    frds = [first_response_delay.get(k) for k in INTERRUPTION_KEYS + REJECTION_KEYS]
    for name, values, keys in (("stop_latency", stops, INTERRUPTION_KEYS), ("response_latency", resps, INTERRUPTION_KEYS),
                               ("first_response_delay", frds, INTERRUPTION_KEYS + REJECTION_KEYS)):
        missing += [f"{name}:{k}" for k, v in zip(keys, values) if v is None]
    if all(v is not None for v in stops + resps + frds):
        delay = total_delay(mean(stops), mean(resps), mean(frds))
    return LanguageScores(interruption, rejection, delay, dict(headline), missing)


def total_delay(stop_mean: float | Decimal, response_mean: float | Decimal, frd_mean: float | Decimal) -> float:
    """Mean of the three latency means, 3 decimals."""
    return round_half_up(mean([stop_mean, response_mean, frd_mean]), _ROUND["total_delay"])


def across_languages(values: dict[str, float | None], digits: int | None = None) -> float | None:
    """Weighted mean over languages (0.5 zh + 0.5 en by default); None if any is missing."""
    weights = _CONST["language_weights"]
    if any(values.get(lang) is None for lang in weights):
        return None
    raw = sum((dec(w) * dec(values[lang]) for lang, w in weights.items()), Decimal(0))
    return round_half_up(raw, _ROUND["track_total"] if digits is None else digits)


# Blocks of the results file: one language's totals, and the overall row across languages.

def language_block(scen: dict[str, dict]) -> dict:
    totals = language_totals(
        headline={k: v["headline"] for k, v in scen.items()},
        stop_latency={k: v.get("stop_latency") for k, v in scen.items()},
        response_latency={k: v.get("response_latency") for k, v in scen.items()},
        first_response_delay={k: v["first_response_delay"] for k, v in scen.items()})
    return {"interruption_total": totals.interruption_total, "rejection_total": totals.rejection_total,
            "total_delay_s": totals.total_delay_s, "missing": totals.missing}


def overall_block(languages: dict[str, dict], params: DelayScoreParams) -> dict:
    """Across languages (0.5 zh + 0.5 en); total delay is the mean of the language delays."""
    present = list(languages)
    pick = lambda key: {lang: languages[lang][key] for lang in present}  # noqa: E731
    if set(present) >= {"zh", "en"}:
        inter, rej = across_languages(pick("interruption_total")), across_languages(pick("rejection_total"))
        delays = pick("total_delay_s")
        delay = (round_half_up(sum(delays.values()) / len(delays), 3) if None not in delays.values() else None)
        scope = "zh+en"
    elif len(present) == 1:
        only = languages[present[0]]
        inter, rej, delay = only["interruption_total"], only["rejection_total"], only["total_delay_s"]
        scope = present[0]
    else:
        return {"scope": "none"}
    dscore = delay_score(delay, params) if delay else None
    final = final_score(inter, rej, dscore) if None not in (inter, rej, dscore) else None
    return {"scope": scope, "interruption_total": inter, "rejection_total": rej, "total_delay_s": delay,
            "delay_score": dscore, "final_score": final,
            "delay_score_params": {"k": params.k, "L_min": params.L_min, "L_base": params.L_base, "clip": params.clip}}
