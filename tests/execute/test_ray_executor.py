"""The Ray executor: same bytes and numbers as the local pool, clean errors without ray or a cluster."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

import pytest

from humdial.errors import HumdialError
from humdial.execute.backend import ExecutorSpec, active_executor, use_executor
from humdial.execute.ray_pool import INSTALL_HINT, RayExecutor, check_reachable


def test_missing_extra_is_one_line_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` raise ImportError
    with pytest.raises(HumdialError) as err:
        RayExecutor(workers=1)
    assert "pip install 'humdial[ray]'" in str(err.value) and "\n" not in str(err.value)
    assert str(err.value) == INSTALL_HINT


def test_unreachable_cluster_fails_fast_and_clearly():
    started = time.monotonic()
    with pytest.raises(HumdialError, match="cannot reach the Ray cluster at 127.0.0.1:1"):
        check_reachable("127.0.0.1:1")
    assert time.monotonic() - started < 60
    with pytest.raises(HumdialError, match="not HOST:PORT"):
        check_reachable("nonsense")


def test_address_without_ray_and_unknown_executor_are_refused():
    with pytest.raises(HumdialError, match="--ray-address needs --executor ray"):
        ExecutorSpec("local", "10.0.0.1:6379")
    with pytest.raises(HumdialError, match="unknown executor"):
        ExecutorSpec("dask")


def _tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != "manifest.jsonl"}


def _echo_outputs(data: Path) -> None:
    """A stand-in system: every output is its input (and the output transcript the input's)."""
    from humdial.layouts.track2 import Track2Sample, read_track2

    for s in read_track2(data, None, ["en"], None).samples:
        for src, dst in ((s.input_wav, s.output_wav), (s.clean_wav, s.clean_output_wav)):
            if src and dst and src.exists() and not dst.exists():
                shutil.copyfile(src, dst)
                src_json, dst_json = Track2Sample.transcript_path(src), Track2Sample.transcript_path(dst)
                if src_json.exists():
                    shutil.copyfile(src_json, dst_json)


def _eval(data: Path, out: Path, jobs: int) -> dict:
    from humdial.asr.registry import parse_spec
    from humdial.evaluate.track2.pipeline import EvalOptions, run_eval
    from humdial.evaluate.track2.transcripts import TranscribeConfig
    from humdial.results import paths

    asr = TranscribeConfig(routes={"en": parse_spec("precomputed")}, store=paths.transcripts_dir(out))
    results = run_eval(EvalOptions(data=data, out=out, langs=["en"], jobs=jobs, chunk_size=2, asr=asr, quiet=True))
    results.pop("provenance")
    return results


@pytest.mark.slow
def test_ray_gives_the_local_bytes_for_gen_and_eval(tmp_path):
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'humdial[ray]')")
    from humdial.generate.driver import generate_track2

    local, remote = tmp_path / "local", tmp_path / "ray"
    generate_track2(local, ["en"], n=1, seed=5, layout="dev", jobs=1, quiet=True)
    _echo_outputs(local)
    local_results = _eval(local, tmp_path / "run_local", jobs=1)

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        with use_executor(ExecutorSpec("ray")):
            generate_track2(remote, ["en"], n=1, seed=5, layout="dev", jobs=2, quiet=True)
        assert ray.is_initialized(), "an instance the test started must outlive the command"
        gen_local, gen_remote = _tree_hashes(local), _tree_hashes(remote)
        _echo_outputs(remote)
        with use_executor(ExecutorSpec("ray")):
            remote_results = _eval(remote, tmp_path / "run_ray", jobs=2)
            pool = active_executor(2)
            assert isinstance(pool, RayExecutor) and len(pool._actors) == 2
    finally:
        ray.shutdown()
    assert gen_remote and {k: v for k, v in gen_local.items() if "output" not in k} == gen_remote
    assert local_results["counts"]["samples"] >= 9 and local_results["counts"]["ok"] > 0
    text = json.dumps(local_results, sort_keys=True).replace(str(local), "DATA")
    assert text == json.dumps(remote_results, sort_keys=True).replace(str(remote), "DATA")


def _decode_files(threads: int, paths: list[str]) -> list[dict]:
    """Cold transcripts (no cache) of `paths` with the default whisper route of each file's language."""
    from humdial.asr.registry import AsrRouter, parse_routes
    from humdial.audio.io import load_audio

    asr = AsrRouter(parse_routes(None), cache=None, threads=threads)
    return [asr.for_language(Path(p).parent.name).transcribe(load_audio(p)).to_official() for p in paths]


@pytest.mark.slow
def test_cold_ray_workers_transcribe_like_a_local_process(tmp_path):
    """Ray starts its workers with OMP_NUM_THREADS=1, which changed faster-whisper's features (OpenBLAS threads) and
    with them words ("turbulent God question" vs "turbulent? Good question"). Two generated files, one per language,
    decoded cold here (2 threads, as --jobs 1) and on 2 Ray workers (1 thread each, as --jobs 2) must agree exactly."""
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'humdial[ray]')")
    import functools
    import random

    import soundfile as sf
    import soxr

    import numpy as np
    from humdial.execute.pool import map_chunks
    from humdial.generate.track2.script import BREAK, UNIT_KEYS, compose
    from humdial.tts.espeak import EspeakSynthesizer, voices_for_role

    paths = []
    for lang in ("en", "zh"):
        rng = random.Random(11)
        script = compose(lang, rng.choice(UNIT_KEYS), rng)
        text = " ".join(p.text.replace(BREAK, " ") for p in script.parts if p.role == "user")
        utt = EspeakSynthesizer().synthesize(text, lang, voice=voices_for_role(lang, "user")[0])
        samples = soxr.resample(utt.samples, utt.sample_rate, 16000).astype(np.float32)
        silence = np.zeros(16000, np.float32)
        (tmp_path / lang).mkdir()
        paths.append(str(tmp_path / lang / "speech.wav"))
        sf.write(paths[-1], np.concatenate([silence, samples, silence]), 16000)

    local = _decode_files(2, paths)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
        with use_executor(ExecutorSpec("ray")):
            remote = map_chunks(functools.partial(_decode_files, 1), paths, jobs=2, chunk_size=1, quiet=True)
            pool = active_executor(2)
            assert isinstance(pool, RayExecutor) and len(pool._actors) == 2
    finally:
        ray.shutdown()
    assert all(t["chunks"] for t in local), local
    assert remote == local
