"""Audio I/O, resampling, VAD and mixing."""

from humdial.audio.io import Audio, load_audio, write_audio

__all__ = ["Audio", "load_audio", "write_audio"]
