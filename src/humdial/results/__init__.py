"""The run directory: every file a stage writes, declared once, with versioned models."""
