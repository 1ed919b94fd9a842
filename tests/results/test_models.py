"""The result-file models: round trips, clear errors on invalid or old files, the verdict log's tags."""

import json

import pytest

from humdial.judge.base import Verdict
from humdial.results.demo import load_demo_meta, write_demo_meta
from humdial.results.schema import ResultsFileError
from humdial.results.track1 import SCHEMA as T1_SCHEMA
from humdial.results.track1 import build_track1_results, load_track1_results, write_track1_results
from humdial.results.track2 import (SCHEMA as T2_SCHEMA, build_track2_results, dump, load_judge_ratios,
                                    load_track2_results, write_judge_ratios, write_track2_results)
from humdial.results.verdicts import SCHEMA as V_SCHEMA
from humdial.results.verdicts import VerdictRecord, read_verdicts, write_verdicts

SAMPLE = {"sample_id": "en/follow_up/0001_0001", "lang": "en", "unit": "follow_up", "status": "error",
          "files": {"input": "a.wav", "output": "a_output.wav", "annotation": "a_sentence.json"},
          "errors": [{"stage": "output", "kind": "output_missing", "message": "no file", "path": "a_output.wav"}],
          "warnings": [], "input": {"duration": 10.0, "sha256": "ab", "channels": 1},
          "first_response": {"anchor_end": 2.0, "first_word_start": None, "diff": None},
          "judge": {"status": "ok", "tags": ["C_RESPOND", "C_UNCERTAIN_HANDLING"]}, "something_new": [1, 2]}
TRACK2 = {"mode": "strict", "provenance": {"humdial_version": "0", "mode": "strict", "asr": {"routes": "x"},
                                           "future_key": True},
          "notes": ["n"], "unavailable": [{"where": "en/follow_up", "metric": "headline", "reason": "no_judge",
                                           "why": "no judge requested (--judge none)"}], "layout_problems": [],
          "counts": {"samples": 1, "ok": 0, "with_errors": 1, "errors_by_kind": {"output_missing": 1}, "with_warnings": 0},
          "units": {"en": {"follow_up": {"n_samples": 1, "n_ok": 0, "errors": {"output_missing": 1},
                                         "official": {"headline": None, "unavailable": {"headline": {
                                             "reason": "no_judge", "why": "no judge requested (--judge none)"}}},
                                         "strict": {"first_response_delay": {"n": 0, "mean": None}}}}},
          "official": {"scenarios": {"en": {"follow_up": {"headline": None, "first_response_delay": None}}},
                       "languages": {"en": {"interruption_total": None, "rejection_total": None,
                                            "total_delay_s": None, "missing": ["headline:follow_up"]}},
                       "overall": {"scope": "en", "final_score": None}},
          "strict": {"scenarios": {}, "languages": {}, "overall": {"scope": "none"}},
          "samples": [SAMPLE]}


def test_track2_round_trip_keeps_every_key(tmp_path):
    model = build_track2_results(TRACK2)
    path = write_track2_results(tmp_path / "track2_results.json", model)
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk == {"schema": T2_SCHEMA, **TRACK2}  # same keys as written, extras kept, nothing added
    assert "\n " in path.read_text(encoding="utf-8")  # indented for people
    again = load_track2_results(path)
    assert again == model and dump(again) == on_disk
    assert again.samples[0].judge.tags == ["C_RESPOND", "C_UNCERTAIN_HANDLING"]
    assert again.block().overall.scope == "none" and again.block("official").overall.scope == "en"


def test_track2_version_1_with_pending_is_read_as_unavailable_reasons(tmp_path):
    v1 = json.loads(json.dumps(TRACK2))
    del v1["unavailable"]
    v1["pending"] = ["en/follow_up: needs the behaviour judge (C_RESPOND ratio)"]
    v1["units"]["en"]["follow_up"]["official"] = {"headline": None,
                                                  "pending": "needs the behaviour judge (C_RESPOND ratio)"}
    path = tmp_path / "track2_results.json"
    path.write_text(json.dumps({"schema": "humdial.track2_results/1", **v1}), encoding="utf-8")
    model = load_track2_results(path)
    reason = model.units["en"]["follow_up"].official.unavailable["headline"]
    assert reason.reason == "no_judge" and "C_RESPOND" in reason.why
    assert "pending" not in dump(model) and "pending" not in dump(model)["units"]["en"]["follow_up"]["official"]
    assert model.schema_ == T2_SCHEMA  # upgraded: written back, it is a version-2 file
    # the run was made in strict mode, so the top-level list (the run's mode) holds no official-only entry
    assert model.unavailable == []


def test_track2_invalid_field_names_file_and_field(tmp_path):
    bad = {"schema": T2_SCHEMA, **TRACK2, "samples": [{**SAMPLE, "lang": 5, "first_response": {"diff": "soon"}}]}
    path = tmp_path / "track2_results.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ResultsFileError) as err:
        load_track2_results(path)
    message = str(err.value)
    assert str(path) in message and "samples.0.lang" in message and "samples.0.first_response.diff" in message


