"""`gen` never mixes two data sets in one folder, and refuses settings that would write garbage."""

from __future__ import annotations

import pytest

from humdial.cli import main
from humdial.errors import HumdialError
from humdial.generate.driver import claim_folder
from humdial.results import paths


def test_same_settings_may_write_again_other_settings_are_refused(tmp_path):
    out = tmp_path / "data"
    a = {"track": "track2", "n": 1, "seed": 0}
    claim_folder(out, a, overwrite=False)
    (out / "en").mkdir()
    claim_folder(out, a, overwrite=False)  # a re-run of the same set
    with pytest.raises(HumdialError, match="another data set"):
        claim_folder(out, {**a, "seed": 1}, overwrite=False)
    claim_folder(out, {**a, "seed": 1}, overwrite=True)
    assert not (out / "en").exists() and (out / paths.GEN_STAMP).is_file()


def test_foreign_folder_is_refused_without_overwrite(tmp_path):
    (tmp_path / "mine.txt").write_text("x")
    with pytest.raises(HumdialError, match="did not write"):
        claim_folder(tmp_path, {"track": "track1"}, overwrite=False)
    claim_folder(tmp_path, {"track": "track1"}, overwrite=True)
    assert (tmp_path / "mine.txt").read_text() == "x"  # a folder gen did not make is never emptied


@pytest.mark.parametrize("snr", ["nan", "inf", "-inf", "-1e6", "-1e300", "1e400", "-20.5", "101"])
def test_gen_snr_must_be_finite(tmp_path, capsys, snr):
    assert main(["gen", "track2", "--out", str(tmp_path / "d"), "--n", "1", "--lang", "en", f"--snr={snr}",
                 "--quiet"]) == 2
    assert "--snr must be a finite" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("snr", [float("nan"), float("inf"), -1e6, -20.5, 101.0])
def test_generator_library_refuses_an_snr_out_of_range(tmp_path, snr):
    """The library checks the range itself: a script calling generate_track2 gets the CLI's error, not a clipped mix."""
    from humdial.generate.driver import generate_track2

    with pytest.raises(HumdialError, match="--snr must be a finite number of dB from -20 to 100"):
        generate_track2(tmp_path / "d", ["en"], 1, 7, snr_db=snr, quiet=True)
    assert not (tmp_path / "d").exists()
