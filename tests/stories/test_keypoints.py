"""Key points and the sentence splitter under them."""

from __future__ import annotations

import hashlib

from newsreader.store import Store
from newsreader.stories.keypoints import key_points
from newsreader.stories.sentences import html_to_paragraphs, split_sentences
from tests.store.builders import NOW, entry, feed, fetch

ARTICLE = """
<p>Around 4,000 dockworkers at the port of Rotterdam stopped work on Monday after talks about
a new shift system collapsed overnight.</p>
<p>The union says the operators' plan for twelve-hour shifts is unsafe and was drawn up
without consulting the workers.</p>
<p>It was a grey morning. Gulls circled above the quay.</p>
<p>More than forty container ships are now waiting off the coast for the strike at the port
of Rotterdam to end, and the operators warn of delays for shipping across Europe.</p>
<p>A spokesman for the terminal operators said the shift plan would be explained again.</p>
<p>The dockworkers' union has called a meeting for Tuesday to decide whether the strike at
the port continues.</p>
<p>Coffee was served in the canteen as usual on the day.</p>
"""


def test_sentences_respect_abbreviations_initials_numbers_and_quotes() -> None:
    text = (
        'Dr. Smith said the U.S. economy grew 2.5% in May. "We are pleased," he added. '
        "Analysts at J.P. Morgan agree. Really? Yes!"
    )
    assert split_sentences(text, "en") == [
        "Dr. Smith said the U.S. economy grew 2.5% in May.",
        '"We are pleased," he added.',
        "Analysts at J.P. Morgan agree.",
        "Really?",
        "Yes!",
    ]
    assert split_sentences("Der Preis stieg z.B. um 3 Prozent. Das sagte Dr. Meier.", "de") == [
        "Der Preis stieg z.B. um 3 Prozent.",
        "Das sagte Dr. Meier.",
    ]
    assert split_sentences("市议会周二批准了预算。交通部长表示欢迎！", "zh") == [
        "市议会周二批准了预算。",
        "交通部长表示欢迎！",
    ]
    assert html_to_paragraphs("<p>One &amp; two.</p><p>Three<br>four</p>") == [
        "One & two.",
        "Three",
        "four",
    ]


def test_paragraphs_are_read_as_a_browser_reads_the_html() -> None:
    """The one HTML-to-text function under the sentence splitter: inline markup adds no
    space (the regex twin it replaced wrote "more ." and "Flight Simulator -Serie", which
    also made a five-word sentence pass the six-word minimum), script and style say nothing,
    entities are decoded once, table cells and list items are paragraphs of their own."""
    markup = (
        '<p>Prices rose <a href="https://example.org/">again</a>. See the <b>Simulator</b>'
        "-series&nbsp;&nbsp;today.<script>var x = 1;</script><style>p {}</style></p>"
        "<ul><li>First &amp;amp; second</li><li>Third</li></ul>"
        "<table><tr><td>Cell one</td><td>Cell two</td></tr></table>"
    )
    assert html_to_paragraphs(markup) == [
        "Prices rose again. See the Simulator-series today.",
        "First &amp; second",
        "Third",
        "Cell one",
        "Cell two",
    ]
    assert html_to_paragraphs("") == []
    assert key_points("<p>This year, it turned <a href='/x'>violent</a>.</p>", "en") == []


def test_key_points_are_the_central_sentences_verbatim_in_order() -> None:
    points = key_points(ARTICLE, "en")
    assert 2 <= len(points) <= 4
    text = " ".join(" ".join(p.split()) for p in html_to_paragraphs(ARTICLE))
    assert all(p in text for p in points)  # never invented
    assert points[0].startswith("Around 4,000 dockworkers")
    assert not any("Gulls" in p or "Coffee" in p for p in points)
    order = [text.index(p) for p in points]
    assert order == sorted(order)


def test_the_lede_is_always_a_key_point() -> None:
    """The first usable sentence is kept even when LexRank ranks it low: here every other
    sentence shares words with the rest, the lede shares few (the newcomer's recall article,
    whose key points left out what happened)."""
    markup = (
        "<p>Tessaline Pharma is recalling 1.2 million Corvex insulin pens after finding that "
        "the dose dial can slip.</p><p>The company said patients should not stop using their "
        "pens and should check the batch number on the box.</p><p>The fault was found in pens "
        "made between March and June, the company said, and patients should ask about the "
        "pens at a pharmacy.</p><p>Pharmacies will swap the pens from those batches for "
        "patients free of charge, the company said.</p>"
    )
    points = key_points(markup, "en")
    assert points[0].startswith("Tessaline Pharma is recalling 1.2 million")
    assert len(points) == 2


def test_captions_and_asides_are_no_key_points() -> None:
    markup = (
        "<figure><img src='https://a.example/c.jpg'><figcaption>Cranes stand idle at the port "
        "of Rotterdam on Monday morning, as seen from the quay.</figcaption></figure>"
        + ARTICLE
        + "<aside><p>Read more about the strike at the port of Rotterdam in our live blog "
        "today.</p></aside>"
    )
    points = key_points(markup, "en")
    assert points[0].startswith("Around 4,000 dockworkers")
    assert not any("Cranes stand idle" in p or "live blog" in p for p in points)


