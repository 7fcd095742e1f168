"""Tokens and sentences of a text, as end-exclusive character offsets into it.

One tokenisation serves every reader of the body: the entity tagger's features, the ``ner``
config's tokens and the exports. It never rewrites the text; a token is a ``(start, end)`` pair
and its text is ``text[start:end]``.

- A word is a run of letters and digits together with the marks written on them (harakat,
  superscript alef, tatweel), so ``أُضعف`` and ``كشـ24`` are one token each.
- Every other non-space character is a token of its own (``(``، ``"``، ``،``).
- Proclitics stay on their word here (``بالرباط`` is one token): where an entity starts after a
  proclitic, :func:`split_at` cuts the token at the entity's edge, which is how the entity
  guidelines place spans (rule 2).

>>> text = 'وقال "بوريطة" في الرباط.'
>>> [text[s:e] for s, e in tokenize(text)]
['وقال', '"', 'بوريطة', '"', 'في', 'الرباط', '.']
"""

from __future__ import annotations

import re
from bisect import bisect_left

_WORD_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
TOKEN = re.compile(rf"[\w{_WORD_MARKS}]+|[^\w\s{_WORD_MARKS}]")

#: Tokens after which a sentence ends (when white space or the text's end follows).
SENTENCE_END = frozenset({".", "!", "?", "؟", "…"})


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The tokens of ``text[start:end]`` as offsets into ``text``: the matches of :data:`TOKEN`,
    found by :mod:`akhbar.pageview`'s compiled kernel where it is built."""
    return _pageview.tokenize(text, start, end)


def split_at(tokens: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    """``tokens`` with every token that a cut offset falls strictly inside cut in two there.

    ``cuts`` are span edges (entity starts and ends); after the split every span whose edges are
    cuts covers whole tokens.

    >>> split_at([(0, 7)], [1])
    [(0, 1), (1, 7)]
    """
    cuts = sorted(set(cuts))
    out: list[tuple[int, int]] = []
    for start, end in tokens:
        i = bisect_left(cuts, start + 1)
        while i < len(cuts) and cuts[i] < end:
            out.append((start, cuts[i]))
            start = cuts[i]
            i += 1
        out.append((start, end))
    return out


def sentences(text: str, tokens: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """``tokens`` grouped into sentences: a line break, or an end mark followed by space, ends one."""
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for start, end in tokens:
        if current and "\n" in text[current[-1][1]:start]:
            groups.append(current)
            current = []
        current.append((start, end))
        if text[start:end] in SENTENCE_END and (end == len(text) or text[end].isspace()):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


# At the end: akhbar.pageview reads this module's TOKEN and marks when it is imported.
from akhbar import pageview as _pageview  # noqa: E402
