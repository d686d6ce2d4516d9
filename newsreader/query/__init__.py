"""The one search language of the filter box, `newsreader search`, saved searches and rules:
`parse(text) -> Node`, a tree of frozen records that the store compiles to SQL. No I/O here."""

from newsreader.errors import QuerySyntaxError
from newsreader.query.ast import Node, leaves
from newsreader.query.syntax import SYNTAX_HELP, field_hint, parse

__all__ = ["SYNTAX_HELP", "Node", "QuerySyntaxError", "field_hint", "leaves", "parse"]