@pytest.mark.parametrize("schema,needle", [(None, "no schema version"),
                                           ("humdial.track2_results/0", "not readable by this humdial"),
                                           ("humdial.track1_results/1", "not a humdial.track2_results file")])
def test_track2_other_schema_is_refused_clearly(tmp_path, schema, needle):
    data = dict(TRACK2) if schema is None else {"schema": schema, **TRACK2}
    path = tmp_path / "track2_results.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultsFileError, match=needle) as err:
        load_track2_results(path)
    assert str(path) in str(err.value)


def test_unreadable_and_missing_files(tmp_path):
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ResultsFileError, match="unreadable"):
        load_track2_results(tmp_path / "x.json")
    with pytest.raises(ResultsFileError, match="no such file"):
        load_track1_results(tmp_path / "missing.json")


def test_track1_results_carry_a_schema_and_round_trip(tmp_path):
    from humdial.evaluate.track1.pipeline import evaluate
    from humdial.generate.track1.example import write_example
    from humdial.judge.proxy.track1_judge import Track1ProxyJudge

    gold, sub = write_example(tmp_path / "ex")
    returned = evaluate(gold, sub, Track1ProxyJudge(), tmp_path / "run")
    path = tmp_path / "run" / "track1_results.json"
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk["schema"] == T1_SCHEMA and returned == on_disk
    model = load_track1_results(path)
    assert model.items and model.per_language["en"].tasks["T1"].avg is not None
    write_track1_results(tmp_path / "again.json", model)
    assert json.loads((tmp_path / "again.json").read_text(encoding="utf-8")) == on_disk
    del on_disk["schema"]
    path.write_text(json.dumps(on_disk), encoding="utf-8")
    with pytest.raises(ResultsFileError, match="no schema version.*re-run `humdial eval track1`"):
        load_track1_results(path)


def test_track1_invalid_item_is_reported():
    with pytest.raises(ResultsFileError, match=r"items\.0\.scores\.D1"):
        build_track1_results({"items": [{"id": "1", "lang": "en", "task": "T1", "dialogue_id": "d", "status": "judge",
                                         "scores": {"D1": "high"}}]})


def test_judge_ratios_and_demo_meta_round_trip(tmp_path):
    ratios = {("en", "follow_up"): {"ratio": 1 / 3, "n": 3, "strict_ratio": 0.5, "strict_n": 2,
                                    "tag_counts": {"C_RESPOND": 1}}}
    write_judge_ratios(tmp_path / "judge_ratios.json", {"backend": "proxy"}, ratios)
    saved = load_judge_ratios(tmp_path / "judge_ratios.json")
    assert saved.by_unit() == ratios and saved.judge == {"backend": "proxy"}
    old = {"judge": None, "ratios": [{"lang": "zh", "unit": "stop", "ratio": 0.5, "n": 2}]}  # before versioning
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    assert load_judge_ratios(tmp_path / "old.json").by_unit()[("zh", "stop")]["ratio"] == 0.5
    write_demo_meta(tmp_path / "demo.json", {"options": {"n": 1}, "stages": [{"name": "gen", "status": "ok"}],
                                             "skipped": ["x: y"]})
    assert load_demo_meta(tmp_path / "demo.json").skipped == ["x: y"]


def test_verdict_log_keeps_every_tag_and_reads_version_1_lines(tmp_path):
    verdict = Verdict("proxy", "m", "track2_behaviour", "1", "{}", {"behaviour": ["C_RESPOND", "C_RESUME"]}, "ok")
    rec = VerdictRecord.from_verdict("s1", "follow_up", verdict, tags=["C_RESPOND", "C_RESUME"], language="en")
    assert rec.tag == "C_RESPOND" and rec.to_dict()["schema"] == V_SCHEMA
    path = write_verdicts(tmp_path, [rec])
    with path.open("a", encoding="utf-8") as handle:  # a line written before `tags` existed
        handle.write(json.dumps({"sample_id": "s2", "task": "stop", "judge": "proxy", "status": "ok",
                                 "tag": "C_RESUME"}) + "\n")
        handle.write(json.dumps({"schema": "humdial.verdict/9", "sample_id": "s3", "task": "stop", "judge": "proxy",
                                 "status": "ok"}) + "\n")
    log = read_verdicts(tmp_path)
    assert log.records[("follow_up", "s1")].tags == ("C_RESPOND", "C_RESUME")
    assert log.records[("stop", "s2")].tags == ("C_RESUME",)
    assert len(log.errors) == 1 and "unknown verdict schema" in log.errors[0]


def test_why_unavailable_gives_the_sentence_for_a_headline():
    from humdial.results.track2 import why_unavailable

    data = json.loads(json.dumps(TRACK2))
    data["official"]["overall"]["unavailable"] = {"final_score": {"reason": "no_transcripts", "why": "no zh ASR"}}
    model = build_track2_results(data)
    assert why_unavailable(model, "final_score", mode="official") == "no zh ASR"
    assert why_unavailable(model, "final_score", mode="strict") == ""
    assert why_unavailable(model, "total_delay_s", lang="xx", mode="official") == ""
