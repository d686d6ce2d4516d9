"""The article-extraction corpus (../shared/corpus/article-extraction/) and its scoring rule.

Both texts are cut into words (`\\w+`), then into overlapping runs of 4 words; per page, the
runs both share (true positives), the extra runs extracted (false positives) and the runs
missed (false negatives) are counted and normalised to sum to 1, so long pages weigh no more
than short ones. Precision is the mean over pages with any extracted text, recall the mean
over pages with any true text, F1 their harmonic mean (the rule of Scrapinghub's
article-extraction-benchmark, whose pages these are).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(
    os.environ.get("NEWSREADER_EXTRACTION_CORPUS")
    or Path(__file__).resolve().parents[3] / "shared" / "corpus" / "article-extraction"
)
"""Beside the checkout, as conftest.REAL_WORLD; a worktree elsewhere names it in the variable."""
_WORD = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


@dataclass(frozen=True, slots=True)
class Page:
    name: str
    url: str
    html: bytes
    truth: str


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total


def corpus_pages(root: Path = CORPUS) -> list[Page]:
    """Every page of the corpus with its true text, in name order (empty if absent)."""
    truth_file = root / "ground-truth.json"
    if not truth_file.exists():
        return []
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    return [
        Page(name, item["url"], gzip.decompress((root / "html" / f"{name}.html.gz").read_bytes()),
             item.get("articleBody") or "")
        for name, item in sorted(truth.items())
    ]  # fmt: skip


def _shingles(text: str) -> Counter[str]:
    words = _WORD.findall(text or "")
    return Counter(
        " ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))
    ) - Counter({"": 1_000_000})


def page_counts(truth: str, extracted: str) -> tuple[float, float, float]:
    """Normalised (true positives, false positives, false negatives) of one page."""
    true, found = _shingles(truth), _shingles(extracted)
    tp = sum((true & found).values())
    fp = sum((found - true).values())
    fn = sum((true - found).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(pairs: list[tuple[str, str]]) -> Score:
    """The corpus score of (true text, extracted text) pairs."""
    counts = [page_counts(truth, extracted) for truth, extracted in pairs]
    precisions = [tp / (tp + fp) for tp, fp, _ in counts if tp + fp > 0]
    recalls = [tp / (tp + fn) for tp, _, fn in counts if tp + fn > 0]
    return Score(
        precision=statistics.mean(precisions) if precisions else 0.0,
        recall=statistics.mean(recalls) if recalls else 0.0,
    )
