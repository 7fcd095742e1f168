"""Train the entity tagger offline: ``akhbar train-ner`` rebuilds ``data/ner/tagger.crfsuite``.

Training data, in a fixed order so the same inputs give the same model bytes:

1. **ANERcorp**, training portion (``train.conll``, CC BY-SA 4.0), mapped to our guidelines:
   attached proclitics are cut off the entity's first token as at tagging time (``بواشنطن`` →
   ``ب`` + ``واشنطن``); PERS and ORG stay; LOC becomes the rules' GPE, LOC or FAC where the rules
   label the same words so, GPE otherwise (ANERcorp's LOC holds countries, cities and natural
   places alike); MISC becomes the rules' NORP, EVENT or FAC on the same words, otherwise it is
   left out of the targets (O). Nationality adjectives and roles, which ANERcorp's guidelines
   leave O, take the rules' NORP and OCC where ANERcorp has no entity.
2. **The project's gold**: the seeds' curated files (status ``gold``) on their gold body lines,
   and the studied held-out sets :data:`GOLD_SETS`, repeated :data:`GOLD_WEIGHT` times since they
   follow our guidelines exactly. Sets reported as blind are never listed here.

``--dev-fraction`` holds out the last part of ANERcorp's sentences for a development figure.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pycrfsuite

from akhbar.entities import CLOSED_LABELS
from akhbar.evaluation import gold_body_text
from akhbar.gold import project_gold
from akhbar.ner import TRAINING_SETS
from akhbar.ner.conll import Sentence, bio_spans, layout, read_conll
from akhbar.ner.features import in_domain, page_features, rule_tags
from akhbar.ner.rules import annotate_rules, lexicon

GOLD_SETS = TRAINING_SETS
GOLD_WEIGHT = 3
#: The prefix of ANERcorp's domain-specific feature copies ("" for none).
ANERCORP_DOMAIN = "A"
#: ANERcorp sentences per pseudo-document (the rules see a page-sized text at a time).
CHUNK = 25
PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 150, "feature.possible_transitions": True,
          "feature.minfreq": 2}


def sequences(text: str, spans: list[tuple[int, int, str]], rules: list[tuple[int, int, str]], domain: str = ""):
    """(features, targets) per sentence of ``text`` with target character ``spans``.

    With a ``domain``, every feature also gets a copy of its own prefixed with it ("frustratingly
    easy" domain adaptation, Daumé 2007): the copies learn what is peculiar to that corpus's
    guidelines, and tagging, which uses the plain features only, follows ours.
    """
    pieces, _, runs = page_features(text, rules, lexicon())
    # a target never starts on a proclitic piece: its span starts after it (rule 2)
    starts = {s: k for k, (s, _, _) in enumerate(pieces)}
    trimmed = []
    for s, e, label in spans:
        k = starts.get(s)
        while k is not None and pieces[k][2] and k + 1 < len(pieces) and pieces[k + 1][0] < e:
            k += 1
            s = pieces[k][0]
        trimmed.append((s, e, label))
    targets = rule_tags(pieces, trimmed)
    for first, last, features in runs:
        yield in_domain(features, domain), targets[first:last]


def _anercorp_targets(sentences_: list[Sentence], offsets, rules: list[tuple[int, int, str]]):
    """ANERcorp's spans as character spans in our labels (see the module docstring)."""
    by_chars: dict[tuple[int, int], str] = {}
    for s, e, label in rules:
        by_chars[(s, e)] = label
    out = []
    for sentence, row in zip(sentences_, offsets):
        for first, last, label in bio_spans(sentence.tags):
            s, e = row[first][0], row[last - 1][1]
            inner = [lab for (rs, re_), lab in by_chars.items() if s <= rs and re_ <= e]
            if label == "LOC":
                label = next((lab for lab in inner if lab in ("GPE", "LOC", "FAC")), "GPE")
            elif label == "MISC":
                label = next((lab for lab in inner if lab in ("NORP", "EVENT", "FAC")), None)
            if label:
                out.append((s, e, label))
    taken = [(s, e) for s, e, _ in out]
    for s, e, label in rules:  # labels ANERcorp never gives, on words it leaves O
        if label in ("NORP", "OCC") and not any(s < te and ts < e for ts, te in taken):
            out.append((s, e, label))
    return out


def anercorp_sequences(path: Path, dev_fraction: float = 0.0):
    """Training sequences from ANERcorp (all but the last ``dev_fraction`` of its sentences)."""
    all_sentences = read_conll(path)
    keep = all_sentences[: len(all_sentences) - int(len(all_sentences) * dev_fraction)]
    for i in range(0, len(keep), CHUNK):
        chunk = keep[i:i + CHUNK]
        text, offsets = layout([s.tokens for s in chunk])
        rules = [(r["start"], r["end"], r["label"]) for r in annotate_rules(text)]
        yield from sequences(text, _anercorp_targets(chunk, offsets, rules), rules, ANERCORP_DOMAIN)


def gold_documents(root: Path):
    """``(doc_id, body_text, published, publisher, entities)`` of the project's gold pages."""
    for ann in sorted((root / "seeds").glob("*.ann.json")):
        data = json.loads(ann.read_text(encoding="utf-8"))
        body_gold = root / "tests" / "gold_body" / f"{data['document']}.json"
        if data.get("status") != "gold" or not body_gold.exists():
            continue
        yield _gold_doc(root / "seeds" / f"{data['document']}.txt", json.loads(body_gold.read_text(encoding="utf-8")), data["entities"])
    for folder in GOLD_SETS:
        for gold_file in sorted((root / folder).glob("*.gold.json")):
            doc_id = gold_file.name[: -len(".gold.json")]
            entity_file = gold_file.with_name(f"{doc_id}.entities.json")
            if entity_file.exists():
                yield _gold_doc(gold_file.with_name(f"{doc_id}.txt"), json.loads(gold_file.read_text(encoding="utf-8")),
                                json.loads(entity_file.read_text(encoding="utf-8"))["entities"])


def _gold_doc(page: Path, gold: dict, entities: list[dict]):
    raw = page.read_text(encoding="utf-8")
    body, spans = gold_body_text(raw, gold["body_lines"])
    projected, _, _ = project_gold({"entities": entities, "events": []}, spans)
    published = dt.date.fromisoformat(gold["published"]) if gold.get("published") else None
    return page.stem, body, published, gold.get("publisher"), projected


def gold_sequences(root: Path):
    for _, body, published, publisher, entities in gold_documents(root):
        rules = [(r["start"], r["end"], r["label"]) for r in annotate_rules(body, published, publisher)]
        spans = [(e["start"], e["end"], e["label"]) for e in entities if e["label"] not in CLOSED_LABELS]
        yield from sequences(body, spans, rules)


def train(anercorp: Path, root: Path, out: Path, dev_fraction: float = 0.0, progress=None) -> dict:
    """Train and write the model file; returns what went in (for the model card)."""
    trainer = pycrfsuite.Trainer(verbose=False)
    counts = {"anercorp_sentences": 0, "gold_sentences": 0}
    for xseq, yseq in anercorp_sequences(anercorp, dev_fraction):
        trainer.append(xseq, yseq)
        counts["anercorp_sentences"] += 1
    gold = list(gold_sequences(root))
    for _ in range(GOLD_WEIGHT):
        for xseq, yseq in gold:
            trainer.append(xseq, yseq)
    counts["gold_sentences"] = len(gold)
    trainer.set_params(PARAMS)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return counts
