"""End of turn: answer when the user has finished, not into a pause inside their utterance.

Evidence: the silence since the last speech frame, the completeness of the partial transcript
(a turn ending on 'and', 'the', 'um'... or with a trailing comma is unfinished), and the final pitch
movement (a fall suggests a finished statement). The silence needed grows with the doubt; after
`max_wait_s` of silence the agent answers whatever the evidence says.
"""

from __future__ import annotations

from dataclasses import dataclass

from humdial.agent import lexicon
from humdial.agent.strategies.base import Verdict


TRAILING_MARKS = (",", "...", "…", "-", "，", "、")
"""A transcript ending on one of these stopped mid-sentence: the speaker announced more."""


@dataclass(frozen=True)
class EndOfTurnConfig:
    transcript_at_silence_s: float = 0.12
    """Silence after which the turn is transcribed (its result is the completeness evidence)."""
    complete_silence_s: float = 0.26
    """Silence needed when the transcript is a finished question (ends with a question mark)."""
    complete_silence_zh_s: float = 0.45
    """Chinese, a turn at a quiet moment: silence needed for a finished question. Longer than
    `complete_silence_s` because a Chinese query often runs on after its question ("今天晚上看什么纪录片好？
    推荐一部吧。"): espeak Mandarin pauses 0.32-0.37 s between such sentences (measured on three generator
    voices), so at 0.26 s the agent answered into the user's own sentence pause (the demo's third-party
    sample 2026_0002_before, answered 1.0 s before the query ended). Turns over the agent's reply keep
    `complete_silence_s`: they are short requests, and the response latency counts."""
    statement_silence_s: float = 0.5
    """Silence needed when the transcript looks finished but is not a question: statements are often
    the run-up to a question ('I want to start tennis. [pause] How should I begin?')."""
    unpunctuated_silence_s: float = 1.0
    """Silence needed when the transcript has no closing punctuation: the transcriber's punctuation is
    weak evidence that the sentence was not finished."""
    incomplete_silence_s: float = 2.6
    """Silence needed when the transcript looks unfinished (it ends on a connective, article, filler, a comma,
    or is only a run-up such as "let me think" / "我想问一下"): a mid-utterance pause, and the generator's
    Pause Handling pauses run to 2.5 s (1.0-2.5 s) in both languages. At 2.2 s the agent answered into such
    pauses: English eval voices (2026-12-01), and Chinese openers heard as "我想问一下", "让", "大" (seeds 9393
    and 9595, 2.21 s into their pauses). Chinese exceptions below: turns over the agent's reply
    (`incomplete_silence_interrupting_zh_s`) and long turns whose particle was lost (`long_turn_speech_zh_s`)."""
    incomplete_silence_interrupting_zh_s: float = 0.8
    """Chinese, a turn over the agent's speech: silence needed when it looks unfinished (a trailing comma, a
    last character such as 的). Requests over a reply are short and finished ("请安静一会儿" heard as "请按针,"
    waited 2.2 s, seed 9090 tune, stop acknowledged 2.2 s late); the generator's interruptions pause at most
    0.37 s inside themselves (espeak Mandarin between sentences), and the mid-utterance pauses of the Pause
    Handling scenario come at quiet moments, which keep `incomplete_silence_s`."""
    long_turn_speech_zh_s: float = 1.9
    """Chinese, a turn at a quiet moment: with at least this much speech, a transcript that looks unfinished
    only for its words (no request or question particle heard, or a last character such as 的/我/要) is
    taken as a finished query whose particle whisper base lost, and waits `long_turn_silence_zh_s`. A
    pause-handling opener is short ("那个，", "让我想想，": 0.35-1.22 s of speech before the pause in 6 of 6
    samples, seed 4711, tune and eval voice groups), a query long (2.5-5 s); a trailing comma or a run-up
    phrase still waits `incomplete_silence_s`."""
    long_turn_silence_zh_s: float = 1.2
    """Silence for such a long Chinese turn. A trade-off, measured against the generator's gaps: a user's
    backchannel follows the query by 1.0-2.5 s and a third party's remark by 0.5-2.5 s, and speech that
    starts before the agent answers is merged into the query (then answered late, after it); a third
    party's remark heard without its particle runs into the user's query only if the wait outlasts the
    0.4-1.5 s gap between them. At 2.2 s every Chinese first response whose particle was lost came about
    2.3 s late; at 1.6 s (seed 4711, tune) a backchannel 1.7 s after the query still merged into it."""
    late_burst_gap_s: float = 0.7
    """A burst that starts after this much silence in a turn still waiting for its end is judged on its own
    (Chinese partials, which transcribe it as a piece of its own): if it is only an acknowledgement (the
    backchannel strategy's rules), the turn ended before it and is answered without it. Why: a Chinese query
    whose particle the partials lost waits `long_turn_silence_zh_s`, and the user's backchannel, 1.0-2.5 s
    after the query in the generator, ran into the query once it came inside that wait (seed 9090 tune, 2 of
    3 backchannel samples: answered after the acknowledgement, first responses 2.95-3.18 s). Sentence
    pauses inside one utterance are 0.32-0.37 s (espeak Mandarin)."""
    late_burst_max_wait_s: float = 1.2
    """Only a turn whose own evidence asked for at most this much silence (a finished-looking turn, e.g. a
    long Chinese query without its particle) is ended by a late acknowledgement; an opener that announced
    more (`incomplete_silence_s`) takes what follows as its continuation."""
    no_text_silence_s: float = 0.55
    """Silence needed without a transcript when the pitch falls at the end."""
    no_text_no_fall_silence_s: float = 0.9
    """Silence needed without a transcript when the pitch does not fall (or cannot be measured)."""
    pitch_fall_st: float = -1.0
    """Final pitch movement (semitones against the utterance median) that counts as a fall."""
    min_speech_s: float = 0.25
    """A turn with less speech than this is treated as noise and never answered."""
    max_wait_s: float = 3.0
    """After this much silence the turn is over whatever the evidence says."""


