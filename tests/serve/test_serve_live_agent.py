"""LiveAgent (frame by frame) is the batch engine: on the deterministic cost clock both see the same input at
the same times and are charged the same costs, so they must log the same decisions and write the same output."""

import numpy as np

from humdial.agent.clock import make_clock
from humdial.agent.engine import DuplexAgent
from humdial.audio.io import from_array
from humdial.serve.live import LiveAgent, LiveLog


def comparable(events):
    return [e for e in events if e["type"] in ("state", "decision", "reply", "speech", "user", "transcript")]


def test_frame_by_frame_equals_whole_file(query_audio):
    from humdial.agent.build import AgentKit
    from humdial.agent.config import AgentConfig

    kit = AgentKit.load(["en"], config=AgentConfig(topic_similarity=False, speaker_encoder="spectral"))
    x, _ = query_audio
    x = np.concatenate([x, np.zeros(100, np.float32)])  # a final partial hop
    args = ("en", kit.synthesizer, kit.responder, kit.transcribers["en"], kit.speaker_encoder, kit.config, None)
    batch = DuplexAgent(*args, clock=make_clock("cost")).run(from_array(x, 16000), output_rate=24000)

    seen = []
    live = LiveAgent(*args, clock=make_clock("cost"), log=LiveLog(seen.append))
    live.begin(24000)
    hop = kit.config.hop_samples
    for i in range(0, len(x), hop):
        frame = x[i:i + hop]
        live.hop(frame, len(frame))
    live.end()
    n_out = int(round(len(x) * 1.5))
    output = np.concatenate([live.render_window(a, min(a + 777, n_out)) for a in range(0, n_out, 777)])

    assert comparable(live.log.events) == comparable(batch.log.events)
    assert any(e["type"] == "reply" for e in batch.log.events)
    np.testing.assert_array_equal(output, batch.output)
    marks = [e for e in seen if e["type"] == "latency"]
    assert marks and marks[0]["kind"] == "response" and marks[0]["latency_s"] >= 0
