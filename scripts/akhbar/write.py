"""Write Parquet shards deterministically, and swap a finished output folder into place.

Parquet files are written in bounded row groups and rotated at a bounded number of rows, so memory
stays flat whatever the corpus size, and the Hugging Face viewer can page through them. Nothing in a
file depends on the clock or the machine: the same rows give the same bytes.

Rows wait for their row group as Arrow record batches, converted a few rows at a time: a document
as Python objects (its entities a list of dicts) takes several times its Arrow size, and a row
group of them was the largest thing in the build's main process.

A build writes into a temporary sibling folder and :func:`replace_dir` swaps it in at the end, so a
failed or interrupted run leaves the previous release exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

SPLIT = "train"


class ShardWriter:
    """Streams rows of one config into ``data/<config>/train-XXXXX-of-YYYYY.parquet``.

    >>> # writer = ShardWriter(out, "documents", features); writer.add(row) ...; writer.close()
    """

    def __init__(self, root: Path, config: str, features: Features, rows_per_group: int = 1000, rows_per_file: int = 20000,
                 compression_level: int = 9):
        self.folder = root / "data" / config
        self.folder.mkdir(parents=True, exist_ok=True)
        self.config = config
        self.features = features
        self.schema = features.arrow_schema
        self.rows_per_group = rows_per_group
        self.rows_per_file = rows_per_file
        self.compression_level = compression_level  # 9 for the dataset; a staging copy read once takes 1
        self._buffer: list[dict] = []  # rows not yet converted to Arrow
        self._batches: list[pa.RecordBatch] = []  # converted rows of the current row group
        self._buffered = 0  # rows of the current row group, in both
        self._writer: pq.ParquetWriter | None = None
        self._rows_in_file = 0
        self.files: list[Path] = []
        self.num_rows = 0
        self.num_bytes = 0  # Arrow (in-memory) size, what the card's dataset_info reports

    _CONVERT_ROWS = 64

    def add(self, row: dict) -> None:
        self._buffer.append(row)
        self._buffered += 1
        if self._buffered >= self.rows_per_group:
            self._flush()
        elif len(self._buffer) >= self._CONVERT_ROWS:
            self._convert()

    def _convert(self) -> None:
        if self._buffer:
            self._batches.append(pa.RecordBatch.from_pylist(self._buffer, schema=self.schema))
            self._buffer = []

    def _flush(self) -> None:
        self._convert()
        if not self._batches:
            return
        if self._writer is None or self._rows_in_file >= self.rows_per_file:
            self._open_next()
        # one chunk per column, as if the whole group had been converted at once: same bytes
        table = pa.Table.from_batches(self._batches).combine_chunks()
        self._batches = []
        self._writer.write_table(table, row_group_size=table.num_rows)
        self.num_rows += table.num_rows
        self.num_bytes += table.nbytes
        self._rows_in_file += table.num_rows
        self._buffered = 0
        del table
        # Arrow's allocator keeps freed memory for reuse; conversion, compression and the reading of
        # staged rows leave it ~100 MB that the process never needs again at once.
        pa.default_memory_pool().release_unused()

    def _open_next(self) -> None:
        if self._writer is not None:
            self._writer.close()
        path = self.folder / f"{SPLIT}-{len(self.files):05d}.parquet.part"
        self._writer = pq.ParquetWriter(path, self.schema, compression="zstd", compression_level=self.compression_level)
        self.files.append(path)
        self._rows_in_file = 0

    def close(self) -> list[Path]:
        """Finish the last file and give every file its final ``-of-N`` name."""
        self._flush()
        if self._writer is None:  # an empty config still gets one (empty) file, so it loads
            self._open_next()
        self._writer.close()
        final = []
        for n, path in enumerate(self.files):
            target = self.folder / f"{SPLIT}-{n:05d}-of-{len(self.files):05d}.parquet"
            path.rename(target)
            final.append(target)
        self.files = final
        return final


def write_rows(root: Path, config: str, features: Features, rows, **limits) -> ShardWriter:
    """Write an iterable of rows as one config and return its (closed) writer."""
    writer = ShardWriter(root, config, features, **limits)
    for row in rows:
        writer.add(row)
    writer.close()
    return writer


def iter_rows(root: Path, config: str, columns: list[str] | None = None, batch_size: int = 64) -> Iterator[dict]:
    """Stream the rows of one config of a built dataset, in file order.

    A few rows at a time become Python objects: a thousand documents would take ~150 MB.
    """
    from akhbar.storage import files_under, parquet_file

    for path in files_under(root / "data" / config, f"{SPLIT}-*.parquet"):
        with parquet_file(path) as parquet:
            for batch in parquet.iter_batches(batch_size=batch_size, columns=columns):
                yield from batch.to_pylist()


@contextmanager
def staging_dir(target: Path) -> Iterator[Path]:
    """A fresh temporary folder beside ``target``; removed unless :func:`replace_dir` consumed it.

    Staging folders of processes that died without cleaning up (killed outright) go first.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        yield tmp
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def _dead(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def remove_stale(target: Path) -> list[Path]:
    """Remove what dead processes left beside ``target``: their staging folders ``.<name>.tmp-PID``,
    and their previous copies ``.<name>.old-PID``, put back when ``target`` itself is missing
    (the process died between the two renames of :func:`replace_dir`). Returns what was removed."""
    removed = []
    for kind in ("tmp", "old"):
        for path in sorted(target.parent.glob(f".{target.name}.{kind}-*")):
            pid = path.name.rsplit("-", 1)[1]
            if not pid.isdigit() or int(pid) == os.getpid() or not _dead(int(pid)):
                continue
            if kind == "old" and not target.exists():
                path.rename(target)
                continue
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            removed.append(path)
    return removed


def replace_dir(staged: Path, target: Path) -> None:
    """Swap ``staged`` into ``target``; the old content survives until the new one is in place."""
    target = target.resolve()
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    try:
        staged.rename(target)
    except BaseException:
        if old.exists():
            old.rename(target)
        raise
    if old.exists():
        shutil.rmtree(old)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary sibling file and a rename: readers see the
    old file or the new one, never half of one."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)


def move_files(files: list[Path], staged: Path, target: Path) -> list[Path]:
    """Move ``files`` (inside the folder ``staged``) to the same relative paths under ``target``,
    replacing files of the same name and leaving every other file of ``target`` alone; return
    the new paths. Commands that add files to a user's folder write them into a staging folder
    first, so a failed run leaves the folder as it was."""
    moved = []
    for path in files:
        destination = target / path.relative_to(staged)
        destination.parent.mkdir(parents=True, exist_ok=True)
        path.replace(destination)
        moved.append(destination)
    return moved
