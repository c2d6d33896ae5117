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

_COMMAND_MODULES: dict[str, str] = {
    "lists": "lists_cmd",
    "chip": "chip_cmd",
    "batch": "batch_cmd",
    "name": "name_cmd",
    "verify": "verify_cmd",
    "rescreen": "rescreen_cmd",
}
"""Each command and the module that registers and runs it."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: with ``command`` one of the commands, that command's alone (its
    module is the only one imported: ``screen name`` need not load the update machinery or
    the chip rules); otherwise every command's, for help and for a mistyped command."""
    parser = argparse.ArgumentParser(
        prog="screen",
        description="Screen parties and items against US export-control and sanctions lists.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = [command] if command in _COMMAND_MODULES else list(_COMMAND_MODULES)
    for name in wanted:
        module = importlib.import_module(f"{__name__}.{_COMMAND_MODULES[name]}")
        module.register(subparsers)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (its first word: the top-level parser takes no option but
    ``--help``), or None."""
    return argv[0] if argv and argv[0] in _COMMAND_MODULES else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_of(arguments))
    args = parser.parse_args(arguments)
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
