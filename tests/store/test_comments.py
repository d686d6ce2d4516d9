"""The user's comments and the site's comments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsreader.errors import NotFoundError, StoreError
from newsreader.model import Author, CommentOrigin
from newsreader.store import Store
from tests.store.builders import NOW, entry, feed, fetch


@pytest.fixture
def entry_id(store: Store) -> int:
    feed_id = store.add_feed("https://example.org/feed").id
    return store.apply_parsed_feed(feed_id, feed(entry("g1"), entry("g2")), fetch()).new_entry_ids[
        0
    ]


def test_user_comments_thread_edit_delete_restore(store: Store, entry_id: int) -> None:
    root = store.add_comment(entry_id, "  First thought  ", author="Me")
    reply = store.add_comment(entry_id, "A reply", author="Me", parent_id=root.id)
    other = store.add_comment(entry_id, "Second thought", author="Me")
    assert root.body == "First thought" and root.origin is CommentOrigin.USER
    assert root.created is not None
    assert [c.id for c in store.list_comments(entry_id)] == [root.id, reply.id, other.id]
    threads = store.comment_threads(entry_id)
    assert [c.id for c in threads] == [root.id, other.id]
    assert [c.id for c in threads[0].replies] == [reply.id]

    edited = store.edit_comment(reply.id, "A better reply")
    assert edited.body == "A better reply" and edited.edited is not None
    assert store.delete_comment(reply.id).deleted
    assert store.get_comment(reply.id).deleted  # soft: still there for undo
    assert not store.restore_comment(reply.id).deleted


def test_comment_errors(store: Store, entry_id: int) -> None:
    with pytest.raises(NotFoundError, match="no entry with id 999"):
        store.add_comment(999, "x", author="Me")
    with pytest.raises(StoreError, match="needs some text"):
        store.add_comment(entry_id, "   ", author="Me")
    with pytest.raises(NotFoundError, match="no comment with id 5"):
        store.add_comment(entry_id, "x", author="Me", parent_id=5)
    elsewhere = store.add_comment(entry_id + 1, "on the other entry", author="Me")
    with pytest.raises(StoreError, match="belongs to entry"):
        store.add_comment(entry_id, "x", author="Me", parent_id=elsewhere.id)
    with pytest.raises(NotFoundError):
        store.delete_comment(12345)


def test_site_comments_upsert_thread_and_leave_user_comments(store: Store, entry_id: int) -> None:
    mine = store.add_comment(entry_id, "mine", author="Me")
    parsed = [
        entry("c1", content="<p>Great post</p>", authors=(Author(name="Bo"),), published=NOW),
        entry(
            "c2", content="<p>Agreed</p>", in_reply_to="c1", published=NOW + timedelta(minutes=1)
        ),
        entry(
            "c3", summary="<p>Top level</p>", in_reply_to="g1", published=NOW + timedelta(minutes=2)
        ),
    ]
    assert store.replace_site_comments(entry_id, parsed) == 3
    assert store.replace_site_comments(entry_id, parsed) == 0  # nothing changed
    by_remote = {c.remote_id: c for c in store.list_comments(entry_id)}
    assert by_remote["c1"].author == "Bo" and by_remote["c1"].origin is CommentOrigin.SITE
    assert by_remote["c2"].parent_id == by_remote["c1"].id
    assert by_remote["c3"].parent_id is None and by_remote["c3"].body == "<p>Top level</p>"

    changed = [entry("c2", content="<p>Agreed, edited</p>", in_reply_to="c1")]
    assert store.replace_site_comments(entry_id, changed) == 1
    after = {c.remote_id: c for c in store.list_comments(entry_id)}
    assert after["c2"].body == "<p>Agreed, edited</p>"
    assert after["c1"].id == by_remote["c1"].id  # upserted, not duplicated
    assert after[None] == mine  # the user's comment is untouched
    with pytest.raises(StoreError, match="only yours"):
        store.edit_comment(after["c1"].id, "rewrite")


def test_undated_site_comments_come_after_the_dated_ones(store: Store, entry_id: int) -> None:
    store.replace_site_comments(
        entry_id,
        [
            entry("undated", content="<p>When?</p>"),
            entry("late", content="<p>Late</p>", published=NOW + timedelta(hours=1)),
            entry("early", content="<p>Early</p>", published=NOW),
        ],
    )
    assert [c.remote_id for c in store.comment_threads(entry_id)] == ["early", "late", "undated"]


def test_site_comment_loops_are_broken(store: Store, entry_id: int) -> None:
    store.replace_site_comments(
        entry_id,
        [entry("x", in_reply_to="y", content="x"), entry("y", in_reply_to="x", content="y")],
    )
    threads = store.comment_threads(entry_id)
    assert sum(1 + len(t.replies) for t in threads) == 2  # both visible, one is a root


def test_user_comments_survive_updates_purges_and_reimports(store: Store) -> None:
    feed_id = store.add_feed("https://example.org/feed").id
    old = NOW - timedelta(days=100)
    entry_id = store.apply_parsed_feed(
        feed_id, feed(entry("g1", published=old)), fetch()
    ).new_entry_ids[0]
    comment = store.add_comment(entry_id, "keep me", author="Me")
    store.set_read([entry_id], True)
    store.apply_parsed_feed(
        feed_id, feed(entry("g1", published=old, content="<p>new</p>")), fetch()
    )
    assert store.purge(30, NOW) == 0
    store.import_outline([])
    assert store.list_comments(entry_id) == [comment]


def test_the_sites_comments_cannot_be_deleted(store: Store, entry_id: int) -> None:
    """Only the user's own comments are theirs to delete (a reviewer deleted a site's comment
    from the command line, and the next fetch did not bring it back)."""
    store.replace_site_comments(entry_id, [entry("c1", content="<p>From the site</p>")])
    (site,) = store.list_comments(entry_id)
    with pytest.raises(StoreError, match="is the site's; only yours can be deleted"):
        store.delete_comment(site.id)
    with pytest.raises(StoreError, match="only yours can be restored"):
        store.restore_comment(site.id)
    assert not store.get_comment(site.id).deleted
