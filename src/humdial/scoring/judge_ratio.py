"""The Track 2 judge ratio (RESPOND / RESUME headline), one definition for the evaluator and the report.

A judged sample may carry several behaviour tags. The organisers count tags, not samples:

official: target tags / all tags, over the samples whose verdict parsed (samples without a verdict
          give no tags and so drop out, as the organisers' incomplete groups do).
strict:   samples whose tags include the target / all samples of the unit (a missing or failed
          verdict fails).

Both are ratios of sums of per-sample contributions, so a bootstrap that resamples samples and calls
`judge_ratio` on the resample estimates the same quantity as the point value.
Example: tags {s1: [C_RESPOND, C_UNCERTAIN_HANDLING], s2: [C_RESUME]}, target C_RESPOND -> official
1/3, strict 1/2.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

SampleTags = Sequence[str] | None
"""The tags of one sample's verdict; None when the sample has no usable verdict."""


@dataclass(frozen=True)
class Contribution:
    """What one sample adds to the ratio's numerators and denominators."""

    target_tags: int
    tags: int
    strict_hit: int


def contribution(tags: SampleTags, target: str) -> Contribution:
    given = list(tags or ())
    return Contribution(target_tags=given.count(target), tags=len(given), strict_hit=int(target in given))


def judge_ratio(samples: Iterable[SampleTags], target: str) -> dict:
    """{"ratio", "n" (tags counted), "strict_ratio", "strict_n" (samples), "tag_counts"} for one unit."""
    samples = list(samples)
    parts = [contribution(t, target) for t in samples]
    n_tags = sum(p.tags for p in parts)
    counts = Counter(tag for t in samples for tag in (t or ()))
    return {"ratio": sum(p.target_tags for p in parts) / n_tags if n_tags else None, "n": n_tags,
            "strict_ratio": sum(p.strict_hit for p in parts) / len(parts) if parts else None,
            "strict_n": len(parts), "tag_counts": dict(sorted(counts.items()))}
