"""The offline Track 1 PROXY judge: answers Track 1 requests from their structured context and audio.

Deterministic, no network, no GPU. It writes the same JSON an LLM judge would (`{"scores", "reasons"}`),
so parsing, caching and aggregation are shared with the real judge. Its scores are NOT comparable to the
official ones (an LLM judge for the text dimensions, people for the Task 3 voice dimensions).
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import asdict
from typing import Sequence

import soundfile as sf

from humdial.judge.base import JudgeRequest, Parser, Verdict, answered_verdict, failed_verdict
from humdial.judge.concurrent import DoneCallback, judge_each
from humdial.judge.proxy import track1_text as text
from humdial.judge.proxy.track1_audio import (AUDIO_PROXY_VERSION, AcousticConfig, acoustic_features, signal_quality,
                                              vocal_expressiveness)

NOT_OFFICIAL_T1 = ("Track 1 proxy judge: lexicon, event-reference and acoustic heuristics; NOT comparable to "
                   "official scores (LLM judge for text, human raters for Task 3 voice dimensions)")


def _audio(request: JudgeRequest):
    part = next((p for p in request.parts if p.kind == "audio"), None)
    if part is None:
        return None
    data, rate = sf.read(io.BytesIO(base64.b64decode(part.audio_b64)), dtype="float32", always_2d=True)
    return data.mean(axis=1), rate


def score_context(context: dict, audio=None, cfg: AcousticConfig = AcousticConfig()) -> dict[str, text.DimScore]:
    """Scores per dimension for one Track 1 request context (see `humdial.evaluate.track1.requests.proxy_context`)."""
    task, lang, response = context["task"], context["lang"], context["response"]
    turns = context["turns"]
    if task in ("trajectory", "reasoning"):
        user_turns = [t["text"] for t in turns[:-1]]
        if task == "trajectory":
            return {"Accuracy_Completeness": text.trajectory_accuracy(response, [t["emotion"] for t in turns], lang),
                    "Depth_Granularity": text.trajectory_depth(response, lang),
                    "Added_Value": text.trajectory_added_value(response, user_turns, lang)}
        return {"Information_Integration": text.reasoning_integration(response, user_turns, lang),
                "Insight_RootCause": text.reasoning_insight(response, lang),
                "Clarity_Logic": text.reasoning_clarity(response, lang, user_turns=user_turns)}
    if task == "empathy":
        scores = {"textual_empathy_insight": text.empathy_text(response, [t["text"] for t in turns],
                                                               turns[-1]["emotion"], lang)}
        if audio is not None:
            features = acoustic_features(audio[0], audio[1], cfg)
            scores["vocal_empathy_congruence"] = vocal_expressiveness(features, cfg)
            scores["audio_quality_naturalness"] = signal_quality(features)
        return scores
    raise ValueError(f"unknown Track 1 task {task!r}")


class Track1ProxyJudge:
    name = "proxy"

    def __init__(self, acoustic: AcousticConfig | None = None):
        self.acoustic = acoustic or AcousticConfig()
        self.model = f"proxy-track1-text-v{text.TEXT_PROXY_VERSION}-audio-v{AUDIO_PROXY_VERSION}" \
                     f"-lexicon-v{text.lexicon()['version']}"

    def describe(self) -> dict:
        return {"backend": "proxy", "model": self.model, "acoustic": asdict(self.acoustic),
                "comparable_to_official": False, "note": NOT_OFFICIAL_T1}

    def cache_identity(self) -> dict:
        return {"model": self.model, "acoustic": asdict(self.acoustic)}

    def judge(self, request: JudgeRequest, parse: Parser) -> Verdict:
        if request.context.get("track") != "track1":
            return failed_verdict(self.name, self.model, request, "not a Track 1 request (no track1 context)", 1)
        try:
            scores = score_context(request.context, _audio(request), self.acoustic)
        except (KeyError, TypeError, ValueError, RuntimeError, sf.LibsndfileError) as exc:
            return failed_verdict(self.name, self.model, request, f"bad input: {exc}", 1)
        raw = json.dumps({"scores": {k: v.score for k, v in scores.items()},
                          "reasons": {k: v.reason for k, v in scores.items()}}, ensure_ascii=False)
        reason = "; ".join(f"{k}={v.score} ({v.reason})" for k, v in scores.items())
        return answered_verdict(self.name, self.model, request, raw, parse, reason=reason)

    def judge_many(self, requests: Sequence[JudgeRequest], parse: Parser,
                   on_done: DoneCallback | None = None) -> list[Verdict]:
        return judge_each(lambda r: self.judge(r, parse), requests, 1, self._failed, on_done)

    def _failed(self, request: JudgeRequest, message: str) -> Verdict:
        return failed_verdict(self.name, self.model, request, message, attempts=1)
