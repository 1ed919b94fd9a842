import pytest

from report_fixtures import make_run
from track1_fixtures import both_tracks, make_track1_runs, silence_one_output


@pytest.fixture(scope="session")
def report_run(tmp_path_factory, speech):
    return make_run(tmp_path_factory.mktemp("report"), speech)


@pytest.fixture(scope="session")
def track1_runs(tmp_path_factory):
    """(A, B): Track 1 runs of two systems on the same gold data (B answers two items in the wrong language)."""
    return make_track1_runs(tmp_path_factory.mktemp("track1_runs"))


@pytest.fixture(scope="session")
def both_track_runs(tmp_path_factory, report_run, track1_runs):
    """(A, B): run directories with both tracks; B = a silent pause output (Track 2) + the Track 1 run B."""
    root = tmp_path_factory.mktemp("both")
    track2_b = silence_one_output(report_run.parent / "data", root / "track2_b")
    return (both_tracks(report_run, track1_runs[0], root / "a"), both_tracks(track2_b, track1_runs[1], root / "b"))
