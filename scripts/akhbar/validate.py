"""Check a built dataset, or a seeds folder, for everything a record can get wrong.

::

    validate_dataset(dataset/)  → Problem, Problem, …     the release: records, configs, links, card, files
    validate_seeds(seeds/)      → Problem, Problem, …     the inputs: pages and annotation files

Errors are records (STYLE 5). Each check is a small generator in the manner of jsonschema's keyword
functions: it is given one thing (a record, a link row, the card's YAML, an annotation file) and
yields :class:`Finding`\\ s, a JSON path and a message; the walk that called it adds the document
id and makes a :class:`Problem`. Every problem is yielded, not only the first, and a check that a
malformed value would crash is skipped for that record: the schema problem already says why.

What a record of ``documents`` is checked for, beyond ``schema/document.schema.json`` (which
already fixes the types, the closed label sets and the id pattern :data:`akhbar.read.ID_PATTERN`):

- ``id`` unique in the dataset, in id order, and ``source_file`` is ``<id>.txt``;
- ``sha256`` is the hash of the page the ``raw_text`` was read from (see :func:`check_sha256`);
- every span inside its text with ``start < end``; ``body_spans`` and ``boilerplate`` sorted; body,
  headline, byline and boilerplate spans do not overlap;
- the ``text`` of every entity and trigger equals its slice of ``body_text``, entities are sorted,
  ``title`` is the headline's text, ``published_text`` occurs in ``raw_text``;
- ``body_text`` is the body spans joined by ``\\n``;
- entity and event ids are unique in the document, every id an event refers to exists, a place is
  a GPE, LOC or FAC, and ``event_key`` is what the event's date and place give;
- ``dedup_cluster`` is an existing id no greater than the document's own.

Then the flat ``entities`` and ``events`` configs hold exactly the documents' mentions, in order, and
the ``ner`` config exactly the sentences, tokens and tags their body and entities give;
every link joins two existing, different documents, ``source < target``, with a known relation, and
no pair is listed twice for one relation; the card's YAML passes ``schema/card.schema.json`` and
agrees with the data (configs, features, split sizes); and, in a release, ``checksums.sha256``,
``croissant.json`` and ``release.json`` agree with the files.

Streaming: rows are read one Parquet row group at a time. The walk keeps the set of document ids
and one 16-byte digest per link (to find repeated pairs), nothing per mention, so memory grows
with the number of documents and links, never with their text.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from datasets import Features

from akhbar import events as event_extractor
from akhbar.card import CONFIG_ORDER
from akhbar.gold import SUFFIX as ANNOTATION_SUFFIX
from akhbar.links import RELATIONS
from akhbar.ner_config import ner_features, ner_rows
from akhbar.read import DEFAULT_MAX_BYTES, InputError, read_page
from akhbar.schema import (ANNOTATIONS_SCHEMA, DOCUMENT_SCHEMA, LINK_FEATURES, document_features, row_features,
                           schema_problems)
from akhbar.write import SPLIT

ERROR = "error"
WARNING = "warning"
CARD_SCHEMA = "card.schema.json"
CARD = "README.md"
CHECKSUMS = "checksums.sha256"
CROISSANT = "croissant.json"
RELEASE = "release.json"
#: A place of a meeting is one of these entity labels (``$defs/event/place``).
PLACE_LABELS = ("GPE", "LOC", "FAC")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Finding:
    """What one check found: where (``$.entities[3].text``) and what is wrong."""

    json_path: str
    message: str


@dataclass(frozen=True)
class Problem:
    """One problem of a dataset or seeds folder: ``<document id>: <field path>: <what is wrong>``.

    ``doc_id`` is the document id, or the file the problem is in when it belongs to no document
    (``README.md``, ``checksums.sha256``, a seed file name).
    """

    doc_id: str
    json_path: str
    message: str
    level: str = ERROR

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.json_path}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that make validation fail (warnings excluded)."""
    return [p for p in problems if p.level == ERROR]


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


# --- checks of one record -----------------------------------------------------------------------

def check_id(record: dict) -> Iterator[Finding]:
    """The id names the seed file. (That it is safe, :data:`akhbar.read.ID_PATTERN`, is the schema's
    ``pattern``; that it is unique, the walk's.)"""
    if record["source_file"] != f"{record['id']}.txt":
        yield Finding("$.source_file", f"{_short(record['source_file'])} is not the id's file name {record['id']}.txt")


