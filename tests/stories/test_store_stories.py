"""Stories and languages as the store writes them at ingest, and the 0008 upgrade."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlite_utils import Database

from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.store.schema import MIGRATIONS
from newsreader.stories import lexicon, similarity, words
from tests.store.builders import NOW, entry, feed, fetch
from tests.stories.labelled import match_stories

QUAKE = (
    "Magnitude 6.8 earthquake shakes central Chile",
    "An earthquake of magnitude 6.8 struck central Chile on Tuesday, shaking buildings in "
    "Santiago and Valparaíso, the national emergency office said.",
)
QUAKE_2 = (
    "Strong 6.8 quake hits Chile, buildings sway in Santiago",
    "A strong earthquake of magnitude 6.8 hit central Chile. Buildings swayed in Santiago "
    "and Valparaíso and residents ran into the streets.",
)
OTHER = (
    "City council approves budget for new tram line",
    "The city council approved the budget for a new tram line through the old town on "
    "Monday evening, after a debate of six hours.",
)


def _write(
    store: Store, url: str, *items: tuple[str, str], hours: int = 0, guid: str = "a"
) -> list[int]:
    feed_id = store.add_feed(url).id
    entries = [
        entry(f"{guid}{i}", title=t, summary=f"<p>{s}</p>", published=NOW + timedelta(hours=hours))
        for i, (t, s) in enumerate(items)
    ]
    # fetched when published: a date after its fetch would be dated at the fetch
    written = store.apply_parsed_feed(
        feed_id, feed(*entries), fetch(NOW + timedelta(hours=hours))
    ).new_entry_ids
    match_stories(store)  # a sync of this one feed
    return list(written)


def test_language_is_detected_at_ingest_and_unknown_for_too_little_text(store: Store) -> None:
    ids = _write(
        store,
        "https://one.example/feed",
        QUAKE,
        (
            "Stadtrat beschließt Haushalt",
            "Der Stadtrat hat am Dienstagabend einen neuen "
            "Haushalt für den Nahverkehr beschlossen.",
        ),
        (
            "Le conseil vote le budget",
            "Le conseil municipal a approuvé mardi soir un nouveau "
            "budget pour les transports publics.",
        ),
        ("OK", ""),
    )
    assert [store.get_entry(i).language for i in ids] == ["en", "de", "fr", None]


def test_changed_text_is_detected_again(store: Store) -> None:
    feed_id = store.add_feed("https://one.example/feed").id
    first = entry("g", title=QUAKE[0], summary=QUAKE[1])
    (entry_id,) = store.apply_parsed_feed(feed_id, feed(first), fetch()).new_entry_ids
    changed = entry(
        "g",
        title="Stadtrat beschließt Haushalt",
        summary="Der Stadtrat hat am Dienstagabend einen neuen Haushalt beschlossen.",
    )
    store.apply_parsed_feed(feed_id, feed(changed), fetch())
    assert store.get_entry(entry_id).language == "de"


def test_reports_from_other_feeds_form_a_story_and_others_stay_alone(store: Store) -> None:
    (a,) = _write(store, "https://one.example/feed", QUAKE)
    (b,) = _write(store, "https://two.example/feed", QUAKE_2, hours=3)
    (c,) = _write(store, "https://three.example/feed", OTHER, hours=2)
    story = store.entry_story(b)
    assert story is not None
    assert (story.id, story.entries, story.copies) == (a, (a,), ())
    assert store.entry_story(a) == type(story)(id=a, entries=(b,), copies=())
    assert store.entry_story(c) is None
    assert store.story_sizes([a, b, c]) == {a: 2, b: 2}
    (listed,) = store.list_stories(min_sources=2)
    assert (listed.id, listed.entry_ids, listed.sources, listed.title) == (a, (a, b), 2, QUAKE[0])
    assert store.list_stories(min_sources=3) == []
    assert store.list_stories(since=NOW + timedelta(days=1)) == []


def test_a_story_goes_by_a_title_in_its_most_common_language(store: Store) -> None:
    """Listed, and in exports (`story_headline`): not the German report that came first."""
    german = (
        "Erdbeben der Stärke 6,8 erschüttert Chile",
        "Ein Erdbeben der Stärke 6,8 hat am Dienstag Zentralchile erschüttert; in Santiago "
        "und Valparaíso schwankten Gebäude, teilte die nationale Notfallbehörde mit.",
    )
    (de,) = _write(store, "https://zeitung.example/feed", german)
    (en,) = _write(store, "https://one.example/feed", QUAKE, hours=1)
    (en_2,) = _write(store, "https://two.example/feed", QUAKE_2, hours=3)
    story = store.entry_story(en_2)
    assert story is not None and story.id == de and set(story.entries) == {de, en}
    (listed,) = store.list_stories(min_sources=3)
    assert listed.entry_ids == (de, en, en_2)
    assert listed.title == QUAKE[0] == store.story_headline(de)


def test_an_entry_without_a_summary_is_matched_on_its_content(store: Store) -> None:
    """The queue's reading leaves the content out and reads it only for entries whose summary
    has no text: their lead is the content."""
    (a,) = _write(store, "https://one.example/feed", QUAKE)
    feed_id = store.add_feed("https://two.example/feed").id
    blank = entry("b", title=QUAKE_2[0], summary="<p> </p>", content=f"<p>{QUAKE_2[1]}</p>")
    bare = entry("c", title=OTHER[0], content=f"<p>{OTHER[1]}</p>")
    b, c = store.apply_parsed_feed(feed_id, feed(blank, bare), fetch()).new_entry_ids
    match_stories(store)
    story = store.entry_story(b)
    assert story is not None and story.id == a
    assert store.entry_story(c) is None
    conn = store._conn
    terms = conn.execute("SELECT terms FROM story_fts ORDER BY rowid").fetchall()
    assert ["tram" in t for (t,) in terms] == [False, False, True]


def _queued_entry(store: Store, url: str, guid: str, hours: int) -> int:
    feed_id = store.add_feed(url).id
    written = entry(guid, title=QUAKE[0], summary=QUAKE[1], published=NOW + timedelta(hours=hours))
    at = fetch(NOW + timedelta(hours=hours))  # a date after its fetch is dated at the fetch
    (entry_id,) = store.apply_parsed_feed(feed_id, feed(written), at).new_entry_ids
    return entry_id


def _matched(store: Store) -> set[int]:
    return {i for (i,) in store._conn.execute("SELECT entry_id FROM entry_stories")}


def test_the_queue_is_matched_oldest_first_when_entries_arrive_between_batches(
    store: Store, data_paths: DataPaths
) -> None:
    """The queue's order is read once for a run of batches: an entry written between two
    batches, on this connection or another, is still matched in its date's turn."""
    later = _queued_entry(store, "https://one.example/feed", "a", hours=5)
    latest = _queued_entry(store, "https://two.example/feed", "b", hours=6)
    assert store.match_queued_stories(limit=1) == 1
    assert _matched(store) == {later}
    earlier = _queued_entry(store, "https://three.example/feed", "c", hours=1)  # this one
    assert store.match_queued_stories(limit=1) == 1
    assert _matched(store) == {later, earlier}
    with Store.open(data_paths) as other:  # another program's write
        earliest = _queued_entry(other, "https://four.example/feed", "d", hours=0)
    assert store.match_queued_stories(limit=1) == 1
    assert _matched(store) == {later, earlier, earliest}
    assert store.match_queued_stories(limit=1) == 1
    assert store.match_queued_stories(limit=1) == 0
    assert _matched(store) == {later, earlier, earliest, latest}