def test_texts_shorter_than_twice_their_key_points_get_none() -> None:
    """Key points that would be most of the article only repeat it above itself (a reviewer
    saw 2 of 3 sentences)."""
    assert key_points("<p>Only one sentence here that is long enough.</p>", "en") == []
    two = "<p>The first sentence is long enough here. The second one is long enough too.</p>"
    assert key_points(two, "en") == []
    three = two.replace("</p>", " A third sentence would nearly be the summary.</p>")
    assert key_points(three, "en") == []
    four = three.replace("</p>", " A fourth sentence makes it worth a summary.</p>")
    assert len(key_points(four, "en")) == 2
    assert key_points("", None) == []


def test_store_keeps_key_points_until_the_text_changes(store: Store) -> None:
    feed_id = store.add_feed("https://one.example/feed").id
    (entry_id,) = store.apply_parsed_feed(
        feed_id, feed(entry("g", title="Strike", content=ARTICLE)), fetch()
    ).new_entry_ids
    first = store.key_points(entry_id)
    assert first == key_points(ARTICLE, "en")
    stored = store._conn.execute("SELECT sentences FROM key_points").fetchone()[0]
    assert "Around 4,000 dockworkers" in stored
    changed = ARTICLE.replace("Around 4,000", "Around 5,000")
    store.apply_parsed_feed(feed_id, feed(entry("g", title="Strike", content=changed)), fetch())
    assert store.key_points(entry_id)[0].startswith("Around 5,000 dockworkers")


def test_key_points_come_from_the_full_article_once_it_is_stored(store: Store) -> None:
    """The feed gives a teaser; the article fetched from the page replaces it as the source of
    the key points (they are made again: the text's hash changed). A later failed fetch keeps
    the article, and the key points with it."""
    teaser = "<p>Dockworkers in Rotterdam went on strike on Monday morning over shift rules.</p>"
    feed_id = store.add_feed("https://one.example/feed").id
    (entry_id,) = store.apply_parsed_feed(
        feed_id, feed(entry("g", title="Strike", summary=teaser)), fetch()
    ).new_entry_ids
    assert store.key_points(entry_id) == []  # one sentence: nothing to sum up
    assert store.current_key_points([entry_id]) == {entry_id: []}

    store.record_full_text(entry_id, "ok", NOW, content=ARTICLE, text="the article's text")
    assert store.current_key_points([entry_id]) == {}  # stale: made from the teaser
    from_article = store.key_points(entry_id)
    assert from_article == key_points(ARTICLE, "en")
    assert store.current_key_points([entry_id]) == {entry_id: from_article}

    store.record_full_text(entry_id, "failed", NOW, reason="the page did not load")
    assert store.key_points(entry_id) == from_article
    assert store.current_key_points([entry_id]) == {entry_id: from_article}


def test_key_points_stored_by_an_older_method_are_chosen_again(store: Store) -> None:
    """A store keeps key points with their text's hash; a new way of choosing them must not
    leave the old choice shown for articles whose text never changes."""
    feed_id = store.add_feed("https://one.example/feed").id
    (entry_id,) = store.apply_parsed_feed(
        feed_id, feed(entry("g", title="Strike", content=ARTICLE)), fetch()
    ).new_entry_ids
    old_hash = hashlib.blake2b(ARTICLE.encode(), digest_size=16).hexdigest()  # method 1
    store.save_key_points(entry_id, old_hash, ["An old choice."])
    assert store.key_points(entry_id) == key_points(ARTICLE, "en")


REPEATING = (
    "<p>The harbour bridge will close for repairs from Monday until the end of May.</p>"
    "<p>The harbour bridge will close for repairs from Monday until the end of May.</p>"
    "<p>Drivers are asked to use the ring road, which adds about ten minutes to the trip.</p>"
    "<p>THE HARBOUR BRIDGE   will close for repairs from Monday until the end of May!</p>"
    "<p>Buses keep their routes but stop at the old ferry terminal instead of the bridge.</p>"
    "<p>The harbour bridge will close for repairs from Monday until the end of May.</p>"
    "<p>Cyclists and walkers may still cross on the eastern footpath during the day.</p>"
)


def test_a_repeated_sentence_is_one_key_point(store: Store) -> None:
    """A page repeating one sentence gave four identical key points (reader, `show`,
    exports): a sentence said again (compared without case, spacing and punctuation) counts
    once, and key points stored by the method before that are chosen again."""
    points = key_points(REPEATING, "en")
    said = [" ".join(p.casefold().strip("!.").split()) for p in points]
    assert len(said) == len(set(said)) and len(points) >= 2
    assert (
        points[0] == "The harbour bridge will close for repairs from Monday until the end of May."
    )

    feed_id = store.add_feed("https://one.example/feed").id
    (entry_id,) = store.apply_parsed_feed(
        feed_id, feed(entry("g", title="Bridge", content=REPEATING)), fetch()
    ).new_entry_ids
    method_2 = hashlib.blake2b(b"2" + REPEATING.encode(), digest_size=16).hexdigest()
    store.save_key_points(entry_id, method_2, [points[0]] * 4)
    assert store.key_points(entry_id) == points
    assert store.current_key_points([entry_id]) == {entry_id: points}
