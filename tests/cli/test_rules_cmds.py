"""tag/untag/tags, searches and rules on the command line, against a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsreader.main import main
from newsreader.paths import DataPaths
from newsreader.store import Store
from tests.cli.test_library_cmds import Cli
from tests.loopback import LoopbackServer, Response
from tests.store.builders import entry, feed, fetch


@pytest.fixture
def cli(data_paths: DataPaths, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(data_paths, capsys)


@pytest.fixture
def ids(data_paths: DataPaths) -> dict[str, int]:
    with Store.open(data_paths) as store:
        folder = store.ensure_folder_path(["Tech", "Apple"])
        apple = store.add_feed("https://apple.example/feed", folder_id=folder).id
        world = store.add_feed("https://world.example/feed").id
        found: dict[str, int] = {}
        for feed_id, entries in (
            (apple, (entry("s1", title="Swift 6 released"), entry("s2", title="Swift on servers"))),
            (
                world,
                (entry("w1", title="Election results"), entry("w2", title="Taylor Swift tour")),
            ),
        ):
            result = store.apply_parsed_feed(feed_id, feed(*entries), fetch())
            found.update(zip((e.id for e in entries), result.new_entry_ids, strict=True))
        found["apple"], found["world"] = apple, world
    return found


def test_exclusion_and_fields_in_search(cli: Cli, ids: dict[str, int]) -> None:
    assert {e["id"] for e in cli.json("search", "swift")} == {ids["s1"], ids["s2"], ids["w2"]}
    # `-swift` excludes: every entry without the word.
    cli.capsys.readouterr()
    assert main(["search", "--json", "--data-dir", str(cli.paths.root), "--", "-swift"]) == 0
    assert [e["id"] for e in json.loads(cli.capsys.readouterr().out)] == [ids["w1"]]
    assert [e["id"] for e in cli.json("search", "swift -folder:tech")] == [ids["w2"]]
    code, _, err = cli("search", "swift (tour")
    assert code == 1 and "at position 7" in err and "Traceback" not in err


def test_tag_untag_tags(cli: Cli, ids: dict[str, int]) -> None:
    code, out, _ = cli("tag", str(ids["s1"]), str(ids["w1"]), "Read later")
    assert code == 0 and "tagged 2 entries 'Read later'" in out
    assert cli.json("tags") == [{"tag": "Read later", "entries": 2}]
    assert [e["tags"] for e in cli.json("search", 'tag:"read later" swift')] == [["Read later"]]
    assert cli.json("untag", str(ids["s1"]), "read later")["changed"] == 1
    assert cli.json("tags") == [{"tag": "Read later", "entries": 1}]
    code, _, err = cli("tag", "999", "x")
    assert code == 1 and "no entry with id 999" in err


def test_saved_searches_list_the_same_entries_as_search(cli: Cli, ids: dict[str, int]) -> None:
    query = "swift -title:taylor"
    assert cli.json("searches", "add", "Swift dev", query)["name"] == "Swift dev"
    listed = cli.json("searches", "list")
    assert listed == [{"id": 1, "name": "Swift dev", "query": query, "unread": 2}]
    by_name = {e["id"] for e in cli.json("entries", "--search", "swift dev")}
    assert by_name == {e["id"] for e in cli.json("search", query)} == {ids["s1"], ids["s2"]}
    code, _, err = cli("searches", "add", "Broken", "title~/(/")
    assert code == 1 and "not valid" in err
    code, _, err = cli("entries", "--search", "nothing")
    assert code == 1 and "no saved search named 'nothing'" in err
    assert cli("searches", "remove", "Swift dev")[0] == 0
    assert cli.json("searches", "list") == []


def test_rules_add_preview_run_list_remove(cli: Cli, ids: dict[str, int]) -> None:
    code, out, _ = cli(
        "rules", "add", "Mute", "--query", "title:swift", "--action", "read",
        "--action", "tag:muted", "--folder", "apple",
    )  # fmt: skip
    assert code == 0 and "2 stored entries match now" in out
    preview = cli.json("rules", "preview", "Mute")
    assert {e["id"] for e in preview["entries"]} == {ids["s1"], ids["s2"]}
    # The entry schema's key names (export/json.py entry_record), not a variant of them.
    shown = {e["id"]: e for e in cli.json("search", "swift")}
    assert [set(e) for e in preview["entries"]] == [{"id", "feed_title", "title", "date"}] * 2
    assert all(e["feed_title"] == shown[e["id"]]["feed_title"] for e in preview["entries"])
    unsaved = cli.json("rules", "preview", "--query", "swift", "--feed", str(ids["world"]))
    assert [e["id"] for e in unsaved["entries"]] == [ids["w2"]]
    code, out, _ = cli("rules", "preview", "--query", "swift", "--feed", str(ids["world"]))
    assert code == 0 and "1 stored entry matches 'swift'" in out
    assert cli.json("search", "is:unread folder:apple") != []  # preview changed nothing
    ran = cli.json("rules", "run")
    assert set(ran["read"]) == {ids["s1"], ids["s2"]} and ran["problems"] == []
    assert cli.json("search", "is:unread folder:apple") == []
    (listed,) = cli.json("rules", "list")
    assert (listed["name"], listed["folder"], listed["actions"]) == (
        "Mute",
        "Tech/Apple",
        ["read", "tag:muted"],
    )
    code, out, _ = cli("rules", "list")
    assert "folder Tech/Apple" in out and "read tag:muted" in out
    with pytest.raises(SystemExit) as exited:
        cli("rules", "add", "X", "--query", "a", "--action", "zap")
    assert exited.value.code == 2
    assert "argument --action: unknown rule action 'zap'" in cli.capsys.readouterr().err
    for both_or_neither in (["Mute", "--query", "a"], []):
        code, _, err = cli("rules", "preview", *both_or_neither)
        assert code == 2 and "give a rule NAME or --query QUERY (not both)" in err
    code, _, err = cli("rules", "add", "Y", "--query", "a", "--action", "read", "--folder", "nope")
    assert code == 1 and "no folder named 'nope'" in err
    assert cli("rules", "remove", "mute")[0] == 0
    assert cli.json("rules", "list") == []


def test_a_failing_rule_run_reports_it(
    cli: Cli, ids: dict[str, int], data_paths: DataPaths
) -> None:
    assert cli("rules", "add", "Slow", "--query", "title~/(a|aa)+$/", "--action", "delete")[0] == 0
    with Store.open(data_paths) as store:  # an entry the pattern cannot finish arrives later
        store.apply_parsed_feed(ids["world"], feed(entry("w3", title="a" * 40 + "!")), fetch())
    code, _, err = cli("rules", "add", "Slower", "--query", "title~/(a|aa)+$/", "--action", "star")
    assert code == 1 and "took longer than" in err
    assert [r["name"] for r in cli.json("rules", "list")] == ["Slow"]  # nothing added
    code, out, _ = cli("rules", "run")
    assert code == 1 and "rule 'Slow' failed and was skipped: the pattern" in out
    (listed,) = cli.json("rules", "list")
    # it failed on the entry's arrival, then in the run
    assert listed["error_count"] == 2 and "took longer than" in listed["last_error"]
    code, out, _ = cli("rules", "list")
    assert "failing" in out
    assert len(cli.json("search", "title~/^a+!$/")) == 1  # nothing was deleted


def test_rules_export_import(cli: Cli, ids: dict[str, int], tmp_path: Path) -> None:
    cli("rules", "add", "Star", "--query", "is:unread", "--action", "star", "--feed",
        str(ids["apple"]))  # fmt: skip
    target = tmp_path / "rules.json"
    assert cli("rules", "export", str(target))[0] == 0
    document = json.loads(target.read_text())
    assert document["rules"][0]["feed"] == "https://apple.example/feed"
    code, _, err = cli("rules", "import", str(target))
    assert code == 1 and "already a rule named 'Star'" in err
    document["rules"][0]["name"] = "Star again"
    target.write_text(json.dumps(document))
    assert cli.json("rules", "import", str(target)) == {"added": ["Star again"]}
    target.write_text("{not json")
    code, _, err = cli("rules", "import", str(target))
    assert code == 1 and "is not JSON" in err


def test_sync_lists_what_notify_rules_found(cli: Cli) -> None:
    items = "".join(
        f"<item><guid>n{i}</guid><title>{title}</title><link>https://n.example/{i}</link></item>"
        for i, title in enumerate(("Ferry timetable changes", "Harbour festival", "Ferry strike"))
    )
    body = f"<rss version='2.0'><channel><title>Port</title>{items}</channel></rss>".encode()
    with LoopbackServer() as server:
        server.route("/port.xml", Response(body=body))
        with Store.open(cli.paths) as store:
            store.add_feed(server.url("/port.xml"))
            store.add_rule("ferries", "title:ferry", ["notify"])
        code, out, _ = cli("sync", "--all")
    assert code == 0
    lines = out.splitlines()
    start = lines.index("Your rules asked to tell you about 2 articles:")
    listed = sorted(line.split(maxsplit=1)[1] for line in lines[start + 1 : start + 3])
    assert listed == ["Ferry strike", "Ferry timetable changes"]


def test_categories_of_rss_and_atom_feeds_are_searched_and_ruled(cli: Cli) -> None:
    """The feed's own categories (RSS `<category>`, also in CDATA as TechCrunch writes them;
    Atom `<category term>`) are searched with `category:` and `category~/re/`, by rules as
    they arrive and by `search` afterwards (FreshRSS #3788, Miniflux #951)."""
    rss_items = (
        "<item><guid>r1</guid><title>Seed round</title>"
        "<category><![CDATA[Venture Capital]]></category><category>Startups</category></item>"
        "<item><guid>r2</guid><title>Daily deals</title>"
        "<category>Promocje dnia</category></item>"
        "<item><guid>r3</guid><title>No categories</title></item>"
    )
    rss = f"<rss version='2.0'><channel><title>Money</title>{rss_items}</channel></rss>"
    atom = (
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>Code</title><id>urn:c</id>"
        "<updated>2026-11-01T00:00:00Z</updated>"
        "<entry><id>urn:a1</id><title>Rust 2.0</title><updated>2026-11-01T00:00:00Z</updated>"
        "<category term='rust' label='The Rust language'/><category term='startups'/></entry>"
        "</feed>"
    )
    with LoopbackServer() as server:
        server.route("/money.xml", Response(body=rss.encode()))
        server.route("/code.xml", Response(body=atom.encode(), content_type="application/atom+xml"))
        with Store.open(cli.paths) as store:
            store.add_feed(server.url("/money.xml"))
            store.add_feed(server.url("/code.xml"))
            store.add_rule("deals", "category~/\\bpromocje\\s+dnia\\b/i", ["read", "tag:deals"])
        code, _, err = cli("sync", "--all")
    assert code == 0, err

    def titles(query: str) -> set[str]:
        return {e["title"] for e in cli.json("search", query)}

    assert titles('category:"venture capital"') == {"Seed round"}
    assert titles("category:STARTUPS") == {"Seed round", "Rust 2.0"}
    assert titles('category:"the rust language"') == {"Rust 2.0"}  # Atom: the label if any
    assert titles("category:startups -feed:code") == {"Seed round"}
    assert titles("category~/^Ven/") == {"Seed round"}
    assert titles("tag:deals is:read") == {"Daily deals"}  # the rule ran on arrival
    assert [e["categories"] for e in cli.json("search", "category:startups feed:code")] == [
        ["The Rust language", "startups"]
    ]
