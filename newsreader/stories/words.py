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
from functools import lru_cache

import Stemmer
import stop_words

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


class _Stemmer:
    """One language's stems, folded, with the words seen so far (`known`: word -> its stem,
    "" for a word dropped) so that most words are looked up in C."""

    def __init__(self, language: str) -> None:
        name = _SNOWBALL.get(language)
        self._stemmer = Stemmer.Stemmer(name) if name is not None else None
        self._stop = stop_words_of(language)
        self.known: dict[str, str] = {}

    def stems(self, words: list[str]) -> list[str]:
        """The folded stems of lower-case `words`, in order, without stop words and words
        of one letter."""
        found = list(map(self.known.get, words))
        if None in found:
            fresh = self._learn({w for w, s in zip(words, found, strict=True) if s is None})
            found = [fresh[w] if s is None else s for w, s in zip(words, found, strict=True)]
        return list(filter(None, found))

    def _learn(self, words: set[str]) -> dict[str, str]:
        """Stems of words not known yet (in one call of the stemmer), kept while there is
        room."""
        kept = [w for w in words if len(w) > 1 and w not in self._stop]
        if self._stemmer is None:
            stemmed = kept
        else:
            with _lock:  # a stemmer object is not thread-safe
                stemmed = self._stemmer.stemWords(kept)
        fresh = dict.fromkeys(words, "")
        fresh.update(zip(kept, map(_fold, stemmed), strict=True))
        if len(self.known) < _KNOWN_WORDS:
            self.known.update(fresh)
        return fresh


@lru_cache(maxsize=64)
def _stemmer_of(language: str) -> _Stemmer:
    return _Stemmer(language)


def stems(text: str, language: str | None) -> list[str]:
    """The stems of the content words of plain `text`, in order, repeats kept.

    Words of one letter and stop words are dropped; numbers of two or more digits stay
    (a toll, a year, a score), and so do numbers with separators, whole ("6.8").
    Unknown language: `DEFAULT_LANGUAGE`."""
    stemmer = _stemmer_of(language or DEFAULT_LANGUAGE)
    words = " ".join(_WORD.findall(text)).lower().split()  # each word lowered, in C
    if _UNSPACED.search(text) is None:  # the common case: one check for the whole text
        return stemmer.stems(words)
    out: list[str] = []
    for word in words:
        if _UNSPACED.search(word):
            out.extend(_pieces(word))
        else:
            out.extend(stemmer.stems([word]))
    return out


def _pieces(word: str) -> list[str]:
    """Overlapping two-character pieces of a run of unspaced script (one piece if shorter)."""
    if len(word) <= 2:
        return [word]
    return [word[i : i + 2] for i in range(len(word) - 1)]
