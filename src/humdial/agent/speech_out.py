"""The agent's mouth: plays a reply sentence by sentence on the output timeline.

Sentences are synthesised lazily (the next one when the current one is about to end), each inside
`clock.compute`, so synthesis time is charged (per second of speech produced, on the cost clock). Output is a list of spans (where on the
timeline, which sentence, which samples); pausing cuts the playing span at the current time and
remembers the word it cut, so a resume continues from that word. `render` writes the spans into an
array of the input's length; nothing is ever placed before the time it was decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import soxr

from humdial.agent.clock import Clock
from humdial.respond.base import Reply
from humdial.agent.state import EventLog
from humdial.protocol.transcript import Word
from humdial.tts.base import Synthesizer


@dataclass(frozen=True)
class SpeechConfig:
    voice_en: str | None = "en-us+m8"
    """Agent voice for English (kept apart from the generator's user, third-party and bystander voices). The
    evaluator hears the agent through its own whisper base; on the agent's 30 fixed English sentences (bodies,
    restated questions, policy texts: `benchmarks/agent_replies.py --lang en`) its word error rate was 0.063
    with en-us+m8, 0.075 with plain en-us, 0.120-0.272 with the female variants f5, linda, f2, f3 (0.162, the
    voice until 2026-12-02) and Alicia, all at espeak's own rate. Acknowledgements ("Of course.", "Okay.",
    "Sure.") were heard 6 of 6 times with either m8 or f3."""
    voice_zh: str | None = "cmn+f3"
    rate_zh: float = 0.8
    """Speaking rate of the Chinese voice, a factor on espeak's Mandarin base rate (165 wpm). The evaluator
    hears the agent through its own ASR (whisper base), which loses about a third of espeak Mandarin's
    characters; measured on the agent's 21 fixed Chinese reply sentences (benchmarks/agent_replies.py,
    cmn+f3): character error rate 0.326 at 1.0, 0.279 at 0.8 (plain cmn at 0.8: 0.507, so f3 stays).
    English keeps espeak's own rate."""
    sentence_gap_s: float = 0.18
    """Silence between sentences (below the protocol's 0.5 s model merge gap: one speech segment)."""
    lookahead_s: float = 0.6
    """Synthesise the next sentence when the current one has this much left to play."""
    fade_s: float = 0.012
    """Fade-out applied where speech is cut, so a stop does not click."""


@dataclass
class Sentence:
    samples: np.ndarray
    words: tuple[Word, ...]
    text: str


@dataclass
class Span:
    start_t: float
    sentence: int
    first: int
    """First sample of the sentence played in this span."""
    last: int
    """One past the last sample played (shortened when the span is cut)."""
    cut: bool = False


@dataclass
class ResumePoint:
    sentence: int
    word: int
    sample: int
    paused_at: float


@dataclass
class Playback:
    reply: Reply
    sentences: dict[int, Sentence] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    next_sentence: int = 0
    next_start_t: float = 0.0
    halted: bool = False


