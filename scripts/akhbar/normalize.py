"""Arabic text normalisation, kept apart from the stored text.

The dataset never rewrites the Arabic it stores. Matching (gazetteers, cue phrases, duplicate
detection) runs on a *normalised view* instead, and every function here that changes lengths also
returns the map from view offsets back to original offsets, so a match found in the view becomes an
exact span of the real text.

What the view folds, and why:

- Unicode NFC: the same letter typed two ways compares equal.
- Harakat and other Arabic diacritics (U+064B–U+065F, U+0670, Quranic marks): optional in news text.
- Tatweel (U+0640): typographic stretching, e.g. ``كشـ24``.
- Alef variants أ إ آ ٱ → ا, alef maqsura ى → ي, ta marbuta ة → ه: the spellings scraped news text
  mixes freely (``سورية`` / ``سوريه``, ``إفريقيا`` / ``افريقيا``).
- Persian/Urdu keyboard letters ی ک → ي ك.
- Zero-width and bidi control characters: invisible, but they break matching.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters dropped from the view.
_DIACRITICS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670"} | {chr(c) for c in range(0x06D6, 0x06EE)}
_TATWEEL = "\u0640"
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2066", "\u2067", "\u2068", "\u2069",
              "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\ufeff"}
_DROP = frozenset(_DIACRITICS | _INVISIBLE | {_TATWEEL})

# One character in, one character out.
_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ی": "ي", "ة": "ه", "ک": "ك",
}

#: Bidi controls and zero-width characters, reported as warnings when found in input text.
INVISIBLE_CHARACTERS = frozenset(_INVISIBLE)


# Drops and folds as C-level string operations: a regex for the drops, str.replace for each fold.
# str.translate with a dict table looks every character up in Python and is ~10× slower on the
# page-long texts the annotators normalise several times per page.
_DROP_RUN = re.compile("[" + "".join(sorted(_DROP)) + "]+")
_FOLDS = tuple(_FOLD.items())


def fold_char(ch: str) -> str:
    """Return the view of one (already NFC) character: ``""`` when it is dropped."""
    if ch in _DROP:
        return ""
    return _FOLD.get(ch, ch)


def _fold(text: str) -> str:
    """Drops removed, folds applied (``text`` already NFC)."""
    if _DROP_RUN.search(text) is not None:
        text = _DROP_RUN.sub("", text)
    for letter, folded in _FOLDS:
        text = text.replace(letter, folded)
    return text


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return ``(view, origin)`` where ``view[i]`` comes from ``text[origin[i]]``.

    ``origin`` has one extra trailing element, ``len(text)``, so that an end-exclusive view span
    ``[i, j)`` maps back to the original span ``[origin[i], origin[j - 1] + 1)``; use
    :func:`view_span_to_text` for that.

    NFC is applied character by character (not to the whole string) so that every view character has
    exactly one origin; the composed sequences that matter in Arabic (alef + hamza above) are folded
    to bare alef anyway.

    >>> view, origin = normalize_with_offsets("بالرباطـ إفريقيا")
    >>> view
    'بالرباط افريقيا'
    """
    # One implementation, the page view's: compiled where the kernel is built, else Python.
    return _pageview.view_with_offsets(text)


def view_span_to_text(origin: list[int], start: int, end: int) -> tuple[int, int]:
    """Map the end-exclusive view span ``[start, end)`` back to the original text."""
    if not 0 <= start < end <= len(origin) - 1:
        raise ValueError(f"view span [{start}, {end}) is empty or outside a view of length {len(origin) - 1}")
    return origin[start], origin[end - 1] + 1


def normalize(text: str) -> str:
    """The normalised view of ``text``, without the offset map."""
    if len(text) <= _MEMO_MAX_CHARS:
        return _normalize_word(text)
    return _fold(unicodedata.normalize("NFC", text))


# Words and short phrases are normalised over and over (every token of every page by the number
# and date readers): a bounded memo of the pure function answers most of them.
_MEMO_MAX_CHARS = 40


@lru_cache(maxsize=1 << 14)
def _normalize_word(text: str) -> str:
    return _fold(unicodedata.normalize("NFC", text))


def normalize_for_identity(text: str) -> str:
    """The key under which two texts count as the *same text* (exact duplicates, repeated lines).

    The view of :func:`normalize` with every run of white space collapsed to one space and the
    ends stripped.
    """
    # str.split() and the regex \s agree on what white space is (both use Py_UNICODE_ISSPACE);
    # split and join is several times faster than substituting every run.
    return " ".join(normalize(text).split())


# At the end: akhbar.pageview reads this module's tables when it is imported.
from akhbar import pageview as _pageview  # noqa: E402
