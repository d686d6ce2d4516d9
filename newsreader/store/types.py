"""Records that only the store's callers need (the shared ones live in `newsreader.model`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

from newsreader.model import ParsedEntry, ParsedFeed

EntryOrder = Literal["date", "title", "source", "relevance"]
"""How `list_entries` sorts: by date, by title, by feed title, or by search rank ("relevance",
only meaningful with `EntryQuery.search`; without a search it falls back to date). Relevance
ranks the newest 5,000 matches, which is every match unless a word is very common."""

USER_DISABLED_REASON = "disabled by you"
"""The `disabled_reason` of a feed the user switched off (`update_feed_settings`); any other
reason was written by a sync (`disable_feed`, e.g. HTTP 410 Gone)."""


@dataclass(frozen=True, slots=True)
class EntryQuery:
    """Which entries to list, count or mark. Every filter is optional; they combine with AND.

    `search` is what the user typed, in the search language (`newsreader.query`,
    docs/search.md): a mistake raises `QuerySyntaxError` naming its position, a pattern out
    of time `PatternTimeoutError` (both `SearchQueryError`). Entries a rule hid are left out
    unless the search asks for `is:hidden`. `since`/`until` bound the entry's date
    (published, else updated, else first seen), `since` inclusive, `until` exclusive.
    `folder_id` includes the folder's subfolders.
    """

    feed_ids: tuple[int, ...] | None = None
    folder_id: int | None = None
    unread_only: bool = False
    starred_only: bool = False
    commented_only: bool = False  # entries carrying at least one of the user's comments
    search: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    order: EntryOrder = "date"
    descending: bool = True
    limit: int | None = None
    offset: int = 0
    tag: str | None = None  # only entries the user tagged so


@dataclass(frozen=True, slots=True)
class FetchInfo:
    """What the sync learnt about one fetch, written with the entries in one transaction.

    `final_url`, when set, becomes the feed's URL (the sync sets it after a permanent
    redirect); if another feed already has that URL, the old URL is kept.
    `update_hint_minutes` is the publisher's hint as the sync weighed it (ttl / sy:* and the
    response's Cache-Control max-age); None lets the store take the parsed feed's own
    `update_interval`. `body_sha256` is the hash of the response body, kept so that the same
    bytes are not parsed again (None forgets any earlier hash).
    """

    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None  # the Last-Modified header, verbatim
    next_due: datetime | None = None
    final_url: str | None = None
    update_hint_minutes: int | None = None
    body_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class NewContent:
    """A body that parsed: the feed's metadata (title, site, icon) and `fetch` replace the
    stored ones, the error state is cleared, and the entries are written (which are new,
    rewritten or skipped is decided in the write's transaction, against the stored entries:
    `store.decide.decide_entries`)."""

    parsed: ParsedFeed
    fetch: FetchInfo


@dataclass(frozen=True, slots=True)
class SameContent:
    """A 304, or a 200 with the very bytes parsed last time: no parse, no entry write. The
    fetch time and next due time are written and the error state cleared; the validators,
    hint (minutes) and body hash that came with the answer replace the stored ones, None
    keeps what is stored (a 304 often repeats no ETag)."""

    fetched_at: datetime
    next_due: datetime
    etag: str | None = None
    last_modified: str | None = None
    update_hint_minutes: int | None = None
    body_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class FetchFailed:
    """A failure (no answer, an HTTP error, a body that did not parse): one more failure in a
    row is counted, `message` and `at` kept as the feed's problem, and the feed is due again
    at `next_due` (the back-off); `retry_not_before` is a server's Retry-After pause, which
    every sync honours, even of named feeds."""

    message: str
    at: datetime
    next_due: datetime
    retry_not_before: datetime | None = None
    cause: str | None = None  # `failures.Cause` by name, from the error's type


@dataclass(frozen=True, slots=True)
class Gone:
    """Stop fetching the feed (HTTP 410): it is disabled, `reason` says why, for the user."""

    reason: str


FeedChange = NewContent | SameContent | FetchFailed | Gone


@dataclass(frozen=True, slots=True)
class FeedIntent:
    """Everything one fetch writes for feed `feed_id`, decided from plain values
    (`newsreader.sync.decide.decide_feed`) and written by `Store.apply_feed_intent` in one
    transaction: the feed row and, for `NewContent`, its entries (as lemon24/reader's
    `FeedUpdateIntent` with its entries' intents, made and applied in its `_update.py`)."""

    feed_id: int
    change: FeedChange


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """A rule that failed while it ran (it was skipped; nothing it would have done was)."""

    rule_id: int
    name: str
    message: str


@dataclass(frozen=True, slots=True)
class RuleRun:
    """What running rules did: entries each action touched (ids), and the rules that
    failed. `notify` lists entries to tell the user about; `deleted` entries are gone."""

    read: tuple[int, ...] = ()
    starred: tuple[int, ...] = ()
    tagged: tuple[int, ...] = ()
    hidden: tuple[int, ...] = ()
    deleted: tuple[int, ...] = ()
    notify: tuple[int, ...] = ()
    problems: tuple[RuleProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedWriteResult:
    """What `apply_parsed_feed` changed: ids of entries added and of entries whose content
    changed, and the follow-up work they call for. Entries the user purged earlier and that
    are still in the feed are counted in `skipped_purged` and not added again. `rules`: what
    the rules did to the new entries (entries a rule deleted are in none of the other
    fields)."""

    feed_id: int
    new_entry_ids: tuple[int, ...] = ()
    updated_entry_ids: tuple[int, ...] = ()
    skipped_purged: int = 0
    # What the follow-up work needs, so the sync need not read back what it just wrote:
    # (entry id, image URL) of each image a new entry shows, and (entry id, comment feed URL)
    # of each entry whose discussion is worth fetching: new entries that announce comments
    # (or no count at all), and entries whose announced count (slash:comments, thr:total)
    # changed.
    new_images: tuple[tuple[int, str], ...] = ()
    comment_feeds: tuple[tuple[int, str], ...] = ()
    feed_url: str | None = None  # the feed's URL after the write (FetchInfo.final_url moves it)
    rules: RuleRun = RuleRun()
    # (entry id, the parser's id) of each new entry: the follow-up work that decides from the
    # parsed entry (full articles) finds it in the parsed feed.
    new_entry_guids: tuple[tuple[int, str], ...] = ()


class ImageRecord(NamedTuple):
    """A downloaded image file to record: its URL, content hash, path in the cache folder,
    size in bytes and type."""

    url: str
    sha256: str
    path: str
    size: int
    content_type: str | None


@dataclass(frozen=True, slots=True)
class CachedImage:
    """One image file in the cache folder; `path` is as the caller recorded it."""

    url: str
    sha256: str
    path: str
    size: int
    content_type: str | None
    fetched: datetime
    last_used: datetime


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What `import_outline` did: the feeds it subscribed, how many it already had."""

    added_feed_ids: tuple[int, ...] = ()
    existing: int = 0
    folders_created: int = 0


@dataclass(frozen=True, slots=True)
class EntryStory:
    """The story an entry belongs to, seen from that entry: `id` is the story's id (the id of
    its first entry), `entries` the ids of the story's other articles (oldest first), and
    `copies` those among them that are near-identical to this one (the same text reprinted)."""

    id: int
    entries: tuple[int, ...]
    copies: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Story:
    """One story: articles from several feeds on one event. `entry_ids` oldest first;
    `sources` the number of distinct feeds; `title` its headline (`stories.headline`);
    `first`/`last` the dates of the oldest and newest article."""

    id: int
    title: str | None
    entry_ids: tuple[int, ...]
    sources: int
    first: datetime
    last: datetime


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A search kept under a name (a smart feed): `query` in the search language;
    `unread_count` is filled by `list_saved_searches` (0 elsewhere)."""

    id: int
    name: str
    query: str
    position: int
    unread_count: int = 0


RULE_ACTIONS = ("read", "star", "hide", "delete", "notify")
"""The actions of a rule, besides "tag:NAME"."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A search run on new entries (and on demand) with actions for what it matches.

    `actions`: "read", "star", "hide", "delete", "notify" or "tag:NAME", applied in this
    order of the tuple. Scope: `feed_id`, `folder_id` (subfolders too), or every feed when
    both are None. `error_count`/`last_error`/`last_error_at` describe the last failures
    (reset by the next run that works), like a feed's."""

    id: int
    name: str
    query: str
    actions: tuple[str, ...]
    position: int
    feed_id: int | None = None
    folder_id: int | None = None
    enabled: bool = True
    error_count: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewFollowUp:
    """Work to do after a sync's feeds: `kind` names the handler (the sync's follow-up stage
    knows "icon", "comments", "image"; other parts add their own), `url` what to fetch,
    `priority` the order (higher first). The same kind, URL and entry is queued once."""

    kind: str
    url: str
    entry_id: int | None = None
    feed_id: int | None = None
    priority: int = 0


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A queued follow-up job as stored; `attempts` counts earlier network failures."""

    id: int
    kind: str
    url: str
    entry_id: int | None
    feed_id: int | None
    priority: int
    attempts: int


PendingKind = Literal[
    "read",
    "unread",
    "star",
    "unstar",
    "subscribe",
    "unsubscribe",
    "rename",
    "move",
    "rename_folder",
    "delete_folder",
]


@dataclass(frozen=True, slots=True)
class PendingChange:
    """One local change waiting to be sent to its account's server.

    Item changes (read, unread, star, unstar) carry the server's `item_id`. Subscription
    changes carry the feed's URL and the server's id of the feed (`remote_id`, None while a
    subscription has not reached the server); `value` is the new title (subscribe, rename)
    or folder name (subscribe, move; None: no folder), `previous` the folder it left (move).
    Folder changes (rename_folder, delete_folder) carry the folder's name as the server knows
    it (its label) in `previous`, and the new name (rename_folder) or the folder its feeds
    moved to (delete_folder; None: none) in `value`.
    """

    id: int
    account_id: int
    kind: PendingKind
    item_id: int | None = None
    feed_url: str | None = None
    remote_id: str | None = None
    value: str | None = None
    previous: str | None = None
    queued: datetime | None = None


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A subscription as the server lists it: its id there (`feed/12`), the feed's URL and
    title, and the folder (label) it is in."""

    remote_id: str
    url: str
    title: str | None = None
    site_url: str | None = None
    folder: str | None = None


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """An article as the server delivers it: the server's item id (signed 64-bit), the
    server's id of its feed, the article as a parsed entry (sanitised HTML), and its state."""

    item_id: int
    feed_remote_id: str
    entry: ParsedEntry
    read: bool = False
    starred: bool = False


@dataclass(frozen=True, slots=True)
class RemoteWriteResult:
    """What applying server data changed: entries added, entries whose read or starred state
    changed, feeds added or removed, and the listed feeds left with the account that already
    holds them. `notify_entry_ids`: new entries a `notify` rule asked to tell the user about;
    `rule_problems`: the rules that failed on the new entries."""

    new_entries: int = 0
    state_changes: int = 0
    feeds_added: int = 0
    feeds_removed: int = 0
    feeds_elsewhere: tuple[str, ...] = ()  # listed, but another account holds them (URLs)
    notify_entry_ids: tuple[int, ...] = ()
    rule_problems: tuple[RuleProblem, ...] = ()
