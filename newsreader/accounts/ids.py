"""Item ids of the Google Reader API, which come in two spellings.

`stream/items/ids` gives decimal numbers (`1796013762074658`, possibly negative: a signed
64-bit integer), `stream/contents` gives `tag:google.com,2005:reader/item/<16 hex digits>`
(the same 64 bits, unsigned). Both become the one signed 64-bit integer the store keeps.
"""

from __future__ import annotations

ITEM_TAG = "tag:google.com,2005:reader/item/"
_BITS = 64


def item_id(value: str | int) -> int:
    """The signed 64-bit id of an item from either spelling; ValueError if it is neither."""
    if isinstance(value, int):
        return _signed(value)
    text = value.strip()
    if text.startswith(ITEM_TAG):
        return _signed(int(text[len(ITEM_TAG) :], 16))
    return _signed(int(text, 10))


def long_form(value: int) -> str:
    """The `tag:` spelling of an item id."""
    return f"{ITEM_TAG}{value & ((1 << _BITS) - 1):016x}"


def _signed(value: int) -> int:
    if not -(1 << (_BITS - 1)) <= value < (1 << _BITS):
        raise ValueError(f"item id {value} does not fit in 64 bits")
    return value - (1 << _BITS) if value >= 1 << (_BITS - 1) else value