def raw_text_candidates(raw_text: str) -> Iterator[bytes]:
    """The byte strings a page could have been before decoding: raw_text as UTF-8, with LF, CRLF or
    CR line ends, each with and without a BOM (:func:`akhbar.read.decode` removed both)."""
    for newline in ("\n", "\r\n", "\r"):
        data = raw_text.replace("\n", newline).encode("utf-8")
        yield data
        yield b"\xef\xbb\xbf" + data


def check_sha256(record: dict) -> Iterator[Finding]:
    """``sha256`` is the hash of the page raw_text was read from.

    Decoding removed a BOM and turned CRLF and CR into LF, so the hash is compared with the six
    byte strings raw_text could have come from (:func:`raw_text_candidates`); a page that mixed
    line ends cannot be rebuilt from raw_text and is reported too: check it against its seed file
    with ``akhbar validate --seeds``.
    """
    expected = record["sha256"]
    if any(hashlib.sha256(data).hexdigest() == expected for data in raw_text_candidates(record["raw_text"])):
        return
    actual = hashlib.sha256(record["raw_text"].encode("utf-8")).hexdigest()
    yield Finding("$.sha256", f"{expected[:12]}… does not match raw_text, whose UTF-8 bytes hash to {actual[:12]}…")


def _span_finding(path: str, start: int, end: int, length: int, text_name: str) -> Finding | None:
    if start >= end:
        return Finding(path, f"start {start} is not before end {end}")
    if start < 0 or end > length:
        return Finding(path, f"[{start}, {end}) is outside {text_name} (length {length})")
    return None


def _raw_spans(record: dict) -> list[tuple[str, int, int]]:
    """Every span into raw_text as (path, start, end)."""
    spans = [(f"$.body_spans[{n}]", s["start"], s["end"]) for n, s in enumerate(record["body_spans"])]
    spans += [(f"$.boilerplate[{n}]", s["start"], s["end"]) for n, s in enumerate(record["boilerplate"])]
    for name in ("headline_span", "byline_span"):
        if record[name] is not None:
            spans.append((f"$.{name}", record[name]["start"], record[name]["end"]))
    return spans


def check_raw_spans(record: dict) -> Iterator[Finding]:
    """Spans into raw_text: inside it, ``start < end``, lists sorted, and no two overlapping."""
    length = len(record["raw_text"])
    spans = _raw_spans(record)
    for path, start, end in spans:
        finding = _span_finding(path, start, end, length, "raw_text")
        if finding:
            yield finding
    for name in ("body_spans", "boilerplate"):
        items = record[name]
        for n in range(1, len(items)):
            if items[n]["start"] < items[n - 1]["start"]:
                yield Finding(f"$.{name}[{n}]", f"not sorted: starts at {items[n]['start']}, before "
                                                f"$.{name}[{n - 1}] (starts at {items[n - 1]['start']})")
    spans.sort(key=lambda span: (span[1], span[2]))
    widest: tuple[str, int, int] | None = None  # the span reaching furthest so far
    for path, start, end in spans:
        if widest is not None and start < widest[2]:
            yield Finding(path, f"[{start}, {end}) overlaps {widest[0]} [{widest[1]}, {widest[2]})")
        if widest is None or end > widest[2]:
            widest = (path, start, end)


def _first_difference(a: str, b: str) -> int:
    for n, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return n
    return min(len(a), len(b))


def check_body_text(record: dict) -> Iterator[Finding]:
    """``body_text`` is ``"\\n".join(raw_text[s:e] for s, e in body_spans)``."""
    raw = record["raw_text"]
    joined = "\n".join(raw[s["start"]:s["end"]] for s in record["body_spans"])
    body = record["body_text"]
    if body != joined:
        n = _first_difference(body, joined)
        yield Finding("$.body_text", f"differs from the body spans joined by \\n at character {n}: "
                                     f"{_short(body[n:n + 20])} instead of {_short(joined[n:n + 20])}")


def check_metadata_text(record: dict) -> Iterator[Finding]:
    """``title`` is the text of ``headline_span`` (null without one); ``published_text`` is in raw_text."""
    raw, span, title = record["raw_text"], record["headline_span"], record["title"]
    if span is not None and title != raw[span["start"]:span["end"]]:
        yield Finding("$.title", f"{_short(title)} differs from raw_text[{span['start']}:{span['end']}] = "
                                 f"{_short(raw[span['start']:span['end']])}")
    if span is None and title is not None:
        yield Finding("$.title", "is set but headline_span is null")
    if record["published_text"] is not None and record["published_text"] not in raw:
        yield Finding("$.published_text", f"{_short(record['published_text'])} does not occur in raw_text")


