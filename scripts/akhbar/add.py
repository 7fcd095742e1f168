"""``akhbar add``: copy new pages into the seeds folder with a draft annotation file each.

``add_pages(files, AddConfig) -> AddReport``, in order:

1. **read** every new file as the build would (:func:`akhbar.read.decode`): an empty, binary,
   non-UTF-8 or oversized file is refused; invisible bidi or zero-width characters are kept and
   reported as a warning;
2. **name** each page: ``--id`` when given, else ``<NNN>_<first 16 hex digits of its sha256>``, the
   seeds' own pattern, numbered after the last seed. An id that is not safe
   (:data:`akhbar.read.ID_PATTERN`) or that clashes with a page or annotation file already there
   (also when only the case differs) is refused;
3. **duplicates**: a page whose bytes equal a seed's, or whose article body equals one (the exact key
   of :func:`akhbar.links.exact_key`), is refused, naming the seed; a near duplicate (MinHash, the
   build's own threshold) is added with a warning. The bodies come from the same segmenter, with
   line counts over the old and new pages together, as in the build;
4. **draft**: the automatic annotators (:func:`akhbar.entities.annotate_entities`,
   :func:`akhbar.events.extract_events`) run on the body; their offsets are mapped back from
   body_text to raw_text (annotation files are anchored on raw_text) and written to
   ``<id>.ann.json`` with status ``draft``, which the build ignores until a reviewer sets ``gold``;
5. **write**: only when every file passed, each page is copied byte for byte to ``<id>.txt`` and its
   draft written beside it, each through a temporary file and a rename.

A refused file stops the whole command: nothing is written, and every refusal is reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from akhbar import entities as entity_annotator
from akhbar import events as event_extractor
from akhbar import links
from akhbar.gold import SUFFIX as ANNOTATION_SUFFIX
from akhbar.gold import BodyProjection
from akhbar.metadata import extract_metadata
from akhbar.read import DEFAULT_MAX_BYTES, ID_PATTERN, InputError, decode, read_page, seed_paths
from akhbar.segment import CorpusLineCounts, SegmentConfig, segment
from akhbar.validate import annotation_findings
from akhbar.write import write_bytes_atomic

_NUMBERED = re.compile(r"^([0-9]+)_")

DRAFT_NOTE = ("Written by `akhbar add` from the automatic annotators. Review every entity and event against "
              "the guidelines (DATASET_CARD.md), fix or delete what is wrong, add what is missing, then set "
              "status to gold and run `akhbar validate --seeds seeds`.")


@dataclass(frozen=True)
class AddConfig:
    """Where pages go and the settings the build uses to read and compare them."""

    seeds: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    links: links.LinkConfig = field(default_factory=links.LinkConfig)


@dataclass(frozen=True)
class Added:
    """One page that was added."""

    id: str
    source: Path
    page: Path
    annotations: Path
    entities: int
    events: int


@dataclass
class AddReport:
    added: list[Added]
    warnings: list[str]


class AddError(Exception):
    """Files that cannot be added; ``str()`` is one line per file and reason."""

    def __init__(self, errors: list[InputError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class _NewPage:
    source: Path
    data: bytes
    raw_text: str
    sha256: str
    warnings: tuple[str, ...]
    id: str = ""


# --- 1. read --------------------------------------------------------------------------------------

def read_new_page(path: Path, max_bytes: int) -> _NewPage:
    """A file to add, read and checked as the build reads a seed; raises :class:`InputError`."""
    if not path.is_file():
        raise InputError(path, "no such file")
    data = path.read_bytes()
    raw_text, warnings = decode(data, path, max_bytes)
    return _NewPage(path, data, raw_text, hashlib.sha256(data).hexdigest(), warnings)


# --- 2. name ------------------------------------------------------------------------------------

def next_ids(existing: list[str], digests: list[str]) -> list[str]:
    """Ids in the seeds' pattern ``<NNN>_<sha256[:16]>``, numbered after the highest existing number.

    >>> next_ids(["000_aa", "004_bb"], ["0123456789abcdef0123"])
    ['005_0123456789abcdef']
    """
    numbers = [m for m in (_NUMBERED.match(i) for i in existing) if m]
    start = max((int(m.group(1)) for m in numbers), default=-1) + 1
    width = max([3] + [len(m.group(1)) for m in numbers])
    return [f"{start + n:0{width}d}_{digest[:16]}" for n, digest in enumerate(digests)]


def id_problem(doc_id: str, taken: dict[str, str]) -> str | None:
    """Why ``doc_id`` cannot be used (``taken`` maps lower-cased ids in use to their spelling), or None."""
    if not ID_PATTERN.match(doc_id):
        return f"the id {doc_id!r} is not safe: use letters, digits, _ . - (pattern {ID_PATTERN.pattern})"
    if doc_id.lower() in taken:
        other = taken[doc_id.lower()]
        same = "is already" if other == doc_id else f"clashes with {other!r} (file names differing only in case),"
        return f"the id {doc_id!r} {same} in use in the seeds folder; choose another with --id"
    return None


# --- 3. duplicates ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Body:
    body_text: str
    body_spans: list[tuple[int, int]]
    published: dt.date | None
    publisher: str | None


def _body(raw_text: str, cfg: AddConfig, counts: CorpusLineCounts) -> _Body:
    seg = segment(raw_text, cfg.segment, counts)
    meta = extract_metadata(seg, raw_text)
    return _Body("\n".join(raw_text[s:e] for s, e in seg.body_spans), list(seg.body_spans),
                 dt.date.fromisoformat(meta.published) if meta.published else None, meta.publisher)


# --- 4. draft -----------------------------------------------------------------------------------

_ANNOTATION_EVENT_FIELDS = ("id", "type", "subtype", "trigger", "date", "date_text", "realis", "place", "virtual",
                            "participants", "attendance", "role")


def draft_annotations(doc_id: str, sha256: str, body: _Body) -> tuple[dict, list[str]]:
    """The draft annotation file of one page (raw_text offsets) and warnings for what could not be mapped."""
    to_raw = BodyProjection(body.body_spans).to_raw
    entities = entity_annotator.annotate_entities(body.body_text, body.published, body.publisher)
    events = event_extractor.extract_events(body.body_text, entities, body.published)
    warnings, kept_entities, kept_events = [], [], []
    for entity in entities:
        span = to_raw(entity["start"], entity["end"])
        if span is None:
            warnings.append(f"{doc_id}: automatic entity {entity['text']!r} crosses a paragraph break; left out of the draft")
            continue
        kept_entities.append({"id": entity["id"], "start": span[0], "end": span[1], "text": entity["text"],
                              "label": entity["label"], "canonical": entity["canonical"]})
    kept = {e["id"] for e in kept_entities}
    for event in events:
        trigger = event["trigger"]
        span = to_raw(trigger["start"], trigger["end"])
        if span is None:
            warnings.append(f"{doc_id}: automatic event trigger {trigger['text']!r} crosses a paragraph break; left out of the draft")
            continue
        draft = {k: event[k] for k in _ANNOTATION_EVENT_FIELDS}
        draft["trigger"] = {"start": span[0], "end": span[1], "text": trigger["text"]}
        draft["place"] = event["place"] if event["place"] in kept else None
        draft["participants"] = [p for p in event["participants"] if p in kept]
        kept_events.append(draft)
    data = {
        "document": doc_id,
        "sha256": sha256,
        "status": "draft",
        "annotators": [entity_annotator.SOURCE, event_extractor.SOURCE],
        "notes": DRAFT_NOTE,
        "entities": kept_entities,
        "events": kept_events,
    }
    return data, warnings


# --- 5. write -------------------------------------------------------------------------------------

def annotation_bytes(data: dict) -> bytes:
    """An annotation file as the seeds hold them: UTF-8 JSON, one-space indent, final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --- the command ----------------------------------------------------------------------------------

