"""The library commands, run through the real entry point against a real store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsreader.export import json as export_json
from newsreader.feed_status import problem_text
from newsreader.main import main
from newsreader.model import Author, Comment, Enclosure, ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import USER_DISABLED_REASON, FetchInfo, Store

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Test</title></head><body>
  <outline text="Loose" xmlUrl="https://loose.example/feed"/>
  <outline text="Tech">
    <outline text="Python">
      <outline text="Planet Python" xmlUrl="https://planet.example/rss" htmlUrl="https://planet.example/"/>
    </outline>
  </outline>
</body></opml>
"""


class Cli:
    """Runs `newsreader ARGS --data-dir ROOT` in-process and captures what it prints."""

    def __init__(self, paths: DataPaths, capsys: pytest.CaptureFixture[str]) -> None:
        self.paths = paths
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main([*args, "--data-dir", str(self.paths.root)])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> Any:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(data_paths: DataPaths, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(data_paths, capsys)


@pytest.fixture
def library(data_paths: DataPaths) -> dict[str, int]:
    """Three feeds (one failing, one disabled) and entries; returns ids by name."""
    now = datetime.now(UTC)
    with Store.open(data_paths) as store:
        folder = store.ensure_folder_path(["News"])
        ok = store.add_feed("https://ok.example/feed", folder_id=folder).id
        failing = store.add_feed("https://failing.example/feed", title="Failing").id
        gone = store.add_feed("https://gone.example/feed", title="Gone").id
        ids = store.apply_parsed_feed(
            ok,
            ParsedFeed(
                format="rss20",
                title="Okay News",
                entries=(
                    ParsedEntry(
                        id="old",
                        title="Glacier retreat measured",
                        link="https://ok.example/old",
                        published=now - timedelta(days=60),
                        authors=(Author(name="Ada"),),
                        content="<p>The glacier lost <b>ten</b> metres.</p>"
                        "<p>Second paragraph.</p>",
                        enclosures=(Enclosure("https://ok.example/a.mp3", "audio/mpeg", 5),),
                    ),
                    ParsedEntry(
                        id="new",
                        title="Volcano update",
                        link="https://ok.example/new",
                        published=now - timedelta(hours=1),
                        summary="<p>Ash cloud over the island.</p>",
                    ),
                ),
            ),
            FetchInfo(fetched_at=now, next_due=now + timedelta(minutes=30)),
        ).new_entry_ids
        store.record_fetch_error(failing, "HTTP 503", now, now + timedelta(hours=1))
        store.disable_feed(gone, "HTTP 410 Gone")
    return {"ok": ok, "failing": failing, "gone": gone, "old": ids[0], "new": ids[1]}


def test_import_keeps_folders_and_is_idempotent(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "subs.opml"
    source.write_bytes(OPML)
    code, out, _ = cli("import", str(source))
    assert code == 0
    assert "imported 2 feeds into 2 new folders (0 already subscribed)" in out
    assert cli.json("import", str(source)) == {
        "added": [],
        "existing": 2,
        "folders_created": 0,
        "repeated": 0,
        "pages": [],
        "skipped": [],
    }
    feeds = {f["url"]: f for f in cli.json("feeds")}
    assert feeds["https://planet.example/rss"]["folder"] == "Tech/Python"
    assert feeds["https://planet.example/rss"]["title"] == "Planet Python"
    assert feeds["https://loose.example/feed"]["folder"] is None


MESSY_OPML = """<?xml version="1.0" encoding="UTF-16"?>
<opml version="2.0"><body>
  <outline text="Twice" xmlUrl="https://twice.example/feed"/>
  <outline text="Reading"><outline text="Twice again" xmlUrl="HTTPS://Twice.Example/feed/"/>
  </outline>
  <outline text="Just a site" htmlUrl="https://site.example/blog/"/>
  <outline text="Nearby" xmlUrl="../feeds/near.xml"/>
</body></opml>"""


def test_import_counts_truly_and_reports_what_it_could_not_import(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "messy.opml"
    source.write_bytes(MESSY_OPML.encode("utf-16"))  # with its byte-order mark
    code, out, _ = cli("import", str(source))
    assert code == 0
    assert out.splitlines() == [
        "imported 1 feed into 1 new folder (0 already subscribed; 1 repeated listing merged)",
        "1 outline names only a web page, not its feed; `newsreader add URL` finds the feed"
        " on the page:",
        "  Just a site: https://site.example/blog/",
        "1 outline could not be imported:",
        "  Nearby: its feed address '../feeds/near.xml' is relative and the file's own address"
        " is unknown",
        "run `newsreader sync` to fetch them",
    ]
    feeds = cli.json("feeds")
    assert [(f["url"], f["folder"]) for f in feeds] == [("https://twice.example/feed", "Reading")]
    again = cli.json("import", str(source), "--base-url", "https://lists.example/me/subs.opml")
    assert (again["existing"], again["repeated"], len(again["added"])) == (1, 1, 1)
    assert again["pages"] == [
        {"title": "Just a site", "url": "https://site.example/blog/", "folder": None}
    ]
    urls = {f["url"] for f in cli.json("feeds")}
    assert urls == {"https://twice.example/feed", "https://lists.example/feeds/near.xml"}


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read"), (b"<rss/>", "not an OPML document")],
)
def test_import_errors_exit_1_with_the_cause(
    cli: Cli, tmp_path: Path, content: bytes | None, message: str
) -> None:
    source = tmp_path / "bad.opml"
    if content is not None:
        source.write_bytes(content)
    code, out, err = cli("import", str(source))
    assert code == 1 and out == ""
    assert err.startswith("newsreader import: error: ") and message in err
    assert "Traceback" not in err


def test_export_opml_writes_refuses_to_overwrite_and_forces(
    cli: Cli, library: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "out.opml"
    code, out, _ = cli("export-opml", str(target))
    assert code == 0 and "wrote 3 feeds" in out
    assert b'xmlUrl="https://ok.example/feed"' in target.read_bytes()
    code, _, err = cli("export-opml", str(target))
    assert code == 1 and "already exists" in err
    assert cli("export-opml", str(target), "--force")[0] == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = cli("export-opml", str(blocker / "out.opml"))
    assert code == 1 and err.startswith("newsreader export-opml: error: cannot write")


def test_export_opml_to_stdout(
    data_paths: DataPaths, library: dict[str, int], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export-opml", "-", "--data-dir", str(data_paths.root)]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"<?xml") and out.count(b"xmlUrl=") == 3


def test_feeds_table_and_json(cli: Cli, library: dict[str, int]) -> None:
    code, out, _ = cli("feeds")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "ID",
        "STATUS",
        "UNREAD",
        "NEXT",
        "FOLDER",
        "TITLE",
        "URL",
        "PROBLEM",
    ]
    ok_line = next(line for line in lines if "https://ok.example/feed" in line)
    assert ok_line.split()[:4] == [str(library["ok"]), "ok", "2", "in"]
    assert "News" in ok_line and "Okay News" in ok_line
    failing_line = next(line for line in lines if "failing.example" in line)
    assert "failing" in failing_line and failing_line.endswith("HTTP 503")
    gone_line = next(line for line in lines if "gone.example" in line)
    assert "disabled" in gone_line and "HTTP 410 Gone" in gone_line
    feeds = {f["id"]: f for f in cli.json("feeds")}
    assert feeds[library["failing"]]["status"] == "failing"
    assert feeds[library["failing"]]["last_error"] == "HTTP 503"
    assert feeds[library["gone"]]["status"] == "disabled"
    assert feeds[library["ok"]]["unread"] == 2 and feeds[library["ok"]]["folder"] == "News"
    assert feeds[library["ok"]]["next_due"].endswith("Z")


def test_feeds_shows_the_problems_the_window_shows(
    cli: Cli, data_paths: DataPaths, library: dict[str, int]
) -> None:
    """`feeds` names a problem exactly for the feeds `feed_status.has_problem` calls a problem,
    in `problem_text`'s words: not for a feed the user switched off after it failed."""
    now = datetime.now(UTC)
    with Store.open(data_paths) as store:
        off = store.add_feed("https://off.example/feed", title="Off").id
        store.record_fetch_error(off, "HTTP 500", now, now + timedelta(hours=1))
        store.disable_feed(off, USER_DISABLED_REASON)
        feeds = store.list_feeds()
    expected = {f.id: problem_text(f) or None for f in feeds}
    assert {fid for fid, text in expected.items() if text} == {library["failing"], library["gone"]}
    assert {f["id"]: f["problem"] for f in cli.json("feeds")} == expected
    _, out, _ = cli("feeds")
    off_line = next(line for line in out.splitlines() if "off.example" in line)
    assert off_line.endswith("https://off.example/feed")  # no problem column text
    gone_line = next(line for line in out.splitlines() if "gone.example" in line)
    assert gone_line.endswith("HTTP 410 Gone")


def test_feeds_on_an_empty_library(cli: Cli) -> None:
    code, out, _ = cli("feeds")
    assert code == 0 and "no feeds yet" in out
    assert cli.json("feeds") == []


def test_entries_filters_and_ids_work_with_other_commands(
    cli: Cli, library: dict[str, int]
) -> None:
    listed = cli.json("entries")
    assert [e["id"] for e in listed] == [library["new"], library["old"]]
    # One schema: a listed entry is what `show --json` prints for it.
    assert listed[1] == _entry_part(cli.json("show", str(library["old"])))
    assert [e["id"] for e in cli.json("search", "glacier")] == [library["old"]]
    assert cli.json("search", "glacier")[0] == listed[1]
    assert listed[0]["title"] == "Volcano update" and listed[0]["read"] is False
    code, out, _ = cli("entries")
    assert out.splitlines()[0].split() == ["ID", "DATE", "NS", "FEED", "TITLE"]
    assert "Volcano update" in out and "Okay News" in out
    assert cli("mark", "read", str(listed[0]["id"]))[0] == 0
    assert [e["id"] for e in cli.json("entries", "--unread")] == [library["old"]]
    assert cli("mark", "star", str(library["old"]))[0] == 0
    assert [e["id"] for e in cli.json("entries", "--starred")] == [library["old"]]
    assert len(cli.json("entries", "--limit", "1")) == 1
    assert cli.json("entries", "--feed", str(library["failing"])) == []
    code, out, _ = cli("entries", "--feed", str(library["failing"]))
    assert code == 0 and out.strip() == "no entries"


def test_entries_errors(cli: Cli, library: dict[str, int]) -> None:
    code, _, err = cli("entries", "--feed", "999")
    assert code == 1 and "no feed with id 999" in err
    with pytest.raises(SystemExit) as exited:
        cli("entries", "--limit", "0")
    assert exited.value.code == 2
    assert "at least 1" in cli.capsys.readouterr().err


def test_search_plain_words_and_syntax_errors(cli: Cli, library: dict[str, int]) -> None:
    assert [e["id"] for e in cli.json("search", "glacier metres")] == [library["old"]]
    assert [e["id"] for e in cli.json("search", "ash OR glacier")] != []
    code, out, _ = cli("search", "nothing-like-this")
    assert code == 0 and "nothing found" in out
    code, out, err = cli("search", "glacier AND")
    assert code == 1 and out == ""
    assert "cannot search for 'glacier AND'" in err and "Traceback" not in err


def test_search_notes_a_word_that_looks_like_an_unknown_field(
    cli: Cli, library: dict[str, int]
) -> None:
    code, out, err = cli("search", "titel:glacier")
    assert code == 0
    assert err == (
        "note: titel: is not a search field, so 'titel:glacier' is searched as words "
        "(did you mean title:?)\n"
    )
    code, out, err = cli("search", "title:glacier")
    assert (code, err) == (0, "") and "Glacier retreat measured" in out


def test_show_prints_the_entry_as_text(cli: Cli, library: dict[str, int]) -> None:
    code, out, _ = cli("show", str(library["old"]))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Glacier retreat measured"
    assert lines[1].startswith("Okay News | ") and lines[1].endswith("by Ada")
    assert lines[2] == "https://ok.example/old"
    assert "attachment: https://ok.example/a.mp3 (audio/mpeg)" in lines
    assert "The glacier lost ten metres." in lines and "Second paragraph." in lines
    assert "<b>" not in out
    full = cli.json("show", str(library["old"]))
    assert full["content"].startswith("<p>The glacier")
    assert full["text"] == "The glacier lost ten metres.\nSecond paragraph."
    assert full["feed_title"] == "Okay News"
    assert full["authors"] == [{"name": "Ada", "email": None, "uri": None}]
    assert full["enclosures"] == [
        {"url": "https://ok.example/a.mp3", "type": "audio/mpeg", "length": 5}
    ]
    code, _, err = cli("show", "999")
    assert code == 1 and err.strip() == "newsreader show: error: no entry with id 999"


def test_mark_every_action_and_errors(cli: Cli, library: dict[str, int]) -> None:
    old, new = str(library["old"]), str(library["new"])
    assert cli.json("mark", "read", old, new) == {
        "action": "read",
        "ids": [library["old"], library["new"]],
        "changed": 2,
    }
    assert cli.json("mark", "unread", old)["changed"] == 1
    assert cli.json("mark", "star", new)["changed"] == 1
    code, out, _ = cli("mark", "unstar", new)
    assert code == 0 and out.strip() == "marked 1 entry unstarred (1 changed)"
    entries = {e["id"]: e for e in cli.json("entries")}
    assert (entries[library["old"]]["read"], entries[library["new"]]["read"]) == (False, True)
    assert entries[library["new"]]["starred"] is False
    code, _, err = cli("mark", "read", old, "998", "999")
    assert code == 1 and "no entries with ids 998, 999" in err
    assert cli.json("entries", "--unread")[0]["id"] == library["old"]  # nothing half-done
    with pytest.raises(SystemExit) as exited:
        cli("mark", "archive", old)
    assert exited.value.code == 2


def test_comment_reply_and_threaded_comments(
    cli: Cli, library: dict[str, int], data_paths: DataPaths
) -> None:
    with Store.open(data_paths) as store:
        store.save_settings(Settings(comment_author="Ada"))
    entry = str(library["old"])
    first = cli.json("comment", entry, "Worth a follow-up")
    assert first["author"] == "Ada" and first["origin"] == "user"
    code, out, _ = cli("comment", entry, "Indeed", "--reply-to", str(first["id"]))
    assert code == 0 and out.strip().endswith(f"added to entry {entry}")
    listed = cli.json("comments", entry)
    # The one comment schema (JSON export's too): threads, replies nested.
    assert [c["body"] for c in listed] == ["Worth a follow-up"]
    (reply,) = listed[0]["replies"]
    assert reply["body"] == "Indeed" and reply["parent_id"] == first["id"]
    assert reply["entry_id"] == int(entry) and reply["replies"] == []
    assert set(reply) == set(first) == set(export_json.comment_record(Comment(1, 1, "x")))
    code, out, _ = cli("comments", entry)
    lines = out.splitlines()
    assert lines[0].startswith(f"#{first['id']}  Ada")
    assert lines[1] == "    Worth a follow-up"
    assert lines[3].startswith("  #") and lines[4] == "      Indeed"
    code, out, _ = cli("comments", str(library["new"]))
    assert code == 0 and out.strip() == f"no comments on entry {library['new']}"
    assert "2 comments: newsreader comments" in cli("show", entry)[1]
    deleted = cli.json("comment", "delete", str(reply["id"]))
    assert deleted["deleted"] is True and deleted["body"] is None  # as the text says [deleted]
    # the option between the words too (it was "unrecognized arguments: Agreed")
    answer = cli.json("comment", entry, "--reply-to", str(first["id"]), "Agreed")
    assert answer["body"] == "Agreed" and answer["parent_id"] == first["id"]


def test_comment_errors(cli: Cli, library: dict[str, int]) -> None:
    code, _, err = cli("comment", "999", "text")
    assert code == 1 and "no entry with id 999" in err
    code, _, err = cli("comment", str(library["old"]), "text", "--reply-to", "77")
    assert code == 1 and "no comment with id 77" in err
    code, _, err = cli("comment", str(library["old"]), "   ")
    assert code == 1 and "needs some text" in err
    code, _, err = cli("comments", "999")
    assert code == 1 and "no entry with id 999" in err
    mine = cli.json("comment", str(library["old"]), "mine")
    code, _, err = cli("comment", "edit", str(mine["id"]), "changed", "--reply-to", "1")
    assert code == 2 and "--reply-to is for a new comment, not `comment edit`" in err
    assert cli.json("comments", str(library["old"]))[0]["body"] == "mine"  # left as it was


def test_purge_uses_the_setting_or_days(
    cli: Cli, library: dict[str, int], data_paths: DataPaths
) -> None:
    cli("mark", "read", str(library["old"]), str(library["new"]))
    code, out, _ = cli("purge")
    assert code == 0 and "retention is off" in out
    with Store.open(data_paths) as store:
        store.save_settings(Settings(retention_days=90))
    assert cli.json("purge") == {"days": 90, "purged": 0}
    code, out, _ = cli("purge", "--days", "30")
    assert code == 0 and out.strip() == "purged 1 entry read more than 30 days ago"
    assert [e["id"] for e in cli.json("entries")] == [library["new"]]
    with pytest.raises(SystemExit) as exited:
        cli("purge", "--days", "-1")
    assert exited.value.code == 2


def test_vacuum(cli: Cli, library: dict[str, int]) -> None:
    code, out, _ = cli("vacuum")
    assert code == 0 and out.startswith("compacted the store from ")
    sizes = cli.json("vacuum")
    assert sizes["after"] > 0


def test_data_dir_comes_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(tmp_path / "from-env"))
    source = tmp_path / "subs.opml"
    source.write_bytes(OPML)
    assert main(["import", str(source)]) == 0
    assert (tmp_path / "from-env" / "newsreader.sqlite3").exists()
    capsys.readouterr()
    assert main(["feeds", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_real_subprocess(tmp_path: Path) -> None:
    source = tmp_path / "subs.opml"
    source.write_bytes(OPML)
    env = {**os.environ, "NEWSREADER_DATA_DIR": str(tmp_path / "unused")}
    data = str(tmp_path / "data")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "newsreader", "--data-dir", data, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    imported = subprocess.run(
        [sys.executable, "-m", "newsreader", "--data-dir", data, "import", "-"],
        input=OPML.decode(),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert "imported 2 feeds" in imported.stdout
    assert "(2 already subscribed)" in run("import", str(source)).stdout
    listed = run("feeds", "--json")
    assert {f["url"] for f in json.loads(listed.stdout)} == {
        "https://loose.example/feed",
        "https://planet.example/rss",
    }
    missing = run("show", "5")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "newsreader show: error: no entry with id 5"
    usage = run("mark", "read")
    assert usage.returncode == 2 and "usage:" in usage.stderr
    assert not (tmp_path / "unused").exists()


def test_json_export_writes_the_entry_schema_of_show(
    cli: Cli, library: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "one.json"
    code, _, err = cli("export", "--format", "json", "--entry", str(library["old"]), "--out",
                       str(target))  # fmt: skip
    assert code == 0, err
    exported = json.loads(target.read_text())["entries"]
    shown = cli.json("show", str(library["old"]))
    # JSON export carries the full article too (docs/fulltext.md), as show --json does.
    assert exported == [_entry_part(shown) | {"full_text": shown["full_text"]}]


def _entry_part(shown: dict[str, Any]) -> dict[str, Any]:
    """`show --json` without what only it adds (the story and key points, docs/stories.md;
    the full article, docs/fulltext.md)."""
    assert "story" in shown and "key_points" in shown and "full_text" in shown
    return {k: v for k, v in shown.items() if k not in ("story", "key_points", "full_text")}


def test_export_md_documents_every_key_of_show_json(cli: Cli, library: dict[str, int]) -> None:
    """docs/export.md's "An entry as JSON" table names each key `show --json` prints."""
    doc = (Path(__file__).parents[2] / "docs" / "export.md").read_text(encoding="utf-8")
    section = doc.split("## An entry as JSON", 1)[1].split("\n## ", 1)[0]
    documented = {
        key
        for row in section.splitlines()
        if row.startswith("| `")
        for key in re.findall(r"`([a-z_]+)`", row.split("|")[1])
    }
    shown = cli.json("show", str(library["old"]))
    assert set(shown) <= documented, sorted(set(shown) - documented)


def test_export_opml_leaves_out_the_bundled_welcome_feed(
    data_paths: DataPaths, library: dict[str, int], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Another reader importing the file would get the Welcome feed's `.invalid` address, a
    feed that can never load: the OPML export (command line and window alike read
    `Store.export_outline`) leaves it out."""
    from newsreader.gui.first_run import WELCOME_URL, install_welcome_feed
    from newsreader.parse.opml import parse_opml

    with Store.open(data_paths) as store:
        install_welcome_feed(store)
        assert WELCOME_URL in {f.url for f in store.list_feeds()}
        assert WELCOME_URL not in {f.url for f in store.export_outline()}
    assert main(["export-opml", "-", "--data-dir", str(data_paths.root)]) == 0
    out = capsysbinary.readouterr().out
    assert b"newsreader.invalid" not in out and out.count(b"xmlUrl=") == 3
    assert len(parse_opml(out)) == 3
