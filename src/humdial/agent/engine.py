"""The duplex engine: input frames in, a sample-aligned output timeline out, every decision logged.

One worker does everything (VAD, ASR, speaker checks, reply, synthesis) on one clock (`clock.py`).
On a batch clock each computation advances time by what it is charged (its profile cost, or its
measured wall time with `--clock wall`), so a decision (and any speech it starts) lands no earlier
than the input it used plus the time it took; frames that arrived meanwhile are handled afterwards,
as a busy live system would. Audio already scheduled keeps playing while the worker computes, as a
sound card would. The engine itself never reads wall time: only the clock does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from humdial.agent.clock import Clock, ComputeSpan, make_clock
from humdial.agent.config import AgentConfig
from humdial.agent.frames import DecisionFrame, SystemFrame, TranscriptFrame
from humdial.agent.intent import Intent, classify
from humdial.agent.levels import LevelTracker
from humdial.audio.prosody import final_pitch_movement, level_dbfs
from humdial.respond.base import Reply, ResponseRequest, Responder, Turn
from humdial.agent.speaker import SpeakerEncoder
from humdial.agent.speech_out import Playback, ResumePoint, SpeechOutput
from humdial.agent.state import DuplexState, EventLog, StateMachine
from humdial.agent.turn import TurnSoFar, UserTurn
from humdial.agent.strategies import (AddresseeStrategy, BackchannelStrategy, BargeInStrategy, EndOfTurnStrategy,
                                      ResumeStrategy, ThirdPartyStrategy, Verdict)
from humdial.agent import lexicon
from humdial.asr.base import Transcriber
from humdial.audio.io import ANALYSIS_RATE, Audio, from_array
from humdial.tts.base import Synthesizer

S = DuplexState



@dataclass
class AgentResult:
    output: np.ndarray
    output_rate: int
    log: EventLog
    audio_s: float
    compute_s: float
    """Compute time charged by the clock (profile costs on the cost clock, measured on the others)."""
    words: list = field(default_factory=list)
    """The agent's own words with their times on the output timeline (from the synthesizer, not ASR)."""

    @property
    def rtf(self) -> float:
        return self.compute_s / self.audio_s if self.audio_s > 0 else 0.0


