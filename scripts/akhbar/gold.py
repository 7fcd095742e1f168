"""Curated annotation files (``seeds/<id>.ann.json``): load, check, and project onto body_text.

Gold offsets are anchored on raw_text, so a better segmenter never invalidates curated work; the
file is pinned to the sha256 of the document's bytes, so a changed page does. The build projects
each gold span into body_text through the body spans: a span that falls outside the body (the
segmenter and the annotator disagree about a line) is not silently dropped but reported in the
record's ``warnings``.
"""

from __future__ import annotations

import bisect
import json
from pathlib import Path

from akhbar.read import InputError
from akhbar.schema import ANNOTATIONS_SCHEMA, schema_problems

GOLD = "gold"
SUFFIX = ".ann.json"


def annotation_name(page_name: str) -> str:
    """The file name of a seed page's annotation file: ``<id>.txt`` → ``<id>.ann.json``."""
    return page_name[: -len(".txt")] + SUFFIX


def annotation_path(seed_path: Path) -> Path:
    """Where the annotation file of a seed page lives: beside it, ``<id>.ann.json``."""
    return seed_path.with_name(annotation_name(seed_path.name))


def load_annotations(path: Path, doc_id: str, sha256: str, raw_text: str) -> dict:
    """Read and check one annotation file; raise :class:`InputError` naming the first problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(path, f"not a JSON file: {err}") from None
    except OSError as err:
        raise InputError(path, f"cannot be read: {err.strerror}") from None
    problems = list(schema_problems(data, ANNOTATIONS_SCHEMA))
    if problems:
        raise InputError(path, f"{problems[0]} ({len(problems)} schema problem(s); `akhbar validate --seeds` lists them all)")
    if data["document"] != doc_id:
        raise InputError(path, f"$.document: names {data['document']!r}, but the file belongs to {doc_id!r}")
    if data["sha256"] != sha256:
        raise InputError(path, f"$.sha256: the annotations were made for another version of {doc_id}.txt "
                               f"(file has {sha256[:12]}…, annotations {data['sha256'][:12]}…); re-check them against the new text")
    for kind, items in (("entities", data["entities"]), ("events", [e["trigger"] for e in data["events"]])):
        for n, item in enumerate(items):
            if not 0 <= item["start"] < item["end"] <= len(raw_text):
                raise InputError(path, f"$.{kind}[{n}]: span [{item['start']}, {item['end']}) is outside raw_text (length {len(raw_text)})")
            if raw_text[item["start"]:item["end"]] != item["text"]:
                raise InputError(path, f"$.{kind}[{n}].text: {item['text']!r} differs from raw_text[{item['start']}:{item['end']}] = "
                                       f"{raw_text[item['start']:item['end']]!r}")
    ids = [e["id"] for e in data["entities"]]
    if len(set(ids)) != len(ids):
        raise InputError(path, "$.entities: entity ids are not unique")
    known = set(ids)
    for n, event in enumerate(data["events"]):
        for ref in ([event["place"]] if event["place"] else []) + event["participants"]:
            if ref not in known:
                raise InputError(path, f"$.events[{n}]: refers to entity {ref!r}, which the file does not define")
    return data


class BodyProjection:
    """Maps offsets between raw_text and body_text, given the body spans (both directions)."""

    def __init__(self, body_spans: list[tuple[int, int]]):
        self.spans = body_spans
        self.shift = []  # raw offset + shift = body offset, per span
        self.body_starts = []
        position = 0
        for start, end in body_spans:
            self.shift.append(position - start)
            self.body_starts.append(position)
            position += end - start + 1  # + the "\n" that joins paragraphs

    def __call__(self, start: int, end: int) -> tuple[int, int] | None:
        """Body offsets of raw span [start, end), or None when it is not inside one body span."""
        for (s, e), shift in zip(self.spans, self.shift):
            if s <= start and end <= e:
                return start + shift, end + shift
        return None

    def to_raw(self, start: int, end: int) -> tuple[int, int] | None:
        """Raw offsets of body span [start, end), or None when it crosses a paragraph break."""
        k = bisect.bisect_right(self.body_starts, start) - 1
        if k < 0:
            return None
        shift = self.shift[k]
        if end - shift > self.spans[k][1]:
            return None
        return start - shift, end - shift


def project_gold(data: dict, body_spans: list[tuple[int, int]]) -> tuple[list[dict], list[dict], list[str]]:
    """Gold entities and events with offsets into body_text, plus warnings for what fell outside."""
    project = BodyProjection(body_spans)
    warnings: list[str] = []
    entities: list[dict] = []
    for entity in data["entities"]:
        span = project(entity["start"], entity["end"])
        if span is None:
            warnings.append(f"gold entity {entity['id']} {entity['text']!r} at raw_text[{entity['start']}:{entity['end']}] "
                            "is outside the body the segmenter found; not published")
            continue
        entities.append({**entity, "start": span[0], "end": span[1], "source": GOLD})
    kept = {e["id"] for e in entities}
    events: list[dict] = []
    for event in data["events"]:
        trigger = event["trigger"]
        span = project(trigger["start"], trigger["end"])
        if span is None:
            warnings.append(f"gold event {event['id']} trigger {trigger['text']!r} is outside the body the segmenter found; not published")
            continue
        events.append({
            **event,
            "trigger": {"start": span[0], "end": span[1], "text": trigger["text"]},
            "place": event["place"] if event["place"] in kept else None,
            "participants": [p for p in event["participants"] if p in kept],
            "source": GOLD,
        })
    return entities, events, warnings
