"""``akhbar build --engine ray``: the build of :mod:`akhbar.pipeline` on a Ray cluster, same bytes.

Every step is a Ray Data ``map_batches`` over task descriptions, one block per task, each task
calling the functions of :mod:`akhbar.stages` (and :func:`akhbar.pipeline.process_page`, unchanged)
that the local build calls. The tasks meet through Parquet files in a staging folder beside the
output (a local folder, or a URL on an object store every node reaches: :mod:`akhbar.storage`),
and every global step orders rows by their position in the sorted page list, so the output does
not depend on the number of nodes, workers or partitions::

    pass 1   chunk of pages  → line-count partial             pass1/chunk-C.parquet   (summed here)
    pass 2   chunk of pages  → staged documents              pass2/data/documents/chunk-C.parquet
                             → exact keys by key partition   pass2/exact/part-P/chunk-C.parquet
                             → band buckets by partition     pass2/bands/part-P/chunk-C.parquet
    link     key partition   → exact groups                  link/exact-P.json
             bucket partition → verified near pairs          link/near-P.json
    write    one Parquet file of documents, entities or events, finished (dedup_cluster, redating)
    card     here, as the local build does; then the folder is swapped into place

A task writes its files, then its completion marker (``*.json``, written last, by rename), so a
rerun after a lost node or a killed driver skips every finished task; the staging folder is kept
until the build succeeds, and is reused only if the pages, settings and code are the same
(``inputs.json``). Each task declares its CPU and memory and is retried by Ray when its worker or
node dies (Ray Data's default). Partitions: two per CPU of the cluster (Ray's default of 200 made a 200-page build
spend minutes shuffling empty blocks), more when a chunk would exceed ``max_chunk_pages``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import pickle
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from akhbar import evaluation, links, storage
from akhbar.card import render_card, strip_front_matter, write_text_atomic
from akhbar.pipeline import BuildConfig, InputError, RecordError, check_output_folder, process_page, \
    staged_ids_and_dates
from akhbar.ner_config import ner_features
from akhbar.gold import annotation_name
from akhbar.read import read_page, seed_listing, seed_paths
from akhbar.storage import Location, location
from akhbar.release_state import carry_release
from akhbar.schema import LINK_FEATURES, document_features, row_features
from akhbar.stages import (config_rows, dated_members, file_ranges, finish_record, line_count_partial, link_entry,
                           meeting_keys, prefix_sums, sum_line_counts)
from akhbar.write import SPLIT, ShardWriter, write_rows

CONFIGS = ("documents", "entities", "events", "ner")
#: Columns of the staged documents each config's write task needs (``finish_record`` reads these).
_COLUMNS = {"documents": None, "entities": ["id", "entities"], "events": ["id", "published", "entities", "events"],
            "ner": ["id", "body_text", "entities"]}


@dataclass(frozen=True)
class RayConfig:
    """Where and how the Ray build runs.

    - ``address``: a running cluster's GCS (``head:6379``), or None for a Ray
      started on this machine for the build and stopped after it.
    - ``partitions``: chunks of pages and link partitions; None: 2 × the cluster's CPUs.
    - ``max_chunk_pages``: a bound on the pages of one task, so a task's memory and the work lost
      with a node stay bounded whatever the corpus size.
    - ``task_memory``: bytes each task declares (a pass-2 worker peaks near 250 MB). Ray Data
      reruns a task whose worker or node died (its default, ``max_retries=-1``); an exception
      raised by the task itself (a bad page) is not retried: it would fail again.
    - ``temp_dir``: Ray's session folder for a local Ray (its logs, sockets and spilled objects).
    """

    address: str | None = None
    partitions: int | None = None
    max_chunk_pages: int = 2000
    task_memory: int = 1 << 29
    temp_dir: Path | None = None


class RayBuildError(Exception):
    """The cluster failed the build (not the input): the staging folder is kept for a rerun.
    ``out_unchanged`` is False only when copying to an object store failed halfway."""

    def __init__(self, message: str, out_unchanged: bool = True):
        super().__init__(message)
        self.out_unchanged = out_unchanged


# --- connecting -------------------------------------------------------------------------------------

def _package_root() -> str:
    """The folder holding the ``akhbar`` package: workers need it on their path (they do not
    inherit the driver's ``sys.path``)."""
    import akhbar
    return str(Path(akhbar.__file__).resolve().parents[1])


def connect(cfg: RayConfig) -> bool:
    """Join ``cfg.address`` or start a local Ray; True when this call started it (and must stop it).

    An explicit address always: a plain ``ray.init()`` would follow a leftover
    ``ray_current_cluster`` file to a cluster that may be long dead.
    """
    import ray
    import ray.data

    if ray.is_initialized():
        return False
    # Ray logs to the session folder; here only errors, and a bad page's error once, as our one line
    logging.getLogger("ray").setLevel(logging.ERROR)
    common = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    if cfg.address in (None, "local"):
        path = os.pathsep.join(filter(None, [_package_root(), os.environ.get("PYTHONPATH")]))
        ray.init(address="local", runtime_env={"env_vars": {"PYTHONPATH": path}},
                 _temp_dir=str(cfg.temp_dir) if cfg.temp_dir else None, **common)
    else:
        # the nodes need not have this checkout: the package travels with the job
        import akhbar
        ray.init(address=cfg.address, runtime_env={"py_modules": [akhbar]}, **common)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # ours count tasks; Ray Data's count blocks per operator
    logging.getLogger("ray.data").setLevel(logging.CRITICAL)
    return True


def cluster_cpus() -> int:
    import ray
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


# --- running a step ---------------------------------------------------------------------------------

@dataclass
class StepLog:
    """Tasks run and tasks found finished (resumed), and the wall time of each step, for the report
    and the bench."""

    ran: int = 0
    reused: int = 0
    seconds: dict = field(default_factory=dict)

    @contextlib.contextmanager
    def timed(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 3)


def run_step(name: str, func: Callable[..., dict], tasks: list[dict], cfg: RayConfig, progress: bool,
             shared: dict | None = None, log: StepLog | None = None) -> list[dict]:
    """``func(task, **shared)`` for every task on the cluster, one Ray Data block per task; returns
    each task's result, in task order. A task whose marker (``task["marker"]``) exists is not run
    again: its result is the marker's content. ``func`` writes its marker itself, after its files."""
    with log.timed(name) if log is not None else contextlib.nullcontext():
        return _run_step(name, func, tasks, cfg, progress, shared, log)


def _run_step(name, func, tasks, cfg, progress, shared, log) -> list[dict]:
    import ray
    import ray.data

    results: dict[int, dict] = {}
    todo = []
    for n, task in enumerate(tasks):
        path = location(task["marker"])
        if path.exists():
            results[n] = json.loads(path.read_text(encoding="utf-8"))
        else:
            todo.append({"n": n, "task": json.dumps(task)})
    if log is not None:
        log.ran += len(todo)
        log.reused += len(results)
    bar = tqdm(total=len(tasks), initial=len(results), desc=name, unit="task", disable=not progress)
    if todo:
        refs = {key: ray.put(value) for key, value in (shared or {}).items()}
        dataset = ray.data.from_items(todo, override_num_blocks=len(todo)).map_batches(
            _task_batch, batch_size=1, batch_format="pyarrow", fn_kwargs={"func": func, "refs": refs},
            num_cpus=1, memory=cfg.task_memory)
        for row in dataset.iter_rows():
            if row["error"]:
                raise pickle.loads(row["error"])
            results[row["n"]] = json.loads(row["result"])
            bar.update()
    bar.close()
    return [results[n] for n in range(len(tasks))]


def _task_batch(batch: pa.Table, func, refs: dict) -> pa.Table:
    shared = {key: _cached_get(ref) for key, ref in refs.items()}
    [row] = batch.to_pylist()
    try:
        result, error = json.dumps(func(json.loads(row["task"]), **shared)), b""
    except (InputError, RecordError) as err:
        # returned, not raised: Ray would wrap it and drop the original, and retrying cannot help
        result, error = "", pickle.dumps(err)
    return pa.table({"n": [row["n"]], "result": [result], "error": pa.array([error], pa.binary())})


_fetched: dict = {}


def _cached_get(ref):
    """One ``ray.get`` per worker process for what every task of a step shares (the line counts,
    the clusters): a worker runs many tasks."""
    import ray
    key = ref.hex()
    if key not in _fetched:
        _fetched.clear()  # one step's objects at a time
        _fetched[key] = ray.get(ref)
    return _fetched[key]


def _write_marker(path: str, result: dict) -> dict:
    storage.write_bytes_atomic(location(path), json.dumps(result).encode("utf-8"))
    return result


@contextlib.contextmanager
def _scratch(stage: Location, name: str) -> Iterator[Path]:
    """A folder on this machine's disk where a Parquet file is made before it is moved into the
    stage: inside the stage when that is local (the move is a rename), else a temporary folder."""
    parent = None
    if not storage.is_remote(stage):
        parent = stage / "write"
        parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent, prefix=f".{name}-") as folder:
        yield Path(folder)


