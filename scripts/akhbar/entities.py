"""Automatic entity annotation for documents without gold annotations (``auto:ner_crf@2``).

:func:`annotate_entities` (body text [+ publication date, publisher] → entity dicts) follows
``entity_guidelines.md`` in four steps:

1. **Rules** (:mod:`akhbar.ner.rules`, the lexicons and rules of ``auto:ner_lexicon@3``) annotate
   the whole body once. Their closed classes (DATE, TIME, CARDINAL, ORDINAL, PERCENT, QUANTITY,
   MONEY), where rules are exact, are kept as they are.
2. **Tagger.** The body's tokens (:mod:`akhbar.tokens`, attached proclitics cut off where a name
   follows) go sentence by sentence through a CRF trained on ANERcorp and the project's gold
   (:mod:`akhbar.ner.model`); its features are the words, their context, the gazetteers and the
   rules' labels (:mod:`akhbar.ner.features`). It labels the open classes: PERS, ORG, GPE, LOC,
   FAC, NORP, OCC, EVENT.
3. **One sense per page.** Every other run of words in the page that spells a name the tagger
   found gets its label too (a club or a surname named again where the context is weaker).
4. **Merge.** Longest span first (a rule's span wins a tie); ids ``T1``… in start order. A
   tagged span takes the rules' canonical name when they found the same span with the same label,
   a gazetteer's when one lists it, its own text otherwise.
"""

from __future__ import annotations

import datetime as dt
import re

from akhbar.ner import model
from akhbar.ner.conll import bio_spans
from akhbar.ner.features import page_features
from akhbar.ner.rules import annotate_rules, lexicon
from akhbar.normalize import normalize

ANNOTATOR = "ner_crf"
VERSION = "2"  # 2: retrained with tagger training pages G-J (1: pages A-F)
SOURCE = f"auto:{ANNOTATOR}@{VERSION}"

#: Labels taken from the rules as they are.
CLOSED_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "MONEY"})

__all__ = ["ANNOTATOR", "VERSION", "SOURCE", "annotate_entities", "lexicon"]


def tag_pieces(text: str, rule_spans: list[tuple[int, int, str]]):
    """The token pieces of ``text``, their normalised words and the tagger's BIO label for each."""
    pieces, words, runs = page_features(text, rule_spans, lexicon())
    crf = model.tagger()
    labels: list[str] = []
    for _, _, features in runs:
        labels += crf.tag(features)
    return pieces, words, labels


def annotate_entities(body_text: str, published: dt.date | None = None, publisher: str | None = None) -> list[dict]:
    """Entity mentions of ``body_text``: sorted, non-overlapping dicts following ``$defs/entity``.

    Each dict has ``id`` (``T1``… in start order), ``start``/``end`` (end-exclusive offsets into
    ``body_text``), ``text`` (== ``body_text[start:end]``), ``label``, ``canonical`` and ``source``
    (:data:`SOURCE`). ``published`` fixes relative dates (أمس الأربعاء); ``publisher``, the page's
    own outlet, is an ORG wherever the article names it.

    >>> [(e["text"], e["label"]) for e in annotate_entities("وصل وزير الخارجية ناصر بوريطة إلى واشنطن")]
    [('وزير الخارجية', 'OCC'), ('ناصر بوريطة', 'PERS'), ('واشنطن', 'GPE')]
    """
    if not body_text.strip():
        return []
    rules = annotate_rules(body_text, published, publisher)
    by_span = {(r["start"], r["end"], r["label"]): r["canonical"] for r in rules}
    pieces, words, labels = tag_pieces(body_text, [(r["start"], r["end"], r["label"]) for r in rules])

    # (start, end, label, canonical, rank): rank 0 for the rules' spans, so they win ties
    candidates = [(r["start"], r["end"], r["label"], r["canonical"], 0) for r in rules if r["label"] in CLOSED_LABELS]
    for first, last, label in bio_spans(labels):
        start, end = pieces[first][0], pieces[last - 1][1]
        contracted = first > 0 and pieces[first - 1][2] and pieces[first - 1][1] == start \
            and body_text[start] == "ل" and normalize(body_text[pieces[first - 1][0]:start]).endswith("ل")
        candidates.append((start, end, label, by_span.get((start, end, label)) or _canonical(body_text[start:end], label, contracted), 1))

    candidates += _other_mentions(pieces, words, candidates)
    occupied: set[int] = set()  # characters already in a kept span (linear in the spans' length)
    kept = []
    for s, e, label, canonical, _ in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[4], c[0])):
        if not occupied.isdisjoint(range(s, e)):
            continue
        occupied.update(range(s, e))
        kept.append((s, e, label, canonical))
    return [
        {"id": f"T{n}", "start": s, "end": e, "text": body_text[s:e], "label": label,
         "canonical": canonical, "source": SOURCE}
        for n, (s, e, label, canonical) in enumerate(sorted(kept), 1)
    ]


#: Labels whose names are looked for again across the page (roles and nationalities are not).
_PROPAGATED = frozenset({"PERS", "ORG", "GPE", "LOC", "FAC", "EVENT"})


def _other_mentions(pieces, words: list[str], candidates) -> list[tuple[int, int, str, str, int]]:
    """The page's other mentions of the names the tagger found (one sense per page).

    A newspaper names a club, a company or a person several times; the tagger may miss some of
    them where the context is weaker. Every run of pieces that spells a tagged name exactly (in
    the normalised view) gets the same label, unless its single word is a frequent one.
    """
    lex = lexicon()
    names: dict[tuple[str, ...], tuple[str, str]] = {}
    starts = {s: k for k, (s, _, _) in enumerate(pieces)}
    ends = {e: k for k, (_, e, _) in enumerate(pieces)}
    for s, e, label, canonical, rank in candidates:
        if rank == 1 and label in _PROPAGATED and s in starts and e in ends:
            key = tuple(words[starts[s]:ends[e] + 1])
            if len(key) > 1 or (key[0] not in lex.common and len(key[0]) > 2):
                names.setdefault(key, (label, canonical))
    if not names:
        return []
    longest = max(len(k) for k in names)
    first_words = {key[0] for key in names}
    out = []
    for k in range(len(pieces)):
        if words[k] not in first_words:
            continue
        for n in range(min(longest, len(pieces) - k), 0, -1):
            found = names.get(tuple(words[k:k + n]))
            if found:
                out.append((pieces[k][0], pieces[k + n - 1][1], found[0], found[1], 2))
                break
    return out


def _canonical(text: str, label: str, contracted: bool) -> str:
    """A gazetteer's canonical name for ``text`` with ``label``, else the text itself."""
    key = normalize(re.sub(r"\s+", " ", text).strip())
    if contracted:
        key = "ا" + key
    found = lexicon().automaton.get(key, None)
    if found is not None:
        for entry, was_contracted in found[1]:
            if entry.label == label and not was_contracted:
                return entry.canonical
    clean = re.sub(r"\s+", " ", text).strip()
    return "ا" + clean if contracted else clean
