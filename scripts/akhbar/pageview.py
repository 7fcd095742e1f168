"""One view of a page, built once: the text, its normalised view with offsets, its tokens, its lines.

:class:`PageView` holds what the stages otherwise each work out again from the same text:

- ``view`` and ``origin``: :func:`akhbar.normalize.normalize_with_offsets` of the text
  (``view[i]`` comes from ``text[origin[i]]``; ``origin`` ends with ``len(text)``);
- ``tokens``: :func:`akhbar.tokens.tokenize` of the text, ``(start, end)`` pairs;
- ``lines``: ``(start, end)`` of every line of ``text.split("\\n")``, the newline left out.

A compiled kernel (``akhbar._pageview``, Cython, built by ``pip install -e .`` where a C compiler
is found) makes them in one pass over the code points. Without it, or with the environment
variable ``AKHBAR_PURE_PYTHON=1``, the pure-Python functions below give the same results; the
tests compare both on the same texts.

>>> page = PageView.of("بالرباطـ إفريقيا\\nسطر")
>>> page.view, page.lines
('بالرباط افريقيا\\nسطر', [(0, 16), (17, 20)])
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass

from akhbar import normalize as _normalize
from akhbar import tokens as _tokens

#: Set (to anything but "" or "0") to run the pure-Python path even where the kernel is built.
PURE_PYTHON_ENV = "AKHBAR_PURE_PYTHON"



def _class_chars(ranges: str) -> frozenset[str]:
    """The characters of a regex class body made of characters and ``a-b`` ranges only."""
    chars = set()
    i = 0
    while i < len(ranges):
        if i + 2 < len(ranges) and ranges[i + 1] == "-":
            chars.update(chr(c) for c in range(ord(ranges[i]), ord(ranges[i + 2]) + 1))
            i += 3
        else:
            chars.add(ranges[i])
            i += 1
    return frozenset(chars)


# The marks a word token holds besides \w, from the tokeniser's own pattern.
_WORD_MARKS = _class_chars(_tokens._WORD_MARKS)


def _load_kernel():
    if os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0"):
        return None
    try:
        from akhbar import _pageview
    except ImportError:  # not built (no compiler at install time): the pure path below
        return None
    _pageview.set_tables(_normalize._DROP, _normalize._FOLD, _WORD_MARKS)
    return _pageview


_kernel = _load_kernel()


def compiled() -> bool:
    """Whether the compiled kernel is in use."""
    return _kernel is not None


# --- the pure-Python path ----------------------------------------------------------------------

def py_view_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`akhbar.normalize.normalize_with_offsets` in Python."""
    if unicodedata.is_normalized("NFC", text):
        # Almost every text: folds are one-to-one, so only drops move offsets, and the offsets
        # between two runs of drops are a range.
        origin: list[int] = []
        kept_from = 0
        for run in _normalize._DROP_RUN.finditer(text):
            origin.extend(range(kept_from, run.start()))
            kept_from = run.end()
        origin.extend(range(kept_from, len(text) + 1))
        return _normalize._fold(text), origin
    # NFC character by character, so that every view character has exactly one origin.
    out: list[str] = []
    origin = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFC", ch):
            folded = _normalize.fold_char(c)
            if folded:
                out.append(folded)
                origin.append(i)
    origin.append(len(text))
    return "".join(out), origin


def py_tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """:func:`akhbar.tokens.tokenize` in Python (its regex)."""
    return [m.span() for m in _tokens.TOKEN.finditer(text, start, len(text) if end is None else end)]


_NEWLINE = re.compile("\n")


def py_line_table(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text.split("\\n")``, in Python."""
    lines = []
    start = 0
    for m in _NEWLINE.finditer(text):
        lines.append((start, m.start()))
        start = m.end()
    lines.append((start, len(text)))
    return lines


# --- whichever path is in use ------------------------------------------------------------------

view_with_offsets = _kernel.view_with_offsets if _kernel else py_view_with_offsets
tokenize = _kernel.tokenize if _kernel else py_tokenize
line_table = _kernel.line_table if _kernel else py_line_table


@dataclass(frozen=True)
class PageView:
    """A text with its normalised view and offsets, tokens and line table (see the module)."""

    text: str
    view: str
    origin: list[int]
    tokens: list[tuple[int, int]]
    lines: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str) -> "PageView":
        """Build the view of ``text`` (compiled where the kernel is built)."""
        view, origin = view_with_offsets(text)
        return cls(text, view, origin, tokenize(text), line_table(text))

    def view_span(self, start: int, end: int) -> tuple[int, int]:
        """The text span of the end-exclusive view span ``[start, end)``."""
        return _normalize.view_span_to_text(self.origin, start, end)
