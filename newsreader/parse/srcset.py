"""Reading an image's `srcset` as browsers do (HTML Living Standard, "parse a srcset
attribute"): a candidate's URL runs to the next white space, so commas inside it belong to
it (image services put sizes and crops there: `.../w_400,h_300,c_fill/a.jpg 400w`); only a
comma after the URL, or ending it, separates candidates.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_SPACE = " \t\n\r\f"
_DESCRIPTOR = re.compile(r"^(\d+(?:\.\d+)?)([wx])$", re.IGNORECASE)
_OTHER_SPACE = re.compile(r"[^\S \t\n\r\f]")
"""White space that is not ASCII white space to the HTML standard (a no-break space, a
vertical tab...): part of a URL or descriptor, where `str.split` would split."""
_USUAL_CANDIDATE = re.compile(r"([^\s,]+)[ \t\n\r\f]+([0-9]+(?:\.[0-9]+)?[wx])")
"""One candidate of the usual shape: a URL without commas, white space, one descriptor."""
_USUAL = re.compile(
    r"[ \t\n\r\f]*{candidate}(?:[ \t\n\r\f]*,[ \t\n\r\f]*{candidate})*[ \t\n\r\f]*".format(
        candidate=r"[^\s,]+[ \t\n\r\f]+[0-9]+(?:\.[0-9]+)?[wx]"
    )
)
"""A srcset of the usual shape: candidates of `_USUAL_CANDIDATE` separated by commas."""


class Candidate(NamedTuple):
    """One image of a srcset: its URL (as written, maybe relative) and its descriptors
    ("400w", "2x"; empty: 1x), white space folded. A named tuple: cheaper to define than a
    dataclass at each start of a process that sanitises (`newsreader extract` once a page)."""

    url: str
    descriptors: str

    @property
    def width(self) -> float:
        """The width descriptor (`400w` -> 400.0), else the density (`2x` -> 2.0), else 1:
        what orders candidates from narrow to wide, within one srcset."""
        match = _DESCRIPTOR.match(self.descriptors)
        return float(match.group(1)) if match else 1.0


def parse_srcset(value: str) -> list[Candidate]:
    """The candidates of a srcset value, in order; URLs that are empty after their trailing
    commas are removed are left out. Descriptors are kept as written (browsers drop a
    candidate with invalid ones; the sanitiser keeps the text and lets the browser judge).

    The sanitiser reads every srcset of every entry, so the reading (`_parse_characters`,
    character by character) is done faster where it can be, with the same result: a value
    of the usual shape ("URL 300w, URL 768w", one width or density per candidate) by one
    pattern, and other values without parentheses (descriptors never hold them in practice)
    word by word (`_parse_words`) unless white space other than the standard's (" \\t\\n\\r\\f",
    which alone separates a URL from its descriptors) is in them."""
    usual = usual_candidates(value)
    if usual is not None:
        return [Candidate(url, descriptor) for url, descriptor in usual]
    if "(" not in value and not _OTHER_SPACE.search(value):
        return _parse_words(value)
    return _parse_characters(value)


def usual_candidates(value: str) -> list[tuple[str, str]] | None:
    """The (URL, descriptor) pairs of a srcset of the usual shape ("URL 300w, URL 768w": no
    comma or white space in a URL, one width or density each), as `parse_srcset` reads
    them; None for a value of another shape."""
    if _USUAL.fullmatch(value) is None:
        return None
    return _USUAL_CANDIDATE.findall(value)


def _parse_characters(value: str) -> list[Candidate]:
    """`parse_srcset` as the HTML standard writes it, character by character."""
    candidates: list[Candidate] = []
    position, end = 0, len(value)
    while position < end:
        while position < end and (value[position] in _SPACE or value[position] == ","):
            position += 1
        start = position
        while position < end and value[position] not in _SPACE:
            position += 1
        url = value[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
            descriptors = ""
        else:
            descriptors, position = _descriptors(value, position)
        if url:
            candidates.append(Candidate(url, descriptors))
    return candidates


def _parse_words(value: str) -> list[Candidate]:
    """`parse_srcset` for a value without parentheses: a URL is a whole word (commas before it
    skipped, commas ending it removed: it then has no descriptors); the words after it are
    its descriptors up to the first comma, and what follows that comma in the same word
    begins the next URL."""
    candidates: list[Candidate] = []
    url: str | None = None
    descriptors: list[str] = []
    for word in value.split():
        while word:
            if url is None:
                word = word.lstrip(",")
                if word.endswith(","):
                    candidates.append(Candidate(word.rstrip(","), ""))
                elif word:
                    url, descriptors = word, []
                word = ""
            else:
                head, comma, word = word.partition(",")
                if head:
                    descriptors.append(head)
                if comma:
                    candidates.append(Candidate(url, " ".join(descriptors)))
                    url = None
    if url is not None:
        candidates.append(Candidate(url, " ".join(descriptors)))
    return candidates


def _descriptors(value: str, position: int) -> tuple[str, int]:
    """The descriptors after a URL, up to the comma that ends the candidate (one inside
    parentheses does not), and the position after that comma."""
    depth = 0
    start = position
    end = len(value)
    while position < end:
        char = value[position]
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif char == "," and not depth:
            return " ".join(value[start:position].split()), position + 1
        position += 1
    return " ".join(value[start:].split()), position


def widest(candidates: list[Candidate]) -> Candidate | None:
    """The candidate with the largest width (or density) descriptor; the first of equals."""
    return max(candidates, key=lambda c: c.width, default=None)
