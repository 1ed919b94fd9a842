"""A user turn as the engine tracks it: speech from one side of the room, from its first speech frame
to the end of the turn, with what the engine has learnt about it so far (partials, pitch, voice, level)."""

from __future__ import annotations

from dataclasses import dataclass, field

from humdial.agent.strategies import Verdict


@dataclass(frozen=True)
class TurnSoFar:
    """The turn as it stood when a burst began after a long silence: what it is answered as if that burst
    was only an acknowledgement (EndOfTurnConfig.late_burst_gap_s)."""

    text: str
    speech_s: float
    speech_end_t: float
    frames: int
    burst_t: float
    """Where the burst after the silence began."""


@dataclass
class UserTurn:
    """Speech from one side of the room, from its first speech frame to the end of the turn."""

    start_t: float
    start_sample: int
    during_agent: bool
    last_speech_end_t: float = 0.0
    speech_s: float = 0.0
    speech_frames: list[int] = field(default_factory=list)
    text: str | None = None
    text_upto_t: float = -1.0
    text_cut_t: float = -1.0
    """Input time where the audio of the latest partial ended (incremental transcribers continue from it)."""
    pitch_st: float | None = None
    pitch_upto_t: float = -1.0
    speaker: Verdict | None = None
    level_db: float | None = None
    ignored: bool = False
    eot_last: str = ""
    mixed: bool = False
    """An aside was split off the front of the turn: its speech holds two voices, so it enrols no one."""
    partials: list[str] = field(default_factory=list)
    """Every partial transcript of the turn, in order (a later one can lose a name an earlier one heard)."""
    piece: str | None = None
    """The latest partial's own text (incremental transcribers: the speech since the previous partial)."""
    before_burst: TurnSoFar | None = None
    """The turn as it stood when a burst began after a long silence (EndOfTurnConfig.late_burst_gap_s)."""

    def silence_s(self, t: float) -> float:
        return max(0.0, t - self.last_speech_end_t)
