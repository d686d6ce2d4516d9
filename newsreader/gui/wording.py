"""Counts in words for status lines, titles and tooltips."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """`count` and `noun`, with an English plural "s" unless it is exactly one: "3 feeds"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
