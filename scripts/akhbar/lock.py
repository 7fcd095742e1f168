"""One writer per folder: a lock file beside the folder while a command writes into it, then removed.

The lock cannot live inside the folder, because a build replaces the folder by renaming a staged
copy over it; beside it, it is removed when the command ends (also when it fails or is interrupted
by SIGINT or SIGTERM), so nothing is left next to the folder. A process killed outright (SIGKILL)
leaves the file, but not the lock: the kernel releases an ``flock`` with its process, and the next
command takes the file over and removes it.

Removing a lock file safely: the holder removes the file before releasing it, and a command that
was waiting on the removed file sees, once it holds it, that the path now names another file (or
none), and starts again on the path.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: filelock's lock, whose file stays
    fcntl = None

#: Seconds between two attempts while another command holds the lock.
POLL_SECONDS = 0.05


class LockTimeout(Exception):
    """Another command held the lock for longer than the timeout."""

    def __init__(self, lock_file: Path):
        self.lock_file = lock_file
        super().__init__(str(lock_file))


def lock_path(folder: Path) -> Path:
    """``.akhbar-<name>.lock`` beside ``folder``."""
    folder = folder.resolve()
    return folder.with_name(f".akhbar-{folder.name}.lock")


@contextmanager
def folder_lock(folder: Path, timeout: float) -> Iterator[Path]:
    """Hold the lock of ``folder`` (waiting up to ``timeout`` seconds, else :class:`LockTimeout`);
    yield the lock file's path, and remove it on the way out."""
    path = lock_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:  # pragma: no cover
        from filelock import FileLock, Timeout
        try:
            with FileLock(str(path)).acquire(timeout=timeout):
                yield path
        except Timeout:
            raise LockTimeout(path) from None
        return
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise LockTimeout(path) from None
            time.sleep(POLL_SECONDS)
            continue
        if _names(path, fd):
            break
        os.close(fd)  # the previous holder removed this file as it released it: take the new one
    try:
        yield path
    finally:
        try:
            os.unlink(path)
        finally:
            os.close(fd)


def _names(path: Path, fd: int) -> bool:
    """Whether ``path`` still names the open file ``fd``."""
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False
