"""`track2_results.json` (written by `humdial eval track2`, score stage) and `judge_ratios.json` (judge stage).

The models follow what the evaluator writes: provenance, counts, one record per sample (timing,
first response, errors, the judge's tags), per-unit values and, per mode, per-scenario, per-language
and overall blocks. Keys not modelled here are kept (extra="allow"), so nothing a writer adds is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from humdial.results.schema import Record, check_schema, dump, read_json_object, validate, write_model

SCHEMA = "humdial.track2_results/2"
OLDER_SCHEMAS = ("humdial.track2_results/1",)
"""Version 1 said `pending` where version 2 gives `unavailable` reasons; `upgrade_v1` reads it."""
RATIOS_SCHEMA = "humdial.track2_judge_ratios/1"
RERUN = "humdial eval track2"

Number = float | None


class ItemErrorRecord(Record):
    kind: str
    message: str = ""
    path: str | None = None
    stage: str | None = None


class AudioInfo(Record):
    duration: float
    sha256: str | None = None
    channels: int | None = None


class FirstResponse(Record):
    anchor_end: Number = None
    first_word_start: Number = None
    diff: Number = None
    """Seconds from the end of the anchor segment to the first output word (negative: spoke early)."""


class Event(Record):
    onset: float
    end: float
    stop_latency: Number = None
    response_latency: Number = None


class SampleJudge(Record):
    """The behaviour judge's answer for this sample (judged units only)."""

    status: str
    tags: list[str] = Field(default_factory=list)


class SampleVerdictRecord(Record):
    """Pass/fail of one sample against its scenario's criterion (`humdial.scoring.sample_verdict`)."""

    verdict: str
    reason: str = ""
    criterion: str = ""
    flags: list[str] = Field(default_factory=list)


class SampleRecord(Record):
    sample_id: str
    lang: str
    unit: str
    status: str = "error"
    files: dict[str, str | None] = Field(default_factory=dict)
    errors: list[ItemErrorRecord] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    input: AudioInfo | None = None
    output: AudioInfo | None = None
    model_segments: list[list[float]] = Field(default_factory=list)
    model_speech_s: Number = None
    user_segments: list[list[float]] = Field(default_factory=list)
    stop_intervals: list[list[float]] = Field(default_factory=list)
    response_intervals: list[list[float]] = Field(default_factory=list)
    event: Event | None = None
    first_response: FirstResponse | None = None
    judge: SampleJudge | None = None
    verdict: SampleVerdictRecord | None = None
    """Absent in files written before per-sample verdicts; readers recompute it then."""


class Counts(Record):
    samples: int = 0
    ok: int = 0
    with_errors: int = 0
    errors_by_kind: dict[str, int] = Field(default_factory=dict)
    with_warnings: int = 0


class Reason(Record):
    """Why a value is None: a code of `humdial.scoring.unavailable` and a sentence for people."""

    reason: str
    why: str
    cause: str = ""
    """The root cause in a few words (for tables and for the sentences of totals built on this value)."""


Reasons = dict[str, Reason]
"""field name -> why that field of the block is None."""


class UnitMode(Record):
    """One unit's values in one mode. Official values are plain numbers; strict latencies are
    {n, mean, median, p90} blocks; `unavailable` says why a value is None; `incomplete` (strict) counts
    samples the evaluator could not check (no transcript, no judge verdict), left out of the headline."""

    headline: Number = None
    headline_n: int | None = None
    unavailable: Reasons = Field(default_factory=dict)
    incomplete: int | None = None
    first_response_delay: float | dict[str, Any] | None = None


class UnitValues(Record):
    n_samples: int = 0
    n_ok: int = 0
    errors: dict[str, int] = Field(default_factory=dict)
    official: UnitMode = Field(default_factory=UnitMode)
    strict: UnitMode = Field(default_factory=UnitMode)


class ScenarioValue(Record):
    headline: Number = None
    first_response_delay: Number = None
    stop_latency: Number = None
    response_latency: Number = None
    after: Number = None
    before: Number = None
    missing: str | None = None
    unavailable: Reasons = Field(default_factory=dict)
    incomplete: int | None = None


class LanguageBlock(Record):
    interruption_total: Number = None
    rejection_total: Number = None
    total_delay_s: Number = None
    missing: list[str] = Field(default_factory=list)
    unavailable: Reasons = Field(default_factory=dict)
    incomplete: int | None = None


class OverallBlock(Record):
    scope: str = "none"
    interruption_total: Number = None
    rejection_total: Number = None
    total_delay_s: Number = None
    delay_score: Number = None
    final_score: Number = None
    delay_score_params: dict[str, float] | None = None
    unavailable: Reasons = Field(default_factory=dict)
    incomplete: int | None = None


class ModeBlock(Record):
    scenarios: dict[str, dict[str, ScenarioValue]] = Field(default_factory=dict)
    languages: dict[str, LanguageBlock] = Field(default_factory=dict)
    overall: OverallBlock = Field(default_factory=OverallBlock)


class Provenance(Record):
    humdial_version: str = ""
    mode: str = "official"
    layout: str = ""
    data: str = ""
    outputs: str = ""
    languages: str | list[str] = "all"
    stages: list[str] = Field(default_factory=list)
    vad: dict[str, Any] = Field(default_factory=dict)
    asr: dict[str, Any] = Field(default_factory=dict)
    judge: dict[str, Any] | None = None
    delay_score_params: dict[str, float] = Field(default_factory=dict)
    jobs: int = 1
    wall_seconds: float = 0.0
    file_sha256: dict[str, str] = Field(default_factory=dict)


