"""The `humdial` command. Subcommands live one per file in `humdial.commands`.

Each command module defines `COMMAND` (a tuple such as `("eval", "track2")`), `HELP`,
`add_arguments(parser)` and `run(args) -> int`, and imports heavy dependencies inside `run`
so `humdial --help` stays fast. Modules are discovered, so adding a command touches no other file.
Flags used by several commands come from `humdial.commands.options` (one definition each).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from humdial import __version__
from humdial.errors import HumdialError

GROUP_HELP = {
    "gen": "generate synthetic data in the official layouts",
    "run": "run a baseline system over a data set",
    "eval": "evaluate a system's outputs",
    "score": "recompute official totals from per-scenario values",
    "leaderboard": "place a result among the published leaderboard rows",
    "judge": "judge tools (agreement between judges)",
    "submit": "check and pack challenge submissions",
    "convert": "convert data for baseline training",
}


def _command_modules():
    import humdial.commands as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"humdial.commands.{info.name}")
            if hasattr(module, "COMMAND"):  # helpers such as commands/options.py define none
                yield module


class HelpFormatter(argparse.HelpFormatter):
    """States each option's default exactly once: appended unless the help already speaks of its
    default, and never for None/False/[] defaults (flags and "computed later" values say it in words)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if (not action.option_strings or action.required or "default" in text
                or action.default in (None, False, [], argparse.SUPPRESS) or text == argparse.SUPPRESS):
            return text
        return text + " (default: %(default)s)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="humdial", description="Toolkit for the ICASSP 2026 HumDial challenge.")
    parser.add_argument("--version", action="version", version=f"humdial {__version__}")
    top = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction] = {}
    for module in _command_modules():
        head, *rest = module.COMMAND
        if rest:
            if head not in groups:
                group = top.add_parser(head, help=GROUP_HELP.get(head, ""), description=GROUP_HELP.get(head))
                groups[head] = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
            sub = groups[head].add_parser(rest[0], help=module.HELP, description=module.HELP,
                                          formatter_class=HelpFormatter)
        else:
            sub = top.add_parser(head, help=module.HELP, description=module.HELP, formatter_class=HelpFormatter)
        module.add_arguments(sub)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "_run"):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except HumdialError as exc:
        print(f"humdial: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("humdial: interrupted; finished items are cached and a re-run resumes", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `humdial ... | head` closed stdout: not an error of ours, and no traceback
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the interpreter's final flush stays quiet
        return 0


if __name__ == "__main__":
    sys.exit(main())
