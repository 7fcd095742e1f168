"""Where pages are read and datasets written: a local folder, or any filesystem fsspec reaches.

The nodes of a cluster share no disk, so ``akhbar build --engine ray`` reads its pages from, stages
its work in and writes its dataset to a URL every node can reach (``s3://bucket/pages``,
``gs://…``, ``abfs://…``; ``file://…`` for a folder on a shared mount). A local path stays a
:class:`pathlib.Path`; a URL becomes a :class:`upath.UPath` (universal-pathlib), which has the same
methods over fsspec, so the code that reads pages and annotation files is the same for both. What
differs, and lives here, is what an object store cannot do the way a disk does: list a folder with
the files' sizes in one call, replace a file atomically (write, then rename), and swap a folder.

::

    location("s3://bucket/pages") → UPath;  location("seeds") → Path
    listing(folder)                 {name: (size, version)} of the files directly in it, one call
    write_bytes_atomic(path, data)  whole or not at all (a reader never sees half a file)
    write_parquet(table, path)      the same, for a Parquet file
    parquet_file(path)              a pyarrow ParquetFile open on a local or remote file
    upload(local_file, path)        a file made on this machine, to ``path``
    remove_tree(path)               a folder and all under it, if it exists
    publish(staged, out)            the staged dataset becomes ``out`` (remote: file by file)

Credentials and endpoints are fsspec's: the usual variables of each store on every node
(``AWS_ACCESS_KEY_ID``…, ``GOOGLE_APPLICATION_CREDENTIALS``), or fsspec's own
``FSSPEC_<PROTOCOL>_<OPTION>`` (``FSSPEC_S3_ENDPOINT_URL=http://minio:9000``).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator, Union

import pyarrow as pa
import pyarrow.parquet as pq

from upath import UPath

#: A page folder, a staging folder or a dataset: local, or a URL.
Location = Union[Path, UPath]


def is_url(value: str | os.PathLike) -> bool:
    return "://" in str(value)


def location(value: str | os.PathLike) -> Location:
    """``value`` as a path: a :class:`Path` when it is local, a :class:`UPath` when it is a URL."""
    if isinstance(value, Path) or not is_url(value):
        return Path(value)
    import fsspec
    try:
        path = UPath(str(value))
        fsspec.get_filesystem_class(path.protocol)  # now, not at the first read on a worker
    except (ValueError, ImportError) as err:  # a protocol fsspec does not know, or whose package is missing
        raise ValueError(f"{value}: {err}") from None
    return path


def is_remote(path: Location) -> bool:
    """Whether ``path`` is reached through fsspec (a URL), not the local file system's own calls.
    A ``file://`` URL is remote in this sense: it takes the code path of an object store."""
    # universal-pathlib gives a path with no scheme a PosixUPath (a pathlib path too): local
    return isinstance(path, UPath) and type(path).__name__ not in ("PosixUPath", "WindowsUPath")


def listing(folder: Location) -> dict[str, tuple[int, str]]:
    """``{name: (size, version)}`` of the files directly in ``folder``, in one listing call (a
    million pages on an object store must not cost a million requests). ``version`` changes when the
    file does: its modification time, or its ETag/generation where the store has no time."""
    if not is_remote(folder):
        with os.scandir(folder) as entries:
            return {e.name: (s.st_size, str(s.st_mtime_ns)) for e in entries if e.is_file() for s in [e.stat()]}
    found = {}
    folder.fs.invalidate_cache(folder.path)  # another process may have written there since
    for info in folder.fs.ls(folder.path, detail=True):
        if info.get("type") == "file":
            version = next((str(info[k]) for k in ("mtime", "LastModified", "updated", "ETag", "etag", "generation")
                            if info.get(k) is not None), "")
            found[info["name"].rstrip("/").rsplit("/", 1)[-1]] = (int(info.get("size") or 0), version)
    return found


