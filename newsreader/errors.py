"""The exception tree: every exception the program raises on purpose, each defined here (as
httpx draws its tree in `httpx/_exceptions.py`).

Front ends catch `NewsreaderError` and show `str(error)` as is; code that must tell failures
apart does so by type (`isinstance`) and by the fields an error carries, never by reading
messages. Errors from libraries are translated into this tree by their type (or their code,
as lxml's error log gives it), at the place that calls the library.

NewsreaderError                   an expected failure with a message fit for the user
├── UsageError                    the command line cannot be used as written: exit 2
├── ParseError                    a document is not a feed (or OPML file) we can read
│   ├── HostileDocumentError      a document tried something dangerous (bomb, DTD, size)
│   └── NoArticleError            a web page holds no article to extract (full text)
│       └── ArticleWalledError    it shows a paywall, a subscribers' preview or a consent wall
├── StoreError                    the local database
│   ├── StoreCorruptError         quick_check failed (or the file is empty); names the backup
│   ├── StoreLockedError          another process holds the store (or a sync lock)
│   ├── StoreWriteError           the store cannot be written: a sync stops at the first one
│   │   ├── DiskFullError         no space left on the disk (or over a quota)
│   │   └── ReadOnlyError         the store file or its folder is read-only
│   └── NotFoundError             no such feed, entry, folder or comment
├── SearchQueryError              a search that cannot be run
│   ├── QuerySyntaxError          a syntax error, with its position
│   └── PatternTimeoutError       a `~/re/` pattern ran out of time
├── AccountError                  a feed server's account (Google Reader API, Fever API)
│   ├── LoginFailedError          the server refused the user name or password
│   ├── ServerUnreachableError    no connection (offline, server down, wrong host)
│   └── ServerAnswerError         an answer the API cannot have given: a web page, a 500, a
│       │                         timeout, broken JSON (`status`: the HTTP status, if any)
│       └── NotTheApiError        the address answers, but not as the API (a wrong path)
├── FetchError                    the network (carried per feed, never stops a sync)
│   ├── NetworkError              no usable answer from any server (offline, DNS, timeout, TLS)
│   │   └── UnresolvableHostError the host name did not resolve: the host is skipped this sync
│   │       └── HostLookupError   the sync's resolver could not look the name up (`timed_out`:
│   │                             its name server did not answer); raised inside the transport
│   ├── TruncatedBodyError        the server stopped before the whole body arrived
│   ├── HTTPStatusError           the server answered with an error status
│   ├── BodyTooLargeError         the response is over the size limit
│   ├── UnexpectedContentTypeError  the response is not of the kind asked for (`content_type`)
│   └── UnsupportedEncodingError  a Content-Encoding we cannot decode
├── SyncBusyError                 another sync of the same store is running
├── PickError                     `add --pick N` names a feed discovery did not find
├── AlreadySubscribedError        the chosen feed is subscribed already
├── CredentialsError              the keyring cannot store or hand out a login
├── OpenTargetError               what was given to open is no feed address, OPML or feed file
├── DesktopEntryError             the menu entry cannot be installed here
├── InstanceNotAnsweringError     another start owns the data folder but did not answer
├── SelfTestFailure               a check of `newsreader --self-test` saw something wrong
└── ExportError                   an export could not be written
    ├── TargetExistsError         a final name is taken (the window asks before forcing)
    └── ExportCancelled           the user cancelled; nothing was left under a final name

`describe_os_error` turns an `OSError` into the words these messages use ("the disk is full").
"""

from __future__ import annotations

import errno
from enum import StrEnum
from pathlib import Path

_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_NOT_ALLOWED = frozenset({errno.EACCES, errno.EPERM})


class NewsreaderError(Exception):
    """Base of every expected error; `str(error)` is shown to the user as is."""


class UsageError(NewsreaderError):
    """The command line asks for something that cannot be done as written (options that
    exclude each other, nothing chosen): exit 2, as argparse's own usage errors."""


class ParseError(NewsreaderError):
    pass


class HostileDocumentError(ParseError):
    pass


class NoArticleError(ParseError):
    pass


class ArticleWalledError(NoArticleError):
    pass


class StoreError(NewsreaderError):
    pass


class StoreCorruptError(StoreError):
    def __init__(self, path: Path, detail: str, backup: Path | None) -> None:
        self.path = path
        self.detail = detail
        self.backup = backup
        where = f"the last good backup is {backup}" if backup else "no backup was found"
        super().__init__(f"the store {path} is damaged ({detail}); {where}")


class StoreLockedError(StoreError):
    pass


class StoreWriteError(StoreError):
    """The store cannot take writes at all; retrying the next feed would fail the same way."""


class DiskFullError(StoreWriteError):
    pass


class ReadOnlyError(StoreWriteError):
    pass


class NotFoundError(StoreError):
    pass


class SearchQueryError(NewsreaderError):
    pass


class QuerySyntaxError(SearchQueryError):
    """A search that cannot be read; `position` is the 0-based offset of the mistake in
    `text`, `detail` what is wrong there. The message ends with `syntax`, the whole search
    syntax in one line (`query.SYNTAX_HELP`)."""

    def __init__(self, text: str, position: int, detail: str, syntax: str) -> None:
        self.text = text
        self.position = position
        self.detail = detail
        super().__init__(
            f"cannot search for {text!r}: at position {position + 1}, {detail} "
            f"(the syntax: {syntax})"
        )


