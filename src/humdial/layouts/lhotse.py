"""Generated Track 2 data as lhotse manifests, so lhotse-based training recipes (icefall, NeMo, ESPnet)
read it directly (`humdial export lhotse DATA --out DIR`).

One Recording per input wav, one Supervision per annotated speech segment (speaker = the segment's role:
`user` or `third_party`, from the generator's manifest when it has one, else `user`), and one Cut per
sample spanning its recording with those supervisions. Written as recordings / supervisions / cuts
`.jsonl.gz`. lhotse is an optional extra (`pip install humdial[lhotse]`); without it this module
raises a HumdialError that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from humdial.errors import HumdialError, ItemError
from humdial.layouts.track2 import read_manifest, read_track2
from humdial.protocol.annotation import load_annotation

FILES = {"recordings": "recordings.jsonl.gz", "supervisions": "supervisions.jsonl.gz", "cuts": "cuts.jsonl.gz"}


@dataclass
class LhotseExport:
    out: Path
    cuts: int = 0
    supervisions: int = 0
    skipped: list[dict] = field(default_factory=list)
    """Samples left out, each {sample_id, reason} (unreadable wav or annotation)."""
    files: dict[str, Path] = field(default_factory=dict)


def _lhotse():
    try:
        import lhotse
    except ImportError as exc:
        raise HumdialError("lhotse is not installed: pip install 'humdial[lhotse]' (or pip install lhotse)") from exc
    return lhotse


def manifest_id(sample_id: str) -> str:
    """lhotse ids are used as file-name-like keys; humdial ids contain '/'."""
    return sample_id.replace("/", "__")


def _roles(meta: dict | None, n: int) -> list[tuple[str, str]]:
    parts = (meta or {}).get("parts") or []
    if len(parts) == n:
        return [(str(p.get("role") or "user"), str(p.get("kind") or "")) for p in parts]
    return [("user", "")] * n


def export_lhotse(data: str | Path, out: str | Path, langs: list[str] | None = None) -> LhotseExport:
    lhotse = _lhotse()
    data, out = Path(data), Path(out)
    dataset = read_track2(data, None, langs)
    meta = read_manifest(data)
    recordings, supervisions = [], []
    result = LhotseExport(out)
    for s in dataset.samples:
        rid = manifest_id(s.sample_id)
        try:
            recording = lhotse.Recording.from_file(s.input_wav, recording_id=rid)
            annotation = load_annotation(s.annotation)
        except (ItemError, OSError, RuntimeError, ValueError) as exc:
            result.skipped.append({"sample_id": s.sample_id, "reason": f"{type(exc).__name__}: {exc}"})
            continue
        recordings.append(recording)
        roles = _roles(meta.get(s.sample_id), len(annotation.segments))
        for i, (seg, (role, kind)) in enumerate(zip(annotation.segments, roles)):
            end = min(seg.xmax, recording.duration)
            if end <= seg.xmin:
                continue
            supervisions.append(lhotse.SupervisionSegment(
                id=f"{rid}-{i}", recording_id=rid, start=seg.xmin, duration=round(end - seg.xmin, 6), channel=0,
                text=seg.text or None, language=s.lang, speaker=role,
                custom={"role": role, "kind": kind, "unit": s.unit_key, "segment": i, "sample_id": s.sample_id}))
    rec_set = lhotse.RecordingSet.from_recordings(recordings)
    sup_set = lhotse.SupervisionSet.from_segments(supervisions)
    cuts = lhotse.CutSet.from_manifests(recordings=rec_set, supervisions=sup_set)
    out.mkdir(parents=True, exist_ok=True)
    for name, manifest in (("recordings", rec_set), ("supervisions", sup_set), ("cuts", cuts)):
        path = out / FILES[name]
        manifest.to_file(path)
        result.files[name] = path
    result.cuts, result.supervisions = len(cuts), len(supervisions)
    return result
