"""Choosing what to export: articles, a feed, a folder, Starred, a search, a date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsreader.errors import ExportError, NotFoundError
from newsreader.export import ExportScope, parse_date
from newsreader.export.scope import resolve_ids
from tests.export.conftest import NOW, Library


def _guids(library: Library, scope: ExportScope) -> list[str]:
    by_id = {v: k for k, v in library.entry_ids.items()}
    return [by_id[i] for i in resolve_ids(library.store, scope)]


def test_scopes(library: Library) -> None:
    ids = library.entry_ids
    assert _guids(library, ExportScope(entry_ids=(ids["spring"], ids["ferry"]))) == [
        "spring",
        "ferry",
    ]
    assert _guids(library, ExportScope(feed_id=library.harbour_id)) == ["lighthouse", "ferry"]
    assert _guids(library, ExportScope(folder="local")) == ["lighthouse", "ferry"]
    assert _guids(library, ExportScope(starred=True)) == ["ferry"]
    assert _guids(library, ExportScope(search="causeway")) == ["spring"]
    assert _guids(library, ExportScope(since=NOW.replace(day=1, month=2))) == [
        "lighthouse",
        "ferry",
        "spring",
    ]
    assert _guids(library, ExportScope(since=parse_date("2026-02-27"))) == ["ferry", "spring"]
    until = parse_date("2026-02-28")
    assert _guids(library, ExportScope(since=parse_date("2026-02-20"), until=until)) == ["ferry"]
    assert _guids(library, ExportScope(until=until)) == ["lighthouse", "ferry"]
    # filters combine: starred articles of the Tide Tables feed: none
    assert _guids(library, ExportScope(feed_id=library.tides_id, starred=True)) == []
    assert _guids(library, ExportScope(entry_ids=(ids["spring"], ids["ferry"]), starred=True)) == [
        "ferry"
    ]


def test_scope_errors(library: Library) -> None:
    with pytest.raises(ExportError, match="nothing chosen"):
        resolve_ids(library.store, ExportScope())
    with pytest.raises(ExportError, match="no folder named 'Nowhere' \\(folders: Local\\)"):
        resolve_ids(library.store, ExportScope(folder="Nowhere"))
    with pytest.raises(ExportError, match="no article with id 999"):
        resolve_ids(library.store, ExportScope(entry_ids=(999,)))
    with pytest.raises(NotFoundError):
        resolve_ids(library.store, ExportScope(feed_id=999))


def test_folder_paths_and_ambiguous_names(library: Library) -> None:
    outer = library.store.add_folder("Outer")
    library.store.add_folder("Local", parent_id=outer.id)
    library.store.add_folder("Inner", parent_id=outer.id)
    other = library.store.add_folder("Other")
    library.store.add_folder("Inner", parent_id=other.id)
    # a full path wins over a bare name: "Local" is the top-level folder
    assert len(resolve_ids(library.store, ExportScope(folder="Local"))) == 2
    assert resolve_ids(library.store, ExportScope(folder="Outer/Local")) == []
    with pytest.raises(
        ExportError, match="several folders are named 'inner': Other/Inner, Outer/Inner"
    ):
        resolve_ids(library.store, ExportScope(folder="inner"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01T08:30:00Z", datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
        ("2024-05-01T10:30:00+02:00", datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
        ("2024-05-01T08:30", datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
    ],
)
def test_parse_date(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "2024-13-01", "01/05/2024", ""])
def test_parse_date_rejects_other_text(text: str) -> None:
    with pytest.raises(ExportError, match="not a date"):
        parse_date(text)
