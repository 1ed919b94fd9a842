"""The challenge languages, defined once: codes, accepted aliases, and the `--lang` list parser.

Every command, loader and generator asks this module; nothing else spells out the alias table.
"""

from __future__ import annotations

from typing import Iterable

from humdial.errors import HumdialError

LANGS: tuple[str, ...] = ("zh", "en")
"""Canonical codes, in the official order (Chinese first, as in the organisers' tables)."""
ALIASES: dict[str, str] = {"zh": "zh", "cn": "zh", "cmn": "zh", "zh-cn": "zh", "zh_cn": "zh", "zh-hans": "zh",
                           "chinese": "zh", "mandarin": "zh",
                           "en": "en", "eng": "en", "en-us": "en", "en_us": "en", "english": "en"}
"""Lower-case spelling -> canonical code. `cn` is what the official file names use for Chinese."""


def normalise_language(name: str) -> str:
    """The canonical code of one language name or alias; HumdialError for anything else."""
    lang = ALIASES.get(name.strip().lower())
    if lang is None:
        raise HumdialError(f"unknown language {name!r}; use one of: {', '.join(LANGS)} (or cn for zh)")
    return lang


def parse_langs(value: str | Iterable[str]) -> tuple[str, ...]:
    """A comma list (or iterable) of languages -> canonical codes, first occurrence order, no repeats.

    An empty list is an error: a command asked to do nothing should say so, not exit 0 with 0 items.
    """
    names = value.split(",") if isinstance(value, str) else list(value)
    langs = tuple(dict.fromkeys(normalise_language(n) for n in names if n.strip()))
    if not langs:
        raise HumdialError(f"no language given; use a comma list of {', '.join(LANGS)}")
    return langs
