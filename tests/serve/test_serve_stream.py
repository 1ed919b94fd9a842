"""`humdial stream` against a real `humdial serve`-style server on a tiny generated set, then `eval track2`."""

from __future__ import annotations

import json
import socket

import soundfile as sf

from humdial.cli import main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_stream_writes_the_official_layout_resumes_and_evaluates(serve, tmp_path, wait_for):
    from humdial.generate.driver import generate_track2

    data, out = tmp_path / "data", tmp_path / "out"
    generate_track2(data, ["en"], 1, 0, quiet=True)
    server = serve()
    args = ["stream", "--url", server.url, "--data", str(data), "--out", str(out), "--lang", "en",
            "--limit", "1", "--sessions", "2", "--quiet"]
    assert main(args) == 0
    summary = json.loads((out / "stream_run.json").read_text())
    assert summary["ok"] == 2 and summary["errors"] == [] and summary["paced"] is True
    wavs = sorted(p for p in out.rglob("*_output.wav"))
    assert len(wavs) == 2  # the sample's noisy and clean inputs
    for wav in wavs:
        source = data / wav.relative_to(out).with_name(wav.name.replace("_output", ""))
        assert sf.info(str(wav)).frames == sf.info(str(source)).frames
        assert sf.info(str(wav)).samplerate == sf.info(str(source)).samplerate
        log = out / "agent_logs" / wav.relative_to(out).with_suffix(".events.jsonl")
        events = [json.loads(line) for line in log.read_text().splitlines()]
        assert [e["name"] for e in events if e["type"] == "system"] == ["start", "end"]
        stats = json.loads(log.with_name(log.name.replace(".events.jsonl", ".stream.json")).read_text())
        assert stats["frames_sent"] == stats["frames_total"] and stats["dropped_output_frames"] == 0
        assert stats["output_samples"] == stats["expected_samples"]
        assert {"send_jitter", "output_lag", "late_output_frames", "end_to_end", "server"} <= set(stats)
    # the client is done when its last frame is back; the server records a session a moment later
    wait_for(lambda: len(server.server.finished) == 2, "the server to record both sessions")
    sessions = len(server.server.finished)

    assert main(args) == 0  # resumable: everything already done, nothing streamed again
    assert json.loads((out / "stream_run.json").read_text())["skipped"] == 2
    assert len(server.server.finished) == sessions

    # an input replaced by other audio under the same name is streamed again; the unchanged one is not
    changed = [data / w.relative_to(out).with_name(w.name.replace("_output", "")) for w in wavs if "clean" in w.name][0]
    x, rate = sf.read(str(changed), dtype="float32")
    sf.write(str(changed), x[::-1].copy(), rate)
    assert main(args) == 0
    again = json.loads((out / "stream_run.json").read_text())
    assert again["skipped"] == 1 and again["ok"] == 1
    wait_for(lambda: len(server.server.finished) == sessions + 1, "the server to record the re-streamed session")

    run = tmp_path / "eval"
    main(["eval", "track2", "--data", str(data), "--outputs", str(out), "--out", str(run), "--lang", "en", "--allow-missing", "all",
          "--stages", "measure,score", "--quiet"])
    results = json.loads((run / "track2_results.json").read_text())
    streamed = [s for s in results["samples"] if s["sample_id"] == summary["errors"] or s["files"]["output"] == str(wavs[-1]) or
                s["files"]["output"] in map(str, wavs)]
    assert streamed
    for s in streamed:
        assert not [e for e in s["errors"] if e["kind"] in ("output_missing", "audio_error")], s["errors"]
        assert abs(s["output"]["duration"] - s["input"]["duration"]) < 1e-3


def test_stream_to_nothing_is_a_counted_error(tmp_path):
    from humdial.generate.driver import generate_track2

    data, out = tmp_path / "data", tmp_path / "out"
    generate_track2(data, ["en"], 1, 0, quiet=True)
    rc = main(["stream", "--url", f"ws://127.0.0.1:{free_port()}/ws", "--data", str(data), "--out", str(out),
               "--lang", "en", "--limit", "1", "--quiet"])
    assert rc == 1
    summary = json.loads((out / "stream_run.json").read_text())
    assert summary["ok"] == 0 and len(summary["errors"]) == 2
    assert all(e["error"]["kind"] == "stream_connect" for e in summary["errors"])
    assert not list(out.rglob("*_output.wav"))
