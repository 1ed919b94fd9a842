"""`humdial score track2` and `humdial leaderboard track2` on the published dev-table baseline row."""

import json

import pytest

from humdial.cli import main
from humdial.errors import HumdialError
from humdial.scoring.leaderboard import Row, published_rows, rank
from humdial.scoring.scenario_file import load_scenario_file, score_scenarios
from humdial.scoring.track2 import DelayScoreParams

INTERRUPTION = {"headline": 0.802, "stop_latency": 1.871, "response_latency": 2.685, "first_response_delay": 2.753}


def _values(third_party):
    lang = {name: dict(INTERRUPTION) for name in ("ask", "Negation_or_Dissatisfaction", "repeat", "shift", "wait")}
    lang.update({"backchannel": {"headline": 0.81, "first_response_delay": 2.753},
                 "Pause_Handling": {"headline": 0.853, "first_response_delay": 2.753},
                 "third_party": {**third_party, "first_response_delay": 2.753},
                 "talk_to_others": {"headline": 0.05, "first_response_delay": 2.753}})
    return {"languages": {"en": lang}}


def test_score_reproduces_dev_baseline(tmp_path, capsys):
    path = tmp_path / "values.json"
    path.write_text(json.dumps(_values({"headline": 0.11})))
    out = tmp_path / "scores.json"
    assert main(["score", "track2", str(path), "--json", str(out)]) == 0
    scores = json.loads(out.read_text())
    en = scores["languages"]["en"]
    assert (en["interruption_total"], en["rejection_total"], en["total_delay_s"]) == (80.2, 45.6, 2.436)
    assert scores["overall"]["final_score"] == pytest.approx(62.5)
    assert "rejection 45.6" in capsys.readouterr().out


def test_third_party_from_variants(tmp_path):
    path = tmp_path / "values.json"
    path.write_text(json.dumps(_values({"after": 0.2, "before": 0.0205})))  # 0.11025 -> 0.110
    scen, params = load_scenario_file(path)
    assert scen["en"]["third_party"]["headline"] == 0.11
    assert score_scenarios(scen, params)["languages"]["en"]["rejection_total"] == 45.6


def test_bad_values_file(tmp_path):
    path = tmp_path / "v.json"
    path.write_text("[1, 2]")
    with pytest.raises(HumdialError):
        load_scenario_file(path)
    assert main(["score", "track2", str(tmp_path / "missing.json")]) == 2


def test_leaderboard_reproduces_published_ranking_and_places_new_row():
    rows = rank(published_rows(), DelayScoreParams())
    assert [r.final for r in rows] == [r.published_final for r in rows]
    assert [r.team.split()[0] for r in rows[:3]] == ["cookie_asr", "Badcat", "SenseDialog"]
    fast = Row("fast", 90.0, 75.0, 0.5, ours=True)
    ranked = rank(published_rows() + [fast], DelayScoreParams())
    assert ranked[0] is fast and fast.delay_score == 100.0
    helloworld = next(r for r in ranked if r.team == "HelloWorld")
    assert helloworld.delay_score < 100.0  # L_min moved to the new fastest row


def test_leaderboard_cli_refuses_incomplete_result(tmp_path):
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"languages": {"en": {"pause": {"headline": 0.5, "first_response_delay": 1.0}}}}))
    assert main(["leaderboard", "track2", str(path)]) == 2
    full = tmp_path / "full.json"
    full.write_text(json.dumps(_values({"headline": 0.11})))
    assert main(["leaderboard", "track2", str(full), "--name", "mine"]) == 0
