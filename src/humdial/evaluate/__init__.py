"""Evaluation of system outputs for both tracks."""
