"""stdout of the main commands can be piped: results only (progress goes to stderr), no control characters,
every table titled with its language(s) and mode, no `None`.

The commands run in-process with stdout captured, so rich sees a non-terminal exactly as behind a pipe.
"""

from __future__ import annotations

import json
import re

import pytest

from humdial.cli import main

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Any control character but tab and newline: colour escapes, carriage returns of a redrawn bar, backspaces."""
PROGRESS = re.compile(r"━{8,}.*\d+/\d+.*\d:\d\d:\d\d")
"""A rich progress bar line (bar, M/N, elapsed time); table borders also use ━ but never with a count."""
LANGUAGE = re.compile(r"\[(zh|en|overall|all languages|zh, en|en, zh)\]|scope (zh|en|overall)")
MODE = re.compile(r"mode[= ](official|strict)")


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)


def _table_titles(out: str) -> list[str]:
    """The title of every rich table: the lines (a title may wrap) above each top border `┏`."""
    lines = out.splitlines()
    titles = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith("┏"):
            above = []
            for prev in reversed(lines[max(0, i - 4):i]):
                if not prev.strip() or prev.lstrip().startswith(("└", "┃", "│")):
                    break
                above.insert(0, prev.strip())
            titles.append(" ".join(above))
    return titles


def _run(capsys, argv: list[str], codes=(0, 1)) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    assert code in codes, (argv, code, captured.err[-2000:])
    out = captured.out
    assert not CONTROL.search(out), (argv, repr(CONTROL.search(out).group()))
    assert not PROGRESS.search(out), (argv, PROGRESS.search(out).group())
    assert "None" not in out, argv
    for title in _table_titles(out):
        assert LANGUAGE.search(title) and MODE.search(title), (argv, title)
    return out


def test_main_commands_keep_stdout_clean(tmp_path, capsys, report_run, track1_runs, both_track_runs):
    gen = tmp_path / "gen1"
    out = _run(capsys, ["gen", "track1", "--out", str(gen), "--lang", "en", "--n", "1"])
    assert json.loads(out.strip().splitlines()[-1])["written"] > 0  # the summary line is machine-readable
    _run(capsys, ["run", "track1", "--data", str(gen), "--out", str(tmp_path / "run1"), "--no-encoder"])
    data2 = report_run.parent / "data"
    _run(capsys, ["run", "track2", "--data", str(data2), "--out", str(tmp_path / "run2"), "--lang", "en",
                  "--limit", "1", "--asr", "none"])
    out = _run(capsys, ["eval", "track2", "--data", str(data2), "--out", str(tmp_path / "eval2"), "--lang", "en"])
    assert "Track 2 [en] mode=official" in out
    system = track1_runs[0] / "system"
    out = _run(capsys, ["eval", "track1", "--gold", str(system / "HD-Track1-Test"),
                        "--submission", str(system / "HD-Track1"), "--out", str(tmp_path / "eval1")])
    assert "Track 1 [zh, en] mode=official" in out
    run_a, run_b = both_track_runs
    out = _run(capsys, ["compare", str(run_a), str(run_b), "--out", str(tmp_path / "cmp.html"),
                        "--replicates", "20", "--mode", "strict"])
    assert len(_table_titles(out)) >= 5  # Track 2 and Track 1 differences and flips
    out = _run(capsys, ["report", str(run_a), "--out", str(tmp_path / "report.html"), "--replicates", "20"])
    assert str(tmp_path / "report.html") in out
    values = tmp_path / "values.json"
    scenario = {"headline": 0.8, "stop_latency": 1.2, "response_latency": 1.5, "first_response_delay": 1.0}
    names = ("ask", "Negation_or_Dissatisfaction", "repeat", "shift", "wait", "backchannel", "Pause_Handling",
             "third_party", "talk_to_others")
    values.write_text(json.dumps({"languages": {"en": {n: dict(scenario) for n in names}}}), encoding="utf-8")
    out = _run(capsys, ["leaderboard", "track2", str(values), "--name", "mine"])
    assert "cookie" in out
