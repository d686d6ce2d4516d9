"""One HTTP connection to a feed server: counted requests, bounded waits, and every failure
turned into an `AccountError` that says what happened."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from newsreader.errors import (
    LoginFailedError,
    ServerAnswerError,
    ServerUnreachableError,
)
from newsreader.sync.fetch import USER_AGENT

_DECODE_INLINE_BYTES = 64 * 1024
Params = Sequence[tuple[str, str | int]]
"""Query or form fields in order; a name may repeat (`i=1&i=2`)."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds to wait: for a connection, and for each answer (between bytes read)."""

    connect: float = 10.0
    answer: float = 60.0


class ServerConnection:
    """Requests to one server; `requests` counts those sent (for status and benchmarks)."""

    def __init__(self, base_url: str, timeouts: Timeouts) -> None:
        self.base_url = base_url.rstrip("/")
        self.requests = 0
        self._timeouts = timeouts
        self._client = httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(timeouts.answer, connect=timeouts.connect),
            follow_redirects=True,
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        data: Params | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Sends one request; LoginFailedError for 401/403, ServerAnswerError for other
        failures the server answered with (or a timeout), ServerUnreachableError when no
        connection could be made."""
        url = self.base_url + path
        self.requests += 1
        query: list[tuple[str, str | int | float | bool | None]] = list(params or ())
        form: dict[str, list[str]] = {}
        for name, value in data or ():
            form.setdefault(name, []).append(str(value))
        try:
            response = await self._client.request(
                method, url, params=query or None, data=form or None, headers=headers
            )
        except httpx.TimeoutException as error:
            if isinstance(error, httpx.ConnectTimeout):
                raise ServerUnreachableError(
                    f"cannot reach the server at {self.base_url}: no connection within "
                    f"{self._timeouts.connect:g} s"
                ) from None
            raise ServerAnswerError(
                f"the server at {self.base_url} did not answer within {self._timeouts.answer:g} s"
            ) from None
        except (httpx.ConnectError, httpx.NetworkError) as error:
            raise ServerUnreachableError(
                f"cannot reach the server at {self.base_url} ({reason(error)})"
            ) from None
        except httpx.HTTPError as error:
            raise ServerAnswerError(
                f"the exchange with the server at {self.base_url} failed ({reason(error)})"
            ) from None
        if response.status_code in (401, 403):
            raise LoginFailedError(
                f"the server at {self.base_url} refused the user name or password "
                f"(HTTP {response.status_code}); check them (an API password may differ from "
                "the web password)"
            )
        if response.status_code >= 400:
            raise ServerAnswerError(
                f"the server at {self.base_url} answered HTTP {response.status_code} "
                f"{response.reason_phrase} to {path}",
                response.status_code,
            )
        return response

    async def json(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        data: Params | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """A request whose answer must be JSON (a web page, such as a login page in front
        of the API, is a ServerAnswerError)."""
        response = await self.request(method, path, params=params, data=data, headers=headers)
        return await self.decode(response, path)

    async def decode(self, response: httpx.Response, path: str) -> Any:
        """The answer's JSON (a large one decoded in a worker thread, so the event loop,
        which may be the window's, never waits on it)."""
        self.refuse_html(response, path)
        try:
            if len(response.content) > _DECODE_INLINE_BYTES:
                return await asyncio.to_thread(json.loads, response.content)
            return json.loads(response.content)
        except ValueError:
            raise ServerAnswerError(
                f"the server at {self.base_url} answered {path} with something that is not JSON"
            ) from None

    def refuse_html(self, response: httpx.Response, path: str) -> None:
        """ServerAnswerError when the answer is a web page, not the API."""
        if _looks_like_html(response):
            raise ServerAnswerError(
                f"the server at {self.base_url} answered {path} with a web page instead of "
                "the API (a login page or a wrong address?); check the address and that "
                "the API is enabled"
            )


_SILENT_REASONS: tuple[tuple[type[httpx.HTTPError], str], ...] = (
    (httpx.ReadError, "the connection was closed without an answer"),
    (httpx.WriteError, "the connection was closed while the request was sent"),
    (httpx.ConnectError, "the connection was refused or could not be made"),
    (httpx.CloseError, "the connection could not be closed cleanly"),
    (httpx.RemoteProtocolError, "the connection was closed without an answer"),
)


def reason(error: Exception) -> str:
    """What went wrong, in words: the exception's own text, or, when it has none (a
    connection reset gives httpx.ReadError('')), what its class means."""
    text = str(error).strip()
    if text:
        return text
    for kind, words in _SILENT_REASONS:
        if isinstance(error, kind):
            return f"{words}: {type(error).__name__}"
    return type(error).__name__


def _looks_like_html(response: httpx.Response) -> bool:
    """A web page rather than an API answer: markup first (servers such as FreshRSS send
    some JSON and plain-text answers labelled text/html, so the label alone proves nothing)."""
    start = response.content[:512].lstrip().lower()
    return start.startswith(b"<") and (
        b"<html" in start or b"<!doctype" in start or b"<head" in start or b"<body" in start
    )
