"""Track 1 evaluation: join, judge requests, parsing, aggregation, the `eval track1` pipeline."""
