"""`track1_results.json` (written by `humdial eval track1`) and `track1_emotion.json` (`humdial run track1`).

Track 1 results are versioned from schema 1 on; a file without a schema comes from an older humdial
and is refused with a message saying to re-run the evaluation. Unknown keys are kept (extra="allow").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from humdial.results.schema import Record, load_model, read_json_object, validate, write_model

SCHEMA = "humdial.track1_results/1"
RERUN = "humdial eval track1"

Number = float | None


class DimSummary(Record):
    mean: Number = None
    n: int = 0


class HumanSummary(Record):
    d2: Number = None
    d3: Number = None
    n: int = 0
    missing: int = 0


class TaskSummary(Record):
    items: int = 0
    status: dict[str, int] = Field(default_factory=dict)
    score_source: dict[str, int] = Field(default_factory=dict)
    judge_failures: dict[str, int] = Field(default_factory=dict)
    dims: dict[str, DimSummary] = Field(default_factory=dict)
    judge_audio: dict[str, DimSummary | str] = Field(default_factory=dict)
    """Task 3 only: the judge's audio-based D2/D3 (and a "label" saying they are not the official ones)."""
    human: HumanSummary | None = None
    avg: Number = None


class LabelledValue(Record):
    value: Number = None
    label: str = ""


class LanguageEntry(Record):
    tasks: dict[str, TaskSummary] = Field(default_factory=dict)
    final: Number = None
    final_unrounded: Number = None
    final_status: str = ""
    final_with_judge_audio_dims: LabelledValue = Field(default_factory=LabelledValue)


class Overall(Record):
    official: Number = None
    judge_audio: Number = None
    status: str = ""
    label_judge_audio: str = ""


class ItemRecord(Record):
    id: str
    lang: str
    task: str
    dialogue_id: str
    status: str
    reason: str = ""
    eval_turn: int | None = None
    scores: dict[str, float] = Field(default_factory=dict)
    score_source: str = ""
    notes: list[str] = Field(default_factory=list)
    audio: str | None = None
    verdict: dict[str, Any] | None = None
    human: dict[str, Any] | None = None


class Track1Counts(Record):
    items: int = 0
    status: dict[str, int] = Field(default_factory=dict)
    verdicts: dict[str, int] = Field(default_factory=dict)
    score_mappings_2_4: int = 0
    gold_load_errors: int = 0
    submission_load_errors: int = 0


class Track1Provenance(Record):
    humdial_version: str = ""
    track: str = "track1"
    mode: str = "official"
    policies: dict[str, Any] = Field(default_factory=dict)
    judge: dict[str, Any] = Field(default_factory=dict)
    comparable_to_official: bool = True
    rubrics: dict[str, Any] = Field(default_factory=dict)
    exclusions: Any = None
    human_ratings: Any = None
    elapsed_s: float = 0.0


class Track1Results(Record):
    schema_: str = Field(SCHEMA, alias="schema")
    provenance: Track1Provenance = Field(default_factory=Track1Provenance)
    counts: Track1Counts = Field(default_factory=Track1Counts)
    join: dict[str, Any] = Field(default_factory=dict)
    load_errors: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    per_language: dict[str, LanguageEntry] = Field(default_factory=dict)
    overall: Overall = Field(default_factory=Overall)
    items: list[ItemRecord] = Field(default_factory=list)


class EmotionTurn(Record):
    lang: str
    gold: str | None = None
    predicted: str | None = None
    dialogue_id: str | None = None
    turn_id: int | str | None = None


class EmotionReport(Record):
    """`track1_emotion.json`: the Track 1 baseline's predicted vs gold emotion label per user turn."""

    note: str = ""
    accuracy: dict[str, Number] = Field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = Field(default_factory=dict)
    turns: list[EmotionTurn] = Field(default_factory=list)


def build_track1_results(data: dict, where: str = "track1 results") -> Track1Results:
    return validate(Track1Results, {"schema": SCHEMA, **data}, where)


def write_track1_results(path: str | Path, results: Track1Results) -> Path:
    return write_model(path, results, indent=2)


def load_track1_results(path: str | Path) -> Track1Results:
    return load_model(path, Track1Results, SCHEMA, rerun=RERUN)


def load_emotion_report(path: str | Path) -> EmotionReport:
    """Unversioned (written by the baseline, not an evaluator); validated for shape only."""
    return validate(EmotionReport, read_json_object(Path(path)), path)
