"""Speech recognition: the Transcript type, the Transcriber protocol and one module per backend."""

from humdial.asr.transcript import Transcript, Word

__all__ = ["Transcript", "Word"]