def _text_findings(path: str, item: dict, text: str, text_name: str) -> Iterator[Finding]:
    finding = _span_finding(path, item["start"], item["end"], len(text), text_name)
    if finding:
        yield finding
    elif text[item["start"]:item["end"]] != item["text"]:
        yield Finding(f"{path}.text", f"{_short(item['text'])} differs from {text_name}[{item['start']}:{item['end']}] = "
                                      f"{_short(text[item['start']:item['end']])}")


def check_entities(record: dict) -> Iterator[Finding]:
    """Entity mentions: inside body_text, text equal to the slice, sorted, ids unique."""
    body, entities = record["body_text"], record["entities"]
    seen: dict[str, int] = {}
    for n, entity in enumerate(entities):
        yield from _text_findings(f"$.entities[{n}]", entity, body, "body_text")
        if n and (entity["start"], entity["end"]) < (entities[n - 1]["start"], entities[n - 1]["end"]):
            yield Finding(f"$.entities[{n}]", f"not sorted: starts at {entity['start']}, before "
                                              f"$.entities[{n - 1}] (starts at {entities[n - 1]['start']})")
        if entity["id"] in seen:
            yield Finding(f"$.entities[{n}].id", f"{entity['id']!r} is also the id of $.entities[{seen[entity['id']]}]")
        seen.setdefault(entity["id"], n)


def check_events(record: dict) -> Iterator[Finding]:
    """Events: trigger inside body_text and equal to its slice, ids unique, references to existing
    entities, a place of a place label, and the event_key its date and place give."""
    body, entities = record["body_text"], record["entities"]
    labels = {e["id"]: e["label"] for e in entities}
    seen: dict[str, int] = {}
    for n, event in enumerate(record["events"]):
        path = f"$.events[{n}]"
        yield from _text_findings(f"{path}.trigger", event["trigger"], body, "body_text")
        if event["id"] in seen:
            yield Finding(f"{path}.id", f"{event['id']!r} is also the id of $.events[{seen[event['id']]}]")
        seen.setdefault(event["id"], n)
        place = event["place"]
        if place is not None and place not in labels:
            yield Finding(f"{path}.place", f"refers to entity {place!r}, which the document does not have")
        elif place is not None and labels[place] not in PLACE_LABELS:
            yield Finding(f"{path}.place", f"refers to {place!r}, a {labels[place]} entity; a place is one of {', '.join(PLACE_LABELS)}")
        for k, ref in enumerate(event["participants"]):
            if ref not in labels:
                yield Finding(f"{path}.participants[{k}]", f"refers to entity {ref!r}, which the document does not have")
        if place is None or place in labels:
            key = event_extractor.event_key(event, entities)
            if event["event_key"] != key:
                yield Finding(f"{path}.event_key", f"{_short(event['event_key'])}, but the event's date and place give {_short(key)}")


#: The checks run on every record of ``documents``, in this order, after the schema.
RECORD_CHECKS: tuple[Callable[[dict], Iterator[Finding]], ...] = (
    check_id, check_sha256, check_raw_spans, check_body_text, check_metadata_text, check_entities, check_events,
)


def schema_findings(record: dict, name: str = DOCUMENT_SCHEMA) -> Iterator[Finding]:
    """The schema problems of one record (:func:`akhbar.schema.schema_problems`, which answers
    "valid?" with the compiled jsonschema-rs first and asks jsonschema for the messages)."""
    for problem in schema_problems(record, name):
        yield Finding(problem.json_path, problem.message)


def record_findings(record: dict) -> Iterator[Finding]:
    """Everything wrong with one record: its schema problems, then every check of :data:`RECORD_CHECKS`.

    A check that a malformed value stops (a null offset, a missing field) is skipped: the schema
    problem already names that value.
    """
    schema_ok = True
    for finding in schema_findings(record):
        schema_ok = False
        yield finding
    for check in RECORD_CHECKS:
        try:
            yield from check(record)
        except (TypeError, KeyError, AttributeError, IndexError) as err:
            if schema_ok:  # a valid record no check can read: a bug of the check, reported, not hidden
                yield Finding("$", f"{check.__name__} could not check this record ({err!r}); please report it")


