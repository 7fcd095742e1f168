"""Score the pipeline against gold: body extraction (character level), metadata, entity mentions,
meeting events, the agreement of two annotators, and near-duplicate detection on synthetic variants.

Body gold files (``tests/gold_body/<id>.json``) list the 1-based lines of raw_text that are the
article's own paragraphs. A character counts when it is a non-space character inside a body line:
white space carries no information and would reward keeping blank lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from akhbar import entities as entity_annotator
from akhbar import events as event_extractor
from akhbar import links
from akhbar.ner import rules
from akhbar.gold import load_annotations, project_gold
from akhbar.metadata import extract_metadata
from akhbar.normalize import normalize
from akhbar.read import decode
from akhbar.segment import CorpusLineCounts, segment


#: The held-out sets every command scores by default (tests/heldout*/, each with a set.json).
HELDOUT_SETS = tuple(Path(f"tests/{name}") for name in ("heldout", "heldout_final", "heldout_unseen", "heldout_set4", "heldout_set5",
                                                        "heldout_set6", "heldout_set7", "heldout_set8"))


@dataclass(frozen=True)
class PRF:
    """Counts and the precision, recall and F1 they give."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def line_spans(raw_text: str, line_numbers) -> list[tuple[int, int]]:
    """Spans of the given 1-based lines of raw_text."""
    wanted = set(line_numbers)
    spans, offset = [], 0
    for number, line in enumerate(raw_text.split("\n"), start=1):
        if number in wanted:
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def gold_body_text(raw_text: str, line_numbers) -> tuple[str, list[tuple[int, int]]]:
    """The body text a gold page's body lines make (each line stripped, joined by newlines) and
    the raw spans of those stripped lines."""
    spans = []
    for s, e in line_spans(raw_text, line_numbers):
        line = raw_text[s:e]
        spans.append((s + len(line) - len(line.lstrip()), e - (len(line) - len(line.rstrip()))))
    return "\n".join(raw_text[s:e] for s, e in spans), spans


def _chars(raw_text: str, spans) -> set[int]:
    return {i for s, e in spans for i in range(s, e) if not raw_text[i].isspace()}


def body_prf(raw_text: str, predicted_spans, gold_spans) -> PRF:
    """Character-level agreement of predicted body spans with gold body spans."""
    pred, gold = _chars(raw_text, predicted_spans), _chars(raw_text, gold_spans)
    return PRF(len(pred & gold), len(pred - gold), len(gold - pred))


