"""Relevance weights and an entry's key terms for related coverage (what the user types is
read by `newsreader.query` and compiled in `query_sql`)."""

from __future__ import annotations

import re

RANK = "bm25(entries_fts, 10.0, 3.0, 1.0, 2.0)"
"""Relevance, best first when sorted ascending: title hits weigh most, then summary, author."""

_TERM = re.compile(r"\w+", re.UNICODE)
# fmt: off
_STOPWORDS = frozenset((
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "may",
    "more", "most", "my", "new", "no", "not", "now", "of", "on", "one", "only", "or", "our",
    "out", "over", "says", "said", "she", "so", "some", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "to", "up", "us", "was", "we", "were", "what",
    "when", "where", "which", "who", "why", "will", "with", "would", "you", "your", "der", "die",
    "das", "und", "ein", "eine", "le", "la", "les", "des", "et", "un", "une", "el", "los", "las",
))
# fmt: on


def quote(word: str) -> str:
    """An FTS5 string: matched as the words it holds, never as syntax."""
    return '"' + word.replace('"', '""') + '"'


def title_terms(title: str | None) -> list[str]:
    """Candidate key terms of a title, lower case, without stop words, numbers and very
    short words, in order, no repeats."""
    if not title:
        return []
    seen: dict[str, None] = {}
    for term in _TERM.findall(title.lower()):
        if len(term) >= 3 and not term.isdigit() and term not in _STOPWORDS:
            seen[term] = None
    return list(seen)


def related_expression(terms: list[str]) -> str:
    """An FTS5 expression (for `titles_fts`) matching titles that share at least two of
    `terms`, or the one term when there is only one: pairs keep a single common word from
    pulling in noise."""
    if len(terms) == 1:
        return quote(terms[0])
    pairs = [f"({quote(a)} AND {quote(b)})" for i, a in enumerate(terms) for b in terms[i + 1 :]]
    return " OR ".join(pairs)
