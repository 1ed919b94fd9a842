"""Submission tooling for both tracks: `check` validates a folder or zip against the official layout and
reports every problem at once; `pack` builds HD-Track1.zip / HD-Track2.zip from a run directory."""
