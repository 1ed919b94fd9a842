"""Plan a Track 2 generation run: which samples, in which order, under which names (layouts.track2 names them)."""

from __future__ import annotations

import random
from pathlib import Path

from humdial.generate.track2.render import Track2Job
from humdial.generate.voices import VoiceOptions
from humdial.generate.track2.script import UNIT_KEYS
from humdial.layouts.track2 import InputFiles, dev_input_files, dev_sample_id, dev_stem, test_input_files, test_sample_id
from humdial.protocol import track2 as registry


def _job(lang: str, unit: str, i: int, seed: int, sample_id: str, files: InputFiles, snr_db: float | None,
         voices: VoiceOptions) -> Track2Job:
    return Track2Job(lang=lang, unit=unit, index=i, seed=seed, sample_id=sample_id, wav=str(files.wav),
                     annotation=str(files.annotation), transcript=str(files.transcript),
                     clean_wav=str(files.clean_wav) if files.clean_wav else None,
                     clean_transcript=str(files.clean_transcript) if files.clean_transcript else None, snr_db=snr_db,
                     voices=voices)


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


def plan_dev(out: Path, langs: list[str], n: int, seed: int, snr_db: float | None = None,
             voices: VoiceOptions = VoiceOptions()) -> list[Track2Job]:
    jobs = []
    for lang, unit, i in sample_keys(langs, n):
        u = registry.unit_by_key(unit)
        stem = dev_stem(seed, i, u)
        jobs.append(_job(lang, unit, i, seed, dev_sample_id(lang, u, stem), dev_input_files(out, lang, u, stem), snr_db,
                         voices))
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


def plan_test(out: Path, langs: list[str], n: int, seed: int, snr_db: float | None = None,
             voices: VoiceOptions = VoiceOptions()) -> list[Track2Job]:
    keys = sample_keys(langs, n)
    ids, clean_ids = test_ids(keys, seed)
    jobs = []
    for k, (lang, unit, i) in enumerate(keys):
        tid, cid = ids[k], clean_ids.get(k)
        jobs.append(_job(lang, unit, i, seed, test_sample_id(tid), test_input_files(out, tid, cid), snr_db, voices))
    return jobs