# --- reading a built dataset --------------------------------------------------------------------

def config_features(config: str) -> Features:
    """The ``datasets.Features`` of one config (:mod:`akhbar.schema` derives them)."""
    return {"documents": document_features(), "entities": row_features("entity"), "events": row_features("event"),
            "links": LINK_FEATURES, "ner": ner_features()}[config]


def data_files(root: Path, config: str) -> list[Path]:
    """The Parquet files of one config, in order."""
    return sorted((root / "data" / config).glob(f"{SPLIT}-*.parquet"))


class _Reader:
    """Streams the rows of one config, one row group at a time; unreadable files become problems."""

    def __init__(self, root: Path, config: str):
        self.root = root
        self.config = config
        self.problems: list[Problem] = []
        self.num_rows = 0

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        for path in data_files(self.root, self.config):
            try:
                parquet = pq.ParquetFile(path)
                for group in range(parquet.num_row_groups):
                    for row in parquet.read_row_group(group).to_pylist():
                        yield self.num_rows, row
                        self.num_rows += 1
            except (pa.ArrowException, OSError) as err:
                self.problems.append(Problem(_relative(self.root, path), "$", f"cannot read the Parquet file: {err}"))


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def file_problems(root: Path, config: str) -> Iterator[Problem]:
    """A config has Parquet files, and their columns are the ones the schema derives."""
    files = data_files(root, config)
    if not files:
        yield Problem(f"data/{config}", "$", f"no {SPLIT}-*.parquet file: the {config} config is missing")
    expected = config_features(config).arrow_schema
    for path in files:
        try:
            actual = pq.read_schema(path)
        except (pa.ArrowException, OSError) as err:
            yield Problem(_relative(root, path), "$", f"cannot read the Parquet file: {err}")
            continue
        if not actual.equals(expected, check_metadata=False):
            missing = [n for n in expected.names if n not in actual.names]
            extra = [n for n in actual.names if n not in expected.names]
            detail = (f"missing {', '.join(missing)}" if missing else "") + ("; " if missing and extra else "") + \
                     (f"unexpected {', '.join(extra)}" if extra else "")
            yield Problem(_relative(root, path), "$", f"its columns are not those of the {config} config "
                                                      f"({detail or 'same names, other types or order'})")


class _FlatRows:
    """The rows of a flat config (``entities``, ``events``) grouped by document, to be compared with
    the documents' own lists as both streams advance in document order."""

    def __init__(self, reader: _Reader, field: str):
        self.rows = iter(reader)
        self.config = reader.config
        self.field = field
        self.names = list(config_features(self.config))
        self.pending: tuple[int, dict] | None = next(self.rows, None)

    def _take(self, doc_id: str) -> list[tuple[int, dict]]:
        group = []
        while self.pending is not None and self.pending[1]["document_id"] == doc_id:
            group.append(self.pending)
            self.pending = next(self.rows, None)
        return group

    def _orphans(self, before: str | None) -> Iterator[Problem]:
        while self.pending is not None and (before is None or str(self.pending[1]["document_id"]) < before):
            row_number, row = self.pending
            orphan = str(row["document_id"])
            yield Problem(orphan, f"{self.config}[{row_number}]", f"the {self.config} config has rows for "
                          f"{orphan!r}, which is not in the documents config (or not in its order)")
            self._take(row["document_id"])

    def expected(self, record: dict) -> list[dict]:
        """The rows the document's own lists give, in order."""
        return record[self.field]

    def source(self, k: int | None, name: str | None) -> str:
        """Where the expected value comes from, for the message."""
        return f"$.{self.field}" if k is None else f"$.{self.field}[{k}].{name}"

    def compare(self, record: dict) -> Iterator[Problem]:
        doc_id = record["id"]
        yield from self._orphans(doc_id)
        group = self._take(doc_id)
        items = self.expected(record)
        if len(group) != len(items):
            yield Problem(doc_id, f"{self.config} config", f"holds {len(group)} rows for this document, "
                                                           f"but {self.source(None, None)} has {len(items)}")
            return
        for k, ((row_number, row), item) in enumerate(zip(group, items)):
            for name in self.names[1:]:
                if row.get(name) != item.get(name):
                    yield Problem(doc_id, f"{self.config}[{row_number}].{name}",
                                  f"{_short(row.get(name))} differs from {self.source(k, name)} = "
                                  f"{_short(item.get(name))} in the documents config")
                    break

    def finish(self) -> Iterator[Problem]:
        yield from self._orphans(None)


