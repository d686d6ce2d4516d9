"""`newsreader --self-test`: proves an installation works, offscreen, without the network.

It opens a temporary store with the bundled welcome feed, writes a comment, shows the real
window on that article (the reader and the comment panel must show both), exports the article
with its comment to every format and reads each file back. It prints one line per check and a
summary, and exits 0 when all passed, else 1 naming what failed. Used to check a built package
(`dist/newsreader/newsreader --self-test`) and by CI. Qt is imported lazily: the module is
importable from the core's import check.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from newsreader import __version__
from newsreader.errors import SelfTestFailure
from newsreader.paths import DataPaths

if TYPE_CHECKING:
    from newsreader.store import Store

COMMENT = "Self-test comment, written offline."


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


@dataclass
class _Fixture:
    """What the checks share: the temporary store and the article under test."""

    root: Path
    paths: DataPaths
    store: Store
    entry_id: int = 0
    title: str = ""


def process_age_seconds() -> float | None:
    """Seconds since this process started (Linux /proc), so start-up cost counts too."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        return None
    start_ticks = int(fields[19])  # field 22 of stat; the first two were split off above
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def run_self_test(out: TextIO | None = None) -> int:
    """Runs every check; returns the exit code (0: all passed)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    stream = out or sys.stdout
    started = time.perf_counter()
    print(
        f"newsreader {__version__} self-test ({sys.platform}, Python {sys.version.split()[0]})",
        file=stream,
    )
    results: list[CheckResult] = []
    qt_messages: list[str] = []
    previous = _capture_qt_messages(qt_messages)
    with tempfile.TemporaryDirectory(prefix="newsreader-selftest-") as temp:
        fixture: _Fixture | None = None
        try:
            fixture = _open_store(Path(temp))
            results.append(CheckResult("store", True, f"SQLite store at {fixture.paths.store}"))
        except Exception as error:  # a broken install fails anywhere; report, don't crash
            results.append(CheckResult("store", False, _describe(error)))
        if fixture is not None:
            for name, check in CHECKS:
                results.append(_run(name, check, fixture))
            fixture.store.close()
    for result in results:
        mark = "ok  " if result.ok else "FAIL"
        print(f"  {mark} {result.name:<14} {result.detail}", file=stream)
    _restore_qt_messages(previous)
    failed = [r.name for r in results if not r.ok]
    elapsed = time.perf_counter() - started
    if failed:
        for message in qt_messages:
            print(f"  Qt: {message}", file=stream)
        print(
            f"self-test FAILED ({len(failed)} of {len(results)}): {', '.join(failed)}", file=stream
        )
        return 1
    print(f"self-test passed: {len(results)} checks in {elapsed:.1f} s", file=stream)
    return 0


def _capture_qt_messages(into: list[str]) -> object:
    """Keeps Qt's console chatter (e.g. the offscreen plugin's notes) for a failure report
    instead of printing it over the summary."""
    from PySide6.QtCore import qInstallMessageHandler

    return qInstallMessageHandler(lambda _kind, _context, message: into.append(message))


def _restore_qt_messages(previous: object) -> None:
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(previous)  # type: ignore[arg-type]


def _run(name: str, check: Callable[[_Fixture], str], fixture: _Fixture) -> CheckResult:
    try:
        return CheckResult(name, True, check(fixture))
    except Exception as error:  # each check reports its own failure and the rest still run
        return CheckResult(name, False, _describe(error))


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _open_store(root: Path) -> _Fixture:
    from newsreader.store import Store

    paths = DataPaths(root / "data").ensure()
    return _Fixture(root, paths, Store.open(paths))


def _welcome(fixture: _Fixture) -> str:
    from newsreader.gui.first_run import install_welcome_feed
    from newsreader.store import EntryQuery

    feed_id = install_welcome_feed(fixture.store)
    entries = fixture.store.list_entries(EntryQuery(feed_ids=(feed_id,)))
    if not entries:
        raise SelfTestFailure("the bundled welcome feed has no articles")
    fixture.entry_id = entries[0].id
    fixture.title = entries[0].title or ""
    if not fixture.title:
        raise SelfTestFailure("the welcome article has no title")
    fixture.store.add_comment(fixture.entry_id, COMMENT, author="Self-test")
    return f"{len(entries)} welcome articles, comment added to {fixture.title!r}"


def _window(fixture: _Fixture) -> str:
    from PySide6.QtWidgets import QApplication, QTextBrowser

    from newsreader.gui.garbage import collect_on_gui_thread
    from newsreader.gui.window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], "-platform", "offscreen"])
    collect_on_gui_thread(app)  # the window's store worker starts below: see gui/garbage.py
    window = MainWindow(fixture.store, fixture.paths)
    try:
        window.show()
        window.open_entry(fixture.entry_id)
        app.processEvents()
        age = process_age_seconds()
        shown = f"window shown {age:.2f} s after process start" if age is not None else ""
        texts = [b.toPlainText() for b in window.findChildren(QTextBrowser)]
        if not any(fixture.title in text for text in texts):
            raise SelfTestFailure("the reader does not show the article's title")
        if not any(COMMENT in text for text in texts):
            raise SelfTestFailure("the comment panel does not show the comment")
        image = window.grab().toImage()
        if image.isNull() or image.width() < 100:
            raise SelfTestFailure("the window did not render")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    return f"article and comment rendered ({image.width()}x{image.height()}); {shown}".rstrip("; ")


def _certificates(fixture: _Fixture) -> str:
    """HTTPS needs the CA bundle httpx verifies with (certifi's, shipped with the package)."""
    import ssl

    import certifi

    bundle = Path(certifi.where())
    context = ssl.create_default_context(cafile=str(bundle))
    count = context.cert_store_stats()["x509_ca"]
    if count < 50:
        raise SelfTestFailure(f"only {count} CA certificates in {bundle}")
    return f"{count} CA certificates ({bundle.name})"


def _export_check(extension: str) -> Callable[[_Fixture], str]:
    def check(fixture: _Fixture) -> str:
        from newsreader.export.run import ExportFormat, ExportOptions, export, store_images
        from newsreader.export.scope import ExportScope

        out = fixture.root / "exports" / f"self-test.{extension}"
        out.parent.mkdir(exist_ok=True)
        export(
            fixture.store,
            ExportScope(entry_ids=(fixture.entry_id,)),
            ExportOptions(format=ExportFormat(extension), out=out, with_comments=True),
            images=store_images(fixture.store, fixture.paths.images),
        )
        text = _readable_text(out, extension)
        size = f"{out.stat().st_size:,} bytes"
        if text is None:
            return f"{size}, a PDF with pages (no PDF reader here to check its text)"
        if _words(fixture.title) not in text:
            raise SelfTestFailure(f"{out.name} lacks the article's title")
        if COMMENT not in text:
            raise SelfTestFailure(f"{out.name} lacks the comment")
        return f"{size} with title and comment"

    return check


def _readable_text(path: Path, extension: str) -> str | None:
    """The text a reader of the file would see (whitespace collapsed); None for a PDF when no
    PDF reader is installed (the packaged app has none): then only its structure is checked."""
    data = path.read_bytes()
    if extension == "pdf":
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise SelfTestFailure("not a complete PDF file")
        if b"/Type /Page" not in data and b"/Type/Page" not in data:
            raise SelfTestFailure("the PDF has no pages")
        return _pdf_text(path)
    if extension == "epub":
        with zipfile.ZipFile(path) as book:
            if book.read("mimetype") != b"application/epub+zip":
                raise SelfTestFailure("the EPUB lacks its mimetype entry")
            names = [n for n in book.namelist() if n.endswith((".xhtml", ".html"))]
            return " ".join(_html_text(book.read(n)) for n in names)
    if extension == "html":
        return _html_text(data)
    if extension == "json":
        return _words(" ".join(_strings(json.loads(data))))
    return _words(data.decode("utf-8"))


def _words(text: str) -> str:
    """Whitespace collapsed and compatibility forms folded (PDF text comes with ligatures)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _html_text(data: bytes) -> str:
    import lxml.html

    return _words(lxml.html.fromstring(data).text_content())


def _pdf_text(path: Path) -> str | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return _words(" ".join(page.extract_text() for page in PdfReader(path).pages))


CHECKS: tuple[tuple[str, Callable[[_Fixture], str]], ...] = (
    ("welcome feed", _welcome),
    ("certificates", _certificates),
    ("window", _window),
    *(
        (f"export {ext}", _export_check(ext))
        for ext in ("html", "md", "txt", "pdf", "epub", "json")
    ),
)
