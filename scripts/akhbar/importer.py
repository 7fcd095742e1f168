"""Turn entities corrected in brat or Label Studio back into ``seeds/<id>.ann.json``.

::

    read_brat(<id>.ann)            → ToolDocument     with <id>.txt and <id>.akhbar.json beside it
    read_labelstudio(export.json)  → ToolDocument, …  one per annotated task (JSON export)
    annotation_data(doc, seeds)    → the annotation file, offsets mapped from body_text to raw_text
    import_files(files, fmt, seeds) → written paths; nothing is written unless every file is clean

What the tools edit: entity spans, labels and canonical names (brat ``AnnotatorNotes``, Label
Studio region ``meta``). What travels unchanged in the export's sidecar (:func:`akhbar.export.sidecar`):
the page's sha256 and body spans, and the events. An entity the export knew keeps its id; a new
one gets the next free ``T`` id. Entities and events of the existing file that lie outside the
body (never shown to the tool) are kept. The status is ``--status`` when given, else the one the
reviewer chose in Label Studio, else the exported one.

A span that does not fit the text (outside it, text differing from its slice, across a paragraph
break, an unknown label) refuses the import with the file, the document and the span named.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from akhbar.add import annotation_bytes
from akhbar.gold import SUFFIX, BodyProjection
from akhbar.ner_config import entity_labels
from akhbar.read import DEFAULT_MAX_BYTES, InputError, read_page
from akhbar.validate import annotation_findings
from akhbar.write import write_bytes_atomic

FORMATS = ("labelstudio", "brat")
STATUSES = ("gold", "draft")
_ENTITY_ID = re.compile(r"^T([0-9]+)$")


class ImportFailed(Exception):
    """Files that cannot be imported; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ToolDocument:
    """One document as an annotation tool gives it back: the text it showed and the entities."""

    source: Path
    meta: dict  # the export's sidecar (akhbar.export.sidecar)
    text: str
    entities: list[dict] = field(default_factory=list)  # id, start, end, text, label, canonical (or None)
    status: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return str(self.meta.get("document"))

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.source}: document {self.doc_id}: {message}")


def _span_name(entity: dict) -> str:
    return f"entity {entity['id']} [{entity['start']}, {entity['end']}) {entity['text']!r}"


# --- reading the tools' files ----------------------------------------------------------------------

def read_brat(path: Path) -> ToolDocument:
    """A brat ``<id>.ann`` with its ``<id>.txt`` and ``<id>.akhbar.json`` beside it."""
    base = path.with_suffix("")
    meta_path = base.with_name(base.name + ".akhbar.json")
    text_path = base.with_name(base.name + ".txt")
    for needed in (meta_path, text_path):
        if not needed.is_file():
            raise ImportFailed([f"{path}: {needed.name} is missing beside it (export with `akhbar export --format brat`)"])
    doc = ToolDocument(path, json.loads(meta_path.read_text(encoding="utf-8")),
                       text_path.read_bytes().decode("utf-8"))
    notes = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if line.startswith("T") and len(parts) == 3:
            label, _, offsets = parts[1].partition(" ")
            if ";" in offsets:
                doc.problem(f"line {n}: entity {parts[0]} is discontinuous ({offsets}); an entity is one span")
                continue
            try:
                start, end = (int(x) for x in offsets.split())
            except ValueError:
                doc.problem(f"line {n}: {parts[1]!r} is not 'LABEL start end'")
                continue
            doc.entities.append({"id": parts[0], "start": start, "end": end, "text": parts[2], "label": label, "canonical": None})
        elif line.startswith("#") and len(parts) == 3 and parts[1].startswith("AnnotatorNotes "):
            notes[parts[1].split(" ", 1)[1]] = parts[2]
        else:
            doc.problem(f"line {n}: only entities (T) and their AnnotatorNotes are imported; events travel in "
                        f"{meta_path.name}: {line[:60]!r}")
    for entity in doc.entities:
        entity["canonical"] = notes.get(entity["id"]) or None
    return doc


