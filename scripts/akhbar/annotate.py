"""The record the build would make for a page, made in memory: nothing is written.

::

    annotate_pages([page.txt, ...]) → record, record, …   `akhbar annotate PAGE…`
    annotate_text("…raw page text…") → record             one text, from Python

Each record is what :func:`akhbar.pipeline.annotate_page` makes in the build (the same segmenter,
annotators and schema check), with two differences the build's corpus-wide steps make: the lines
repeated across pages are counted over the pages given here only (``annotate_text``: none), and
there is no link step, so ``dedup_cluster`` is the page's own id.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator, Sequence

from akhbar.gold import annotation_path, load_annotations
from akhbar.pipeline import BuildConfig, annotate_page
from akhbar.read import DEFAULT_MAX_BYTES, ID_PATTERN, InputError, Page, decode, read_page
from akhbar.segment import CorpusLineCounts


def page_from_text(raw_text: str, doc_id: str = "text") -> Page:
    """A page of the given text (its UTF-8 bytes are the 'file'), id ``doc_id``."""
    if not ID_PATTERN.match(doc_id):
        raise InputError(doc_id, f"the id {doc_id!r} is not safe: use letters, digits, _ . - (pattern {ID_PATTERN.pattern})")
    data = raw_text.encode("utf-8")
    text, warnings = decode(data, doc_id, max(len(data), 1))
    return Page(id=doc_id, source_file=f"{doc_id}.txt", sha256=hashlib.sha256(data).hexdigest(), raw_text=text,
                warnings=warnings)


def _read(path: Path, max_bytes: int) -> Page:
    """A page file: ``<id>.txt`` as in a seeds folder, or any other name (its id: the name without
    its last suffix)."""
    if path.name.endswith(".txt"):
        return read_page(path, max_bytes)
    if not ID_PATTERN.match(path.stem):
        raise InputError(path, f"the id {path.stem!r} is not safe: use letters, digits, _ . - (pattern {ID_PATTERN.pattern})")
    data = path.read_bytes()
    raw_text, warnings = decode(data, path, max_bytes)
    return Page(id=path.stem, source_file=f"{path.stem}.txt", sha256=hashlib.sha256(data).hexdigest(),
                raw_text=raw_text, warnings=warnings)


def _counts(pages: Sequence[Page], cfg: BuildConfig) -> CorpusLineCounts:
    counts = CorpusLineCounts(cfg.segment.corpus_repeat_max_words)
    for page in pages:
        counts.add_hashes(counts.line_hashes(page.raw_text))
    counts.prune(cfg.segment)
    return counts


def annotate_pages(paths: Sequence[Path], max_bytes: int = DEFAULT_MAX_BYTES,
                   cfg: BuildConfig | None = None) -> Iterator[dict]:
    """The record of each page in ``paths``, in order. A gold annotation file beside a page
    (``<id>.ann.json``) is used as the build uses it. Raises :class:`InputError` for a page or an
    annotation file the build would refuse, :class:`akhbar.pipeline.RecordError` for a record
    that breaks the schema."""
    cfg = cfg or BuildConfig(seeds=Path("."), out=Path("."), max_bytes=max_bytes, progress=False)
    pages = [_read(path, max_bytes) for path in paths]
    counts = _counts(pages, cfg)
    for path, page in zip(paths, pages):
        annotations = None
        if path.name.endswith(".txt") and annotation_path(path).exists():
            annotations = load_annotations(annotation_path(path), page.id, page.sha256, page.raw_text)
        yield annotate_page(page, counts, cfg, annotations).record


def annotate_text(raw_text: str, doc_id: str = "text", cfg: BuildConfig | None = None) -> dict:
    """The record of one page given as text (no lines of other pages to compare with).

    >>> record = annotate_text(open("seeds/000_fbc571900ffe66a1.txt", encoding="utf-8").read())
    >>> record["title"], [(e["label"], e["text"]) for e in record["entities"]][:2]
    """
    cfg = cfg or BuildConfig(seeds=Path("."), out=Path("."), progress=False)
    page = page_from_text(raw_text, doc_id)
    return annotate_page(page, _counts([page], cfg), cfg).record


def summary_lines(record: dict) -> list[str]:
    """A short human reading of one record: metadata, body size, entities, events, warnings."""
    entities = {e["id"]: e for e in record["entities"]}
    lines = [f"== {record['id']} ({record['source_file']})",
             f"title: {record['title'] or '—'}",
             f"publisher: {record['publisher'] or '—'} | published: {record['published'] or '—'}",
             f"body: {len(record['body_spans'])} paragraph(s), {len(record['body_text'])} characters; "
             f"boilerplate: {len(record['boilerplate'])} span(s)",
             f"entities ({len(record['entities'])}): " + " · ".join(f"{e['label']} {e['text']}" for e in record["entities"])]
    for event in record["events"]:
        place = entities[event["place"]]["text"] if event["place"] in entities else "—"
        who = ", ".join(entities[p]["text"] for p in event["participants"] if p in entities) or "—"
        lines.append(f"event {event['id']} {event['subtype']} «{event['trigger']['text']}» date {event['date'] or '—'} "
                     f"place {place} participants {who}")
    lines += [f"warning: {w}" for w in record["warnings"]]
    return lines
