"""The Akhbar build, in one file: how seed pages become the dataset.

::

    pass 1  count lines        every page → CorpusLineCounts (short lines shared across pages)
    pass 2  per page (pure, in worker processes, in bounded batches):
              read      bytes → Page (decoded, checked)               akhbar.read
              segment   → body, headline, byline, boilerplate          akhbar.segment
              metadata  → title, publisher, published                  akhbar.metadata
              entities  → gold (seeds/<id>.ann.json) or automatic      akhbar.gold / akhbar.entities
              events    → gold or automatic meetings                    akhbar.gold / akhbar.events
              ner rows  → sentences, tokens, BIO tags of the body           akhbar.ner_config
              validate  → the record against schema/document.schema.json
              sign      → exact key + MinHash signature of body_text   akhbar.links
            records stream to Parquet shards in a staging folder, keys and signatures to a
            disk-backed akhbar.links.SignatureStore beside them
    global  link        exact / near duplicates (LSH), same_event      akhbar.links
            finish      dedup_cluster and duplicate-dated events into the documents
    write   documents, entities, events, links, ner configs + card; then swap the folder into place

Per-page work depends only on the page, its annotation file and the corpus line counts, so the
output is identical whatever the number of workers. The steps past ``process_page`` are the
functions of :mod:`akhbar.stages`, which :mod:`akhbar.ray_build` (``--engine ray``) runs on a
Ray cluster to the same bytes. The main process keeps nothing per page in
memory between the passes: what the link step needs is on disk, and ids and dates are read back
from the staged documents for the pages that turn out to be duplicates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import signal
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

import shutil

import numpy as np
from tqdm import tqdm

from akhbar import entities as entity_annotator
from akhbar import events as event_extractor
from akhbar import evaluation, links
from akhbar.card import render_card, strip_front_matter, write_text_atomic
from akhbar.gold import annotation_path, load_annotations, project_gold
from akhbar.metadata import extract_metadata
from akhbar.ner_config import ner_features, ner_rows
from akhbar.read import DEFAULT_MAX_BYTES, InputError, Page, read_page, seed_paths
from akhbar.release_state import carry_release
from akhbar.schema import LINK_FEATURES, document_features, row_features, schema_problems
from akhbar.segment import CorpusLineCounts, SegmentConfig, segment
from akhbar.storage import files_under, is_remote, parquet_file
from akhbar.stages import config_rows, dated_members, finish_record, link_entry, meeting_keys
from akhbar.stages import redate_from_duplicate  # noqa: F401  (public name, kept where it was)
from akhbar.write import ShardWriter, iter_rows, replace_dir, staging_dir, write_rows


@dataclass(frozen=True)
class BuildConfig:
    """Everything a build depends on besides the seed files."""

    seeds: Path
    out: Path
    workers: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = 256
    rows_per_group: int = 1000
    rows_per_file: int = 20000
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    links: links.LinkConfig = field(default_factory=links.LinkConfig)
    progress: bool = True


@dataclass(frozen=True)
class PageResult:
    """What pass 2 returns for one page: the record and what the global steps need of it."""

    record: dict
    exact_key: str
    signature: np.ndarray
    sentences: tuple[dict, ...] = ()  # the page's rows of the ner config


class RecordError(Exception):
    """A built record that breaks the schema: a bug or an annotation file the checks missed."""


class WorkerError(Exception):
    """A worker process died (killed by the system, most often for memory, or crashed)."""


def available_cpus() -> int:
    """The CPUs this process may run on: its affinity mask, which taskset and containers narrow
    (``os.cpu_count()`` counts the machine's, and one worker per CPU of a 96-core host in a
    2-CPU container would thrash)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# --- pass 1 -------------------------------------------------------------------------------------

def count_lines(paths: Sequence[Path], cfg: BuildConfig, pool: ProcessPoolExecutor | None = None) -> CorpusLineCounts:
    """Pass 1: stream every page once and count the short lines pages share (only those frequent
    enough to matter are kept). Pages are read and their lines hashed in ``pool`` when given."""
    counts = CorpusLineCounts(cfg.segment.corpus_repeat_max_words)
    if pool is None:
        hashes = (counts.line_hashes(read_page(path, cfg.max_bytes).raw_text) for path in paths)
    else:
        hashes = _in_windows(pool, _line_hashes_in_worker, paths, cfg)
    for page_hashes in tqdm(hashes, total=len(paths), desc="count lines", unit="page", disable=not cfg.progress):
        counts.add_hashes(page_hashes)
    counts.prune(cfg.segment)
    return counts


