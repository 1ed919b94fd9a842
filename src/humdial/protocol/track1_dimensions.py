"""The nine judged dimensions of Track 1 (three per ranked task), their allowed scores and rubric ids.

Dimension keys are the official code's keys (canonical); answers are matched case-insensitively, so the
site's capitalised spellings are accepted too.
"""

from __future__ import annotations

from humdial.protocol.track1 import Task

DIMENSIONS: dict[Task, tuple[str, str, str]] = {
    Task.TRAJECTORY: ("Accuracy_Completeness", "Depth_Granularity", "Added_Value"),
    Task.REASONING: ("Information_Integration", "Insight_RootCause", "Clarity_Logic"),
    Task.EMPATHY: ("textual_empathy_insight", "vocal_empathy_congruence", "audio_quality_naturalness"),
}
ALLOWED: dict[Task, tuple[int, ...]] = {
    Task.TRAJECTORY: (1, 3, 5),
    Task.REASONING: (1, 3, 5),
    Task.EMPATHY: (1, 2, 3, 4, 5),
}
"""Tasks 1 and 2 are scored 1/3/5; a 2 or 4 from a judge is mapped down (2->1, 4->3) as the official
code does, and every such mapping is recorded. Task 3 is 1..5."""
MIN_SCORE = 1
RUBRIC_IDS: dict[Task, str] = {Task.TRAJECTORY: "track1_trajectory", Task.REASONING: "track1_reasoning",
                               Task.EMPATHY: "track1_empathy"}
TEXT_DIM_T3 = "textual_empathy_insight"
AUDIO_DIMS_T3: tuple[str, str] = ("vocal_empathy_congruence", "audio_quality_naturalness")
"""Officially rated by people (D2, D3); a judge's scores for them are reported apart, labelled."""
