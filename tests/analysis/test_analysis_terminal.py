"""Terminal tables: titled with language and mode, numbers by unit, no `None`."""

import io
import json
import re

from rich.console import Console

from humdial.evaluate.track2.table import print_results


def test_terminal_tables_are_titled_and_formatted(two_runs):
    run_a, _ = two_runs
    results = json.loads((run_a / "track2_results.json").read_text())
    for mode in ("official", "strict"):
        results["mode"] = mode
        buffer = io.StringIO()
        print_results(results, Console(file=buffer, width=200, color_system=None))
        text = buffer.getvalue()
        assert f"Track 2 [en] mode={mode}" in text and f"[en] mode={mode}: interruption total" in text
        assert "None" not in text
        assert not re.search(r"\b\d+\.\d{4,}\b", text)  # no raw floats
        assert "per-sample verdicts:" in text
    # a 0-100 total prints at 1 dp, not as 96.700
    results["official"]["languages"]["en"]["interruption_total"] = 96.7
    results["mode"] = "official"
    buffer = io.StringIO()
    print_results(results, Console(file=buffer, width=200, color_system=None))
    assert "interruption total 96.7 " in buffer.getvalue()
