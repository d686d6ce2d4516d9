"""`newsreader export` end to end: arguments, output rule, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsreader.main import main
from tests.export.conftest import Library


def _run(library: Library, *args: str) -> int:
    return main(["--data-dir", str(library.paths.root), "export", *args])


def test_export_json_of_starred_with_comments(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "starred.json"
    code = _run(library, "--format", "json", "--starred", "--with-comments", "--out", str(out))

    assert code == 0
    assert f"Exported 1 article to {out}" in capsys.readouterr().out
    [record] = json.loads(out.read_text(encoding="utf-8"))["entries"]
    assert record["title"] == "Ferry returns to harbour"
    assert record["comments"][0]["replies"][0]["author"] == "Sam"


def test_export_several_entries_to_a_folder(library: Library, tmp_path: Path) -> None:
    ids = library.entry_ids
    out = tmp_path / "notes"
    code = _run(
        library,
        "--format",
        "md",
        "--entry",
        str(ids["spring"]),
        str(ids["lighthouse"]),
        "--out",
        str(out),
    )

    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "Lighthouse keeper retires.md",
        "Spring tides this weekend.md",
    ]


def test_export_folder_since_to_pdf_uses_the_page_size_option(
    library: Library, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    out = tmp_path / "local.pdf"
    code = _run(
        library,
        "--format",
        "pdf",
        "--folder",
        "Local",
        "--since",
        "2026-02-25",
        "--page-size",
        "Letter",
        "--out",
        str(out),
    )

    assert code == 0
    reader = PdfReader(out)
    assert "Ferry returns" in reader.pages[0].extract_text().replace("\t", " ")
    assert round(float(reader.pages[0].mediabox.width)) == 612


def test_errors_are_one_line_and_exit_1(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.epub"
    out.write_bytes(b"keep")

    assert _run(library, "--format", "epub", "--starred", "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsreader export: error: ") and "already exists" in err
    assert "--force" in err and out.read_bytes() == b"keep"

    assert _run(library, "--format", "epub", "--starred", "--out", str(out), "--force") == 0
    assert out.read_bytes().startswith(b"PK")

    assert _run(library, "--format", "txt", "--search", "nomatchatall", "--out", "z") == 1
    assert "no articles match" in capsys.readouterr().err


def test_usage_errors_exit_2(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Arguments that cannot be used as written exit 2, as argparse's own errors do, before
    anything is written: a format, a date, or no articles chosen at all."""
    for args in (["--format", "docx", "--starred"], ["--format", "txt", "--since", "last week"]):
        with pytest.raises(SystemExit) as raised:
            _run(library, *args, "--out", str(tmp_path / "x"))
        assert raised.value.code == 2
    assert "argument --since: not a date: 'last week'" in capsys.readouterr().err
    assert _run(library, "--format", "html", "--out", str(tmp_path / "y")) == 2
    assert "error: nothing chosen to export" in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_pdf_from_a_plain_process_needs_no_display(library: Library, tmp_path: Path) -> None:
    """The command line has no QApplication: the exporter makes an offscreen one itself."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"QT_QPA_PLATFORM", "DISPLAY"}}
    out = tmp_path / "ferry.pdf"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsreader",
            "--data-dir",
            str(library.paths.root),
            "export",
            "--format",
            "pdf",
            "--entry",
            str(library.entry_ids["ferry"]),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("fmt", "start"),
    [("json", b"{"), ("html", b"<!DOCTYPE html>"), ("md", b"---\n"), ("txt", b"")],
)
def test_out_dash_writes_the_one_file_to_standard_output(
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
    fmt: str,
    start: bytes,
) -> None:
    """As `export-opml` and `import` read `-`: one file (a digest of several articles), on
    stdout; the summary on stderr; nothing written where the command ran, no folder `-`."""
    here = tmp_path / "here"  # where the command runs
    here.mkdir()
    monkeypatch.chdir(here)
    ids = library.entry_ids
    code = _run(
        library, "--format", fmt, "--entry", str(ids["spring"]), str(ids["ferry"]), "--out", "-"
    )
    out, err = capsysbinary.readouterr()
    assert code == 0
    assert err == b"Exported 2 articles to standard output\n"
    assert out.startswith(start)
    text = out.decode("utf-8")
    assert "Spring tides this weekend" in text and "Ferry returns to harbour" in text
    assert text.index("Spring tides") < text.index("Ferry returns")  # the order given
    assert list(here.iterdir()) == []
    if fmt == "json":
        assert [e["title"] for e in json.loads(text)["entries"]] == [
            "Spring tides this weekend",
            "Ferry returns to harbour",
        ]
    if fmt == "md":  # no assets/ folder to go with it: images link to their web address
        assert "](https://images.example.org/harbour.png)" in text


@pytest.mark.parametrize("fmt", ["pdf", "epub"])
def test_out_dash_is_a_usage_error_for_binary_formats(
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert _run(library, "--format", fmt, "--starred", "--out", "-") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"newsreader export: error: {fmt} export is a binary file: give --out a file name "
        "(- writes html, md, txt and json to standard output)\n"
    )
    assert list(here.iterdir()) == []