def _staged_table(folder: Location) -> pa.Table:
    """The rows every chunk of pass 2 wrote into one partition folder, in chunk order."""
    return pa.concat_tables([storage.read_table(p) for p in storage.files_under(folder, "chunk-*.parquet")])


def _features(config: str):
    if config == "ner":
        return ner_features()
    return document_features() if config == "documents" else row_features({"entities": "entity", "events": "event"}[config])


# --- the tasks (they run on the cluster) ----------------------------------------------------------------

def pass1_task(task: dict, build: BuildConfig) -> dict:
    """Line-count partial of one chunk of pages → ``pass1/chunk-C.parquet``."""
    folder = location(task["folder"])
    paths = [folder / name for name in task["names"]]
    partial = line_count_partial((read_page(p, build.max_bytes).raw_text for p in paths),
                                 build.segment.corpus_repeat_max_words)
    hashes = sorted(partial.counts)
    table = pa.table({"hash": pa.array(hashes, pa.binary()), "n": pa.array([partial.counts[h] for h in hashes], pa.int64())})
    storage.write_parquet(table, location(task["stage"]) / "pass1" / f"chunk-{task['chunk']:05d}.parquet")
    return _write_marker(task["marker"], {"documents": partial.documents})


def pass2_task(task: dict, build: BuildConfig, counts) -> dict:
    """Pass 2 over one chunk: staged documents, and the link rows of each partition."""
    stage, chunk, parts, first = location(task["stage"]), task["chunk"], task["partitions"], task["first"]
    folder = location(task["folder"])
    records, entity_counts, event_counts, sentence_counts = [], [], [], []
    flags, keys, sigs = [], [], []
    for name, annotated in zip(task["names"], task["annotated"]):
        result = process_page(folder / name, counts, build, annotated)
        record = result.record
        records.append(record)
        entity_counts.append(len(record["entities"]))
        event_counts.append(len(record["events"]))
        sentence_counts.append(len(result.sentences))
        flag, key, sig = links.store_row(*link_entry(record, result.exact_key, result.signature), build.links)
        flags.append(flag)
        keys.append(key)
        sigs.append(sig)
    schema = document_features().arrow_schema
    storage.write_parquet(pa.Table.from_pylist(records, schema=schema), stage / "pass2" / "data" / "documents" / f"chunk-{chunk:05d}.parquet")
    del records
    rows = np.arange(first, first + len(flags), dtype=np.int64)
    flags = np.array(flags, dtype=np.uint8)
    sigs = np.stack(sigs) if sigs else np.empty((0, build.links.num_perm), dtype=np.uint32)
    # exact keys, partitioned by key: equal keys meet in one partition
    prefix = np.frombuffer(b"".join(keys), dtype="<u8")[::4] if keys else np.empty(0, dtype=np.uint64)
    keyed = flags > 0
    for part in range(parts):
        take = np.flatnonzero(keyed & (prefix % np.uint64(parts) == part))
        storage.write_parquet(pa.table({"row": rows[take], "key": pa.array([keys[i] for i in take], pa.binary(32))}),
                       stage / "pass2" / "exact" / f"part-{part:05d}" / f"chunk-{chunk:05d}.parquet")
    # LSH band buckets, partitioned by bucket: rows sharing a bucket meet in one partition, with
    # their signatures, so each partition verifies its own candidates
    lsh = np.flatnonzero(flags == 2)
    band_rows = [(band, links.band_hashes(sigs[lsh], band, build.links)) for band in range(build.links.bands)]
    for part in range(parts):
        columns = {"band": [], "bucket": [], "row": [], "sig": []}
        for band, buckets in band_rows:
            take = np.flatnonzero(buckets % np.uint64(parts) == part)
            columns["band"].append(np.full(len(take), band, dtype=np.int16))
            columns["bucket"].append(buckets[take])
            columns["row"].append(rows[lsh[take]])
            columns["sig"].append(sigs[lsh[take]])
        sig_block = np.concatenate(columns["sig"]) if columns["sig"] else np.empty((0, build.links.num_perm), np.uint32)
        table = pa.table({"band": np.concatenate(columns["band"]) if columns["band"] else np.empty(0, np.int16),
                          "bucket": np.concatenate(columns["bucket"]) if columns["bucket"] else np.empty(0, np.uint64),
                          "row": np.concatenate(columns["row"]) if columns["row"] else np.empty(0, np.int64),
                          "sig": pa.FixedSizeListArray.from_arrays(pa.array(sig_block.reshape(-1)), build.links.num_perm)})
        storage.write_parquet(table, stage / "pass2" / "bands" / f"part-{part:05d}" / f"chunk-{chunk:05d}.parquet")
    return _write_marker(task["marker"], {"documents": len(flags), "entities": entity_counts, "events": event_counts,
                                                "ner": sentence_counts})


