"""The emotion-aware Track 1 baseline: responders and the `run track1` runner."""
