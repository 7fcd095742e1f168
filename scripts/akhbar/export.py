"""Write the records' entities in the formats annotation tools and NER trainers read.

::

    export_records(records, "conll", out)        → out/ner.conll, ner.documents.txt    token<TAB>BIO tag
    export_records(records, "brat", out)         → out/<id>.txt, .ann, .akhbar.json, annotation.conf
    export_records(records, "labelstudio", out)  → out/tasks.json, labeling_config.xml
    export_records(records, "spacy", out)        → out/ner.spacy          a spaCy DocBin (pip install "akhbar[spacy]")

Records come from a built dataset (:func:`dataset_records`) or are made from a seeds folder
(:func:`seed_records`, the build's per-page steps). Tools are shown ``body_text``, offsets into it;
brat and Label Studio carry, beside the text, what :mod:`akhbar.importer` needs to turn corrected
annotations back into ``seeds/<id>.ann.json``: the page's sha256, its body spans (to map body
offsets back to raw_text), each entity's canonical name and the events, which travel unchanged
(the tools edit entities: spans, labels and canonical names; not events).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterable, Iterator

from akhbar.gold import GOLD, BodyProjection
from akhbar.ner_config import body_tokens, entity_labels, ner_rows, tag_names
from akhbar.schema import ANNOTATIONS_SCHEMA, load_schema
from akhbar.write import iter_rows, move_files, staging_dir

FORMATS = ("conll", "brat", "labelstudio", "spacy")
#: The Label Studio control names of the exported labeling config.
LS_LABELS, LS_TEXT, LS_STATUS = "label", "text", "status"
#: Fields of an event as annotation files hold them, in the schema's order.
ANNOTATION_EVENT_FIELDS = tuple(load_schema(ANNOTATIONS_SCHEMA)["properties"]["events"]["items"]["properties"])


class ExportError(Exception):
    """An export that cannot be made (a missing optional package, an unusable output folder)."""


def dataset_records(root: Path) -> Iterator[dict]:
    """The documents of a built dataset folder, in order."""
    if not (root / "data" / "documents").is_dir():
        raise ExportError(f"{root}: not a built dataset (no data/documents/); run `akhbar build` or use --seeds")
    yield from iter_rows(root, "documents")


def seed_records(seeds: Path) -> Iterator[dict]:
    """The records the build's per-page steps make from a seeds folder (no link step)."""
    from akhbar.annotate import annotate_pages
    from akhbar.read import seed_paths

    yield from annotate_pages(seed_paths(seeds))


def status_of(record: dict) -> str:
    """gold when the record's annotations come from a curated file, else draft."""
    return GOLD if any(e["source"] == GOLD for e in record["entities"] + record["events"]) else "draft"


def sidecar(record: dict) -> dict:
    """What the importer needs besides the tool's entities: the page's identity, its body spans,
    canonical names, and the events in annotation-file form (offsets into raw_text)."""
    to_raw = BodyProjection([(s["start"], s["end"]) for s in record["body_spans"]]).to_raw
    events = []
    for event in record["events"]:
        out = {k: event[k] for k in ANNOTATION_EVENT_FIELDS}
        raw = to_raw(event["trigger"]["start"], event["trigger"]["end"])
        if raw is None:
            raise ExportError(f"{record['id']}: event {event['id']}: its trigger {event['trigger']['text']!r} crosses a "
                              "paragraph break, so it has no place in an annotation file")
        out["trigger"] = {"start": raw[0], "end": raw[1], "text": event["trigger"]["text"]}
        if event["date_basis"] == "duplicate":  # dated by the link step, not by the annotation
            out["date"] = None
        events.append(out)
    return {
        "document": record["id"],
        "sha256": record["sha256"],
        "status": status_of(record),
        "body_spans": [[s["start"], s["end"]] for s in record["body_spans"]],
        "canonical": {e["id"]: e["canonical"] for e in record["entities"]},
        "entity_text": {e["id"]: e["text"] for e in record["entities"]},
        "events": events,
    }


# --- conll ---------------------------------------------------------------------------------------

def write_conll(records: Iterable[dict], out: Path) -> list[Path]:
    """``ner.conll``: ``-DOCSTART-`` per document, one ``token<TAB>tag`` line per token, a blank
    line after each sentence (the two-column CoNLL-2003 layout); ``ner.documents.txt``: the
    document ids in the same order, one a line (CoNLL has no place for them)."""
    names = tag_names()
    paths = [out / "ner.conll", out / "ner.documents.txt"]
    with open(paths[0], "w", encoding="utf-8") as f, open(paths[1], "w", encoding="utf-8") as ids:
        for record in records:
            f.write("-DOCSTART-\tO\n\n")
            ids.write(record["id"] + "\n")
            for row in ner_rows(record):
                f.writelines(f"{token}\t{names[tag]}\n" for token, tag in zip(row["tokens"], row["ner_tags"]))
                f.write("\n")
    return paths


# --- brat ----------------------------------------------------------------------------------------

def brat_ann(record: dict) -> str:
    """The brat standoff lines of one record: ``T<n>\\tLABEL start end\\ttext`` per entity and
    an ``AnnotatorNotes`` line with its canonical name."""
    lines = []
    for n, entity in enumerate(record["entities"], 1):
        lines.append(f"{entity['id']}\t{entity['label']} {entity['start']} {entity['end']}\t{entity['text']}")
        lines.append(f"#{n}\tAnnotatorNotes {entity['id']}\t{entity['canonical']}")
    return "".join(line + "\n" for line in lines)