def exact_task(task: dict) -> dict:
    """Exact groups among the rows of one key partition."""
    table = _staged_table(location(task["stage"]) / "pass2" / "exact" / f"part-{task['part']:05d}")
    order = np.argsort(table["row"].to_numpy(), kind="stable")
    rows = table["row"].to_numpy()[order].tolist()
    keys = table["key"].to_pylist()
    groups = links.equal_key_groups(rows, [keys[i] for i in order.tolist()])
    return _write_marker(task["marker"], {"groups": [g.tolist() for g in groups]})


def near_task(task: dict, build: BuildConfig, excluded: np.ndarray) -> dict:
    """Verified near pairs among the rows of one bucket partition (rows standing for an exact group
    other than its first are left out, as in :func:`akhbar.links.duplicate_pairs`)."""
    table = _staged_table(location(task["stage"]) / "pass2" / "bands" / f"part-{task['part']:05d}")
    rows = table["row"].to_numpy()
    keep = ~np.isin(rows, excluded)
    band, bucket, rows = table["band"].to_numpy()[keep], table["bucket"].to_numpy()[keep], rows[keep]
    n = task["rows"]
    codes = links.unique_codes([links.bucket_pair_codes(bucket[band == b], rows[band == b], n)
                                for b in range(build.links.bands)])
    pairs = links.pair_rows(codes, n)
    # the signatures of this partition's rows, indexed by their rank among its rows
    sig_rows, first = np.unique(rows, return_index=True)
    sigs = table["sig"].combine_chunks().flatten().to_numpy().reshape(-1, build.links.num_perm)[np.flatnonzero(keep)[first]]
    local = np.searchsorted(sig_rows, pairs) if len(pairs) else pairs
    near = [(int(sig_rows[i]), int(sig_rows[j]), score) for i, j, score in links.verify_pairs(local, sigs, build.links)]
    return _write_marker(task["marker"], {"near": near})


