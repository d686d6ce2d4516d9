"""Hostile input shapes that once took time growing with the square of their size (issue 16).

For each shape, prints the CPU seconds `parse_feed` takes on 25, 100 and 400 kB of it and the
growth from 25 to 400 kB: linear time grows about 16x, quadratic time about 256x.

    .venv/bin/python benchmarks/pathological.py [--sizes 25,100,400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from collections.abc import Callable
from html import escape

from newsreader.errors import NewsreaderError
from newsreader.parse import parse_feed

URL = "https://bench.example/feed.xml"


def in_rss(html: str) -> bytes:
    """One RSS item whose description is `html` (escaped, as feeds send HTML)."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>i</title><description>{escape(html)}</description></item>"
        "</channel></rss>"
    ).encode()


def repeated(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


SHAPES: dict[str, Callable[[int], bytes]] = {
    "iframe with one long attribute": lambda n: in_rss("<iframe " + "a" * n + ">"),
    "video source attributes": lambda n: in_rss(
        "<video><source " + repeated('a="b" ', n) + 'src="v.mp4"></video>'
    ),
    "<div></p> repeated": lambda n: in_rss(repeated("<div></p>", n)),
    "unclosed <div> repeated": lambda n: in_rss(repeated("<div>", n) + "x"),
    "<b><i><p> misnested": lambda n: in_rss(repeated("<b><i><p>x</b>", n)),
    "comment openers": lambda n: in_rss(repeated("<!-- <div>", n)),
    "unterminated quotes": lambda n: in_rss(repeated('<a title="', n)),
    "srcset candidates": lambda n: in_rss(
        '<img src="a.png" srcset="' + repeated("x.png 1x, ", n) + '">'
    ),
    'truncated JSON string of \\"': lambda n: (
        '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "title": "'
        + repeated('\\"', n)
    ).encode(),
    "truncated JSON of open arrays": lambda n: (
        '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"},'
        + repeated('["x", ', n)
    ).encode(),
    "JSON feed item array": lambda n: json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [{"id": str(i), "content_html": "<p>x</p>"} for i in range(n // 40)],
        }
    ).encode()[:-3],
}


def seconds(data: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()  # CPU time: the machine may be shared
        with contextlib.suppress(NewsreaderError):  # refusing is an answer too
            parse_feed(data, URL)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,100,400", help="kilobytes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) * 1000 for s in args.sizes.split(",")]
    header = "".join(f"{s // 1000:>9} kB" for s in sizes)
    print(f"{'shape':<34}{header}   growth (linear ~{sizes[-1] / sizes[0]:.0f}x)")
    for name, make in SHAPES.items():
        times = [seconds(make(size), args.repeat) for size in sizes]
        cells = "".join(f"{t:>10.3f}s" for t in times)
        growth = times[-1] / times[0] if times[0] > 0 else float("nan")
        print(f"{name:<34}{cells}   {growth:6.1f}x")


if __name__ == "__main__":
    main()
