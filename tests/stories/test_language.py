"""Language detection works offline, from the model inside the installed package."""

from __future__ import annotations

import subprocess
import sys

from newsreader.stories.language import detect_language

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


def test_languages_and_unknown() -> None:
    assert detect_language("Городской совет во вторник вечером утвердил новый бюджет.") == "ru"
    assert detect_language("市议会周二晚间批准了一项新的公共交通预算。") == "zh"
    assert detect_language("THE CITY COUNCIL APPROVED A NEW BUDGET FOR TRAMS") == "en"
    assert detect_language("Apple") is None
    assert detect_language("") is None
