"""Who ran what, where and when: the part of every run's provenance that is not about the data.

`run_context(started)` gives the command line, the git commit of the humdial source tree (when it is a
git checkout; None for an installed wheel), the host name and UTC start/finish timestamps. Pipelines
merge it into their provenance block with one call.
"""

from __future__ import annotations

import datetime as _dt
import platform
import shlex
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

GIT_TIMEOUT_S = 5.0
"""Upper bound on asking git for the commit; a slow or absent git leaves the commit as None."""


@lru_cache(maxsize=1)
def humdial_commit() -> str | None:
    """The commit of the checkout humdial is imported from, with `+dirty` when it has uncommitted changes."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=GIT_TIMEOUT_S)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=GIT_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty.returncode == 0 and dirty.stdout.strip() else "")


def _utc(t: float) -> str:
    return _dt.datetime.fromtimestamp(t, _dt.timezone.utc).isoformat(timespec="seconds")


def command_line() -> str:
    """The humdial command as typed; when humdial runs inside another program (a test, a notebook) that
    program's argv is all there is, and the line says so instead of pretending it was `humdial`."""
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if program in ("humdial", "__main__.py"):
        return shlex.join(["humdial", *sys.argv[1:]])
    return f"(inside {program or 'python'}) " + shlex.join(sys.argv[1:])


def run_context(started: float, finished: float | None = None) -> dict:
    """{command_line, humdial_commit, host, started_at, finished_at} for a run that began at `started`
    (time.time()). The command line is argv as given (secrets come from env vars, never flags)."""
    import time

    return {"command_line": command_line(),
            "humdial_commit": humdial_commit(), "host": platform.node(),
            "started_at": _utc(started), "finished_at": _utc(finished if finished is not None else time.time())}
