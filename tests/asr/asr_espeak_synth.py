"""Synthesise English speech with the espeak-ng library bundled by espeakng-loader (test fixture).

Run as a script in a subprocess, so espeak-ng's process-global state never meets another
engineer's use of the same library inside the pytest process:

    python asr_espeak_synth.py OUT.wav "text" [voice]
"""

from __future__ import annotations

import ctypes
import sys

import numpy as np
import soundfile as sf

SYNCHRONOUS = 2
CHARS_UTF8 = 1


def synthesize(text: str, voice: str = "en-us") -> tuple[np.ndarray, int]:
    import espeakng_loader

    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    rate = lib.espeak_Initialize(SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0)
    if rate <= 0:
        raise RuntimeError(f"espeak_Initialize failed ({rate})")
    chunks: list[np.ndarray] = []
    callback_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

    def on_audio(wav, count, _events):
        if wav and count > 0:
            chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0

    callback = callback_type(on_audio)
    lib.espeak_SetSynthCallback(callback)
    if lib.espeak_SetVoiceByName(voice.encode()) != 0:
        raise RuntimeError(f"espeak voice {voice!r} not found")
    data = text.encode("utf-8")
    status = lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, CHARS_UTF8, None, None)
    if status != 0:
        raise RuntimeError(f"espeak_Synth failed ({status})")
    samples = np.concatenate(chunks).astype(np.float32) / 32768.0 if chunks else np.zeros(0, np.float32)
    return samples, rate


if __name__ == "__main__":
    out, text = sys.argv[1], sys.argv[2]
    samples, rate = synthesize(text, sys.argv[3] if len(sys.argv) > 3 else "en-us")
    sf.write(out, samples, rate, subtype="PCM_16")
