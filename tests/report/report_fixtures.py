"""A small but real run directory: a dev layout, an answering 'system', `eval track2`, a verdict log."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from humdial.protocol.transcript import Transcript, Word
from humdial.audio.io import write_audio
from humdial.cli import main
from humdial.protocol.annotation import SentenceAnnotation, SpeechSegment

RATE = 16000


def _put(track: np.ndarray, clip: np.ndarray, at: float) -> tuple[float, float]:
    i = int(at * RATE)
    track[i:i + len(clip)] += 0.4 * clip[: max(0, len(track) - i)] / max(1e-6, np.abs(clip).max())
    return at, at + len(clip) / RATE


def make_run(root: Path, speech) -> Path:
    """Two follow-up samples (interruption) and two pause samples (timestamp rejection), English."""
    query, q_words = speech("How do I bake bread at home?")
    inter, _ = speech("Wait, and what about rye flour?")
    answer, a_words = speech("Mix flour, water, salt and yeast, then knead it well.")
    data = root / "data"
    for k, (folder, interrupt, gap) in enumerate([("Follow-up_Questions", True, 0.7), ("Follow-up_Questions", True, 1.1),
                                                  ("Pause_Handling", False, 0.6), ("Pause_Handling", False, -0.8)]):
        d = data / "en" / folder
        d.mkdir(parents=True, exist_ok=True)
        stem = f"0001_000{k + 1}"
        user, model = np.zeros(10 * RATE, np.float32), np.zeros(10 * RATE, np.float32)
        q = _put(user, query, 0.5)
        segs = [q]
        start = q[1] + gap
        if interrupt:
            segs.append(_put(user, inter, start + 1.0))
            cut = int((segs[1][0] + 0.4 - start) * RATE)
            _put(model, answer[:cut], start)
            a2 = _put(model, answer, segs[1][1] + gap)
            words = [Word(w, start + s, start + e) for w, s, e in a_words if start + e < segs[1][0] + 0.4]
            words += [Word(w, a2[0] + s, a2[0] + e) for w, s, e in a_words]
        else:
            _put(model, answer, start)
            words = [Word(w, start + s, start + e) for w, s, e in a_words]
        write_audio(d / f"{stem}.wav", user, RATE)
        write_audio(d / f"clean_{stem}.wav", user, RATE)
        write_audio(d / f"{stem}_output.wav", model, RATE)
        write_audio(d / f"clean_{stem}_output.wav", model, RATE)
        SentenceAnnotation(10.0, tuple(SpeechSegment(a, b, "") for a, b in segs)).save(d / f"{stem}_sentence.json")
        Transcript.from_words(words).save(d / f"{stem}_output.json")
        Transcript.from_words([Word(w, 0.5 + s, 0.5 + e) for w, s, e in q_words]).save(d / f"{stem}.json")
        (d / f"{stem}_output.events.jsonl").write_text(
            json.dumps({"t": round(start, 3), "state": "speaking", "reason": "end of turn"}) + "\n", encoding="utf-8")
    run = root / "run"
    assert main(["eval", "track2", "--data", str(data), "--out", str(run), "--lang", "en", "--quiet"]) in (0, 1)
    return run
