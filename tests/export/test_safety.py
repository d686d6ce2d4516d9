"""Exports never overwrite without force, never write outside the chosen folder, and leave no
file behind when cancelled or failing."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from newsreader.errors import ExportCancelled, ExportError
from newsreader.export import (
    ExportFormat,
    ExportOptions,
    ExportProgress,
    ExportScope,
    export,
    store_images,
)
from newsreader.export.atomic import Staging
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.store import FetchInfo
from tests.export.conftest import NOW, Library

ALL = ExportScope(since=NOW.replace(year=2000))


def _add_hostile_titles(library: Library) -> None:
    titles = ["../../x", "CON", "z" * 300, "📰 Emoji 🎉", "", "Same", "Same"]
    library.store.apply_parsed_feed(
        library.tides_id,
        ParsedFeed(
            format="rss20",
            entries=tuple(
                ParsedEntry(
                    id=f"h{n}",
                    title=t,
                    link=f"https://tides.example.org/h{n}",
                    content=f"<p>body {n}</p>",
                )
                for n, t in enumerate(titles)
            ),
        ),
        FetchInfo(fetched_at=NOW),
    )


@pytest.mark.parametrize("fmt", [ExportFormat.HTML, ExportFormat.MARKDOWN, ExportFormat.TEXT])
def test_hostile_titles_stay_inside_the_folder(
    library: Library, tmp_path: Path, fmt: ExportFormat
) -> None:
    _add_hostile_titles(library)
    out = tmp_path / "exports" / "deep"
    result = library.run(ALL, fmt, out)

    assert result.articles == 10
    assert len(result.files) == 10 + (1 if fmt == ExportFormat.MARKDOWN else 0)  # + the image
    for path in result.files:
        assert out.resolve() in path.parents
        assert len(path.name.encode()) <= 120
    names = {p.name for p in result.files}
    ext = fmt.extensions[0]
    assert {f"_.._x.{ext}", f"_CON.{ext}", f"📰 Emoji 🎉.{ext}", f"untitled.{ext}"} <= names
    assert {f"Same.{ext}", f"Same (2).{ext}"} <= names
    written = (tmp_path / "exports").rglob("*")
    assert sorted(p.name for p in written if p.is_file()) == sorted(names)


def test_no_overwrite_without_force(library: Library, tmp_path: Path) -> None:
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    out = tmp_path / "book.epub"
    out.write_bytes(b"precious")

    with pytest.raises(ExportError, match=r"book\.epub already exists"):
        library.run(ALL, ExportFormat.EPUB, out)
    assert out.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["book.epub"]

    library.run(ALL, ExportFormat.EPUB, out, force=True)
    assert out.read_bytes().startswith(b"PK")


def test_no_overwrite_in_a_folder_names_the_file(library: Library, tmp_path: Path) -> None:
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    (tmp_path / "Spring tides this weekend.txt").write_text("mine")

    with pytest.raises(ExportError, match=r"Spring tides this weekend\.txt already exists"):
        library.run(ALL, ExportFormat.TEXT, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Spring tides this weekend.txt"]


@pytest.mark.parametrize(
    ("fmt", "out"),
    [
        (ExportFormat.EPUB, "book.epub"),
        (ExportFormat.PDF, "book.pdf"),
        (ExportFormat.JSON, "all.json"),
        (ExportFormat.HTML, "all.html"),
        (ExportFormat.HTML, "folder"),
        (ExportFormat.MARKDOWN, "folder"),
    ],
)
def test_cancelled_export_leaves_no_file(
    library: Library, tmp_path: Path, fmt: ExportFormat, out: str
) -> None:
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    cancel = threading.Event()
    seen: list[ExportProgress] = []

    def progress(update: ExportProgress) -> None:
        seen.append(update)
        if update.done == 2:
            cancel.set()

    with pytest.raises(ExportCancelled):
        export(
            library.store,
            ALL,
            ExportOptions(format=fmt, out=tmp_path / out),
            images=store_images(library.store, library.paths.images),
            cancel=cancel,
            progress=progress,
        )
    assert [u.done for u in seen] == [0, 1, 2]
    assert all(u.total == 3 for u in seen)
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == []


def test_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    with Staging() as staging:
        with pytest.raises(RuntimeError), staging.open(tmp_path / "a.txt") as handle:
            handle.write(b"half")
            raise RuntimeError("disk full")
        staging.write_bytes(tmp_path / "b.txt", b"whole")
        assert list(tmp_path.iterdir()) != []  # staged under a hidden temporary name
        assert not (tmp_path / "b.txt").exists()
    assert list(tmp_path.iterdir()) == []  # never committed: discarded


def test_staging_commits_all_files(tmp_path: Path) -> None:
    with Staging() as staging:
        staging.write_bytes(tmp_path / "a.txt", b"A")
        staging.write_bytes(tmp_path / "sub" / "b.txt", b"B")
        files = staging.commit()
    assert files == [tmp_path / "a.txt", tmp_path / "sub" / "b.txt"]
    assert (tmp_path / "a.txt").read_bytes() == b"A"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "b.txt", "sub"]


def test_out_rules_give_clear_errors(library: Library, tmp_path: Path) -> None:
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    with pytest.raises(ExportError, match="is a folder; epub export writes one file"):
        library.run(ALL, ExportFormat.EPUB, tmp_path)
    (tmp_path / "plain").write_text("x")
    with pytest.raises(ExportError, match="is a file; html export of a set needs a folder"):
        library.run(ALL, ExportFormat.HTML, tmp_path / "plain")
    with pytest.raises(ExportError, match="does not exist"):
        library.run(ALL, ExportFormat.PDF, tmp_path / "missing" / "x.pdf")


def test_exported_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """An export is an ordinary file (0666 less the umask), not a private 0600 temp file."""
    umask = os.umask(0o022)
    try:
        with Staging() as staging:
            staging.write_bytes(tmp_path / "article.html", b"<p>x</p>")
            (final,) = staging.commit()
    finally:
        os.umask(umask)
    assert stat.S_IMODE(final.stat().st_mode) == 0o644