def add_pages(files: list[Path], cfg: AddConfig, page_id: str | None = None) -> AddReport:
    """Add ``files`` to ``cfg.seeds`` (module docstring: the steps); raise :class:`AddError` if any is refused."""
    if not cfg.seeds.is_dir():
        raise AddError([InputError(cfg.seeds, "no such folder")])
    if page_id is not None and len(files) != 1:
        raise AddError([InputError(page_id, "--id names one page: give exactly one FILE with it")])
    errors: list[InputError] = []
    warnings: list[str] = []

    # 1. read
    new: list[_NewPage] = []
    for path in files:
        try:
            page = read_new_page(path, cfg.max_bytes)
        except InputError as err:
            errors.append(err)
            continue
        warnings += [f"{path}: {w}" for w in page.warnings]
        new.append(page)

    # the seeds already there: ids in use, bytes, line counts
    existing_paths = seed_paths(cfg.seeds) if any(cfg.seeds.glob("*.txt")) else []
    taken = {p.name[: -len(".txt")].lower(): p.name[: -len(".txt")] for p in existing_paths}
    for ann in cfg.seeds.glob(f"*{ANNOTATION_SUFFIX}"):
        doc_id = ann.name[: -len(ANNOTATION_SUFFIX)]
        taken.setdefault(doc_id.lower(), doc_id)
    counts = CorpusLineCounts(cfg.segment.corpus_repeat_max_words)
    by_sha: dict[str, str] = {}
    old_pages = []
    for path in existing_paths:
        try:
            old = read_page(path, cfg.max_bytes)
        except InputError as err:
            warnings.append(f"{err} (a page already in the seeds folder; the build will refuse it)")
            continue
        counts.add_document(old.raw_text)
        by_sha.setdefault(old.sha256, old.id)
        old_pages.append(path)

    # 2. name, and duplicates by bytes
    ids = [page_id] if page_id is not None else next_ids(list(taken.values()), [p.sha256 for p in new])
    named: list[_NewPage] = []
    for page, doc_id in zip(new, ids):
        page.id = doc_id
        if page.sha256 in by_sha:
            errors.append(InputError(page.source, f"is an exact duplicate of {by_sha[page.sha256]} already in "
                                                  f"{cfg.seeds} (the same bytes); nothing to add"))
            continue
        problem = id_problem(doc_id, taken)
        if problem:
            errors.append(InputError(page.source, problem))
            continue
        taken[doc_id.lower()] = doc_id
        by_sha[page.sha256] = doc_id
        named.append(page)
        counts.add_document(page.raw_text)
    if errors:
        raise AddError(errors)

    # 3. duplicates by body: exact key and MinHash over the old and new bodies
    items, bodies = [], {}
    for path in old_pages:
        old = read_page(path, cfg.max_bytes)
        body = _body(old.raw_text, cfg, counts).body_text
        if body.strip():
            items.append((old.id, links.exact_key(body), links.signature(body, cfg.links)))
    for page in named:
        bodies[page.id] = _body(page.raw_text, cfg, counts)
        body = bodies[page.id].body_text
        if body.strip():
            items.append((page.id, links.exact_key(body), links.signature(body, cfg.links)))
        else:
            warnings.append(f"{page.source}: the segmenter found no article body in it; check that it is a news page")
    new_ids = {page.id: page for page in named}
    refused: set[str] = set()
    for link in links.find_links(items, cfg.links):
        if link.source not in new_ids and link.target not in new_ids:
            continue
        # the original is the page already there, or the earlier of two new ones (the smaller id)
        page_side, other = (link.target, link.source) if link.target in new_ids else (link.source, link.target)
        page = new_ids[page_side]
        if link.relation == links.EXACT_DUPLICATE and page_side not in refused:
            refused.add(page_side)
            errors.append(InputError(page.source, f"is an exact duplicate of {other}: the same article body "
                                                  "(ignoring white space, diacritics and tatweel); nothing to add"))
        elif link.relation == links.NEAR_DUPLICATE:
            warnings.append(f"{page.source}: a near duplicate of {other} (estimated Jaccard {link.score:.2f}); "
                            f"added as {page.id}, keep it only if it is a different article")
    if errors:
        raise AddError(errors)

    # 4. drafts, checked as `akhbar validate --seeds` will check them
    drafts = {}
    for page in named:
        data, draft_warnings = draft_annotations(page.id, page.sha256, bodies[page.id])
        problems = list(annotation_findings(data, page.id, page.sha256, page.raw_text))
        if problems:  # a bug of the annotators or of the offset mapping, not of the contributor's file
            raise RuntimeError(f"the draft annotations of {page.source} are invalid: {problems[0]}")
        warnings += draft_warnings
        drafts[page.id] = data

    # 5. write
    added = []
    for page in named:
        target = cfg.seeds / f"{page.id}.txt"
        ann = cfg.seeds / f"{page.id}{ANNOTATION_SUFFIX}"
        write_bytes_atomic(target, page.data)
        write_bytes_atomic(ann, annotation_bytes(drafts[page.id]))
        added.append(Added(page.id, page.source, target, ann, len(drafts[page.id]["entities"]),
                           len(drafts[page.id]["events"])))
    return AddReport(added, warnings)
