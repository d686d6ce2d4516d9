"""Normalising what a desktop or a command line hands the app to open."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.errors import OpenTargetError
from newsreader.feedurl import (
    OpenTarget,
    TargetKind,
    feed_file_address,
    looks_like_open_target,
    parse_open_target,
    resolve_open_target,
    split_open_argument,
)

CWD = Path("/home/user/Downloads")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("feed://example.com/rss.xml", "http://example.com/rss.xml"),
        ("feed:https://example.com/rss.xml", "https://example.com/rss.xml"),
        ("feed:http://example.com/a?b=1", "http://example.com/a?b=1"),
        ("feed://https://example.com/atom", "https://example.com/atom"),
        ("feed://https//example.com/atom", "https://example.com/atom"),
        ("feeds://example.com/secure.xml", "https://example.com/secure.xml"),
        ("FEED://Example.COM/Path", "http://example.com/Path"),
        ("feed:example.com/rss", "http://example.com/rss"),
        ("https://example.org", "https://example.org/"),
        ("HTTP://user@Example.org:8080/x", "http://user@example.org:8080/x"),
        ("https://Ann:PassWord@Example.org/Feed", "https://Ann:PassWord@example.org/Feed"),
        ("  https://example.org/feed  ", "https://example.org/feed"),
        ("example.com/feed.xml", "https://example.com/feed.xml"),
        ("news.example.co.uk", "https://news.example.co.uk/"),
    ],
)
def test_feed_addresses_become_web_urls(given: str, expected: str) -> None:
    assert parse_open_target(given, CWD) == OpenTarget(TargetKind.SUBSCRIBE, expected)


@pytest.mark.parametrize(
    ("given", "kind", "path"),
    [
        ("subscriptions.opml", TargetKind.IMPORT_OPML, "/home/user/Downloads/subscriptions.opml"),
        ("../x/../Feeds.OPML", TargetKind.IMPORT_OPML, "/home/user/Feeds.OPML"),
        ("/tmp/list.opml", TargetKind.IMPORT_OPML, "/tmp/list.opml"),
        ("file:///tmp/my%20list.opml", TargetKind.IMPORT_OPML, "/tmp/my list.opml"),
        ("file://localhost/tmp/a.opml", TargetKind.IMPORT_OPML, "/tmp/a.opml"),
        ("saved.rss", TargetKind.FEED_FILE, "/home/user/Downloads/saved.rss"),
        ("./blog.atom", TargetKind.FEED_FILE, "/home/user/Downloads/blog.atom"),
    ],
)
def test_paths_and_file_urls_become_absolute_paths(given: str, kind: TargetKind, path: str) -> None:
    assert parse_open_target(given, CWD) == OpenTarget(kind, path)


def test_home_is_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/someone")
    target = parse_open_target("~/feeds.opml", CWD)
    assert target == OpenTarget(TargetKind.IMPORT_OPML, "/home/someone/feeds.opml")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "empty"),
        ("javascript:alert(1)", "cannot open javascript:"),
        ("data:text/html,hi", "cannot open data:"),
        ("feed://", "not a valid web address"),
        ("https:///nohost", "not a valid web address"),
        ("feed://exa mple.com/x", "not a valid web address"),
        ("file://otherhost/share/a.opml", "another computer"),
        ("notes.txt", "expected an .opml file"),
        ("x" * 9000, "too long"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(given: str, message: str) -> None:
    with pytest.raises(OpenTargetError, match=message):
        parse_open_target(given, CWD)


def test_open_request_round_trips_through_json() -> None:
    target = OpenTarget(TargetKind.IMPORT_OPML, "/tmp/ä b.opml")
    assert OpenTarget.from_json(target.to_json()) == target
    for bad in ["", "{}", '{"kind": "format-disk", "value": "/"}', '{"kind": "subscribe"}', "[1]"]:
        with pytest.raises(OpenTargetError):
            OpenTarget.from_json(bad)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("feeds", False),
        ("install-desktop-entry", False),
        ("export", False),
        ("feed://x.org/r", True),
        ("a.opml", True),
        ("~/x", True),
        ("dir/file", True),
    ],
)
def test_subcommand_names_are_never_taken_for_targets(word: str, expected: bool) -> None:
    assert looks_like_open_target(word) is expected


ATOM_WITH_SELF = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<link rel="alternate" href="https://blog.example/"/>
<link rel="self" href="https://Blog.Example/feed.atom"/></feed>"""
RSS_WITH_SELF = b"""<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>T</title><link>https://site.example/</link>
<atom:link href="https://site.example/rss" rel="self" type="application/rss+xml"/>
</channel></rss>"""
RSS_WITHOUT_SELF = b"<rss version='2.0'><channel><title>T</title></channel></rss>"
ENTITY_BOMB = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="&e;"/></feed>"""


def test_a_saved_feed_file_names_its_own_address() -> None:
    assert feed_file_address(ATOM_WITH_SELF) == "https://blog.example/feed.atom"
    assert feed_file_address(RSS_WITH_SELF) == "https://site.example/rss"


@pytest.mark.parametrize("data", [RSS_WITHOUT_SELF, b"not xml at all", ENTITY_BOMB])
def test_a_feed_file_without_a_usable_address_is_refused(data: bytes) -> None:
    with pytest.raises(OpenTargetError):
        feed_file_address(data)


@pytest.mark.parametrize(
    ("argv", "target", "rest"),
    [
        ([], None, []),
        (["feed://x.org/r"], "feed://x.org/r", []),
        (["--data-dir", "/d/x.opml", "a.opml"], "a.opml", ["--data-dir", "/d/x.opml"]),
        (["--data-dir=/d", "https://x.org"], "https://x.org", ["--data-dir=/d"]),
        (["feeds", "add", "https://x.org"], None, ["feeds", "add", "https://x.org"]),
        (["--", "-odd.opml"], "-odd.opml", []),
        (["--self-test"], None, ["--self-test"]),
        (
            ["--data-dir", "/d", "export", "--out", "a.html"],
            None,
            ["--data-dir", "/d", "export", "--out", "a.html"],
        ),
    ],
)
def test_the_target_is_taken_out_of_the_command_line(
    argv: list[str], target: str | None, rest: list[str]
) -> None:
    assert split_open_argument(argv, {"--data-dir"}) == (target, rest)


def test_a_saved_feed_file_on_the_command_line_becomes_a_subscription(tmp_path: Path) -> None:
    (tmp_path / "saved.atom").write_bytes(ATOM_WITH_SELF)
    assert resolve_open_target("saved.atom", tmp_path) == OpenTarget(
        TargetKind.SUBSCRIBE, "https://blog.example/feed.atom"
    )
    assert resolve_open_target("list.opml", tmp_path) == OpenTarget(
        TargetKind.IMPORT_OPML, str(tmp_path / "list.opml")
    )
    with pytest.raises(OpenTargetError, match="cannot read"):
        resolve_open_target("missing.rss", tmp_path)
    (tmp_path / "anonymous.rss").write_bytes(RSS_WITHOUT_SELF)
    with pytest.raises(OpenTargetError, match="does not say where it came from"):
        resolve_open_target("anonymous.rss", tmp_path)


def test_main_reports_a_bad_target_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from newsreader.main import main

    assert main(["javascript:alert(1)"]) == 1
    assert capsys.readouterr().err == (
        "newsreader: cannot open javascript: addresses; give a feed or web page address\n"
    )