class EndOfTurnStrategy:
    def __init__(self, config: EndOfTurnConfig = EndOfTurnConfig()):
        self.config = config

    def completeness(self, text: str | None, lang: str, interrupting: bool = False) -> tuple[str, str]:
        """('complete' | 'statement' | 'unpunctuated' | 'incomplete' | 'unknown', why)."""
        if text is None:
            return "unknown", "no transcript"
        stripped = text.strip()
        if not lexicon.normalise(stripped):
            if lang == "zh":  # Chinese partials drop what they cannot make out (asr.partial.clean_chinese)
                return (("statement", "no words recognised over the agent's speech") if interrupting else
                        ("incomplete", "no words recognised yet (unclear speech, e.g. a filler)"))
            return "unknown", "empty transcript"
        if lexicon.only_phrases(stripped, lang, "preamble"):
            return "incomplete", "only a run-up so far (e.g. 'let me think')"
        if stripped.endswith(TRAILING_MARKS):
            return "incomplete", f"ends with {stripped[-1]!r}"
        about_agent = ([p for cat in ("stop", "repeat") for p in lexicon.matches(stripped, lang, cat)]
                       + lexicon.starts_with(stripped, lang, "negation", window=3)) if interrupting else []
        if about_agent:
            return "complete", f"a request about the agent's speech ({about_agent[0]!r})"
        last = lexicon.ends_with(stripped, lang, "incomplete_end")
        if (last and interrupting and stripped.endswith("?")
                and lexicon.ends_with(stripped, lang, "back_reference_end")):
            # English: over the agent's reply, "Where can I buy that?" points back at the reply
            return "complete", f"a question ending on {last!r}, which points back at the agent's reply"
        if last:  # checked before the question mark: transcribers add one to cut-off questions
            return "incomplete", f"ends on {last!r}"
        if stripped.endswith(("?", "？")) or lexicon.ends_with(stripped, lang, "question_end"):
            return "complete", "a finished question"
        if not interrupting and not lexicon.matches(stripped, lang, "request"):
            return "incomplete", "a remark with no request in it yet"
        if lang != "zh" and not stripped.endswith((".", "!", "。", "！")):
            return "unpunctuated", "no closing punctuation (the transcriber heard no sentence end)"
        return "statement", "ends on a content word"

    @staticmethod
    def _run_up(text: str, lang: str) -> bool:
        """A trailing comma or only a run-up phrase: the speaker announced more (a pause-handling opener)."""
        stripped = text.strip()
        return stripped.endswith(TRAILING_MARKS) or lexicon.only_phrases(stripped, lang, "preamble")

    def decide(self, silence_s: float, speech_s: float, text: str | None, pitch_st: float | None,
               lang: str, interrupting: bool = False) -> Verdict:
        """`interrupting`: the turn began over the agent's speech (it reacts to the reply, so it need not
        contain a request of its own)."""
        c = self.config
        state, why = self.completeness(text, lang, interrupting)
        ev = {"silence_s": round(silence_s, 3), "speech_s": round(speech_s, 3), "text": text,
              "completeness": state, "pitch_st": None if pitch_st is None else round(pitch_st, 2)}
        if speech_s < c.min_speech_s:
            return Verdict("wait", "too little speech to be a turn", ev)
        if state == "complete":
            need = c.complete_silence_zh_s if lang == "zh" and not interrupting else c.complete_silence_s
            reason = f"transcript complete ({why})"
        elif state == "statement":
            need, reason = c.statement_silence_s, f"transcript looks finished ({why})"
        elif state == "unpunctuated":
            need, reason = c.unpunctuated_silence_s, f"transcript may be cut off ({why})"
        elif state == "incomplete":
            need = c.incomplete_silence_s
            reason = f"transcript unfinished ({why})"
            if lang == "zh" and interrupting:
                need = c.incomplete_silence_interrupting_zh_s
            elif lang == "zh" and speech_s >= c.long_turn_speech_zh_s and text and not self._run_up(text, lang):
                need = c.long_turn_silence_zh_s
                reason += f"; {speech_s:.1f}s of speech: a query whose closing words were not heard"
        elif pitch_st is not None and pitch_st <= c.pitch_fall_st:
            need, reason = c.no_text_silence_s, f"{why}; final pitch fall {pitch_st:.1f} st"
        else:
            need, reason = c.no_text_no_fall_silence_s, f"{why}; no final pitch fall"
        need = min(need, c.max_wait_s)
        ev["needed_silence_s"] = need
        if silence_s >= need:
            return Verdict("end", f"{reason}; silence {silence_s:.2f}s >= {need}s", ev)
        return Verdict("wait", f"{reason}; silence {silence_s:.2f}s < {need}s", ev)
