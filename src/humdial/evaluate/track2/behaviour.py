"""Judging stage: behaviour tags (RESPOND / RESUME) for the judged scenarios (track2.md 2.1 C, 2.5).

Ratios come from `humdial.scoring.judge_ratio` (official: target tags / all tags over parsed verdicts;
strict: samples holding the target tag / all samples of the unit), the same function the report's
bootstrap uses. The organisers retry failures forever; we do not, and count them instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from humdial.protocol.transcript import load_transcript
from humdial.errors import ItemError
from humdial.evaluate.track2.transcripts import role_path
from humdial.judge.base import Judge
from humdial.judge.concurrent import judge_with_progress
from humdial.judge.rubrics import Rubric
from humdial.judge.track2_behaviour import behaviour_request, parse_behaviour
from humdial.results.verdicts import VerdictRecord
from humdial.scoring.judge_ratio import judge_ratio
from humdial.layouts.track2 import Track2Sample
from humdial.protocol.annotation import load_annotation


@dataclass
class JudgeOutcome:
    ratios: dict[tuple[str, str], dict]
    records: list[VerdictRecord]
    skipped: list[dict]


def _request(s: Track2Sample, store: Path, rubric: Rubric | None):
    ann = load_annotation(s.annotation)
    sdao = s.unit.headline == "sdao_resume"
    noisy_in, noisy_out = ("input_cut", "output_cut") if sdao else ("input", "output")
    transcripts = {
        "input_clean": load_transcript(role_path(store, s.sample_id, "input_clean")).to_official(),
        "input_noisy": load_transcript(role_path(store, s.sample_id, noisy_in)).to_official(),
        "output_clean": load_transcript(role_path(store, s.sample_id, "output_clean")).to_official(),
        "output_noisy": load_transcript(role_path(store, s.sample_id, noisy_out)).to_official(),
    }
    if sdao:  # cut axis starts at the second query; the aside (seg 2) is the overlap
        origin = ann.segment(1, str(s.annotation)).xmin
        overlap, query_end = ann.segment(2, str(s.annotation)).xmin - origin, ann.segments[1].xmax - origin
    else:
        overlap, query_end = ann.segment(1, str(s.annotation)).xmin, ann.segments[0].xmax
    return behaviour_request(transcripts, rubric=rubric, overlap_start=overlap, first_query_end=query_end,
                             metadata={"sample_id": s.sample_id, "unit": s.unit_key})


def judge_samples(samples: list[Track2Sample], store: Path, judge: Judge, rubric: Rubric | None = None,
                  quiet: bool = False) -> JudgeOutcome:
    judged = [s for s in samples if s.unit.judge_target]
    requests, owners, skipped = [], [], []
    for s in judged:
        try:
            requests.append(_request(s, store, rubric))
            owners.append(s)
        except ItemError as exc:
            skipped.append({"sample_id": s.sample_id, "stage": "judge", **exc.as_dict()})
    verdicts = judge_with_progress(judge, requests, parse_behaviour, "Track 2 judge", quiet) if requests else []
    by_sample: dict[str, list[str] | None] = {s.sample_id: None for s in judged}
    records = []
    for s, v in zip(owners, verdicts):
        sample_tags = list(v.parsed.get("behaviour", [])) if v.ok and v.parsed else []
        by_sample[s.sample_id] = sample_tags if v.ok else None
        records.append(VerdictRecord.from_verdict(s.sample_id, s.unit_key, v, tags=sample_tags, language=s.lang))
    groups: dict[tuple[str, str], list[Track2Sample]] = defaultdict(list)
    for s in judged:
        groups[(s.lang, s.unit_key)].append(s)
    ratios = {key: judge_ratio([by_sample[s.sample_id] for s in members], members[0].unit.judge_target)
              for key, members in groups.items()}
    return JudgeOutcome(ratios, records, skipped)
