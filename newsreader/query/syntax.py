"""The search language: text the user typed -> a tree of `Node`s (see `newsreader.query.ast`).

Grammar (upper-case words are keywords, only in upper case)::

    query   := either EOF
    either  := both ("OR" both)*
    both    := negated (["AND"] negated)*          terms side by side must all match
    negated := ("-" | "NOT") negated | primary
    primary := "(" either ")" | FIELD:"(" either ")" | term
    term    := WORD | WORD* | "PHRASE" | FIELD:VALUE | FIELD:"VALUE" | FIELD~/REGEX/FLAGS

`FIELD:( ... )` gives every plain word and phrase of the group that field (`title:(bridge OR
"harbour park")` is `title:bridge OR title:"harbour park"`), as Gmail and Inoreader read it;
a term with its own field inside keeps it.

A tokeniser turns the text into tokens that remember where they start (0-based character
offset); the recursive-descent parser builds the tree. Every mistake raises
`QuerySyntaxError` naming the position (1-based, as people count) and what was expected.
Words that are not a known field stay plain words, so `10:30` or `https://example.com` are
searched as text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from newsreader.errors import QuerySyntaxError
from newsreader.query.ast import (
    AGE_UNITS,
    FLAGS,
    MATCH_FIELDS,
    PATTERN_FIELDS,
    TEXT_FIELDS,
    UNKNOWN_LANGUAGE,
    Age,
    All,
    Any,
    DateBound,
    Flag,
    Match,
    Node,
    Not,
    Pattern,
    Term,
)

TokenKind = Literal[
    "word", "phrase", "open", "close", "minus", "or", "and", "not", "pattern", "end"
]

SYNTAX_HELP = (
    'words, "a phrase", prefix*, -word, OR, NOT, (groups), title: author: feed: folder: tag: '
    "category: lang:en|und title:(a OR b) "
    "is:unread|read|starred|commented|hidden has:enclosure after:YYYY-MM-DD "
    "before:YYYY-MM-DD age:<3d|>2w title~/regex/i (also author~ link~ category~)"
)
"""One line naming the whole syntax, for error messages, tooltips and help texts."""

_SPACE = frozenset(" \t\r\n\f\v")
_DELIMITERS = _SPACE | frozenset('()"')
_KEYWORDS: dict[str, TokenKind] = {"OR": "or", "AND": "and", "NOT": "not"}
_WORD_CHAR = re.compile(r"\w")
_AGE = re.compile(r"(?P<op>[<>])(?P<count>\d{1,6})(?P<unit>[a-z])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PATTERN_START = re.compile(r"(?P<field>[a-z]+)~/")
_PATTERN_FLAGS = frozenset("i")
_LANGUAGE_TAG = re.compile(r"(?P<primary>[a-z]{2,3})(?:-[a-z0-9]{1,8})*")


def _mistake(text: str, position: int, detail: str) -> QuerySyntaxError:
    """The error for a mistake in `text` at `position` (0-based), with the syntax in brief."""
    return QuerySyntaxError(text, position, detail, SYNTAX_HELP)


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # the word, the phrase without quotes, or the pattern without slashes
    position: int
    field: str | None = None  # for a field:"phrase" value or a field~/pattern/
    flags: str = ""  # a pattern's flags


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, ending with an "end" token. Raises QuerySyntaxError for an
    unclosed phrase or pattern."""
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char in _SPACE:
            i += 1
        elif char == "(":
            tokens.append(Token("open", char, i))
            i += 1
        elif char == ")":
            tokens.append(Token("close", char, i))
            i += 1
        elif char == '"':
            end = _phrase_end(text, i)
            tokens.append(Token("phrase", text[i + 1 : end].replace('""', '"'), i))
            i = end + 1
        elif char == "-" and i + 1 < n and text[i + 1] not in _DELIMITERS - {'"', "("}:
            tokens.append(Token("minus", char, i))
            i += 1
        else:
            pattern = _PATTERN_START.match(text, i)
            if pattern is not None and pattern["field"] in PATTERN_FIELDS:
                token, i = _pattern(text, i, pattern["field"], pattern.end())
                tokens.append(token)
                continue
            start = i
            while i < n and text[i] not in _DELIMITERS:
                i += 1
            word = text[start:i]
            if word.endswith(":") and i < n and text[i] == '"' and word[:-1] in _FIELDS:
                end = _phrase_end(text, i)
                value = text[i + 1 : end].replace('""', '"')
                tokens.append(Token("phrase", value, start, field=word[:-1]))
                i = end + 1
            else:
                tokens.append(Token(_KEYWORDS.get(word, "word"), word, start))
    tokens.append(Token("end", "", n))
    return tokens


