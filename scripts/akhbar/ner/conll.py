"""CoNLL BIO files: reading them, laying their tokens out as text, scoring spans token by token.

A CoNLL file holds one ``token<TAB>tag`` per line and a blank line between sentences (ANERcorp,
WikiFANE, most Arabic NER benchmarks). To run our annotator on it, each sentence's tokens are
joined with single spaces into one line of text, so every token has exact offsets in that text;
an entity span of ours *covers* a token when it overlaps it (ANERcorp keeps proclitics inside the
token, ``بواشنطن`` = B-LOC, while our spans leave them out: ``واشنطن``).

Outside labels are mapped to ours before scoring (:data:`LABEL_MAPS`); a mapping sends a label to
``None`` when we do not score it (ANERcorp's MISC mixes events, currencies and religions).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Outside label -> our label, per benchmark; unknown labels are refused, ``None`` is not scored.
#: ANERcorp's LOC covers countries, cities and natural places alike (our GPE and LOC) and some
#: buildings (our FAC), so on it every one of those three labels of ours counts as LOC.
LABEL_MAPS: dict[str, dict[str, str | None]] = {
    "anercorp": {"PERS": "PERS", "PER": "PERS", "ORG": "ORG", "LOC": "LOC", "MISC": None},
}
#: Our labels as the benchmark's label set sees them (applied to our predictions).
OUR_LABELS_AS: dict[str, dict[str, str]] = {
    "anercorp": {"PERS": "PERS", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"},
}


class ConllError(ValueError):
    """A malformed line in a CoNLL file, with the file and line number."""


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]


def read_conll(path: Path) -> list[Sentence]:
    """The sentences of a ``token<TAB>tag`` file (a tag is ``O``, ``B-X`` or ``I-X``)."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if tokens:
                    sentences.append(Sentence(tuple(tokens), tuple(tags)))
                    tokens, tags = [], []
                continue
            parts = line.split("\t") if "\t" in line else line.rsplit(" ", 1)
            if len(parts) < 2 or not parts[0] or not (parts[-1] == "O" or parts[-1][:2] in ("B-", "I-")):
                raise ConllError(f"{path}:{number}: expected 'token<TAB>tag' with tag O, B-X or I-X, "
                                 f"got {line[:60]!r}")
            tokens.append(parts[0])
            tags.append(parts[-1])
    if tokens:
        sentences.append(Sentence(tuple(tokens), tuple(tags)))
    return sentences


def layout(sentence_tokens: list[tuple[str, ...]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """The text of the sentences (tokens joined by spaces, one sentence a line) and token offsets."""
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for tokens in sentence_tokens:
        row = []
        for k, token in enumerate(tokens):
            if k:
                parts.append(" ")
                pos += 1
            row.append((pos, pos + len(token)))
            parts.append(token)
            pos += len(token)
        parts.append("\n")
        pos += 1
        offsets.append(row)
    return "".join(parts), offsets


def bio_spans(tags: list[str] | tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Token spans ``(first, last + 1, label)`` of a BIO tag sequence (a stray I- opens a span)."""
    spans = []
    start, label = None, None
    for k, tag in enumerate(list(tags) + ["O"]):
        inside = tag.startswith("I-") and label == tag[2:]
        if start is not None and not inside:
            spans.append((start, k, label))
            start, label = None, None
        if tag != "O" and not inside:
            start, label = k, tag[2:]
    return spans


def token_spans(char_spans: list[tuple[int, int, str]], offsets: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Character spans as token spans: the tokens each span overlaps (tokens of one sentence)."""
    out = []
    for start, end, label in char_spans:
        covered = [k for k, (s, e) in enumerate(offsets) if s < end and start < e]
        if covered:
            out.append((covered[0], covered[-1] + 1, label))
    return out


def map_label(label: str, mapping: dict[str, str | None], where: str) -> str | None:
    if label not in mapping:
        raise ConllError(f"{where}: label {label!r} has no mapping; known: {', '.join(sorted(mapping))}")
    return mapping[label]


def score(sentences: list[Sentence], annotate, benchmark: str = "anercorp", chunk: int = 25) -> dict:
    """Token-exact precision, recall and F1 of ``annotate(text) -> entity dicts`` on ``sentences``.

    Sentences are laid out ``chunk`` at a time (one per line) and annotated as one text; gold and
    predicted spans are compared as token spans in the benchmark's label set (see :data:`LABEL_MAPS`).
    Returns micro and per-label counts and figures.
    """
    theirs, ours = LABEL_MAPS[benchmark], OUR_LABELS_AS[benchmark]
    counts: dict[str, list[int]] = {}  # label -> [tp, fp, fn]
    for i in range(0, len(sentences), chunk):
        part = sentences[i:i + chunk]
        text, offsets = layout([s.tokens for s in part])
        line_starts = [row[0][0] if row else 0 for row in offsets]
        predicted = annotate(text)
        for k, (sentence, row) in enumerate(zip(part, offsets)):
            end_of_line = line_starts[k + 1] if k + 1 < len(part) else len(text)
            mine = [(e["start"], e["end"], ours[e["label"]]) for e in predicted
                    if e["label"] in ours and line_starts[k] <= e["start"] < end_of_line]
            pred = set(token_spans(mine, row))
            gold = set()
            for first, last, label in bio_spans(sentence.tags):
                mapped = map_label(label, theirs, f"sentence {i + k + 1}")
                if mapped:
                    gold.add((first, last, mapped))
            for label in {x[2] for x in pred | gold}:
                c = counts.setdefault(label, [0, 0, 0])
                p = {x for x in pred if x[2] == label}
                g = {x for x in gold if x[2] == label}
                c[0] += len(p & g)
                c[1] += len(p - g)
                c[2] += len(g - p)
    return _figures(counts)


def _figures(counts: dict[str, list[int]]) -> dict:
    def prf(tp, fp, fn):
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
                "tp": tp, "fp": fp, "fn": fn}

    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"micro": prf(*total), "per_label": {label: prf(*c) for label, c in sorted(counts.items())}}