def test_the_matcher_weighs_terms_by_the_index_counts(store: Store) -> None:
    """The document frequencies story matching keeps (read from the index, then counted
    along as articles are indexed) are those of the index, and a term the index lacks counts
    as in no article."""
    _write(store, "https://one.example/feed", QUAKE, OTHER)
    _write(store, "https://two.example/feed", QUAKE_2, hours=3)
    conn = store._conn
    index = dict(conn.execute("SELECT term, doc FROM temp.story_vocab").fetchall())
    assert store._stories._df == index
    assert index["chile"] == 2 and index["tram"] == 1
    weight = store._stories._weighed(Counter(["chile", "tram", "nowhere-in-the-index"]))
    assert weight["chile"] < weight["tram"] < weight["nowhere-in-the-index"]


def test_one_per_story_keeps_the_first_listed_article_of_each_story(store: Store) -> None:
    (a,) = _write(store, "https://one.example/feed", QUAKE)
    (b,) = _write(store, "https://two.example/feed", QUAKE_2, hours=3)
    (c,) = _write(store, "https://three.example/feed", OTHER, hours=2)
    assert store.one_per_story([b, c, a]) == [b, c]
    assert store.one_per_story([a, b, c]) == [a, c]
    assert store.one_per_story([c, a]) == [c, a]  # the story's other article is not listed
    # the article being read stands for its story, in its own place
    assert store.one_per_story([b, c, a], keep=a) == [c, a]
    assert store.one_per_story([b, c, a], keep=c) == [b, c]
    # not listed (a read article kept in place in Unread): its story gets no second row
    assert store.one_per_story([b, c], keep=a) == [c]
    # else the article a row shows now keeps showing (`prefer`), in its own place
    assert store.one_per_story([b, c, a], prefer={a, c}) == [c, a]
    assert store.one_per_story([b, c, a], keep=b, prefer={a}) == [b, c]
    # several kept (the article being read and other selected ones): each stays
    assert store.one_per_story([b, c, a], keep=[c, a]) == [c, a]
    assert store.one_per_story([b, c, a], keep=(a, b)) == [b, c, a]
    store._conn.execute("DELETE FROM entry_stories WHERE entry_id = ?", (c,))  # never matched
    assert store.one_per_story([c, b, a]) == [c, b]
    assert store.one_per_story([]) == []
    assert store.story_mates([a, b, c]) == {a: [b], b: [a]}  # c: alone in its story
    assert store.story_mates([]) == {}


