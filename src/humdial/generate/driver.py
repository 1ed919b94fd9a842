"""Run a generation plan in parallel and write the index files: the code behind `humdial gen`.

Workers (spawned processes) each build one synthesizer; every item is rendered from its own seed,
so output bytes do not depend on --jobs or on the chunking. A failing item becomes an error record
(counted and reported), never a crash of the run.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from humdial.errors import HumdialError, ItemError
from humdial.generate.voices import require_engines
from humdial.results import paths

CHUNK_SIZE = 4
"""Items per worker task: small enough to balance two workers on a few dozen items."""

_TTS = None


def synthesizer():
    """The per-process synthesizer (espeak-ng), created on first use in each worker."""
    global _TTS
    if _TTS is None:
        from humdial.tts.espeak import EspeakSynthesizer

        _TTS = EspeakSynthesizer()
    return _TTS


def _safe(render: Callable, item, sample_id: str) -> dict:
    try:
        return render(item, synthesizer())
    except (ItemError, HumdialError, OSError, ValueError) as exc:
        return {"sample_id": sample_id, "error": f"{type(exc).__name__}: {exc}",
                "trace": traceback.format_exc(limit=3)}


def render_track2_chunk(jobs: list) -> list[dict]:
    from humdial.generate.track2.render import render

    return [_safe(render, job, job.sample_id) for job in jobs]


def render_track1_chunk(items: list) -> list[dict]:
    from humdial.generate.track1.render import render_dialogue

    return [_safe(render_dialogue, item, item.dialogue_id) for item in items]


@dataclass
class GenSummary:
    out: Path
    written: int = 0
    errors: list[dict] = field(default_factory=list)
    flagged: int = 0
    """Samples written despite failing a quality check (see the manifest)."""
    llm: dict | None = None
    """With --llm: scripts requested, written, rejected (invalid, malformed, failed), fallbacks, cache hits."""
    onsets: dict | None = None
    """Track 2: segments after >= 0.5 s of silence checked against the VAD of the mix, and how many are off."""

    def as_dict(self) -> dict:
        out = {"out": str(self.out), "written": self.written, "errors": len(self.errors), "flagged": self.flagged}
        if self.onsets is not None:
            out["onsets"] = self.onsets
        return out if self.llm is None else {**out, "llm": self.llm}


def run_parallel(fn: Callable[[list], list[dict]], items: list, jobs: int, description: str,
                 quiet: bool) -> list[dict]:
    from humdial.execute.pool import map_chunks

    return map_chunks(fn, items, jobs=jobs, chunk_size=CHUNK_SIZE, description=description, quiet=quiet)


def render_items(fn: Callable[[list], list[dict]], items: list, jobs: int, description: str, quiet: bool,
                 out: Path, llm=None) -> tuple[list, list[dict], dict | None]:
    """Render every item, after asking `llm` (a ScriptWriter) for its scripts when one is given.

    Returns (items, one record per item in order, LLM counts). An item whose LLM script was rejected
    (no fallback) is not rendered: its record is the rejection error.
    """
    from humdial.generate.llm_scripts import Attachment

    if llm is None:
        Attachment(items=items).write_report(out)  # no stale rejection list from an earlier --llm run
        return items, run_parallel(fn, items, jobs, description, quiet), None
    attached = llm.attach(items, quiet)
    attached.write_report(out)
    todo = [item for k, item in enumerate(attached.items) if k not in attached.errors]
    done = iter(run_parallel(fn, todo, jobs, description, quiet))
    records = []
    for k in range(len(attached.items)):
        rec = attached.errors.get(k) or next(done)
        if "error" not in rec:
            rec["script_source"] = attached.sources[k]
        records.append(rec)
    return attached.items, records, attached.counts


def generate_track2(out: Path, langs: list[str], n: int, seed: int, layout: str = "dev", jobs: int = 1,
                    snr_db: float | None = None, quiet: bool = False, llm=None, overwrite: bool = False,
                    voices=None) -> GenSummary:
    from humdial.generate.track2.noise_level import check_snr
    from humdial.generate.track2.plan import plan_dev, plan_test
    from humdial.layouts.track2_write import write_index

    if n < 1:
        raise HumdialError("--n must be at least 1")
    check_snr(snr_db)
    if voices is not None:
        require_engines(voices, langs)
    claim_folder(out, {"track": "track2", "layout": layout, "langs": sorted(langs), "n": n, "seed": seed,
                       "snr_db": snr_db, "llm": _llm_identity(llm), "voices": _voices_identity(voices)}, overwrite)
    _check_banks("track2", langs)
    plan = plan_dev if layout == "dev" else plan_test
    items = plan(out, langs, n, seed, snr_db) if voices is None else plan(out, langs, n, seed, snr_db, voices)
    items, records, llm_counts = render_items(render_track2_chunk, items, jobs, f"track2 {layout}", quiet, out, llm)
    good = [r for r in records if "error" not in r]
    write_index(out, [j for j, r in zip(items, records) if "error" not in r], good, layout)
    summary = GenSummary(out=out, written=len(good), errors=[r for r in records if "error" in r],
                         flagged=sum(1 for r in good if not r.get("timing", {}).get("vad_onset_ok", True)),
                         llm=llm_counts, onsets=_onset_counts(good))
    _write_errors(out, summary.errors)
    return summary


def generate_track1(out: Path, langs: list[str], n: int, seed: int, layout: str = "train", jobs: int = 1,
                    quiet: bool = False, llm=None, overwrite: bool = False, voices=None) -> GenSummary:
    """`voices`: engines and group of the speaker voice (VoiceOptions; rooms and spread are Track 2 only)."""
    from humdial.generate.track1.plan import plan
    from humdial.layouts.track1_write import write_index

    if n < 1:
        raise HumdialError("--n must be at least 1")
    if voices is not None:
        if voices.rooms or voices.spread:
            raise HumdialError("gen track1 takes --voices and --voice-group; rooms and spread are Track 2 only")
        require_engines(voices, langs)
    settings = {"track": "track1", "layout": layout, "langs": sorted(langs), "n": n, "seed": seed,
                "llm": _llm_identity(llm)}
    if _voices_identity(voices) is not None:  # plain sets keep the stamp they always had
        settings["voices"] = _voices_identity(voices)
    claim_folder(out, settings, overwrite)
    _check_banks("track1", langs)
    items = plan(out, langs, n, seed, layout) if voices is None else plan(out, langs, n, seed, layout, voices)
    items, records, llm_counts = render_items(render_track1_chunk, items, jobs, f"track1 {layout}", quiet, out, llm)
    good = [r for r in records if "error" not in r]
    write_index(out, items, records, layout)
    summary = GenSummary(out=out, written=len(good), errors=[r for r in records if "error" in r], llm=llm_counts)
    _write_errors(out, summary.errors)
    return summary


def _onset_counts(records: list[dict]) -> dict:
    """Summed mix onset checks of the written samples (generate/track2/render.py `draw`)."""
    timings = [r.get("timing", {}) for r in records]
    return {"checked": sum(t.get("onsets_checked", 0) for t in timings),
            "off": sum(t.get("onsets_off", 0) for t in timings)}


def _voices_identity(voices) -> str | None:
    """The voice options as stamped on the folder (None: the plain generator, whichever way it was asked)."""
    return None if voices is None or voices.plain else repr(voices)


def _llm_identity(llm) -> object:
    """What of the script writer shapes the data (None: the banks alone)."""
    if llm is None:
        return None
    for name in ("cache_identity", "describe"):
        fn = getattr(llm, name, None)
        if callable(fn):
            try:
                return json.loads(json.dumps(fn(), default=str))
            except (TypeError, ValueError):
                break
    return type(llm).__name__


def claim_folder(out: Path, settings: dict, overwrite: bool) -> None:
    """Refuse to write one data set over another (HumdialError), unless `overwrite`.

    The folder's GEN_STAMP records the settings of the set in it. Same settings: a re-run (same seed,
    same bytes) may write again. Other settings, or a non-empty folder gen did not make: refused, since
    files of two sets would mix (the readers take every file they find). With `overwrite`, a folder gen
    made is emptied first; a folder it did not make is written into as asked.
    """
    out = Path(out)
    stamp = out / paths.GEN_STAMP
    if out.exists() and not out.is_dir():
        raise HumdialError(f"--out {out} is a file, not a folder")
    previous = None
    if stamp.is_file():
        try:
            previous = json.loads(stamp.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            previous = {"unreadable": True}
    if previous == settings:
        return
    holds_files = out.is_dir() and any(out.iterdir())
    if holds_files and not overwrite:
        what = (f"another data set ({', '.join(f'{k}={v}' for k, v in previous.items())})" if previous
                else "files that humdial gen did not write")
        raise HumdialError(f"{out} already holds {what}; writing these settings there would mix two data sets. "
                           "Choose an empty folder, or pass --overwrite")
    if holds_files and previous is not None:
        import shutil

        for child in out.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    out.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps(settings, sort_keys=True) + "\n", encoding="utf-8")


def _check_banks(track: str, langs: list[str]) -> None:
    """Load the banks up front: a broken bank stops the run instead of failing every item."""
    from humdial.generate.bank import load_bank

    for lang in langs:
        load_bank(f"{track}_{lang}")


def _write_errors(out: Path, errors: list[dict]) -> None:
    path = out / paths.ERRORS
    if errors:
        path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors), encoding="utf-8")
    elif path.exists():
        path.unlink()
