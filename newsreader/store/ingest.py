"""Writing what the sync fetched: one transaction per feed.

The hot path of the store (100,000 entries must ingest in well under 30 s). Before the write
lock is taken, each entry becomes column values and a content hash; the costlier parts (plain
text for the index, image URLs) are computed only for entries that are new or changed, so a
re-fetch of an unchanged feed writes next to nothing. Rows go in with `executemany`, index
rows in ascending key order (FTS5 then writes one segment per feed, not one per row).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from newsreader.failures import Cause
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.store.codec import authors_json, strings_json, to_ts
from newsreader.store.decide import Known, Update, decide_entries, sort_date
from newsreader.store.feeds import FeedMixin
from newsreader.store.followups import FollowUpMixin
from newsreader.store.rules import RuleMixin
from newsreader.store.schema import (
    INDEX_DELETE,
    INDEX_DELETE_VALUES_FULL,
    SEARCH_KEY_SQL,
    index_content,
    index_values,
    search_key,
)
from newsreader.store.storyindex import entry_language, lead_text
from newsreader.store.text import shown_images
from newsreader.store.types import (
    FeedIntent,
    FeedWriteResult,
    FetchFailed,
    FetchInfo,
    Gone,
    NewContent,
    NewFollowUp,
    SameContent,
)

_ENTRY_FIELDS = (
    "guid, link, title, authors, published, updated, summary, content, comments_url, "
    "comments_feed, comment_count, image, categories, content_hash"
)
_INSERT_ENTRY = (
    f"INSERT INTO entries(feed_id, first_seen, sort_date, language, {_ENTRY_FIELDS}) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPDATE_ENTRY = (
    "UPDATE entries SET sort_date = ?, language = ?, guid = ?, link = ?, title = ?, authors = ?, "
    "published = ?, updated = ?, summary = ?, content = ?, comments_url = ?, "
    "comments_feed = ?, comment_count = ?, image = ?, categories = ?, content_hash = ?, "
    "hash_changes = ? WHERE id = ?"
)
_DELETE_INDEXED = (
    f"{INDEX_DELETE} SELECT {INDEX_DELETE_VALUES_FULL.format(row='e')} FROM entries e "
    "WHERE e.id = ?",
    "DELETE FROM titles_fts WHERE rowid = (SELECT "
    + SEARCH_KEY_SQL.format(date="sort_date", id="id")
    + " FROM entries WHERE id = ?)",
    "DELETE FROM story_fts WHERE rowid = (SELECT "
    + SEARCH_KEY_SQL.format(date="sort_date", id="id")
    + " FROM entries WHERE id = ?)",
)
_INSERT_FTS = (
    "INSERT INTO entries_fts(rowid, title, summary, content, author) VALUES (?, ?, ?, ?, ?)"
)
_INSERT_TITLE = "INSERT INTO titles_fts(rowid, title) VALUES (?, ?)"


@dataclass(frozen=True, slots=True)
class _Row:
    """One parsed entry as column values (in `_ENTRY_FIELDS` order, the hash last)."""

    entry: ParsedEntry
    values: tuple[object, ...]
    published: int | None
    updated: int | None

    @property
    def guid(self) -> str:
        return self.entry.id

    @property
    def link(self) -> str | None:
        return self.entry.link

    @property
    def title(self) -> str | None:
        return self.entry.title

    @property
    def content_hash(self) -> object:
        return self.values[-1]

    def sort_date(self, first_seen: int, fetched: int) -> int:
        """See `decide.sort_date`."""
        return sort_date(self.published, self.updated, first_seen, fetched)

    def images(self) -> list[str]:
        """The images the entry shows (see `text.shown_images`)."""
        e = self.entry
        return shown_images(e.image, e.summary, e.content, e.enclosures)

    def search_text(self) -> tuple[str | None, str, str, str]:
        """Title, summary, content and author as plain text, for the index."""
        e = self.entry
        return index_values(e.title, e.summary, e.content, str(self.values[3]))


@dataclass(frozen=True, slots=True)
class _Text:
    """What is derived from a written entry's text: the index values (see
    `_Row.search_text`) and its language (from its title and lead)."""

    search: tuple[str | None, str, str, str]
    language: str | None


_EMPTY_JSON_LIST = "[]"  # what authors_json/strings_json write for none, without json.dumps


EntryLanguages = Mapping[str, str | None]
"""Each entry's language (a code, None when undetected) by guid, detected where the feed was
parsed (`detect_languages`)."""


def analyse(row: _Row, languages: EntryLanguages) -> _Text:
    """The row's index values and its language: taken from `languages` when detected there,
    else detected now."""
    search = row.search_text()
    if row.guid in languages:
        return _Text(search, languages[row.guid])
    return _Text(search, _language(search))


def _language(search: tuple[str | None, str, str, str]) -> str | None:
    """The language of an entry's index values (`index_values`): its title and lead."""
    title, summary, content, _ = search
    return entry_language(title, lead_text(summary, content))