class DuplexAgent:
    def __init__(self, lang: str, synthesizer: Synthesizer, responder: Responder, transcriber: Transcriber | None,
                 speaker_encoder: SpeakerEncoder, config: AgentConfig = AgentConfig(), sentence_encoder: Any = None,
                 clock: Clock | None = None, log: EventLog | None = None):
        self.lang, self.config = lang, config
        self.synth, self.responder, self.transcriber = synthesizer, responder, transcriber
        self.encoder, self.sentence_encoder = speaker_encoder, sentence_encoder
        self.incremental = bool(getattr(transcriber, "incremental", False))
        """The transcriber hears only the speech since its previous partial (Chinese partials)."""
        self.clock = clock or make_clock()
        self.log = log or EventLog()
        self.sm = StateMachine(self.log)
        self.barge_in = BargeInStrategy(config.barge_in)
        self.backchannel = BackchannelStrategy(config.backchannel)
        self.eot = EndOfTurnStrategy(config.end_of_turn)
        self.third_party = ThirdPartyStrategy(config.third_party, speaker_encoder.name)
        self.addressee = AddresseeStrategy(config.addressee)
        self.resumer = ResumeStrategy(config.resume)
        self.turn: UserTurn | None = None
        self.suspended: ResumePoint | None = None
        self.history: list[Turn] = []
        self.stopped: Playback | None = None
        self.answered: tuple[float, str] | None = None
        """(end of the user's speech, user text) of the latest reply to a new query, for continuations."""
        self.vad_s = 0.0
        self.levels = LevelTracker()
        """The session's noise floor; speech levels are compared above it (humdial.agent.levels)."""
        self._in_speech = False
        self.quiet_turn_ignored = False
        """A quiet first turn was taken as background speech once; later quiet turns are not."""

    # ---- public --------------------------------------------------------------------------------
    def run(self, audio: Audio, output_rate: int | None = None, output_samples: int | None = None) -> AgentResult:
        """Listen to the whole input and return the output timeline (same duration as the input)."""
        from humdial.audio.vad import StreamingVad

        if audio.sample_rate != ANALYSIS_RATE:
            raise ValueError("the agent listens at 16 kHz")
        out_rate = output_rate or audio.sample_rate
        n_out = output_samples if output_samples is not None else int(round(len(audio.samples) * out_rate / audio.sample_rate))
        self.samples = audio.samples
        self.speech = SpeechOutput(self.synth, self.lang, out_rate, self.clock, self.log, self.config.speech)
        vad = StreamingVad()
        hop = self.config.hop_samples
        self.hop_s = hop / ANALYSIS_RATE
        self.log.frame(SystemFrame(0.0, "start", {"lang": self.lang, **self.clock.describe(),
                                                  "input_s": round(audio.duration, 3), "output_rate": out_rate}))
        n_frames = -(-len(audio.samples) // hop)
        for i in range(n_frames):
            t0, t1 = i * self.hop_s, min((i + 1) * self.hop_s, audio.duration)
            self.clock.wait_until(t1)
            frame = audio.samples[i * hop:(i + 1) * hop]
            if len(frame) < hop:
                frame = np.pad(frame, (0, hop - len(frame)))
            with self.clock.compute("vad", "silero") as span:
                prob = vad.probability(frame)
            self.vad_s += span.cost_s
            self._track_speech(i, prob, t0, t1, frame)
            self.speech.tick(hold=self.turn is not None and not self.turn.ignored and self._in_speech)
            self._step(t1)
        self.log.frame(SystemFrame(self.clock.now(), "end", {"state": self.sm.state.value,
                                                             "compute_s": round(self.clock.charged_s, 4),
                                                             "vad_s": round(self.vad_s, 4)}))
        return AgentResult(self.speech.render(n_out), out_rate, self.log, audio.duration, self.clock.charged_s,
                           self.speech.timeline_words(n_out / out_rate))

    # ---- input tracking --------------------------------------------------------------------------
    def _track_speech(self, index: int, prob: float, t0: float, t1: float, frame: np.ndarray) -> None:
        c = self.config
        self._in_speech = prob >= (c.vad_off if self._in_speech else c.vad_on)
        if not self._in_speech:
            self.levels.add_silence(frame)
        turn = self.turn
        if turn is not None and turn.ignored and not self._in_speech and turn.silence_s(t1) >= c.ignored_turn_gap_s:
            self.log.add({"t": round(t1, 4), "type": "user", "event": "ignored_speech_end"})
            self.turn = turn = None
        if not self._in_speech:
            return
        if turn is None:
            turn = self.turn = UserTurn(t0, index * c.hop_samples, self.sm.is_(S.SPEAKING, S.PAUSED))
            self.log.add({"t": round(t0, 4), "type": "user", "event": "speech_start",
                          "agent_state": self.sm.state.value})
        self._note_late_burst(turn, t0)
        turn.speech_s += t1 - t0
        turn.last_speech_end_t = t1
        turn.speech_frames.append(index)

    def _note_late_burst(self, turn: UserTurn, t0: float) -> None:
        """Keep the turn as it stood when speech resumes after a long silence, if it was only waiting to end."""
        cfg = self.config.end_of_turn
        if (turn.ignored or not turn.speech_frames or turn.silence_s(t0) < cfg.late_burst_gap_s
                or not self.incremental or turn.text is None
                or turn.text_upto_t < turn.last_speech_end_t or not self.sm.is_(S.USER_SPEAKING)):
            return
        interrupting = turn.during_agent or self.suspended is not None
        need = self.eot.decide(turn.silence_s(t0), turn.speech_s, turn.text, None, self.lang,
                               interrupting).evidence.get("needed_silence_s")
        if need is not None and need <= cfg.late_burst_max_wait_s:
            turn.before_burst = TurnSoFar(turn.text, turn.speech_s, turn.last_speech_end_t, len(turn.speech_frames), t0)

    def _late_acknowledgement(self, turn: UserTurn, t: float) -> bool:
        """A burst after a long silence that is only an acknowledgement ends the turn before it: True when
        the turn was finished (and answered) without it."""
        before, bc = turn.before_burst, self.config.backchannel
        if before is None or turn.silence_s(t) < bc.end_silence_s:
            return False
        turn.before_burst = None
        burst_s = turn.speech_s - before.speech_s
        verdict = self.backchannel.decide(burst_s, turn.piece, self.lang)
        if verdict.decision != "backchannel":
            return False
        gap = before.burst_t - before.speech_end_t
        self._decision("end_of_turn", Verdict(
            "end", f"a burst {gap:.2f}s after the turn's last words is an acknowledgement "
                   f"({verdict.reason}): the turn had ended before it", {**verdict.evidence, "text": before.text}))
        turn.text, turn.speech_s, turn.last_speech_end_t = before.text, before.speech_s, before.speech_end_t
        del turn.speech_frames[before.frames:]
        self._finish_turn(turn, t)
        return True

    def _turn_audio(self, turn: UserTurn, upto_t: float) -> np.ndarray:
        a = max(0, turn.start_sample - int(self.config.preroll_s * ANALYSIS_RATE))
        b = min(len(self.samples), int(upto_t * ANALYSIS_RATE))
        return self.samples[a:b]

    def _speech_only(self, turn: UserTurn, max_s: float | None = None) -> np.ndarray:
        hop = self.config.hop_samples
        frames = turn.speech_frames if max_s is None else turn.speech_frames[: int(max_s / self.hop_s)]
        if not frames:
            return np.zeros(0, np.float32)
        return np.concatenate([self.samples[i * hop:(i + 1) * hop] for i in frames])

    # ---- evidence -------------------------------------------------------------------------------
    def _decision(self, strategy: str, verdict: Verdict) -> None:
        self.log.frame(DecisionFrame(self.clock.now(), strategy, verdict.decision, verdict.reason, verdict.evidence))

    def _compute_event(self, span: ComputeSpan, input_t: float, **extra: Any) -> None:
        self.log.add({"t": round(self.clock.now(), 4), "type": "compute", "what": span.what, "input_t": round(input_t, 4),
                      "cost_s": round(span.cost_s, 4), **({"cost_key": span.cost_key} if span.cost_key else {}),
                      **extra})

    def _transcribe(self, turn: UserTurn, t: float) -> str | None:
        """Transcript of the turn up to input time t (cached while no new speech arrives).

        An `incremental` transcriber (Chinese partials) hears only the speech since its previous
        partial, and the pieces are joined: each call stays short (a 2-4 s window) however long the turn.
        """
        if self.transcriber is None:
            return None
        if turn.text is not None and turn.text_upto_t >= turn.last_speech_end_t:
            return turn.text
        end_t = min(t, turn.last_speech_end_t + 0.1)
        piecewise = self.incremental and turn.text is not None
        if piecewise:
            hop = self.config.hop_samples
            cut = int(turn.text_cut_t * ANALYSIS_RATE)
            onset = next((i * hop for i in turn.speech_frames if i * hop >= cut), cut)
            start = max(cut, onset - int(self.config.preroll_s * ANALYSIS_RATE))
            audio = self.samples[start:int(end_t * ANALYSIS_RATE)]  # the new speech, not the pause before it
        else:
            audio = self._turn_audio(turn, end_t)
        with self.clock.compute("asr", getattr(self.transcriber, "name", ""), len(audio) / ANALYSIS_RATE) as span:
            try:
                transcript = self.transcriber.transcribe(from_array(audio, ANALYSIS_RATE))
                text = transcript.text.strip()
            except Exception as exc:  # an ASR failure on one burst must not end the session
                self.log.add({"t": round(self.clock.now(), 4), "type": "error", "what": "asr", "error": str(exc)})
                text = ""
        turn.piece = text
        if piecewise:
            text = lexicon.join(turn.text or "", text, self.lang)
        heard, text = text, lexicon.cut_repetition(text, self.lang)
        turn.text, turn.text_upto_t, turn.text_cut_t = text, turn.last_speech_end_t, end_t
        turn.partials.append(text)
        self._compute_event(span, t, **({"piece_s": round(len(audio) / ANALYSIS_RATE, 3)} if piecewise else {}),
                            **({"repetition_cut": heard} if heard != text else {}))
        self.log.frame(TranscriptFrame(self.clock.now(), text, turn.start_t, turn.last_speech_end_t,
                                       final=False))
        return text

    def _pitch(self, turn: UserTurn, t: float) -> float | None:
        if turn.pitch_upto_t >= turn.last_speech_end_t:
            return turn.pitch_st
        audio = self._turn_audio(turn, turn.last_speech_end_t)
        with self.clock.compute("prosody", "", len(audio) / ANALYSIS_RATE) as span:
            turn.pitch_st = final_pitch_movement(audio)
        turn.pitch_upto_t = turn.last_speech_end_t
        self._compute_event(span, t)
        return turn.pitch_st

    def _check_speaker(self, turn: UserTurn, t: float, force: bool = False) -> None:
        """Compare the turn's voice with the enrolled user once it has enough speech."""
        c = self.config.third_party
        if turn.speaker is not None or self.third_party.enrolled is None:
            return
        if turn.speech_s < c.min_speech_s and not (force and turn.speech_s >= c.min_speech_s / 2):
            return
        speech = self._speech_only(turn, c.max_speech_s)
        with self.clock.compute("speaker", self.encoder.name, len(speech) / ANALYSIS_RATE) as span:
            emb = self.encoder.embed(speech)
        turn.level_db = self.levels.speech_level(level_dbfs(speech))
        self._compute_event(span, t, speech_s=round(len(speech) / ANALYSIS_RATE, 3))
        clip_s = len(speech) / ANALYSIS_RATE if self.lang in c.short_clip_languages else None
        turn.speaker = self.third_party.decide(emb, turn.level_db, clip_s)
        self._decision("third_party", turn.speaker)
        if turn.speaker.decision == "other":
            turn.ignored = True

    def _enrol(self, turn: UserTurn) -> None:
        c = self.config.third_party
        if turn.speech_s < c.enrol_min_speech_s or turn.mixed:
            return
        replace = bool(turn.speaker is not None and turn.speaker.evidence.get("reenrol"))
        if turn.speaker is not None and not replace and (
                turn.speaker.decision != "user" or turn.speaker.evidence.get("similarity", 0) < c.same_threshold):
            return
        speech = self._speech_only(turn, c.max_speech_s)
        with self.clock.compute("speaker", self.encoder.name, len(speech) / ANALYSIS_RATE) as span:
            emb = self.encoder.embed(speech)
        what = self.third_party.enrol(emb, self.levels.speech_level(level_dbfs(speech)), replace=replace)
        self._compute_event(span, turn.last_speech_end_t, enrol=what)
        self.log.add({"t": round(self.clock.now(), 4), "type": "enrolment", "event": what,
                      "level_db": round(self.third_party.enrolled.level_db, 1), "encoder": self.encoder.name})

    def _topic_similarity(self, text: str | None) -> float | None:
        if not text or self.sentence_encoder is None or not self.config.topic_similarity:
            return None
        context = " ".join(t.text for t in self.history[-3:] if t.text)
        if not context.strip():
            return None
        with self.clock.compute("topic", "sentence-encoder") as span:
            emb = np.asarray(self.sentence_encoder.encode([text, context]), dtype=np.float64)
            emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
            sim = float(emb[0] @ emb[1])
        self._compute_event(span, self.clock.now())
        return sim

    # ---- the state machine ------------------------------------------------------------------------
    def _step(self, t: float) -> None:
        state = self.sm.state
        if state == S.LISTENING:
            turn = self.turn
            if turn is not None and not turn.ignored and turn.speech_s >= self.config.onset_speech_s:
                self.sm.go(S.USER_SPEAKING, self.clock.now(), "user speech onset (VAD)")
                self._user_speaking(t)
        elif state == S.USER_SPEAKING:
            self._user_speaking(t)
        elif state == S.SPEAKING:
            self._speaking(t)
        elif state == S.PAUSED:
            self._paused(t)

    def _speaking(self, t: float) -> None:
        now = self.clock.now()
        if not self.speech.speaking(now):
            self._remember_reply()
            self.speech.drop()
            self.sm.go(S.LISTENING, now, "reply finished")
            return
        turn = self.turn
        if turn is None or turn.ignored:
            return
        started = self.speech.started_at() or 0.0
        verdict = self.barge_in.decide(turn.speech_s, now - started)
        if verdict.decision == "pause":
            point = self.speech.pause(now)
            self._decision("barge_in", verdict)
            if point is None:
                self._remember_reply()
                self.speech.drop()
                self.sm.go(S.USER_SPEAKING, now, "user speech as the reply ended")
                return
            self.suspended = point
            self.sm.go(S.PAUSED, now, verdict.reason)

    def _paused(self, t: float) -> None:
        turn = self.turn
        if turn is None:
            self._resume("the overlapping sound stopped before it became speech")
            return
        self._check_speaker(turn, t)
        if turn.ignored:
            self._resume(f"third-party speech: {turn.speaker.reason if turn.speaker else ''}")
            return
        bc = self.config.backchannel
        if turn.silence_s(t) >= bc.end_silence_s and self.backchannel.could_be(turn.speech_s):
            text = self._transcribe(turn, t)
            verdict = self.backchannel.decide(turn.speech_s, text, self.lang)
            self._decision("backchannel", verdict)
            if verdict.decision == "backchannel":
                self.turn = None
                self._resume(f"backchannel: {verdict.reason}")
            else:
                self.sm.go(S.USER_SPEAKING, self.clock.now(), f"user takes the floor: {verdict.reason}")
                self._user_speaking(t)
        elif turn.speech_s > bc.max_speech_s:
            self.sm.go(S.USER_SPEAKING, self.clock.now(), f"user holds the floor (> {bc.max_speech_s}s of speech)")

    def _user_speaking(self, t: float) -> None:
        turn = self.turn
        if turn is None:
            self._end_without_reply("speech ended")
            return
        self._check_speaker(turn, t)
        if turn.ignored:
            self._end_without_reply(f"third-party speech ignored: {turn.speaker.reason if turn.speaker else ''}")
            return
        cfg = self.config.end_of_turn
        silence = turn.silence_s(t)
        if silence < cfg.transcript_at_silence_s:
            return
        text = self._transcribe(turn, t)
        if self._late_acknowledgement(turn, t):
            return
        pitch = self._pitch(turn, t) if text is None else None
        verdict = self.eot.decide(turn.silence_s(t), turn.speech_s, text, pitch, self.lang,
                                  interrupting=turn.during_agent or self.suspended is not None)
        if verdict.decision != turn.eot_last:
            self._decision("end_of_turn", verdict)
            turn.eot_last = verdict.decision
        if verdict.decision == "end":
            self._finish_turn(turn, t)
        elif turn.speech_s < cfg.min_speech_s and silence >= cfg.max_wait_s:
            self.turn = None
            self._end_without_reply("too little speech to be a turn")

    def _end_without_reply(self, reason: str) -> None:
        now = self.clock.now()
        if self.suspended is not None:
            self._resume(reason)
        elif self.sm.state != S.LISTENING:
            self.sm.go(S.LISTENING, now, reason)

    def _finish_turn(self, turn: UserTurn, t: float) -> None:
        text = turn.text
        self._check_speaker(turn, t, force=True)
        if turn.ignored:
            self.turn = None
            self._end_without_reply(f"third-party speech ignored: {turn.speaker.reason if turn.speaker else ''}")
            return
        raw_level = level_dbfs(self._speech_only(turn, self.config.third_party.max_speech_s))
        level = turn.level_db if turn.level_db is not None else self.levels.speech_level(raw_level)
        level_drop = None
        if self.third_party.enrolled is not None:
            level_drop = self.third_party.enrolled.level_db - level
        snr = self.levels.above_floor(raw_level) if not self.quiet_turn_ignored else None
        aside = self.addressee.decide(text, self.lang, level_drop, self._topic_similarity(text), snr,
                                      earlier=turn.partials[:-1])
        self._decision("directed_at_others", aside)
        if aside.decision == "others" and aside.evidence.get("quiet_first_turn"):
            self.quiet_turn_ignored = True
        self.turn = None
        quieter = (level_drop or 0.0) >= self.config.addressee.level_drop_db  # the whole turn: all of it aside
        rest = self._after_aside(text) if aside.decision == "others" and not quieter else None
        if rest is not None:
            self._decision("directed_at_others", Verdict(
                "split", "the turn opens with an aside and goes on with speech for the agent (a bystander spoke "
                "just before the user, too close to be a turn of its own): the rest is the turn",
                {"text": text, "rest": rest}))
            text, turn.mixed = rest, True
        elif aside.decision == "others":
            self._end_without_reply(f"speech directed at someone else: {aside.reason}")
            return
        if text is not None and lexicon.only_backchannel(text, self.lang):
            self._end_without_reply("an acknowledgement, no reply needed")
            return
        interrupting = turn.during_agent or self.suspended is not None
        text, interrupting = self._maybe_continuation(turn, text, interrupting)
        result = classify(text, self.lang, interrupting, after_stop=self.stopped is not None)
        self._decision("intent", Verdict(result.intent.value, result.reason, {"text": text}))
        self._respond(turn, result.intent, text)
        self._enrol(turn)  # after the reply has started: enrolment is not on the reply's critical path

    def _after_aside(self, text: str | None) -> str | None:
        """English: the sentences after an opening aside, when they alone are a request to the agent.

        Judged on words only (vocatives, framing, personal questions; a question or request word in
        the rest, so "Mom, close the window? Thanks." stays one aside): the turn's level and topic belong
        to both parts. Chinese transcripts are too noisy for sentence splits (not applied)."""
        if not text or self.lang == "zh":
            return None
        sentences = lexicon.sentences(text, self.lang)
        for k in range(1, len(sentences)):
            head, rest = " ".join(sentences[:k]), " ".join(sentences[k:])
            request = rest.rstrip().endswith("?") or lexicon.matches(rest, self.lang, "request")
            if (request and self.addressee.decide(head, self.lang, None, None).decision == "others"
                    and self.addressee.decide(rest, self.lang, None, None).decision == "agent"):
                return rest
        return None

    def _maybe_continuation(self, turn: UserTurn, text: str | None, interrupting: bool) -> tuple[str | None, bool]:
        """Merge with the previous turn when the agent answered into a pause (see AgentConfig.continuation_s)."""
        if self.answered is None or not turn.during_agent:
            return text, interrupting
        spoke_until, previous = self.answered
        gap = turn.start_t - spoke_until
        own = classify(text, self.lang, True).intent if text else Intent.UNKNOWN
        question = self.eot.completeness(previous or None, self.lang)[0] == "complete"
        if gap > self.config.continuation_s or question or own in (Intent.STOP, Intent.REPEAT, Intent.NEGATION,
                                                                   Intent.TOPIC_SWITCH):
            return text, interrupting
        self._decision("continuation", Verdict("merge", f"speech resumed {gap:.2f}s after the user's previous words "
                                               "(a reply had started): the user had only paused",
                                               {"previous": previous, "text": text}))
        if text is not None and previous:
            text = lexicon.join(previous, text, self.lang)
        return text, False

    # ---- replies --------------------------------------------------------------------------------
    def _remember_reply(self) -> None:
        spoken = self.speech.spoken_text()
        if spoken:
            self.history.append(Turn("agent", spoken))

    def _resume(self, reason: str) -> None:
        now = self.clock.now()
        point = self.suspended
        self.suspended = None
        if point is None or self.speech.current is None:
            if self.sm.state != S.LISTENING:
                self.sm.go(S.LISTENING, now, reason)
            return
        verdict = self.resumer.decide(now - point.paused_at, point.word)
        self._decision("resume", verdict)
        self.speech.resume(point, restart_sentence=verdict.decision == "sentence",
                           preroll_s=self.config.resume.preroll_s)
        self.sm.go(S.SPEAKING, self.clock.now(), f"resume after false alarm: {reason}")

    def _respond(self, turn: UserTurn, intent: Intent, text: str | None) -> None:
        now = self.clock.now()
        self.sm.go(S.THINKING, now, f"end of user turn ({intent.value})")
        previous = self.speech.current
        interrupted = self.speech.spoken_text() if previous is not None else None
        if previous is not None:
            self._remember_reply()
            self.speech.drop()
        self.suspended = None
        if text:
            self.history.append(Turn("user", text))
        words = lexicon.policy_text(self.lang)
        policy = intent in (Intent.STOP, Intent.REPEAT) or (intent == Intent.CONTINUE and self.stopped is not None)
        with self.clock.compute("respond", "policy" if policy else self.responder.name) as span:
            if intent == Intent.STOP:
                self.stopped = previous
                reply = Reply((words["stop"],), intent.value, self.lang)
            elif intent == Intent.REPEAT:
                reply = self._repeat_reply(previous, words)
            elif intent == Intent.CONTINUE and self.stopped is not None:
                reply = self._continue_reply(self.stopped)
                self.stopped = None
            else:
                request = ResponseRequest(self.lang, intent if intent != Intent.UNKNOWN else
                                          (Intent.FOLLOW_UP if turn.during_agent else Intent.QUERY),
                                          text, tuple(self.history), interrupted or None)
                reply = self.responder.respond(request)
        self._compute_event(span, turn.last_speech_end_t, responder=span.variant, intent=intent.value)
        self.log.add({"t": round(self.clock.now(), 4), "type": "reply", "intent": intent.value, "text": reply.text})
        self.speech.start(reply)
        self.answered = (turn.last_speech_end_t, text or "") if intent in (Intent.QUERY, Intent.UNKNOWN) else None
        self.sm.go(S.SPEAKING, self.clock.now(), f"reply to {intent.value}")

    def _repeat_reply(self, previous: Playback | None, words: dict[str, str]) -> Reply:
        """Restate what was said (the sentences heard, the cut one in full), then carry on."""
        if previous is None or not previous.spans:
            last = next((t.text for t in reversed(self.history) if t.role == "agent"), "")
            if not last:
                return Reply((words["nothing"],), Intent.REPEAT.value, self.lang)
            return Reply((f"{words['repeat']} {last}",), Intent.REPEAT.value, self.lang)
        played = sorted({s.sentence for s in previous.spans})
        restate = [previous.reply.sentences[i] for i in played[-2:]]
        rest = previous.reply.sentences[played[-1] + 1:]
        sep = "" if self.lang == "zh" else " "
        first = f"{words['repeat']}{sep}{restate[0]}"
        return Reply((first, *restate[1:], *rest), Intent.REPEAT.value, self.lang)

    def _continue_reply(self, stopped: Playback) -> Reply:
        played = sorted({s.sentence for s in stopped.spans})
        rest = stopped.reply.sentences[played[-1]:] if played else stopped.reply.sentences
        return Reply(tuple(rest), Intent.CONTINUE.value, self.lang)
