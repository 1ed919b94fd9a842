"""The nine judged dimensions of Track 1 (three per ranked task), their allowed scores and rubric ids.

The values are data (`protocol/data/track1_scoring.json`). Dimension keys are the official code's keys
(canonical); answers are matched case-insensitively, so the site's capitalised spellings are accepted too.
Tasks 1 and 2 are scored 1/3/5 (a 2 or 4 from a judge is mapped down, 2->1 and 4->3, as the official code
does, and every such mapping is recorded); Task 3 is 1..5.
"""

from __future__ import annotations

from humdial.protocol.resources import load_json
from humdial.protocol.track1 import Task

_DATA = load_json("track1_scoring.json")

DIMENSIONS: dict[Task, tuple[str, ...]] = {Task(int(k)): tuple(v) for k, v in _DATA["dimensions"].items()}
ALLOWED: dict[Task, tuple[int, ...]] = {Task(int(k)): tuple(v) for k, v in _DATA["allowed_scores"].items()}
RUBRIC_IDS: dict[Task, str] = {Task(int(k)): v for k, v in _DATA["rubric_ids"].items()}
TEXT_DIM_T3: str = _DATA["task3_text_dimension"]
AUDIO_DIMS_T3: tuple[str, ...] = tuple(_DATA["task3_audio_dimensions"])
"""Officially rated by people (D2, D3); a judge's scores for them are reported apart, labelled."""