def test_the_same_feed_and_far_apart_dates_do_not_make_a_story(store: Store) -> None:
    a, b = _write(store, "https://one.example/feed", QUAKE, QUAKE_2)
    (c,) = _write(store, "https://two.example/feed", QUAKE_2, hours=24 * 5)
    assert store.entry_story(a) is None
    assert store.entry_story(b) is None
    assert store.entry_story(c) is None


def test_an_identical_reprint_is_a_copy_and_deleting_keeps_the_index_whole(store: Store) -> None:
    (a,) = _write(store, "https://one.example/feed", QUAKE)
    (b,) = _write(store, "https://two.example/feed", QUAKE, hours=1)
    (c,) = _write(store, "https://three.example/feed", QUAKE_2, hours=2)
    story = store.entry_story(a)
    assert story is not None
    assert (story.entries, story.copies) == ((b, c), (b,))
    assert store.copies_of([b]) == [a]
    store.delete_feed(store.get_entry(b).feed_id)
    story = store.entry_story(a)
    assert story is not None
    assert (story.entries, story.copies) == ((c,), ())
    assert store.integrity_check() == []
    count = store._conn.execute("SELECT count(*) FROM story_fts").fetchone()[0]
    assert count == 2


def test_upgrade_detects_languages_and_matches_recent_entries(data_paths: DataPaths) -> None:
    # A store written before step 0008: entries without language or stories.
    conn = sqlite3.connect(data_paths.store, isolation_level=None)
    MIGRATIONS.apply(Database(conn), stop_before="0008_stories_language")
    for feed_id, (title, summary) in enumerate((QUAKE, QUAKE_2), start=1):
        conn.execute(
            "INSERT INTO feeds(id, url, added) VALUES (?, ?, 1700000000)",
            (feed_id, f"https://{feed_id}.example/feed"),
        )
        conn.execute(
            "INSERT INTO entries(id, feed_id, guid, title, summary, first_seen, sort_date, "
            "content_hash) VALUES (?, ?, 'g', ?, ?, 1700000000, ?, 'h')",
            (feed_id, feed_id, title, summary, 1700000000 + feed_id * 3600),
        )
    conn.close()
    with Store.open(data_paths) as store:
        assert store.get_entry(1).language == "en"
        story = store.entry_story(2)
        assert story is not None
        assert story.entries == (1,)


BREACH = (
    "Hartwell Stores says hackers took data of 6.2 million customers",
    "The retailer Hartwell Stores said on Monday that hackers had copied the names and "
    "addresses of 6.2 million customers from a loyalty-card database in March.",
)
BREACH_SCENE = (
    "Shoppers queue for answers after loyalty scheme breach",
    "At the help desk of a Leeds branch, people asked whether their card was among the "
    "{figure} million customer accounts the hackers reached. Staff handed out leaflets.",
)


@pytest.mark.parametrize(("figure", "joins"), [("6.2", True), ("4.5", False)])
def test_a_rare_figure_two_reports_share_joins_them(
    store: Store, monkeypatch: pytest.MonkeyPatch, figure: str, joins: bool
) -> None:
    """A scene lede that shares few words with the wire report joins its story when both
    give the same figure, and stays alone with another figure (the event bonus left out:
    both name the hackers, and with it the scene joins either way)."""
    monkeypatch.setattr(similarity, "EVENT_BONUS", 0.0)
    (wire,) = _write(store, "https://one.example/feed", BREACH, guid="w")
    scene = (BREACH_SCENE[0], BREACH_SCENE[1].format(figure=figure))
    (report,) = _write(store, "https://two.example/feed", scene, hours=2, guid="s")
    story = store.entry_story(report)
    assert (story is not None and story.id == wire) is joins


