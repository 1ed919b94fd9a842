"""`humdial report` on folders that are not (or no longer) run directories: exit 2, nothing written."""

from __future__ import annotations

import pytest

from humdial.cli import main
from humdial.results import paths


def test_folder_without_results_is_refused(tmp_path, capsys):
    (tmp_path / "en").mkdir()
    assert main(["report", str(tmp_path)]) == 2
    assert "not a run directory" in capsys.readouterr().err
    assert not (tmp_path / paths.REPORT).exists()


@pytest.mark.parametrize("content", ["", "{", "[]", '{"mode": 1}', "null", '{"samples": "x"}', "\\xff"])
def test_corrupt_results_are_a_usage_error(tmp_path, capsys, content):
    (tmp_path / paths.TRACK2_RESULTS).write_text(content)
    assert main(["report", str(tmp_path), "--replicates", "10"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error" in err
