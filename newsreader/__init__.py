"""Newsreader: a desktop news reader that works offline.

Layers, lowest first (checked by import-linter, see pyproject.toml):
model/errors/paths/settings <- parse <- store <- {sync, export} <- {cli, gui} <- main.
Nothing below `gui` imports Qt (PDF export loads QtGui lazily, in its own module).
"""

__version__ = "0.1.0"
APP_NAME = "Newsreader"
APP_ID = "newsreader"
