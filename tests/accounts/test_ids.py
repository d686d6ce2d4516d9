"""Google Reader item ids in their two spellings are one number."""

from __future__ import annotations

import pytest

from newsreader.accounts.ids import item_id, long_form


@pytest.mark.parametrize(
    ("decimal", "tag"),
    [
        ("1796013762074658", "tag:google.com,2005:reader/item/000661770a4cd822"),
        ("-6917529027641081856", "tag:google.com,2005:reader/item/a000000000000000"),
        ("0", "tag:google.com,2005:reader/item/0000000000000000"),
    ],
)
def test_both_spellings_are_one_id(decimal: str, tag: str) -> None:
    assert item_id(decimal) == item_id(tag) == int(decimal)
    assert long_form(item_id(decimal)) == tag


@pytest.mark.parametrize("bad", ["", "tag:google.com,2005:reader/item/xyz", "1" * 30])
def test_what_is_no_item_id_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        item_id(bad)
