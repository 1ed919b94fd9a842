"""Checks shared by both tracks' preflights: how much may be missing, and is the judge reachable.

A preflight runs before any slow stage so a wrong set-up (a folder one level off, misnamed outputs,
an unreachable judge) stops the command in seconds with a precise message and exit code 2 or 3
(docs/exit_codes.md), instead of minutes of work that ends in a table of zeros.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from humdial.errors import HumdialError, PreflightError, StageError

ALLOW_MISSING_HELP = ("how many samples may lack their system output before the command refuses to start: a count "
                      "(e.g. 3), a percentage (e.g. 10%%) or 'all'; missing outputs are then scored as the mode says. "
                      "Default 0: a participant's full submission is expected")
PROBE_TIMEOUT_S = 30.0
"""Seconds the judge probe waits for its one answer (a healthy endpoint answers a one-line prompt in a few)."""
PROBE_MESSAGES = [{"role": "user", "content": 'Reply with the JSON object {"ok": true} and nothing else.'}]
SHOW_MISSING = 5
"""Missing file names listed on the terminal (all of them are in the error's count)."""


def parse_allow_missing(text: str | None) -> float | int | None:
    """'3' -> 3 (a count), '10%' -> 0.1 (a fraction), 'all' -> None (no limit); HumdialError otherwise."""
    if text is None:
        return 0
    value = str(text).strip().lower()
    if value in ("all", "any"):
        return None
    try:
        if value.endswith("%"):
            share = float(value[:-1]) / 100
            if not 0 <= share <= 1:
                raise ValueError
            return share
        count = int(value)
        if count < 0:
            raise ValueError
        return count
    except ValueError:
        raise HumdialError(f"--allow-missing must be a count >= 0, a percentage 0-100% or 'all', not {text!r}") from None


def missing_allowed(limit: float | int | None, total: int) -> int | None:
    """The number of missing items `limit` allows out of `total` (None: no limit)."""
    if limit is None:
        return None
    if isinstance(limit, float):
        return int(limit * total)
    return int(limit)


def check_missing(what: str, missing: list[str], total: int, limit: float | int | None, expected: str) -> None:
    """PreflightError when more of `total` lack `what` than `limit` allows; names the first missing files."""
    allowed = missing_allowed(limit, total)
    if not missing or allowed is None or len(missing) <= allowed:
        return
    shown = ", ".join(missing[:SHOW_MISSING]) + (f" and {len(missing) - SHOW_MISSING} more" if len(missing) > SHOW_MISSING else "")
    raise PreflightError(f"{len(missing)} of {total} samples have no {what} (allowed: {allowed}); expected {shown}. "
                         f"{expected} Pass --allow-missing N, N% or all to evaluate anyway (missing ones are scored "
                         "as failures in strict mode and as the organisers did in official mode).")


def _inner(judge: Any) -> Any:
    while hasattr(judge, "inner"):
        if getattr(judge, "mode", None) == "replay":
            return None  # replay never uses the network: nothing to probe
        judge = judge.inner
    return judge


def probe_judge(judge: Any) -> str:
    """One short request to a remote judge; StageError at once when it does not answer.

    Returns a line for the summary. Offline judges (proxy) and replay-only caches are not probed.
    """
    inner = _inner(judge)
    client = getattr(inner, "client", None) if inner is not None else None
    if client is None or not hasattr(client, "complete"):
        return "judge: offline (no probe needed)" if inner is not None else "judge: replay from cache (no probe)"
    from humdial.llm.client import ChatClient, LLMError, public_url

    settings = replace(client.settings, max_retries=0, max_reasks=0, timeout_s=min(client.settings.timeout_s, PROBE_TIMEOUT_S),
                       max_tokens=16)
    probe = ChatClient(client.model, client.base_url, key_env=client.key_env, settings=settings,
                       sdk_client=getattr(client, "_sdk", None))
    where = f"{client.model} at {public_url(client.base_url)}"
    try:
        probe.complete(PROBE_MESSAGES)
    except (LLMError, ImportError, OSError) as exc:
        raise StageError(f"the judge {where} did not answer a probe request ({exc}); nothing was evaluated. "
                         "Check the URL, that the server is running and the key variable (--key-env), or use "
                         "--judge proxy (offline, not comparable to official scores).") from None
    return f"judge: {where} answered the probe"
