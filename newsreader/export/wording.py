"""Counts in words, as every export writes them: "1 article", "12 articles"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and the noun, singular for exactly one: "1 article", "0 articles"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
