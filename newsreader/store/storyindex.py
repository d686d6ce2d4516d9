"""Putting each new article into its story, incrementally (see `Store.match_queued_stories`).

For an entry (its terms: see `stories.similarity`):
1. its terms go into `story_fts` under its search key (date in the high bits);
2. candidates: the `CANDIDATES` newest articles of other feeds within `WINDOW` of its date
   that hold any of its `QUERY_TERMS` rarest terms;
3. each candidate's story is scored against the entry: the mean of the highest score to a
   member and the mean score to its members (the `MEMBERS_PER_STORY` newest from other
   feeds, within the window), a score being the cosine less its largest term's part, plus
   the bonus for rare numbers both hold (`similarity.pair_score`; a number is rare when at
   most `RARE_NUMBER` of the index's articles hold it). Mean and maximum together keep one
   look-alike member (same names and place, another event) from pulling an article in, and
   let a short article join on its best match;
4. the best story at or above `SAME_STORY` takes the entry (at or above `SAME_FEED_AGAIN`
   when the story already holds an article of the entry's feed within the window), else it
   starts its own (story id = its entry id), unless a candidate story of two feeds or more
   whose members hold many of its terms between them gives it a second chance
   (`similarity.SECOND_CHANCE`). A member with a cosine of `COPY` or more makes it a copy
   of that member.

Steps 2 and 3 read an in-memory window (`_Window`: the matched articles around the batch's
dates, with an inverted index of their terms), read from `story_fts` and `entry_stories`
once and then kept up to date as articles are matched; it is read afresh when another
connection committed or entries were deleted. One SQL query per article for the candidates
and one for their members cost more than everything else of the matching (and, in a first
account sync of 5,000 look-alike items, grew with the stories' size).

Document frequencies come from the index itself (an `fts5vocab` table), read whole once per
connection and then counted along as articles are indexed; as the index grows by a tenth
they are read afresh if another connection committed or rows left the index (other writers
make them drift, slowly).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right, insort
from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import chain, compress, filterfalse, islice, repeat
from operator import attrgetter

from newsreader.store.schema import ID_MASK, search_key
from newsreader.store.text import index_text
from newsreader.stories.language import SAMPLE_CHARS, detect_language
from newsreader.stories.similarity import (
    COPY,
    SAME_FEED_AGAIN,
    SAME_STORY,
    SECOND_CHANCE,
    SECOND_CHANCE_SOURCES,
    SECOND_CHANCE_TERMS,
    Vector,
    cosine,
    event_terms,
    idfs,
    is_number,
    most_bonus,
    overlap,
    pair_score,
    story_terms,
    vector,
)

DAY = 86_400
WINDOW = 2 * DAY
"""How far apart (seconds, either way) two reports of one event may be published."""
QUERY_TERMS = 17
"""An article's highest-weighted terms that find its candidates. 15 rather than 10 (session
10): an analysis piece's 10 rarest terms are mostly its own words, which no other report
holds. On the labelled sets: d recall 0.65 -> 0.67, e 0.60 -> 0.63, no pair lost; 12 cost d
precision (0.94), 18 gave d recall 0.71 and 20 cost c recall (0.78): 15 is inside the band.
About +1 % instructions of the generated 2,000-article ingest (callgrind). 17 since session
11 (with the second chance, which needs the story among the candidates): d 0.93/0.84 ->
1.00/0.88, every other set the same; 16 as 15, 17 to 20 the same pairs, 25 d recall 0.78.
The lowest end of that band, for its cost: +0.55 % instructions of the generated 2,000-article
ingest against 15 (18: +0.83 %)."""
CANDIDATES = 40
CANDIDATE_STORIES = 5  # the stories scored: those with the most candidates
MEMBERS_PER_STORY = 5  # the newest members a new article is compared with, per story
RARE_NUMBER = (5, 2_000)
"""A number counts for the bonus when at most max(5, articles / 2,000) articles of the index
hold it ("14" percent is everywhere in a large store, "6.2" million less so)."""
_DIGITS = frozenset("0123456789")
BACKFILL_DAYS = 14
WINDOW_ARTICLES = 50_000
"""Articles the in-memory window holds before it keeps only those a batch needs (a long
sync of recent articles: the last few days; a feed's back catalogue may need more)."""
_RECOUNT_EVERY = 2_000  # articles indexed before the counts are read afresh (at least)
_MAX_VECTORS = 20_000  # cached vectors of recent articles
_VOCAB = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.story_vocab USING fts5vocab(main, story_fts, row)"
_LOAD = (
    "SELECT s.rowid, s.terms, st.story_id, st.copy_of, e.feed_id FROM story_fts s "
    f"JOIN entry_stories st ON st.entry_id = (s.rowid & {ID_MASK}) "
    "JOIN entries e ON e.id = st.entry_id WHERE s.rowid BETWEEN ? AND ?"
)


@dataclass(frozen=True, slots=True)
class StoryInput:
    """What story matching reads of one written entry: `text` is its plain summary (or
    content when it has no summary); `sort_date` unix seconds."""

    entry_id: int
    feed_id: int
    sort_date: int
    title: str | None
    text: str
    language: str | None


@dataclass(frozen=True, slots=True)
class _Member:
    """An article already in a story, as the window holds it (`terms`: space-separated)."""

    entry_id: int
    story_id: int
    copy_of: int | None
    feed_id: int
    terms: str


_story_of = attrgetter("story_id")


def lead_text(summary_text: str, content_text: str) -> str:
    """The text an entry's lead and language are taken from: its summary, else content."""
    return summary_text if summary_text.strip() else content_text


def entry_language(title: str | None, text: str) -> str | None:
    """The language of an entry from its title and (plain) lead text."""
    return detect_language(f"{title or ''}. {text[:SAMPLE_CHARS]}")  # all the model reads


class _Window:
    """The articles already in stories whose search keys lie in [`low`, `high`], in memory:
    each one's feed, story and terms, an inverted index (term -> ascending keys) and each
    story's member keys (ascending). It replaces an FTS5 query and a query for the members
    per new article: a sync writes its articles in batches whose windows mostly overlap, so
    the window is read from the store once and then only grows with what is matched.

    An article taken out (`forget`) stays in the key lists; readers skip keys that no longer
    lead to an article of that story."""

    def __init__(self) -> None:
        self.low = 0
        self.high = -1  # empty
        self.articles: dict[int, _Member] = {}  # search key -> article
        self._key_of: dict[int, int] = {}  # entry id -> search key
        self._feed_of: dict[int, int] = {}  # search key -> feed id, of `articles`
        self._postings: defaultdict[str, list[int]] = defaultdict(list)
        self._members: defaultdict[int, list[int]] = defaultdict(list)  # story id -> keys
        self._newest = -1  # no key in the lists above is larger

    def clear(self) -> None:
        """Forgets everything (the store changed behind the window's back)."""
        self.low, self.high = 0, -1
        self.articles.clear()
        self._key_of.clear()
        self._feed_of.clear()
        self._postings.clear()
        self._members.clear()
        self._newest = -1

    def covers(self, low: int, high: int) -> bool:
        return self.low <= low and high <= self.high

    def load(self, conn: sqlite3.Connection, low: int, high: int) -> None:
        """Makes the window cover [`low`, `high`] (search keys), reading what it lacks. A
        window grown past `WINDOW_ARTICLES` first keeps only what lies in that span; a span
        apart from the window's starts it afresh."""
        if len(self.articles) > WINDOW_ARTICLES:
            self._keep(low, high)
        if self.covers(low, high):
            return
        if self.high < self.low or high < self.low or low > self.high:
            self.clear()
            self._read(conn, [(low, high)])
            self.low, self.high = low, high
            return
        spans = [(low, self.low - 1)] if low < self.low else []
        if high > self.high:
            spans.append((self.high + 1, high))
        self._read(conn, spans)
        self.low, self.high = min(low, self.low), max(high, self.high)

    def _keep(self, low: int, high: int) -> None:
        """Drops the articles outside [`low`, `high`] (nothing when the window lies within:
        a batch of dates spread wide, such as a feed's back catalogue, keeps it whole)."""
        if low <= self.low and self.high <= high:
            return
        kept = sorted((k, m) for k, m in self.articles.items() if low <= k <= high)
        span = (max(low, self.low), min(high, self.high))
        self.clear()
        for key, member in kept:  # in key order: the key lists stay sorted
            self._put(key, member, set(member.terms.split()))
        if span[0] <= span[1]:
            self.low, self.high = span

    def _read(self, conn: sqlite3.Connection, spans: list[tuple[int, int]]) -> None:
        touched: set[str] = set()
        stories: set[int] = set()
        for low, high in spans:
            for key, terms, story_id, copy_of, feed_id in conn.execute(_LOAD, (low, high)):
                distinct = set(terms.split())
                self._put(key, _Member(key & ID_MASK, story_id, copy_of, feed_id, terms), distinct)
                touched |= distinct
                stories.add(story_id)
        for term in touched:
            self._postings[term].sort()
        for story_id in stories:
            self._members[story_id].sort()

    def add(self, key: int, member: _Member, terms: Iterable[str]) -> None:
        """A newly matched article; `terms`: its distinct terms."""
        self.articles[key] = member
        self._key_of[member.entry_id] = key
        self._feed_of[key] = member.feed_id
        lists = list(map(self._postings.__getitem__, terms))
        lists.append(self._members[member.story_id])
        if key > self._newest:  # the newest article (as in a sync): an append everywhere
            self._newest = key
            deque(map(list.append, lists, repeat(key)), maxlen=0)  # the appends in C
            return
        for keys in lists:
            if keys and keys[-1] > key:
                insort(keys, key)
            else:
                keys.append(key)

    def _put(self, key: int, member: _Member, terms: set[str]) -> None:
        """An article read from the store, `terms` its distinct terms (the caller sorts the
        key lists after)."""
        self.articles[key] = member
        self._key_of[member.entry_id] = key
        self._feed_of[key] = member.feed_id
        self._newest = max(self._newest, key)
        postings = self._postings
        for term in terms:
            postings[term].append(key)
        self._members[member.story_id].append(key)

    def alone(self, story_id: int) -> int | None:
        """The key of the story's one article when it holds exactly one in the window."""
        found = None
        articles = self.articles
        for key in self._members.get(story_id, ()):
            member = articles.get(key)
            if member is not None and member.story_id == story_id:
                if found is not None:
                    return None
                found = key
        return found

    def move(self, key: int, story_id: int) -> None:
        """Puts the article at `key` into another story (its old story's key list keeps the
        key; readers skip it)."""
        self.articles[key] = replace(self.articles[key], story_id=story_id)
        keys = self._members[story_id]
        if keys and keys[-1] > key:
            insort(keys, key)
        else:
            keys.append(key)

    def forget(self, entry_id: int) -> None:
        """Takes an article out (its text changed: it is matched again)."""
        key = self._key_of.pop(entry_id, None)
        if key is not None:
            self.articles.pop(key, None)
            self._feed_of.pop(key, None)

    def candidates(
        self, terms: Sequence[str], low: int, high: int, feed_id: int, limit: int, stories: int
    ) -> list[int]:
        """The stories of the `limit` newest articles (keys in [`low`, `high`]) of other
        feeds than `feed_id` that hold any of `terms`: at most `stories` of them, those with
        the most of these articles first (then the newest)."""
        found = self._newest_of_others(terms, low, high, feed_id, limit)
        # story id -> articles found, newest story first
        hits = Counter(map(_story_of, map(self.articles.__getitem__, found)))
        return sorted(hits, key=hits.__getitem__, reverse=True)[:stories]  # stable

    def _newest_of_others(
        self, terms: Sequence[str], low: int, high: int, feed_id: int, limit: int
    ) -> list[int]:
        """The keys of the `limit` newest articles in [`low`, `high`] of other feeds that
        hold any of `terms`, newest first.

        Only the newest `span` keys of each term's postings are merged (slicing and sorting
        in C); the walk over them, which skips the feed's own articles, is exact while it
        stays at or above the oldest key a cut list still holds. Should it reach below that
        before finding `limit`, it runs again with longer cuts. (Taking `limit` articles of
        other feeds from each term's list in Python, as before, cost more than all the rest
        of the matching; the walk is made in C too, `compress` over the keys' feeds.)"""
        feed_of = self._feed_of
        other = feed_id.__ne__  # a key no longer in the window counts as of `feed_id`
        postings = [keys for keys in map(self._postings.get, terms) if keys]
        span = 2 * limit
        while True:
            spans = []
            bound = low  # every key of the terms' lists at or above it is walked
            cut = False
            for keys in postings:
                end = bisect_right(keys, high)
                start = bisect_left(keys, low, 0, end)
                if end - start > span:
                    start = end - span
                    bound = max(bound, keys[start])
                    cut = True
                spans.append((keys, start, end))
            pool: set[int] = set()
            for keys, start, end in spans:  # only the keys at or above the bound
                pool.update(keys[bisect_left(keys, bound, start, end) if cut else start : end])
            walked = sorted(pool, reverse=True)
            feeds = map(feed_of.get, walked, repeat(feed_id))
            found = list(islice(compress(walked, map(other, feeds)), limit))
            if len(found) == limit or not cut:  # enough, or every key was walked
                return found
            span *= 4

    def holds_feed(self, story_id: int, feed_id: int, low: int, high: int) -> bool:
        """Whether the story holds an article of `feed_id` with a key in [`low`, `high`]."""
        keys = self._members.get(story_id, [])
        articles = self.articles
        for key in keys[bisect_left(keys, low) : bisect_right(keys, high)]:
            member = articles.get(key)
            if member is not None and member.story_id == story_id and member.feed_id == feed_id:
                return True
        return False

    def members(
        self, story_id: int, low: int, high: int, feed_id: int, limit: int
    ) -> list[_Member]:
        """The story's `limit` newest members with keys in [`low`, `high`] from other feeds
        than `feed_id`."""
        keys = self._members.get(story_id, [])
        found: list[_Member] = []
        seen: set[int] = set()
        index = bisect_right(keys, high) - 1
        while index >= 0 and len(found) < limit:
            key = keys[index]
            if key < low:
                break
            index -= 1
            member = self.articles.get(key)
            if (
                member is not None
                and member.story_id == story_id
                and member.feed_id != feed_id
                and key not in seen
            ):
                seen.add(key)
                found.append(member)
        return found


Looked = list[tuple[list["_Member"], list[Vector], float | None]]
"""The candidate stories an entry was compared with: members, their vectors, the story's
score when it was made (None when the cosines alone ruled it out)."""


def story_score(scores: Sequence[float]) -> float:
    """A candidate story's score from its members' pair scores: the mean of the best one and
    of all of them."""
    return (max(scores) + sum(scores) / len(scores)) / 2


def holds_terms(mine: Vector, vectors: Sequence[Vector]) -> bool:
    """Whether the members' `vectors` hold `SECOND_CHANCE_TERMS` or more of the article's
    terms between them (the second chance's word rule)."""
    held = set().union(*vectors)
    return sum(map(held.__contains__, mine)) >= SECOND_CHANCE_TERMS


class StoryIndex:
    """Story assignment on one connection (the caller holds the write transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        """Call outside a transaction (or inside one that will commit): it creates the
        connection's temporary vocabulary table, which a rollback would take back."""
        self._conn = conn
        conn.execute(_VOCAB)
        self._df: Counter[str] = Counter()  # term -> articles of the index holding it
        self._idf: dict[str, float] = {}  # of the current counts
        self._n = 0
        self._since_count = _RECOUNT_EVERY  # forces a first `_read_counts`
        self._counted_version: int | None = None  # `data_version` at the last reading
        self._vectors: dict[int, Vector] = {}
        self._vectors_n = 0  # the article count the cached vectors were weighed with
        self._unused: set[int] = set()  # see `add`
        self._window = _Window()
        self._seen: tuple[int, int] | None = None  # see `_state`
        # Candidate stories looked at, and those scored (past the cosine skip in `_assign`).
        # When most are scored (look-alike articles, as in the sync benchmark), each
        # member's cosine and largest shared term are made at once (`overlap`) instead of
        # its cosine and then both again for the score; when few are (the generated
        # benchmark's random words), the cosine alone is cheaper. The scores are the same.
        self._looked = 0
        self._passed = 0
        self._moved: list[tuple[int, int]] = []  # (story id, entry id) of articles moved

    def add(self, items: Sequence[StoryInput]) -> None:
        """Indexes the entries' terms and puts each into a story, oldest first. Entries
        already in a story are taken out first (a changed text is matched afresh)."""
        if not items:
            return
        conn = self._conn
        if self._state() != self._seen:
            self._window.clear()  # another connection wrote, or entries were deleted
        ordered = sorted(items, key=lambda i: (i.sort_date, i.entry_id))
        made = [story_terms(i.title, i.text, i.language) for i in ordered]
        counts = list(map(Counter, made))
        joined = list(map(" ".join, made))
        keys = [search_key(i.sort_date, i.entry_id) for i in ordered]
        ids = [i.entry_id for i in ordered]
        conn.executemany("DELETE FROM entry_stories WHERE entry_id = ?", zip(ids))
        window = self._window
        for entry_id in ids:
            window.forget(entry_id)
        conn.executemany(
            "INSERT INTO story_fts(rowid, terms) VALUES (?, ?)", zip(keys, joined, strict=True)
        )
        self._count(counts)
        window.load(
            conn,
            search_key(max(ordered[0].sort_date - WINDOW, 0), 1),
            search_key(ordered[-1].sort_date + WINDOW, ID_MASK),
        )
        assigned = []
        vectors = self._vectors
        # one at a time: each may join a story the previous one began
        for item, key, found, text in zip(ordered, keys, counts, joined, strict=True):
            vectors.pop(item.entry_id, None)
            story_id, copy_of, looked = self._assign(item, found)
            assigned.append((item.entry_id, story_id, copy_of))
            window.add(key, _Member(item.entry_id, story_id, copy_of, item.feed_id, text), found)
            if story_id != item.entry_id and looked:
                self._gather(item, story_id, looked)  # the second chance of those before it
        conn.executemany(
            "INSERT INTO entry_stories(entry_id, story_id, copy_of) VALUES (?, ?, ?)", assigned
        )
        if self._moved:
            conn.executemany(
                "UPDATE entry_stories SET story_id = ? WHERE entry_id = ?", self._moved
            )
            self._moved.clear()
        # Each article's vector served the batch's later articles; one that none of them
        # compared with is weighed afresh by the batch that first does (as before it was
        # kept: the weights of a young store move, and the stories with them).
        for entry_id in self._unused:
            self._vectors.pop(entry_id, None)
        self._unused.clear()
        self._seen = self._state()

    def _state(self) -> tuple[int, int]:
        """What tells whether the window still shows the store: the count of other
        connections' commits (`data_version`) and the number of matched entries (a deleted
        entry lowers it; only `add` raises it)."""
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        matched = self._conn.execute("SELECT count(*) FROM entry_stories").fetchone()[0]
        return version, matched

    def _count(self, added: Collection[Counter[str]]) -> None:
        """Keeps the article count and the document frequencies up to date with the articles
        just indexed. Other writers (another process, a purge) make them drift: every
        `_RECOUNT_EVERY` articles or a tenth of the index they are read afresh if they may
        have (`_drifted`). Cached vectors are
        dropped whenever the index grew by a tenth, so a young store's weights follow it
        closely."""
        self._df.update(chain.from_iterable(added))  # each article's terms once, in C
        count = len(added)
        self._n += count
        self._idf.clear()
        self._since_count += count
        if self._since_count >= max(_RECOUNT_EVERY, self._n // 10):
            if self._drifted():
                self._read_counts()
            else:
                self._since_count = 0
        if self._n > self._vectors_n * 1.1 or len(self._vectors) > _MAX_VECTORS:
            self._vectors.clear()
            self._vectors_n = self._n

    def _drifted(self) -> bool:
        """Whether the index may hold other counts than those kept: another connection
        committed since they were read, or rows left the index (this connection adds rows
        only through `add`, which counts them, so the index holds fewer rows than counted
        exactly when some were deleted: an entry's changed text, a purge). Otherwise a
        reading would find the very counts kept, at the cost of a pass over the whole
        vocabulary: skipping those passes took 12 % out of what matching and language add
        to the generated 4,000-article ingest (instructions, callgrind)."""
        conn = self._conn
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._counted_version:
            return True
        return bool(conn.execute("SELECT count(*) FROM story_fts").fetchone()[0] != self._n)

    def _read_counts(self) -> None:
        """Reads the article count and every term's document frequency from the index: one
        pass over `fts5vocab` (0.2 s CPU for 100,000 articles, ~8 µs per term; a lookup of
        listed terms cost ~50 µs per term and had to be made for every batch's new terms)."""
        conn = self._conn
        self._counted_version = conn.execute("PRAGMA data_version").fetchone()[0]
        df: Counter[str] = Counter()
        df.update(dict(conn.execute("SELECT term, doc FROM temp.story_vocab")))
        self._df = df
        self._n = conn.execute("SELECT count(*) FROM story_fts").fetchone()[0]
        self._since_count = 0

    def _weighed(self, counts: Counter[str]) -> Vector:
        """The vector of terms counted so (idfs of the current counts, kept until they
        change: the articles of a batch share most of their words)."""
        cached = self._idf
        missing = list(filterfalse(cached.__contains__, counts))
        if missing:
            weights = idfs(map(self._df.get, missing, repeat(0)), self._n)
            cached.update(zip(missing, weights, strict=True))
        return vector(counts, cached.__getitem__)

    def _vector(self, entry_id: int, terms: str) -> Vector:
        found = self._vectors.get(entry_id)
        self._unused.discard(entry_id)
        if found is None:
            found = self._vectors[entry_id] = self._weighed(Counter(terms.split()))
        return found

    def _assign(self, item: StoryInput, terms: Counter[str]) -> tuple[int, int | None, Looked]:
        """(story id, copy of, the candidate stories compared with) for one entry."""
        own: tuple[int, int | None, Looked] = (item.entry_id, None, [])
        if not terms:
            return own
        mine = self._vectors[item.entry_id] = self._weighed(terms)
        self._unused.add(item.entry_id)
        low = search_key(max(item.sort_date - WINDOW, 0), 1)
        high = search_key(item.sort_date + WINDOW, ID_MASK)
        window = self._window
        rarest = sorted(mine, key=mine.__getitem__, reverse=True)[:QUERY_TERMS]
        stories = [
            window.members(story_id, low, high, item.feed_id, MEMBERS_PER_STORY)
            for story_id in window.candidates(
                rarest, low, high, item.feed_id, CANDIDATES, CANDIDATE_STORIES
            )
        ]
        if not any(stories):
            return own  # nothing to score (about half the generated benchmark's articles)
        numbers = self._rare_numbers(terms)
        events = event_terms(terms)
        bonus = most_bonus(numbers, events)
        best: tuple[float, int, float, _Member] | None = None
        looked: Looked = []
        for members in stories:
            if not members:
                continue
            story_id = members[0].story_id
            vectors = [self._vector(m.entry_id, m.terms) for m in members]
            shared: list[tuple[float, float]] | None = None
            if self._passed * 2 > self._looked:  # most stories get scored: see `__init__`
                shared = [overlap(mine, v) for v in vectors]
                cosines = [found for found, _ in shared]
            else:
                cosines = [cosine(mine, v) for v in vectors]
            top = max(cosines)
            self._looked += 1
            if top + bonus < SAME_STORY:
                looked.append((members, vectors, None))
                continue  # a score is at most its cosine, plus the bonuses
            self._passed += 1
            if shared is None:
                scores = [pair_score(mine, v, numbers, events) for v in vectors]
            else:
                scores = [
                    pair_score(mine, v, numbers, events, pair)
                    for v, pair in zip(vectors, shared, strict=True)
                ]
            score = story_score(scores)
            looked.append((members, vectors, score))
            if score < SAME_STORY or (best is not None and score <= best[0]):
                continue
            if score < SAME_FEED_AGAIN and window.holds_feed(story_id, item.feed_id, low, high):
                continue  # a second article of this feed in the story: needs more
            best = (score, story_id, top, members[cosines.index(top)])
        if best is None:
            best = self._second_chance(item.feed_id, mine, looked, numbers, events, low, high)
        if best is None:
            return (item.entry_id, None, looked)
        _, story_id, top, top_member = best
        copy_of = None
        if top >= COPY:
            copy_of = top_member.copy_of or top_member.entry_id
        return (story_id, copy_of, looked)

    def _second_chance(
        self,
        feed_id: int,
        mine: Vector,
        looked: Looked,
        numbers: Sequence[str],
        events: Collection[str],
        low: int,
        high: int,
    ) -> tuple[float, int, float, _Member] | None:
        """The story an article that would start its own may join after all (see
        `similarity.SECOND_CHANCE`): of the candidate stories `looked` at (members, their
        vectors, the story's score when it was made), the best scoring one that holds
        `SECOND_CHANCE_SOURCES` feeds or more and whose members hold `SECOND_CHANCE_TERMS`
        or more of the article's terms between them, at `SECOND_CHANCE` or more."""
        best: tuple[float, int, float, _Member] | None = None
        for members, vectors, score in looked:
            if len({m.feed_id for m in members}) < SECOND_CHANCE_SOURCES:
                continue
            if not holds_terms(mine, vectors):
                continue
            if score is None:
                score = story_score([pair_score(mine, v, numbers, events) for v in vectors])
            if score < SECOND_CHANCE or (best is not None and score <= best[0]):
                continue
            story_id = members[0].story_id
            if score < SAME_FEED_AGAIN and self._window.holds_feed(story_id, feed_id, low, high):
                continue  # as in `_assign`
            best = (score, story_id, 0.0, members[0])
        return best

    def _gather(self, item: StoryInput, story_id: int, looked: Looked) -> None:
        """The second chance (see `_second_chance`) of the articles that came before: an
        article alone in its story, among the candidate stories (`looked`) the entry just
        put into `story_id` was compared with, moves into that story when it now meets the
        rule there (the entry may have brought the story its second feed or the words it
        shares). Whichever
        order the reports of an event arrive in, a scene lede published before the brief
        gets the same chance as one published after it. Only an article alone in its story
        moves: no other article's story changes, and nothing is recomputed in bulk."""
        window = self._window
        low = search_key(max(item.sort_date - WINDOW, 0), 1)
        high = search_key(item.sort_date + WINDOW, ID_MASK)
        for members, vectors, _ in looked:
            if len(members) != 1 or members[0].story_id == story_id:
                continue
            single = members[0]
            key = window.alone(single.story_id)
            if key is None or window.articles[key].entry_id != single.entry_id:
                continue
            theirs = window.members(story_id, low, high, single.feed_id, MEMBERS_PER_STORY)
            if len({m.feed_id for m in theirs}) < SECOND_CHANCE_SOURCES:
                continue
            mine = vectors[0]
            others = [self._vector(m.entry_id, m.terms) for m in theirs]
            if not holds_terms(mine, others):
                continue
            terms = Counter(single.terms.split())
            numbers = self._rare_numbers(terms)
            events = event_terms(terms)
            score = story_score([pair_score(mine, v, numbers, events) for v in others])
            if score < SECOND_CHANCE:
                continue
            if score < SAME_FEED_AGAIN and window.holds_feed(story_id, single.feed_id, low, high):
                continue  # as in `_assign`
            window.move(key, story_id)
            self._moved.append((story_id, single.entry_id))

    def _rare_numbers(self, terms: Counter[str]) -> list[str]:
        """The numbers among an article's terms that few articles of the index hold (see
        `RARE_NUMBER`)."""
        least, per = RARE_NUMBER
        most = max(least, self._n // per)
        df = self._df
        found = [t for t in terms if t[0] in _DIGITS]  # few: the rest is checked on these
        return [t for t in found if is_number(t) and df.get(t, 0) <= most]


def backfill(conn: sqlite3.Connection) -> None:
    """Languages of all existing entries; stories for those of the newest `BACKFILL_DAYS`
    days (in date order, as if they arrived so)."""
    newest = conn.execute("SELECT max(sort_date) FROM entries").fetchone()[0]
    if newest is None:
        return
    rows = conn.execute(
        "SELECT id, feed_id, sort_date, title, summary, content, NULL FROM entries "
        "ORDER BY sort_date, id"
    ).fetchall()
    inputs = [
        replace(found, language=entry_language(found.title, found.text))
        for found in (queued_input(*row) for row in rows)
    ]
    conn.executemany(
        "UPDATE entries SET language = ? WHERE id = ?",
        [(i.language, i.entry_id) for i in inputs if i.language is not None],
    )
    recent = newest - BACKFILL_DAYS * DAY
    StoryIndex(conn).add([i for i in inputs if i.sort_date >= recent])


def queued_input(
    entry_id: int,
    feed_id: int,
    sort_date: int,
    title: str | None,
    summary: str | None,
    content: str | None,
    language: str | None,
) -> StoryInput:
    """What matching reads of a stored entry (its language was found when it was written).
    The content is read only when the summary has no text (`lead_text`): a caller may pass
    None for it and read it for the inputs whose `text` is blank (`Store.match_queued_stories`)."""
    text = index_text(summary)
    if not text.strip():
        text = index_text(content)
    return StoryInput(entry_id, feed_id, sort_date, title, text, language)
