"""What both protocols share: the outcome records, and the steps every sync takes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsreader.accounts.http import ServerConnection
from newsreader.store import Store
from newsreader.store.accounts import RemoteFollowUps
from newsreader.store.types import PendingChange, RemoteWriteResult
from newsreader.sync.followup import JobPlan, queue_jobs
from newsreader.sync.writer import StoreWriter

Forget = Callable[[Sequence[int]], Awaitable[None]]
"""Called with the ids of queued changes as soon as the server has taken them."""


@dataclass(slots=True)
class Tally:
    """What one sync did, added up as it goes."""

    sent: int = 0
    new_entries: int = 0
    state_changes: int = 0
    feeds_added: int = 0
    feeds_removed: int = 0
    refused: list[str] = field(default_factory=list)  # changes the server would not take
    elsewhere: list[str] = field(default_factory=list)  # feed URLs another account holds
    elsewhere_news: list[str] = field(default_factory=list)  # of those, not told before
    subscriptions_changed: bool = False  # a subscription change was sent
    notify: list[int] = field(default_factory=list)  # new entries `notify` rules found
    rule_problems: dict[str, str] = field(default_factory=dict)  # failing rule -> reason

    def add(self, result: RemoteWriteResult) -> None:
        self.new_entries += result.new_entries
        self.state_changes += result.state_changes
        self.feeds_added += result.feeds_added
        self.feeds_removed += result.feeds_removed
        self.elsewhere.extend(result.feeds_elsewhere)
        self.notify.extend(result.notify_entry_ids)
        self.rule_problems.update({p.name: p.message for p in result.rule_problems})


class ServerSession(Protocol):
    """One protocol's sync steps against one server, in this order: `login`, `send`,
    `pull`. Each raises `AccountError`s."""

    connection: ServerConnection
    plans: Sequence[JobPlan]  # the follow-up work new items call for (full articles, images)

    @property
    def session_token(self) -> str | None:
        """A token to log in with next time without a request (None: none)."""

    async def login(self, token: str | None = None) -> None:
        """Logs in, with `token` from an earlier session when the protocol has them."""

    async def send(self, changes: Sequence[PendingChange], forget: Forget, tally: Tally) -> None:
        """Sends the queued changes, oldest subscription change first, item states in
        batches; `forget` each batch the server took before sending the next."""

    async def pull(self, cursor: dict[str, Any], store: StoreWriter, tally: Tally) -> None:
        """Brings what changed on the server since `cursor` into the store, updating
        `cursor` (saved by the caller once the whole sync succeeded)."""


def batches(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def follow_ups_of(plans: Sequence[JobPlan], store: Store) -> RemoteFollowUps | None:
    """The follow-up jobs of a page of new server articles, over the same plans a local
    feed's write runs (None: no follow-up work)."""
    if not plans:
        return None
    return lambda feed, parsed, written: queue_jobs(plans, store, feed, parsed, written)
