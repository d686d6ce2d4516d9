"""What can go wrong talking to a feed server; each message is fit for the user.

AccountError (NewsreaderError)
├── LoginFailedError        the server refused the user name or password
├── ServerUnreachableError  no connection (offline, server down, wrong host)
└── ServerAnswerError       an answer the API cannot have given: a web page, a 500, a
                            timeout, broken JSON
"""

from __future__ import annotations

from newsreader.errors import NewsreaderError


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
