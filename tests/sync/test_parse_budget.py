"""A parse in the parse process that runs past its budget: the process is stopped, the feed
fails with a ParseError, and the next parse gets a new process."""

from __future__ import annotations

import asyncio
import time
from functools import partial

import pytest

from newsreader.errors import ParseError
from newsreader.sync import parsers
from tests.sync.test_parse_process import started_process


def test_a_parse_past_its_budget_stops_the_process() -> None:
    pool = started_process()

    async def over_budget() -> None:
        await parsers.parse_in_process(pool, asyncio.Lock(), partial(time.sleep, 600), 0.2)

    with pytest.raises(ParseError, match="stopped"):
        asyncio.run(over_budget())
    assert parsers.processes.ready() is not pool  # forgotten: the next sync starts another
    fresh = started_process()
    assert fresh is not pool

    async def in_budget() -> int:
        return await parsers.parse_in_process(fresh, asyncio.Lock(), partial(abs, -3), 60)

    assert asyncio.run(in_budget()) == 3