def detect_languages(parsed: ParsedFeed) -> dict[str, str | None]:
    """Each entry's language by guid, as the write would detect it (from the index text of
    its title, summary and content). Language detection is most of the Python an entry's
    write costs (~50 µs of ~250): the command line's sync runs this in the parse process
    beside the parse, so its writer thread, which shares the GIL with the event loop, does
    not. Entries are taken as the write takes them (`merge_duplicates`)."""
    languages: dict[str, str | None] = {}
    for entry in merge_duplicates(parsed.entries):
        search = index_values(entry.title, entry.summary, entry.content, _EMPTY_JSON_LIST)
        languages[entry.id] = _language(search)
    return languages


def prepare(entry: ParsedEntry) -> _Row:
    authors = authors_json(entry.authors) if entry.authors else _EMPTY_JSON_LIST
    published, updated = to_ts(entry.published), to_ts(entry.updated)
    fields: tuple[object, ...] = (
        entry.id,
        entry.link,
        entry.title,
        authors,
        published,
        updated,
        entry.summary,
        entry.content,
        entry.comments_url,
        entry.comments_feed,
        entry.comment_count,
        entry.image,
        strings_json(entry.categories) if entry.categories else _EMPTY_JSON_LIST,
    )
    enclosures = tuple((e.url, e.type, e.length) for e in entry.enclosures)
    digest = hashlib.blake2b(repr((fields[1:], enclosures)).encode(), digest_size=16).hexdigest()
    return _Row(entry=entry, values=(*fields, digest), published=published, updated=updated)


def _first(keyed: tuple[int, int, _Row, _Text]) -> int:
    return keyed[0]


def _search_text(row: _Row, text: _Text, article: str | None) -> tuple[str | None, str, str, str]:
    """The entry's index values; with a full article, its text joins the content column."""
    if article is None:
        return text.search
    title, summary, _, author = text.search
    return title, summary, index_content(row.entry.content, article), author


def merge_duplicates(entries: Iterable[ParsedEntry]) -> list[ParsedEntry]:
    """The feed's entries without repeats of a guid; the first one wins (feeds list the
    newest version first). Items with distinct guids stay apart even when they share a link
    (a live blog's or a podcast's items all link one page); an item without a guid has its
    link as guid (the parser's fallback), so such items do merge by link."""
    seen: set[str] = set()
    kept: list[ParsedEntry] = []
    for entry in entries:
        if entry.id not in seen:
            seen.add(entry.id)
            kept.append(entry)
    return kept


FollowUps = Callable[[FeedWriteResult], Sequence[NewFollowUp]]
"""The follow-up jobs a feed's write calls for, given what it wrote (run in its transaction)."""


