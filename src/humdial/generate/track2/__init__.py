"""Track 2 synthetic samples: scripts and rendering."""
