"""Saved searches (smart feeds) and rules: searches with actions, run on new entries inside
the sync's write transaction and on demand.

Each rule runs in a savepoint: a rule that fails (a pattern out of time, say) is rolled back
alone, its failure recorded on the rule like a feed's fetch error, and the next rule runs.
Nothing a failed rule would have done is done, so it never loses an entry or a comment.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from newsreader.errors import NotFoundError, PatternTimeoutError, SearchQueryError, StoreError
from newsreader.store.codec import from_ts, to_ts
from newsreader.store.counts import CountPlan, count_plan
from newsreader.store.db import translate_error
from newsreader.store.entries import EntryMixin, tree_select
from newsreader.store.folders import FolderMixin
from newsreader.store.pending import queue_item_changes
from newsreader.store.query_sql import (
    HIDDEN,
    condition_sql,
    parsed_search,
    pattern_failure,
)
from newsreader.store.rule_match import RuleBatch, rule_test
from newsreader.store.types import (
    RULE_ACTIONS,
    EntryQuery,
    Rule,
    RuleProblem,
    RuleRun,
    SavedSearch,
)

RULE_COLUMNS = (
    "id, name, query, actions, position, feed_id, folder_id, enabled, error_count, "
    "last_error, last_error_at"
)
COUNT_BATCH = 2000
"""Changed entries up to which a write tests them against the saved searches in Python (a
few microseconds an entry and search); more are tested in SQL, a search at a time (its
words' matches read once)."""
_DELETABLE = (
    "e.starred = 0 AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.entry_id = e.id "
    "AND c.origin = 'user')"
)


def check_actions(actions: Sequence[str]) -> tuple[str, ...]:
    """The actions, cleaned (`tag: x` -> `tag:x`), without repeats; StoreError for an
    unknown one or none at all."""
    cleaned: list[str] = []
    for action in actions:
        name, colon, tag = action.strip().partition(":")
        if colon and name == "tag" and " ".join(tag.split()):
            cleaned.append("tag:" + " ".join(tag.split()))
        elif not colon and name in RULE_ACTIONS:
            cleaned.append(name)
        else:
            raise StoreError(
                f"unknown rule action {action!r} (known: {', '.join(RULE_ACTIONS)}, tag:NAME)"
            )
    if not cleaned:
        raise StoreError("a rule needs at least one action")
    return tuple(dict.fromkeys(cleaned))


def _clean_name(name: str, noun: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise StoreError(f"a {noun} needs a name")
    return cleaned


class _Actions:
    """Entries touched by each action over one run, in the order they were touched."""

    def __init__(self) -> None:
        self.read: list[int] = []
        self.starred: list[int] = []
        self.tagged: list[int] = []
        self.hidden: list[int] = []
        self.deleted: list[int] = []
        self.notify: list[int] = []
        self.problems: list[RuleProblem] = []

    def result(self) -> RuleRun:
        deleted = set(self.deleted)

        def kept(ids: list[int]) -> tuple[int, ...]:
            return tuple(i for i in dict.fromkeys(ids) if i not in deleted)

        return RuleRun(
            read=kept(self.read),
            starred=kept(self.starred),
            tagged=kept(self.tagged),
            hidden=kept(self.hidden),
            deleted=tuple(dict.fromkeys(self.deleted)),
            notify=kept(self.notify),
            problems=tuple(self.problems),
        )


class SavedSearchMixin(EntryMixin):
    def add_saved_search(self, name: str, query: str) -> SavedSearch:
        """Saves a search under a name (any case counts as the same name). Raises
        SearchQueryError for a search that cannot be read, StoreError for a name in use."""
        name = _clean_name(name, "saved search")
        parsed_search(query)
        with self._write() as conn:
            if self._scalar("SELECT 1 FROM saved_searches WHERE name = ?", (name,)):
                raise StoreError(f"there is already a saved search named {name!r}")
            conn.execute(
                "INSERT INTO saved_searches(name, query, position, created) VALUES (?, ?, "
                "(SELECT coalesce(max(position), 0) + 1 FROM saved_searches), ?)",
                (name, query.strip(), to_ts(datetime.now(UTC))),
            )
        return self.saved_search(name)

    def saved_search(self, name: str) -> SavedSearch:
        row = self._row(
            "SELECT id, name, query, position FROM saved_searches WHERE name = ?",
            (" ".join(name.split()),),
        )
        if row is None:
            raise NotFoundError(f"no saved search named {name!r}")
        return SavedSearch(row[0], row[1], row[2], row[3])

    def list_saved_searches(self, *, counts: bool = True) -> list[SavedSearch]:
        """Every saved search in the user's order, with its unread count (a search that
        cannot run now, e.g. a pattern out of time, counts 0). The counts are kept up to
        date by the writes (`counts`), so this reads them; a search with `age:` is counted
        now."""
        sql = (
            "SELECT s.id, s.name, s.query, s.position, c.unread, c.state FROM saved_searches s "
            "LEFT JOIN search_counts c ON c.search_id = s.id ORDER BY s.position, s.id"
        )
        found = self._rows(sql)
        if counts and self._counts_behind(found):
            try:
                with self._write():
                    pass  # a write transaction brings the counts up to date before it commits
                found = self._rows(sql)
            except StoreError:  # a read-only store: count what is behind now
                pass
        listed = []
        for id_, name, query, position, unread, state in found:
            if counts and state != "ok":
                try:
                    unread = self.count_entries(EntryQuery(search=query, unread_only=True))
                except SearchQueryError:
                    unread = 0
            listed.append(SavedSearch(id_, name, query, position, unread if counts else 0))
        return listed

    def _counts_behind(self, found: Sequence[sqlite3.Row]) -> bool:
        """Whether some kept count is not up to date (after an upgrade, or a write that
        did not go through this store's transactions)."""
        return any(row["state"] not in ("ok", "live") for row in found) or bool(
            self._scalar("SELECT EXISTS (SELECT 1 FROM search_dirty)")
        )

    def _before_commit(self) -> None:
        """Brings the saved searches' counts up to date with this transaction's writes
        (see `counts`): a new or edited search is counted anew; the entries the triggers
        noted as changed (`search_dirty`) are tested against every kept search, in Python
        on their rows when they are few (`rule_match`), else in SQL."""
        conn = self._conn
        if not conn.execute(
            "SELECT EXISTS (SELECT 1 FROM search_dirty) OR EXISTS (SELECT 1 FROM search_counts "
            "WHERE state IN ('folders', 'recount'))"
        ).fetchone()[0]:
            return
        now = datetime.now(UTC)
        dirty = [
            row[0]
            for row in conn.execute(
                "SELECT d.entry_id FROM search_dirty d JOIN entries e ON e.id = d.entry_id"
            )
        ]
        hidden = bool(conn.execute("SELECT EXISTS (SELECT 1 FROM hidden_entries)").fetchone()[0])
        kept: list[tuple[int, CountPlan]] = []
        for search_id, query, state in conn.execute(
            "SELECT c.search_id, s.query, c.state FROM search_counts c "
            "JOIN saved_searches s ON s.id = c.search_id WHERE c.state != 'live'"
        ).fetchall():
            try:
                plan = count_plan(query)
            except SearchQueryError:
                self._count_live(search_id)
                continue
            if plan.live:
                self._count_live(search_id)
            elif state == "recount" or (state == "folders" and plan.names_folders):
                self._count_hits(search_id, plan, now, hidden, dirty_only=False)
            else:
                if state == "folders":
                    conn.execute(
                        "UPDATE search_counts SET state = 'ok' WHERE search_id = ?", (search_id,)
                    )
                kept.append((search_id, plan))
        if dirty and kept:
            if len(dirty) > COUNT_BATCH:
                for search_id, plan in kept:
                    self._count_hits(search_id, plan, now, hidden, dirty_only=True)
            else:
                self._test_changed(kept, dirty, now)
        conn.execute("DELETE FROM search_dirty")

    def _count_hits(
        self, search_id: int, plan: CountPlan, now: datetime, hidden: bool, *, dirty_only: bool
    ) -> None:
        """Finds a search's hits in SQL: among the changed entries (`dirty_only`), or among
        all (then its count is set from them and marked up to date). A pattern out of time
        makes the search counted at each read instead."""
        conn = self._conn
        hide = hidden and not plan.shows_hidden
        tree = plan.tree if not isinstance(plan.tree, bool) else None
        conn.execute("SAVEPOINT newsreader_count")
        try:
            if dirty_only:
                conn.execute(
                    "DELETE FROM search_hits WHERE search_id = ? "
                    "AND entry_id IN (SELECT entry_id FROM search_dirty)",
                    (search_id,),
                )
            else:
                conn.execute("DELETE FROM search_hits WHERE search_id = ?", (search_id,))
            if plan.tree is not False:
                if dirty_only:
                    where, params = condition_sql(tree, now) if tree is not None else ("1", ())
                    select = (
                        "SELECT e.id, e.read FROM search_dirty d "
                        f"JOIN entries e ON e.id = d.entry_id WHERE ({where})"
                        + (f" AND NOT ({HIDDEN})" if hide else "")
                    )
                    values = list(params)
                else:
                    select, values = tree_select(tree, "e.id, e.read", hide_hidden=hide, now=now)
                conn.execute(
                    "INSERT INTO search_hits(search_id, entry_id, unread) "
                    f"SELECT ?, id, read = 0 FROM ({select})",
                    (search_id, *values),
                )
            if not dirty_only:
                conn.execute(
                    "UPDATE search_counts SET state = 'ok', unread = (SELECT count(*) "
                    "FROM search_hits WHERE search_id = ?1 AND unread) WHERE search_id = ?1",
                    (search_id,),
                )
            conn.execute("RELEASE newsreader_count")
        except sqlite3.OperationalError:
            conn.execute("ROLLBACK TO newsreader_count")
            conn.execute("RELEASE newsreader_count")
            if pattern_failure() is None:
                raise
            self._count_live(search_id)

    def _test_changed(
        self, kept: Sequence[tuple[int, CountPlan]], dirty: Sequence[int], now: datetime
    ) -> None:
        """Tests the changed entries against each kept search in Python, on their rows read
        once (as rules test new entries), and updates the searches' hits."""
        conn = self._conn
        batch = RuleBatch(conn, dirty, now, self.written_text, self.probed)
        entries = batch.entries
        tested: list[int] = []
        hits: list[tuple[int, int, bool]] = []
        for search_id, plan in kept:
            try:
                if isinstance(plan.tree, bool):
                    found = list(entries) if plan.tree else []
                else:
                    found = batch.matches(rule_test(plan.tree), None, None)
            except PatternTimeoutError:
                self._count_live(search_id)
                continue
            tested.append(search_id)
            hits.extend(
                (search_id, i, not entries[i].read)
                for i in found
                if plan.shows_hidden or not entries[i].hidden
            )
        conn.execute(
            "DELETE FROM search_hits WHERE entry_id IN (SELECT value FROM json_each(?)) "
            "AND search_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(dirty)), json.dumps(tested)),
        )
        conn.executemany(
            "INSERT INTO search_hits(search_id, entry_id, unread) VALUES (?, ?, ?)", hits
        )

    def _count_live(self, search_id: int) -> None:
        """Keeps no count for this search: it is counted at each read."""
        self._conn.execute("DELETE FROM search_hits WHERE search_id = ?", (search_id,))
        self._conn.execute(
            "UPDATE search_counts SET state = 'live', unread = 0 WHERE search_id = ?",
            (search_id,),
        )

    def update_saved_search(
        self, search_id: int, *, name: str | None = None, query: str | None = None
    ) -> SavedSearch:
        """Renames a saved search and/or changes its search."""
        with self._write() as conn:
            self._require("saved_searches", search_id, "saved search")
            if name is not None:
                name = _clean_name(name, "saved search")
                if self._scalar(
                    "SELECT 1 FROM saved_searches WHERE name = ? AND id != ?", (name, search_id)
                ):
                    raise StoreError(f"there is already a saved search named {name!r}")
                conn.execute("UPDATE saved_searches SET name = ? WHERE id = ?", (name, search_id))
            if query is not None:
                parsed_search(query)
                conn.execute(
                    "UPDATE saved_searches SET query = ? WHERE id = ?", (query.strip(), search_id)
                )
            current = self._scalar("SELECT name FROM saved_searches WHERE id = ?", (search_id,))
        return self.saved_search(current)

    def remove_saved_search(self, name: str) -> None:
        found = self.saved_search(name)
        with self._write() as conn:
            conn.execute("DELETE FROM saved_searches WHERE id = ?", (found.id,))


class RuleMixin(SavedSearchMixin, FolderMixin):
    def add_rule(
        self,
        name: str,
        query: str,
        actions: Sequence[str],
        *,
        feed_id: int | None = None,
        folder_id: int | None = None,
        enabled: bool = True,
    ) -> Rule:
        """Adds a rule after the others. Raises SearchQueryError for a search that cannot
        be read, StoreError for a bad action, a name in use or both scopes at once,
        NotFoundError for an unknown feed or folder."""
        name = _clean_name(name, "rule")
        cleaned = check_actions(actions)
        parsed_search(query)
        if feed_id is not None and folder_id is not None:
            raise StoreError("a rule applies to one feed or one folder, not both")
        with self._write() as conn:
            if self._scalar("SELECT 1 FROM rules WHERE name = ?", (name,)):
                raise StoreError(f"there is already a rule named {name!r}")
            if feed_id is not None:
                self._require("feeds", feed_id, "feed")
            if folder_id is not None:
                self._require("folders", folder_id, "folder")
            conn.execute(
                "INSERT INTO rules(name, query, actions, position, feed_id, folder_id, enabled, "
                "created) VALUES (?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM rules), "
                "?, ?, ?, ?)",
                (
                    name,
                    query.strip(),
                    json.dumps(cleaned),
                    feed_id,
                    folder_id,
                    enabled,
                    to_ts(datetime.now(UTC)),
                ),
            )
        return self.get_rule(name)

    def update_rule(
        self,
        rule_id: int,
        name: str,
        query: str,
        actions: Sequence[str],
        *,
        feed_id: int | None = None,
        folder_id: int | None = None,
        enabled: bool = True,
    ) -> Rule:
        """Changes a rule in place (its position and the entries it hid stay); the same
        checks as `add_rule`."""
        name = _clean_name(name, "rule")
        cleaned = check_actions(actions)
        parsed_search(query)
        if feed_id is not None and folder_id is not None:
            raise StoreError("a rule applies to one feed or one folder, not both")
        with self._write() as conn:
            self._require("rules", rule_id, "rule")
            if self._scalar("SELECT 1 FROM rules WHERE name = ? AND id != ?", (name, rule_id)):
                raise StoreError(f"there is already a rule named {name!r}")
            if feed_id is not None:
                self._require("feeds", feed_id, "feed")
            if folder_id is not None:
                self._require("folders", folder_id, "folder")
            conn.execute(
                "UPDATE rules SET name = ?, query = ?, actions = ?, feed_id = ?, folder_id = ?, "
                "enabled = ?, error_count = 0, last_error = NULL, last_error_at = NULL "
                "WHERE id = ?",
                (name, query.strip(), json.dumps(cleaned), feed_id, folder_id, enabled, rule_id),
            )
        return self.get_rule(name)

    def get_rule(self, name: str) -> Rule:
        row = self._row(
            f"SELECT {RULE_COLUMNS} FROM rules WHERE name = ?", (" ".join(name.split()),)
        )
        if row is None:
            raise NotFoundError(f"no rule named {name!r}")
        return _rule(row)

    def list_rules(self) -> list[Rule]:
        """Every rule in the order they run."""
        return [
            _rule(row)
            for row in self._rows(f"SELECT {RULE_COLUMNS} FROM rules ORDER BY position, id")
        ]

    def remove_rule(self, name: str) -> None:
        """Removes a rule; the entries it hid come back."""
        found = self.get_rule(name)
        with self._write() as conn:
            conn.execute("DELETE FROM rules WHERE id = ?", (found.id,))

    def rule_entry_ids(
        self,
        query: str,
        *,
        feed_id: int | None = None,
        folder_id: int | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """The stored entries a rule with this search and scope matches now, newest first
        (its preview; hidden entries only with `is:hidden`)."""
        return self.entry_ids(_scope_query(query, feed_id, folder_id, limit))

    def run_rules(self, names: Sequence[str] | None = None) -> RuleRun:
        """Runs the rules (all enabled ones in order, or the named ones, enabled or not) on
        every stored entry in their scopes, in one transaction."""
        chosen = (
            [r for r in self.list_rules() if r.enabled]
            if names is None
            else [self.get_rule(n) for n in names]
        )
        done = _Actions()
        now = datetime.now(UTC)
        with self._write():
            for rule in chosen:
                self._run_rule(rule, None, now, done)
        return done.result()

    def _apply_rules(
        self, entry_ids: Sequence[int], now: datetime, feed_id: int | None = None
    ) -> RuleRun:
        """Runs every enabled rule, in order, on these (new) entries; inside the caller's
        write transaction. With `feed_id` (all the entries are that feed's), rules scoped to
        another feed are skipped at once. Each search is tested in Python on the entries'
        rows (see `rule_match`)."""
        if not entry_ids:
            return RuleRun()
        rules = [
            _rule(row)
            for row in self._rows(
                f"SELECT {RULE_COLUMNS} FROM rules WHERE enabled ORDER BY position, id"
            )
        ]
        rules = [r for r in rules if feed_id is None or r.feed_id in (None, feed_id)]
        if not rules:
            return RuleRun()
        batch = RuleBatch(self._conn, entry_ids, now, self.written_text)
        done = _Actions()
        for rule in rules:
            self._run_rule(rule, batch, now, done)
        self.probed = batch.probed  # the saved searches' counts test the same entries next
        return done.result()

    def _run_rule(self, rule: Rule, batch: RuleBatch | None, now: datetime, done: _Actions) -> None:
        """One rule on a batch of new entries (None: every stored entry in its scope), in a
        savepoint; a failure is recorded on the rule and in `done.problems`."""
        conn = self._conn
        try:
            matched = self._rule_matches(rule, batch)  # reads only
        except (sqlite3.Error, SearchQueryError) as error:
            self._rule_failed(rule, error, now, done)
            return
        if not matched and not rule.error_count:
            return
        conn.execute("SAVEPOINT newsreader_rule")
        try:
            gone = self._act(rule, matched, now, done) if matched else []
            if rule.error_count:
                conn.execute(
                    "UPDATE rules SET error_count = 0, last_error = NULL, last_error_at = NULL "
                    "WHERE id = ?",
                    (rule.id,),
                )
            conn.execute("RELEASE newsreader_rule")
        except (sqlite3.Error, SearchQueryError) as error:
            conn.execute("ROLLBACK TO newsreader_rule")
            conn.execute("RELEASE newsreader_rule")
            self._rule_failed(rule, error, now, done)
            return
        if batch is not None:
            batch.applied(rule.actions, matched, gone)

    def _rule_failed(self, rule: Rule, error: Exception, now: datetime, done: _Actions) -> None:
        """Records a rule's failure on the rule, like a feed's fetch error."""
        message = self._rule_error(error)
        self._conn.execute(
            "UPDATE rules SET error_count = error_count + 1, last_error = ?, "
            "last_error_at = ? WHERE id = ?",
            (message, to_ts(now), rule.id),
        )
        done.problems.append(RuleProblem(rule.id, rule.name, message))

    def _rule_error(self, error: Exception) -> str:
        if isinstance(error, sqlite3.Error):
            timeout = pattern_failure()
            return str(timeout if timeout is not None else translate_error(error, self.paths))
        return str(error)

    def _rule_matches(self, rule: Rule, batch: RuleBatch | None) -> list[int]:
        if batch is None:
            return self.entry_ids(_scope_query(rule.query, rule.feed_id, rule.folder_id, None))
        test = rule_test(parsed_search(rule.query))
        return batch.matches(test, rule.feed_id, rule.folder_id)

    def _act(self, rule: Rule, ids: list[int], now: datetime, done: _Actions) -> list[int]:
        """Does a rule's actions to these entries; returns those it deleted."""
        conn = self._conn
        gone: list[int] = []
        marks = json.dumps(ids)
        in_ids = "id IN (SELECT value FROM json_each(?))"
        for action in rule.actions:
            match action.partition(":"):
                case ("read", _, _):
                    queue_item_changes(conn, "read", True, f"e.{in_ids}", (marks,))
                    conn.execute(f"UPDATE entries SET read = 1 WHERE {in_ids}", (marks,))
                    done.read.extend(ids)
                case ("star", _, _):
                    queue_item_changes(conn, "starred", True, f"e.{in_ids}", (marks,))
                    conn.execute(f"UPDATE entries SET starred = 1 WHERE {in_ids}", (marks,))
                    done.starred.extend(ids)
                case ("tag", _, tag):
                    spelling = self.tag_spelling(tag)
                    conn.executemany(
                        "INSERT OR IGNORE INTO entry_tags(entry_id, tag) VALUES (?, ?)",
                        [(i, spelling) for i in ids],
                    )
                    done.tagged.extend(ids)
                case ("hide", _, _):
                    _read_on_server(conn, marks)
                    conn.executemany(
                        "INSERT OR IGNORE INTO hidden_entries(entry_id, rule_id) VALUES (?, ?)",
                        [(i, rule.id) for i in ids],
                    )
                    done.hidden.extend(ids)
                case ("notify", _, _):
                    done.notify.extend(ids)
                case ("delete", _, _):
                    gone = self._delete_entries(ids, now)
                    done.deleted.extend(gone)
        return gone

    def _delete_entries(self, ids: list[int], now: datetime) -> list[int]:
        """Deletes these entries as purge does (remembered so a sync does not bring them
        back), except starred ones and ones with the user's comments; returns those gone."""
        conn = self._conn
        gone = [
            row[0]
            for row in conn.execute(
                f"SELECT e.id FROM entries e WHERE e.id IN (SELECT value FROM json_each(?)) "
                f"AND {_DELETABLE}",
                (json.dumps(ids),),
            )
        ]
        if gone:
            marks = json.dumps(gone)
            _read_on_server(conn, marks)  # before the entries (and their item ids) go
            conn.execute(
                "INSERT OR REPLACE INTO purged_entries(feed_id, guid, purged_at) "
                "SELECT feed_id, guid, ? FROM entries WHERE id IN (SELECT value FROM json_each(?))",
                (to_ts(now), marks),
            )
            conn.execute(
                "DELETE FROM entries WHERE id IN (SELECT value FROM json_each(?))", (marks,)
            )
        return gone

    def export_rules(self) -> list[dict[str, Any]]:
        """The rules as JSON-ready records (feed by URL, folder by path, so another library
        can import them): name, query, actions, enabled, feed, folder."""
        exported = []
        for rule in self.list_rules():
            feed = self._scalar("SELECT url FROM feeds WHERE id = ?", (rule.feed_id,))
            folder = self.folder_path(rule.folder_id) if rule.folder_id is not None else None
            exported.append(
                {
                    "name": rule.name,
                    "query": rule.query,
                    "actions": list(rule.actions),
                    "enabled": rule.enabled,
                    "feed": feed,
                    "folder": "/".join(folder) if folder else None,
                }
            )
        return exported

    def import_rules(self, records: Sequence[Any]) -> list[Rule]:
        """Adds the rules of `export_rules` records after the existing ones, all or none.
        A folder that does not exist is created; a feed must be subscribed. Raises
        StoreError naming the record at fault."""
        added: list[Rule] = []
        with self._write():
            for index, record in enumerate(records, start=1):
                try:
                    added.append(self._import_rule(record))
                except (StoreError, SearchQueryError) as error:
                    raise StoreError(f"rule {index} of the file: {error}") from error
        return added

    def _import_rule(self, record: Any) -> Rule:
        if not isinstance(record, dict):
            raise StoreError("expected an object with name, query and actions")
        name, query, actions = record.get("name"), record.get("query"), record.get("actions")
        if not isinstance(name, str) or not isinstance(query, str):
            raise StoreError("name and query must be text")
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
            raise StoreError("actions must be a list of text")
        feed_id = folder_id = None
        feed, folder = record.get("feed"), record.get("folder")
        if isinstance(feed, str):
            found = self._scalar("SELECT id FROM feeds WHERE url = ?", (feed,))
            if found is None:
                raise NotFoundError(f"no subscribed feed {feed}")
            feed_id = int(found)
        if isinstance(folder, str):
            folder_id = self.ensure_folder_path([p for p in folder.split("/") if p.strip()])
        return self.add_rule(
            name,
            query,
            actions,
            feed_id=feed_id,
            folder_id=folder_id,
            enabled=record.get("enabled", True) is not False,
        )


def _read_on_server(conn: sqlite3.Connection, marks: str) -> None:
    """Marks read, and queues the mark for their server, the articles of feed-server accounts
    among these entries (a JSON list of ids) that a rule hides or deletes: on the server
    (its web pages, phone apps) they would otherwise stay unread for good, as FreshRSS's own
    filters mark what they hide read. Local entries keep their state."""
    chosen = "id IN (SELECT value FROM json_each(?))"
    queue_item_changes(conn, "read", True, f"e.{chosen}", (marks,))  # server articles only
    conn.execute(
        f"UPDATE entries SET read = 1 WHERE read = 0 AND {chosen} "
        "AND id IN (SELECT entry_id FROM remote_items)",
        (marks,),
    )


def _scope_query(
    query: str, feed_id: int | None, folder_id: int | None, limit: int | None
) -> EntryQuery:
    return EntryQuery(
        search=query,
        feed_ids=(feed_id,) if feed_id is not None else None,
        folder_id=folder_id,
        limit=limit,
    )


def _rule(row: sqlite3.Row) -> Rule:
    return Rule(
        id=row["id"],
        name=row["name"],
        query=row["query"],
        actions=tuple(json.loads(row["actions"])),
        position=row["position"],
        feed_id=row["feed_id"],
        folder_id=row["folder_id"],
        enabled=bool(row["enabled"]),
        error_count=row["error_count"],
        last_error=row["last_error"],
        last_error_at=from_ts(row["last_error_at"]),
    )
