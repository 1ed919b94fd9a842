"""Track 1 (Emotional Intelligence): schemas, loaders, exclusions, language rule, Task 3 turn choice,
judge requests and parsing, aggregation, official arithmetic, baseline-data conversion."""
