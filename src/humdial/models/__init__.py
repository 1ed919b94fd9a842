"""Shared pretrained encoders (numpy only, weights from pinned registry packages)."""