HARTWELL_NEWS = (
    "Hartwell Stores opens flagship in Glasgow",
    "The chain opened a flagship in Glasgow with a rooftop café and a bakery on Tuesday.",
)


def test_a_report_sharing_one_rare_name_with_another_event_stays_alone(store: Store) -> None:
    """An article about another event that shares little but the company's name with a
    report is not pulled in: the score leaves out the largest shared term's part of the
    cosine (with it, the two would be one story)."""
    (breach, _) = _write(store, "https://one.example/feed", BREACH, OTHER)
    (opening,) = _write(store, "https://two.example/feed", HARTWELL_NEWS, hours=2)
    assert store.entry_story(opening) is None
    assert store.entry_story(breach) is None


HARTWELL_CLOSURES = (
    "Hartwell Stores to shut 30 branches",
    "Hartwell Stores will close 30 of its branches by March and move its loyalty scheme "
    "online, the retailer said.",
)


@pytest.mark.parametrize(
    ("url", "joins"), [("https://two.example/feed", False), ("https://three.example/feed", True)]
)
def test_a_story_takes_a_second_article_of_a_feed_only_on_a_closer_match(
    store: Store, url: str, joins: bool
) -> None:
    """An article that looks somewhat like a story's reports joins it from a feed the
    story does not hold yet, and stays alone from a feed that already reported it: an outlet
    mostly reports an event once, and its next article on the same names is often another
    event."""
    (wire,) = _write(store, "https://one.example/feed", BREACH, guid="w")
    scene = (BREACH_SCENE[0], BREACH_SCENE[1].format(figure="6.2"))
    (report,) = _write(store, "https://two.example/feed", scene, hours=1, guid="s")
    (closures,) = _write(store, url, HARTWELL_CLOSURES, hours=3, guid="c")
    assert store.entry_story(report) is not None
    story = store.entry_story(closures)
    assert (story is not None and story.id == wire) is joins


def test_only_rare_numbers_count(store: Store) -> None:
    """A number that more than five articles of a small index hold (a common percentage)
    gives no bonus, nor does a year; one the index does not hold yet does."""
    surveys = [
        (f"Survey {n} finds 14 percent of drivers speed", f"Survey {n}: 14 percent of drivers.")
        for n in ("one", "two", "three", "four", "five", "six")
    ]
    _write(store, "https://one.example/feed", *surveys)
    assert store._stories._df["14"] == 6
    found = store._stories._rare_numbers(Counter(["14", "6.2", "2026", "hartwel"]))
    assert found == ["6.2"]


TRAM_STRIKE = (
    "Tram drivers strike in Vienna, commuters stranded",
    "Tram and bus drivers in Vienna stopped work on Tuesday in a dispute over wages, the "
    "union said, leaving commuters stranded across the city.",
)
TRAM_STRIKE_DE = (
    "Streik legt Straßenbahnen in Wien lahm",
    "Die Fahrer der Wiener Straßenbahnen und Busse haben am Dienstag die Arbeit "
    "niedergelegt. Die Gewerkschaft fordert höhere Löhne; Pendler mussten zu Fuß gehen.",
)
BREACH_DE = (
    "Hacker erbeuten Daten von Kunden der Kette Hartwell",
    "Bei einem Angriff auf die Kundenkarten-Datenbank von Hartwell Stores haben Hacker "
    "Namen und Adressen von 6,2 Millionen Kunden kopiert, teilte der Händler mit.",
)