def load_body_gold(folder: Path) -> dict[str, dict]:
    """The body gold files of a folder, by document id."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


# --- entity mentions -------------------------------------------------------------------------------

def mention_prf(predicted, gold) -> PRF:
    """Exact-match agreement of two mention lists: a hit needs the same start, end and label."""
    pred = {(m["start"], m["end"], m["label"]) for m in predicted}
    ref = {(m["start"], m["end"], m["label"]) for m in gold}
    return PRF(len(pred & ref), len(pred - ref), len(ref - pred))


def per_label(predicted, gold) -> dict[str, PRF]:
    labels = sorted({m["label"] for m in predicted} | {m["label"] for m in gold})
    return {label: mention_prf([m for m in predicted if m["label"] == label], [m for m in gold if m["label"] == label])
            for label in labels}


def _prf_dict(prf: PRF) -> dict:
    return {"precision": round(prf.precision, 4), "recall": round(prf.recall, 4), "f1": round(prf.f1, 4),
            "tp": prf.tp, "fp": prf.fp, "fn": prf.fn}


# --- meeting events ------------------------------------------------------------------------------

def event_prf(predicted, gold) -> PRF:
    """An automatic event matches a gold one when they name the same meeting: same date and the same
    place canonical (or both virtual), whatever the trigger word; each gold event matches once."""
    remaining = [e["event_key"] for e in gold]
    tp = 0
    for event in predicted:
        if event["event_key"] in remaining:
            remaining.remove(event["event_key"])
            tp += 1
    return PRF(tp, len(predicted) - tp, len(remaining))


# --- everything the card reports -----------------------------------------------------------------

def _segment_scores(pages: dict[str, str], golds: dict[str, dict], cfg) -> dict:
    counts = CorpusLineCounts(cfg.corpus_repeat_max_words)
    for text in pages.values():
        counts.add_document(text)
    total, keep_all = PRF(0, 0, 0), PRF(0, 0, 0)
    per_doc, fields = {}, {"title": 0, "publisher": 0, "published": 0}
    for doc_id in sorted(golds):
        text, gold = pages[doc_id], golds[doc_id]
        seg = segment(text, cfg, counts)
        gold_spans = line_spans(text, gold["body_lines"])
        prf = body_prf(text, seg.body_spans, gold_spans)
        total += prf
        keep_all += body_prf(text, [(0, len(text))], gold_spans)
        per_doc[doc_id] = _prf_dict(prf)
        meta = extract_metadata(seg, text)
        for name in fields:
            fields[name] += getattr(meta, name) == gold[name]
    return {"documents": len(golds), "body": _prf_dict(total), "keep_every_line": _prf_dict(keep_all),
            "per_document": per_doc, "metadata_correct": fields}


def _heldout_set(folder: Path, segment_cfg) -> dict | None:
    """Scores on one folder of held-out pages (``<id>.txt`` + ``<id>.gold.json``, optionally
    ``<id>.entities.json`` and a ``set.json`` describing the set)."""
    golds = {p.name[: -len(".gold.json")]: json.loads(p.read_text(encoding="utf-8"))
             for p in sorted(folder.glob("*.gold.json"))}
    if not golds:
        return None
    pages = {doc_id: decode((folder / f"{doc_id}.txt").read_bytes())[0] for doc_id in golds}
    result = _segment_scores(pages, golds, segment_cfg)
    info = folder / "set.json"
    result["set"] = json.loads(info.read_text(encoding="utf-8")) if info.exists() else {"name": folder.name}
    result["folder"] = folder.name

    # Entities and meetings on the gold body (so that segmentation errors do not count twice).
    entity_total, rules_total, labels = PRF(0, 0, 0), PRF(0, 0, 0), {}
    meeting_total, pages_without, pages_without_ok = PRF(0, 0, 0), 0, 0
    for doc_id, gold in sorted(golds.items()):
        text = pages[doc_id]
        body_text, spans = gold_body_text(text, gold["body_lines"])
        published = dt.date.fromisoformat(gold["published"]) if gold.get("published") else None
        auto = entity_annotator.annotate_entities(body_text, published, gold.get("publisher"))
        entity_file = folder / f"{doc_id}.entities.json"
        if entity_file.exists():
            data = json.loads(entity_file.read_text(encoding="utf-8"))
            gold_entities, _, _ = project_gold({"entities": data["entities"], "events": []}, spans)
            entity_total += mention_prf(auto, gold_entities)
            rules_total += mention_prf(rules.annotate_rules(body_text, published, gold.get("publisher")), gold_entities)
            for label, prf in per_label(auto, gold_entities).items():
                labels[label] = labels.get(label, PRF(0, 0, 0)) + prf
        if "meetings" in gold:
            events = event_extractor.extract_events(body_text, auto, published, headline=gold.get("title"))
            meeting_total += meeting_prf(events, auto, gold["meetings"])
            if not gold["meetings"]:
                pages_without += 1
                pages_without_ok += not events
    if labels:
        result["entities"] = {"micro": _prf_dict(entity_total),
                              "per_label": {label: _prf_dict(prf) for label, prf in sorted(labels.items())},
                              "annotator": entity_annotator.SOURCE,
                              # the previous annotator on the same pages, for comparison
                              "rules_alone": {"annotator": rules.SOURCE, **_prf_dict(rules_total)}}
    result["meetings"] = {**_prf_dict(meeting_total), "pages_without_meeting": pages_without,
                          "pages_without_meeting_kept_empty": pages_without_ok}
    return result


def meeting_prf(events: list[dict], entities: list[dict], gold_meetings: list[dict]) -> PRF:
    """Automatic events against a page's gold meeting list (place as written, date, realis).

    A predicted event matches a gold meeting with the same date (both may be null) whose place
    names the same place in the normalised view (either contains the other; a virtual meeting has
    no place) and, when the gold meeting states its realis, the same realis (a planned summit
    reported as held is wrong); each gold meeting matches once.
    """
    by_id = {e["id"]: e for e in entities}
    remaining = list(gold_meetings)
    tp = 0
    for event in events:
        place = by_id[event["place"]]["text"] if event["place"] in by_id else None
        for meeting in remaining:
            gold_place = meeting.get("place")
            same_place = (place is None and not gold_place) or (
                place is not None and gold_place is not None
                and (normalize(place) in normalize(gold_place) or normalize(gold_place) in normalize(place)))
            same_realis = not meeting.get("realis") or event["realis"] == meeting["realis"]
            if event["date"] == meeting.get("date") and same_place and same_realis:
                remaining.remove(meeting)
                tp += 1
                break
    return PRF(tp, len(events) - tp, len(remaining))


def run(seeds: Path, gold_body: Path | None, heldout: list[Path], segment_cfg, agreement: Path | None = None) -> dict:
    """All the figures of the card that compare the pipeline with gold data, as one JSON-able dict."""
    figures: dict = {}
    if gold_body is not None and gold_body.is_dir():
        golds = load_body_gold(gold_body)
        pages = {doc_id: decode((seeds / f"{doc_id}.txt").read_bytes())[0] for doc_id in golds
                 if (seeds / f"{doc_id}.txt").exists()}
        golds = {k: v for k, v in golds.items() if k in pages}
        if golds:
            figures["body_seeds"] = _segment_scores(pages, golds, segment_cfg)
    figures["heldout"] = [r for folder in heldout if folder.is_dir() and (r := _heldout_set(folder, segment_cfg))]

    # Automatic annotators against the gold files of the seeds, on the segmenter's body text.
    auto_entities, gold_entities, auto_events, gold_events = [], [], [], []
    for ann_path in sorted(seeds.glob("*.ann.json")):
        doc_id = ann_path.name[: -len(".ann.json")]
        data_bytes = (seeds / f"{doc_id}.txt").read_bytes()
        text = decode(data_bytes)[0]
        data = load_annotations(ann_path, doc_id, hashlib.sha256(data_bytes).hexdigest(), text)
        if data["status"] != "gold":
            continue
        seg = segment(text, segment_cfg)
        body_text = "\n".join(text[s:e] for s, e in seg.body_spans)
        gold_ents, gold_evs, _ = project_gold(data, seg.body_spans)
        meta = extract_metadata(seg, text)
        published = dt.date.fromisoformat(meta.published) if meta.published else None
        auto = entity_annotator.annotate_entities(body_text, published, meta.publisher)
        auto_entities.append(auto)
        gold_entities.append(gold_ents)
        auto_events.append(event_extractor.extract_events(body_text, auto, published, headline=meta.title))
        gold_events.append([event_extractor.complete_event(e, gold_ents) for e in gold_evs])
    if gold_entities:
        micro = sum((mention_prf(a, g) for a, g in zip(auto_entities, gold_entities)), PRF(0, 0, 0))
        labels: dict[str, PRF] = {}
        for a, g in zip(auto_entities, gold_entities):
            for label, prf in per_label(a, g).items():
                labels[label] = labels.get(label, PRF(0, 0, 0)) + prf
        figures["entities_auto_vs_gold"] = {
            "documents": len(gold_entities), "micro": _prf_dict(micro),
            "per_label": {label: _prf_dict(prf) for label, prf in sorted(labels.items())},
        }
        ev = sum((event_prf(a, g) for a, g in zip(auto_events, gold_events)), PRF(0, 0, 0))
        figures["events_auto_vs_gold"] = _prf_dict(ev)

    if agreement is not None and (agreement / "pass_a").is_dir() and (agreement / "pass_b").is_dir():
        figures["entity_agreement"] = inter_annotator_agreement(agreement / "pass_a", agreement / "pass_b")
    near = links.evaluate_near_duplicates()
    figures["near_duplicates"] = {"precision": round(near.precision, 4), "recall": round(near.recall, 4),
                                  "table": near.to_markdown()}
    return figures


def inter_annotator_agreement(first_pass: Path, second_pass: Path) -> dict:
    """Entity-level F1 between two independent annotation passes of the same documents (raw_text
    offsets), as they were before adjudication."""
    total = PRF(0, 0, 0)
    labels: dict[str, PRF] = {}
    documents = 0
    for other in sorted(second_pass.glob("*.json")):
        first = first_pass / other.name
        if not first.exists():
            continue
        a = json.loads(first.read_text(encoding="utf-8"))["entities"]
        b = json.loads(other.read_text(encoding="utf-8"))["entities"]
        total += mention_prf(b, a)
        for label, prf in per_label(b, a).items():
            labels[label] = labels.get(label, PRF(0, 0, 0)) + prf
        documents += 1
    return {"documents": documents, "micro": _prf_dict(total),
            "per_label": {label: _prf_dict(prf) for label, prf in sorted(labels.items())}}


def summary_lines(figures: dict) -> list[str]:
    """The figures of :func:`run` as short lines for a terminal."""
    def prf(p: dict) -> str:
        return f"P {p['precision']:.3f} R {p['recall']:.3f} F1 {p['f1']:.3f}"

    lines = []
    sets = ([("seeds", figures["body_seeds"])] if "body_seeds" in figures else []) + \
        [(f["set"]["name"], f) for f in figures.get("heldout", [])]
    for name, f in sets:
        m, n = f["metadata_correct"], f["documents"]
        lines.append(f"{name} ({n} pages): body {prf(f['body'])}; title {m['title']}/{n}, publisher {m['publisher']}/{n}, "
                     f"date {m['published']}/{n}")
        if f.get("entities"):
            lines.append(f"  automatic entities: {prf(f['entities']['micro'])}")
        if f.get("meetings"):
            mt = f["meetings"]
            lines.append(f"  automatic meetings: {prf(mt)}; pages without a meeting given none: "
                         f"{mt['pages_without_meeting_kept_empty']}/{mt['pages_without_meeting']}")
    if "entities_auto_vs_gold" in figures:
        auto = figures["entities_auto_vs_gold"]
        lines.append(f"seeds, automatic entities against gold: {prf(auto['micro'])}")
        lines += [f"  {label:<9} {prf(p)} ({p['tp'] + p['fn']} gold)" for label, p in auto["per_label"].items()]
    if "events_auto_vs_gold" in figures:
        lines.append(f"seeds, automatic events against gold: {prf(figures['events_auto_vs_gold'])}")
    if "entity_agreement" in figures:
        lines.append(f"agreement of the two gold passes (entities): {prf(figures['entity_agreement']['micro'])}")
    if "near_duplicates" in figures:
        near = figures["near_duplicates"]
        lines.append(f"near duplicates on synthetic variants: precision {near['precision']:.3f}, recall {near['recall']:.3f}")
    return lines
