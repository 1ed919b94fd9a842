"""Track 2 evaluation: per-sample measurements, aggregation, and the `eval track2` pipeline."""