@pytest.fixture
def no_lexicon(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Story terms without the cross-lingual lexicon (`stories.lexicon`)."""
    monkeypatch.setattr(lexicon, "WORDS", "")
    monkeypatch.setattr(lexicon, "WORDS_ES_IT", "")
    monkeypatch.setattr(lexicon, "NAMES", "")
    words._lexicon_of.cache_clear()
    words._terms_of.cache_clear()
    yield
    monkeypatch.undo()
    words._lexicon_of.cache_clear()
    words._terms_of.cache_clear()


@pytest.mark.parametrize("report", [TRAM_STRIKE_DE, BREACH_DE])
def test_a_german_report_joins_the_english_one(store: Store, report: tuple[str, str]) -> None:
    """A German report of an event joins the English one: the lexicon makes their news words
    and place names one term ("Streik", "strike"; "Wien", "Vienna"), and a figure is one term
    however it is written ("6,2", "6.2")."""
    english = TRAM_STRIKE if report is TRAM_STRIKE_DE else BREACH
    (first,) = _write(store, "https://one.example/feed", english, guid="e")
    (german,) = _write(store, "https://two.example/feed", report, hours=2, guid="g")
    story = store.entry_story(german)
    assert story is not None and story.id == first


@pytest.mark.usefixtures("no_lexicon")
def test_without_the_lexicon_the_german_report_stays_alone(store: Store) -> None:
    """The same two reports with plain stems: they share no word."""
    _write(store, "https://one.example/feed", TRAM_STRIKE, guid="e")
    (german,) = _write(store, "https://two.example/feed", TRAM_STRIKE_DE, hours=2, guid="g")
    assert store.entry_story(german) is None


@pytest.mark.usefixtures("no_lexicon")
@pytest.mark.parametrize("names", [True, False])
def test_names_in_their_english_stem_join_a_german_report(
    store: Store, monkeypatch: pytest.MonkeyPatch, names: bool
) -> None:
    """Even without the lexicon, the German breach report joins the English one on the
    names ("Hartwell Stores") and the figure: the German stemmer cuts the names otherwise
    ("hartwell", English "hartwel"), and it stays alone."""
    if not names:
        init = words._Terms.__init__

        def without_names(self: words._Terms, language: str) -> None:
            init(self, language)
            self.names = False

        monkeypatch.setattr(words._Terms, "__init__", without_names)
    words._terms_of.cache_clear()
    (first,) = _write(store, "https://one.example/feed", BREACH, guid="e")
    (german,) = _write(store, "https://two.example/feed", BREACH_DE, hours=2, guid="g")
    story = store.entry_story(german)
    assert (story is not None and story.id == first) is names
    words._terms_of.cache_clear()


GLASS_FIRE = (
    "Fire halts production at Varnholt glass works in Linz",
    "A fire broke out overnight in a furnace hall of the Varnholt glass works in Linz, halting "
    "production, the company said on Thursday. Nobody was hurt.",
)
GLASS_FIRE_SCENE = (
    "Smoke over the Linz riverside",
    "Neighbours woke to the smell of burning plastic. By dawn the {word} at the furnace was "
    "out, and a crowd stood at the gates in the rain asking when the ovens would start again.",
)


@pytest.mark.parametrize(
    ("word", "bonus", "joins"),
    [
        ("fire", similarity.EVENT_BONUS, True),
        ("blaze", similarity.EVENT_BONUS, True),
        ("fire", 0.0, False),
        ("smoke", similarity.EVENT_BONUS, False),
    ],
)
def test_a_scene_lede_naming_the_event_type_joins_the_wire_report(
    store: Store, monkeypatch: pytest.MonkeyPatch, word: str, bonus: float, joins: bool
) -> None:
    """A scene lede that shares three words with the wire report, one of them the event's
    type ("fire", or "blaze", the lexicon's same term), joins its story on the event bonus;
    without the bonus, or without the type, it stays alone."""
    monkeypatch.setattr(similarity, "EVENT_BONUS", bonus)
    _write(store, "https://other.example/feed", OTHER, guid="o")
    (wire,) = _write(store, "https://one.example/feed", GLASS_FIRE, guid="w")
    scene = (GLASS_FIRE_SCENE[0], GLASS_FIRE_SCENE[1].format(word=word))
    (report,) = _write(store, "https://two.example/feed", scene, hours=2, guid="s")
    story = store.entry_story(report)
    assert (story is not None and story.id == wire) is joins


def test_the_event_bonus_needs_the_type_and_two_more_shared_terms() -> None:
    """Two articles sharing a type and one other term get no bonus (two fires in one week
    are not one story), nor do two sharing three terms that are not a type."""
    fire = {"fire": 0.5, "linz": 0.5, "furnac": 0.5, "glass": 0.5}
    assert similarity.event_terms(fire) == {"fire"}
    bonus = similarity.event_bonus
    assert (
        bonus(fire, {"fire": 0.6, "linz": 0.6, "furnac": 0.5}, ["fire"]) == similarity.EVENT_BONUS
    )
    assert bonus(fire, {"fire": 0.6, "linz": 0.8}, ["fire"]) == 0.0
    assert bonus(fire, {"glass": 0.6, "linz": 0.6, "furnac": 0.5}, ["fire"]) == 0.0
