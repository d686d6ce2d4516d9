"""Words as story matching and key points compare them (`stories.words.stems`)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.stories import lexicon, words
from newsreader.stories.words import number_term, stems, story_words


def test_latin_text_is_stemmed_without_stop_words_or_single_letters() -> None:
    assert stems("The councils approved a budget of 3,000 euros in 2026", "en") == [
        "council",
        "approv",
        "budget",
        "3,000",
        "euro",
        "2026",
    ]
    assert stems("Der Stadtrat beschließt die Haushalte", "de") == [
        "stadtrat",
        "beschliesst",
        "haushalt",
    ]


def test_unspaced_script_is_cut_into_pieces_beside_spaced_words() -> None:
    """A text mixing Chinese with Latin words: each Chinese run in overlapping two-character
    pieces, the Latin words stemmed as usual (the check for such script is made once per
    text, then per word only when the text has some)."""
    assert stems("市议会 approved 新预算", "en") == ["市议", "议会", "approv", "新预", "预算"]
    assert stems("预算", "zh") == ["预算"]


def test_story_words_give_english_german_and_french_news_words_one_term() -> None:
    """The cross-lingual lexicon: the words and place names reports of one event use in
    the three languages are one term, the English stem (`stems` keeps them apart)."""
    english = story_words("Tram drivers strike in Vienna, the union said", "en")
    german = story_words(
        "Streik: Wiener Straßenbahnfahrer legen Arbeit nieder, sagt die Gewerkschaft", "de"
    )
    french = story_words("Grève des conducteurs de tramway à Vienne, selon le syndicat", "fr")
    assert {"strike", "vienna", "union"} <= set(english) & set(german) & set(french)
    assert {"tram", "driver"} <= set(english) & set(french)
    assert not {"strike", "vienna"} & set(stems("Streik in Wien", "de"))


def test_story_words_give_spanish_and_italian_news_words_and_places_the_english_term() -> None:
    """The lexicon's Spanish and Italian columns (`lexicon.WORDS_ES_IT`) and the places'
    Spanish and Italian names: a strike in Genoa and a fire in Seville are the same terms in
    the three languages."""
    english = story_words("Port workers strike in Genoa; fire in Seville, 40 injured", "en")
    spanish = story_words("Huelga de trabajadores en Génova; incendio en Sevilla, 40 heridos", "es")
    italian = story_words("Sciopero dei lavoratori a Genova; incendio a Siviglia, 40 feriti", "it")
    expected = {"strike", "worker", "genoa", "fire", "sevill", "injur", "40"}
    assert expected <= set(english) & set(spanish) & set(italian)
    assert "strike" not in story_words("Huelga", "fr")  # each column counts in its language


def test_story_words_keep_listed_stop_words_and_take_a_german_compound_by_its_head() -> None:
    """ "fire" is a stop word of the English list `stems` uses; the lexicon lists it, so
    story terms keep it. A German compound whose head the lexicon holds counts as that head;
    a stem two lines of the lexicon share ("Fähre", "Fahrer": "fahr") counts only as written
    (other forms of those words, like any capitalised word the lexicon lacks, take their
    English stem: see the names test below)."""
    assert stems("A fire on the ferry", "en") == ["ferri"]
    assert story_words("A fire on the ferry", "en") == ["fire", "ferri"]
    assert story_words("Brand auf der Fähre, Fliegerbombe entschärft", "de")[:3] == [
        "fire",
        "ferri",
        "bomb",
    ]
    assert story_words("Der Fahrer und die Fähren", "de") == ["driver", "fahren"]


def test_story_words_write_numbers_one_way() -> None:
    """Thousands and decimals as English, German and French write them are one term;
    times and plain numbers stay as they are."""
    assert story_words("48,000 salmon, 54.3 percent, 2:09:41", "en") == [
        "48000",
        "salmon",
        "54.3",
        "percent",
        "2:09:41",
    ]
    assert story_words("48.000 Lachse, 54,3 Prozent", "de") == [
        "48000",
        "salmon",
        "54.3",
        "percent",
    ]
    assert story_words("48 000 saumons, 54,3 pour cent", "fr") == [
        "48000",
        "salmon",
        "54.3",
        "percent",
    ]
    assert story_words("Rund 2\u202f000 Fahrzeuge", "de") == ["rund", "2000", "car"]
    assert number_term("1,1") == "1.1"
    assert number_term("1.234.567") == "1234567"
    assert number_term("1.2.3") == "1.2.3"


def test_names_in_german_and_french_text_take_their_english_stem() -> None:
    """The German and French stemmers cut names the English one keeps ("Kjeldsen" is
    "kjelds" in German): a capitalised word the lexicon does not hold gets its English stem
    in those languages, so the names of an event are one term in its reports."""
    assert stems("Kjeldsen und Hartwell", "de") == ["kjelds", "hartwell"]
    english = story_words("Kjeldsen, Hartwell, Dresden, Windhoek", "en")
    assert story_words("Kjeldsen und Hartwell, Dresden, Windhoek", "de") == english
    assert story_words("Kjeldsen et Hartwell, Dresden, Windhoek", "fr") == english
    assert story_words("die kunden", "de") == story_words("Die Kunden", "de") == ["custom"]


def test_every_lexicon_line_has_its_three_languages_and_its_own_english_term() -> None:
    """Each line of the lexicon: English, German and French words (a language may be left
    empty), its term the first English word's stem, no two lines with one term (they would
    be one line)."""
    terms = []
    for line in words._lines(lexicon.WORDS):
        groups = line.split("|")
        assert len(groups) == 3, line
        assert groups[0].split(), line
        terms.append(words._one_stem(groups[0].split()[0], "en"))
    assert all(terms)
    assert len(set(terms)) == len(terms), [t for t in terms if terms.count(t) > 1]
    names = [words._one_stem(line.split()[0], "en") for line in words._lines(lexicon.NAMES)]
    assert all(names)
    assert len(set(names)) == len(names)


def test_event_types_and_spanish_italian_lines_name_lexicon_concepts() -> None:
    """Each event type (`lexicon.EVENTS`) and each line of `lexicon.WORDS_ES_IT` names a
    concept of `lexicon.WORDS` by its first English word (a misspelt one would be a term no
    report shares), and the event types are one term each."""
    heads = {line.split("|")[0].split()[0] for line in words._lines(lexicon.WORDS)}
    assert set(lexicon.EVENTS.split()) <= heads
    assert {line.split("|")[0].strip() for line in words._lines(lexicon.WORDS_ES_IT)} <= heads
    assert all(len(story_words(word, "en")) == 1 for word in lexicon.EVENTS.split())


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        st.sampled_from(
            [*"ab Zé9٣0.,:_-'\t\n\u00a0\u202f\u3000\u2028\x1c", "ß", "İ", "²", "市", "🎉"]
        ),
        max_size=40,
    )
)
def test_tokens_are_those_of_the_word_expression(text: str) -> None:
    """`_tokens` (the text split at white space, the expression only on words with
    punctuation) finds what the word expression finds over the whole text."""
    assert words._tokens(text) == words._WORD.findall(text)
