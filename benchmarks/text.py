"""HTML to text: the one lxml-based `html_to_text` against the full-text index's pattern-based
fast path (`store/text.py`, `index_text`), over sanitised article bodies like those a sync
stores.

Indexing runs `index_text` on the summary and content of every entry written (100,000 entries
when a large store is rebuilt), so it keeps its own fast path only while this benchmark shows
the difference matters; the figures are in `newsreader/store/text.py`.

    .venv/bin/python benchmarks/text.py [--entries 20000]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from newsreader.parse import sanitize_html
from newsreader.parse.text import html_to_text
from newsreader.store.text import index_text

VOCABULARY = (
    "the reader sync feed store entry article comment offline update network window query "
    "index cache image link title author date content summary server client &amp; &eacute;"
)
WORDS = tuple(VOCABULARY.split())


def paragraph(rng: random.Random, index: int) -> str:
    """One paragraph with the inline markup articles carry: links, emphasis, code, images."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
    words[rng.randrange(len(words))] = f'<a href="/p/{index}">{rng.choice(WORDS)}</a>'
    words[rng.randrange(len(words))] = f"<em>{rng.choice(WORDS)}</em>"
    words[rng.randrange(len(words))] = f"<code>{rng.choice(WORDS)}()</code>"
    if index % 3 == 0:
        words.append(f'<img src="/i/{index}.png" alt="figure {index}">')
    kind = rng.choice(["p", "p", "p", "blockquote", "li"])
    text = " ".join(words)
    return f"<ul><li>{text}</li></ul>" if kind == "li" else f"<{kind}>{text}</{kind}>"


def bodies(count: int) -> list[str]:
    """`count` sanitised bodies of 3-8 paragraphs, the same for every run."""
    rng = random.Random(9)
    distinct = [
        sanitize_html(
            "".join(paragraph(rng, i) for i in range(rng.randint(3, 8))),
            "https://bench.example/post/",
        )
        for _ in range(500)
    ]
    return [distinct[i % len(distinct)] for i in range(count)]


def measure(name: str, function: Callable[[str], str], corpus: list[str]) -> float:
    started = time.perf_counter()
    for body in corpus:
        function(body)
    seconds = time.perf_counter() - started
    rate = len(corpus) / seconds
    print(f"{name:34} {rate:10,.0f} bodies/s  {100_000 / rate:6.1f} s per 100,000 entries")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=20_000)
    args = parser.parse_args()
    corpus = bodies(args.entries)
    size = sum(len(body) for body in corpus) / len(corpus)
    print(f"{args.entries:,} sanitised bodies, {size:,.0f} characters on average")
    fast = measure("index_text (patterns, store/text.py)", index_text, corpus)
    one = measure("html_to_text (lxml, parse/text.py)", html_to_text, corpus)
    print(f"the index's fast path is {fast / one:.1f}x the speed of html_to_text")


if __name__ == "__main__":
    main()
