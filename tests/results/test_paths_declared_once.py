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


def test_eval_track1_caches_llm_verdicts_in_the_shared_location(tmp_path):
    import json
    import sys

    from humdial.cli import main
    from humdial.generate.track1.example import write_example
    from humdial.protocol.track1_dimensions import DIMENSIONS

    sys.path.insert(0, str(Path(__file__).parents[1] / "judge"))
    from judge_server import JudgeServer, Reply  # the judge tests' real local HTTP server

    gold, sub = write_example(tmp_path / "ex", per_task=1)
    answer = {"scores": {d: 3 for dims in DIMENSIONS.values() for d in dims}, "reasons": {}}
    run = tmp_path / "run"
    with JudgeServer(lambda call, body: Reply(content=json.dumps(answer))) as server:
        main(["eval", "track1", "--gold", str(gold), "--submission", str(sub), "--out", str(run),
              "--judge", f"openai:test-omni@{server.url}"])
    assert json.loads((run / paths.TRACK1_RESULTS).read_text())["counts"]["verdicts"] == {"ok": 6}
    assert any(paths.judge_cache_dir(run).rglob("*.json"))
    assert not (run / "judge_cache").exists()