def write_bytes_atomic(path: Location, data: bytes) -> None:
    """Write ``path`` whole or not at all: to a temporary sibling, then renamed over it (on an object
    store the upload of one object is already atomic)."""
    _make_parent(path)
    if is_remote(path) and not _has_folders(path):
        path.write_bytes(data)
        return
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    if is_remote(path):
        path.fs.mv(tmp.path, path.path)
    else:
        tmp.replace(path)


def _has_folders(path: Location) -> bool:
    """Whether the store has real folders (a disk behind ``file://``), which must exist before a
    file is written in them; an object store has only keys."""
    return not is_remote(path) or path.protocol in ("file", "local")


def _make_parent(path: Location) -> None:
    if not is_remote(path):
        path.parent.mkdir(parents=True, exist_ok=True)
    elif _has_folders(path):
        path.fs.makedirs(path.parent.path, exist_ok=True)


def write_parquet(table: pa.Table, path: Location, compression_level: int = 1) -> None:
    """An intermediate Parquet file, whole or not at all (so a half-written one is never taken for
    a whole one after a crash)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", compression_level=compression_level)
    write_bytes_atomic(path, sink.getvalue().to_pybytes())


@contextlib.contextmanager
def parquet_file(path: Location) -> Iterator[pq.ParquetFile]:
    """A ParquetFile on ``path``, closed afterwards (a remote one is read in ranges, not downloaded)."""
    with path.open("rb") as f:
        yield pq.ParquetFile(f)


def read_table(path: Location, columns: list[str] | None = None) -> pa.Table:
    with parquet_file(path) as parquet:
        return parquet.read(columns=columns)


def files_under(folder: Location, pattern: str) -> list[Location]:
    """The files of ``folder`` whose name matches ``pattern`` (a glob), sorted by name."""
    if is_remote(folder):
        folder.fs.invalidate_cache(folder.path)  # written by other workers since this one last looked
    if not folder.exists():
        return []
    return sorted((p for p in folder.glob(pattern) if not p.name.startswith(".")), key=lambda p: p.name)


def upload(local_file: Path, path: Location) -> None:
    """Move a file made on this machine (a worker's scratch) to ``path``."""
    _make_parent(path)
    if is_remote(path):
        path.fs.put_file(str(local_file), path.path)
        local_file.unlink()
    else:
        import shutil
        shutil.move(local_file, path)  # a rename on the same disk


def copy_file(src: Location, dst: Location) -> None:
    """A small file (a release's record, checksums, Croissant) from one dataset folder to another."""
    if is_remote(src) or is_remote(dst):
        dst.write_bytes(src.read_bytes())
    else:
        import shutil
        shutil.copy2(src, dst)


def remove_tree(path: Location) -> None:
    if is_remote(path):
        if path.exists():
            path.fs.rm(path.path, recursive=True)
    else:
        import shutil
        shutil.rmtree(path, ignore_errors=True)


def publish(staged: Location, out: Location) -> None:
    """Make ``out`` hold exactly what ``staged`` holds, then remove ``staged``.

    Locally that is :func:`akhbar.write.replace_dir` (two renames). An object store has no rename
    of a folder: each file is copied (on the store's side), the card last, then the files of the
    previous build that the new one does not have are deleted. It is not atomic: a reader during
    those seconds may see old and new files together; an interrupted publish is finished by running
    the same build again (the staging folder is kept until the end).
    """
    if not is_remote(out):
        from akhbar.write import replace_dir
        replace_dir(staged, out)
        return
    fs = out.fs
    new = set(_relative_files(staged))
    old = set(_relative_files(out)) if out.exists() else set()
    for name in sorted(new, key=lambda n: (n == "README.md", n)):
        _make_parent(out / name)
        fs.copy(f"{staged.path}/{name}", f"{out.path}/{name}")
    for name in sorted(old - new):
        fs.rm_file(f"{out.path}/{name}")
    remove_tree(staged)


def _relative_files(folder: Location) -> list[str]:
    root = folder.path.rstrip("/")
    relative = (name[len(root) + 1:] for name in folder.fs.find(root))
    return [name for name in relative if not name.startswith(".")]
