"""Why a feed's fetch failed, told by the error's type and fields (never its words): the
causes the Feed problems list groups failing feeds by (`feed_status.problem_groups`). The sync
tells a failure's cause when it happens and the store keeps it with the problem (by the
member's name); below both, so that each can use it.
"""

from __future__ import annotations

from enum import StrEnum

from newsreader.errors import (
    HTTPStatusError,
    NetworkError,
    NetworkFailure,
    ParseError,
    TruncatedBodyError,
    UnexpectedContentTypeError,
    UnresolvableHostError,
)


class Cause(StrEnum):
    """Kinds of problems, each with the words a group of them is shown with."""

    NO_NAME = "cannot resolve host names"
    TIMEOUT = "servers did not answer in time"
    REFUSED = "connections refused"
    CERTIFICATE = "certificates not trusted"
    NETWORK = "cannot connect"
    NOT_FOUND = "not found (HTTP 404)"
    GONE = "gone for good (HTTP 410)"
    LOGIN = "a login is needed or was refused"
    SERVER = "server errors (HTTP 5xx)"
    HTTP = "other HTTP errors"
    NOT_A_FEED = "not a feed, or a broken one"
    OTHER = "other problems"


_NETWORK_CAUSES = {
    NetworkFailure.TIMEOUT: Cause.TIMEOUT,
    NetworkFailure.REFUSED: Cause.REFUSED,
    NetworkFailure.CERTIFICATE: Cause.CERTIFICATE,
}


def failure_cause(error: Exception) -> Cause:
    """The cause a failed fetch (or parse) of a feed is grouped under, told by the error's
    type and fields."""
    if isinstance(error, UnresolvableHostError):
        return Cause.NO_NAME
    if isinstance(error, NetworkError):
        return _NETWORK_CAUSES.get(error.kind, Cause.NETWORK)
    if isinstance(error, TruncatedBodyError):
        return Cause.TIMEOUT if error.timed_out else Cause.NETWORK
    if isinstance(error, HTTPStatusError):
        return http_cause(error.status)
    if isinstance(error, ParseError | UnexpectedContentTypeError):
        return Cause.NOT_A_FEED
    return Cause.OTHER


def http_cause(status: int) -> Cause:
    """The cause of an HTTP error status."""
    if status == 410:
        return Cause.GONE
    if status == 404:
        return Cause.NOT_FOUND
    if status in (401, 403):
        return Cause.LOGIN
    return Cause.SERVER if 500 <= status <= 599 else Cause.HTTP
