"""Synthetic data for both tracks: scenario banks, scripts, speech rendering and the official layouts."""
