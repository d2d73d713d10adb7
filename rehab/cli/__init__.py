"""``python -m rehab``: a thin command line over the rehab services.

Each module in COMMAND_MODULES adds its subcommands with ``register(subparsers)``; a handler takes the parsed
arguments and returns the exit code: 0 ok, 1 invalid input or error findings, 2 usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import ProgramError, RehabError

COMMAND_MODULES = ["rehab.cli.program", "rehab.cli.drawings", "rehab.cli.db", "rehab.cli.handout",
                   "rehab.cli.email", "rehab.cli.users", "rehab.cli.reminders"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors; keep that, print plainly
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m rehab", description="Runner's-knee home exercise programs.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ProgramError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except RehabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
