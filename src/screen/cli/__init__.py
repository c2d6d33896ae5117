"""The ``screen`` command line: one subcommand per module in this package.

Each subcommand module exposes ``register(subparsers)``, which adds its parser and sets
``func(args) -> int`` as the handler. Errors a user can fix are reported as one line on stderr
with exit code 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

__all__ = ["EXIT_CLEAR", "EXIT_ERROR", "EXIT_HITS", "main"]

EXIT_CLEAR = 0
"""Everything screened and nothing matched (or the command had nothing to screen)."""
EXIT_HITS = 1
"""At least one hit."""
EXIT_ERROR = 2
"""Bad input, a bad list release or a usage error: nothing can be relied on."""

_COMMAND_MODULES: tuple[str, ...] = (
    "lists_cmd",
    "chip_cmd",
    "batch_cmd",
    "name_cmd",
    "verify_cmd",
    "rescreen_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="screen",
        description="Screen parties and items against US export-control and sanctions lists.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in _COMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{module_name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        result: int = func(args)
    except BrokenPipeError:
        # the reader went away (`screen name X | head`): nothing left to say, and nobody to say
        # it to; point stdout at devnull so the interpreter's final flush does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("screen: interrupted", file=sys.stderr)
        return 130
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