class _SentenceRows(_FlatRows):
    """The ``ner`` config's rows, against the sentences, tokens and tags :func:`akhbar.ner_config.ner_rows`
    makes from each document's ``body_text`` and ``entities``."""

    def __init__(self, reader: _Reader):
        super().__init__(reader, "entities")

    def expected(self, record: dict) -> list[dict]:
        return list(ner_rows(record))

    def source(self, k: int | None, name: str | None) -> str:
        what = "the sentences of $.body_text"
        return what if k is None else f"{name} of sentence {k} of $.body_text with $.entities"


# --- links --------------------------------------------------------------------------------------

def check_link(link: dict, row_number: int, ids: set[str]) -> Iterator[Finding]:
    """One row of ``links``: known documents, not a self link, ordered, a known relation, a score in [0, 1]."""
    path = f"links[{row_number}]"
    for end in ("source", "target"):
        if link[end] not in ids:
            yield Finding(f"{path}.{end}", f"{_short(link[end])} is not a document id")
    if link["source"] == link["target"]:
        yield Finding(path, f"links {link['source']!r} to itself")
    elif link["source"] is not None and link["target"] is not None and not link["source"] < link["target"]:
        yield Finding(path, f"source {link['source']!r} does not sort before target {link['target']!r}")
    if link["relation"] not in RELATIONS:
        yield Finding(f"{path}.relation", f"{_short(link['relation'])} is not one of {', '.join(RELATIONS)}")
    if link["score"] is None or not 0.0 <= link["score"] <= 1.0:
        yield Finding(f"{path}.score", f"{link['score']!r} is not a number between 0 and 1")


def link_problems(root: Path, ids: set[str]) -> Iterator[Problem]:
    """Every link row checked; a pair listed twice for one relation is reported at its second row."""
    reader = _Reader(root, "links")
    seen: set[bytes] = set()
    for row_number, link in reader:
        doc_id = str(link["source"])
        for finding in check_link(link, row_number, ids):
            yield Problem(doc_id, finding.json_path, finding.message)
        pair = sorted([str(link["source"]), str(link["target"])])
        key = hashlib.blake2b("\x00".join(pair + [str(link["relation"])]).encode("utf-8"), digest_size=16).digest()
        if key in seen:
            yield Problem(doc_id, f"links[{row_number}]", f"the pair ({pair[0]}, {pair[1]}) is listed again for {link['relation']}")
        seen.add(key)
    yield from reader.problems


# --- the card ---------------------------------------------------------------------------------------