class PageList(Sequence[Path]):
    """The pages of one seeds folder (what :func:`akhbar.read.seed_paths` lists) as the folder and
    the file names: the build holds the list throughout, and a Path object costs several times
    its name."""

    def __init__(self, paths: list[Path]):
        self.folder = paths[0].parent if paths else Path()
        if any(p.parent != self.folder for p in paths):
            raise ValueError("PageList holds the pages of one folder")
        self.names = [p.name for p in paths]

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.folder / name for name in self.names[i]]
        return self.folder / self.names[i]


# --- pass 2: one page ---------------------------------------------------------------------------

def process_page(path: Path, counts: CorpusLineCounts, cfg: BuildConfig, annotated: bool | None = None) -> PageResult:
    """read → segment → metadata → entities → events → validate → sign, for one page.

    ``annotated``: whether the page has an annotation file, when the caller knows it from the
    folder's listing (on an object store each look is a request); None: look.
    """
    page = read_page(path, cfg.max_bytes)
    ann_path = annotation_path(path)
    if annotated is None:
        annotated = ann_path.exists()
    annotations = load_annotations(ann_path, page.id, page.sha256, page.raw_text) if annotated else None
    return annotate_page(page, counts, cfg, annotations)


def annotate_page(page: Page, counts: CorpusLineCounts, cfg: BuildConfig, annotations: dict | None = None) -> PageResult:
    """segment → metadata → entities → events → validate → sign, for one decoded page and its
    checked annotation file (gold ones are used, drafts ignored)."""
    seg = segment(page.raw_text, cfg.segment, counts)
    meta = extract_metadata(seg, page.raw_text)
    body_text = "\n".join(page.raw_text[s:e] for s, e in seg.body_spans)
    published = dt.date.fromisoformat(meta.published) if meta.published else None
    warnings = list(page.warnings)

    if annotations is not None and annotations["status"] == "gold":
        entities, events, gold_warnings = project_gold(annotations, seg.body_spans)
        warnings += gold_warnings
        events = [event_extractor.complete_event(e, entities) for e in events]
    else:
        entities = entity_annotator.annotate_entities(body_text, published, meta.publisher)
        events = event_extractor.extract_events(body_text, entities, published, headline=meta.title)

    record = {
        "id": page.id,
        "sha256": page.sha256,
        "source_file": page.source_file,
        "raw_text": page.raw_text,
        "title": meta.title,
        "headline_span": _span(seg.headline_span),
        "byline_span": _span(seg.byline_span),
        "publisher": meta.publisher,
        "published": meta.published,
        "published_text": meta.published_text,
        "body_text": body_text,
        "body_spans": [_span(s) for s in seg.body_spans],
        "boilerplate": [{"start": s, "end": e, "label": label} for s, e, label in seg.boilerplate],
        "entities": entities,
        "events": events,
        "dedup_cluster": page.id,  # set by the link step
        "warnings": warnings,
    }
    problems = list(schema_problems(record))
    if problems:
        raise RecordError(f"{page.id}: {problems[0]} (the record breaks schema/document.schema.json)")
    # the ner rows are made here, in the worker: tokenising is ~1.5 ms a page, too much for the main process
    return PageResult(record, *links.sign(body_text, cfg.links), tuple(ner_rows(record)))


def _span(span: tuple[int, int] | None) -> dict | None:
    return None if span is None else {"start": span[0], "end": span[1]}


# --- the worker processes -----------------------------------------------------------------------

_worker_cfg: BuildConfig | None = None


def _init_worker(cfg: BuildConfig) -> None:
    global _worker_cfg
    _worker_cfg = cfg
    # Ctrl-C reaches the whole process group: the parent stops the pool, workers must not each
    # print a KeyboardInterrupt traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _line_hashes_in_worker(path: Path) -> set[bytes]:
    return CorpusLineCounts(_worker_cfg.segment.corpus_repeat_max_words).line_hashes(
        read_page(path, _worker_cfg.max_bytes).raw_text)


def _process_in_worker(task: tuple[Path, CorpusLineCounts]) -> PageResult:
    path, counts = task
    return process_page(path, counts, _worker_cfg)