class UnavailableEntry(Reason):
    where: str
    """"<lang>/<unit>", "<lang>" or "overall"."""
    metric: str


class Track2Results(Record):
    schema_: str = Field(SCHEMA, alias="schema")
    mode: str = "official"
    provenance: Provenance = Field(default_factory=Provenance)
    notes: list[str] = Field(default_factory=list)
    unavailable: list[UnavailableEntry] = Field(default_factory=list)
    """Every value of the run's mode that cannot be computed, with where it is and why."""
    layout_problems: list[dict[str, Any]] = Field(default_factory=list)
    counts: Counts = Field(default_factory=Counts)
    units: dict[str, dict[str, UnitValues]] = Field(default_factory=dict)
    official: ModeBlock = Field(default_factory=ModeBlock)
    strict: ModeBlock = Field(default_factory=ModeBlock)
    samples: list[SampleRecord] = Field(default_factory=list)

    def block(self, mode: str | None = None) -> ModeBlock:
        """The per-mode block of `mode` (default: the mode the run was made in)."""
        return self.strict if (mode or self.mode) == "strict" else self.official


class UnitRatio(Record):
    lang: str
    unit: str
    ratio: Number = None
    n: int = 0
    strict_ratio: Number = None
    strict_n: int = 0
    tag_counts: dict[str, int] = Field(default_factory=dict)


class JudgeRatiosFile(Record):
    """What the judge stage measured, so a later `--stages score` run can reuse it without judging again."""

    schema_: str = Field(RATIOS_SCHEMA, alias="schema")
    judge: dict[str, Any] | None = None
    ratios: list[UnitRatio] = Field(default_factory=list)

    def by_unit(self) -> dict[tuple[str, str], dict]:
        return {(r.lang, r.unit): r.model_dump(exclude={"lang", "unit"}) for r in self.ratios}


def why_unavailable(results: Track2Results, key: str, lang: str | None = None, mode: str | None = None) -> str:
    """The sentence saying why `key` (e.g. "final_score", "total_delay_s") of the overall block, or of one
    language's block, is None; "" when the value exists or no reason was recorded (for headlines such as
    the demo's, which must say why instead of printing a bare "-")."""
    block = results.block(mode)
    part = block.overall if lang is None else block.languages.get(lang)
    reason = part.unavailable.get(key) if part is not None else None
    return reason.why if reason else ""


def build_track2_results(data: dict, where: str = "track2 results") -> Track2Results:
    """Validate a freshly built results dict (raises ResultsFileError naming the bad field)."""
    return validate(Track2Results, {"schema": SCHEMA, **data}, where)


def write_track2_results(path: str | Path, results: Track2Results) -> Path:
    return write_model(path, results)


def load_track2_results(path: str | Path) -> Track2Results:
    """Read a results file of this version or version 1 (its `pending` becomes `unavailable` reasons)."""
    data = read_json_object(Path(path))
    check_schema(data, Path(path), SCHEMA, OLDER_SCHEMAS, rerun=RERUN)
    if data.get("schema") in OLDER_SCHEMAS:
        data = upgrade_v1(data)
    return validate(Track2Results, data, path)


LEGACY_REASON = "no_judge"
"""The code (`humdial.scoring.unavailable.NO_JUDGE`, spelt here: results/ sits below scoring/) of a value a
version-1 file marked `pending`: version 1 knew no other cause."""


def legacy_pending(text: str) -> dict[str, str]:
    return {"reason": LEGACY_REASON, "why": f"no behaviour-judge ratio in this (older) results file: {text}",
            "cause": "no judge ratio"}


def upgrade_v1(data: dict) -> dict:
    """Version 1 -> 2: each unit's `pending` sentence becomes its headline's `unavailable` reason (code
    `no_judge`, the only cause version 1 knew), and the top-level `pending` list the `unavailable` list."""
    data = dict(data)
    entries = []
    for lang, units in (data.get("units") or {}).items():
        for key, unit in (units or {}).items():
            for mode in ("official", "strict"):
                block = (unit or {}).get(mode)
                if isinstance(block, dict) and block.get("pending"):
                    text = block.pop("pending")
                    block.setdefault("unavailable", {})["headline"] = legacy_pending(text)
                    if mode == (data.get("mode") or "official"):
                        entries.append({"where": f"{lang}/{key}", "metric": "headline", **legacy_pending(text)})
    data.pop("pending", None)
    data["unavailable"] = entries
    data["schema"] = SCHEMA
    return data


def write_judge_ratios(path: str | Path, judge: dict | None, ratios: dict[tuple[str, str], dict]) -> Path:
    model = validate(JudgeRatiosFile, {"schema": RATIOS_SCHEMA, "judge": judge,
                                       "ratios": [{"lang": k[0], "unit": k[1], **v} for k, v in ratios.items()]}, path)
    return write_model(path, model)


def load_judge_ratios(path: str | Path) -> JudgeRatiosFile:
    """Files from before versioning (no schema) are read too: their shape is the same."""
    data = read_json_object(Path(path))
    if "schema" not in data:
        data = {"schema": RATIOS_SCHEMA, **data}
    check_schema(data, Path(path), RATIOS_SCHEMA, rerun=RERUN + " --stages judge")
    return validate(JudgeRatiosFile, data, path)


__all__ = ["SCHEMA", "Track2Results", "why_unavailable", "SampleRecord", "ModeBlock", "JudgeRatiosFile", "build_track2_results",
           "write_track2_results", "load_track2_results", "write_judge_ratios", "load_judge_ratios", "dump"]
