"""Turning what the user typed into an FTS5 query, and picking an entry's key terms.

Plain input is matched word by word: each whitespace-separated word becomes a quoted FTS5
string, so `climate change` finds entries with both words, and `c++`, `e-mail` or `don't` never
raise a syntax error. Input that uses FTS5 syntax on purpose passes through unchanged:
"phrases", AND/OR/NOT (upper case), NEAR(...), prefix*, ^initial, (groups) and column filters
(`title:`, `summary:`, `content:`, `author:`). A malformed query of that kind raises
`SearchQueryError` when it runs.
"""

from __future__ import annotations

import re

from newsreader.errors import SearchQueryError

SEARCH_COLUMNS = ("title", "summary", "content", "author")
RANK = "bm25(entries_fts, 10.0, 3.0, 1.0, 2.0)"
"""Relevance, best first when sorted ascending: title hits weigh most, then summary, author."""

_SYNTAX = re.compile(
    r'"|\b(?:AND|OR|NOT)\b|\bNEAR\s*\(|\w\*|(?:^|[\s(])\^|[()]'
    r"|(?:^|[\s(])-?(?:" + "|".join(SEARCH_COLUMNS) + r")\s*:|\{"
)
_WORD = re.compile(r"\w", re.UNICODE)
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


def match_expression(text: str) -> str:
    """The FTS5 MATCH expression for a search the user typed."""
    stripped = text.strip()
    if not stripped:
        raise SearchQueryError("the search is empty")
    if _SYNTAX.search(stripped):
        return stripped
    words = [w for w in stripped.split() if _WORD.search(w)]
    if not words:
        raise SearchQueryError(f"nothing to search for in {text!r} (no letters or digits)")
    return " ".join(quote(w) for w in words)


def quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def query_error(text: str, detail: str) -> SearchQueryError:
    detail = detail.removeprefix("fts5: ")
    return SearchQueryError(
        f'cannot search for {text!r}: {detail} (search words, "a phrase", AND/OR/NOT, '
        f"prefix*, or a column: {', '.join(c + ':' for c in SEARCH_COLUMNS)})"
    )


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