class PatternTimeoutError(SearchQueryError):
    """A pattern ran out of time on one entry (catastrophic backtracking, or a huge field)."""


class AccountError(NewsreaderError):
    pass


class LoginFailedError(AccountError):
    pass


class ServerUnreachableError(AccountError):
    pass


class ServerAnswerError(AccountError):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status, when the server answered with an error


class NotTheApiError(ServerAnswerError):
    """The address answered, but not as the account's API (a web page, another API)."""


class FetchError(NewsreaderError):
    pass


class NetworkFailure(StrEnum):
    """What kind of failure a `NetworkError` is (the Feed problems list groups by it)."""

    CONNECT = "connect"  # the connection failed (TLS, reset, protocol, proxy, other)
    TIMEOUT = "timeout"  # connecting or reading took too long
    REFUSED = "refused"  # the host refused the connection
    CERTIFICATE = "certificate"  # the server's certificate is not trusted


class NetworkError(FetchError):
    """No usable answer from any server: the next try may well succeed. `kind` says which
    way it failed."""

    def __init__(self, message: str, kind: NetworkFailure = NetworkFailure.CONNECT) -> None:
        super().__init__(message)
        self.kind = kind


class UnresolvableHostError(NetworkError):
    """The host name did not resolve (or its name server did not answer): every other
    request to that host in the same sync fails at once."""

    def __init__(self, host: str, message: str) -> None:
        super().__init__(message)
        self.host = host


class HostLookupError(UnresolvableHostError):
    """The sync's resolver could not look `host` up: `reason` is the resolver's (or the
    system's) words, `timed_out` whether its name server did not answer in time. The
    message names the host, and the reason when the lookup timed out."""

    def __init__(self, host: str, reason: str, *, timed_out: bool = False) -> None:
        name = f"cannot resolve host name {host}"
        super().__init__(host, f"{name}: {reason}" if timed_out else name)
        self.reason = reason
        self.timed_out = timed_out


class TruncatedBodyError(FetchError):
    """The server answered, then closed the connection (or broke the chunked coding, or
    stopped sending) before the whole body arrived."""

    def __init__(self, message: str, *, received: int, timed_out: bool) -> None:
        super().__init__(message)
        self.received = received  # bytes of the body that did arrive
        self.timed_out = timed_out  # it stopped sending, rather than closing


class HTTPStatusError(FetchError):
    def __init__(self, url: str, status: int, retry_after: str | None = None) -> None:
        self.url = url
        self.status = status
        self.retry_after = retry_after
        from http import HTTPStatus  # not at start-up: its ~60-member enum is built on import

        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "error"
        hint = ""
        if status == 401:
            hint = "; the feed needs a login (newsreader add URL --user NAME saves one)"
        super().__init__(f"HTTP {status} {phrase}{hint}")

    @property
    def transient(self) -> bool:
        """Whether the same request may well succeed later: a server error (5xx), a request
        timeout (408) or too many requests (429), as RFC 9110 §15.5.9, §15.6 and RFC 6585
        §4 describe them; a 404 or 410 will not."""
        return self.status in (408, 429) or 500 <= self.status <= 599


class BodyTooLargeError(FetchError):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        size = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
        super().__init__(f"the response is larger than the limit of {size}")


class UnexpectedContentTypeError(FetchError):
    """The server answered with a type of content the request did not ask for (a web page
    where an article page's HTML, an image or a feed was expected); `content_type` is the
    media type it sent ("" when none)."""

    def __init__(self, url: str, content_type: str) -> None:
        self.content_type = content_type
        super().__init__(f"unexpected content type {content_type or 'none'!r} from {url}")


class UnsupportedEncodingError(FetchError):
    pass


class SyncBusyError(NewsreaderError):
    pass


class PickError(NewsreaderError):
    """`--pick N` names a feed that discovery did not find."""


class AlreadySubscribedError(NewsreaderError):
    """The chosen feed is subscribed already."""


class CredentialsError(NewsreaderError):
    """The keyring cannot store or hand out a login."""


class OpenTargetError(NewsreaderError):
    """The text given to open is neither a feed address nor an OPML or feed file."""


class DesktopEntryError(NewsreaderError):
    """The menu entry cannot be installed here."""


class InstanceNotAnsweringError(NewsreaderError):
    """Another start owns this data folder but did not take the request."""


class SelfTestFailure(NewsreaderError):
    """A self-test check saw something wrong; the message says what."""


class ExportError(NewsreaderError):
    pass


class TargetExistsError(ExportError):
    """A final name is taken; the window asks before retrying with force."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} already exists (use --force to overwrite it)")


class ExportCancelled(ExportError):
    """The user cancelled; nothing was left under a final name."""

    def __init__(self) -> None:
        super().__init__("export cancelled; no file was written")


def describe_os_error(error: OSError) -> str:
    """What went wrong with a file, in the user's words: "the disk is full", "… is read-only",
    else the system's own message; the file's name when the error carries one."""
    where = f" ({error.filename})" if error.filename else ""
    if error.errno in _DISK_FULL:
        return f"the disk is full{where}"
    if error.errno == errno.EROFS:
        return f"the file or folder is read-only{where}"
    if error.errno in _NOT_ALLOWED:
        return f"permission denied{where}"
    return f"{error.strerror or error}{where}"