def _phrase_end(text: str, start: int) -> int:
    """The offset of the quote closing the phrase opened at `start` ("" inside is a quote)."""
    i = start + 1
    while True:
        end = text.find('"', i)
        if end < 0:
            raise _mistake(text, start, 'this " opens a phrase that is never closed')
        if text.startswith('""', end):
            i = end + 2
            continue
        return end


def _pattern(text: str, start: int, field: str, body: int) -> tuple[Token, int]:
    """A `field~/pattern/flags` token and the offset after it (`\\/` is a slash inside)."""
    i = body
    while i < len(text) and text[i] != "/":
        i += 2 if text[i] == "\\" else 1
    if i >= len(text):
        raise _mistake(text, body - 1, "this / opens a pattern that is never closed")
    source = text[body:i].replace("\\/", "/")
    i += 1
    flags_start = i
    while i < len(text) and text[i] not in _DELIMITERS:
        i += 1
    flags = text[flags_start:i]
    unknown = set(flags) - _PATTERN_FLAGS
    if unknown:
        raise _mistake(
            text, flags_start, f"unknown pattern flag {''.join(sorted(unknown))!r} (only i)"
        )
    return Token("pattern", source, start, field=field, flags=flags), i


_FIELDS = frozenset((*TEXT_FIELDS, *MATCH_FIELDS, "is", "has", "after", "before", "age"))


_FIELD_LIKE = re.compile(r"(?P<name>[a-z]{2,12}):(?P<value>.*)", re.DOTALL)


def field_hint(text: str) -> str | None:
    """A note for a query with a word that looks like a field but names none (`titel:ferry`,
    searched as the words "titel" and "ferry"), with the field meant when one is close
    ("did you mean title:?"); None when there is none, or when `text` does not tokenise.
    Web addresses (`https://...`) are words, not mistaken fields. Gmail and FreshRSS search
    such words silently; a filter that finds nothing should say why."""
    try:
        tokens = tokenize(text)
    except QuerySyntaxError:
        return None
    for token in tokens:
        found = _FIELD_LIKE.fullmatch(token.text) if token.kind == "word" else None
        if found is None or found["name"] in _FIELDS or found["value"].startswith("//"):
            continue
        name = found["name"]
        close = difflib.get_close_matches(name, sorted(_FIELDS), n=1)
        meant = f" (did you mean {close[0]}:?)" if close else ""
        return f"{name}: is not a search field, so {token.text!r} is searched as words{meant}"
    return None


MAX_NESTING = 24
"""How many ( and NOT/- a search may nest (a person writes two or three)."""


