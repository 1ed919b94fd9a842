"""Speech recognition: the Transcript type, the Transcriber protocol and one module per backend.

Backends (whisper, paraformer, parakeet, precomputed) are imported lazily through
`humdial.asr.registry`, so importing this package loads no model runtime.
"""

from humdial.asr.base import Transcriber
from humdial.protocol.transcript import Transcript, Word

__all__ = ["Transcript", "Transcriber", "Word"]
