"""Words as the story matcher and the key-point picker compare them: lower case, stop words
dropped, each word reduced to its stem and stripped of accents, per language.

Stop words come from the `stop-words` package (33 languages) and stems from PyStemmer (the
Snowball stemmers of some 30 languages, in C: the pure-Python snowballstemmer took most of
the matching time), both inside their wheels. A language
either package lacks gets the other's part, or plain lower-case words. Text in scripts written
without spaces (Chinese, Japanese, Thai...) is cut into overlapping two-character pieces, the
usual stand-in for words there.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import compress, count, repeat
from operator import is_, not_

import Stemmer
import stop_words

from newsreader.stories import lexicon

_WORD = re.compile(r"\d+(?:[.,:]\d+)+|[^\W_]+", re.UNICODE)
"""A number with its decimal or time separators ("6.8", "3,000", "2:00:31"), else a run of
letters and digits."""
_UNSPACED = re.compile(
    r"[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uf900-\ufaff]"
)
_SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "fa": "persian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
_STOP_WORD_CODES = {"no": "nb", "nn": "nb"}
DEFAULT_LANGUAGE = "en"
"""Used when an article's language is unknown: most feeds are English."""

_lock = threading.Lock()


def _fold(word: str) -> str:
    """`word` without accents: "Valparaíso" and "Valparaiso" are one word."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=64)
def stop_words_of(language: str) -> frozenset[str]:
    """The stop words of a language (lower case, accents kept and folded both), empty when
    the package has no list for it."""
    code = _STOP_WORD_CODES.get(language, language)
    words = stop_words.safe_get_stop_words(code)
    return frozenset(w.lower() for w in words) | frozenset(_fold(w.lower()) for w in words)


_KNOWN_WORDS = 200_000
"""Words whose stems each language keeps (a few tens of MB at most)."""


class _WordCache:
    """What one language makes of each word (`known`: word -> its stem or term, "" for a
    word dropped), learnt when a word is first seen, so that most words are looked up in C."""

    known: dict[str, str]

    def of(self, words: list[str]) -> list[str]:
        """What `words` make, in order, without the words dropped."""
        found = list(map(self.known.get, words))
        if None in found:
            fresh = self._learn(set(compress(words, map(is_, found, repeat(None)))))
            found = list(map(fresh.get, words, found))  # a known word is not in `fresh`
        return list(filter(None, found))

    def _learn(self, words: set[str]) -> dict[str, str]:
        raise NotImplementedError


def _uncached(name: str) -> Stemmer.Stemmer:
    """A Snowball stemmer without PyStemmer's own cache of stems: the word caches here keep
    what they need, and PyStemmer's upkeep of its cache more than doubled the time a word
    new to it costs (1.4-1.6 µs against 0.6 µs in English)."""
    stemmer = Stemmer.Stemmer(name)
    stemmer.maxCacheSize = 0
    return stemmer


class _Stemmer(_WordCache):
    """One language's stems, folded (`of`: the stems of lower-case words, without stop words
    and words of one letter)."""

    def __init__(self, language: str) -> None:
        name = _SNOWBALL.get(language)
        self._stemmer = _uncached(name) if name is not None else None
        self._stop = stop_words_of(language)
        self.known: dict[str, str] = {}

    def _learn(self, words: set[str]) -> dict[str, str]:
        """Stems of words not known yet (in one call of the stemmer), kept while there is
        room."""
        fresh = self.stemmed(words)
        if len(self.known) < _KNOWN_WORDS:
            self.known.update(fresh)
        return fresh

    def stemmed(self, words: Iterable[str]) -> dict[str, str]:
        """Word -> folded stem ("" for a stop word or a word of one letter), in one call of
        the stemmer; not kept."""
        found = set(words)
        kept = [w for w in found if len(w) > 1 and w not in self._stop]
        if self._stemmer is None:
            stemmed = kept
        else:
            with _lock:  # a stemmer object is not thread-safe
                stemmed = self._stemmer.stemWords(kept)
        fresh = dict.fromkeys(found, "")
        fresh.update(zip(kept, map(_fold, stemmed), strict=True))
        return fresh


@lru_cache(maxsize=64)
def _stemmer_of(language: str) -> _Stemmer:
    return _Stemmer(language)


_NUMBER = re.compile(r"\d+(?:[.,]\d+)+")
_SEPARATORS = re.compile(r"[.,]")
_SPACED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])")
"""A number whose thousands are set apart by spaces ("2 000", as French writes them)."""
_LEXICON_BLOCKS = (("WORDS", ("en", "de", "fr")), ("WORDS_ES_IT", ("en", "es", "it")))
"""The names of the lexicon's blocks of words (read when a language's lexicon is built) and
the languages of their columns, in order (the English column of `WORDS_ES_IT` holds only
the `WORDS` line's first word, which `WORDS` gives too)."""
_HEAD = 4
"""Letters a German compound's head (its last part: "bomb" of "Fliegerbombe") and the part
before it each have at least, for the head to stand for the compound."""


def number_term(word: str) -> str:
    """A number written with separators, in one spelling: groups of three digits after the
    separators are thousands ("48,000" and "48.000" -> "48000"), a single other separator is
    the decimal point ("54,3" and "54.3" -> "54.3"); anything else as it is."""
    groups = _SEPARATORS.split(word)
    if all(len(g) == 3 for g in groups[1:]):
        return "".join(groups)
    if len(groups) == 2:
        return f"{groups[0]}.{groups[1]}"
    return word


@lru_cache(maxsize=64)
def _raw_stemmer(name: str) -> Stemmer.Stemmer:
    return _uncached(name)


def _one_stem(word: str, language: str) -> str | None:
    """The folded stem of one word, stop word or not; None for a word of several parts."""
    parts = " ".join(_WORD.findall(word.lower())).split()
    if len(parts) != 1:
        return None
    name = _SNOWBALL.get(language)
    if name is None:
        return _fold(parts[0])
    with _lock:
        return _fold(_raw_stemmer(name).stemWord(parts[0]))


def _lines(block: str) -> list[str]:
    """The lines of a lexicon block, a line that starts with spaces joined to the one before."""
    return block.replace("\n ", " ").splitlines()


@lru_cache(maxsize=64)
def _lexicon_of(language: str) -> tuple[dict[str, str], dict[str, str]]:
    """The lexicon for articles in `language` (see `lexicon`), as (word, stem) -> the
    English term of its line (the first English word's stem): the words as written, in
    lower case (a word wins over a stem; stop words only those `lexicon.KEPT_STOP_WORDS`
    keeps, such as "fire"), and their stems, less those that lines with other terms share
    ("Fähre" and "Fahrer" are both "fahr" in German: the stem is dropped, the two words
    kept). The words of `lexicon.WORDS` count in English, German and French, those of
    `lexicon.WORDS_ES_IT` in Spanish and Italian; the names of `lexicon.NAMES` in every
    language."""
    pairs: list[tuple[str, str]] = []
    # the terms of lines whose English word is a stop word: dropped (see `lexicon`)
    dropped: set[str] = set()
    english_stop = stop_words_of("en") - lexicon.KEPT_STOP_WORDS
    for block, languages in _LEXICON_BLOCKS:
        if language not in languages:
            continue
        column = languages.index(language)
        for line in _lines(getattr(lexicon, block)):
            groups = line.split("|")
            canonical = _one_stem(groups[0].split()[0], "en")
            if canonical:
                pairs += [(word, canonical) for word in groups[column].split()]
                if groups[0].split()[0] in english_stop:
                    dropped.add(canonical)
    for line in _lines(lexicon.NAMES):
        names = line.split()
        canonical = _one_stem(names[0], "en")
        if canonical:
            pairs += [(name, canonical) for name in names]
    words: dict[str, str] = {}
    stems: dict[str, set[str]] = {}
    stop = stop_words_of(language) - lexicon.KEPT_STOP_WORDS
    for word, canonical in pairs:
        if canonical in dropped:
            canonical = ""
        if word.lower() not in stop:
            words.setdefault(word.lower(), canonical)
        stem = _one_stem(word, language)
        if stem:
            stems.setdefault(stem, set()).add(canonical)
    return words, {stem: terms.pop() for stem, terms in stems.items() if len(terms) == 1}


class _Terms(_WordCache):
    """One language's story terms by word (see `story_words`; `of`: the terms of words in
    lower case unless `names`, without those `stems` drops)."""

    def __init__(self, language: str) -> None:
        self._stemmer = _stemmer_of(language)
        self._words, self._lexicon = _lexicon_of(language)
        self._compounds = language == "de"
        self.names = language != "en" and language in _SNOWBALL
        """Whether words come with their case (see `_learn`)."""
        self.known: dict[str, str] = {}

    def _learn(self, words: set[str]) -> dict[str, str]:
        """Terms of words not seen yet. With `names`, a capitalised word the lexicon does not
        hold (a name, or a German noun) gets its English stem: the Snowball stemmers of
        other languages cut names otherwise ("Kjeldsen": "kjelds" in German, "kjeldsen" in
        English), and names are what reports of one event in two languages share most."""
        numbers = set(filter(_NUMBER.fullmatch, words))  # filtered in C, as below
        rest = list(words - numbers) if numbers else list(words)
        lowers = list(map(str.lower, rest))
        stemmed = self._stemmer.stemmed(lowers)  # word -> stem, "" when dropped
        stems = list(map(stemmed.__getitem__, lowers))
        fresh = {w: number_term(w) for w in numbers}
        # the common case, a word the lexicon does not list, stays in C
        fresh.update(zip(rest, stems, strict=True))
        listed, lexicon_of = self._words, self._lexicon
        names: dict[str, str] = {}  # a capitalised word the lexicon lacks -> lower case
        for word, lower, stem in zip(rest, lowers, stems, strict=True):
            term = listed.get(lower)
            if term is None:
                if not stem:
                    continue
                term = lexicon_of.get(stem)
                if term is None and self._compounds:
                    term = self._head(stem)
                if term is None:
                    if self.names and word[0].isupper():
                        names[word] = lower
                    continue
            fresh[word] = term
        if names:
            english = _english_stems(names.values())
            fresh.update((word, english[lower]) for word, lower in names.items())
        if len(self.known) < _KNOWN_WORDS:
            self.known.update(fresh)
        return fresh

    def _head(self, stem: str) -> str | None:
        """The lexicon's term for the longest head of a compound's stem it holds."""
        lexicon_of = self._lexicon
        for i in range(_HEAD, len(stem) - _HEAD + 1):
            term = lexicon_of.get(stem[i:])
            if term is not None:
                return term
        return None


def _english_stems(words: Iterable[str]) -> dict[str, str]:
    """Word -> its folded English stem, stop word or not (one call of the stemmer)."""
    found = list(set(words))
    with _lock:
        stemmed = _raw_stemmer("english").stemWords(found)
    return dict(zip(found, map(_fold, stemmed), strict=True))


@lru_cache(maxsize=64)
def _terms_of(language: str) -> _Terms:
    return _Terms(language)


def _tokens(text: str) -> list[str]:
    """`_WORD.findall(text)`, quicker: a match never spans white space, so the text's words
    (split in C) that are letters and digits only are tokens as they are, and only the rest
    (with punctuation: "said,", "6.8") go through the expression (a third to a half of the
    time of the expression over the whole text)."""
    words = text.split()
    plain = list(map(str.isalnum, words))  # `[^\W_]` is what `str.isalnum` accepts
    if all(plain):
        return words
    findall = _WORD.findall
    out: list[str] = []
    start = 0
    for index in compress(count(), map(not_, plain)):  # the words with punctuation
        out += words[start:index]
        out += findall(words[index])
        start = index + 1
    out += words[start:]
    return out


def story_words(text: str, language: str | None) -> list[str]:
    """The terms story matching compares (`stories.similarity`): the `stems` of plain
    `text`, with numbers in one spelling (`number_term`; French thousands set apart by
    spaces joined) and the words and names of the cross-lingual lexicon (`lexicon`) as its
    English term, so that reports of one event in English, German and French share them
    ("Streik", "grève" -> "strike"). A German compound whose head the lexicon holds stands
    for that head ("Fliegerbombe" -> "bomb")."""
    language = language or DEFAULT_LANGUAGE
    plain = text.isascii()  # no unspaced script, no special spaces (a flag of the string)
    if (not plain and ("\u00a0" in text or "\u202f" in text)) or (language == "fr" and " " in text):
        text = _SPACED_THOUSANDS.sub(_joined, text)
    terms = _terms_of(language)
    found = _tokens(text)
    words = found if terms.names else " ".join(found).lower().split()  # case kept for names
    if plain or _UNSPACED.search(text) is None:  # the common case: one check
        return terms.of(words)
    out: list[str] = []
    for word in words:
        out.extend(_pieces(word) if _UNSPACED.search(word) else terms.of([word]))
    return out


def _joined(match: re.Match[str]) -> str:
    return "".join(filter(str.isdigit, match.group()))


def stems(text: str, language: str | None) -> list[str]:
    """The stems of the content words of plain `text`, in order, repeats kept.

    Words of one letter and stop words are dropped; numbers of two or more digits stay
    (a toll, a year, a score), and so do numbers with separators, whole ("6.8").
    Unknown language: `DEFAULT_LANGUAGE`."""
    stemmer = _stemmer_of(language or DEFAULT_LANGUAGE)
    words = " ".join(_tokens(text)).lower().split()  # each word lowered, in C
    if text.isascii() or _UNSPACED.search(text) is None:  # the common case: one check
        return stemmer.of(words)
    out: list[str] = []
    for word in words:
        if _UNSPACED.search(word):
            out.extend(_pieces(word))
        else:
            out.extend(stemmer.of([word]))
    return out


def _pieces(word: str) -> list[str]:
    """Overlapping two-character pieces of a run of unspaced script (one piece if shorter)."""
    if len(word) <= 2:
        return [word]
    return [word[i : i + 2] for i in range(len(word) - 1)]
