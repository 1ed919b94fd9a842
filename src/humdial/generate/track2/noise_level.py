"""The range of signal-to-noise ratios the Track 2 generator accepts, checked by the library and the CLI alike."""

from __future__ import annotations

from humdial.errors import HumdialError

SNR_RANGE_DB = (-20.0, 100.0)
"""Accepted SNRs in dB. Below -20 dB the noise is ten times the speech amplitude: no VAD, ASR or listener
follows the user and the mix clips; above 100 dB the noise sits under 16-bit quantisation (leave the SNR out)."""


def check_snr(value: float | None) -> None:
    """A finite number of dB inside SNR_RANGE_DB (or None: no added noise); otherwise a HumdialError before any work."""
    low, high = SNR_RANGE_DB
    if value is not None and not low <= value <= high:  # also false for nan
        raise HumdialError(f"--snr must be a finite number of dB from {low:g} to {high:g}, not {value}")
