"""Two runs of the same input in two processes give the same agent speech (the benchmark's --twice, issue 14).

The agent's voices (espeak variants such as cmn+f3) carry espeak breath noise, whose generator espeak-ng 1.52 seeds from
the clock when it initialises: the same reply then differed between processes (the in-process tests could
not see it). Each synthesis now reseeds it.
"""

from __future__ import annotations

import subprocess
import sys

from humdial.agent.speech_out import SpeechConfig

SCRIPT = """
import hashlib, sys
from humdial.tts.espeak import EspeakSynthesizer
s = EspeakSynthesizer()
for voice, lang in ((sys.argv[1], "en"), (sys.argv[2], "zh")):
    u = s.synthesize("You asked how to save money. Here is how I see it.", lang, voice=voice)
    print(hashlib.sha256(u.samples.tobytes()).hexdigest())
"""


def test_agent_voices_synthesise_the_same_bytes_in_two_processes():
    c = SpeechConfig()
    runs = [subprocess.run([sys.executable, "-c", SCRIPT, c.voice_en, c.voice_zh], capture_output=True, text=True,
                           check=True).stdout.split() for _ in range(2)]
    assert len(runs[0]) == 2 and runs[0] == runs[1]
