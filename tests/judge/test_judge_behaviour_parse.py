import json

import pytest

from humdial.judge.rubrics import available_rubrics, load_rubric, load_rubric_file
from humdial.judge.spec import make_judge, parse_judge_spec
from humdial.judge.track2_behaviour import TAGS, behaviour_request, parse_behaviour
from humdial.errors import HumdialError
from judge_cases import sample


@pytest.mark.parametrize("raw,expected", [
    ('{"behaviour": ["C_RESPOND"]}', ["C_RESPOND"]),
    ('{ "behaviour": [ "C_RESUME" ] }\n', ["C_RESUME"]),
    ('Sure! ```json\n{"behaviour": ["C_UNKNOWN"]}\n``` done', ["C_UNKNOWN"]),
    ('{"note": 1} then {"behaviour": "C_UNCERTAIN_HANDLING"}', ["C_UNCERTAIN_HANDLING"]),
    ('{"behaviour": ["C_RESUME", "C_RESUME", "C_RESPOND"]}', ["C_RESUME", "C_RESPOND"]),
    ('{"outer": {"behaviour": ["C_RESPOND"]}}', ["C_RESPOND"]),
])
def test_parse_accepts(raw, expected):
    assert parse_behaviour(raw) == {"behaviour": expected}


@pytest.mark.parametrize("raw", [
    "", "C_RESPOND", '{"behavior": ["C_RESPOND"]}', '{"behaviour": []}', '{"behaviour": ["C_MAYBE"]}',
    '{"behaviour": [1]}', '{"behaviour": {"tag": "C_RESPOND"}}', '{"behaviour": ["C_RESPOND"',
])
def test_parse_rejects(raw):
    with pytest.raises(ValueError):
        parse_behaviour(raw)


def test_request_matches_the_official_message_shape():
    transcripts = sample("zh", "嗯嗯。", "它以埃菲尔铁塔和悠久的历史闻名。")
    request = behaviour_request(transcripts, overlap_start=4.5, metadata={"sample_id": "0001"})
    outer = json.loads(request.parts[0].text)
    assert list(outer) == ["input_clean", "input_noisy", "output_clean", "output_noisy"]
    assert all(isinstance(v, str) for v in outer.values())
    assert json.loads(outer["output_noisy"]) == transcripts["output_noisy"]
    assert "巴" in request.parts[0].text and ", " not in request.parts[0].text  # compact, non-ASCII kept
    assert request.context["overlap_start"] == 4.5 and request.rubric_id == "track2_behaviour"
    assert request.fingerprint() != behaviour_request(transcripts).fingerprint()
    with pytest.raises(ValueError):
        behaviour_request({k: v for k, v in transcripts.items() if k != "input_clean"})


def test_packaged_rubric_states_every_rule():
    rubric = load_rubric("track2_behaviour")
    assert rubric.version == "1" and available_rubrics()["track2_behaviour"] == [1]
    for needle in (*TAGS, '{"behaviour": ["C_RESPOND"]}', "first segment", "language", "repeat"):
        assert needle in rubric.text
    assert not rubric.text.startswith("id:")


def test_rubric_file_without_header_gets_hash_version(tmp_path):
    path = tmp_path / "behavior.txt"
    path.write_text("Official prompt from a local checkout.\n", encoding="utf-8")
    rubric = load_rubric_file(path)
    assert rubric.id == "behavior" and rubric.version.startswith("sha-") and len(rubric.version) == 16
    path.write_text("Changed.\n", encoding="utf-8")
    assert load_rubric_file(path).version != rubric.version
    headed = tmp_path / "mine.v3.txt"
    headed.write_text("id: mine\nversion: 3\n---\nText.\n", encoding="utf-8")
    assert (load_rubric_file(headed).id, load_rubric_file(headed).version, load_rubric_file(headed).text) == (
        "mine", "3", "Text.\n")
    with pytest.raises(HumdialError):
        load_rubric_file(tmp_path / "missing.txt")
    with pytest.raises(HumdialError):
        load_rubric("no_such_rubric")


def test_judge_specs(tmp_path):
    assert parse_judge_spec("proxy").backend == "proxy"
    spec = parse_judge_spec("openai:Qwen/Qwen3-Omni-30B-A3B-Instruct@http://localhost:8000/v1")
    assert (spec.model, spec.base_url) == ("Qwen/Qwen3-Omni-30B-A3B-Instruct", "http://localhost:8000/v1")
    for bad in ("openai:model", "openai:@http://x", "gpt4", "openai:m@ftp://x"):
        with pytest.raises(HumdialError):
            parse_judge_spec(bad)
    judge = make_judge("openai:m@http://127.0.0.1:9/v1", cache_dir=tmp_path, cache_mode="replay")
    assert judge.describe()["cache"]["mode"] == "replay"
    with pytest.raises(HumdialError):
        make_judge("proxy", cache_mode="replay")
