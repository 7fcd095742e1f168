"""Read seed pages: bytes → :class:`Page`, refusing what is not a text page.

``raw_text`` is the file decoded as UTF-8 with a leading BOM removed and CRLF/CR turned into LF;
nothing else is changed, so every offset of the dataset points into text a researcher can rebuild
from the file alone.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from akhbar.normalize import INVISIBLE_CHARACTERS

#: A document id: the file name without .txt. Letters, digits, ``_ . -``; starts with a letter or
#: digit; at most 128 characters. Safe in a path, a URL and a shell.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")

#: Default refusal size for one page (bytes). A news page is tens of kilobytes, a long one with its
#: chrome a few hundred; 2 MiB leaves room for any of them, while a page of many megabytes is a
#: dump or an archive whose annotation costs minutes and whose records hold tens of thousands of spans.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024

# C0 controls other than tab, LF, CR (and form feed, seen in some dumps): a share of them means binary.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# One scan in C for the rare page that holds them, instead of a Python test of every character.
_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE_CHARACTERS)) + "]")


class InputError(Exception):
    """A seed file that cannot become a record. ``str()`` is the message shown to the user."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self):
        # raised in a worker process, it must cross back to the parent whole
        return type(self), (self.path, self.reason)


@dataclass(frozen=True)
class Page:
    """One seed file, decoded."""

    id: str
    source_file: str
    sha256: str
    raw_text: str
    warnings: tuple[str, ...] = ()


def decode(data: bytes, path: Path | str = "<bytes>", max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, tuple[str, ...]]:
    """Decode a page's bytes to raw_text, or raise :class:`InputError` saying why not.

    Returns ``(raw_text, warnings)``.
    """
    if not data:
        raise InputError(path, "the file is empty")
    if len(data) > max_bytes:
        raise InputError(path, f"the file is {len(data)} bytes, over the limit of {max_bytes} bytes for one page "
                               f"(a news page is tens of kilobytes; raise the limit with --max-bytes)")
    if b"\x00" in data:
        raise InputError(path, "the file is binary (it contains NUL bytes), not a text page")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, f"the file is not UTF-8: byte 0x{data[err.start]:02x} at offset {err.start} is invalid") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, "the file holds only white space")
    controls = len(_CONTROL.findall(text))
    if controls > max(3, len(text) // 100):
        raise InputError(path, f"the file is binary ({controls} control characters), not a text page")
    warnings = []
    invisible = sorted({f"U+{ord(c):04X}" for c in _INVISIBLE.findall(text)})
    if invisible:
        warnings.append(f"raw_text contains invisible bidi or zero-width characters ({', '.join(invisible)}); kept as they are")
    return text, tuple(warnings)


def read_page(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Page:
    """Read one ``<id>.txt`` file."""
    doc_id = path.name[: -len(".txt")]
    if not ID_PATTERN.match(doc_id):
        raise InputError(path, f"the id {doc_id!r} is not safe: use letters, digits, _ . - (pattern {ID_PATTERN.pattern})")
    data = path.read_bytes()
    raw_text, warnings = decode(data, path, max_bytes)
    return Page(id=doc_id, source_file=path.name, sha256=hashlib.sha256(data).hexdigest(), raw_text=raw_text, warnings=warnings)


def seed_listing(seeds_dir: Path) -> dict[str, tuple[int, str]]:
    """The files of a seeds folder with their size and version (:func:`akhbar.storage.listing`:
    one listing, local or a URL), or :class:`InputError` when there is no such folder."""
    from akhbar.storage import listing

    try:
        if seeds_dir.is_dir():
            return listing(seeds_dir)
    except (FileNotFoundError, NotADirectoryError):
        pass
    raise InputError(seeds_dir, "no such folder")


def seed_paths(seeds_dir: Path, listed: dict[str, tuple[int, str]] | None = None) -> list[Path]:
    """The ``*.txt`` files of a seeds folder (local, or a URL: :mod:`akhbar.storage`), sorted by
    name (the order of the dataset). ``listed``: the folder's :func:`seed_listing` when the caller
    already has it (on an object store a listing of a million pages is a thousand requests)."""
    names = sorted(seed_listing(seeds_dir) if listed is None else listed)
    paths = [seeds_dir / name for name in names if name.endswith(".txt") and len(name) > len(".txt")]
    if not paths:
        raise InputError(seeds_dir, "the folder holds no *.txt page")
    seen: dict[str, Path] = {}
    for path in paths:
        # ids that differ only in case collide on case-insensitive file systems and in URLs
        other = seen.setdefault(path.stem.lower(), path)
        if other is not path:
            raise InputError(path, f"its id clashes with {other.name} (ids must differ in more than letter case)")
    pages = {p.stem for p in paths}
    for name in names:
        if name.endswith(".ann.json") and name[: -len(".ann.json")] not in pages:
            raise InputError(seeds_dir / name, f"no page {name[: -len('.ann.json')]}.txt for this annotation file")
    return paths
