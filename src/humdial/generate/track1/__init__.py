"""Track 1 synthetic dialogues: scripts, rendering, a tiny example set."""