@contextlib.contextmanager
def worker_pool(cfg: BuildConfig) -> Iterator[ProcessPoolExecutor | None]:
    """``cfg.workers`` processes for both passes, or None for one (everything then runs here).

    A ``ProcessPoolExecutor``, not a ``multiprocessing.Pool``: when a worker dies (the kernel's
    out-of-memory killer, a crash in a C extension) the executor says so, where a Pool waits
    forever for the result the dead worker held. On any error or interrupt the workers are
    stopped at once, not left to finish their chunk.
    """
    if cfg.workers <= 1:
        yield None
        return
    # Not "fork": the parent holds threads (Arrow, tqdm) whose locks a forked child can inherit
    # held, and then waits forever. forkserver starts workers from a clean single-threaded process.
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    pool = ProcessPoolExecutor(cfg.workers, mp_context=context, initializer=_init_worker, initargs=(cfg,))
    try:
        yield pool
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the worker processes now."""
    if hasattr(pool, "terminate_workers"):  # Python 3.14
        pool.terminate_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())  # before shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def _in_windows(pool: ProcessPoolExecutor, func, items: Sequence, cfg: BuildConfig) -> Iterator:
    """``func`` over ``items`` in ``pool``, results in input order (so the output does not depend
    on the number of workers). Items go in windows of batch_size × workers, so neither tasks nor
    results pile up beyond one window."""
    window = cfg.batch_size * cfg.workers
    chunksize = max(1, cfg.batch_size // cfg.workers)
    try:
        for start in range(0, len(items), window):
            yield from pool.map(func, items[start:start + window], chunksize=chunksize)
    except BrokenProcessPool:
        raise WorkerError(
            "a worker process died while reading or annotating pages (killed by the system, most "
            "often for lack of memory, or crashed); try fewer --workers or a smaller --max-bytes") from None


# --- pass 2: all pages --------------------------------------------------------------------------

def process_pages(paths: Sequence[Path], counts: CorpusLineCounts, cfg: BuildConfig,
                  pool: ProcessPoolExecutor | None = None) -> Iterator[PageResult]:
    """Pass 2 over all pages, in path order, in ``pool`` when given."""
    bar = tqdm(total=len(paths), desc="annotate", unit="page", disable=not cfg.progress)
    if pool is None:
        results = (process_page(path, counts, cfg) for path in paths)
    else:
        # the counts ride with every page; pickled once per chunk of pages (pickle's memo), and
        # small once pruned
        results = _in_windows(pool, _process_in_worker, _WithCounts(paths, counts), cfg)
    for result in results:
        yield result
        bar.update()
    bar.close()


class _WithCounts(Sequence):
    """``(path, counts)`` for each of ``paths``, made as the windows are cut."""

    def __init__(self, paths: Sequence[Path], counts: CorpusLineCounts):
        self.paths, self.counts = paths, counts

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [(path, self.counts) for path in self.paths[i]]
        return self.paths[i], self.counts


# --- global steps and writing ---------------------------------------------------------------------

def check_output_folder(seeds: Path, out: Path) -> None:
    """Refuse an output folder whose replacement would destroy input or unrelated files."""
    seeds, target = (p if is_remote(p) else p.resolve() for p in (seeds, out))
    if target == seeds or target in seeds.parents:
        raise InputError(out, f"the output folder would replace the seeds folder {seeds} (choose another --out)")
    if target.exists() and not target.is_dir():
        raise InputError(out, "the output path is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / "data").is_dir():
        raise InputError(out, "the output folder holds files but no built dataset (no data/ folder); "
                              "refusing to replace it (choose an empty or new --out)")


def staged_ids_and_dates(stage: Path, rows: np.ndarray) -> tuple[dict[int, str], dict[str, str]]:
    """``({row: id}, {id: published})`` of the staged documents at ``rows`` (sorted row numbers),
    dates only where the page states one; one streaming read of two columns."""
    ids: dict[int, str] = {}
    published: dict[str, str] = {}
    offset = 0
    for path in files_under(stage / "data" / "documents", "*.parquet"):
        with parquet_file(path) as parquet:
            for batch in parquet.iter_batches(columns=["id", "published"]):
                lo, hi = np.searchsorted(rows, [offset, offset + batch.num_rows])
                if hi > lo:
                    picked = batch.take(rows[lo:hi] - offset).to_pydict()
                    for row, doc_id, date in zip(rows[lo:hi].tolist(), picked["id"], picked["published"]):
                        ids[row] = doc_id
                        if date:
                            published[doc_id] = date
                offset += batch.num_rows
    return ids, published


def build_dataset(cfg: BuildConfig, card: Path | None = None, gold_body: Path | None = None,
                  heldout: list[Path] = (), agreement: Path | None = None) -> str:
    """Run the whole build into ``cfg.out``; return a one-paragraph report.

    Raises :class:`InputError` for a page or annotation file that cannot be used and
    :class:`RecordError` for a record that breaks the schema; ``cfg.out`` is then untouched.
    """
    check_output_folder(cfg.seeds, cfg.out)
    paths = PageList(seed_paths(cfg.seeds))
    limits = {"rows_per_group": cfg.rows_per_group, "rows_per_file": cfg.rows_per_file}
    with staging_dir(cfg.out) as tmp, contextlib.ExitStack() as on_exit:
        stage = tmp / ".stage"
        # the staged copy is read back once and then deleted: fast compression, not small files
        staged = ShardWriter(stage, "documents", document_features(), **limits, compression_level=1)
        entity_rows = ShardWriter(tmp, "entities", row_features("entity"), **limits)
        sentence_rows = ShardWriter(tmp, "ner", ner_features(), **limits)
        store = links.SignatureStore(stage / "links", cfg.links)  # row n = the n-th staged document
        on_exit.callback(store.close)  # its files stay open until closed, also when a page fails
        with worker_pool(cfg) as pool:
            counts = count_lines(paths, cfg, pool)  # pass 1
            # pass 2: per page → staged documents, entity rows, what the link step needs (on disk)
            for result in process_pages(paths, counts, cfg, pool):
                record = result.record
                staged.add(record)
                for row in config_rows("entities", record):
                    entity_rows.add(row)
                for row in result.sentences:
                    sentence_rows.add(row)
                store.add(*link_entry(record, result.exact_key, result.signature))
        staged.close()
        entity_rows.close()
        sentence_rows.close()
        store.close()
        del paths, counts

        # link: duplicates first, since their groups date the events of undated copies
        pairs = links.duplicate_pairs(store, cfg.links)
        ids, published = staged_ids_and_dates(stage, pairs.rows())
        duplicate_links = pairs.links(ids, cfg.links)
        clusters = links.dedup_clusters(ids.values(), duplicate_links)  # pages in no link: their own
        dated = dated_members(clusters, published)

        # finish: dedup_cluster and duplicate-dated events into the documents
        documents = ShardWriter(tmp, "documents", document_features(), **limits)
        event_rows = ShardWriter(tmp, "events", row_features("event"), **limits)
        event_keys = []
        for record in tqdm(iter_rows(stage, "documents"), total=staged.num_rows, desc="link", unit="page",
                           disable=not cfg.progress):
            record = finish_record(record, clusters, dated)
            documents.add(record)
            for row in config_rows("events", record):
                event_rows.add(row)
            keys = meeting_keys(record)
            if keys:  # only pages reporting an identified meeting can be linked by one
                event_keys.append((record["id"], keys))
        documents.close()
        event_rows.close()
        shutil.rmtree(stage)
        all_links = sorted(duplicate_links + links.same_event_links(event_keys))
        link_rows = write_rows(tmp, "links", LINK_FEATURES, (asdict(link) for link in all_links), **limits)

        # card
        writers = {"documents": documents, "entities": entity_rows, "events": event_rows, "links": link_rows,
                   "ner": sentence_rows}
        figures = evaluation.run(cfg.seeds, gold_body, heldout, cfg.segment, agreement)
        # the last release: kept whole when this build made the same files, else its record only,
        # which the next `akhbar release` compares against
        text, release_note = carry_release(cfg.out, tmp, lambda stamp: render_card(tmp, writers, figures, release=stamp))
        replace_dir(tmp, cfg.out)
    if card is not None:
        write_text_atomic(card, strip_front_matter(text))
    return (f"Built {documents.num_rows} documents ({entity_rows.num_rows} entity mentions, {event_rows.num_rows} events, "
            f"{link_rows.num_rows} links) into {cfg.out}." + (f" {release_note}" if release_note else ""))
