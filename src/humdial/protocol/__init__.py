"""The benchmark as data: scenario registry, scoring constants and published leaderboards."""
