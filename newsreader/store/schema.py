"""The schema, as an ordered list of migration steps (sqlite-utils `Migrations`).

A store is upgraded by applying the steps it has not seen yet, in order, each in its own
transaction. To change the schema, append a new step; never edit a released one. Steps run SQL
statement by statement (not `executescript`, which would commit the step's transaction early).

Datetimes are INTEGER unix seconds (UTC): sorting and range queries are index scans.
`entries.sort_date` materialises coalesce(published, updated, first_seen).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from newsreader.errors import StoreError
from newsreader.store.codec import authors_text
from newsreader.store.decide import FUTURE_TOLERANCE
from newsreader.store.text import fold_case, image_urls, index_text

MIGRATION_SET = "newsreader"
ID_BITS = 27
ID_MASK = (1 << ID_BITS) - 1
KEY_DATE_MAX = (1 << 35) - 1  # the year 3058: later (bogus) dates share the last key date
SEARCH_KEY_SQL = f"(min(max({{date}}, 0), {KEY_DATE_MAX}) << {ID_BITS} | {{id}})"
"""The full-text indexes key each entry by its search key: its date (sort_date, clamped to
1970..3058) in the high bits, its id in the low `ID_BITS` bits (ids up to 134 million). Index
order is then entry order by (date, id), so "newest matches first" reads the index backwards
and stops at the limit instead of sorting every match. Format with column expressions for
date and id. Frozen in step 0003's trigger: changing it needs a step that rebuilds."""
MIGRATIONS = Migrations(MIGRATION_SET)
STEP_NAMES: list[str] = []
"""The steps in order; a store that records a step not named here is from a newer version."""


INDEX_DELETE = "INSERT INTO entries_fts(entries_fts, rowid, title, summary, content, author)"
INDEX_DELETE_VALUES = (
    "'delete', " + SEARCH_KEY_SQL.format(date="{row}.sort_date", id="{row}.id") + ", {row}.title, "
    "newsreader_index_text({row}.summary), newsreader_index_text({row}.content), "
    "newsreader_authors_text({row}.authors)"
)
"""`INDEX_DELETE VALUES (...)` or `SELECT ...` of these values (formatted with a table alias,
or `old` in a trigger) removes an entry's `entries_fts` row."""


def index_values(
    title: str | None, summary: str | None, content: str | None, authors: str
) -> tuple[str | None, str, str, str]:
    """What `entries_fts` indexes for an entry, from its stored columns (`authors` is the
    JSON column); deleting the row needs exactly these values again."""
    return title, index_text(summary), index_text(content), authors_text(authors)


def register(conn: sqlite3.Connection) -> None:
    """Adds the SQL functions `INDEX_DELETE` uses, and `newsreader_fold` (`text.fold_case`),
    to a connection."""
    conn.create_function("newsreader_index_text", 1, index_text, deterministic=True)
    conn.create_function("newsreader_fold", 1, _fold_or_null, deterministic=True)
    conn.create_function("newsreader_authors_text", 1, authors_text, deterministic=True)
    conn.create_function("newsreader_index_content", 2, index_content, deterministic=True)


def _fold_or_null(text: str | None) -> str | None:
    return None if text is None else fold_case(str(text))


def search_key(sort_date: int, entry_id: int) -> int:
    """The full-text index row id of an entry (see `SEARCH_KEY_SQL`)."""
    if not 0 < entry_id <= ID_MASK:
        raise StoreError(f"entry id {entry_id} is beyond what the search index can key")
    return min(max(sort_date, 0), KEY_DATE_MAX) << ID_BITS | entry_id