class IngestMixin(FeedMixin, RuleMixin, FollowUpMixin):
    def apply_feed_intent(
        self,
        intent: FeedIntent,
        follow_ups: FollowUps | None = None,
        languages: EntryLanguages | None = None,
    ) -> FeedWriteResult:
        """Writes what one fetch decided for a feed (`FeedIntent`), in one transaction: the
        feed row and, for `NewContent`, its entries (see `apply_parsed_feed`; `languages`:
        those already detected, `detect_languages`) and the jobs `follow_ups` asks for given
        what was written (queued with `add_follow_ups`, at the fetch time). Returns what was
        written; for any other change only `feed_id` is set. NotFoundError for a feed that
        does not exist."""
        feed_id = intent.feed_id
        match intent.change:
            case NewContent(parsed, fetch):
                return self._write_new_content(feed_id, parsed, fetch, follow_ups, languages)
            case SameContent() as same:
                self.record_not_modified(
                    feed_id,
                    same.fetched_at,
                    same.next_due,
                    etag=same.etag,
                    last_modified=same.last_modified,
                    update_hint_minutes=same.update_hint_minutes,
                    body_sha256=same.body_sha256,
                )
            case FetchFailed(message, at, next_due, retry_not_before, cause):
                self._count_fetch_error(feed_id, message, at, next_due, retry_not_before, cause)
            case Gone(reason):
                self.disable_feed(feed_id, reason, cause=Cause.GONE.name)
        return FeedWriteResult(feed_id=feed_id)

    def apply_parsed_feed(
        self, feed_id: int, parsed: ParsedFeed, fetch: FetchInfo
    ) -> FeedWriteResult:
        """Writes one fetched feed: its metadata, the fetch info, and its entries.

        An entry seen before (same guid; see `decide_entries` for a guid the feed changed)
        is updated in place when its content changed; read/starred/tags/comments stay. New
        entries get first_seen=fetch.fetched_at. Entries purged earlier and still in the feed
        are not added again. Clears the feed's error state. The rules then run, in order, on
        the new entries, in the same transaction (see `RuleMixin`; `age:` counts from
        `fetch.fetched_at`).
        """
        return self._write_new_content(feed_id, parsed, fetch, None, None)

    def _write_new_content(
        self,
        feed_id: int,
        parsed: ParsedFeed,
        fetch: FetchInfo,
        follow_ups: FollowUps | None,
        languages: EntryLanguages | None,
    ) -> FeedWriteResult:
        prepared = [prepare(e) for e in merge_duplicates(parsed.entries)]
        with self._write():
            self._update_feed_row(feed_id, parsed, fetch)
            written = self._write_entries(
                feed_id, prepared, to_ts(fetch.fetched_at) or 0, languages or {}
            )
            ran = self._apply_rules(written.new_entry_ids, fetch.fetched_at, feed_id)
            url = self._scalar("SELECT url FROM feeds WHERE id = ?", (feed_id,))
            written = _without_deleted(replace(written, feed_url=url, rules=ran))
            if follow_ups is not None:
                self.add_follow_ups(follow_ups(written), fetch.fetched_at)
        return written

    def _update_feed_row(self, feed_id: int, parsed: ParsedFeed, fetch: FetchInfo) -> None:
        self._require("feeds", feed_id, "feed")
        conn = self._conn
        hint_minutes = fetch.update_hint_minutes
        if hint_minutes is None and parsed.update_interval is not None:
            hint_minutes = max(1, int(parsed.update_interval.total_seconds() // 60))
        conn.execute(
            "UPDATE feeds SET title = CASE WHEN custom_title THEN title "
            "ELSE coalesce(?, title) END, site_url = coalesce(?, site_url), "
            "icon_url = coalesce(icon_url, ?), update_hint_minutes = ?, etag = ?, "
            "last_modified = ?, last_fetched = ?, next_due = ?, body_sha256 = ?, "
            "error_count = 0, last_error = NULL, last_error_at = NULL, retry_not_before = NULL, "
            "error_cause = NULL "
            "WHERE id = ?",
            (
                parsed.title,
                parsed.link,
                parsed.image,
                hint_minutes,
                fetch.etag,
                fetch.last_modified,
                to_ts(fetch.fetched_at),
                to_ts(fetch.next_due),
                fetch.body_sha256,
                feed_id,
            ),
        )
        if fetch.final_url:
            conn.execute(
                "UPDATE feeds SET url = ? WHERE id = ? "
                "AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?)",
                (fetch.final_url, feed_id, fetch.final_url),
            )

    def _write_entries(
        self, feed_id: int, rows: Sequence[_Row], now: int, languages: EntryLanguages
    ) -> FeedWriteResult:
        conn = self._conn
        known = [
            Known(*values)
            for values in conn.execute(
                "SELECT id, guid, link, title, content_hash, first_seen, comment_count, updated, "
                "hash_changes FROM entries WHERE feed_id = ?",
                (feed_id,),
            )
        ]
        purged = {
            guid
            for (guid,) in conn.execute(
                "SELECT guid FROM purged_entries WHERE feed_id = ?", (feed_id,)
            )
        }
        intents = decide_entries(rows, known, purged)
        inserts, updates = intents.inserts, intents.updates
        incoming = {row.guid for row in rows}
        inserted_texts = [analyse(row, languages) for row in inserts]
        updated_texts = [analyse(u.row, languages) for u in updates]
        new_ids = self._insert_entries(feed_id, inserts, inserted_texts, now)
        articles = self._update_entries(updates, updated_texts, now)
        written = [
            *(
                (id_, row.sort_date(now, now), row, text)
                for id_, row, text in zip(new_ids, inserts, inserted_texts, strict=True)
            ),
            *(
                (u.known.id, u.row.sort_date(u.known.first_seen, now), u.row, text)
                for u, text in zip(updates, updated_texts, strict=True)
            ),
        ]
        images = self._write_children(written, articles)
        fresh = set(new_ids)
        conn.executemany(
            "INSERT OR IGNORE INTO story_queue(entry_id) VALUES (?)",
            [(id_,) for id_, _, _, _ in written],
        )
        stale = purged - incoming
        if rows and stale:
            conn.executemany(
                "DELETE FROM purged_entries WHERE feed_id = ? AND guid = ?",
                [(feed_id, guid) for guid in stale],
            )
        return FeedWriteResult(
            feed_id=feed_id,
            new_entry_ids=tuple(new_ids),
            updated_entry_ids=tuple(u.known.id for u in updates),
            skipped_purged=intents.skipped_purged,
            new_images=tuple((id_, url) for id_, url, _ in images if id_ in fresh),
            comment_feeds=_comment_feeds(new_ids, inserts, updates),
            new_entry_guids=tuple(
                (id_, row.guid) for id_, row in zip(new_ids, inserts, strict=True)
            ),
        )

    def _insert_entries(
        self, feed_id: int, rows: Sequence[_Row], texts: Sequence[_Text], now: int
    ) -> list[int]:
        """Inserts in one `executemany`, then reads the new ids back: under the write lock,
        new rowids are above the largest one before."""
        if not rows:
            return []
        conn = self._conn
        before = conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0]
        conn.executemany(
            _INSERT_ENTRY,
            [
                (feed_id, now, r.sort_date(now, now), t.language, *r.values)
                for r, t in zip(rows, texts, strict=True)
            ],
        )
        ids = dict(
            conn.execute(
                "SELECT guid, id FROM entries WHERE id > ? AND feed_id = ?", (before, feed_id)
            ).fetchall()
        )
        return [ids[r.guid] for r in rows]

    def _update_entries(
        self, updates: Sequence[Update[_Row]], texts: Sequence[_Text], now: int
    ) -> dict[int, str]:
        """Rewrites changed entries; their index rows, enclosures and image references go
        first (the index row is found by the entry's old date). Returns the text of the full
        articles these entries have (entry id -> text): their index rows hold it too."""
        if not updates:
            return {}
        conn = self._conn
        ids = [(u.known.id,) for u in updates]
        articles: dict[int, str] = {}
        for (entry_id,) in ids:
            found = conn.execute(
                "SELECT text FROM full_texts WHERE entry_id = ? AND status = 'ok'", (entry_id,)
            ).fetchone()
            if found is not None:
                articles[entry_id] = found[0]
        for statement in _DELETE_INDEXED:
            conn.executemany(statement, ids)
        conn.executemany("DELETE FROM enclosures WHERE entry_id = ?", ids)
        conn.executemany("DELETE FROM entry_images WHERE entry_id = ?", ids)
        conn.executemany(
            _UPDATE_ENTRY,
            [
                (
                    u.row.sort_date(u.known.first_seen, now),
                    text.language,
                    *u.row.values,
                    u.hash_changes,
                    u.known.id,
                )
                for u, text in zip(updates, texts, strict=True)
            ],
        )
        return articles

    def _write_children(
        self, written: Sequence[tuple[int, int, _Row, _Text]], articles: dict[int, str]
    ) -> list[tuple[int, str, int]]:
        """The index row (with the text of the entry's full article, `articles`),
        enclosures and image references of each written entry; returns the image references
        (entry id, URL, position)."""
        conn = self._conn
        search = {id_: _search_text(row, text, articles.get(id_)) for id_, _, row, text in written}
        # the rules' probe index takes the new entries' text from here
        self.written_text = search
        keyed = sorted(
            ((search_key(date, id_), id_, row, text) for id_, date, row, text in written),
            key=_first,
        )
        conn.executemany(_INSERT_FTS, [(key, *search[id_]) for key, id_, _, _ in keyed])
        conn.executemany(_INSERT_TITLE, [(key, row.entry.title) for key, _, row, _ in keyed])
        conn.executemany(
            "INSERT OR IGNORE INTO enclosures(entry_id, url, type, length) VALUES (?, ?, ?, ?)",
            [
                (id_, e.url, e.type, e.length)
                for id_, _, row, _ in written
                for e in row.entry.enclosures
            ],
        )
        images = [
            (id_, url, position)
            for id_, _, row, _ in written
            for position, url in enumerate(row.images())
        ]
        conn.executemany(
            "INSERT INTO entry_images(entry_id, url, position) VALUES (?, ?, ?)", images
        )
        return images


def _without_deleted(written: FeedWriteResult) -> FeedWriteResult:
    """`written` without the new entries its rules deleted."""
    if not written.rules.deleted:
        return written
    gone = set(written.rules.deleted)
    return replace(
        written,
        new_entry_ids=tuple(i for i in written.new_entry_ids if i not in gone),
        new_images=tuple(pair for pair in written.new_images if pair[0] not in gone),
        comment_feeds=tuple(pair for pair in written.comment_feeds if pair[0] not in gone),
        new_entry_guids=tuple(pair for pair in written.new_entry_guids if pair[0] not in gone),
    )


def _comment_feeds(
    new_ids: Sequence[int], inserts: Sequence[_Row], updates: Sequence[Update[_Row]]
) -> tuple[tuple[int, str], ...]:
    """(entry id, comment feed) worth fetching: a new entry unless it announces no comments
    (a count of 0), and a known entry whose announced count changed."""
    wanted: list[tuple[int, str]] = []
    for id_, row in zip(new_ids, inserts, strict=True):
        feed, count = row.entry.comments_feed, row.entry.comment_count
        if feed and count != 0:
            wanted.append((id_, feed))
    for update in updates:
        feed, count = update.row.entry.comments_feed, update.row.entry.comment_count
        if feed and count is not None and count != update.known.comment_count:
            wanted.append((update.known.id, feed))
    return tuple(wanted)
