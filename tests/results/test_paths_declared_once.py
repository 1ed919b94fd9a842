"""Every run-directory file name is spelled once, in humdial/results/paths.py (the run-directory contract)."""

import ast
from pathlib import Path

import humdial
from humdial.results import paths

SRC = Path(humdial.__file__).parent
OWNER = SRC / "results" / "paths.py"


def _string_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_no_other_module_declares_a_run_directory_file_name():
    names = set(paths.RUN_FILE_NAMES)
    assert {paths.TRACK2_RESULTS, paths.TRACK1_RESULTS, paths.VERDICTS, paths.REPORT} <= names
    offenders = [f"{p.relative_to(SRC)}:{line}: {value!r}" for p in sorted(SRC.rglob("*.py")) if p != OWNER
                 for line, value in _string_literals(p) if value in names]
    assert not offenders, "declare these in humdial.results.paths and import them:\n" + "\n".join(offenders)


def test_both_tracks_share_one_judge_cache_location(tmp_path):
    assert paths.judge_cache_dir(tmp_path) == tmp_path / "cache" / "judge"
