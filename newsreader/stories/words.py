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


class _Stemmer:
    """One language's stems, folded, with a cache of the words seen (`known`): looked up in
    the caller's loop, a known word costs no Python call."""

    def __init__(self, language: str) -> None:
        name = _SNOWBALL.get(language)
        self._stemmer = Stemmer.Stemmer(name) if name is not None else None
        self.known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        """The folded stem of a (lower-case) word not in `known`, which learns it."""
        if self._stemmer is None:
            found = _fold(word)
        else:
            with _lock:  # a stemmer object is not thread-safe
                found = _fold(self._stemmer.stemWord(word))
        if len(self.known) < 200_000:
            self.known[word] = found
        return found


@lru_cache(maxsize=64)
def _stemmer_of(language: str) -> _Stemmer:
    return _Stemmer(language)


def stems(text: str, language: str | None) -> list[str]:
    """The stems of the content words of plain `text`, in order, repeats kept.

    Words of one letter and stop words are dropped; numbers of two or more digits stay
    (a toll, a year, a score), and so do numbers with separators, whole ("6.8").
    Unknown language: `DEFAULT_LANGUAGE`."""
    language = language or DEFAULT_LANGUAGE
    stop = stop_words_of(language)
    stem = _stemmer_of(language)
    words = " ".join(_WORD.findall(text)).lower().split()  # each word lowered, in C
    if _UNSPACED.search(text) is None:  # the common case: one check for the whole text
        known = stem.known.get
        return [
            found if (found := known(w)) is not None else stem(w)
            for w in words
            if len(w) > 1 and w not in stop
        ]
    out: list[str] = []
    for word in words:
        if _UNSPACED.search(word):
            out.extend(_pieces(word))
        elif len(word) > 1 and word not in stop:
            out.append(stem(word))
    return out


def _pieces(word: str) -> list[str]:
    """Overlapping two-character pieces of a run of unspaced script (one piece if shorter)."""
    if len(word) <= 2:
        return [word]
    return [word[i : i + 2] for i in range(len(word) - 1)]
