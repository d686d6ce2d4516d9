"""What state a feed is in, and what went wrong with it, for the command line and the window.

One rule for both: a feed has a problem when its last fetch failed, or when a sync switched it
off (410 Gone) with a reason. A feed the user switched off (`USER_DISABLED_REASON`) or one
that ships with the program and is never fetched (an address on the `.invalid` domain, which
can never resolve: the bundled welcome feed) is not a problem.

Problems are grouped by cause (`problem_cause`) so that many feeds failing the same way (no
network: every host name fails to resolve) show as one line. A failure's cause is told by
the error's type and fields when it happens (`failures.failure_cause`) and stored with the
feed's problem (`Feed.error_cause`, a `failures.Cause` member's name); a problem stored
before causes were (schema step `0027_error_cause`) is in "other problems" until the feed's
next fetch.

A feed-server account whose last sync failed (`AccountProblem`) is a problem of all its
feeds at once: none of them gets new articles until the account syncs again, whatever each
feed's own state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from newsreader import urls
from newsreader.failures import Cause
from newsreader.model import Account, AccountStatus, Feed
from newsreader.store.types import USER_DISABLED_REASON
from newsreader.wording import counted

BUNDLED_REASON = "comes with Newsreader: nothing to fetch"


class FeedStatus(StrEnum):
    OK = "ok"
    FAILING = "failing"  # the last fetch failed; the next one tries again
    DISABLED = "disabled"  # switched off: by the user, by a sync (410 Gone), or bundled


def is_bundled(feed: Feed) -> bool:
    """A feed shipped with the program (on the `.invalid` domain, never fetched)."""
    return urls.on_invalid_domain(feed.url)


def feed_status(feed: Feed) -> FeedStatus:
    if feed.disabled:
        return FeedStatus.DISABLED
    return FeedStatus.FAILING if feed.last_error is not None else FeedStatus.OK


def disabled_reason(feed: Feed) -> str | None:
    """Why a disabled feed is off, in words (None for a feed that is on)."""
    if not feed.disabled:
        return None
    if is_bundled(feed):
        return BUNDLED_REASON
    return feed.disabled_reason or USER_DISABLED_REASON


def has_problem(feed: Feed) -> bool:
    """A failing feed, or one a sync switched off with a reason."""
    if feed.disabled:
        return not is_bundled(feed) and feed.disabled_reason not in (None, USER_DISABLED_REASON)
    return feed.last_error is not None


def problem_text(feed: Feed) -> str:
    """The problem in the fetcher's words ("HTTP 404 Not Found"); empty without one."""
    if not has_problem(feed):
        return ""
    if feed.disabled:
        return feed.disabled_reason or ""
    return feed.last_error or ""


def problem_cause(feed: Feed) -> Cause:
    """The stored cause of the feed's problem (`Cause.OTHER` when none was stored)."""
    name = feed.error_cause
    return Cause[name] if name is not None and name in Cause.__members__ else Cause.OTHER


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    cause: Cause
    feeds: tuple[Feed, ...]

    def describe(self, *, online: bool) -> str:
        """For example "16 feeds: cannot resolve host names — this computer seems offline"."""
        text = f"{counted(len(self.feeds), 'feed')}: {self.cause.value}"
        if self.cause == Cause.NO_NAME:
            hint = "this computer seems offline" if not online else "the sites may be gone"
            text += f" — {hint}"
        return text


def problem_groups(feeds: Sequence[Feed]) -> list[ProblemGroup]:
    """The feeds with a problem, grouped by cause, the largest group first."""
    grouped: dict[Cause, list[Feed]] = {}
    for feed in feeds:
        if has_problem(feed):
            grouped.setdefault(problem_cause(feed), []).append(feed)
    groups = [ProblemGroup(cause, tuple(members)) for cause, members in grouped.items()]
    return sorted(groups, key=lambda g: (-len(g.feeds), list(Cause).index(g.cause)))


FAILED_ACCOUNT = frozenset({AccountStatus.OFFLINE, AccountStatus.LOGIN_FAILED, AccountStatus.ERROR})
"""The account states of a last sync that failed (a new account has not failed yet)."""


def account_problem_text(account: Account) -> str:
    """Why the account's last sync failed, in the sync's words when it gave some."""
    return account.status_message or account.status.value


@dataclass(frozen=True)
class AccountProblem:
    """A feed-server account whose last sync failed, with its feeds (none of which gets new
    articles until the account syncs again)."""

    account: Account
    feeds: tuple[Feed, ...]

    def describe(self) -> str:
        """For example "12 feeds: account alice at rss.example not synced (HTTP 401)", worded
        like the groups of feeds failing on their own ("16 feeds: cannot resolve host names")."""
        feeds = counted(len(self.feeds), "feed")
        account = self.account
        where = urls.host(account.url) or account.url
        reason = account_problem_text(account)
        return f"{feeds}: account {account.username} at {where} not synced ({reason})"


def account_problems(feeds: Sequence[Feed], accounts: Sequence[Account]) -> list[AccountProblem]:
    """The `accounts` whose last sync failed, each with its feeds among `feeds`, in the
    accounts' order; an account none of `feeds` belongs to is left out."""
    problems = []
    for account in accounts:
        if account.status in FAILED_ACCOUNT:
            own = tuple(f for f in feeds if f.account_id == account.id)
            if own:
                problems.append(AccountProblem(account, own))
    return problems


def problem_feed_count(feeds: Sequence[Feed], accounts: Sequence[Account]) -> int:
    """How many of `feeds` have a problem of their own or through their account: the count
    Feed problems shows."""
    through_accounts = {f.id for p in account_problems(feeds, accounts) for f in p.feeds}
    return len(through_accounts | {f.id for f in feeds if has_problem(f)})
