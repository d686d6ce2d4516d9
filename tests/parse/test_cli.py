"""`newsreader parse [--json] FILE...`, run through the real entry point."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.cli.parse_cmd import print_json_line
from newsreader.main import main

FEED_KEYS = {"format", "title", "link", "subtitle", "language", "updated", "image", "entries"}
ENTRY_KEYS = {
    "id", "title", "link", "published", "updated", "authors", "categories", "summary", "content",
    "enclosures", "comments_url", "comments_feed", "comment_count",
}  # fmt: skip

RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
     xmlns:wfw="http://wellformedweb.org/CommentAPI/"><channel>
<title>CLI feed</title><link>https://cli.example/</link><description>Desc</description>
<language>en</language><lastBuildDate>Tue, 05 Mar 2024 08:00:00 +0100</lastBuildDate>
<item><title>One &amp; two</title><link>/one</link><guid>g1</guid>
<author>a@cli.example (Ann)</author><category>c1</category>
<description>&lt;p&gt;Hi&lt;script&gt;x()&lt;/script&gt;&lt;/p&gt;</description>
<pubDate>Mon, 04 Mar 2024 08:00:00 GMT</pubDate>
<enclosure url="https://cli.example/a.mp3" type="audio/mpeg" length="10"/>
<comments>https://cli.example/one#c</comments><wfw:commentRss>https://cli.example/one/feed</wfw:commentRss>
<slash:comments>3</slash:comments></item>
<item><title>Bare</title></item>
</channel></rss>"""


@pytest.fixture
def feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    return path


def test_json_output_has_exactly_the_documented_keys(
    feed_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["parse", "--json", "--base-url", "https://cli.example/feed", str(feed_file)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    (line,) = out
    feed = json.loads(line)
    assert set(feed) == FEED_KEYS
    assert feed["format"] == "rss20"
    assert feed["updated"] == "2024-03-05T07:00:00Z"
    assert feed["image"] is None
    first, bare = feed["entries"]
    assert set(first) == ENTRY_KEYS and set(bare) == ENTRY_KEYS
    assert first == {
        "id": "g1",
        "title": "One & two",
        "link": "https://cli.example/one",
        "published": "2024-03-04T08:00:00Z",
        "updated": None,
        "authors": [{"name": "Ann", "email": "a@cli.example", "uri": None}],
        "categories": ["c1"],
        "summary": "<p>Hi</p>",
        "content": None,
        "enclosures": [{"url": "https://cli.example/a.mp3", "type": "audio/mpeg", "length": 10}],
        "comments_url": "https://cli.example/one#c",
        "comments_feed": "https://cli.example/one/feed",
        "comment_count": 3,
    }
    assert bare["authors"] == [] and bare["categories"] == [] and bare["enclosures"] == []
    assert bare["link"] is None and bare["comment_count"] is None


def test_one_line_per_file_in_order_and_errors_do_not_stop_the_run(
    feed_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "page.html"
    broken.write_text("<html><body>not a feed</body></html>")
    missing = tmp_path / "missing.xml"
    code = main(["parse", "--json", str(missing), str(feed_file), str(broken), str(feed_file)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert len(lines) == 4
    assert set(lines[0]) == {"error"} and "missing.xml" in lines[0]["error"]
    assert lines[1]["title"] == "CLI feed"
    assert set(lines[2]) == {"error"} and "not a feed" in lines[2]["error"]
    assert lines[3]["title"] == "CLI feed"


def test_human_readable_summary(feed_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["parse", str(feed_file), str(feed_file.with_name("nope.xml"))])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0] == f"{feed_file}: rss20 'CLI feed', 2 entries"
    assert out[1].startswith(f"{feed_file.with_name('nope.xml')}: error:")


def test_usage_error_without_files(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["parse"])
    assert exit_info.value.code == 2
    assert "FILE" in capsys.readouterr().err


def test_the_installed_command_reads_stdin(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsreader", "parse", "--json", "-"],
        input=RSS.encode(),
        capture_output=True,
        check=False,
        env={"NEWSREADER_DATA_DIR": str(tmp_path), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["entries"][0]["id"] == "g1"


@pytest.mark.parametrize("command", ["parse", "import"])
def test_a_base_url_that_is_not_absolute_http_is_a_usage_error(
    command: str, feed_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As `extract --url`: relative links cannot be made absolute against `notaurl` (a
    reviewer found `parse --base-url notaurl` accepted while `extract --url notaurl` was not)."""
    with pytest.raises(SystemExit) as exit_:
        main([command, "--base-url", "notaurl", str(feed_file)])
    assert exit_.value.code == 2
    assert "expected an absolute http(s) URL, got 'notaurl'" in capsys.readouterr().err


def test_json_lines_are_compact_and_without_control_characters() -> None:
    """orjson writes the line to a UTF-8 stream's bytes; what it refuses (a lone surrogate,
    an integer beyond 64 bits) the json module writes, in the same layout."""
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stream.write("before\n")
    print_json_line(stream, {"a": "b\u0085c\x7fd\u00a0é", "n": [1, None, True]})
    print_json_line(stream, {"a": "x\ud800y", "n": 2**70})
    stream.flush()
    assert isinstance(stream.buffer, io.BytesIO)
    assert stream.buffer.getvalue().decode().splitlines() == [
        "before",
        '{"a":"bcd\u00a0é","n":[1,null,true]}',
        '{"a":"x\ufffdy","n":1180591620717411303424}',
    ]
    text = io.StringIO()  # no byte stream under it
    print_json_line(text, {"a": "\x1b[31m\u0085"})
    assert text.getvalue() == '{"a":"\\u001b[31m"}\n'
