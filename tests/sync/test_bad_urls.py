"""URLs that cannot be parsed (issue 16) reach the fetcher as a FetchError, never a crash."""

from __future__ import annotations

import asyncio

import pytest

from newsreader.errors import FetchError
from tests.loopback import LoopbackServer, Response
from tests.sync.test_fetch import get


@pytest.mark.parametrize("url", ["http://[x]/feed.xml", "a://[b]"])
def test_an_unparseable_address_is_a_fetch_error(url: str) -> None:
    with pytest.raises(FetchError, match="not a valid address"):
        asyncio.run(get(url))


def test_a_redirect_to_an_unparseable_address_is_a_fetch_error(server: LoopbackServer) -> None:
    server.route("/moved", Response(status=302, headers={"Location": "http://[x]/feed.xml"}))
    with pytest.raises(FetchError):  # httpx refuses the Location header first
        asyncio.run(get(server.url("/moved")))