class SpeechOutput:
    def __init__(self, synthesizer: Synthesizer, lang: str, rate: int, clock: Clock, log: EventLog,
                 config: SpeechConfig = SpeechConfig()):
        self.synth, self.lang, self.rate, self.clock, self.log, self.config = synthesizer, lang, rate, clock, log, config
        self.current: Playback | None = None
        self.finished_spans: list[tuple[Playback, Span]] = []

    # ---- synthesis -------------------------------------------------------------------------------
    def _sentence(self, pb: Playback, idx: int) -> Sentence:
        if idx not in pb.sentences:
            text = pb.reply.sentences[idx]
            voice = self.config.voice_zh if self.lang == "zh" else self.config.voice_en
            with self.clock.compute("tts", getattr(self.synth, "name", "")) as span:
                if self.lang == "zh" and self.config.rate_zh != 1.0:
                    utt = self.synth.synthesize(text, self.lang, voice=voice, rate=self.config.rate_zh)
                else:
                    utt = self.synth.synthesize(text, self.lang, voice=voice)
                samples = utt.samples.astype(np.float32)
                if utt.sample_rate != self.rate:
                    samples = soxr.resample(samples, utt.sample_rate, self.rate, quality="HQ").astype(np.float32)
                span.units = len(samples) / self.rate  # priced by the speech it produced
            self.log.add({"t": round(self.clock.now(), 4), "type": "compute", "what": "tts", "cost_s": round(span.cost_s, 4),
                          **({"cost_key": span.cost_key} if span.cost_key else {}),
                          "sentence": idx, "audio_s": round(span.units, 3)})
            pb.sentences[idx] = Sentence(samples, utt.words, text)
        return pb.sentences[idx]

    def _schedule(self, pb: Playback, idx: int, t: float, first: int = 0) -> None:
        sent = self._sentence(pb, idx)
        t = max(t, self.clock.now())  # never before the moment the audio exists
        span = Span(t, idx, first, len(sent.samples))
        pb.spans.append(span)
        pb.next_sentence = idx + 1
        pb.next_start_t = t + (span.last - span.first) / self.rate + self.config.sentence_gap_s
        self.log.add({"t": round(t, 4), "type": "speech", "event": "sentence_start", "sentence": idx,
                      "from_word": self._word_at(sent, first), "text": sent.text})

    # ---- control ---------------------------------------------------------------------------------
    def start(self, reply: Reply) -> None:
        self.drop()
        self.current = Playback(reply)
        self._schedule(self.current, 0, self.clock.now())

    def tick(self, hold: bool = False) -> None:
        """Synthesise and queue the next sentence when the current one is about to end.

        `hold`: someone has just started speaking; a speaker does not begin a new sentence then, so the
        next sentence waits (the barge-in decision follows within a few frames).
        """
        pb = self.current
        if pb is None or pb.halted or pb.next_sentence >= len(pb.reply.sentences):
            return
        if hold and pb.next_start_t <= self.clock.now():
            pb.next_start_t = self.clock.now() + 1e-3
            return
        if pb.next_start_t - self.clock.now() <= self.config.lookahead_s:
            self._schedule(pb, pb.next_sentence, pb.next_start_t)

    def speaking(self, t: float) -> bool:
        """Whether reply audio is scheduled at or after t (the reply is not over)."""
        pb = self.current
        if pb is None or pb.halted:
            return False
        if pb.next_sentence < len(pb.reply.sentences):
            return True
        last = pb.spans[-1]
        return t < last.start_t + (last.last - last.first) / self.rate

    def started_at(self) -> float | None:
        return self.current.spans[0].start_t if self.current and self.current.spans else None

    def pause(self, t: float) -> ResumePoint | None:
        """Cut the reply at time t; returns where to resume (None when nothing was playing)."""
        pb = self.current
        if pb is None or pb.halted:
            return None
        point: ResumePoint | None = None
        kept: list[Span] = []
        for span in pb.spans:
            end_t = span.start_t + (span.last - span.first) / self.rate
            if span.start_t >= t:
                continue  # not started yet: drop
            if t < end_t:
                played = span.first + int(round((t - span.start_t) * self.rate))
                sent = pb.sentences[span.sentence]
                word = self._word_at(sent, played)
                point = ResumePoint(span.sentence, word, played, t)
                span.last, span.cut = played, True
                self._fade(sent, span)
            kept.append(span)
        pb.spans = kept
        if point is None:  # between sentences
            nxt = max((s.sentence for s in pb.spans), default=-1) + 1
            if nxt >= len(pb.reply.sentences):
                pb.halted = True
                return None
            point = ResumePoint(nxt, 0, 0, t)
        pb.halted = True
        self.log.add({"t": round(t, 4), "type": "speech", "event": "paused", "sentence": point.sentence,
                      "word": point.word})
        return point

    def resume(self, point: ResumePoint, restart_sentence: bool = False, preroll_s: float = 0.03) -> None:
        pb = self.current
        if pb is None:
            return
        pb.halted = False
        sent = self._sentence(pb, point.sentence)
        word = 0 if restart_sentence else point.word
        first = 0
        if word < len(sent.words):
            first = max(0, int((sent.words[word].start - preroll_s) * self.rate)) if word > 0 else 0
        else:
            first = len(sent.samples)
        if first >= len(sent.samples):
            if point.sentence + 1 < len(pb.reply.sentences):
                self._schedule(pb, point.sentence + 1, self.clock.now())
            return
        self._schedule(pb, point.sentence, self.clock.now(), first)

    def drop(self) -> None:
        """Abandon the current reply (what was played stays on the timeline)."""
        if self.current is not None:
            self.current.halted = True
            for span in self.current.spans:
                self.finished_spans.append((self.current, span))
        self.current = None

    # ---- introspection ----------------------------------------------------------------------------
    def _word_at(self, sent: Sentence, sample: int) -> int:
        """Index of the word playing at `sample` (or the next word when between words)."""
        t = sample / self.rate
        for i, w in enumerate(sent.words):
            if t < w.end:
                return i
        return len(sent.words)

    def _fade(self, sent: Sentence, span: Span) -> None:
        n = min(int(self.config.fade_s * self.rate), span.last - span.first)
        if n > 0:
            seg = sent.samples[span.last - n: span.last].copy()
            sent.samples = sent.samples.copy()
            sent.samples[span.last - n: span.last] = seg * np.linspace(1.0, 0.0, n, dtype=np.float32)

    def spoken_text(self, pb: Playback | None = None) -> str:
        """Words of the current reply that have actually been played (in order, without repeats)."""
        pb = pb or self.current
        if pb is None:
            return ""
        heard: dict[int, int] = {}
        for span in pb.spans:
            sent = pb.sentences[span.sentence]
            upto = self._word_at(sent, span.last) if span.cut else len(sent.words)
            heard[span.sentence] = max(heard.get(span.sentence, 0), upto)
        parts = []
        for idx in sorted(heard):
            sent = pb.sentences[idx]
            if heard[idx] >= len(sent.words):
                parts.append(sent.text)
            elif heard[idx] > 0:
                parts.append(" ".join(w.text for w in sent.words[: heard[idx]]))
        return ("" if self.lang == "zh" else " ").join(parts)

    def timeline_words(self, duration_s: float) -> list[Word]:
        """Every word actually played, with times on the output timeline (the agent's own transcript).

        A word counts when its onset was played; a cut word ends where it was cut.
        """
        spans = list(self.finished_spans)
        if self.current is not None:
            spans += [(self.current, s) for s in self.current.spans]
        words: list[Word] = []
        for pb, span in sorted(spans, key=lambda ps: ps[1].start_t):
            sent = pb.sentences[span.sentence]
            for w in sent.words:
                a, b = int(w.start * self.rate), int(w.end * self.rate)
                if a < span.first or a >= span.last:
                    continue
                start = span.start_t + (a - span.first) / self.rate
                end = span.start_t + (min(b, span.last) - span.first) / self.rate
                if start < duration_s:
                    words.append(Word(w.text, round(start, 3), round(min(end, duration_s), 3)))
        return words

    def render(self, n_samples: int) -> np.ndarray:
        out = np.zeros(n_samples, dtype=np.float32)
        spans = list(self.finished_spans)
        if self.current is not None:
            spans += [(self.current, s) for s in self.current.spans]
        for pb, span in spans:
            sent = pb.sentences[span.sentence]
            at = int(round(span.start_t * self.rate))
            if at >= n_samples:
                continue
            chunk = sent.samples[span.first: span.last][: n_samples - at]
            out[at: at + len(chunk)] += chunk
        return out
