"""Backchannel: a short acknowledgement while the agent speaks ('uh-huh', 'yeah', '嗯', '对') is not a turn.

With a transcript, a burst is a backchannel when it is short and every word is in the language's
backchannel list. Without one (e.g. Mandarin with no ASR model), duration alone decides, with a
stricter limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from humdial.agent import lexicon
from humdial.agent.strategies.base import Verdict


@dataclass(frozen=True)
class BackchannelConfig:
    max_speech_s: float = 1.3
    """A burst with more speech than this is never a backchannel."""
    no_text_max_speech_s: float = 0.7
    """Without a transcript, bursts up to this much speech count as backchannels."""
    end_silence_s: float = 0.16
    """Silence after a short burst before it is judged (the burst must be over)."""
    tiny_speech_s: float = 0.5
    """A burst this short with at most `tiny_words` words and no request word ('what', 'stop', ...) is
    an acknowledgement even when the transcriber mangles it ('uh-huh' heard as 'a huh'). English; Chinese
    has its own limits below."""
    tiny_words: int = 2
    tiny_speech_zh_s: float = 0.7
    """Chinese: `tiny_speech_s` for a burst of at most `tiny_chars_zh` characters. whisper base garbles
    espeak Mandarin acknowledgements into other characters ("嗯嗯" heard as "第1名", "对对" as "面体面体");
    measured at seed 4711 (tune and eval voice groups): acknowledgements 0.35-0.64 s of speech when
    heard as text, the stop requests of the Stop scenario 0.93-1.18 s (a request split at its comma
    can still be shorter: "够了，谢谢" heard as "课字", 0.26 s)."""
    tiny_chars_zh: int = 4


class BackchannelStrategy:
    def __init__(self, config: BackchannelConfig = BackchannelConfig()):
        self.config = config

    def could_be(self, speech_s: float) -> bool:
        return speech_s <= self.config.max_speech_s

    def decide(self, speech_s: float, text: str | None, lang: str) -> Verdict:
        c = self.config
        ev = {"speech_s": round(speech_s, 3), "text": text}
        if speech_s > c.max_speech_s:
            return Verdict("no", f"burst longer than {c.max_speech_s}s", ev)
        if text is None:
            if speech_s <= c.no_text_max_speech_s:
                return Verdict("backchannel", f"no transcript; burst of {speech_s:.2f}s <= {c.no_text_max_speech_s}s", ev)
            return Verdict("no", "no transcript and burst too long for an acknowledgement", ev)
        if not lexicon.normalise(text):
            return Verdict("backchannel", "no words recognised in a short burst (noise, breath or filler)", ev)
        tokens = lexicon.words(text)
        if lang != "zh" and len(set(tokens)) == 1 and len(tokens[0]) <= 3:
            return Verdict("backchannel", f"one short sound repeated ({tokens[0]!r}): a hum, not words", ev)
        if lexicon.only_backchannel(text, lang):
            return Verdict("backchannel", "every word is an acknowledgement", ev)
        tiny_s, tiny_n = (c.tiny_speech_zh_s, c.tiny_chars_zh) if lang == "zh" else (c.tiny_speech_s, c.tiny_words)
        if (speech_s <= tiny_s and len(lexicon.words(text)) <= tiny_n
                and not lexicon.matches(text, lang, "request_word")):
            return Verdict("backchannel", f"a tiny burst ({speech_s:.2f}s, {text!r}) with no request word", ev)
        return Verdict("no", "words beyond an acknowledgement", ev)
