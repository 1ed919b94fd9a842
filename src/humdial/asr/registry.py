"""ASR backend specs, per-language routing, and the `--asr` command-line options.

A spec names a backend, an optional local model path and optional settings:

    BACKEND[:PATH][?KEY=VALUE&KEY=VALUE]
    whisper                          bundled default for the language (multilingual base; see whisper.DEFAULT_MODEL)
    whisper:base                     a bundled model by name (tiny.en, base; pinned, hash-checked)
    whisper:/models/ct2-large-v3?beam=5
    paraformer:/models/paraformer-zh?vad=/models/fsmn-vad
    parakeet:/models/parakeet-tdt-0.6b-v2.nemo
    precomputed                      <stem>.json next to each wav
    precomputed:/transcripts         <stem>.json in that folder

Routes map a language to a spec (`--asr en=whisper --asr zh=paraformer:/models/p`); a spec without
`LANG=` applies to every language. As in the official pipeline, the ASR is chosen per language of
the file set, not per file.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from humdial.asr.base import Transcriber
from humdial.asr.cache import CachedTranscriber, TranscriptCache
from humdial.errors import HumdialError
from humdial.protocol.track2 import normalise_language

LANGUAGES = ("en", "zh")
DEFAULT_ROUTES = {"en": "whisper", "zh": "whisper"}
"""Both languages: the bundled whisper models (humdial.asr.whisper.DEFAULT_MODEL picks one per language)."""

ZH_GAP_NOTE = ("Chinese audio is not transcribed by humdial in this run: Chinese transcripts are read from "
               "precomputed <stem>.json files (--asr zh=precomputed). Drop that option to use the bundled "
               "multilingual whisper base, or give --asr zh=paraformer:/models/paraformer-zh (the official ASR).")

BACKENDS = ("whisper", "paraformer", "parakeet", "precomputed")


@dataclass(frozen=True)
class AsrSpec:
    backend: str
    path: str | None = None
    settings: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def options(self) -> dict[str, str]:
        return dict(self.settings)

    def __str__(self) -> str:
        text = self.backend + (f":{self.path}" if self.path else "")
        if self.settings:
            text += "?" + "&".join(f"{k}={v}" for k, v in self.settings)
        return text


def parse_spec(text: str) -> AsrSpec:
    """Parse `BACKEND[:PATH][?KEY=VALUE&...]`; HumdialError on an unknown backend or bad settings."""
    text = text.strip()
    body, _, query = text.partition("?")
    backend, _, path = body.partition(":")
    backend = backend.strip().lower()
    if backend not in BACKENDS:
        raise HumdialError(f"unknown ASR backend {backend!r} in {text!r}; use one of: {', '.join(BACKENDS)}")
    settings: list[tuple[str, str]] = []
    for pair in filter(None, query.split("&")):
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise HumdialError(f"ASR setting {pair!r} in {text!r} is not KEY=VALUE")
        settings.append((key.strip().lower(), value.strip()))
    return AsrSpec(backend, path.strip() or None, tuple(settings))


def parse_routes(values: list[str] | None) -> dict[str, AsrSpec]:
    """`--asr` values -> one spec per language, starting from DEFAULT_ROUTES; later values win."""
    routes = {lang: parse_spec(spec) for lang, spec in DEFAULT_ROUTES.items()}
    for value in values or ():
        head, sep, rest = value.partition("=")
        if sep and ":" not in head and "?" not in head:
            routes[normalise_language(head)] = parse_spec(rest)
        else:
            spec = parse_spec(value)
            routes = {lang: spec for lang in LANGUAGES}
    return routes


def _flag(value: str, name: str) -> bool:
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise HumdialError(f"ASR setting {name}={value!r} must be true or false")


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise HumdialError(f"ASR setting {name}={value!r} must be an integer") from exc


def _take(settings: dict[str, str], allowed: dict[str, Callable[[str, str], Any]], backend: str) -> dict[str, Any]:
    unknown = sorted(set(settings) - set(allowed))
    if unknown:
        raise HumdialError(f"unknown {backend} setting(s) {', '.join(unknown)}; known: {', '.join(sorted(allowed))}")
    return {key: allowed[key](value, key) for key, value in settings.items()}


def _text(value: str, _name: str) -> str:
    return value


def _window(value: str, name: str) -> float:
    """Seconds, or off (= 0, faster-whisper's 30 s windows)."""
    if value.lower() in ("off", "false", "no"):
        return 0.0
    try:
        seconds = float(value)
    except ValueError as exc:
        raise HumdialError(f"ASR setting {name}={value!r} must be a number of seconds or off") from exc
    if not 0 <= seconds <= 30:
        raise HumdialError(f"ASR setting {name}={value!r} must be between 0 and 30 seconds (or off)")
    return seconds


def build(spec: AsrSpec, language: str | None = None, threads: int | None = None) -> Transcriber:
    """Construct the backend for `spec` (imports only that backend's module)."""
    settings = spec.options
    if spec.backend == "whisper":
        from humdial.asr.whisper import WhisperOptions, WhisperTranscriber

        known = {"language": _text, "beam": _int, "compute_type": _text, "device": _text,
                 "threads": _int, "snap": _flag, "vad_filter": _flag,
                 "regions": _flag, "window": _window}
        opts = _take(settings, known, "whisper")
        language_opt = opts.pop("language", language or "en")
        fields: dict[str, Any] = {"language": None if language_opt in ("auto", "") else language_opt}
        if "beam" in opts:
            fields["beam_size"] = opts.pop("beam")
        if "snap" in opts:
            fields["snap_to_speech"] = opts.pop("snap")
        if "window" in opts:
            fields["window_s"] = opts.pop("window")
        if "threads" not in opts and threads:
            opts["threads"] = threads
        return WhisperTranscriber(spec.path, WhisperOptions(**fields, **opts))
    if spec.backend == "paraformer":
        from humdial.asr.paraformer import ParaformerOptions, ParaformerTranscriber

        opts = _take(settings, {"vad": _text, "device": _text, "batch_size_s": _int}, "paraformer")
        vad = opts.pop("vad", None)
        return ParaformerTranscriber(spec.path, vad, ParaformerOptions(**opts))
    if spec.backend == "parakeet":
        from humdial.asr.parakeet import ParakeetOptions, ParakeetTranscriber

        return ParakeetTranscriber(spec.path, ParakeetOptions(**_take(settings, {"device": _text}, "parakeet")))
    from humdial.asr.precomputed import PrecomputedTranscriber

    _take(settings, {}, "precomputed")
    return PrecomputedTranscriber(spec.path)


class AsrRouter:
    """One Transcriber per language, built up front so bad specs fail before any work starts."""

    def __init__(self, routes: dict[str, AsrSpec], cache: TranscriptCache | None = None,
                 threads: int | None = None):
        self.routes = dict(routes)
        self.cache = cache
        built: dict[tuple[str, str], Transcriber] = {}
        self._by_language: dict[str, Transcriber] = {}
        for lang, spec in self.routes.items():
            # whisper's decoding language follows the route, so one spec may yield two transcribers.
            share_key = (str(spec), lang if spec.backend == "whisper" else "*")
            if share_key not in built:
                transcriber = build(spec, lang, threads)
                if cache is not None and getattr(transcriber, "cacheable", True):
                    transcriber = CachedTranscriber(transcriber, cache)
                built[share_key] = transcriber
            self._by_language[lang] = built[share_key]

    def for_language(self, language: str) -> Transcriber:
        lang = normalise_language(language)
        if lang not in self._by_language:
            raise HumdialError(f"no ASR route for language {lang!r}; add --asr {lang}=BACKEND")
        return self._by_language[lang]

    def precomputed_languages(self) -> list[str]:
        return sorted(lang for lang, spec in self.routes.items() if spec.backend == "precomputed")

    def notes(self) -> list[str]:
        """Caveats every report must carry (the Chinese ASR gap when zh falls back to precomputed)."""
        return [ZH_GAP_NOTE] if "zh" in self.precomputed_languages() else []

    def describe(self) -> dict:
        """Provenance: per language the spec and the backend's model hash and options, plus notes."""
        return {"routes": {lang: {"spec": str(spec), **self._by_language[lang].describe()}
                           for lang, spec in sorted(self.routes.items())},
                "cache": None if self.cache is None else str(self.cache.root),
                "notes": self.notes()}


ASR_CACHE_ENV = "HUMDIAL_ASR_CACHE"
"""Overrides the shared transcript cache folder (default: <user cache root>/asr, see asr.assemble.cache_root)."""


def default_cache_dir() -> Path:
    """The transcript cache shared by every run of this user: content-addressed, so runs never collide."""
    import os

    from humdial.asr.assemble import cache_root

    explicit = os.environ.get(ASR_CACHE_ENV)
    return Path(explicit).expanduser() if explicit else cache_root() / "asr"


def add_asr_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --asr, --asr-threads, --asr-cache and --no-asr-cache to a command's parser."""
    group = parser.add_argument_group("speech recognition")
    group.add_argument(
        "--asr", action="append", metavar="[LANG=]BACKEND[:PATH][?K=V&...]",
        help="ASR per language, repeatable: e.g. --asr en=whisper --asr zh=paraformer:/models/paraformer-zh. "
             f"Backends: {', '.join(BACKENDS)}. Defaults: en=whisper, zh=whisper (the bundled multilingual "
             "base; Chinese in simplified characters, one token per character). whisper:tiny.en is faster for English.")
    group.add_argument("--asr-threads", type=int, default=None, metavar="N",
                       help="CPU threads per whisper model (default: up to 4)")
    group.add_argument("--asr-cache", metavar="DIR", default=None,
                       help=f"transcript cache folder, shared by all runs (default: ${ASR_CACHE_ENV}, else "
                            f"{default_cache_dir()}); keyed by audio content, model hash and decoding settings")
    group.add_argument("--no-asr-cache", action="store_true", help="always re-run ASR")


def router_from_args(args: argparse.Namespace, default_cache: str | Path | None = None) -> AsrRouter:
    """Build the router from the options add_asr_arguments added."""
    cache = None
    if not getattr(args, "no_asr_cache", False):
        cache = TranscriptCache(args.asr_cache or default_cache or default_cache_dir())
    return AsrRouter(parse_routes(getattr(args, "asr", None)), cache=cache,
                     threads=getattr(args, "asr_threads", None))
