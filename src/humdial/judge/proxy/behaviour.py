"""Offline, deterministic proxy for the Track 2 behaviour tags, from transcript evidence only.

Steps (mirroring what the rubric asks an LLM to do):
1. Locate the overlap in input_noisy: from a given overlap start, else after a given first-query end,
   else after the last word of input_clean (the first query alone), else after the first long pause.
2. Find the first NEW model segment in output_noisy: model words starting at or after the overlap start,
   skipping the rest of a segment that was already under way; the segment runs until a pause.
   None -> C_UNKNOWN.
3. Decide from evidence:
   - resume evidence: how closely the segment repeats the planned answer (output_clean): the best
     encoder similarity to a window of 1-3 of its sentences, or the share of shared word bigrams;
   - respond evidence ("shift"): how much closer the segment is to the overlap's content than the
     planned answer was, sim(segment, overlap) - sim(planned, overlap);
   - phrase lists: uncertainty, acknowledgement, repeat request + restatement cue (en + zh).
   Guards against degenerate systems (each one C_UNKNOWN, as "off-target or low-information"):
   - a segment of filler tokens only (noise transcribed as "uh", "mm", "嗯");
   - a segment that repeats the user's overlapping words (a system that plays the input back); restating
     the first query ("You asked about ...") is not an echo;
   - resuming a "planned answer" unrelated to the first query (one canned reply played regardless):
     C_RESUME needs output_clean to be on the query's topic.

This is a proxy: its tags are NOT comparable to official scores (which come from an LLM judge).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Mapping, Sequence

from humdial.protocol.transcript import Transcript, Word
from humdial.models.sentence_encoder import Encoder, cosine_matrix
from humdial.judge.proxy.lexicon import Lexicon, load_lexicon
from humdial.judge.proxy.text import (bigram_containment, ends_sentence, find_phrase, head, is_cjk, join_words,
                                      tokens)

PROXY_VERSION = "3"
"""Bump whenever the algorithm, defaults or lexicon change (it is part of the proxy's model name)."""


@dataclass(frozen=True)
class ProxyConfig:
    overlap_tolerance_s: float = 0.1
    """With a given overlap start, words starting up to this much earlier still belong to the overlap
    (ASR and annotation timing jitter)."""
    fallback_gap_s: float = 1.0
    """Without any hint or clean input, the first pause at least this long in input_noisy ends the
    first query and the next word starts the overlap."""
    segment_gap_s: float = 0.5
    """Model words further apart than this belong to different segments (the official model-side
    VAD merge gap)."""
    strong_resume: float = 0.8
    """Resume evidence at or above this, with no shift toward the overlap, means C_RESUME."""
    weak_resume: float = 0.5
    """Resume evidence at or above this means C_RESUME when nothing points to C_RESPOND."""
    shift_min: float = 0.08
    """Shift toward the overlap (see module doc) at or above this means C_RESPOND ..."""
    respond_min_sim: float = 0.2
    """... provided the segment's own similarity to the overlap reaches this (a content-free overlap such
    as "uh-huh" gives noisy shifts around zero)."""
    strong_shift: float = 0.2
    """A segment with strong resume evidence counts as C_RESPOND only with a shift at least this large."""
    shift_min_words: float = 3.0
    """A segment shorter than this many words (a Chinese character counts as half a word) shows no shift:
    the sentence encoder's similarity of a fragment ("我可算", "stay?") to the overlap is noise, and the
    rubric calls such a segment low-information, not a response to the overlap's content."""
    ack_window_tokens: int = 4
    """An acknowledgement counts only within the segment's first tokens (words, or Chinese characters)."""
    echo_containment: float = 0.6
    """A segment whose word bigrams come from the user's overlapping speech at least this much echoes it."""
    topic_min_sim: float = 0.2
    """The planned answer must reach this similarity to the first query for C_RESUME (on-topic answers in
    the constructed cases reach 0.43-0.49; an unrelated canned reply 0.08-0.11)."""


@dataclass(frozen=True)
class BehaviourDecision:
    tag: str
    reason: str
    overlap_start: float | None = None
    segment_start: float | None = None
    segment_text: str = ""
    evidence: dict[str, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Overlap:
    start: float
    text: str
    how: str


def _words_text(words: Sequence[Word]) -> str:
    return join_words(w.text for w in words)


def locate_overlap(input_noisy: Transcript, input_clean: Transcript | None, *, overlap_start: float | None,
                   first_query_end: float | None, config: ProxyConfig) -> Overlap | None:
    words = input_noisy.words
    if overlap_start is not None:
        after = [w for w in words if w.start >= overlap_start - config.overlap_tolerance_s]
        return Overlap(overlap_start, _words_text(after), "given overlap start")
    if first_query_end is not None:
        after = [w for w in words if w.start > first_query_end]
        return Overlap(after[0].start, _words_text(after), "after the annotated first query") if after else None
    if input_clean is not None and input_clean.words:
        clean_end = input_clean.words[-1].end
        after = [w for w in words if w.start > clean_end]
        return Overlap(after[0].start, _words_text(after), "after the clean input's last word") if after else None
    for prev, nxt in zip(words, words[1:]):
        if nxt.start - prev.end >= config.fallback_gap_s:
            after = [w for w in words if w.start >= nxt.start]
            return Overlap(nxt.start, _words_text(after), f"after the first pause >= {config.fallback_gap_s:g} s")
    return None


def first_new_segment(output: Transcript, overlap_start: float, config: ProxyConfig) -> list[Word]:
    """The first model segment that begins at or after the overlap start (empty when there is none)."""
    words = output.words
    i = next((k for k, w in enumerate(words) if w.start >= overlap_start), len(words))
    if 0 < i < len(words):
        prev = words[i - 1]
        if words[i].start - prev.end <= config.segment_gap_s and not ends_sentence(prev.text):
            # Still inside a segment that began before the overlap: skip to its sentence end or next pause.
            while i < len(words):
                sentence_done = ends_sentence(words[i].text)
                paused = i + 1 < len(words) and words[i + 1].start - words[i].end > config.segment_gap_s
                i += 1
                if sentence_done or paused:
                    break
    segment: list[Word] = []
    for w in words[i:]:
        if segment and w.start - segment[-1].end > config.segment_gap_s:
            break
        segment.append(w)
    return segment


def _sentence_units(words: Sequence[Word], gap: float) -> list[str]:
    """Split a transcript into sentence-like units (punctuation or pauses)."""
    units: list[list[Word]] = [[]]
    for k, w in enumerate(words):
        if units[-1] and w.start - words[k - 1].end > gap:
            units.append([])
        units[-1].append(w)
        if ends_sentence(w.text):
            units.append([])
    return [_words_text(u) for u in units if u]


def _content(text: str, fillers: set[str]) -> bool:
    """Whether `text` has at least one token that is not a filler."""
    return any(tok not in fillers for tok in tokens(text))


def _length_in_words(text: str) -> float:
    """English words plus half a word per Chinese character."""
    return sum(0.5 if is_cjk(tok) else 1.0 for tok in tokens(text))


def _windows(units: list[str], max_len: int = 3) -> list[str]:
    return [join_words(units[a:a + n]) for n in range(1, max_len + 1) for a in range(len(units) - n + 1)]


def decide_behaviour(context: Mapping[str, Any], encoder: Encoder, config: ProxyConfig = ProxyConfig(),
                     lexicon: Lexicon | None = None) -> BehaviourDecision:
    """Tag one sample. `context` holds the four official-shape transcripts and optional overlap hints.

    Raises TranscriptError (an ItemError) for a malformed transcript.
    """
    lexicon = lexicon or load_lexicon()
    t = {k: Transcript.from_official(context.get(k, {"text": "", "chunks": []}), k)
         for k in ("input_clean", "input_noisy", "output_clean", "output_noisy")}
    overlap = locate_overlap(t["input_noisy"], t["input_clean"], overlap_start=context.get("overlap_start"),
                             first_query_end=context.get("first_query_end"), config=config)
    if overlap is None:
        return BehaviourDecision("C_UNKNOWN", "no overlap found in input_noisy (no speech after the first query)")
    segment = first_new_segment(t["output_noisy"], overlap.start, config)
    if not segment:
        return BehaviourDecision("C_UNKNOWN", f"no new model speech after the overlap at {overlap.start:.2f} s",
                                 overlap_start=overlap.start)
    seg_text = _words_text(segment)
    fillers = {f.casefold() for f in lexicon.filler}
    if not _content(seg_text, fillers):
        return BehaviourDecision("C_UNKNOWN", f"low-information segment (fillers only) {seg_text[:40]!r}",
                                 overlap_start=overlap.start, segment_start=segment[0].start, segment_text=seg_text)
    echo = bigram_containment(seg_text, overlap.text)  # not the first query: restating it is a real answer
    if echo >= config.echo_containment:
        return BehaviourDecision("C_UNKNOWN", f"repeats the user's overlapping words (containment {echo:.2f})",
                                 overlap_start=overlap.start, segment_start=segment[0].start, segment_text=seg_text)
    planned_words = t["output_clean"].words or tuple(w for w in t["output_noisy"].words if w.start < overlap.start)
    planned_source = "output_clean" if t["output_clean"].words else "pre-overlap model speech"
    planned = _words_text(planned_words)
    if not _content(planned, fillers):
        planned_words, planned = (), ""
    query = _words_text(t["input_clean"].words) or _words_text(w for w in t["input_noisy"].words
                                                               if w.start < overlap.start)
    windows = _windows(_sentence_units(planned_words, config.segment_gap_s))
    texts = [seg_text, overlap.text, planned, query, *windows]
    sims = cosine_matrix(encoder, texts)
    sim_overlap = float(sims[0, 1])
    sim_planned_overlap = float(sims[2, 1])
    on_topic = float(sims[2, 3]) >= config.topic_min_sim if query else True
    best_window = float(max(sims[0, 4:], default=0.0)) if windows else 0.0
    containment = bigram_containment(seg_text, planned)
    resume = max(best_window, float(sims[0, 2]), containment) if on_topic else 0.0
    shift = sim_overlap - sim_planned_overlap
    evidence = {"resume": round(resume, 4), "bigram_containment": round(containment, 4),
                "sim_overlap": round(sim_overlap, 4), "shift": round(shift, 4),
                "planned_vs_query": round(float(sims[2, 3]), 4), "echo": round(echo, 4)}
    where = f"segment at {segment[0].start:.2f} s {seg_text[:60]!r}"

    def decision(tag: str, why: str) -> BehaviourDecision:
        return BehaviourDecision(tag, f"{why}; {where}", overlap.start, segment[0].start, seg_text, evidence)

    opening = head(seg_text, config.ack_window_tokens * 2)
    repeat_asked = find_phrase(overlap.text, lexicon.repeat_request)
    restates = find_phrase(opening, lexicon.restatement_cue)
    if repeat_asked and restates and resume >= config.weak_resume:
        return decision("C_RESPOND", f"restates the answer on request (overlap {repeat_asked!r}, cue {restates!r})")
    uncertain = find_phrase(seg_text, lexicon.uncertainty)
    if uncertain:
        return decision("C_UNCERTAIN_HANDLING", f"uncertainty phrase {uncertain!r}")
    drawn = (shift >= config.shift_min and sim_overlap >= config.respond_min_sim
             and _length_in_words(seg_text) >= config.shift_min_words)
    if resume >= config.strong_resume and not (drawn and shift >= config.strong_shift):
        return decision("C_RESUME", f"repeats the planned answer ({planned_source}, evidence {resume:.2f})")
    if drawn:
        return decision("C_RESPOND", f"moves toward the overlap's content (shift {shift:+.2f})")
    ack = find_phrase(head(seg_text, config.ack_window_tokens), lexicon.acknowledgement)
    if ack:
        return decision("C_RESPOND", f"opens by acknowledging the overlap ({ack!r})")
    if resume >= config.weak_resume:
        return decision("C_RESUME", f"stays with the planned answer ({planned_source}, evidence {resume:.2f})")
    return decision("C_UNKNOWN", f"related neither to the planned answer (evidence {resume:.2f}) "
                                 f"nor to the overlap (shift {shift:+.2f})")
