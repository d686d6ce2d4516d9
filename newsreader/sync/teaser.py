"""Whether an entry's feed text is a teaser, so that the sync fetches its full article
(a feed's Full article setting `auto`; measured on the shared real-world feeds, see
docs/fulltext.md).

A teaser is feed text that stops short of the article:
- nothing but a title (no summary or content at all);
- a summary only (no content) of fewer than `SHORT_SUMMARY_WORDS` words, or any content of
  fewer than `SHORT_CONTENT_WORDS` words;
- text ending (within its last few words) in an ellipsis ("…", "...", "[…]") or a link-like
  "Read more", "Continue reading", "Read the full story", "To read this article in full,
  please click here", "More »".
Pure: no I/O.
"""

from __future__ import annotations

import re

from newsreader.model import FullTextMode, ParsedEntry
from newsreader.parse import html_to_text

SHORT_SUMMARY_WORDS = 120
"""A summary (RSS description with no content:encoded) this short is a teaser; longer ones
are often the whole post (many blogs put it there)."""
SHORT_CONTENT_WORDS = 60
"""Content this short is a teaser (a lead paragraph), whatever element carries it."""
_WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|\w+")
"""Words, counting each Chinese or Japanese character and Korean syllable as one (those
scripts put no spaces between words)."""
_TAIL = 80  # characters at the end of the text examined for a "read more"
_READ_MORE = re.compile(
    r"(?:\u2026|\.\.\.|\[(?:\u2026|\.\.\.)\]|\bread\s+more\b|\bcontinue\s+reading\b"
    r"|\bread\s+the\s+(?:full|whole|rest|entire)\b|\bmore\s*(?:\u00bb|>>|\u2192)"
    r"|\bkeep\s+reading\b|\bfull\s+(?:story|article)\b|\bclick\s+here\b"
    r"|\bread\s+(?:this|the)\s+(?:article|story|post)\s+in\s+full\b)[^\w]*(?:\w+[^\w]*){0,6}$",
    re.IGNORECASE,
)


def is_teaser(entry: ParsedEntry) -> bool:
    """True when the entry's feed text stops short of its article (rules above)."""
    body = entry.content or entry.summary
    text = html_to_text(body) if body else ""
    if not text:
        return True
    words = len(_WORDS.findall(text))
    if words < (SHORT_CONTENT_WORDS if entry.content else SHORT_SUMMARY_WORDS):
        return True
    return _READ_MORE.search(text[-_TAIL:]) is not None


def wants_full_text(mode: FullTextMode, entry: ParsedEntry) -> bool:
    """Whether a new entry's page is fetched for its full article under the feed's setting
    (an entry without a web link never is)."""
    link = entry.link or ""
    if mode == "never" or not link.lower().startswith(("http://", "https://")):
        return False
    return mode == "always" or is_teaser(entry)