def write_task(task: dict, build: BuildConfig, clusters: dict, dated: dict) -> dict:
    """One Parquet file of one config: its rows' documents read from the staged chunks, finished,
    and written by :class:`~akhbar.write.ShardWriter` as the local build writes them."""
    config, lo, hi = task["config"], task["lo"], task["hi"]
    stage = location(task["stage"])
    rows, keys = [], []
    position = task["first_row"]  # config row position of the first row of the first document read
    for chunk, start, stop in task["reads"]:
        path = stage / "pass2" / "data" / "documents" / f"chunk-{chunk:05d}.parquet"
        table = storage.read_table(path, columns=_COLUMNS[config]).slice(start, stop - start)
        for offset in range(0, table.num_rows, 64):  # a few documents as Python objects at a time
            for record in table.slice(offset, 64).to_pylist():
                if config in ("documents", "events"):  # finishing changes dedup_cluster and events only
                    record = finish_record(record, clusters, dated)
                if config == "documents":
                    found = meeting_keys(record)
                    if found:
                        keys.append((record["id"], found))
                for row in config_rows(config, record):
                    if lo <= position < hi:
                        rows.append(row)
                    position += 1
    features = _features(config)
    target = location(task["out"]) / "data" / config / f"{SPLIT}-{task['file']:05d}-of-{task['files']:05d}.parquet"
    with _scratch(stage, f"{config}-{task['file']:05d}") as scratch:
        writer = ShardWriter(scratch, config, features, rows_per_group=build.rows_per_group, rows_per_file=1 << 62)
        for row in rows:
            writer.add(row)
        [written] = writer.close()
        storage.upload(written, target)
    return _write_marker(task["marker"], {"num_rows": writer.num_rows, "num_bytes": writer.num_bytes, "keys": keys})


