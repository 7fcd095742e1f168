"""The build's steps as pure functions over pages and rows, shared by both engines.

The local build (:mod:`akhbar.pipeline`, worker processes on one machine) and the Ray build
(:mod:`akhbar.ray_build`, a Ray cluster) call these same functions; only where they run and how
their pieces meet differ, so the two give the same bytes. Every row carries its position in the
sorted page list (its row in the ``documents`` config), and every global step orders by it.

::

    pass 1   line_count_partial(texts)  → a partial CorpusLineCounts;  sum_line_counts(partials) → pruned
    pass 2   akhbar.pipeline.process_page (one page), then link_entry(result): what the link step needs
    link     akhbar.links: store_row, band_hashes, equal_key_groups (exact key), bucket_pair_codes
             (LSH band bucket), verify_pairs; then dated_members(clusters, published)
    finish   finish_record(record, clusters, dated) → dedup_cluster and duplicate-dated events;
             meeting_keys(record) → what same_event links are made of
    write    config_rows(config, record) → its rows in one config; file_ranges(total, ...) → the rows
             of each Parquet file of a config, the same cut ShardWriter makes writing one row at a time
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

import numpy as np

from akhbar import events as event_extractor
from akhbar.dates import find_dates, resolve
from akhbar.ner_config import ner_rows
from akhbar.segment import CorpusLineCounts, SegmentConfig

# --- pass 1 ---------------------------------------------------------------------------------------


def line_count_partial(raw_texts: Iterable[str], max_words: int) -> CorpusLineCounts:
    """Pass 1 over some pages: how many of them hold each short line (not pruned: a line rare in
    this part may be frequent in the whole corpus)."""
    partial = CorpusLineCounts(max_words)
    for text in raw_texts:
        partial.add_hashes(partial.line_hashes(text))
    return partial


def sum_line_counts(partials: Iterable[CorpusLineCounts], cfg: SegmentConfig) -> CorpusLineCounts:
    """The counts of the whole corpus from the partials of its parts, pruned. Counting is a sum,
    so the result does not depend on how the pages were cut into parts."""
    total = CorpusLineCounts(cfg.corpus_repeat_max_words)
    for partial in partials:
        total.documents += partial.documents
        total.counts.update(partial.counts)
    total.prune(cfg)
    return total


# --- pass 2 ---------------------------------------------------------------------------------------

def link_entry(record: dict, exact_key: str, signature: np.ndarray) -> tuple[str | None, np.ndarray | None]:
    """What the link step keeps of a page: its exact key and signature, or ``(None, None)`` for a
    page with no article body (no one's duplicate)."""
    return (exact_key, signature) if record["body_text"].strip() else (None, None)


# --- link -----------------------------------------------------------------------------------------

def dated_members(clusters: Mapping[str, str], published: Mapping[str, str]) -> dict[str, str]:
    """``{cluster id: publication date}`` of the smallest-id dated member of each duplicate cluster:
    the reference date for the undated copies (``published`` holds only pages that state a date)."""
    dated: dict[str, str] = {}
    for doc_id in sorted(published):
        dated.setdefault(clusters[doc_id], published[doc_id])
    return dated


# --- finish ---------------------------------------------------------------------------------------

def redate_from_duplicate(record: dict, reference: str) -> dict:
    """Resolve the open event dates of a page that states no publication date, against the
    publication date of a duplicate of its text (``date_basis`` "duplicate")."""
    ref = dt.date.fromisoformat(reference)
    events = []
    for event in record["events"]:
        if event["date"] is None and event["date_text"]:
            mentions = find_dates(event["date_text"])
            resolved = resolve(mentions[0], ref) if mentions else None
            # a stated weekday that disagrees means the duplicate's date is not this text's reference
            if resolved is not None and resolved.date and resolved.weekday_agrees is not False:
                event = {**event, "date": resolved.date, "date_basis": "duplicate"}
                event["event_key"] = event_extractor.event_key(event, record["entities"])
        events.append(event)
    return {**record, "events": events}


def finish_record(record: dict, clusters: Mapping[str, str], dated: Mapping[str, str]) -> dict:
    """A staged record with its ``dedup_cluster`` (its own id when it is in no duplicate link) and,
    when it states no date but a duplicate does, its events dated against that duplicate."""
    record["dedup_cluster"] = clusters.get(record["id"], record["id"])
    if record["published"] is None and record["dedup_cluster"] in dated:
        record = redate_from_duplicate(record, dated[record["dedup_cluster"]])
    return record


def meeting_keys(record: dict) -> list[str]:
    """The event keys of a finished record that identify a meeting: only these link pages."""
    return [e["event_key"] for e in record["events"] if event_extractor.identifies_meeting(e["event_key"])]


# --- write ----------------------------------------------------------------------------------------

def config_rows(config: str, record: dict) -> list[dict]:
    """The rows a finished record contributes to ``config`` (documents, entities, events or ner)."""
    if config == "documents":
        return [record]
    if config == "ner":
        return ner_rows(record)
    return [{"document_id": record["id"], **item} for item in record[config]]


def file_ranges(total: int, rows_per_group: int, rows_per_file: int) -> list[tuple[int, int]]:
    """``[(first row, end row)]`` of each Parquet file of a config of ``total`` rows, as
    :class:`akhbar.write.ShardWriter` cuts them: row groups of ``rows_per_group``, a new file once a
    file holds ``rows_per_file`` rows or more; an empty config still has one (empty) file."""
    per_file = math.ceil(rows_per_file / rows_per_group) * rows_per_group
    return [(lo, min(lo + per_file, total)) for lo in range(0, total, per_file)] or [(0, 0)]


def prefix_sums(counts: Iterable[int]) -> np.ndarray:
    """``[0, c0, c0 + c1, ...]``: the first position of each part when parts of these sizes are laid
    end to end (the rows of each page, each chunk, ...)."""
    return np.concatenate([[0], np.cumsum(np.fromiter(counts, dtype=np.int64))]).astype(np.int64)
