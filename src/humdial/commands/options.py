"""Flags shared by several commands: one definition (name, parser, default, help) each.

A command calls `add_lang(p)`, `add_cache_mode(p)`... instead of spelling the flag itself, so the same
flag parses the same way everywhere (tests/commands/test_shared_flags.py checks it). Old spellings stay
as hidden aliases (no help line) for one release:

    --judge-cache (eval track2), --llm-cache-mode (gen)     -> --cache-mode
    --judge-key-env (eval), --llm-key-env (gen)             -> --key-env
    --asr-en SPEC, --asr-zh SPEC (run track2, serve)        -> --asr en=SPEC, --asr zh=SPEC

`--mode` is the scoring mode everywhere (official | strict); in Track 1 the policy for judge failures
follows from it (official: left out of the means, as the organisers did; strict: they score 1).
Heavy imports stay out of this module: `humdial --help` builds every parser.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Sequence

from humdial.protocol.languages import LANGS, normalise_language, parse_langs

CACHE_MODES: tuple[str, ...] = ("use", "refresh", "replay", "off")
"""use: read and write; refresh: ask again and overwrite; replay: cache only, never the network; off: no cache."""
MODES: tuple[str, ...] = ("official", "strict")
DEFAULT_KEY_ENV = "HUMDIAL_LLM_API_KEY"
"""Same value as humdial.llm.keys.DEFAULT_KEY_ENV (not imported, to keep --help light; a test checks)."""


def _lang_list(value: str) -> tuple[str, ...]:
    try:
        return parse_langs(value)
    except Exception as exc:  # HumdialError -> a normal argparse usage error
        raise argparse.ArgumentTypeError(str(exc)) from None


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def add_lang(p: argparse.ArgumentParser, default: str = "zh,en") -> None:
    """--lang: comma list of languages -> tuple of canonical codes (aliases such as cn -> zh)."""
    p.add_argument("--lang", type=_lang_list, default=default, metavar="LANGS",
                   help=f"languages, comma-separated: {', '.join(LANGS)} (cn and zh-cn are zh)")


def add_mode(p: argparse.ArgumentParser, detail: str = "") -> None:
    """--mode: the scoring mode, official or strict."""
    p.add_argument("--mode", choices=MODES, default="official",
                   help="scoring mode: official (the organisers' rules and drops) or strict (every item counts)"
                        + (f"; {detail}" if detail else ""))


def add_cache_mode(p: argparse.ArgumentParser, what: str, old: Sequence[str] = ()) -> None:
    """--cache-mode for the LLM answer/verdict cache; `old` spellings become hidden aliases."""
    p.add_argument("--cache-mode", choices=CACHE_MODES, default="use",
                   help=f"{what} cache: use (read and write), refresh (ask again), replay (cache only, never "
                        "the network) or off")
    for name in old:
        p.add_argument(name, dest="cache_mode", choices=CACHE_MODES, help=argparse.SUPPRESS)


def add_key_env(p: argparse.ArgumentParser, old: Sequence[str] = ()) -> None:
    """--key-env: the NAME of the environment variable holding the LLM API key (never the key)."""
    p.add_argument("--key-env", default=DEFAULT_KEY_ENV, metavar="VAR",
                   help="environment variable holding the LLM API key; when it is unset, HUMDIAL_JUDGE_API_KEY "
                        "and then OPENAI_API_KEY are tried")
    for name in old:
        p.add_argument(name, dest="key_env", help=argparse.SUPPRESS)


DEFAULT_JUDGE_CONCURRENCY = 4
"""Same value as humdial.llm.client.ClientSettings.concurrency (not imported, to keep --help light; a test checks)."""


def add_judge_concurrency(p: argparse.ArgumentParser) -> None:
    """--judge-concurrency: LLM judge requests in flight at once (docs/scale.md)."""
    p.add_argument("--judge-concurrency", type=positive_int, default=DEFAULT_JUDGE_CONCURRENCY, metavar="N",
                   help=f"LLM judge requests in flight at once (default {DEFAULT_JUDGE_CONCURRENCY}); raise it for a "
                        "vLLM server, which batches what it holds; the offline proxy ignores it")


def judge_settings(args: argparse.Namespace) -> Any:
    """The ClientSettings of the parsed --judge-concurrency."""
    from humdial.llm.client import ClientSettings

    return ClientSettings(concurrency=getattr(args, "judge_concurrency", DEFAULT_JUDGE_CONCURRENCY))


def add_jobs(p: argparse.ArgumentParser, default: int = 1) -> None:
    p.add_argument("--jobs", type=positive_int, default=default, metavar="N", help="parallel worker processes")


EXECUTORS: tuple[str, ...] = ("local", "ray")
"""Same values as humdial.execute.backend.EXECUTORS (not imported, to keep --help light)."""


def add_executor(p: argparse.ArgumentParser) -> None:
    """--executor and --ray-address: where the parallel stages run (docs/scale.md)."""
    p.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="local: --jobs worker processes on this machine; ray: --jobs Ray worker actors, each "
                        "loading its models once (needs pip install 'humdial[ray]')")
    p.add_argument("--ray-address", default=None, metavar="ADDR",
                   help="join this Ray cluster (HOST:PORT, ray://HOST:PORT or auto); default: start a local instance")


def executor_spec(args: argparse.Namespace) -> Any:
    """The ExecutorSpec of the parsed --executor/--ray-address (a HumdialError on --ray-address without ray)."""
    from humdial.execute.backend import ExecutorSpec

    return ExecutorSpec(getattr(args, "executor", "local"), getattr(args, "ray_address", None))


def add_seed(p: argparse.ArgumentParser, default: int = 0) -> None:
    p.add_argument("--seed", type=int, default=default, help="data generation seed: same seed, same files")


def add_out(p: argparse.ArgumentParser, help: str, required: bool = True) -> None:
    p.add_argument("--out", type=Path, required=required, default=None, help=help)


class _RouteAlias(argparse.Action):
    """A hidden `--asr-LANG SPEC`: appends `LANG=SPEC` to --asr."""

    def __init__(self, option_strings: list[str], dest: str, lang: str = "", **kwargs: Any):
        super().__init__(option_strings, dest, **kwargs)
        self.lang = lang

    def __call__(self, parser, namespace, values, option_string=None):
        routes = list(getattr(namespace, self.dest, None) or [])
        routes.append(f"{self.lang}={values}")
        setattr(namespace, self.dest, routes)


AGENT_ASR_HELP = ("the agent's ASR per language, repeatable: none, partials[:DIR] (short-window whisper), "
                  "or a transcribing spec of `eval --asr` (whisper[:DIR], paraformer:DIR, parakeet:PATH); "
                  "default en=partials (tiny.en), zh=partials (multilingual base, piecewise)")


def add_agent_asr(p: argparse.ArgumentParser) -> None:
    """`--asr [LANG=]SPEC` of the commands that run the agent (run track2, serve), with its hidden old spellings."""
    p.add_argument("--asr", action="append", default=None, metavar="[LANG=]SPEC", help=AGENT_ASR_HELP)
    add_asr_aliases(p)


def add_asr_aliases(p: argparse.ArgumentParser, langs: Sequence[str] = ("en", "zh")) -> None:
    """Hidden `--asr-en/--asr-zh SPEC`, the old spellings of `--asr en=SPEC`."""
    for lang in langs:
        p.add_argument(f"--asr-{lang}", dest="asr", action=_RouteAlias, lang=lang, help=argparse.SUPPRESS)


def split_route(value: str) -> tuple[str | None, str]:
    """`LANG=SPEC` -> (lang, SPEC); a plain SPEC (which may itself hold '=' after ':' or '?') -> (None, SPEC).

    The same rule as `humdial.asr.registry.parse_routes`, for ASR specs that registry does not know
    (the agent's `partials` and `none`).
    """
    head, sep, rest = value.partition("=")
    if sep and ":" not in head and "?" not in head:
        return normalise_language(head), rest.strip()
    return None, value.strip()


def asr_routes(values: Sequence[str] | None, defaults: dict[str, str]) -> dict[str, str]:
    """`--asr` values -> one spec text per language, starting from `defaults`; later values win."""
    routes = dict(defaults)
    for value in values or ():
        lang, spec = split_route(value)
        if lang is None:
            routes = {k: spec for k in routes}
        else:
            routes[lang] = spec
    return routes


PIPE_WIDTH = 132
"""Table width when stdout is not a terminal (rich would use 80 and wrap names and intervals mid-word)."""


def table_console():
    """A rich console for result tables on stdout: the terminal's width, or PIPE_WIDTH when piped."""
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        console.width = max(console.width, PIPE_WIDTH)
    return console
