"""The ``ner`` config: a document's entities as BIO tags over the tokens of each sentence.

``ner_rows(record) -> rows``: one row per sentence of ``body_text``, with its tokens, their BIO
tags (``datasets.ClassLabel`` over :func:`tag_names`) and their character offsets into
``body_text``, so the standard token-classification recipe trains on it without glue code and
every tag can be traced back to the text.

Tokenisation (:mod:`akhbar.tokens`): a token is a word with its marks or one punctuation sign;
then every token that an entity edge falls inside is cut at that edge (``بالرباط`` with the entity
``الرباط`` becomes ``ب`` + ``الرباط``: the proclitic stays outside, as the entity guidelines place
spans), so every entity covers whole tokens. A sentence ends at a line break or at an end mark
followed by white space, except inside an entity.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache
from itertools import accumulate
from typing import Iterator

from datasets import ClassLabel, Features, List, Value

from akhbar.schema import DOCUMENT_SCHEMA, load_schema
from akhbar.tokens import sentences, split_at, tokenize

OUTSIDE = "O"


@cache
def entity_labels() -> tuple[str, ...]:
    """The entity labels of ``schema/document.schema.json``, in the schema's order."""
    return tuple(load_schema(DOCUMENT_SCHEMA)["$defs"]["entity_label"]["enum"])


@cache
def tag_names() -> tuple[str, ...]:
    """``O``, then ``B-X`` and ``I-X`` for each entity label X: the names of ``ner_tags``."""
    return (OUTSIDE, *(f"{prefix}-{label}" for label in entity_labels() for prefix in "BI"))


@cache
def ner_features() -> Features:
    """Features of the ``ner`` config."""
    return Features({
        "document_id": Value("string"),
        "sentence": Value("int32"),
        "tokens": List(Value("string")),
        "ner_tags": List(ClassLabel(names=list(tag_names()))),
        "token_starts": List(Value("int32")),
        "token_ends": List(Value("int32")),
    })


#: What each column of the ``ner`` config holds (the card and Croissant say it).
NER_DESCRIPTIONS = {
    "document_id": "The id of the document (documents config) the sentence is from.",
    "sentence": "The sentence's position in the document's body_text, from 0.",
    "tokens": "The sentence's tokens: body_text[token_starts[i]:token_ends[i]].",
    "ner_tags": "One BIO tag per token over the entity labels (ClassLabel; names in the card's dataset_info).",
    "token_starts": "Where each token starts in body_text (code points).",
    "token_ends": "Where each token ends in body_text (code points, end-exclusive).",
}


def body_tokens(body_text: str, entities: list[dict]) -> list[list[tuple[int, int]]]:
    """The sentences of ``body_text`` as lists of ``(start, end)`` tokens, every entity covering
    whole tokens and lying inside one sentence."""
    edges = [edge for entity in entities for edge in (entity["start"], entity["end"])]
    groups = sentences(body_text, split_at(tokenize(body_text), edges))
    spans = sorted((e["start"], e["end"]) for e in entities)
    merged: list[list[tuple[int, int]]] = []
    k = 0
    for group in groups:
        # a sentence break inside an entity (``د. ناصر``, a name across a line) is not one
        while k < len(spans) and spans[k][1] <= group[0][0]:
            k += 1
        if merged and k < len(spans) and spans[k][0] < group[0][0] < spans[k][1]:
            merged[-1].extend(group)
        else:
            merged.append(list(group))
    return merged


def sentence_tags(tokens: list[tuple[int, int]], entities: list[tuple[int, int, str]], first: int = 0) -> list[str]:
    """The BIO tag of each token; ``entities`` are ``(start, end, label)`` sorted by start.
    ``first``: the index in ``entities`` to start from, when every entity before it ends at or
    before the first token's start (the tags are the same as from 0)."""
    tags = []
    k, inside = first, -1  # inside: the entity the previous token belonged to
    for start, end in tokens:
        while k < len(entities) and entities[k][1] <= start:
            k += 1
        if k < len(entities) and entities[k][0] <= start and end <= entities[k][1]:
            tags.append(f"{'I' if inside == k else 'B'}-{entities[k][2]}")
            inside = k
        else:
            inside = -1
            tags.append(OUTSIDE)
    return tags


def ner_rows(record: dict) -> Iterator[dict]:
    """The ``ner`` rows of one documents record, in sentence order."""
    body = record["body_text"]
    index = {name: n for n, name in enumerate(tag_names())}
    entities = sorted((e["start"], e["end"], e["label"]) for e in record["entities"])
    # Each sentence's first entity to look at: the first one ending after the sentence's start,
    # by bisection on the running maximum of the ends (sentence_tags from entity 0 for every
    # sentence cost O(page) per sentence).
    reach = list(accumulate((e[1] for e in entities), max))
    for n, tokens in enumerate(body_tokens(body, record["entities"])):
        first = bisect_right(reach, tokens[0][0]) if tokens else 0
        yield {
            "document_id": record["id"],
            "sentence": n,
            "tokens": [body[s:e] for s, e in tokens],
            "ner_tags": [index[tag] for tag in sentence_tags(tokens, entities, first)],
            "token_starts": [s for s, _ in tokens],
            "token_ends": [e for _, e in tokens],
        }
