"""Snippet benchmark: what the article list's snippet line costs per entry and per page of
200 rows, for article bodies of 1 KB to 200 KB, beside the app's HTML-to-text function on the
same bodies (what a snippet would cost without the fast path and the cut at `SCAN`).

The list works snippets out when it reads a page of rows on the GUI thread, so the per-page
figure is what a scroll to an unread page adds. Target: well under 10 ms per page.
Run: .venv/bin/python benchmarks/snippets.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsreader.gui.snippet import snippet
from newsreader.parse.text import html_to_text

PAGE = 200
PARAGRAPH = (
    '<p>The harbour council met on <a href="https://council.example/minutes/2026-11">Tuesday'
    "</a> to discuss the <em>storm</em> budget &amp; the rail link. "
    "Residents asked about the river wall, the lights on the pier and the ferry timetable.</p>\n"
)


def body(kilobytes: int) -> str:
    return PARAGRAPH * max(1, kilobytes * 1024 // len(PARAGRAPH))


def per_entry(work: object, text: str, rounds: int) -> float:
    """Seconds per call of `work(text)`, the best of 3 runs of `rounds` calls."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(rounds):
            work(text)  # type: ignore[operator]
        best = min(best, (time.perf_counter() - start) / rounds)
    return best


def main() -> int:
    print(f"{'body':>8}  {'snippet/entry':>14}  {'snippet/page':>13}  {'html_to_text/entry':>19}")
    for kilobytes in (1, 10, 50, 200):
        text = body(kilobytes)
        fast = per_entry(lambda t: snippet(None, t, "Harbour council"), text, 2000)
        full = per_entry(html_to_text, text, 20 if kilobytes >= 50 else 200)
        print(
            f"{kilobytes:>6} KB  {fast * 1e6:>11.1f} µs  {fast * PAGE * 1e3:>10.2f} ms  "
            f"{full * 1e6:>16.0f} µs"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
