"""Read transcripts that already exist on disk, in the official `{text, chunks}` shape.

This is how Chinese is scored by default: no offline Chinese ASR model is available from the
package registries, so Chinese transcripts come from files the user made elsewhere (for example
with the official funasr paraformer-zh pipeline) unless a paraformer model path is given.
"""

from __future__ import annotations

from pathlib import Path

from humdial.protocol.transcript import Transcript, load_transcript
from humdial.audio.io import Audio
from humdial.errors import HumdialError, TranscriptError


class PrecomputedTranscriber:
    """`<stem>.json` next to each wav, or in `directory` when one is given."""

    name = "precomputed"
    cacheable = False
    """The files are the transcripts: caching them would only hide later edits."""

    def __init__(self, directory: str | Path | None = None):
        self.directory = None if directory is None else Path(directory).expanduser()
        if self.directory is not None and not self.directory.is_dir():
            raise HumdialError(f"precomputed transcripts: directory does not exist: {self.directory}")

    def path_for(self, audio_path: str | Path) -> Path:
        audio_path = Path(audio_path)
        folder = self.directory if self.directory is not None else audio_path.parent
        return folder / f"{audio_path.stem}.json"

    def describe(self) -> dict:
        return {"backend": self.name,
                "model": "precomputed transcripts (no ASR run)",
                "directory": None if self.directory is None else str(self.directory),
                "options": {}}

    def transcribe(self, audio: Audio) -> Transcript:
        if audio.path is None:
            raise TranscriptError("precomputed transcripts need audio loaded from a file (its stem names the "
                                  "transcript), got in-memory audio")
        return load_transcript(self.path_for(audio.path))
