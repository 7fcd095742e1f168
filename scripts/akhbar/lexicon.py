"""Load the packaged word lists under ``akhbar/data/``.

Lexicons are data files, not code: a contributor extends a list without reading Python. Every file is
UTF-8, tab-separated, ``#`` starts a comment line.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The non-comment, non-blank rows of ``akhbar/data/<name>``, split on tabs."""
    text = resources.files("akhbar").joinpath("data", name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(tuple(field.strip() for field in line.split("\t")))
    return tuple(out)


def words(name: str) -> tuple[str, ...]:
    """The first column of ``akhbar/data/<name>``."""
    return tuple(row[0] for row in rows(name))
