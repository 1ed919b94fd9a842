import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))

from report_fixtures import make_run  # noqa: E402

from humdial.audio.io import write_audio  # noqa: E402
from humdial.cli import main  # noqa: E402

SILENCED = "0001_0003"
"""The pause sample system B leaves silent (a passed sample that must flip to failed)."""


@pytest.fixture(scope="session")
def silenced() -> str:
    """SILENCED for the tests: a fixture, since `from conftest import` finds whichever conftest loaded first."""
    return SILENCED


@pytest.fixture(scope="session")
def two_runs(tmp_path_factory, speech):
    """System A = the report fixture's run; system B = the same data with one output replaced by silence."""
    root = tmp_path_factory.mktemp("analysis")
    run_a = make_run(root, speech)
    data_b = root / "data_b"
    shutil.copytree(root / "data", data_b)
    for name in (f"{SILENCED}_output.wav", f"clean_{SILENCED}_output.wav"):
        write_audio(data_b / "en" / "Pause_Handling" / name, np.zeros(10 * 16000, np.float32), 16000)
    run_b = root / "run_b"
    assert main(["eval", "track2", "--data", str(data_b), "--out", str(run_b), "--lang", "en", "--quiet"]) in (0, 1)
    return run_a, run_b
