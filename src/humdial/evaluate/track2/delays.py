"""First-response delay and timestamp-order rejection (track2.md sections 2.1 D and E).

Both compare the first recognised output word with the end of the scenario's anchor segment.
"""

from __future__ import annotations

from dataclasses import dataclass

from humdial.protocol.transcript import Transcript
from humdial.protocol.annotation import SentenceAnnotation
from humdial.protocol.track2 import Unit


@dataclass(frozen=True)
class FirstResponse:
    anchor_end: float
    """xmax of the scenario's anchor segment (seg 0, or seg 1 for Third-party before)."""
    first_word_start: float | None
    """None when the output transcript has no words (silent output)."""

    @property
    def diff(self) -> float | None:
        return None if self.first_word_start is None else self.first_word_start - self.anchor_end

    def official_delay(self, accepts_zero: bool) -> float | None:
        """The delay the official script keeps (> 0, or >= 0 for backchannels); None when dropped."""
        d = self.diff
        if d is None or d < 0 or (d == 0 and not accepts_zero):
            return None
        return d

    @property
    def waited(self) -> bool | None:
        """Timestamp-order rejection success: the first word comes after the anchor ends. None if silent."""
        d = self.diff
        return None if d is None else d > 0


def first_response(unit: Unit, annotation: SentenceAnnotation, output: Transcript,
                   source: str | None = None) -> FirstResponse:
    anchor = annotation.segment(unit.anchor_segment, source)
    return FirstResponse(anchor_end=anchor.xmax, first_word_start=output.first_word_start)
