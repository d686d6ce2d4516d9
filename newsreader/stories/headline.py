"""The title a story goes by (the article list's row, `newsreader stories`, exports)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def headline(articles: Sequence[tuple[str | None, str | None]]) -> str | None:
    """The story's headline from its articles' (title, language) pairs, oldest first: the
    oldest titled article's title among those in the story's most common language (articles
    of unknown language count for none). A story told by four English outlets and first by a
    German one goes by an English title; a story of one language by its first report's, as
    before. None when no article has a title."""
    titled = [(title, language) for title, language in articles if title]
    counts = Counter(language for _, language in titled if language)
    if counts:
        most = max(counts.values())
        # the tie goes to the language of the oldest such article
        common = next(lang for _, lang in titled if lang is not None and counts[lang] == most)
        return next(title for title, lang in titled if lang == common)
    return titled[0][0] if titled else None
