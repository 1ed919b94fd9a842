"""Readers for the official file layouts (dev, test + pairing manifest, submission) and safe zip extraction."""