def _run(db: Database, script: str) -> None:
    """Executes each statement of `script` inside the current transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement!r}")


StepFunction = Callable[[Database], None]


def _step(name: str) -> Callable[[StepFunction], StepFunction]:
    STEP_NAMES.append(name)
    return MIGRATIONS(name=name)


@_step("0001_library")
def _library(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE folders (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            parent_id INTEGER REFERENCES folders(id) ON DELETE CASCADE
        );
        CREATE UNIQUE INDEX folders_name ON folders(coalesce(parent_id, 0), name);
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT,
            custom_title INTEGER NOT NULL DEFAULT 0,
            site_url TEXT,
            icon_url TEXT,
            folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL,
            etag TEXT,
            last_modified TEXT,
            last_fetched INTEGER,
            next_due INTEGER,
            error_count INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            last_error_at INTEGER,
            interval_minutes INTEGER,
            update_hint_minutes INTEGER,
            disabled INTEGER NOT NULL DEFAULT 0,
            disabled_reason TEXT,
            added INTEGER NOT NULL
        );
        CREATE INDEX feeds_folder ON feeds(folder_id);
        CREATE INDEX feeds_next_due ON feeds(next_due);
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            link TEXT,
            title TEXT,
            authors TEXT NOT NULL DEFAULT '[]',
            published INTEGER,
            updated INTEGER,
            first_seen INTEGER NOT NULL,
            sort_date INTEGER NOT NULL,
            summary TEXT,
            content TEXT,
            read INTEGER NOT NULL DEFAULT 0,
            starred INTEGER NOT NULL DEFAULT 0,
            comments_url TEXT,
            comments_feed TEXT,
            comment_count INTEGER,
            image TEXT,
            categories TEXT NOT NULL DEFAULT '[]',
            content_hash TEXT NOT NULL,
            UNIQUE (feed_id, guid)
        );
        CREATE INDEX entries_feed_date ON entries(feed_id, sort_date);
        CREATE INDEX entries_date ON entries(sort_date);
        CREATE INDEX entries_feed_link ON entries(feed_id, link) WHERE link IS NOT NULL;
        CREATE INDEX entries_unread ON entries(feed_id) WHERE read = 0;
        CREATE INDEX entries_starred ON entries(sort_date) WHERE starred = 1;
        CREATE TABLE enclosures (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            type TEXT,
            length INTEGER,
            PRIMARY KEY (entry_id, url)
        ) WITHOUT ROWID;
        CREATE TABLE entry_tags (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (entry_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX entry_tags_tag ON entry_tags(tag);
        CREATE TABLE purged_entries (
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            purged_at INTEGER NOT NULL,
            PRIMARY KEY (feed_id, guid)
        ) WITHOUT ROWID;
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


@_step("0002_comments")
def _comments(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            parent_id INTEGER REFERENCES comments(id) ON DELETE SET NULL,
            origin TEXT NOT NULL CHECK (origin IN ('user', 'site')),
            author TEXT,
            body TEXT NOT NULL,
            created INTEGER,
            edited INTEGER,
            deleted INTEGER NOT NULL DEFAULT 0,
            remote_id TEXT,
            link TEXT,
            UNIQUE (entry_id, remote_id)
        );
        CREATE INDEX comments_parent ON comments(parent_id);
        CREATE INDEX comments_user ON comments(entry_id) WHERE origin = 'user';
        """,
    )


@_step("0003_search")
def _search(db: Database) -> None:
    """Full-text indexes of plain text (HTML tags stripped), filled from existing entries.

    `entries_fts` indexes title, summary, content and author for searches. It is contentless
    (it keeps no copy of the text: a third less to write while syncing, a third smaller
    file), so removing an entry's row means handing FTS5 the very text that was indexed:
    `index_values` recomputes it from the entry's stored columns. Changing `index_text` or
    `authors_text` therefore needs a step that rebuilds the index.

    `titles_fts` indexes titles alone, for related coverage (a title-only index has short
    lists of entries per word, so matching titles stays fast even for words every article
    uses); a regular FTS5 table.

    Both are keyed by the search key. The store writes an entry's index rows in the same
    transaction as the entry; a trigger removes them when the entry is deleted (purge,
    unsubscribe), through SQL functions every store connection registers (`register`).
    """
    old_key = SEARCH_KEY_SQL.format(date="old.sort_date", id="old.id")
    _run(
        db,
        f"""
        CREATE VIRTUAL TABLE entries_fts USING fts5(
            title, summary, content, author,
            content = '',
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE titles_fts USING fts5(
            title,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
            {INDEX_DELETE} VALUES ({INDEX_DELETE_VALUES.format(row="old")});
            DELETE FROM titles_fts WHERE rowid = {old_key};
        END;
        CREATE INDEX entries_search ON entries(id, sort_date, feed_id, read, starred);
        """,
    )
    # Merge index segments 16 at a time instead of 4: a fifth less work while syncing,
    # searches stay fast, and `vacuum` optimises the index into one segment anyway.
    db.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('automerge', 16)")
    rows = sorted(  # ascending keys: FTS5 writes one segment instead of many
        (search_key(date, id_), title, summary, content, authors)
        for id_, date, title, summary, content, authors in db.execute(
            "SELECT id, sort_date, title, summary, content, authors FROM entries"
        ).fetchall()
    )
    db.conn.executemany(
        "INSERT INTO entries_fts(rowid, title, summary, content, author) VALUES (?, ?, ?, ?, ?)",
        [
            (key, *index_values(title, summary, content, authors))
            for key, title, summary, content, authors in rows
        ],
    )
    db.conn.executemany(
        "INSERT INTO titles_fts(rowid, title) VALUES (?, ?)",
        [(key, title) for key, title, *_ in rows],
    )


