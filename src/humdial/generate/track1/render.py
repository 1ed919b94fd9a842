"""Track 1 renderer: speak each user turn of a dialogue with its emotion's prosody, one wav per turn.

Unlike Track 2, levels are not normalised per turn: the emotion's volume (quiet sadness, loud
anger) is part of the signal. One gain per dialogue (seeded) sets the overall level.

One voice per dialogue, from `--voices` and `--voice-group` (generate/voices.py). Piper voices carry
emotion through speaking rate only (no pitch, range or volume control), a weaker cue than espeak's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from humdial.audio.io import to_pcm16
from humdial.generate.speech import OUTPUT_RATE, PEAK_LIMIT, speak
from humdial.generate.track1.script import Dialogue, compose
from humdial.generate.voices import VoiceOptions, pool, synthesizer_for
from humdial.tts.base import Synthesizer

GAIN_DB = (-6.0, 0.0)
"""Per-dialogue gain applied to the synthesizer's output (whose level already carries the emotion)."""
EDGE_SILENCE_S = (0.2, 0.5)
"""Silence before and after the speech in each turn file, as in a cut recording."""


@dataclass(frozen=True)
class Track1Item:
    lang: str
    task: int
    n_turns: int
    index: int
    seed: int
    dialogue_id: str
    audio_dir: str
    """Absolute folder for this dialogue's turn wavs."""
    audio_ref: str
    """The folder as written in the JSONL `split_audio_file` (relative to the JSONL's folder)."""
    script: Dialogue | None = None
    """A dialogue written elsewhere (`--llm`); None draws one from the bank."""
    voices: VoiceOptions = VoiceOptions()
    """Engines and group the speaker's voice is drawn from (rooms and spread are not used here)."""

    def rng(self) -> random.Random:
        return random.Random(f"humdial-track1:{self.seed}:{self.lang}:{self.task}:{self.n_turns}:{self.index}")


def render_dialogue(item: Track1Item, tts: Synthesizer) -> dict:
    """Write the turn wavs and return the dialogue's JSONL record (gold emotions, reference replies)."""
    rng = item.rng()
    dialogue = item.script or compose(item.lang, item.task, item.n_turns, item.dialogue_id, rng)
    voice = rng.choice(pool(item.lang, "user", item.voices.engines, item.voices.group))
    engine = synthesizer_for(voice, tts)
    gain = 10 ** (rng.uniform(*GAIN_DB) / 20)
    turns = []
    for turn in dialogue.turns:
        clip = speak(engine, turn.text, item.lang, voice, turn.emotion)
        lead, tail = (int(rng.uniform(*EDGE_SILENCE_S) * OUTPUT_RATE) for _ in range(2))
        samples = clip.samples * gain
        peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
        if peak > PEAK_LIMIT:
            samples *= PEAK_LIMIT / peak
        audio = np.concatenate([np.zeros(lead, np.float32), samples, np.zeros(tail, np.float32)])
        name = f"{item.dialogue_id}_{turn.turn_id}.wav"
        path = Path(item.audio_dir) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(str(path), to_pcm16(audio), OUTPUT_RATE, subtype="PCM_16")
        turns.append({"turn_id": turn.turn_id, "text": turn.text, "emotion": turn.emotion, "cause": turn.cause,
                      "split_audio_file": f"{item.audio_ref}/{name}", "response_text": turn.response_text})
    return {"dialogue_id": item.dialogue_id, "turns": turns, "voice": voice,
            "task": item.task, "lang": item.lang}
