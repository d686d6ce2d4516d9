"""Whether two articles report the same event: TF-IDF cosine of their title and lead, less
the part of its largest shared term, plus a bonus for the rare numbers they share.

An article's *terms* are the stems of its title, counted `TITLE_WEIGHT` times, then of the
first `LEAD_WORDS` words of its text, as `words.story_words` makes them: numbers in one
spelling, English, German and French news words and place names as one English term (the
cross-lingual lexicon, `stories.lexicon`), names in German and French text in their English
stem. Weights: (1 + ln tf) × idf, with
idf = ln((n + 1) / (df + 1)) + 1 over the articles of the store (`df` documents of `n` hold
the stem); vectors are normalised, so the score is the cosine in [0, 1].

One shared rare term (a company, a club, a place) is not enough: a report of another event
that names the same firm shares that one heavy term and little else, while two reports of
one event share several. The score therefore leaves out the largest single term's part of
the cosine (`overlap`), and the threshold is lower to match.

Numbers (figures, scores, amounts, percentages: terms that start with a digit, years
excepted) are what outlets reporting one event share when their words differ ("6.2 million
customers", "a 5.4-billion-pound offer"), and an article about another event with the same
names rarely has them. Each rare number two articles share adds `NUMBER_BONUS` to their
cosine, at most `MAX_NUMBERS` of them.

Reports of one event name its type ("strike", "fire", "recall": the lexicon's `EVENTS`
words, in any of its languages) whatever else their words, and a report of another event
about the same company or place mostly does not: two articles that share an event type and
at least two other terms get `EVENT_BONUS` (`event_bonus`).

Measured on the labelled sets in tests/stories/data (see docs/stories.md): TF-IDF cosine of
title and lead separates "same event" from "same names, other event" well, at a fraction of a
millisecond per pair; the thresholds below come from there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from operator import add, mul, truediv

from newsreader.stories.lexicon import EVENTS
from newsreader.stories.words import story_words

TITLE_WEIGHT = 2
LEAD_WORDS = 60
SAME_STORY = 0.105
"""Score (see `pair_score`) at or above which two articles from different feeds are one
story. Above `NUMBER_BONUS`: one shared rare number and nothing else is not enough (0.10 to
0.105 give the same pairs on the labelled sets; session 8 had 0.11, before the lexicon)."""
SAME_FEED_AGAIN = 0.25
"""Score a story needs to take an article of a feed it already holds (within the matching
window): outlets mostly report an event once, and their next article on the same names is
often another event; a follow-up of the same event must look as much like the other feeds'
reports as the matcher once required of every article (session 7's threshold)."""
NUMBER_BONUS = 0.1
"""Added to the cosine of two articles for each rare number both hold."""
MAX_NUMBERS = 2
"""Shared numbers that count at most."""
EVENT_BONUS = 0.08
"""Added to the score of two articles that share an event type and `EVENT_SHARED` terms or
more in all. Session 10, on the labelled sets a-f: 0.05 to 0.10 give the same pairs but one
(c: 0.08 and 0.10 join one more report), 0.04 joins fewer (d recall 0.67 -> 0.61), 0.12
joins a distractor (f precision 0.85 -> 0.80); see docs/stories.md."""
EVENT_SHARED = 3
"""Shared terms, the event type included, for the event bonus: the type and two more (a
name, a place) rather than the type alone (two fires in one week are not one story; on the
labelled sets 1 to 3 give the same pairs, 4 fewer)."""
SECOND_CHANCE = 0.05
"""Score (`pair_score`, a story's as `SAME_STORY` reads it) at or above which an article
that no story takes at `SAME_STORY` joins a story that already holds `SECOND_CHANCE_SOURCES`
feeds, when that story's members hold `SECOND_CHANCE_TERMS` or more of its terms between them
(session 11). Scene and quote ledes and analysis pieces share two or three words with each
report of their event, so their score to each stays low; with the several reports together
they share five to eight (the event's place, type, people, what it did), while an article of
another event that meets a story's vocabulary this widely mostly scores over `SAME_STORY`
already. On the labelled sets a-f any floor from 0 to 0.05 gives the same pairs (the shared
terms decide), 0.06 joins fewer (e recall 0.71 -> 0.67); the floor keeps a store's common
words (a weekday, "percent", "company") from joining on their own."""
SECOND_CHANCE_TERMS = 5
"""Distinct terms of an article the members of a story must hold between them for
`SECOND_CHANCE` (terms of the 5 newest members of other feeds the story is scored on). On a-f:
4 joins distractors (a precision 0.91 -> 0.81), 6 joins fewer (d recall 0.78 -> 0.73)."""
SECOND_CHANCE_SOURCES = 2
"""Feeds a story must hold (among the members it is scored on) for `SECOND_CHANCE`: a story of
one article has no vocabulary of its own beyond that article's (1: c precision 0.90 -> 0.88,
a distractor naming the same central bank joins; 3: d recall 0.78 -> 0.73)."""
COPY = 0.85
"""Cosine at or above which an article is a near-identical copy of another (a reprint)."""

Vector = dict[str, float]


def story_terms(title: str | None, text: str, language: str | None) -> list[str]:
    """The terms of an article: the title's stems `TITLE_WEIGHT` times, then the stems of
    the first `LEAD_WORDS` words of its plain `text`."""
    title_stems = story_words(title or "", language)
    lead = " ".join(text.split(maxsplit=LEAD_WORDS)[:LEAD_WORDS])  # not all of a long text
    return title_stems * TITLE_WEIGHT + story_words(lead, language)


def idfs(dfs: Iterable[int], n: int) -> Iterator[float]:
    """The inverse document frequency of stems found in `df` (each of `dfs`) of `n`
    articles, ln((n + 1) / (df + 1)) + 1, computed in C."""
    ratios = map(truediv, repeat(n + 1), map(add, dfs, repeat(1)))
    return map(add, map(math.log, ratios), repeat(1.0))


_TF = (0.0, *(1.0 + math.log(c) for c in range(1, 256)))
"""The tf factor 1 + ln(count), by count (a title's stems repeated and a 60-word lead stay
far below 256)."""


def vector(counts: Mapping[str, int], weight: Callable[[str], float]) -> Vector:
    """The normalised TF-IDF vector of an article's terms (`counts`: term -> times it holds
    it, e.g. a `Counter` of its terms); `weight(term)` is the term's idf. Built with `map`
    over C functions (a `dict.__getitem__` as `weight` keeps it all in C): a dict
    comprehension calling a Python `weight` per term was a third of the matching's time."""
    if not counts:
        return {}
    found = counts.values()
    tf: Iterable[float] = (
        map(_TF.__getitem__, found) if max(found) < len(_TF) else (1.0 + math.log(c) for c in found)
    )
    raw = list(map(mul, tf, map(weight, counts)))
    norm = math.sqrt(sum(map(mul, raw, raw)))
    if norm == 0.0:
        return {}
    return dict(zip(counts, map(truediv, raw, repeat(norm)), strict=True))


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two normalised vectors (0 when either is empty): the smaller one's terms
    looked up in the other, all in C (`map`), a third quicker than a generator over the
    shared terms."""
    if len(a) > len(b):
        a, b = b, a
    return float(sum(map(mul, a.values(), map(b.get, a, repeat(0.0)))))


def overlap(a: Mapping[str, float], b: Mapping[str, float]) -> tuple[float, float]:
    """(cosine, the largest single term's part of it) of two normalised vectors, (0, 0)
    when they share no term."""
    if len(a) > len(b):
        a, b = b, a
    parts = list(map(mul, a.values(), map(b.get, a, repeat(0.0))))
    if not parts:
        return 0.0, 0.0
    return float(sum(parts)), max(parts)


def pair_score(
    mine: Vector,
    other: Vector,
    numbers: Sequence[str],
    events: Collection[str],
    shared: tuple[float, float] | None = None,
) -> float:
    """How strongly two articles look like one event: their cosine without its largest
    term's part, plus `number_bonus` for `numbers` (the first article's rare numbers) and
    `event_bonus` for `events` (its event types, `event_terms`). `shared`: their `overlap`,
    when the caller has it already."""
    found, largest = overlap(mine, other) if shared is None else shared
    score = found - largest
    if numbers:
        score += number_bonus(numbers, other)
    if events:
        score += event_bonus(mine, other, events)
    return score


def most_bonus(numbers: Sequence[str], events: Collection[str]) -> float:
    """The most `pair_score` can add to a cosine for an article with these rare numbers and
    event types: a story whose best cosine plus this stays under `SAME_STORY` need not be
    scored."""
    return NUMBER_BONUS * min(len(numbers), MAX_NUMBERS) + (EVENT_BONUS if events else 0.0)


def is_number(term: str) -> bool:
    """Whether a term is a number other than a year ("6.2", "280", "2:09:41"; not "2026":
    every article of a year may name it)."""
    return term[0].isdigit() and not (len(term) == 4 and term[:2] in ("19", "20"))


def number_bonus(numbers: Iterable[str], other: Mapping[str, float]) -> float:
    """`NUMBER_BONUS` for each of `numbers` (an article's rare numbers) that `other` (another
    article's vector, or any mapping keyed by its terms) holds, at most `MAX_NUMBERS`."""
    return NUMBER_BONUS * min(sum(map(other.__contains__, numbers)), MAX_NUMBERS)


EVENT_TERMS = frozenset(term for word in EVENTS.split() for term in story_words(word, "en"))
"""The story terms of the lexicon's event types (each is its line's English term, so the
German and French words of a line are the same term)."""


def event_terms(terms: Iterable[str]) -> frozenset[str]:
    """The event types among an article's terms (see `EVENT_TERMS`), found in C (a
    comprehension cost 2.6 µs per article)."""
    return EVENT_TERMS.intersection(terms)


def event_bonus(
    mine: Mapping[str, float], other: Mapping[str, float], events: Collection[str]
) -> float:
    """`EVENT_BONUS` when `other` holds one of `events` (the event types of the article
    `mine`) and the two share `EVENT_SHARED` terms or more, else 0. Measured (session 10):
    many reports the matcher left alone (scene ledes, analysis pieces) share three to five
    words with the wire report, one of them the event's type; distractors share the
    company and the place, rarely the type."""
    if not any(map(other.__contains__, events)):
        return 0.0
    shared = sum(map(other.__contains__, mine))
    return EVENT_BONUS if shared >= EVENT_SHARED else 0.0
