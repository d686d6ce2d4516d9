"""`newsreader stories` and the story, key points and language in `show --json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsreader.main import main
from newsreader.paths import DataPaths
from newsreader.store import Store
from tests.stories.labelled import ingest, load


def _run(paths: DataPaths, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main([*args, "--data-dir", str(paths.root)])
    return code, capsys.readouterr().out


def _json(paths: DataPaths, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out = _run(paths, capsys, *args, "--json")
    assert code == 0
    return json.loads(out)


def test_stories_and_show(data_paths: DataPaths, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(data_paths) as store:
        ids = ingest(store, load("events_a.yaml"))
        # a distractor the matcher leaves on its own (one of events_a's joins its event)
        alone = next(
            i
            for i, a in ids.items()
            if a.event.startswith("distractor") and not store.entry_story(i)
        )
    marathon = sorted(i for i, a in ids.items() if a.event == "marathon-record")
    reprint = next(i for i, a in ids.items() if a.copy_of is not None)

    stories = _json(data_paths, capsys, "stories", "--min-sources", "5")
    (story,) = [s for s in stories if marathon[0] in {e["id"] for e in s["entries"]}]
    assert sorted(e["id"] for e in story["entries"]) == marathon
    assert story["sources"] == 5
    assert {e["language"] for e in story["entries"]} == {"en"}
    # The entry schema's key names (export/json.py entry_record), not a variant of them.
    assert all(
        set(e) == {"id", "feed_id", "feed_title", "title", "date", "language"}
        for e in story["entries"]
    )
    assert all(e["feed_title"] for e in story["entries"])
    assert all(s["sources"] >= 5 for s in stories)
    assert _json(data_paths, capsys, "stories", "--since", "2026-06-01") == []

    code, out = _run(data_paths, capsys, "stories")
    assert code == 0
    assert "Kenya's Amos Kiprono breaks marathon world record in Berlin" in out

    shown = _json(data_paths, capsys, "show", str(reprint))
    assert shown["language"] == "en"
    assert shown["story"]["id"] == story["id"]
    assert sorted(shown["story"]["entries"]) == [i for i in marathon if i != reprint]
    assert len(shown["story"]["copies"]) == 1
    assert shown["key_points"] == []  # a one-sentence report: key points would repeat it
    assert _json(data_paths, capsys, "show", str(alone))["story"] is None

    # the text output lists the coverage too, as the reader does, with the reprint marked
    code, out = _run(data_paths, capsys, "show", str(marathon[0]))
    assert code == 0 and "Coverage: 4 other articles on this story" in out
    lines = out[out.index("Coverage:") :].splitlines()[1:5]
    assert sorted(int(line.split()[0]) for line in lines) == marathon[1:]
    assert sum("(same text)" in line for line in lines) == (1 if reprint != marathon[0] else 0)
    assert "Coverage" not in _run(data_paths, capsys, "show", str(alone))[1]


def test_show_prints_the_key_points_above_the_text(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.store.builders import entry, feed, fetch
    from tests.stories.test_keypoints import ARTICLE

    with Store.open(data_paths) as store:
        feed_id = store.add_feed("https://one.example/feed").id
        (entry_id,) = store.apply_parsed_feed(
            feed_id, feed(entry("g", title="Strike", content=ARTICLE)), fetch()
        ).new_entry_ids
    code, out = _run(data_paths, capsys, "show", str(entry_id))
    assert code == 0
    body = out.partition("Key points:\n")[2]
    assert body.startswith("  - Around 4,000 dockworkers at the port of Rotterdam stopped work")
    assert body.index("  - ") < body.index("It was a grey morning.")  # the points, then the text


def test_min_sources_must_be_two_or_more(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["stories", "--min-sources", "1", "--data-dir", str(data_paths.root)])
    assert exit_.value.code == 2


def test_export_story_writes_the_storys_articles_oldest_first(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`export --story ID` takes the id `stories` shows: a newcomer had to copy the ids of a
    story's articles by hand."""
    with Store.open(data_paths) as store:
        ids = ingest(store, load("events_a.yaml"))
    marathon = {i for i, a in ids.items() if a.event == "marathon-record"}
    (story,) = [
        s
        for s in _json(data_paths, capsys, "stories")
        if {e["id"] for e in s["entries"]} == marathon
    ]
    out = tmp_path / "story.json"
    code, _ = _run(
        data_paths,
        capsys,
        "export",
        "--format",
        "json",
        "--story",
        str(story["id"]),
        "--out",
        str(out),
    )
    assert code == 0
    exported = json.loads(out.read_text())["entries"]
    assert [a["id"] for a in exported] == [e["id"] for e in story["entries"]]
    args = ["export", "--format", "json", "--story", "999999", "--out", str(out)]
    assert main([*args, "--data-dir", str(data_paths.root)]) == 1
    assert "no story with id 999999" in capsys.readouterr().err


def test_export_story_is_titled_with_the_storys_headline(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A story's export is titled with its headline (its first article's title, as `stories`
    shows it) in the HTML <title>, the EPUB's dc:title and the Markdown header, not
    "Selected articles"."""
    import zipfile

    import lxml.html
    from lxml import etree

    with Store.open(data_paths) as store:
        ids = ingest(store, load("events_a.yaml"))
    marathon = {i for i, a in ids.items() if a.event == "marathon-record"}
    (story,) = [
        s
        for s in _json(data_paths, capsys, "stories")
        if {e["id"] for e in s["entries"]} == marathon
    ]
    headline = story["entries"][0]["title"]
    code, out = _run(data_paths, capsys, "stories")
    assert code == 0
    assert headline in out

    def export(fmt: str, name: str) -> Path:
        path = tmp_path / name
        args = ["export", "--format", fmt, "--story", str(story["id"]), "--out", str(path)]
        assert _run(data_paths, capsys, *args)[0] == 0
        return path

    page = lxml.html.parse(str(export("html", "story.html"))).getroot()
    assert page.findtext(".//title") == headline
    markdown = export("md", "story.md").read_text(encoding="utf-8")
    assert f"title: {json.dumps(headline, ensure_ascii=False)}" in markdown
    assert "Selected articles" not in markdown
    with zipfile.ZipFile(export("epub", "story.epub")) as book:
        opf = etree.fromstring(book.read("OEBPS/package.opf"))
    titles = opf.xpath("//dc:title/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})
    assert titles == [headline]