def front_matter(text: str) -> dict:
    """The YAML header of a card; raises ValueError when there is none or it does not parse."""
    if not text.startswith("---\n") or "\n---\n" not in text[3:]:
        raise ValueError("the card has no YAML header between --- lines")
    header = text[4:text.index("\n---\n", 3)]
    try:
        data = yaml.safe_load(header)
    except yaml.YAMLError as err:
        raise ValueError(f"the YAML header does not parse: {err}".replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise ValueError("the YAML header is not a mapping")
    return data


def size_category(n: int) -> str:
    """The hub's ``size_categories`` value for ``n`` rows (the one :mod:`akhbar.card` writes)."""
    for limit, name in ((1000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                        (10_000_000, "1M<n<10M")):
        if n < limit:
            return name
    return "10M<n<100M"


def check_card(meta: dict, root: Path, rows: dict[str, int]) -> Iterator[Finding]:
    """The card's YAML against ``schema/card.schema.json``, then against the data: configs and
    their files, features, split sizes, size category."""
    schema_ok = True
    for problem in schema_problems(meta, CARD_SCHEMA):
        schema_ok = False
        yield Finding(problem.json_path, problem.message)
    try:
        yield from _card_against_data(meta, root, rows)
    except (TypeError, KeyError, AttributeError, IndexError):
        if schema_ok:
            raise


def _card_against_data(meta: dict, root: Path, rows: dict[str, int]) -> Iterator[Finding]:
    names = [c["config_name"] for c in meta["configs"]]
    if names != list(CONFIG_ORDER):
        yield Finding("$.configs", f"lists {', '.join(map(str, names))}; expected {', '.join(CONFIG_ORDER)}")
    for n, config in enumerate(meta["configs"]):
        for k, data_file in enumerate(config["data_files"]):
            matched = [p for p in (root / "data").rglob("*.parquet") if fnmatch.fnmatch(_relative(root, p), data_file["path"])]
            if not matched:
                yield Finding(f"$.configs[{n}].data_files[{k}].path", f"{data_file['path']!r} matches no Parquet file")
        if config.get("default") and config["config_name"] != "documents":
            yield Finding(f"$.configs[{n}].default", "only the documents config is the default")
    infos = {info["config_name"]: (n, info) for n, info in enumerate(meta["dataset_info"])}
    for config in CONFIG_ORDER:
        if config not in infos:
            yield Finding("$.dataset_info", f"has no entry for the {config} config")
            continue
        n, info = infos[config]
        if info["features"] != config_features(config)._to_yaml_list():
            yield Finding(f"$.dataset_info[{n}].features", f"are not the features of the {config} config "
                                                           "(derived from schema/document.schema.json)")
        for k, split in enumerate(info["splits"]):
            if split["name"] != SPLIT:
                yield Finding(f"$.dataset_info[{n}].splits[{k}].name", f"{split['name']!r} is not a split of the data (only {SPLIT})")
            elif split["num_examples"] != rows.get(config):
                yield Finding(f"$.dataset_info[{n}].splits[{k}].num_examples",
                              f"says {split['num_examples']}, but data/{config} holds {rows.get(config)} rows")
    expected = size_category(rows.get("documents", 0))
    if meta["size_categories"] != [expected]:
        yield Finding("$.size_categories", f"says {meta['size_categories']}, but {rows.get('documents', 0)} documents are {expected}")


def card_problems(root: Path, rows: dict[str, int]) -> Iterator[Problem]:
    path = root / CARD
    if not path.is_file():
        yield Problem(CARD, "$", "the dataset card is missing")
        return
    try:
        meta = front_matter(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        yield Problem(CARD, "$", str(err))
        return
    for finding in check_card(meta, root, rows):
        yield Problem(CARD, finding.json_path, finding.message)


# --- release files ------------------------------------------------------------------------------------

def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:  # a Path or a URL's UPath (akhbar.storage)
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def release_files(root: Path) -> list[Path]:
    """Every file of a release that ``checksums.sha256`` lists: all but itself, hidden files and folders."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != CHECKSUMS
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


def checksum_problems(root: Path) -> Iterator[Problem]:
    """``checksums.sha256`` (``sha256sum`` format) lists every file once, with its hash."""
    path = root / CHECKSUMS
    if not path.exists():
        return
    listed = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        digest, _, name = line.partition("  ")
        if not _HEX64.match(digest) or not name:
            yield Problem(CHECKSUMS, f"line {n}", "is not '<sha256>  <path>'")
            continue
        listed.add(name)
        target = root / name
        if not target.is_file():
            yield Problem(CHECKSUMS, f"line {n}", f"{name} does not exist")
        elif file_sha256(target) != digest:
            yield Problem(CHECKSUMS, f"line {n}", f"{name} does not have the listed sha256 {digest[:12]}…")
    for file in release_files(root):
        if _relative(root, file) not in listed:
            yield Problem(CHECKSUMS, "$", f"{_relative(root, file)} is not listed")


def _versioned_json(root: Path, name: str, card_version: str | None):
    """Problems of the release file ``name`` when it does not parse or its version is not the
    card's (yielded); returns its data (None when it is missing or does not parse)."""
    path = root / name
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        yield Problem(name, "$", f"not a JSON file: {err}")
        return None
    if data.get("version") != card_version:
        yield Problem(name, "$.version", f"{data.get('version')!r} is not the card's version {card_version!r}")
    return data


def croissant_problems(root: Path, card_version: str | None) -> Iterator[Problem]:
    """``croissant.json``: parses, its version is the card's, every file it names exists with its hash."""
    data = yield from _versioned_json(root, CROISSANT, card_version)
    if data is None:
        return
    for n, item in enumerate(data.get("distribution", [])):
        if item.get("@type") != "cr:FileObject" or "contentUrl" not in item:
            continue
        target = root / item["contentUrl"]
        if not target.is_file():
            yield Problem(CROISSANT, f"$.distribution[{n}].contentUrl", f"{item['contentUrl']} does not exist")
        elif file_sha256(target) != item.get("sha256"):
            yield Problem(CROISSANT, f"$.distribution[{n}].sha256", f"is not the sha256 of {item['contentUrl']}")


def release_problems(root: Path, rows: dict[str, int]) -> Iterator[Problem]:
    """The release files, when present: checksums, Croissant, release.json, all agreeing with the card.

    ``release.json`` is checked only when the card carries a version: between releases it is the
    previous release's record, which the next release compares against.
    """
    card_version = None
    try:
        card_version = front_matter((root / CARD).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    yield from checksum_problems(root)
    yield from croissant_problems(root, card_version)
    if card_version is not None:  # without a version, a build kept the last release's file
        data = yield from _versioned_json(root, RELEASE, card_version)
        if data is not None and len(data.get("documents", {})) != rows.get("documents"):
            yield Problem(RELEASE, "$.documents", f"lists {len(data.get('documents', {}))} documents, the data holds {rows.get('documents')}")


# --- the whole dataset --------------------------------------------------------------------------

def validate_dataset(root: Path) -> Iterator[Problem]:
    """Every problem of a built dataset folder, streaming (module docstring: what is checked)."""
    if not root.is_dir():
        yield Problem(str(root), "$", "no such folder")
        return
    for config in CONFIG_ORDER:
        yield from file_problems(root, config)

    documents = _Reader(root, "documents")
    flat = [_FlatRows(_Reader(root, "entities"), "entities"), _FlatRows(_Reader(root, "events"), "events"),
            _SentenceRows(_Reader(root, "ner"))]
    ids: set[str] = set()
    clusters: list[tuple[str, str]] = []  # (id, dedup_cluster) when they differ, checked once all ids are known
    previous = None
    for row_number, record in documents:
        doc_id = str(record.get("id"))
        for finding in record_findings(record):
            yield Problem(doc_id, finding.json_path, finding.message)
        if doc_id in ids:
            yield Problem(doc_id, "$.id", f"is not unique: documents[{row_number}] repeats it")
        elif previous is not None and doc_id < previous:
            yield Problem(doc_id, "$.id", f"out of order: documents[{row_number}] comes after {previous!r}")
        ids.add(doc_id)
        previous = doc_id
        if isinstance(record.get("dedup_cluster"), str) and record["dedup_cluster"] != doc_id:
            clusters.append((doc_id, record["dedup_cluster"]))
        for rows in flat:
            try:
                yield from rows.compare(record)
            except (TypeError, KeyError, AttributeError):
                pass  # a malformed record: its schema problems are already reported
    yield from documents.problems
    for rows in flat:
        yield from rows.finish()
    for doc_id, cluster in clusters:
        if cluster not in ids:
            yield Problem(doc_id, "$.dedup_cluster", f"{cluster!r} is not a document id")
        elif cluster > doc_id:
            yield Problem(doc_id, "$.dedup_cluster", f"{cluster!r} sorts after the document's own id; "
                                                     "it must be the smallest id of the group")
    yield from link_problems(root, ids)
    rows = {"documents": documents.num_rows}
    for config in CONFIG_ORDER[1:]:
        try:
            rows[config] = sum(pq.ParquetFile(p).metadata.num_rows for p in data_files(root, config))
        except (pa.ArrowException, OSError):
            rows[config] = None  # already reported as unreadable
    yield from card_problems(root, rows)
    yield from release_problems(root, rows)


# --- seeds: pages and annotation files ------------------------------------------------------------

def annotation_findings(data: Any, doc_id: str, sha256: str, raw_text: str) -> Iterator[Finding]:
    """Everything wrong with one annotation file (offsets into raw_text), not only the first problem
    :func:`akhbar.gold.load_annotations` stops at."""
    schema_ok = True
    for problem in schema_problems(data, ANNOTATIONS_SCHEMA):
        schema_ok = False
        yield Finding(problem.json_path, problem.message)
    try:
        yield from _annotation_checks(data, doc_id, sha256, raw_text)
    except (TypeError, KeyError, AttributeError, IndexError):
        if schema_ok:
            raise


def _annotation_checks(data: dict, doc_id: str, sha256: str, raw_text: str) -> Iterator[Finding]:
    if data["document"] != doc_id:
        yield Finding("$.document", f"names {data['document']!r}, but the file belongs to {doc_id!r}")
    if data["sha256"] != sha256:
        yield Finding("$.sha256", f"the annotations were made for another version of {doc_id}.txt (file has "
                                  f"{sha256[:12]}…, annotations {data['sha256'][:12]}…); re-check them against the new text")
        return  # offsets into another text: every span would be reported
    labels: dict[str, str] = {}
    for n, entity in enumerate(data["entities"]):
        yield from _text_findings(f"$.entities[{n}]", entity, raw_text, "raw_text")
        if entity["id"] in labels:
            yield Finding(f"$.entities[{n}].id", f"{entity['id']!r} is defined twice")
        labels[entity["id"]] = entity["label"]
    events_seen = set()
    for n, event in enumerate(data["events"]):
        path = f"$.events[{n}]"
        yield from _text_findings(f"{path}.trigger", event["trigger"], raw_text, "raw_text")
        if event["id"] in events_seen:
            yield Finding(f"{path}.id", f"{event['id']!r} is defined twice")
        events_seen.add(event["id"])
        if event["place"] is not None:
            if event["place"] not in labels:
                yield Finding(f"{path}.place", f"refers to entity {event['place']!r}, which the file does not define")
            elif labels[event["place"]] not in PLACE_LABELS:
                yield Finding(f"{path}.place", f"refers to {event['place']!r}, a {labels[event['place']]} entity; "
                                               f"a place is one of {', '.join(PLACE_LABELS)}")
        for k, ref in enumerate(event["participants"]):
            if ref not in labels:
                yield Finding(f"{path}.participants[{k}]", f"refers to entity {ref!r}, which the file does not define")


def annotation_file_problems(path: Path, page_sha256: str | None, raw_text: str | None) -> Iterator[Problem]:
    """One ``<id>.ann.json``: its page exists and is readable, then :func:`annotation_findings`."""
    name = path.name
    doc_id = name[: -len(ANNOTATION_SUFFIX)]
    if page_sha256 is None:
        if not path.with_name(f"{doc_id}.txt").exists():
            yield Problem(name, "$", f"its document {doc_id}.txt is missing: add the page or remove the file")
        return  # an unreadable page is reported under its own name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        yield Problem(name, "$", f"not a JSON file: {err}")
        return
    for finding in annotation_findings(data, doc_id, page_sha256, raw_text):
        yield Problem(name, finding.json_path, finding.message)
    if isinstance(data, dict) and data.get("status") == "draft":
        yield Problem(name, "$.status", "draft: the build ignores this file until a reviewer checks it and sets status to gold",
                      WARNING)


def validate_seeds(seeds: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Problem]:
    """Every problem of a seeds folder: pages the build would refuse, ids that clash, annotation files
    that do not fit their page; and warnings (invisible characters, drafts, stray files)."""
    if not seeds.is_dir():
        yield Problem(str(seeds), "$", "no such folder")
        return
    files = sorted(p for p in seeds.iterdir() if p.is_file() and not p.name.startswith("."))
    lowered: dict[str, str] = {}
    pages = 0
    for path in files:
        if path.name.endswith(ANNOTATION_SUFFIX):
            continue
        if path.suffix != ".txt":
            yield Problem(path.name, "$", "ignored by the build: not a *.txt page or a *.ann.json annotation file", WARNING)
            continue
        pages += 1
        doc_id = path.name[: -len(".txt")]
        if doc_id.lower() in lowered:
            yield Problem(path.name, "$", f"the id clashes with {lowered[doc_id.lower()]!r} on case-insensitive file systems; rename one")
        lowered.setdefault(doc_id.lower(), doc_id)
        try:
            page = read_page(path, max_bytes)
        except InputError as err:
            yield Problem(path.name, "$", err.reason)
            continue
        for warning in page.warnings:
            yield Problem(path.name, "$.raw_text", warning, WARNING)
    if not pages:
        yield Problem(str(seeds), "$", "the folder holds no *.txt page")
    for path in files:
        if not path.name.endswith(ANNOTATION_SUFFIX):
            continue
        page_path = path.with_name(path.name[: -len(ANNOTATION_SUFFIX)] + ".txt")
        sha256 = raw_text = None
        if page_path.is_file():
            try:
                page = read_page(page_path, max_bytes)
                sha256, raw_text = page.sha256, page.raw_text
            except InputError:
                pass  # reported under the page's name
        yield from annotation_file_problems(path, sha256, raw_text)