def parse(text: str) -> Node:
    """The tree of a search. Raises QuerySyntaxError (a SearchQueryError) naming the
    position of the first mistake; an empty search is one too."""
    return _Parser(text, tokenize(text)).parse()


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.at = 0
        self.depth = 0  # the ( and NOT/- around the token read
        self.within: str | None = None  # the field of the `FIELD:( ... )` group being read

    def deeper(self, token: Token) -> None:
        """One more ( or NOT/- around what follows; a search nesting deeper than
        `MAX_NESTING` is a mistake at `token` (deeper, Python's recursion or SQLite's FTS5
        parser stack gave up with a traceback or a "parser stack overflow" blamed on the
        store)."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail(token, f"the search nests deeper than {MAX_NESTING} ( or NOT")

    def peek(self) -> Token:
        return self.tokens[self.at]

    def advance(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, token: Token, detail: str) -> QuerySyntaxError:
        return _mistake(self.text, token.position, detail)

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise self.fail(self.peek(), "the search is empty")
        node = self.either()
        if self.peek().kind == "close":
            raise self.fail(self.peek(), "this ) closes nothing")
        if self.peek().kind != "end":
            raise self.fail(self.peek(), f"unexpected {self.peek().text!r}")
        return node

    def either(self) -> Node:
        operands = [self.both()]
        while self.peek().kind == "or":
            self.advance()
            operands.append(self.both())
        return operands[0] if len(operands) == 1 else Any(tuple(operands))

    def both(self) -> Node:
        operands = [self.negated()]
        while self.peek().kind not in ("or", "close", "end"):
            if self.peek().kind == "and":
                self.advance()
            operands.append(self.negated())
        return operands[0] if len(operands) == 1 else All(tuple(operands))

    def negated(self) -> Node:
        if self.peek().kind in ("minus", "not"):
            self.deeper(self.advance())
            node = Not(self.negated())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        token = self.peek()
        match token.kind:
            case "open":
                self.deeper(self.advance())
                if self.peek().kind == "close":
                    raise self.fail(self.peek(), "nothing between ( and )")
                node = self.either()
                if self.peek().kind != "close":
                    raise self.fail(
                        self.peek(), f"expected ) to close the ( at position {token.position + 1}"
                    )
                self.advance()
                self.depth -= 1
                return node
            case "phrase":
                self.advance()
                if (name := token.field or self.within) is not None:
                    return self.field(token, name, token.text, phrase=True)
                return self.term(token, token.text, None, phrase=True)
            case "pattern":
                self.advance()
                return self.pattern(token)
            case "word":
                self.advance()
                return self.word(token)
            case "end":
                raise self.fail(token, "the search ends where a word was expected")
            case "close":
                raise self.fail(token, "expected a word before )")
            case _:
                raise self.fail(token, f"expected a word, not {token.text}")

    def word(self, token: Token) -> Node:
        name, colon, value = token.text.partition(":")
        if colon and name in _FIELDS:
            if value:
                return self.field(token, name, value, phrase=False)
            following = self.peek()  # `title: word`: the value is the next token
            if following.kind in ("word", "phrase") and following.field is None:
                self.advance()
                return self.field(token, name, following.text, phrase=following.kind == "phrase")
            if following.kind == "open":
                return self.group_of(name)
            raise self.fail(following, f"expected a value or ( after {name}:")
        if self.within is not None:
            return self.field(token, self.within, token.text, phrase=False)
        return self.term(token, token.text, None, phrase=False)

    def group_of(self, name: str) -> Node:
        """`FIELD:( ... )`: the group, its plain words and phrases in that field."""
        outer, self.within = self.within, name
        try:
            return self.primary()
        finally:
            self.within = outer

    def term(self, token: Token, text: str, field: str | None, *, phrase: bool) -> Node:
        prefix = not phrase and text.endswith("*") and len(text) > 1
        words = text[:-1] if prefix else text
        if not _WORD_CHAR.search(words):
            raise self.fail(token, f"nothing to search for in {text!r} (no letters or digits)")
        return Term(words, field, phrase=phrase, prefix=prefix, position=token.position)

    def field(self, token: Token, name: str, value: str, *, phrase: bool) -> Node:
        if name in TEXT_FIELDS:
            return self.term(token, value, name, phrase=phrase)
        if name == "lang":
            return self.language(token, value)
        if name in MATCH_FIELDS:
            cleaned = " ".join(value.split())
            if not cleaned:
                raise self.fail(token, f"{name}: needs a value")
            return Match(name, cleaned, position=token.position)
        value = value.lower()
        if name in ("is", "has"):
            flag = f"{name}:{value}"
            if flag not in FLAGS:
                known = ", ".join(f for f in FLAGS if f.startswith(name + ":"))
                raise self.fail(token, f"unknown {flag} (known: {known})")
            return Flag(flag, position=token.position)
        if name == "age":
            return self.age(token, value)
        return self.date(token, name, value)

    def language(self, token: Token, value: str) -> Node:
        """`lang:en`, `lang:pt-BR` (only the primary tag counts: entries carry "pt"), or
        `lang:und` for entries of unknown language."""
        found = _LANGUAGE_TAG.fullmatch(value.strip().lower())
        if found is None:
            raise self.fail(
                token,
                f"lang:{value} is not a language tag like lang:en or lang:pt-BR "
                f"(lang:{UNKNOWN_LANGUAGE} for an unknown language)",
            )
        return Match("lang", found["primary"], position=token.position)

    def age(self, token: Token, value: str) -> Node:
        found = _AGE.fullmatch(value)
        if found is None or found["unit"] not in AGE_UNITS:
            raise self.fail(
                token,
                f"age:{value} is not an age like age:<3d or age:>2w "
                f"(units: {', '.join(AGE_UNITS)})",
            )
        seconds = int(found["count"]) * AGE_UNITS[found["unit"]]
        return Age(newer=found["op"] == "<", seconds=seconds, position=token.position)

    def date(self, token: Token, name: str, value: str) -> Node:
        try:
            if not _DATE.fullmatch(value):
                raise ValueError(value)
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise self.fail(token, f"{name}:{value} is not a date like {name}:2026-11-01") from None
        return DateBound(before=name == "before", at=day, position=token.position)

    def pattern(self, token: Token) -> Node:
        assert token.field is not None
        if not token.text:
            raise self.fail(token, "the pattern is empty")
        import regex  # here, not at the top: only a query with a pattern needs it (start-up)

        try:
            regex.compile(token.text, regex.VERSION0)
        except regex.error as error:
            raise self.fail(token, f"the pattern /{token.text}/ is not valid ({error})") from None
        return Pattern(
            token.field, token.text, ignore_case="i" in token.flags, position=token.position
        )
