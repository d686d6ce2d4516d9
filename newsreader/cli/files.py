"""The files a command is given (`parse`, `extract`): each read and worked on in turn, one
line of output per file. Apart from `parse_cmd` so that `extract` does not load the feed
model (~25 ms of a process whose start is most of its time)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from newsreader.cli._common import Context
from newsreader.errors import NewsreaderError

T = TypeVar("T")


def each_file(
    files: list[str],
    ctx: Context,
    work: Callable[[bytes], T],
    as_json: Callable[[T], dict[str, Any]] | None,
    summarise: Callable[[str, T], str],
    print_json: Callable[[dict[str, Any]], None] | None = None,
) -> int:
    """One line per file, in order: `work(bytes)`'s result as JSON (`as_json`, printed by
    `print_json`, by default `ctx.print_json`) or summarised, or the file's error
    (`{"error": "FILE: reason"}` / `FILE: error: reason`). Returns the exit code: 1 when any
    file failed, the others still printed. Used by `parse` and `extract`."""
    print_json = print_json or ctx.print_json
    failed = False
    for name in files:
        try:
            result = work(read_input(name))
        except (NewsreaderError, OSError) as error:
            failed = True
            why = reason(error)
            if as_json is not None:
                print_json({"error": f"{name}: {why}"})
            else:
                ctx.print(f"{name}: error: {why}")
            continue
        if as_json is not None:
            print_json(as_json(result))
        else:
            ctx.print(summarise(name, result))
    return 1 if failed else 0


def read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


def reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def base_url(text: str) -> str:
    """The address files came from (`extract --url`, `parse --base-url`): an absolute http(s)
    URL with a host, as given; anything else (a relative path, `notaurl`, `ftp://...`) is
    refused as a usage error (exit 2), since links cannot be made absolute against it."""
    from newsreader import urls

    parts = urls.split(text)
    if parts is None or parts.scheme not in urls.WEB_SCHEMES or not parts.hostname:
        raise argparse.ArgumentTypeError(f"expected an absolute http(s) URL, got {text!r}")
    return text
