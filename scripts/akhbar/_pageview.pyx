# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled kernel of :mod:`akhbar.pageview`: one pass over a page's code points.

Its results are those of the pure-Python functions in :mod:`akhbar.pageview` (the test suite runs
both on the same texts). The character tables are not written here: :func:`set_tables` receives
them from :mod:`akhbar.normalize` and :mod:`akhbar.tokens` at import, so there is one source.
"""

from cpython.unicode cimport Py_UNICODE_ISALNUM, Py_UNICODE_ISSPACE
from libc.stdlib cimport free, malloc

import unicodedata

cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size)
    int PyUnicode_4BYTE_KIND
    int PyUnicode_KIND(object text)
    void *PyUnicode_DATA(object text)
    Py_UCS4 PyUnicode_READ(int kind, void *data, Py_ssize_t index) nogil

# Flags of the Basic Multilingual Plane (every character the tables name is in it).
DEF _TABLE = 0x10000
cdef unsigned char _DROP = 1  # left out of the normalised view
cdef unsigned char _MARK = 2  # part of a word token though not \w (harakat, tatweel, ZWJ/ZWNJ)
cdef unsigned char _flags[_TABLE]
cdef Py_UCS4 _fold[_TABLE]  # 0: the character stands for itself in the view


def set_tables(drop, fold, marks):
    """Load the view's drops and one-to-one folds and the word marks of the tokeniser."""
    cdef Py_ssize_t i
    for i in range(_TABLE):
        _flags[i] = 0
        _fold[i] = 0
    for ch in drop:
        _flags[ord(ch)] |= _DROP
    for ch in marks:
        _flags[ord(ch)] |= _MARK
    for ch, folded in fold.items():
        _fold[ord(ch)] = ord(folded)


cdef inline unsigned char _flag(Py_UCS4 c) noexcept:
    return _flags[c] if c < _TABLE else 0


cdef inline Py_UCS4 _folded(Py_UCS4 c) noexcept:
    if c < _TABLE and _fold[c] != 0:
        return _fold[c]
    return c


def view_with_offsets(str text):
    """``(view, origin)`` exactly as :func:`akhbar.normalize.normalize_with_offsets` defines them."""
    cdef Py_ssize_t n = len(text), i, k = 0, kept_from = 0
    cdef Py_UCS4 c
    cdef Py_UCS4 *out
    cdef list origin
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    if unicodedata.is_normalized("NFC", text):
        out = <Py_UCS4 *> malloc((n + 1) * sizeof(Py_UCS4))
        if out == NULL:
            raise MemoryError()
        try:
            # the offsets between two dropped characters are a range: made by list.extend in C
            origin = []
            for i in range(n):
                c = PyUnicode_READ(kind, data, i)
                if _flag(c) & _DROP:
                    if i > kept_from:
                        origin.extend(range(kept_from, i))
                    kept_from = i + 1
                    continue
                out[k] = _folded(c)
                k += 1
            origin.extend(range(kept_from, n + 1))
            return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, k), origin
        finally:
            free(out)
    # Rare: NFC character by character, so every view character keeps one origin.
    cdef list chars = []
    origin = []
    for i in range(n):
        for c in unicodedata.normalize("NFC", text[i]):
            if _flag(c) & _DROP:
                continue
            chars.append(chr(_folded(c)))
            origin.append(i)
    origin.append(n)
    return "".join(chars), origin


cdef inline bint _in_word(Py_UCS4 c) noexcept:
    # [\w marks] of akhbar.tokens.TOKEN: \w is what the re module calls a word character
    return Py_UNICODE_ISALNUM(c) or c == u'_' or (_flag(c) & _MARK) != 0


def tokenize(str text, Py_ssize_t start=0, end=None):
    """The tokens of ``text[start:end]``, as :func:`akhbar.tokens.tokenize` finds them."""
    cdef Py_ssize_t n = len(text), i, j
    cdef Py_UCS4 c
    cdef list tokens = []
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    if end is not None and end < n:
        n = end
    i = max(start, 0)
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        if _in_word(c):
            j = i + 1
            while j < n and _in_word(PyUnicode_READ(kind, data, j)):
                j += 1
            tokens.append((i, j))
            i = j
        else:
            if not Py_UNICODE_ISSPACE(c):
                tokens.append((i, i + 1))
            i += 1
    return tokens


def line_table(str text):
    """``(start, end)`` of every line of ``text.split("\\n")``, the newline left out."""
    cdef Py_ssize_t n = len(text), i, start = 0
    cdef list lines = []
    while True:
        i = text.find(u"\n", start)  # a fast search in C
        if i < 0:
            break
        lines.append((start, i))
        start = i + 1
    lines.append((start, n))
    return lines
