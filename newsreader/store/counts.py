"""How a saved search's unread count is kept up to date by the writes (step
0021_search_counts; the SQL runs in `SavedSearchMixin`).

A search's unread count is the number of unread entries it finds. For an unread entry,
`is:unread` holds and `is:read` does not, so the search finds the same unread entries as its
*unread form*, the tree with those two flags replaced by true and false. The unread form does
not test the read flag: which entries it finds changes only when an entry's text, tags,
comments, flags other than read, feed or folder change, never when it is read. The store keeps
the entries each search's unread form finds (read or not) and which of them are unread, so
marking articles read updates counts without testing any search, and a write tests only the
entries it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newsreader.query.ast import Age, All, Any, Flag, Match, Node, Not, leaves
from newsreader.store.query_sql import parsed_search


@dataclass(frozen=True, slots=True)
class CountPlan:
    """How one saved search is counted: `tree`, its unread form (True: it finds every entry,
    False: none); `shows_hidden`: it asks for hidden entries (`is:hidden`), so they count;
    `live`: it has `age:`, so what it finds changes with the clock and it is counted at each
    read instead; `names_folders`: it tests folders (`folder:`), so renaming or moving a
    folder can change it."""

    tree: Node | bool
    shows_hidden: bool
    live: bool
    names_folders: bool


@lru_cache(maxsize=256)
def count_plan(query: str) -> CountPlan:
    """The plan of a saved search's text. Raises QuerySyntaxError."""
    node = parsed_search(query)
    found = leaves(node)
    return CountPlan(
        tree=unread_form(node),
        shows_hidden=any(isinstance(leaf, Flag) and leaf.name == "is:hidden" for leaf in found),
        live=any(isinstance(leaf, Age) for leaf in found),
        names_folders=any(isinstance(leaf, Match) and leaf.field == "folder" for leaf in found),
    )


def unread_form(node: Node) -> Node | bool:
    """`node` with `is:unread` as true and `is:read` as false, simplified: True or False
    when that decides it, else a tree without either flag."""
    match node:
        case Flag("is:unread"):
            return True
        case Flag("is:read"):
            return False
        case Not(operand):
            inner = unread_form(operand)
            return (not inner) if isinstance(inner, bool) else Not(inner)
        case All(operands):
            return _joined(operands, decisive=False)
        case Any(operands):
            return _joined(operands, decisive=True)
    return node


def _joined(operands: tuple[Node, ...], *, decisive: bool) -> Node | bool:
    """An AND (`decisive` False: one false operand decides) or an OR (one true operand
    decides) of the operands' unread forms."""
    kept: list[Node] = []
    for operand in operands:
        form = unread_form(operand)
        if form is decisive:
            return decisive
        if not isinstance(form, bool):
            kept.append(form)
    if not kept:
        return not decisive
    if len(kept) == 1:
        return kept[0]
    return Any(tuple(kept)) if decisive else All(tuple(kept))
