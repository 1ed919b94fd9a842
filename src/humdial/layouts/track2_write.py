"""Index files of a generated Track 2 set: where samples go (dev layout (per language and scenario folder) or the flat test layout.

dev:  <out>/<lang>/<dev_folder>/<SSSS>_<NNNN>[_add|_before].wav, _sentence.json, .json transcript,
      clean_<stem>.wav and clean_<stem>.json where the unit has a clean input.
      SSSS = seed mod 10000, so sets made with different seeds can be merged without name clashes.
test: <out>/test-{id:06d}.wav (+ .json transcript), <out>/clean-{cid:06d}.wav (+ .json), the annotation
      at <out>/annotations/test-{id:06d}_sentence.json, and <out>/pairing.jsonl, one line per test id:
      {"id", "lang", "scenario", "variant", "annotation", "clean_id"}. Test ids and clean ids are two
      independent seeded permutations, so a test file and a clean file with the same number are not
      (in general) a pair, as in the official test set.
Both layouts get <out>/manifest.jsonl: one line per sample with its paths, script texts and timings.
"""

from __future__ import annotations

import json
from typing import Protocol
from pathlib import Path

from humdial.protocol import track2 as registry

from humdial.layouts.track2 import MANIFEST_FILE, PAIRING_FILE


class PlannedSample(Protocol):
    """What the index writer needs of a planned sample (the generator's Track2Job satisfies it)."""

    sample_id: str
    lang: str
    unit: str
    annotation: str
    clean_wav: str | None


def pairing_line(job: PlannedSample, out: Path) -> dict:
    u = registry.unit_by_key(job.unit)
    clean_id = Path(job.clean_wav).stem[len("clean-"):] if job.clean_wav else None
    return {"id": job.sample_id[len("test-"):], "lang": job.lang, "scenario": u.scenario_id,
            "variant": u.variant or None, "annotation": str(Path(job.annotation).relative_to(out)),
            "clean_id": clean_id}


def write_index(out: Path, jobs: list[PlannedSample], records: list[dict], layout: str) -> None:
    """The manifest (both layouts) and the pairing file (test layout), in canonical sample order."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / MANIFEST_FILE, "w", encoding="utf-8") as fh:
        for rec in records:
            rec = dict(rec)
            rec["files"] = {k: str(Path(v).relative_to(out)) for k, v in rec.get("files", {}).items()}
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
    if layout == "test":
        lines = sorted((pairing_line(j, out) for j in jobs), key=lambda d: d["id"])
        with open(out / PAIRING_FILE, "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
