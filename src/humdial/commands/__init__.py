"""CLI commands, one per module (see humdial.cli)."""