def write_brat(records: Iterable[dict], out: Path) -> list[Path]:
    """``<id>.txt`` (body_text), ``<id>.ann``, ``<id>.akhbar.json`` per record, and the
    ``annotation.conf`` listing the entity labels."""
    written = [out / "annotation.conf"]
    conf = "[entities]\n" + "".join(f"{label}\n" for label in entity_labels()) + "\n[relations]\n\n[events]\n\n[attributes]\n"
    written[0].write_text(conf, encoding="utf-8")
    for record in records:
        base = out / record["id"]
        for suffix, text in ((".txt", record["body_text"]), (".ann", brat_ann(record)),
                             (".akhbar.json", json.dumps(sidecar(record), ensure_ascii=False, indent=1) + "\n")):
            path = base.with_name(base.name + suffix)
            with open(path, "w", encoding="utf-8", newline="") as f:  # brat offsets count "\n" as one character
                f.write(text)
            written.append(path)
    return written


# --- Label Studio --------------------------------------------------------------------------------

def labeling_config() -> str:
    """The Label Studio labeling config the tasks are made for."""
    labels = "".join(f'    <Label value="{label}"/>\n' for label in entity_labels())
    return (f'<View style="direction: rtl">\n  <Labels name="{LS_LABELS}" toName="{LS_TEXT}">\n{labels}  </Labels>\n'
            f'  <Text name="{LS_TEXT}" value="$text" granularity="symbol"/>\n'
            f'  <Choices name="{LS_STATUS}" toName="{LS_TEXT}" choice="single" showInline="true">\n'
            f'    <Choice value="gold"/>\n    <Choice value="draft"/>\n  </Choices>\n</View>\n')


def ls_result(record: dict) -> list[dict]:
    """The entities of a record as Label Studio ``labels`` results, canonical names in ``meta``."""
    return [{"id": e["id"], "from_name": LS_LABELS, "to_name": LS_TEXT, "type": "labels",
             "value": {"start": e["start"], "end": e["end"], "text": e["text"], "labels": [e["label"]]},
             "meta": {"text": [e["canonical"]]}} for e in record["entities"]]


def ls_task(record: dict) -> dict:
    """One Label Studio task: curated annotations as a (reviewed) annotation, automatic ones as a prediction."""
    status = status_of(record)
    task = {"data": {"text": record["body_text"], "document": record["id"], "akhbar": sidecar(record)}}
    result = ls_result(record)
    if status == GOLD:
        choice = {"id": "status", "from_name": LS_STATUS, "to_name": LS_TEXT, "type": "choices", "value": {"choices": [GOLD]}}
        task["annotations"] = [{"result": result + [choice]}]
    else:
        task["predictions"] = [{"model_version": "akhbar", "result": result}]
    return task


def write_labelstudio(records: Iterable[dict], out: Path) -> list[Path]:
    """``tasks.json`` (import it into a project made with ``labeling_config.xml``)."""
    tasks = [ls_task(record) for record in records]
    paths = [out / "tasks.json", out / "labeling_config.xml"]
    paths[0].write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    paths[1].write_text(labeling_config(), encoding="utf-8")
    return paths


# --- spaCy ---------------------------------------------------------------------------------------

def spacy_doc(record: dict, vocab):
    """A spaCy ``Doc`` of ``body_text`` (its text equal to it, white space kept as tokens), with
    the entities as ``doc.ents``, the sentences as sentence starts, the id in ``user_data``."""
    from spacy.tokens import Doc

    body = record["body_text"]
    groups = body_tokens(body, record["entities"])
    words, spaces, starts = [], [], []
    position = 0
    for group in groups:
        for n, (start, end) in enumerate(group):
            gap = body[position:start]
            if gap:  # white space before this token that no trailing space took
                words.append(gap)
                spaces.append(False)
                starts.append(None)
            words.append(body[start:end])
            starts.append(n == 0)
            trailing = body[end:end + 1] == " "
            spaces.append(trailing)
            position = end + trailing
    if position < len(body):
        words.append(body[position:])
        spaces.append(False)
        starts.append(None)
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != body:
        raise ExportError(f"{record['id']}: the spaCy tokens do not give back body_text")
    for token, start in zip(doc[1:], starts[1:]):  # the first token always starts a sentence
        token.is_sent_start = bool(start)
    doc.ents = [doc.char_span(e["start"], e["end"], label=e["label"], alignment_mode="strict") for e in record["entities"]]
    doc.user_data["document_id"] = record["id"]
    return doc


def write_spacy(records: Iterable[dict], out: Path) -> list[Path]:
    """``ner.spacy``: a DocBin of one Doc per document, for ``spacy train`` (its ``--paths.train``)."""
    try:
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab
    except ImportError:
        raise ExportError('the spacy format needs spaCy: pip install "akhbar[spacy]"') from None
    vocab = Vocab()
    docs = DocBin(store_user_data=True)
    for record in records:
        docs.add(spacy_doc(record, vocab))
    path = out / "ner.spacy"
    docs.to_disk(path)
    return [path]


WRITERS: dict[str, Callable[[Iterable[dict], Path], list[Path]]] = {
    "conll": write_conll, "brat": write_brat, "labelstudio": write_labelstudio, "spacy": write_spacy}


def export_records(records: Iterable[dict], fmt: str, out: Path) -> list[Path]:
    """Write ``records`` in format ``fmt`` into the folder ``out`` (made if missing); return the files."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: the output path is a file, not a folder")
    with staging_dir(out) as staged:  # a failed export leaves ``out`` as it was
        return move_files(WRITERS[fmt](records, staged), staged, out)
