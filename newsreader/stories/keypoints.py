"""Key points: the two to four sentences that best carry an article, taken verbatim from it.

Only the article's prose is read: captions, figures, asides and tables (`NOT_PROSE`) are left
out, as a caption or a "read more" box is no point of the article. News puts the gist in its
first sentence (the lede of the inverted pyramid; a lead-3 summary is the baseline news
summarisers are measured against, See et al., 2017), so the first usable sentence is always a
key point. The others are chosen by LexRank (Erkan and Radev, 2004): sentences are nodes, an
edge joins two sentences whose TF-IDF cosine (stems, see `words.stems`; idf over the
article's own sentences) is at least `EDGE`, and a sentence's centrality is its PageRank on
that graph, blended with a lead prior (`LEAD_WEIGHT`, decaying with position). Sentences too
short or too long to stand alone are passed over, and so is a sentence the text already said
(the same words, whatever the case, spacing or punctuation: a page repeating one sentence
gave four identical key points); the chosen ones are returned in the article's order. An
article of fewer than twice as many usable sentences as it would get key points gets none:
they would only repeat most of it (a reviewer saw 2 of 3 sentences above a short article).
Only the first `MAX_SENTENCES` sentences are read, which bounds the cost (well under 10 ms
for a long article).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter

from newsreader.stories.sentences import html_to_paragraphs, split_sentences
from newsreader.stories.similarity import Vector, cosine
from newsreader.stories.words import stems

MAX_SENTENCES = 40
MIN_WORDS = 6
MAX_WORDS = 60
EDGE = 0.1
DAMPING = 0.85
LEAD_WEIGHT = 0.3
ITERATIONS = 30
NOT_PROSE = frozenset({"figure", "figcaption", "aside", "table"})


METHOD = b"4"
"""The way key points are chosen, in the hash they are stored with: a new way makes every
stored key point stale, and each is chosen again when its article is next shown (2: the
lede always, prose only, none for a text no longer than its key points; session 9. 3: a
repeated sentence counts once; session 10. 4: none for a text shorter than twice its key
points; session 11)."""

_WORD = re.compile(r"\w+")


def text_hash(markup: str) -> str:
    """The hash key points are stored with: a changed text (or `METHOD`) makes them stale."""
    return hashlib.blake2b(METHOD + markup.encode(), digest_size=16).hexdigest()


def key_points(markup: str, language: str | None) -> list[str]:
    """The key sentences of an article's (sanitised) HTML, in its order: the first usable
    sentence, then the most central others, 2 in all for an article of up to 5 usable
    sentences, 3 up to 15, else 4. Empty when the text holds fewer than twice that many
    usable sentences (the points would be most of the article)."""
    candidates: list[str] = []
    seen: set[str] = set()
    for paragraph in html_to_paragraphs(markup, leave_out=NOT_PROSE):
        for sentence in split_sentences(paragraph, language):
            if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS:
                said = normalised(sentence)
                if said not in seen:
                    seen.add(said)
                    candidates.append(sentence)
        if len(candidates) >= MAX_SENTENCES:
            break
    candidates = candidates[:MAX_SENTENCES]
    count = len(candidates)
    wanted = 2 if count <= 5 else 3 if count <= 15 else 4
    if count < 2 * wanted:
        return []
    scores = _scores([stems(s, language) for s in candidates])
    best = sorted(range(1, count), key=lambda i: -scores[i])[: wanted - 1]
    return [candidates[i] for i in [0, *sorted(best)]]


def normalised(sentence: str) -> str:
    """A sentence's words, case-folded, single-spaced, without punctuation: two sentences
    alike in this are one sentence said twice."""
    return " ".join(_WORD.findall(sentence.casefold()))


def _scores(sentences: list[list[str]]) -> list[float]:
    """LexRank centrality blended with the lead prior, one score per sentence."""
    n = len(sentences)
    df = Counter(t for s in sentences for t in set(s))
    vectors = [_vector(s, df, n) for s in sentences]
    links: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if cosine(vectors[i], vectors[j]) >= EDGE:
                links[i].append(j)
                links[j].append(i)
    rank = [1.0 / n] * n
    for _ in range(ITERATIONS):
        rank = [
            (1 - DAMPING) / n + DAMPING * sum(rank[j] / len(links[j]) for j in links[i])
            for i in range(n)
        ]
    top = max(rank)
    return [(1 - LEAD_WEIGHT) * (r / top) + LEAD_WEIGHT / (1 + i) for i, r in enumerate(rank)]


def _vector(terms: list[str], df: Counter[str], n: int) -> Vector:
    counts = Counter(terms)
    raw = {t: (1 + math.log(c)) * math.log((n + 1) / df[t]) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    return {t: v / norm for t, v in raw.items()} if norm else {}