# --- the build (the driver) -------------------------------------------------------------------------------

@dataclass
class WrittenConfig:
    """What the card needs of a config written by many tasks (as of a closed ShardWriter)."""

    features: object
    num_rows: int = 0
    num_bytes: int = 0


def stage_folder(out: Location) -> Location:
    """The Ray build's staging folder, beside the output (on the same store when it is a URL): kept
    across failed runs, so a rerun resumes."""
    out = out if storage.is_remote(out) else out.resolve()
    return out.with_name(f".{out.name}.ray-stage")


def _fingerprint(cfg: BuildConfig, listed: dict[str, tuple[int, str]]) -> dict:
    """What the staged results depend on: the pages and annotation files (name, size, version, from
    the folder's listing ``listed``), the settings and the code. A rerun reuses the staging folder
    only when this is unchanged."""
    files = sorted([name, *stat] for name, stat in listed.items() if name.endswith((".txt", ".ann.json")))
    code = hashlib.sha256()
    package = Path(_package_root()) / "akhbar"
    for p in sorted(package.rglob("*")):
        if p.is_file() and p.suffix != ".pyc":
            code.update(str(p.relative_to(package)).encode() + b"\0" + p.read_bytes())
    settings = {f.name: repr(getattr(cfg, f.name)) for f in fields(cfg) if f.name not in ("workers", "progress", "out")}
    return {"files": hashlib.sha256(json.dumps(files).encode()).hexdigest(), "code": code.hexdigest(), "settings": settings}