@_step("0004_image_cache")
def _image_cache(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE images (
            url TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            content_type TEXT,
            fetched INTEGER NOT NULL,
            last_used INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX images_last_used ON images(last_used);
        CREATE TABLE entry_images (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (entry_id, url)
        ) WITHOUT ROWID;
        CREATE INDEX entry_images_url ON entry_images(url);
        """,
    )
    rows = db.execute("SELECT id, image, summary, content FROM entries").fetchall()
    db.conn.executemany(
        "INSERT INTO entry_images(entry_id, url, position) VALUES (?, ?, ?)",
        [
            (id_, url, position)
            for id_, image, summary, content in rows
            for position, url in enumerate(image_urls(image, summary, content))
        ],
    )


@_step("0005_sync_state")
def _sync_state(db: Database) -> None:
    """What closes the gaps between the store and the sync.

    - `feeds.body_sha256`: the hash of the last body parsed, so the same bytes are not parsed
      again (NULL for existing feeds: their next 200 is parsed and fills it).
    - `images_path`: several URLs may share one content-addressed file; eviction asks whether
      any row still names a file before the file goes.
    - image enclosures become image references of their entries (after the images they show
      already), so they are kept from eviction with starred and commented entries.
    """
    _run(
        db,
        """
        ALTER TABLE feeds ADD COLUMN body_sha256 TEXT;
        CREATE INDEX images_path ON images(path);
        """,
    )
    after = dict(
        db.execute("SELECT entry_id, max(position) FROM entry_images GROUP BY entry_id").fetchall()
    )
    rows: list[tuple[int, str, int]] = []
    for entry_id, url in db.execute(
        "SELECT en.entry_id, en.url FROM enclosures en WHERE en.type LIKE 'image/%' "
        "AND NOT EXISTS (SELECT 1 FROM entry_images ei WHERE ei.entry_id = en.entry_id "
        "AND ei.url = en.url) ORDER BY en.entry_id, en.url"
    ).fetchall():
        position = after.get(entry_id, -1) + 1
        after[entry_id] = position
        rows.append((entry_id, url, position))
    db.conn.executemany("INSERT INTO entry_images(entry_id, url, position) VALUES (?, ?, ?)", rows)


@_step("0009_accounts")
def _accounts(db: Database) -> None:
    """Feed-server accounts (Google Reader API, Fever API) and the queue of local changes.

    - `accounts`: one row per server account (its password lives in the keyring); `cursor`
      is the sync's own JSON state (newest item time seen, when subscriptions were listed).
    - `feeds.account_id` / `feeds.remote_id`: a feed the server owns, and the server's id of
      it (`feed/12`); NULL for local feeds. Removing an account keeps its feeds as local ones.
    - `remote_items`: the server's item id (a signed 64-bit integer, whichever spelling the
      server used) of each entry it delivered; one entry per item, one item per entry.
    - `pending_changes`: local changes not yet sent, written in the same transaction as the
      change itself. At most one read/unread and one star/unstar change per item (the latest
      replaces an earlier one); subscription changes keep their order (`id`).
    """
    _run(
        db,
        """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('greader', 'fever')),
            url TEXT NOT NULL,
            username TEXT NOT NULL,
            added INTEGER NOT NULL,
            cursor TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'ok', 'offline', 'login-failed', 'error')),
            status_message TEXT,
            last_attempt INTEGER,
            last_sync INTEGER,
            UNIQUE (kind, url, username)
        );
        ALTER TABLE feeds ADD COLUMN account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL;
        ALTER TABLE feeds ADD COLUMN remote_id TEXT;
        CREATE INDEX feeds_account ON feeds(account_id) WHERE account_id IS NOT NULL;
        CREATE TABLE remote_items (
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL,
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            PRIMARY KEY (account_id, item_id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX remote_items_entry ON remote_items(entry_id);
        CREATE TABLE pending_changes (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('read', 'unread', 'star', 'unstar', 'subscribe',
                'unsubscribe', 'rename', 'move')),
            item_id INTEGER,
            feed_url TEXT,
            remote_id TEXT,
            value TEXT,
            previous TEXT,
            queued INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX pending_item_state
            ON pending_changes(account_id, item_id, kind IN ('star', 'unstar'))
            WHERE item_id IS NOT NULL;
        """,
    )


@_step("0010_feed_fetch_options")
def _feed_fetch_options(db: Database) -> None:
    """Per-feed fetch options and the queue of follow-up work.

    - `feeds.user_agent`: the User-Agent this feed is fetched with (NULL: the app's own).
    - `feeds.retry_not_before`: a server's Retry-After (unix s); every sync skips the feed
      until then, unless it is named.
    - `follow_ups`: work a sync queued after its feeds (images, icons, comment feeds, article
      pages), run under a time budget; what a sync did not reach stays for the next one.
      `kind` names the handler, `priority` orders the queue (higher first), `attempts` and
      `not_before` (unix s) pace retries after network failures.
    """
    _run(
        db,
        """
        ALTER TABLE feeds ADD COLUMN user_agent TEXT;
        ALTER TABLE feeds ADD COLUMN retry_not_before INTEGER;
        CREATE TABLE follow_ups (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            url TEXT NOT NULL,
            entry_id INTEGER REFERENCES entries(id) ON DELETE CASCADE,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
            priority INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before INTEGER NOT NULL DEFAULT 0,
            added INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX follow_ups_job ON follow_ups(kind, url, coalesce(entry_id, 0));
        CREATE INDEX follow_ups_order ON follow_ups(priority DESC, id);
        CREATE INDEX follow_ups_entry ON follow_ups(entry_id);
        CREATE INDEX follow_ups_feed ON follow_ups(feed_id);
        """,
    )


@_step("0007_tags_searches_rules")
def _tags_searches_rules(db: Database) -> None:
    """Saved searches, rules, and the entries rules hid.

    - `saved_searches`: a name and a search in the query language, in the user's order.
    - `rules`: a search, a scope (one feed, one folder with its subfolders, or all when both
      are NULL), actions as a JSON list ("read", "star", "hide", "delete", "notify",
      "tag:NAME"), run in `position` order; the last failure is kept like a feed's
      (`error_count`, `last_error`, `last_error_at`). A rule scoped to a feed or folder goes
      with it.
    - `hidden_entries`: entries a rule hid; they leave every view but `is:hidden` until the
      rule goes.
    - `entry_tags` (step 0001) gets an index by tag without case, for `tag:` searches.
    """
    _run(
        db,
        """
        CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            query TEXT NOT NULL,
            position INTEGER NOT NULL,
            created INTEGER NOT NULL
        );
        CREATE TABLE rules (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            query TEXT NOT NULL,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
            folder_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
            actions TEXT NOT NULL,
            position INTEGER NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            error_count INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            last_error_at INTEGER,
            created INTEGER NOT NULL,
            CHECK (feed_id IS NULL OR folder_id IS NULL)
        );
        CREATE INDEX rules_feed ON rules(feed_id);
        CREATE INDEX rules_folder ON rules(folder_id);
        CREATE TABLE hidden_entries (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
            rule_id INTEGER NOT NULL REFERENCES rules(id) ON DELETE CASCADE
        );
        CREATE INDEX hidden_entries_rule ON hidden_entries(rule_id);
        CREATE INDEX entry_tags_tag_nocase ON entry_tags(tag COLLATE NOCASE);
        """,
    )


@_step("0008_stories_language")
def _stories_language(db: Database) -> None:
    """Stories, key points and each entry's language (issue 12; see docs/stories.md).

    - `entries.language`: BCP-47 primary tag ("en"), NULL when unknown.
    - `story_fts`: the terms (stems of title and lead, see `stories.similarity`) of each entry,
      keyed by the search key like the other indexes, so a time window around a date is a
      rowid range. It keeps its text: candidates' terms are read back from it to score them.
    - `entry_stories`: each analysed entry's story (`story_id`: the id of the entry that
      started it, its own id when alone; an entry alone that later joins another story takes
      that story's id, docs/stories.md) and, for a near-identical reprint, the entry it copies.
    - `key_points`: the chosen sentences (JSON list) and the hash of the text they came
      from; a changed text makes them stale.

    Existing entries get their language, and those of the newest `BACKFILL_DAYS` days their
    stories; older ones stay out of stories (their coverage is long over).
    """
    old_key = SEARCH_KEY_SQL.format(date="old.sort_date", id="old.id")
    _run(
        db,
        f"""
        ALTER TABLE entries ADD COLUMN language TEXT;
        CREATE VIRTUAL TABLE story_fts USING fts5(
            terms,
            tokenize = "unicode61 remove_diacritics 0 tokenchars '.,:'",
            detail = none
        );
        CREATE TABLE entry_stories (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL,
            copy_of INTEGER
        );
        CREATE INDEX entry_stories_story ON entry_stories(story_id);
        CREATE TABLE key_points (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
            text_hash TEXT NOT NULL,
            sentences TEXT NOT NULL
        );
        CREATE TRIGGER story_fts_delete AFTER DELETE ON entries BEGIN
            DELETE FROM story_fts WHERE rowid = {old_key};
        END;
        """,
    )
    # Imported here: storyindex imports this module.
    from newsreader.store.storyindex import backfill

    backfill(db.conn)


INDEX_DELETE_VALUES_FULL = (
    "'delete', " + SEARCH_KEY_SQL.format(date="{row}.sort_date", id="{row}.id") + ", {row}.title, "
    "newsreader_index_text({row}.summary), "
    "newsreader_index_content({row}.content, (SELECT ft.text FROM full_texts ft "
    "WHERE ft.entry_id = {row}.id AND ft.status = 'ok')), "
    "newsreader_authors_text({row}.authors)"
)
"""From step 0006 on, `INDEX_DELETE VALUES (...)` or `SELECT ...` of these values removes an
entry's `entries_fts` row: its `content` column holds the feed's content and, once fetched,
the full article's text (`index_content`)."""


def index_content(content: str | None, full_text: str | None) -> str:
    """What the `content` column of `entries_fts` holds: the words of the feed's content, then
    the full article's plain text when there is one."""
    words = index_text(content)
    return f"{words}\n\n{full_text}" if full_text else words


@_step("0006_full_text")
def _full_text(db: Database) -> None:
    """Full articles fetched from entries' pages (docs/fulltext.md).

    - `full_texts`: one row per entry whose page was tried, with how it went (`status`:
      ok, no-article, failed, paywalled; `reason` for the user), the article as sanitised HTML
      and as plain text, and when (`fetched`, unix s). Beside the feed's own text, never
      replacing it; goes with its entry.
    - `full_text_images`: the images the article shows, kept from eviction like the entry's
      own (`entry_images` is rewritten whenever the feed changes the entry).
    - `feeds.full_text`: per feed, when to fetch articles: `auto` (entries whose feed text is a
      teaser), `always`, `never`.
    - Search: the article's text is indexed in the entry's `content` column, so the delete
      trigger is replaced by one that also hands FTS5 the article's text; it runs BEFORE the
      delete, while the cascaded `full_texts` row still exists.
    """
    old_key = SEARCH_KEY_SQL.format(date="old.sort_date", id="old.id")
    _run(
        db,
        f"""
        CREATE TABLE full_texts (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('ok', 'no-article', 'failed', 'paywalled')),
            reason TEXT,
            content TEXT,
            text TEXT,
            fetched INTEGER NOT NULL
        );
        CREATE TABLE full_text_images (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (entry_id, url)
        ) WITHOUT ROWID;
        CREATE INDEX full_text_images_url ON full_text_images(url);
        ALTER TABLE feeds ADD COLUMN full_text TEXT NOT NULL DEFAULT 'auto'
            CHECK (full_text IN ('auto', 'always', 'never'));
        DROP TRIGGER entries_fts_delete;
        CREATE TRIGGER entries_fts_delete BEFORE DELETE ON entries BEGIN
            {INDEX_DELETE} VALUES ({INDEX_DELETE_VALUES_FULL.format(row="old")});
            DELETE FROM titles_fts WHERE rowid = {old_key};
        END;
        """,
    )


@_step("0017_entry_hash_changes")
def _entry_hash_changes(db: Database) -> None:
    """`entries.hash_changes`: how many times in a row the entry was rewritten because its
    content changed while its update date did not (capped by `decide.HASH_CHANGED_LIMIT`)."""
    _run(db, "ALTER TABLE entries ADD COLUMN hash_changes INTEGER NOT NULL DEFAULT 0;")


@_step("0014_rules")
def _rules(db: Database) -> None:
    """Indexes that answer searches and saved-search counts without reading entry rows.

    An entry's row holds its summary and content before `read` and `starred`, so testing
    those flags on a row read through its overflow pages: counting 8,000 recent unread
    entries took a second. The date, feed, unread and starred indexes now also hold the
    flags, feed, id and language the search language tests (same leading columns as before,
    so the same queries use them, and ordered views keep their order), and a count or a
    newest-first page reads only the index.
    """
    _run(
        db,
        """
        DROP INDEX entries_date;
        CREATE INDEX entries_date ON entries(sort_date, id, feed_id, read, starred, language);
        DROP INDEX entries_feed_date;
        CREATE INDEX entries_feed_date ON entries(feed_id, sort_date, id, read, starred);
        DROP INDEX entries_unread;
        CREATE INDEX entries_unread ON entries(feed_id, starred, sort_date, id) WHERE read = 0;
        DROP INDEX entries_starred;
        CREATE INDEX entries_starred ON entries(sort_date, id, feed_id, read) WHERE starred = 1;
        """,
    )


@_step("0011_account_changes")
def _account_changes(db: Database) -> None:
    """Folder changes for feed-server accounts join the queue of local changes.

    - `pending_changes.kind` also takes `rename_folder` (`previous` the old name, `value` the
      new one) and `delete_folder` (`previous` the folder's name, `value` the folder its
      feeds moved to, NULL: none). SQLite cannot change a CHECK constraint, so the table is
      copied into a new one with the wider check; its rows, ids and order are kept.
    """
    _run(
        db,
        """
        CREATE TABLE pending_changes_new (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('read', 'unread', 'star', 'unstar', 'subscribe',
                'unsubscribe', 'rename', 'move', 'rename_folder', 'delete_folder')),
            item_id INTEGER,
            feed_url TEXT,
            remote_id TEXT,
            value TEXT,
            previous TEXT,
            queued INTEGER NOT NULL
        );
        INSERT INTO pending_changes_new(id, account_id, kind, item_id, feed_url, remote_id,
            value, previous, queued)
            SELECT id, account_id, kind, item_id, feed_url, remote_id, value, previous, queued
            FROM pending_changes;
        DROP TABLE pending_changes;
        ALTER TABLE pending_changes_new RENAME TO pending_changes;
        CREATE UNIQUE INDEX pending_item_state
            ON pending_changes(account_id, item_id, kind IN ('star', 'unstar'))
            WHERE item_id IS NOT NULL;
        """,
    )


_CATEGORIES_OF = (
    "SELECT {row}.id, trim(j.value) FROM {source}json_each({row}.categories) AS j "
    "WHERE j.type = 'text' AND trim(j.value) != ''"
)
"""An entry's categories (the feed's RSS `<category>`, Atom `category term`) as rows of
`entry_categories`, from its `categories` JSON column."""


@_step("0020_search")
def _categories(db: Database) -> None:
    """`category:` in the search language: `entry_categories` lists each entry's categories
    (as its feed gave them, trimmed, without repeats), indexed by name in any ASCII case, so
    a search or a count reads that index instead of every entry's JSON column (which sits
    after the content in the row). Triggers keep it equal to `entries.categories` however an
    entry is written (a sync, an account, an import); a deleted entry's rows go with it.

    The date, feed and unread indexes also hold the title (same leading columns, so the same
    queries use them): a pattern on titles over many feeds (`feed:"Feed 1" title~/^[a-m]/`,
    55,000 candidates) reads titles from the index instead of each entry's row, whose first
    page is mostly content (1.6 s -> 0.3 s on the benchmark library at load 13).
    """
    insert = "INSERT OR IGNORE INTO entry_categories(entry_id, category) "
    _run(
        db,
        f"""
        CREATE TABLE entry_categories (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            category TEXT NOT NULL,
            PRIMARY KEY (entry_id, category)
        ) WITHOUT ROWID;
        CREATE INDEX entry_categories_name ON entry_categories(category COLLATE NOCASE);
        {insert} {_CATEGORIES_OF.format(row="e", source="entries AS e, ")};
        DROP INDEX entries_date;
        CREATE INDEX entries_date
            ON entries(sort_date, id, feed_id, read, starred, language, title);
        DROP INDEX entries_feed_date;
        CREATE INDEX entries_feed_date ON entries(feed_id, sort_date, id, read, starred, title);
        DROP INDEX entries_unread;
        CREATE INDEX entries_unread ON entries(feed_id, starred, sort_date, id, title)
            WHERE read = 0;
        CREATE TRIGGER entry_categories_insert AFTER INSERT ON entries BEGIN
            {insert} {_CATEGORIES_OF.format(row="new", source="")};
        END;
        CREATE TRIGGER entry_categories_update AFTER UPDATE OF categories ON entries
        WHEN new.categories IS NOT old.categories BEGIN
            DELETE FROM entry_categories WHERE entry_id = new.id;
            {insert} {_CATEGORIES_OF.format(row="new", source="")};
        END;
        """,
    )


@_step("0022_story_matching")
def _story_queue(db: Database) -> None:
    """`story_queue`: the entries written since their story was last matched (new ones, and
    changed ones whose text is matched again). A sync writes its feeds first and matches the
    queue afterwards, oldest first and in batches (`Store.match_queued_stories`): the
    articles can be read at once, and a batch in date order across feeds reads the story
    window once and mostly appends to it. A queued entry that is deleted leaves the queue
    with it; one still queued when the program stopped is matched by the next sync."""
    _run(
        db,
        """
        CREATE TABLE story_queue (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE
        );
        """,
    )


_AUTHOR_NAMES_OF = (
    "SELECT {row}.id, coalesce((SELECT group_concat(n, ', ') FROM (SELECT coalesce("
    "nullif(j.value ->> 'name', ''), nullif(j.value ->> 'email', '')) AS n "
    "FROM json_each({row}.authors) AS j ORDER BY j.key) WHERE n IS NOT NULL), '') "
    "{source}"
)
"""An entry's row of `entry_authors` (its authors' names, else emails, joined by ", ": the
text `codec.authors_text` gives), from its `authors` JSON column."""
_SEARCH_INPUTS = (
    # (table, entry id column, events): changes that can change which entries a search finds
    ("entry_tags", "entry_id", ("INSERT", "DELETE")),
    ("hidden_entries", "entry_id", ("INSERT", "DELETE")),
    ("comments", "entry_id", ("INSERT", "UPDATE", "DELETE")),
    ("enclosures", "entry_id", ("INSERT", "DELETE")),
    ("entry_images", "entry_id", ("INSERT", "DELETE")),
    ("full_texts", "entry_id", ("INSERT", "UPDATE", "DELETE")),
)
_SEARCHED_COLUMNS = (
    "title",
    "link",
    "authors",
    "summary",
    "content",
    "language",
    "starred",
    "sort_date",
    "feed_id",
    "image",
    "categories",
)
"""The columns of `entries` a search can test, but for `read` (see step 0021)."""


@_step("0021_search_counts")
def _search_counts(db: Database) -> None:
    """Saved searches' unread counts kept up to date by the writes (docs/search.md), and
    authors' names a pattern can pre-check natively.

    - `search_counts`: per saved search, its unread count and `state`: `ok` (up to date),
      `folders` (a folder's name or parent changed: recount it if it names folders; a
      deleted folder's feeds move out of it, which changes the feeds), `recount` (new or
      edited), `live` (counted at each read: it has `age:`, or could not run).
    - `search_hits`: the entries each kept search finds with `is:unread` taken as true and
      `is:read` as false (its "unread form"), whether read or not, and whether each is
      unread; a trigger copies `entries.read` into it, and triggers on it keep the count.
      A search's unread count is then the unread entries among its hits, without reading
      the entries.
    - `search_dirty`: entries written since the counts were last brought up to date (new,
      changed, tagged, hidden, commented, of a feed renamed or moved, ...); the store tests
      just those against each search before every write transaction commits. A deleted
      entry leaves the hits at once.
    - `entry_authors`: each entry's authors as the search indexes them (names, else emails,
      ", " between), kept by triggers like `entry_categories`, so `author~/re/` reads a
      short column and gets the same native pre-checks as titles.
    """
    guard = "WHEN EXISTS (SELECT 1 FROM search_counts)"
    dirty = "INSERT OR IGNORE INTO search_dirty(entry_id) VALUES"
    changed = " OR ".join(f"new.{c} IS NOT old.{c}" for c in _SEARCHED_COLUMNS)
    inputs = []
    for table, column, events in _SEARCH_INPUTS:
        for event in events:
            row = "old" if event == "DELETE" else "new"
            inputs.append(
                f"CREATE TRIGGER search_dirty_{table}_{event.lower()} AFTER {event} ON {table} "
                f"{guard} AND EXISTS (SELECT 1 FROM entries WHERE id = {row}.{column}) BEGIN "
                f"{dirty} ({row}.{column}); END;"
            )
    input_triggers = "\n".join(inputs)
    _run(
        db,
        f"""
        CREATE TABLE search_counts (
            search_id INTEGER PRIMARY KEY REFERENCES saved_searches(id) ON DELETE CASCADE,
            unread INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'recount'
                CHECK (state IN ('ok', 'folders', 'recount', 'live'))
        );
        CREATE TABLE search_hits (
            search_id INTEGER NOT NULL REFERENCES search_counts(search_id) ON DELETE CASCADE,
            entry_id INTEGER NOT NULL,
            unread INTEGER NOT NULL,
            PRIMARY KEY (search_id, entry_id)
        ) WITHOUT ROWID;
        CREATE INDEX search_hits_entry ON search_hits(entry_id);
        CREATE TABLE search_dirty (entry_id INTEGER PRIMARY KEY);
        INSERT INTO search_counts(search_id) SELECT id FROM saved_searches;
        CREATE TRIGGER search_counts_added AFTER INSERT ON saved_searches BEGIN
            INSERT INTO search_counts(search_id) VALUES (new.id);
        END;
        CREATE TRIGGER search_counts_edited AFTER UPDATE OF query ON saved_searches
        WHEN new.query IS NOT old.query BEGIN
            UPDATE search_counts SET state = 'recount' WHERE search_id = new.id;
        END;
        CREATE TRIGGER search_hits_insert AFTER INSERT ON search_hits WHEN new.unread BEGIN
            UPDATE search_counts SET unread = unread + 1 WHERE search_id = new.search_id;
        END;
        CREATE TRIGGER search_hits_delete AFTER DELETE ON search_hits WHEN old.unread BEGIN
            UPDATE search_counts SET unread = unread - 1 WHERE search_id = old.search_id;
        END;
        CREATE TRIGGER search_hits_update AFTER UPDATE OF unread ON search_hits
        WHEN new.unread IS NOT old.unread BEGIN
            UPDATE search_counts SET unread = unread + new.unread - old.unread
            WHERE search_id = new.search_id;
        END;
        CREATE TRIGGER search_hits_read AFTER UPDATE OF read ON entries
        WHEN new.read IS NOT old.read BEGIN
            UPDATE search_hits SET unread = (new.read = 0) WHERE entry_id = new.id;
        END;
        CREATE TRIGGER search_hits_gone AFTER DELETE ON entries BEGIN
            DELETE FROM search_hits WHERE entry_id = old.id;
        END;
        CREATE TRIGGER search_dirty_entries_insert AFTER INSERT ON entries {guard} BEGIN
            {dirty} (new.id);
        END;
        CREATE TRIGGER search_dirty_entries_update AFTER UPDATE ON entries
        {guard} AND ({changed}) BEGIN
            {dirty} (new.id);
        END;
        CREATE TRIGGER search_dirty_entries_delete AFTER DELETE ON entries BEGIN
            DELETE FROM search_dirty WHERE entry_id = old.id;
        END;
        {input_triggers}
        CREATE TRIGGER search_dirty_feeds_update AFTER UPDATE OF title, url, folder_id ON feeds
        {guard} AND (new.title IS NOT old.title OR new.url IS NOT old.url
            OR new.folder_id IS NOT old.folder_id) BEGIN
            INSERT OR IGNORE INTO search_dirty(entry_id)
                SELECT id FROM entries WHERE feed_id = new.id;
        END;
        CREATE TRIGGER search_counts_folder AFTER UPDATE OF name, parent_id ON folders
        WHEN new.name IS NOT old.name OR new.parent_id IS NOT old.parent_id BEGIN
            UPDATE search_counts SET state = 'folders' WHERE state = 'ok';
        END;
        CREATE TABLE entry_authors (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
            names TEXT NOT NULL
        );
        INSERT INTO entry_authors(entry_id, names)
            {_AUTHOR_NAMES_OF.format(row="e", source="FROM entries AS e")};
        CREATE TRIGGER entry_authors_insert AFTER INSERT ON entries BEGIN
            INSERT OR REPLACE INTO entry_authors(entry_id, names)
                {_AUTHOR_NAMES_OF.format(row="new", source="")};
        END;
        CREATE TRIGGER entry_authors_update AFTER UPDATE OF authors ON entries
        WHEN new.authors IS NOT old.authors BEGIN
            INSERT OR REPLACE INTO entry_authors(entry_id, names)
                {_AUTHOR_NAMES_OF.format(row="new", source="")};
        END;
        """,
    )


@_step("0023_story_copies")
def _story_copies(db: Database) -> None:
    """An index of the copies each entry has (`entry_stories.copy_of`, only where set):
    finding an opened article's copies (to mark them read with it) read every row of
    `entry_stories` without it, ~30 ms on the window's thread for each unread article opened
    in a store of 100,000 entries."""
    _run(
        db,
        "CREATE INDEX entry_stories_copy ON entry_stories(copy_of) WHERE copy_of IS NOT NULL;",
    )


@_step("0027_error_cause")
def _error_cause(db: Database) -> None:
    """Why a feed's last fetch failed, told by the error's type when it happened
    (`failures.Cause`, by name): the Feed problems list grouped problems by reading their
    messages. Problems stored before stay without a cause until the feed's next fetch."""
    _run(db, "ALTER TABLE feeds ADD COLUMN error_cause TEXT;")


@_step("0035_fixa")
def _future_dates(db: Database) -> None:
    """Entries dated later than the feed's last fetch (beyond `decide.FUTURE_TOLERANCE`) are
    dated when first seen, as the store now dates such entries at the fetch that writes them
    (docs/sync.md, "Dates in the future"): a pubDate of next year kept them at the top of
    every list. Only `sort_date` changes (and the index rows keyed by it); the feed's own
    `published` and `updated` stay."""
    conn = db.conn
    found = conn.execute(
        "SELECT e.id FROM entries e JOIN feeds f ON f.id = e.feed_id "
        "WHERE e.sort_date > max(e.first_seen, coalesce(f.last_fetched, 0)) + ?",
        (FUTURE_TOLERANCE,),
    ).fetchall()
    for (entry_id,) in found:
        old = conn.execute(
            "SELECT " + SEARCH_KEY_SQL.format(date="sort_date", id="id") + ", "
            "min(sort_date, first_seen) FROM entries WHERE id = ?",
            (entry_id,),
        ).fetchone()
        new_key = search_key(old[1], entry_id)
        conn.execute("UPDATE titles_fts SET rowid = ? WHERE rowid = ?", (new_key, old[0]))
        conn.execute("UPDATE story_fts SET rowid = ? WHERE rowid = ?", (new_key, old[0]))
        indexed = conn.execute("SELECT 1 FROM entries_fts WHERE rowid = ?", (old[0],)).fetchone()
        if indexed is not None:  # a row of a contentless index is deleted by its values
            conn.execute(
                f"{INDEX_DELETE} SELECT {INDEX_DELETE_VALUES_FULL.format(row='e')} "
                "FROM entries e WHERE e.id = ?",
                (entry_id,),
            )
        conn.execute("UPDATE entries SET sort_date = ? WHERE id = ?", (old[1], entry_id))
        if indexed is None:
            continue
        conn.execute(
            "INSERT INTO entries_fts(rowid, title, summary, content, author) "
            "SELECT ?, e.title, newsreader_index_text(e.summary), "
            "newsreader_index_content(e.content, (SELECT ft.text FROM full_texts ft "
            "WHERE ft.entry_id = e.id AND ft.status = 'ok')), "
            "newsreader_authors_text(e.authors) FROM entries e WHERE e.id = ?",
            (new_key, entry_id),
        )