def _from_utf16(text: str, offset: int) -> int | None:
    """The string index of a UTF-16 code-unit ``offset`` into ``text`` (None when it splits a
    character): what JavaScript counts, where a character outside the BMP (an emoji) is two."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index if units == offset else None
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text) if units == offset else None


def _code_points(doc: ToolDocument, entity: dict) -> dict:
    """``entity`` with offsets in code points. Label Studio versions differ: some count UTF-16 code
    units, which differ after a character outside the BMP; the offsets are read as UTF-16 only
    when they do not fit the region's text as code points and do as UTF-16."""
    start, end = entity["start"], entity["end"]
    if not (isinstance(start, int) and isinstance(end, int)) or doc.text[start:end] == entity["text"] \
            or all(ord(c) <= 0xFFFF for c in doc.text):
        return entity
    start16, end16 = _from_utf16(doc.text, start), _from_utf16(doc.text, end)
    if start16 is not None and end16 is not None and doc.text[start16:end16] == entity["text"]:
        return {**entity, "start": start16, "end": end16}
    return entity


def _latest_annotation(task: dict) -> dict | None:
    annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
    return annotations[-1] if annotations else None


def read_labelstudio(path: Path) -> Iterator[ToolDocument]:
    """The annotated tasks of a Label Studio JSON export (tasks made by ``akhbar export``); tasks
    nobody annotated are skipped."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ImportFailed([f"{path}: not a JSON file: {err}"]) from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    for n, task in enumerate(tasks):
        data = task.get("data", {}) if isinstance(task, dict) else {}
        if "akhbar" not in data or "text" not in data:
            raise ImportFailed([f"{path}: task {n} has no data.text and data.akhbar (export with `akhbar export --format labelstudio`)"])
        annotation = _latest_annotation(task)
        if annotation is None:
            continue
        doc = ToolDocument(path, data["akhbar"], data["text"])
        for result in annotation.get("result", []):
            value = result.get("value", {})
            if result.get("type") == "choices" and result.get("from_name") == "status":
                doc.status = (value.get("choices") or [None])[0]
            elif result.get("type") == "labels":
                labels = value.get("labels") or []
                if len(labels) != 1:
                    doc.problem(f"region {result.get('id')} has {len(labels)} labels; an entity has one")
                    continue
                canonical = (result.get("meta") or {}).get("text") or [None]
                doc.entities.append(_code_points(doc, {
                    "id": str(result.get("id")), "start": value.get("start"), "end": value.get("end"),
                    "text": value.get("text"), "label": labels[0], "canonical": canonical[0] or None}))
        yield doc


# --- back to an annotation file -----------------------------------------------------------------

def _existing(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}  # replaced: the import is the reviewed version


def _next_ids(taken: set[str]) -> Iterator[str]:
    n = max((int(m.group(1)) for i in taken if (m := _ENTITY_ID.match(i))), default=0)
    while True:
        n += 1
        yield f"T{n}"


def annotation_data(doc: ToolDocument, seeds: Path, status: str | None = None,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Path, dict] | None:
    """The annotation file ``doc`` gives, and where it goes; ``None`` after recording problems."""
    meta = doc.meta
    page_path = seeds / f"{doc.doc_id}.txt"
    try:
        page = read_page(page_path, max_bytes)
    except (InputError, OSError) as err:
        doc.problem(f"its page cannot be read: {err}")
        return None
    if page.sha256 != meta.get("sha256"):
        doc.problem(f"{page_path} has changed since the export (sha256 {page.sha256[:12]}…, exported "
                    f"{str(meta.get('sha256'))[:12]}…); export it again")
        return None
    spans = [tuple(s) for s in meta["body_spans"]]
    if doc.text != "\n".join(page.raw_text[s:e] for s, e in spans):
        doc.problem("the text the tool holds is not the page's body text; annotate the exported text unchanged")
        return None
    to_raw = BodyProjection(spans).to_raw
    labels = set(entity_labels())
    known = set(meta.get("canonical", {}))
    ann_path = page_path.with_name(f"{doc.doc_id}{SUFFIX}")
    existing = _existing(ann_path)
    inside = BodyProjection(spans)
    kept = [e for e in existing.get("entities", []) if inside(e["start"], e["end"]) is None]  # never shown to the tool
    fresh = _next_ids(known | {e["id"] for e in kept} | {e["id"] for e in doc.entities})
    entities = list(kept)
    for entity in doc.entities:
        start, end = entity["start"], entity["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(doc.text)):
            doc.problem(f"{_span_name(entity)} is not a span inside the text (length {len(doc.text)})")
            continue
        if doc.text[start:end] != entity["text"]:
            doc.problem(f"{_span_name(entity)} is misaligned: the text there is {doc.text[start:end]!r}")
            continue
        if entity["label"] not in labels:
            doc.problem(f"{_span_name(entity)} has the label {entity['label']!r}; use one of {', '.join(sorted(labels))}")
            continue
        raw = to_raw(start, end)
        if raw is None:
            doc.problem(f"{_span_name(entity)} crosses a paragraph break; an entity lies inside one paragraph")
            continue
        known_id = entity["id"] in known
        canonical = entity["canonical"]
        if not canonical and known_id and meta.get("entity_text", {}).get(entity["id"]) == entity["text"]:
            canonical = meta["canonical"][entity["id"]]
        entities.append({"id": entity["id"] if known_id else next(fresh), "start": raw[0], "end": raw[1],
                         "text": entity["text"], "label": entity["label"], "canonical": canonical or entity["text"]})
    entities.sort(key=lambda e: (e["start"], e["end"]))
    shown = {tuple(e["trigger"][k] for k in ("start", "end")) for e in meta.get("events", [])}
    events = list(meta.get("events", [])) + [
        e for e in existing.get("events", [])
        if inside(e["trigger"]["start"], e["trigger"]["end"]) is None and (e["trigger"]["start"], e["trigger"]["end"]) not in shown]
    chosen = status or doc.status or meta.get("status")
    if chosen not in STATUSES:
        doc.problem(f"status {chosen!r} is not one of {', '.join(STATUSES)}")
        return None
    data = {"document": doc.doc_id, "sha256": page.sha256, "status": chosen}
    for key in ("annotators", "notes"):
        if key in existing:
            data[key] = existing[key]
    data["entities"], data["events"] = entities, events
    for finding in annotation_findings(data, doc.doc_id, page.sha256, page.raw_text):
        doc.problem(f"{finding.json_path}: {finding.message}")
    return (ann_path, data) if not doc.problems else None


def read_documents(files: list[Path], fmt: str) -> list[ToolDocument]:
    """Every document the files hold; raises :class:`ImportFailed` for a file that cannot be read."""
    if fmt not in FORMATS:
        raise ImportFailed([f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}"])
    docs: list[ToolDocument] = []
    for path in files:
        if not path.is_file():
            raise ImportFailed([f"{path}: no such file"])
        docs += [read_brat(path)] if fmt == "brat" else list(read_labelstudio(path))
    return docs


def import_files(files: list[Path], fmt: str, seeds: Path, status: str | None = None) -> list[Path]:
    """Write the annotation file of every document in ``files``; every problem of every file is
    collected first, and then nothing is written."""
    docs = read_documents(files, fmt)
    problems, outputs = [], {}
    for doc in docs:
        result = annotation_data(doc, seeds, status) if not doc.problems else None
        problems += doc.problems
        if result is not None:
            path, data = result
            if path in outputs:
                problems.append(f"{doc.source}: document {doc.doc_id}: given twice among the files")
            outputs[path] = data
    if problems:
        raise ImportFailed(problems)
    for path, data in outputs.items():
        write_bytes_atomic(path, annotation_bytes(data))
    return list(outputs)
