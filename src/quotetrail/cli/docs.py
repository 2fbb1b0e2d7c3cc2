"""docs/cli.md, written from every command's --help: `python -m quotetrail.cli.docs > docs/cli.md`.
A test compares the file with this output, so the page cannot fall behind the parser."""
from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from . import PROG, build_parser
from .options import add_db

WIDTH = 100  # columns the help is wrapped to, whatever the terminal


@contextmanager
def _fixed_width() -> Iterator[None]:
    """argparse wraps help to $COLUMNS (the terminal's width otherwise)."""
    with mock.patch.dict(os.environ, {"COLUMNS": str(WIDTH)}):
        yield


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Each parser and its command words, depth first, in the order --help lists them."""
    yield path, parser
    for action in parser._actions:  # argparse keeps its subcommands here and nowhere public
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _commands(child, (*path, name))


def render() -> str:
    with _fixed_width():
        parser = build_parser()
        sections = [(" ".join((PROG, *path)), child.format_help().rstrip()) for path, child in _commands(parser)]
    lines = ["# Command line", "",
             f"Every `{PROG}` command and its options, as `--help` prints them. This page is generated: "
             f"`python -m quotetrail.cli.docs > docs/cli.md` (tests/test_cli_package.py checks it is current).", "",
             "Options shared by several commands are declared once (`quotetrail/cli/options.py`): `extract` and "
             "`ingest` take the same input, fetching and extraction options; every corpus command takes "
             f"{', '.join(f'`{option}`' for option in _db_options())}.", ""]
    lines += [f"- [`{title}`](#{title.replace(' ', '-')})" for title, _ in sections[1:]]
    for title, text in sections:
        lines += ["", f"## {title}", "", "```text", text, "```"]
    return "\n".join(lines) + "\n"


def _db_options() -> list[str]:
    probe = argparse.ArgumentParser(add_help=False)
    add_db(probe)
    return [action.option_strings[0] for action in probe._actions]


if __name__ == "__main__":
    print(render(), end="")
