"""Full-text extraction: quality and speed of `newsreader extract` beside bare trafilatura.

On the shared article-extraction corpus (../shared/corpus/article-extraction/, 91 pages with
people's article text; scoring rule in tests/parse/article_score.py) it prints F1, precision,
recall and milliseconds per page of
- bare: `trafilatura.bare_extraction(page, url=..., favor_precision=True,
  include_comments=False, with_metadata=True, date_extraction_params=...)` (htmldate's
  extensive search off, as ours) and its `text`: trafilatura called directly in the mode we
  chose, for the same information (text, title, author, date, image);
- bare, same options: the same call with the options ours asks for beyond the text (links,
  tables and formatting, which its HTML needs), so that "ours against" it is what our own
  code adds (decoding, the consent-notice pass, images, sanitising, plain text);
- ours: `newsreader.parse.extract.extract_article` (decoding, extraction with links and
  formatting, the metadata it shows, sanitised HTML, plain text), the `text` that
  `newsreader extract --json` prints. It computes only the metadata shown (title, author,
  date, image), not the categories, tags, licence and site name both bare calls compute, so
  against "bare, same options" it is our code's cost less that saving;
in process (they alternate page by page, so all see the same machine load; wall and CPU
time) and as whole processes (one process per page: `newsreader extract --json --url URL FILE`
against a Python process calling bare trafilatura the same way; our package's bytecode is
compiled first, as pip compiles an installed package's, trafilatura's included). `--modes`
also scores trafilatura's modes (default, favor_precision, fast, both) for docs/fulltext.md.

    .venv/bin/python benchmarks/extract.py [--repeat 3] [--processes 20] [--modes]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsreader.errors import NoArticleError
from newsreader.parse.extract import extract_article
from tests.parse.article_score import CORPUS, Page, corpus_pages, score

Extractor = Callable[[Page], str]
DATE_PARAMS = {"original_date": True, "extensive_search": False}  # as parse/extract.py
BARE_CODE = (
    "import sys, trafilatura\n"
    "data = open(sys.argv[1], 'rb').read()\n"
    "document = trafilatura.bare_extraction(data, url=sys.argv[2], favor_precision=True, "
    f"include_comments=False, with_metadata=True, date_extraction_params={DATE_PARAMS!r})\n"
    "print(document.text if document is not None else '')\n"
)


def bare(page: Page) -> str:
    document = _bare_extraction(page)
    return document.text if document is not None else ""


def _bare_extraction(page: Page, **options: Any) -> Any:
    """trafilatura's `bare_extraction` as we call it (our mode, metadata, our date search)."""
    return trafilatura.bare_extraction(
        page.html,
        url=page.url,
        favor_precision=True,
        include_comments=False,
        with_metadata=True,
        date_extraction_params=DATE_PARAMS,
        **options,
    )


SAME_OPTIONS: dict[str, Any] = {  # what parse/extract.py asks of trafilatura beyond the text
    "include_images": False,
    "include_links": True,
    "include_tables": True,
    "include_formatting": True,
}


def bare_same_options(page: Page) -> str:
    """trafilatura called directly for what ours gets from it: the text and the article's
    links, tables and formatting (for its HTML). Against it, what ours adds is our own work
    (decoding, the consent-notice pass, images, sanitising, the text), not trafilatura's
    cost for the options we need, less what ours leaves out (the metadata it does not show:
    categories, tags, licence, site name)."""
    document = _bare_extraction(page, **SAME_OPTIONS)
    return document.text if document is not None else ""


def mode(page: Page, options: dict[str, Any]) -> str:
    return trafilatura.extract(page.html, url=page.url, include_comments=False, **options) or ""


def ours(page: Page) -> str:
    try:
        return extract_article(page.html, page.url).text
    except NoArticleError:
        return ""


def in_process(pages: list[Page], extractors: dict[str, Extractor], repeat: int) -> None:
    texts: dict[str, list[str]] = {name: [] for name in extractors}
    wall = dict.fromkeys(extractors, 0.0)
    cpu = dict.fromkeys(extractors, 0.0)
    for round_ in range(repeat):
        for index, page in enumerate(pages):
            order = list(extractors.items())
            if (index + round_) % 2:
                order.reverse()
            for name, extract in order:
                started, started_cpu = time.perf_counter(), time.process_time()
                text = extract(page)
                wall[name] += time.perf_counter() - started
                cpu[name] += time.process_time() - started_cpu
                if round_ == 0:
                    texts[name].append(text)
    runs = len(pages) * repeat
    print(f"in process, {len(pages)} pages x {repeat}:")
    for name in extractors:
        result = score([(p.truth, t) for p, t in zip(pages, texts[name], strict=True)])
        print(
            f"  {name:28} F1 {result.f1:.4f}  precision {result.precision:.4f}  "
            f"recall {result.recall:.4f}  {wall[name] / runs * 1000:6.1f} ms/page wall  "
            f"{cpu[name] / runs * 1000:6.1f} ms/page CPU"
        )
    for baseline in ("bare", "bare, same options"):
        if baseline in extractors and "ours" in extractors:
            extra = cpu["ours"] / cpu[baseline] - 1
            print(f"  ours against {baseline}: {extra:+.1%} CPU time")


