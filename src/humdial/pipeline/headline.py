"""The demo's headline: the Track 2 final score for zh, en and overall, or the reason a value is missing.

Why per language: the final leaderboard reports Chinese and English separately, and a demo whose overall
final is empty must say which language and which scenario stopped it ("zh: no valid first-response delay
in scenario pause (0 of 3 samples answered after the anchor ended, 3 spoke before it ended)"), not print a
dash.
Per-language finals use the same arithmetic as the overall one (scoring.track2: delay score from the
language's total delay, then 0.4 / 0.4 / 0.2), so they are read as "this language alone".
"""

from __future__ import annotations

from dataclasses import dataclass

from humdial.protocol import track2 as registry
from humdial.results.track2 import LanguageBlock, ModeBlock, Track2Results
from humdial.scoring.track2 import DelayScoreParams, delay_score, final_score

LATENCY_NAMES = {"first_response_delay": "first-response delay", "stop_latency": "stop latency",
                 "response_latency": "response latency"}


@dataclass(frozen=True)
class FinalScore:
    scope: str
    """zh, en or overall."""
    value: float | None
    reason: str = ""
    """Why `value` is None; for overall, also what it covers ("zh+en", "en only")."""

    def line(self) -> str:
        if self.value is None:
            return f"{self.scope}: no final score: {self.reason}"
        return f"{self.scope}: {self.value:.1f}" + (f" ({self.reason})" if self.reason else "")


def _params(results: Track2Results, block: ModeBlock) -> DelayScoreParams:
    chosen = block.overall.delay_score_params or results.provenance.delay_score_params or {}
    known = DelayScoreParams.__dataclass_fields__
    return DelayScoreParams(**{k: v for k, v in chosen.items() if k in known})


def _scenario_samples(results: Track2Results, lang: str, scenario_id: str) -> list:
    units = {u.key for u in registry.scenario(scenario_id).units}
    return [s for s in results.samples if s.lang == lang and s.unit in units]


def _delay_evidence(samples: list, unit: str, labelled: bool) -> str:
    """Why a unit's samples gave no first-response delay: the official rule keeps only first words that
    come after the anchor segment ends, so say how many did, how many came early and how many had none."""
    mine = [s for s in samples if s.unit == unit]
    heard = [s.first_response.diff for s in mine if s.first_response is not None and s.first_response.diff is not None]
    late = sum(1 for d in heard if d > 0)
    parts = [f"{late} of {len(mine)} samples answered after the anchor ended"]
    if len(heard) > late:
        parts.append(f"{len(heard) - late} spoke before it ended")
    if len(mine) > len(heard):
        parts.append(f"{len(mine) - len(heard)} had no recognised first word")
    return (f"{unit}: " if labelled else "") + ", ".join(parts)


def _why_missing(results: Track2Results, block: ModeBlock, lang: str, missing: list[str]) -> str:
    """A language block's `missing` entries (`kind:scenario`) in words, grouped by kind, with the evidence."""
    by_kind: dict[str, list[str]] = {}
    for entry in missing:
        kind, _, scenario_id = entry.partition(":")
        by_kind.setdefault(kind, []).append(scenario_id)
    parts = []
    for kind, scenario_ids in by_kind.items():
        samples = [s for sc in scenario_ids for s in _scenario_samples(results, lang, sc)]
        names = ", ".join(scenario_ids)
        plural = "s" if len(scenario_ids) > 1 else ""
        if kind == "headline":
            pending = [u.official.pending for key, u in results.units.get(lang, {}).items()
                       if key.split(".")[0] in scenario_ids and u.official.pending]
            detail = "; ".join(dict.fromkeys(pending)) or f"{len(samples)} sample(s), none scored"
            parts.append(f"no score for scenario{plural} {names} ({detail})")
            continue
        if kind == "first_response_delay":
            evidence = []
            for sc in scenario_ids:
                units = [u.key for u in registry.scenario(sc).units if any(s.unit == u.key for s in samples)]
                evidence += [_delay_evidence(samples, unit, labelled=len(units) > 1) for unit in units]
            detail = "; ".join(evidence)
        else:
            timed = sum(1 for s in samples if s.event is not None and getattr(s.event, kind, None) is not None)
            detail = f"{timed} of {len(samples)} samples had one"
        parts.append(f"no valid {LATENCY_NAMES.get(kind, kind)} in scenario{plural} {names} ({detail})")
    return "; ".join(parts)


def language_final(results: Track2Results, lang: str, block: ModeBlock | None = None) -> FinalScore:
    block = block or results.block()
    entry: LanguageBlock | None = block.languages.get(lang)
    if entry is None:
        return FinalScore(lang, None, f"no {lang} samples were evaluated")
    if entry.missing:
        return FinalScore(lang, None, _why_missing(results, block, lang, entry.missing))
    values = (entry.interruption_total, entry.rejection_total, entry.total_delay_s)
    if None in values:
        return FinalScore(lang, None, "a total is missing and the results do not say why")
    if entry.total_delay_s <= 0:
        return FinalScore(lang, None, f"total delay {entry.total_delay_s} s is not positive, so it has no delay score")
    dscore = delay_score(entry.total_delay_s, _params(results, block))
    return FinalScore(lang, final_score(entry.interruption_total, entry.rejection_total, dscore))


def overall_final(results: Track2Results, finals: list[FinalScore], block: ModeBlock | None = None) -> FinalScore:
    block = block or results.block()
    overall = block.overall
    scope = "zh+en" if overall.scope == "zh+en" else f"{overall.scope} only" if overall.scope != "none" else ""
    if overall.final_score is not None:
        return FinalScore("overall", overall.final_score, scope)
    if overall.scope in ("zh", "en"):
        return FinalScore("overall", None, f"{overall.scope} only run, and {overall.scope} has no final (reason above)")
    missing = [f.scope for f in finals if f.value is None]
    if missing:
        return FinalScore("overall", None, f"needs the zh and en totals; {' and '.join(missing)} "
                                           f"{'has' if len(missing) == 1 else 'have'} none (reason above)")
    return FinalScore("overall", None, f"not computed (scope {overall.scope})")


def track2_finals(results: Track2Results, langs: tuple[str, ...] = ("zh", "en")) -> list[FinalScore]:
    """zh, en (those asked for) and overall, in the run's own mode."""
    block = results.block()
    finals = [language_final(results, lang, block) for lang in langs]
    return finals + [overall_final(results, finals, block)]
