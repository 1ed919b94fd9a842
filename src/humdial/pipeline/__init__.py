"""Whole-pipeline runs as typed calls (the demo)."""