def whole_process(pages: list[Page], count: int) -> None:
    """One process per page and extractor, the two alternating (so both see the same load);
    mean and median milliseconds per page, wall time and CPU time (user + system of the
    child, which a loaded machine inflates less). Beside the ratio of the medians, the median
    of each page's ratio: the two processes of a page run one after the other, so a change of
    the machine's load during the run moves it less."""
    chosen = pages[:count]
    newsreader = Path(sys.executable).with_name("newsreader")
    # As installed (pip compiles a package's bytecode, as it did trafilatura's), not as a
    # checkout just edited: with PYTHONDONTWRITEBYTECODE set, each process would compile
    # every changed module of ours anew (~10 ms a process in session 8).
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "newsreader", quiet=1)
    wall: dict[str, list[float]] = {"bare": [], "ours": []}
    cpu: dict[str, list[float]] = {"bare": [], "ours": []}
    with tempfile.TemporaryDirectory() as folder:
        for index, page in enumerate(chosen):
            path = Path(folder) / f"{page.name}.html"
            path.write_bytes(page.html)
            commands = {
                "bare": [sys.executable, "-c", BARE_CODE, str(path), page.url],
                "ours": [str(newsreader), "extract", "--json", "--url", page.url, str(path)],
            }
            order = list(commands.items())
            if index % 2:
                order.reverse()
            for name, command in order:
                started, started_cpu = time.perf_counter(), _children_cpu()
                done = subprocess.run(command, capture_output=True, check=False)
                wall[name].append(time.perf_counter() - started)
                cpu[name].append(_children_cpu() - started_cpu)
                if name == "ours" and done.returncode == 0:
                    json.loads(done.stdout)  # one object per line, well formed
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(f"whole process (one process per page, {len(chosen)} pages; load after: {load}):")
    for name in wall:
        print(
            f"  {name:28} {statistics.mean(wall[name]) * 1000:6.1f} ms/page mean  "
            f"{statistics.median(wall[name]) * 1000:6.1f} median wall  "
            f"{statistics.mean(cpu[name]) * 1000:6.1f} mean  "
            f"{statistics.median(cpu[name]) * 1000:6.1f} median CPU"
        )
    for clock, times in (("wall", wall), ("CPU", cpu)):
        extra = statistics.median(times["ours"]) / statistics.median(times["bare"]) - 1
        paired = statistics.median(o / b for o, b in zip(times["ours"], times["bare"], strict=True))
        print(
            f"  ours against bare: {extra:+.1%} ({clock}, medians); "
            f"{paired - 1:+.1%} (median of the pages' ratios, each pair run back to back)"
        )


def _children_cpu() -> float:
    """CPU seconds (user + system) of the child processes waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def modes(pages: list[Page]) -> None:
    print("trafilatura's modes (bare, site comments left out):")
    choices: dict[str, dict[str, bool]] = {
        "default": {"favor_precision": False},
        "favor_precision": {"favor_precision": True},
        "fast": {"fast": True},
        "favor_precision + fast": {"favor_precision": True, "fast": True},
    }
    in_process(
        pages,
        {name: partial(mode, options=options) for name, options in choices.items()},
        1,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processes", type=int, default=20, help="pages run as processes")
    parser.add_argument("--modes", action="store_true", help="also score trafilatura's modes")
    args = parser.parse_args()
    pages = corpus_pages(args.corpus)
    if not pages:
        sys.exit(f"no corpus at {args.corpus}")
    print(f"trafilatura {trafilatura.__version__}; corpus {args.corpus} ({len(pages)} pages)")
    ours(pages[0])  # imports and caches warm before timing
    in_process(
        pages, {"bare": bare, "bare, same options": bare_same_options, "ours": ours}, args.repeat
    )
    if args.processes:
        whole_process(pages, args.processes)
    if args.modes:
        modes(pages)


if __name__ == "__main__":
    main()
