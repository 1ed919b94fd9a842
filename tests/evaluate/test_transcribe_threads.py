"""The transcribe stage splits this machine's cores between its workers unless --asr-threads was given."""

from __future__ import annotations

import os
from pathlib import Path

from humdial.asr.registry import parse_routes
from humdial.evaluate.track2.transcripts import TranscribeConfig, split_threads


def test_workers_share_the_cores_and_an_explicit_setting_wins(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    config = TranscribeConfig(routes=parse_routes(None), store=Path("unused"))
    assert split_threads(config, 1).threads == 4  # capped at whisper's default
    assert split_threads(config, 4).threads == 2
    assert split_threads(config, 16).threads == 1
    assert split_threads(TranscribeConfig(routes=parse_routes(None), store=Path("unused"), threads=3), 4).threads == 3
