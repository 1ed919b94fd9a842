"""Replies from a local GGUF model through llama-cpp-python (optional extra `llm`): spec `gguf:PATH`.

The model path is given by the user; nothing is downloaded. Greedy decoding with a fixed seed keeps
replies reproducible for a given model file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from humdial.respond.base import Reply, ResponseRequest, build_messages
from humdial.errors import HumdialError, ItemError, MissingExtraError


class LlamaCppResponder:
    name = "gguf"

    def __init__(self, model_path: str | Path, n_ctx: int = 2048, max_tokens: int = 160, threads: int = 1):
        self.model_path = Path(model_path).expanduser()
        if not self.model_path.is_file():
            raise HumdialError(f"GGUF model not found: {self.model_path}")
        self.n_ctx, self.max_tokens, self.threads = n_ctx, max_tokens, threads
        self._llm: Any = None

    def describe(self) -> dict:
        return {"backend": "llama.cpp", "model": str(self.model_path), "max_tokens": self.max_tokens}

    def _load(self) -> Any:
        if self._llm is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise MissingExtraError("llm", "llama_cpp", "the gguf responder") from exc
            self._llm = Llama(model_path=str(self.model_path), n_ctx=self.n_ctx, n_threads=self.threads,
                              seed=0, verbose=False)
        return self._llm

    def respond(self, request: ResponseRequest) -> Reply:
        llm = self._load()
        try:
            out = llm.create_chat_completion(messages=build_messages(request), temperature=0.0,
                                             max_tokens=self.max_tokens)
            text = (out["choices"][0]["message"]["content"] or "").strip()
        except Exception as exc:
            raise ItemError(f"local model failed: {type(exc).__name__}: {exc}") from exc
        if not text:
            raise ItemError("local model returned an empty reply")
        return Reply.from_text(text, request.intent.value, request.lang)
