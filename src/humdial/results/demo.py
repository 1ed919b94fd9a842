"""`demo.json`: what `humdial demo` ran, how each stage ended and which stages it skipped (read by the report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from humdial.results.schema import Record, load_model, validate, write_model

SCHEMA = "humdial.demo/1"


class DemoStage(Record):
    name: str
    status: str
    """ok | items_failed | skipped | failed."""
    note: str = ""
    seconds: float = 0.0


class DemoMeta(Record):
    schema_: str = Field(SCHEMA, alias="schema")
    options: dict[str, Any] = Field(default_factory=dict)
    stages: list[DemoStage] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)


def write_demo_meta(path: str | Path, data: dict) -> Path:
    return write_model(path, validate(DemoMeta, {"schema": SCHEMA, **data}, path))


def load_demo_meta(path: str | Path) -> DemoMeta:
    return load_model(path, DemoMeta, SCHEMA, rerun="humdial demo")
