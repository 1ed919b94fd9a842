"""End to end: speech placed at known times in the dev layout gives the latencies the placement implies."""

import json

import numpy as np
import pytest

from humdial.protocol.transcript import Transcript, Word
from humdial.audio.io import write_audio
from humdial.cli import main
from humdial.protocol.annotation import SentenceAnnotation, SpeechSegment

SR = 16000
TOL = 0.1  # VAD edge tolerance: 30 ms padding plus 32 ms window granularity at each edge


class Timeline:
    def __init__(self, seconds):
        self.samples = np.zeros(int(seconds * SR), np.float32)
        self.words: list[Word] = []

    def place(self, clip, t, words=(), gain=0.5):
        samples, rel = clip
        i = int(round(t * SR))
        self.samples[i:i + len(samples)] += gain * samples / np.abs(samples).max()
        self.words += [Word(w, t + s, t + e) for w, s, e in rel]
        return t, t + len(samples) / SR


def _transcript(t: Timeline):
    return Transcript.from_words(sorted(t.words, key=lambda w: w.start))


def _write_sample(folder, stem, user: Timeline, model: Timeline, segs, clean: tuple | None = None):
    """Writes the wavs, annotation and precomputed transcripts; `clean` = (clean input, clean output)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_audio(folder / f"{stem}.wav", user.samples, SR)
    write_audio(folder / f"{stem}_output.wav", model.samples, SR)
    SentenceAnnotation(len(user.samples) / SR, tuple(SpeechSegment(a, b, "") for a, b in segs)).save(
        folder / f"{stem}_sentence.json")
    _transcript(model).save(folder / f"{stem}_output.json")
    _transcript(user).save(folder / f"{stem}.json")
    if clean:
        for name, t in zip((f"clean_{stem}", f"clean_{stem}_output"), clean):
            write_audio(folder / f"{name}.wav", t.samples, SR)
            _transcript(t).save(folder / f"{name}.json")


@pytest.fixture(scope="module")
def dev_set(tmp_path_factory, speech):
    root = tmp_path_factory.mktemp("dev")
    query = speech("Could you tell me how to make a good cup of coffee at home?")
    interrupt = speech("Wait, what about using a French press instead?")
    answer = speech("Sure. Start with freshly ground beans and water just off the boil, then pour slowly.")
    short = speech("A French press works well too.")
    expect = {}
    fu = root / "en" / "Follow-up_Questions"
    for k, (gap1, stop_after, gap2) in enumerate([(0.8, 0.6, 0.7), (1.2, 0.3, 0.5)]):
        user, model = Timeline(16.0), Timeline(16.0)
        q = user.place(query, 0.5)
        a0 = q[1] + gap1
        i0 = a0 + 1.5
        i = user.place(interrupt, i0)
        ans = answer[0][: int((i0 + stop_after - a0) * SR)]
        model.place((ans, [w for w in answer[1] if w[2] <= len(ans) / SR]), a0)
        model.place(short, i[1] + gap2)
        clean_in, clean_out = Timeline(16.0), Timeline(16.0)
        clean_in.place(query, 0.5)
        clean_out.place(answer, a0)
        _write_sample(fu, f"0001_000{k + 1}", user, model, [q, i], clean=(clean_in, clean_out))
        expect[k] = {"stop": stop_after, "resp": [gap1, gap2], "frd": gap1}
    pause = root / "en" / "Pause_Handling"
    for k, offset in enumerate([0.6, -1.0]):
        user, model = Timeline(10.0), Timeline(10.0)
        q = user.place(query, 0.5)
        model.place(short, q[1] + offset)
        _write_sample(pause, f"0002_000{k + 1}", user, model, [q])
    return root, expect


def _results(run):
    return json.loads((run / "track2_results.json").read_text())


def test_known_answer_official_and_strict(dev_set, tmp_path):
    root, expect = dev_set
    rc = main(["eval", "track2", "--data", str(root), "--out", str(tmp_path / "run"), "--lang", "en", "--quiet",
               "--asr", "en=precomputed", "--judge", "none"])
    assert rc == 0
    res = _results(tmp_path / "run")
    fu = res["units"]["en"]["follow_up"]["official"]
    stops = [e["stop"] for e in expect.values()]
    resps = [r for e in expect.values() for r in e["resp"]]
    assert fu["stop_intervals_n"] == 2 and fu["response_intervals_n"] == 4
    assert abs(fu["stop_latency"] - np.mean(stops)) < TOL
    assert abs(fu["response_latency"] - np.mean(resps)) < TOL
    assert abs(fu["first_response_delay"] - np.mean([e["frd"] for e in expect.values()])) < 0.02  # word times exact
    for rec in (r for r in res["samples"] if r["unit"] == "follow_up"):
        k = int(rec["sample_id"][-1]) - 1
        (s0, s1), = rec["stop_intervals"]
        assert abs((s1 - s0) - expect[k]["stop"]) < TOL
        assert abs(rec["event"]["stop_latency"] - expect[k]["stop"]) < TOL
        assert abs(rec["event"]["response_latency"] - expect[k]["resp"][1]) < TOL
    strict = res["units"]["en"]["follow_up"]["strict"]
    assert abs(strict["stop_latency"]["median"] - np.median(stops)) < TOL
    assert strict["unanswered_interruptions"] == 0
    pause = res["units"]["en"]["pause"]
    assert pause["official"]["headline"] == 0.5 and pause["strict"]["headline"] == 0.5
    assert pause["strict"]["early_starts"] == 1
    assert res["official"]["scenarios"]["en"]["pause"]["headline"] == 0.5
    assert res["official"]["languages"]["en"]["interruption_total"] is None  # no judge: says why, not "pending"
    assert "pending" not in res
    fu_why = res["units"]["en"]["follow_up"]["official"]["unavailable"]["headline"]
    assert fu_why["reason"] == "no_judge" and "--judge none" in fu_why["why"]
    assert any(u["where"] == "en/follow_up" and u["reason"] == "no_judge" for u in res["unavailable"])
    lang_why = res["official"]["languages"]["en"]["unavailable"]["interruption_total"]
    # two causes (no judge for follow_up; no samples of the other scenarios): both named
    assert lang_why["reason"] == "missing_component"
    assert "headline of follow_up missing (no judge requested (--judge none))" in lang_why["why"]
    assert "headline of negation, repetition, topic_switch, stop missing (no samples (en))" in lang_why["why"]
    final_why = res["official"]["overall"]["unavailable"]["final_score"]
    assert "interruption total" in final_why["why"] and "no judge requested" in final_why["why"]
    assert res["provenance"]["vad"]["constants"]["threshold"] == 0.5
    assert len(res["provenance"]["file_sha256"]) == 8  # 4 inputs, 4 outputs


def test_rerun_uses_cache_and_resume_gives_identical_numbers(dev_set, tmp_path):
    root, _ = dev_set
    run = tmp_path / "run"
    args = ["eval", "track2", "--data", str(root), "--out", str(run), "--quiet", "--asr", "en=precomputed", "--judge", "none"]
    main(args)
    first = _results(run)
    entries = sorted((run / "cache" / "vad").rglob("*.json"))
    assert len(entries) == 6
    for e in entries[::2]:  # a run killed midway leaves part of the cache
        e.unlink()
    main(args + ["--jobs", "2"])
    second = _results(run)
    for key in ("units", "official", "strict", "samples"):
        assert first[key] == second[key]


def test_bad_inputs_become_per_sample_errors(dev_set, tmp_path):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(dev_set[0], root)
    folder = root / "en" / "Pause_Handling"
    (folder / "0002_0001_output.wav").unlink()  # missing output
    (folder / "0002_0002_output.wav").write_bytes(b"")  # empty file
    bad = root / "en" / "Follow-up_Questions"
    (bad / "0001_0001_output.wav").write_bytes(b"RIFF....garbage")  # unreadable
    nan = np.full(SR, np.nan, np.float32)
    import soundfile as sf

    sf.write(bad / "0001_0002_output.wav", nan, SR, subtype="FLOAT")
    (bad / "0001_0002_sentence.json").write_text("{not json")
    stereo_dir = root / "en" / "Third-party_Speech_before"
    stereo_dir.mkdir()
    sf.write(stereo_dir / "0003_0001_before.wav", np.zeros((SR, 2), np.float32), SR)
    sf.write(stereo_dir / "0003_0001_before_output.wav", np.zeros((SR * 2, 2), np.float32), SR)
    SentenceAnnotation(1.0, (SpeechSegment(0.1, 0.5),)).save(stereo_dir / "0003_0001_before_sentence.json")
    run = tmp_path / "run"
    rc = main(["eval", "track2", "--data", str(root), "--out", str(run), "--quiet", "--asr", "en=precomputed"])
    assert rc == 2  # preflight: one output missing, none allowed by default
    assert not (run / "track2_results.json").exists()
    rc = main(["eval", "track2", "--data", str(root), "--out", str(run), "--quiet", "--asr", "en=precomputed",
               "--allow-missing", "1"])
    assert rc == 1
    res = _results(run)
    by_id = {r["sample_id"]: r for r in res["samples"]}
    assert len(by_id) == 5  # nothing vanished
    kinds = {sid: {e["kind"] for e in r["errors"]} for sid, r in by_id.items()}
    assert "output_missing" in kinds["en/pause/0002_0001"]
    assert "audio_error" in kinds["en/pause/0002_0002"]
    assert "audio_error" in kinds["en/follow_up/0001_0001"]
    assert {"audio_error", "annotation_error"} <= kinds["en/follow_up/0001_0002"]
    before = by_id["en/third_party.before/0003_0001_before"]
    assert "annotation_error" in kinds[before["sample_id"]]  # seg 1 needed, only one segment
    assert any("channels" in w for w in before["warnings"])
    assert any("sample-aligned" in w for w in before["warnings"])
    assert res["counts"]["with_errors"] == 5 and res["counts"]["samples"] == 5


def test_judge_stage_with_proxy_and_whisper_asr(dev_set, tmp_path):
    """Default ASR (whisper for English) on all four files, proxy judge on the interruption samples."""
    root, expect = dev_set
    run = tmp_path / "run"
    rc = main(["eval", "track2", "--data", str(root), "--out", str(run), "--lang", "en", "--quiet"])
    assert rc == 0
    res = _results(run)
    fu = res["units"]["en"]["follow_up"]["official"]
    assert fu["headline"] == 1.0 and fu["headline_n"] == 2  # both samples answer the follow-up
    assert abs(fu["first_response_delay"] - np.mean([e["frd"] for e in expect.values()])) < 0.15
    verdicts = [json.loads(l) for l in (run / "verdicts.jsonl").read_text().splitlines()]
    assert {v["tag"] for v in verdicts} == {"C_RESPOND"} and all(v["judge"] == "proxy" for v in verdicts)
    assert any("NOT comparable" in n for n in res["notes"])
    assert res["provenance"]["asr"]["routes"]["en"]["spec"].startswith("whisper")
    assert res["provenance"]["judge"]["backend"] == "proxy"
    words = json.loads((run / "transcripts" / "en" / "follow_up" / "0001_0001" / "output.json").read_text())
    assert words["chunks"]
    # re-scoring only reuses the stored verdict ratios
    assert main(["eval", "track2", "--data", str(root), "--out", str(run), "--lang", "en", "--quiet",
                 "--stages", "measure,score"]) == 0
    assert _results(run)["units"]["en"]["follow_up"]["official"]["headline"] == 1.0


def test_transcribe_stage_alone_stores_transcripts_and_scores_nothing(dev_set, tmp_path):
    root, _ = dev_set
    run = tmp_path / "run"
    assert main(["eval", "track2", "--data", str(root), "--out", str(run), "--lang", "en", "--quiet",
                 "--stages", "transcribe"]) == 0
    assert (run / "transcripts" / "en" / "follow_up" / "0001_0001" / "output.json").is_file()
    assert not (run / "track2_results.json").exists() and not (run / "cache" / "vad").exists()


def test_strict_no_chinese_transcripts_is_incomplete_not_silence(dev_set, tmp_path, capsys):
    """Issue 13/12: strict mode turned "no Chinese transcript" into "the system did not answer" (zh totals 0,
    overall interruption 46.7 while the system spoke). The same audio as English, without transcripts, in zh."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(dev_set[0], root)
    shutil.copytree(root / "en", root / "zh")
    for stale in (root / "zh").rglob("*_output.json"):
        stale.unlink()  # no precomputed output transcripts and --asr zh=precomputed: no Chinese ASR at all
    run = tmp_path / "run"
    rc = main(["eval", "track2", "--data", str(root), "--out", str(run), "--asr", "precomputed", "--judge", "none",
               "--mode", "strict"])
    assert rc == 1  # the transcript errors are counted per sample
    res = _results(run)
    zh = res["units"]["zh"]
    assert zh["pause"]["strict"]["incomplete"] == 2 and zh["pause"]["strict"]["no_response"] == 0
    assert zh["pause"]["strict"]["headline"] is None
    why = zh["pause"]["strict"]["unavailable"]["headline"]
    assert why["reason"] == "no_transcripts" and "no ASR chosen for zh" in why["why"]
    # English, with its transcripts, keeps its values; before the fix zh pause was 0.0 and pulled totals down
    assert res["units"]["en"]["pause"]["strict"]["headline"] == 0.5
    zh_samples = [s for s in res["samples"] if s["lang"] == "zh"]
    assert all(s["verdict"]["verdict"] == "incomplete" for s in zh_samples)
    # the two pause samples; follow_up has no judge at all here (its headline says so) and is not "incomplete"
    assert res["strict"]["languages"]["zh"]["incomplete"] == 2
    out = capsys.readouterr().out
    assert "incomplete" in out and "no transcripts for zh" in out and "pending" not in out
