"""Names of a package loaded from their modules on first use (PEP 562's module `__getattr__`),
so that importing one part of a package does not load the rest: `newsreader.model` and
`newsreader.parse` list their names and modules, and a command starts with only what it uses
(docs/cli.md, "Start-up")."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], object]:
    """The `__getattr__` of `package`: NAME imported from its module `homes[NAME]` on first
    use and kept in the package; AttributeError for any other name (so that
    `from package import submodule` still finds the submodule)."""

    def __getattr__(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