def _chunks(n: int, parts: int, max_pages: int) -> list[tuple[int, int]]:
    """Contiguous position ranges covering ``n`` pages: at least ``parts``, none over ``max_pages``."""
    count = min(n, max(parts, math.ceil(n / max_pages)))
    bounds = [round(i * n / count) for i in range(count + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def _reads(chunk_first: np.ndarray, doc_lo: int, doc_hi: int) -> list[tuple[int, int, int]]:
    """``(chunk, start, stop)`` slices of the staged chunks that hold documents ``[doc_lo, doc_hi)``."""
    reads = []
    for chunk in range(len(chunk_first) - 1):
        lo, hi = max(doc_lo, chunk_first[chunk]), min(doc_hi, chunk_first[chunk + 1])
        if lo < hi:
            reads.append((chunk, int(lo - chunk_first[chunk]), int(hi - chunk_first[chunk])))
    return reads


def build_dataset_ray(cfg: BuildConfig, ray_cfg: RayConfig, card: Path | None = None, gold_body: Path | None = None,
                      heldout: list[Path] = (), agreement: Path | None = None, log: StepLog | None = None) -> str:
    """:func:`akhbar.pipeline.build_dataset` on Ray; the same files, byte for byte.

    Raises :class:`InputError` / :class:`RecordError` as the local build does (the staging folder
    is then removed: the input has to change first) and :class:`RayBuildError` when the cluster
    fails; then, and after any other error or an interruption, the staging folder is kept and a
    rerun of the same build resumes from it.
    """
    check_output_folder(cfg.seeds, cfg.out)
    listed = seed_listing(cfg.seeds)  # once: the pages and the fingerprint both come from it
    paths = seed_paths(cfg.seeds, listed)
    stage = stage_folder(cfg.out)
    inputs = _fingerprint(cfg, listed)
    if stage.exists() and (not (stage / "inputs.json").exists()
                           or json.loads((stage / "inputs.json").read_text(encoding="utf-8")) != inputs):
        storage.remove_tree(stage)  # made from other pages, settings or code: nothing in it can be reused
    if not storage.is_remote(stage):  # an object store has no folders to make
        for sub in ("pass1", "pass2", "link", "write", "out"):
            (stage / sub).mkdir(parents=True, exist_ok=True)
    storage.write_bytes_atomic(stage / "inputs.json", json.dumps(inputs).encode("utf-8"))
    import ray.exceptions

    log = log if log is not None else StepLog()
    with log.timed("start Ray"):
        started = connect(ray_cfg)
    try:
        report, text = _build(cfg, ray_cfg, paths, listed, stage, gold_body, heldout, agreement, log)
    except (InputError, RecordError):
        storage.remove_tree(stage)
        raise
    except ray.exceptions.RayError as err:
        raise RayBuildError(f"the Ray build failed ({type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}); "
                            f"finished tasks are kept in {stage}: rerun the same command to resume") from err
    finally:
        if started:
            import ray
            ray.shutdown()
    if card is not None:
        write_text_atomic(card, strip_front_matter(text))
    return report


def _build(cfg: BuildConfig, ray_cfg: RayConfig, paths: list[Path], listed: dict, stage: Path, gold_body, heldout,
           agreement, log: StepLog):
    plan_path = stage / "plan.json"
    if plan_path.exists():  # a rerun keeps the first run's cut, whatever the cluster is now
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
    else:
        parts = ray_cfg.partitions or 2 * cluster_cpus()
        plan = {"partitions": parts, "chunks": _chunks(len(paths), parts, ray_cfg.max_chunk_pages)}
        storage.write_bytes_atomic(plan_path, json.dumps(plan).encode("utf-8"))
    parts, chunks = plan["partitions"], [tuple(c) for c in plan["chunks"]]
    names = [p.name for p in paths]
    folder = str(paths[0].parent if storage.is_remote(paths[0]) else paths[0].parent.resolve())
    build = BuildConfig(**{**{f.name: getattr(cfg, f.name) for f in fields(cfg)}, "progress": False})
    def step(name, func, tasks, **shared):
        return run_step(name, func, tasks, ray_cfg, cfg.progress, shared, log)

    # pass 1: partial line counts per chunk, summed here
    tasks = [{"chunk": c, "folder": folder, "names": names[lo:hi], "stage": str(stage),
              "marker": str(stage / "pass1" / f"chunk-{c:05d}.json")} for c, (lo, hi) in enumerate(chunks)]
    partials = []
    for c, result in enumerate(step("count lines", pass1_task, tasks, build=build)):
        table = storage.read_table(stage / "pass1" / f"chunk-{c:05d}.parquet")
        partial = line_count_partial((), build.segment.corpus_repeat_max_words)
        partial.documents = result["documents"]
        partial.counts.update(dict(zip(table["hash"].to_pylist(), table["n"].to_pylist())))
        partials.append(partial)
    counts = sum_line_counts(partials, build.segment)
    del partials

    # pass 2: the pages, staged; link rows by partition
    # which pages have an annotation file, from the listing: no request per page to ask
    annotated = [annotation_name(name) in listed for name in names]
    tasks = [{**t, "first": chunks[t["chunk"]][0], "partitions": parts, "annotated": annotated[slice(*chunks[t["chunk"]])],
              "marker": str(stage / "pass2" / f"chunk-{t['chunk']:05d}.json")} for t in tasks]
    done = step("annotate", pass2_task, tasks, build=build, counts=counts)
    entity_counts = np.array([n for r in done for n in r["entities"]], dtype=np.int64)
    event_counts = np.array([n for r in done for n in r["events"]], dtype=np.int64)
    sentence_counts = np.array([n for r in done for n in r["ner"]], dtype=np.int64)
    chunk_first = prefix_sums(r["documents"] for r in done)

    # link: exact groups per key partition, then near pairs per bucket partition
    tasks = [{"part": p, "stage": str(stage), "marker": str(stage / "link" / f"exact-{p:05d}.json")} for p in range(parts)]
    groups = [np.array(g, dtype=np.int64) for r in step("exact duplicates", exact_task, tasks) for g in r["groups"]]
    groups.sort(key=lambda g: g[0])
    excluded = np.unique(np.concatenate([g[1:] for g in groups])) if groups else np.empty(0, dtype=np.int64)
    tasks = [{"part": p, "stage": str(stage), "rows": len(paths), "marker": str(stage / "link" / f"near-{p:05d}.json")}
             for p in range(parts)]
    found = step("near duplicates", near_task, tasks, build=build, excluded=excluded)
    near = sorted({(i, j): score for r in found for i, j, score in r["near"]}.items())  # a pair may share several bands
    pairs = links.DuplicatePairs(groups, [(i, j, s) for (i, j), s in near])
    with log.timed("clusters"):
        ids, published = staged_ids_and_dates(stage / "pass2", pairs.rows())
        duplicate_links = pairs.links(ids, cfg.links)
        clusters = links.dedup_clusters(ids.values(), duplicate_links)
        dated = dated_members(clusters, published)

    # write: one task per Parquet file, rows placed by prefix sums of the per-document counts
    out = stage / "out"
    firsts = {"documents": np.arange(len(paths) + 1, dtype=np.int64), "entities": prefix_sums(entity_counts),
              "events": prefix_sums(event_counts), "ner": prefix_sums(sentence_counts)}
    tasks = []
    for config in CONFIGS:
        ranges = file_ranges(int(firsts[config][-1]), cfg.rows_per_group, cfg.rows_per_file)
        for k, (lo, hi) in enumerate(ranges):
            # the documents whose rows fall in [lo, hi): the first whose rows end after lo, up to
            # the first whose rows start at or after hi
            doc_lo = int(np.searchsorted(firsts[config], lo, side="right")) - 1 if hi > lo else 0
            doc_hi = int(np.searchsorted(firsts[config], hi, side="left")) if hi > lo else 0
            doc_lo = max(0, min(doc_lo, doc_hi))
            tasks.append({"config": config, "file": k, "files": len(ranges), "lo": lo, "hi": hi,
                          "first_row": int(firsts[config][doc_lo]), "reads": _reads(chunk_first, doc_lo, doc_hi),
                          "stage": str(stage), "out": str(out), "marker": str(stage / "write" / f"{config}-{k:05d}.json")})
    written = step("write", write_task, tasks, build=build, clusters=clusters, dated=dated)
    writers = {config: WrittenConfig(_features(config)) for config in CONFIGS}
    event_keys = []
    for task, result in zip(tasks, written):
        writer = writers[task["config"]]
        writer.num_rows += result["num_rows"]
        writer.num_bytes += result["num_bytes"]
        event_keys.extend((doc_id, keys) for doc_id, keys in result["keys"])
    all_links = sorted(duplicate_links + links.same_event_links(event_keys))
    limits = {"rows_per_group": cfg.rows_per_group, "rows_per_file": cfg.rows_per_file}
    storage.remove_tree(out / "data" / "links")  # a rerun writes them again
    with _scratch(stage, "links") as scratch:
        writers["links"] = write_rows(scratch, "links", LINK_FEATURES, (asdict(link) for link in all_links), **limits)
        for path in sorted((scratch / "data" / "links").iterdir()):
            storage.upload(path, out / "data" / "links" / path.name)

    # card, then the swap
    with log.timed("card"):
        figures = evaluation.run(cfg.seeds, gold_body, heldout, cfg.segment, agreement)
        # the last release kept or marked gone, as the local build does (akhbar.release_state)
        text, release_note = carry_release(cfg.out, out, lambda stamp: render_card(out, writers, figures, release=stamp))
    try:
        storage.publish(out, cfg.out)
    except OSError as err:
        if not storage.is_remote(cfg.out):
            raise
        raise RayBuildError(f"copying the built files to {cfg.out} failed ({err}); it may hold old and new files "
                            f"together now: rerun the same command to finish the copy (the build is kept in {stage})",
                            out_unchanged=False) from err
    storage.remove_tree(stage)
    report = (f"Built {writers['documents'].num_rows} documents ({writers['entities'].num_rows} entity mentions, "
              f"{writers['events'].num_rows} events, {writers['links'].num_rows} links) into {cfg.out} "
              f"on Ray ({len(chunks)} chunks, {parts} link partitions; {log.ran} tasks run"
              + (f", {log.reused} finished ones reused from {stage}" if log.reused else "") + ")."
              + (f" {release_note}" if release_note else ""))
    return report, text
