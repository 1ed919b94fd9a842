import pytest

from report_fixtures import make_run


@pytest.fixture(scope="session")
def report_run(tmp_path_factory, speech):
    return make_run(tmp_path_factory.mktemp("report"), speech)
