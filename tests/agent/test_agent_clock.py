"""The cost clock: fixed, documented costs; identical outputs whatever the load; wall time never read."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import humdial.agent
from humdial.agent import clock as clock_module
from humdial.agent.calibrate import calibrate, fit_line
from humdial.agent.clock import CostClock, WallClock, make_clock
from humdial.agent.costs import Cost, load_profile, parse_profile, profile_json
from humdial.audio.io import from_array
from humdial.errors import HumdialError

QUERY = "Can you tell me how to make a good cup of coffee at home?"

DEFAULT_KEYS = {"vad:silero", "asr:whisper-partials", "asr:whisper-partials-base", "prosody", "speaker:ge2e",
                "speaker:spectral", "respond:offline", "respond:policy", "tts:espeak-ng", "topic:sentence-encoder"}
"""Every cost key the default agent charges (the shipped profile must price each one)."""


def _profile(**costs: tuple[float, float]):
    entries = {k: Cost(f, p, "unit", "test") for k, (f, p) in costs.items()}
    return parse_profile(profile_json("test", 3, entries, {}), "test.json")


def test_shipped_profile_prices_and_documents_every_computation():
    profile = load_profile()
    assert profile.name and profile.version >= 1 and profile.measured_on["cpus"] == 2
    assert DEFAULT_KEYS <= set(profile.costs)
    for key, cost in profile.costs.items():
        assert cost.doc and cost.unit, key
        assert cost.fixed_s >= 0 and cost.per_unit_s >= 0
    assert profile.provenance()["sha256"] and len(profile.provenance()["sha256"]) == 64


def test_cost_clock_charges_fixed_costs_with_fallback():
    c = CostClock(_profile(**{"asr": (0.1, 0.0), "asr:fast": (0.01, 0.02), "tts": (0.0, 0.5)}))
    c.wait_until(1.0)
    with c.compute("asr", "fast", 2.0) as span:
        pass
    assert span.cost_key == "asr:fast" and span.cost_s == pytest.approx(0.05) and c.now() == pytest.approx(1.05)
    with c.compute("asr", "other", 2.0) as span:
        pass
    assert span.cost_key == "asr" and c.now() == pytest.approx(1.15)
    with c.compute("tts") as span:
        span.units = 3.0  # known only once synthesised
    assert span.cost_s == pytest.approx(1.5) and c.charged_s == pytest.approx(1.65)
    c.wait_until(0.5)  # time never runs backwards
    assert c.now() == pytest.approx(2.65)
    with pytest.raises(HumdialError, match="no cost for 'speaker'"):
        with c.compute("speaker", "ge2e", 1.0):
            pass


def test_cost_clock_never_reads_wall_time(monkeypatch):
    def forbidden() -> float:
        raise AssertionError("the cost clock read wall time")

    monkeypatch.setattr(clock_module, "perf_counter", forbidden)
    c = make_clock("cost", _profile(vad=(0.001, 0.0)))
    with c.compute("vad", "silero"):
        time.sleep(0.05)
    assert c.now() == pytest.approx(0.001)
    with pytest.raises(AssertionError):
        with WallClock().compute("vad"):
            pass


def test_wall_clock_charges_measured_time_as_a_lower_bound():
    """The honest mode charges at least what the computation took (load can only add, so this cannot flake)."""
    c = WallClock()
    c.wait_until(1.0)
    with c.compute("respond", "offline") as span:
        time.sleep(0.2)
    assert span.cost_s >= 0.2 and c.now() >= 1.2 and span.cost_key == ""
    assert c.describe() == {"clock": "wall"} and make_clock("real").realtime


def test_only_the_clock_module_reads_time_inside_the_engine():
    """Engine, speech output and strategies take time from the clock alone (runner and calibration measure
    wall time on purpose, outside any session)."""
    root = Path(humdial.agent.__file__).parent
    allowed = {"clock.py", "runner.py", "calibrate.py"}
    for path in [*root.glob("*.py"), *root.glob("strategies/*.py")]:
        if path.name in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("import time", "from time", "perf_counter", "monotonic(", "datetime"):
            assert needle not in text, f"{path.name} uses {needle}"


def test_profile_validation(tmp_path):
    with pytest.raises(HumdialError, match="not JSON"):
        parse_profile("{", "x.json")
    with pytest.raises(HumdialError, match="format"):
        parse_profile(json.dumps({"name": "a", "version": 1, "costs": {}}), "x.json")
    bad = {"format": 1, "name": "a", "version": 1, "costs": {"vad": {"fixed_s": 1}}}
    with pytest.raises(HumdialError, match="'vad' needs"):
        parse_profile(json.dumps(bad), "x.json")
    bad["costs"]["vad"] = {"fixed_s": -1, "per_unit_s": 0, "unit": "f", "doc": "d"}
    with pytest.raises(HumdialError, match="negative"):
        parse_profile(json.dumps(bad), "x.json")
    with pytest.raises(HumdialError, match="cannot read"):
        load_profile(tmp_path / "missing.json")
    with pytest.raises(HumdialError, match="unknown clock"):
        make_clock("sundial")
    path = tmp_path / "p.json"
    path.write_text(profile_json("mine", 2, {"vad": Cost(0.001, 0, "frame", "d")}, {"cpus": 2}), encoding="utf-8")
    p = load_profile(path)
    assert (p.name, p.version, p.source) == ("mine", 2, str(path))


def test_fit_line_stays_non_negative():
    assert fit_line([1, 2, 4], [0.2, 0.3, 0.5]) == pytest.approx((0.1, 0.1))
    assert fit_line([1, 2, 4], [0.3, 0.2, 0.1])[1] == 0.0
    fixed, slope = fit_line([1, 2, 4], [0.05, 0.2, 0.5])
    assert fixed == 0.0 and slope > 0
    assert fit_line([1, 1], [0.2, 0.4]) == pytest.approx((0.3, 0.0))


class Slow:
    """A stand-in that behaves like `inner` but sleeps before each call of `method` (a loaded machine)."""

    def __init__(self, inner, method: str, delay_s: float):
        self._inner, self._method, self._delay = inner, method, delay_s

    def __getattr__(self, name):
        attr = getattr(self._inner, name)
        if name != self._method:
            return attr

        def slowed(*args, **kwargs):
            time.sleep(self._delay)
            return attr(*args, **kwargs)

        return slowed


def _session(kit, x: np.ndarray, profile=None):
    k = replace(kit, cost_profile=profile) if profile is not None else kit
    result = k.agent("en").run(from_array(x, 16000))
    return result.output.tobytes(), [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in result.log.events]


@pytest.fixture(scope="module")
def stop_dialogue(say, timeline):
    """A query, a reply, a stop request over it: VAD, ASR, speaker checks, reply, policy reply and synthesis."""
    q = say(QUERY)
    end = 0.5 + len(q) / 16000
    return timeline(end + 7.0, [(0.5, q), (end + 2.5, say("Okay, stop, that's enough."))])


def test_same_input_same_bytes_even_when_components_are_slowed(kit, stop_dialogue):
    fast_wav, fast_log = _session(kit, stop_dialogue)
    slow_kit = replace(kit, transcribers={"en": Slow(kit.transcribers["en"], "transcribe", 0.2)},
                       responder=Slow(kit.responder, "respond", 0.2),
                       speaker_encoder=Slow(kit.speaker_encoder, "embed", 0.05),
                       synthesizer=Slow(kit.synthesizer, "synthesize", 0.05))
    slow_wav, slow_log = _session(slow_kit, stop_dialogue)
    assert slow_wav == fast_wav
    assert slow_log == fast_log
    charged = {json.loads(e)["what"] for e in slow_log if json.loads(e)["type"] == "compute"}
    assert {"asr", "speaker", "respond", "tts"} <= charged  # every slowed component was really on the path
    start = json.loads(fast_log[0])
    assert start["clock"] == "cost" and start["cost_profile"]["name"] == kit.cost_profile.name
    assert np.frombuffer(fast_wav, np.float32).any()


def test_a_dearer_profile_moves_the_reply(kit, say, timeline):
    """The clock really charges the profile: a 1 s dearer ASR call delays the first reply by about that."""
    q = say(QUERY)
    x = timeline(0.5 + len(q) / 16000 + 4.0, [(0.5, q)])
    base = kit.cost_profile
    dear = replace(base, costs={**base.costs, "asr:whisper-partials": Cost(
        base.costs["asr:whisper-partials"].fixed_s + 1.0, base.costs["asr:whisper-partials"].per_unit_s, "s", "t")})

    def onset(wav: bytes) -> float:
        return int(np.flatnonzero(np.abs(np.frombuffer(wav, np.float32)) > 1e-4)[0]) / 16000

    cheap_wav, _ = _session(kit, x)
    dear_wav, _ = _session(kit, x, dear)
    assert onset(dear_wav) - onset(cheap_wav) >= 0.9


class InstantTranscriber:
    name = "instant"

    def transcribe(self, audio):
        from humdial.protocol.transcript import Transcript

        return Transcript.from_words([])


def test_calibration_writes_a_profile_the_clock_accepts(kit, tmp_path):
    """Timings themselves are not asserted (they depend on the machine); the profile's shape is. A stub ASR
    and the spectral encoder keep it quick; the real calibration path runs for every computation."""
    from humdial.agent.speaker import SpectralEncoder

    quick = replace(kit, transcribers={"en": InstantTranscriber()}, speaker_encoder=SpectralEncoder())
    costs = calibrate(quick, ["en"], repeats=1)
    keys = {"vad:silero", "asr:instant", "prosody", "speaker:spectral", "respond:offline", "respond:policy",
            "tts:espeak-ng", "asr", "speaker", "respond", "tts", "vad"}
    assert keys <= set(costs)
    assert costs["tts:espeak-ng"].fixed_s + costs["tts:espeak-ng"].per_unit_s > 0
    assert "priced as asr:instant" in costs["asr"].doc
    path = tmp_path / "mine.json"
    path.write_text(profile_json("mine", 1, costs, {"cpus": 1}), encoding="utf-8")
    profile = load_profile(path)
    wav, log = _session(kit, np.zeros(16000, np.float32) + 1e-5, profile)
    assert json.loads(log[0])["cost_profile"]["name"] == "mine"
