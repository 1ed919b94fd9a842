"""Where Track 2 samples go: the dev layout (per language and scenario folder) or the flat test layout.

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
import random
from pathlib import Path

from humdial.generate.track2.render import Track2Job
from humdial.generate.track2.script import UNIT_KEYS
from humdial.protocol import track2 as registry

MANIFEST = "manifest.jsonl"
PAIRING = "pairing.jsonl"


def units_per_language(n: int) -> list[tuple[str, int]]:
    """(unit key, count) for `n` samples per scenario.

    Third-party Speech splits n 1:1 between its after and before variants (as the official dev set);
    for odd n each variant gets ceil(n/2), so even n=1 covers both variants.
    """
    half = (n + 1) // 2
    return [(key, half if key.startswith("third_party.") else n) for key in UNIT_KEYS]


def sample_keys(langs: list[str], n: int) -> list[tuple[str, str, int]]:
    """Canonical order of (lang, unit, index) for a generation run."""
    return [(lang, unit, i) for lang in langs for unit, count in units_per_language(n) for i in range(count)]


def plan_dev(out: Path, langs: list[str], n: int, seed: int, snr_db: float | None = None) -> list[Track2Job]:
    jobs = []
    for lang, unit, i in sample_keys(langs, n):
        u = registry.unit_by_key(unit)
        folder = out / lang / u.dev_folder
        stem = f"{seed % 10000:04d}_{i + 1:04d}{u.stem_suffix}"
        clean = u.needs_clean
        jobs.append(Track2Job(
            lang=lang, unit=unit, index=i, seed=seed, sample_id=f"{lang}/{u.dev_folder}/{stem}",
            wav=str(folder / f"{stem}.wav"), annotation=str(folder / f"{stem}_sentence.json"),
            transcript=str(folder / f"{stem}.json"),
            clean_wav=str(folder / f"clean_{stem}.wav") if clean else None,
            clean_transcript=str(folder / f"clean_{stem}.json") if clean else None, snr_db=snr_db))
    return jobs


def test_ids(keys: list[tuple[str, str, int]], seed: int) -> tuple[list[str], dict[int, str]]:
    """Test id per sample, and clean id per sample position that needs a clean input."""
    rng = random.Random(f"humdial-track2-test-ids:{seed}")
    order = list(range(1, len(keys) + 1))
    rng.shuffle(order)
    needs = [k for k, (_, unit, _) in enumerate(keys) if registry.unit_by_key(unit).needs_clean]
    clean_order = list(range(1, len(needs) + 1))
    rng.shuffle(clean_order)
    return [f"{x:06d}" for x in order], {k: f"{c:06d}" for k, c in zip(needs, clean_order)}


def plan_test(out: Path, langs: list[str], n: int, seed: int, snr_db: float | None = None) -> list[Track2Job]:
    keys = sample_keys(langs, n)
    ids, clean_ids = test_ids(keys, seed)
    jobs = []
    for k, (lang, unit, i) in enumerate(keys):
        tid, cid = ids[k], clean_ids.get(k)
        jobs.append(Track2Job(
            lang=lang, unit=unit, index=i, seed=seed, sample_id=f"test-{tid}",
            wav=str(out / f"test-{tid}.wav"), annotation=str(out / "annotations" / f"test-{tid}_sentence.json"),
            transcript=str(out / f"test-{tid}.json"),
            clean_wav=str(out / f"clean-{cid}.wav") if cid else None,
            clean_transcript=str(out / f"clean-{cid}.json") if cid else None, snr_db=snr_db))
    return jobs


def pairing_line(job: Track2Job, out: Path) -> dict:
    u = registry.unit_by_key(job.unit)
    clean_id = Path(job.clean_wav).stem[len("clean-"):] if job.clean_wav else None
    return {"id": job.sample_id[len("test-"):], "lang": job.lang, "scenario": u.scenario_id,
            "variant": u.variant or None, "annotation": str(Path(job.annotation).relative_to(out)),
            "clean_id": clean_id}


def write_index(out: Path, jobs: list[Track2Job], records: list[dict], layout: str) -> None:
    """The manifest (both layouts) and the pairing file (test layout), in canonical sample order."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / MANIFEST, "w", encoding="utf-8") as fh:
        for rec in records:
            rec = dict(rec)
            rec["files"] = {k: str(Path(v).relative_to(out)) for k, v in rec.get("files", {}).items()}
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
    if layout == "test":
        lines = sorted((pairing_line(j, out) for j in jobs), key=lambda d: d["id"])
        with open(out / PAIRING, "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
