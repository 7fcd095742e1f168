"""Whether a dataset folder is a release, and how a build keeps one.

A release (``akhbar release``) is a state of the folder: the card carries its version and date, and
``checksums.sha256``, ``croissant.json`` and ``release.json`` describe exactly its files. A later
``akhbar build`` either makes the very same files (then the release is kept whole:
:func:`carry_release` stamps the card again and copies the three files) or not (then the folder is
*unreleased*: the card has no version, the checksums and Croissant file, which would be wrong, are
not kept, and ``release.json`` stays as the record the next release is compared with).

::

    carry_release(old folder, staged folder, render) -> (card text, note)   at the end of a build
    release_status(folder) -> ReleaseStatus                                   for `akhbar validate`
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from akhbar.storage import copy_file
from akhbar.validate import CARD, CHECKSUMS, CROISSANT, RELEASE, file_sha256, front_matter, release_files

#: Files written by `akhbar release` that a build copies over when it keeps the release.
RELEASE_ONLY = (CHECKSUMS, CROISSANT, RELEASE)


@dataclass(frozen=True)
class ReleaseStatus:
    """``version`` and ``date`` of the release the folder is (``released``), or of the last release
    before its current, unreleased content (None, None when there was none)."""

    released: bool
    version: str | None = None
    date: str | None = None

    def __str__(self) -> str:
        if self.released:  # the date is release.json's: unknown when that file is missing or broken
            return f"release {self.version}" + (f" of {self.date}" if self.date else "")
        if self.version is None:
            return "unreleased (no release yet)"
        return f"unreleased (changed since release {self.version} of {self.date})"

    def to_dict(self) -> dict:
        return {"released": self.released, "version": self.version, "date": self.date}


def release_record(root: Path) -> dict | None:
    """``release.json`` of ``root`` when it holds a version and a date, else None."""
    try:
        data = json.loads((root / RELEASE).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("version"), str) or not isinstance(data.get("date"), str):
        return None
    return data


def release_status(root: Path) -> ReleaseStatus:
    """What the folder is: the release its card names, or unreleased content after the last release."""
    record = release_record(root)
    try:
        version = front_matter((root / CARD).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, UnicodeDecodeError):
        version = None
    if version is not None and (root / CHECKSUMS).exists():
        return ReleaseStatus(True, str(version), record.get("date") if record else None)
    if record is None:
        return ReleaseStatus(False)
    return ReleaseStatus(False, record["version"], record["date"])


def same_files(release: Path, staged: Path) -> bool:
    """Whether ``staged`` holds exactly the files ``release/checksums.sha256`` lists (besides the
    release's own files, which are copied), with the listed sha256."""
    try:
        lines = (release / CHECKSUMS).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    listed = {}
    for line in lines:
        digest, _, name = line.partition("  ")
        if name not in RELEASE_ONLY:
            listed[name] = digest
    present = {p.relative_to(staged).as_posix() for p in release_files(staged)} - set(RELEASE_ONLY)
    return present == set(listed) and all(file_sha256(staged / name) == digest for name, digest in listed.items())


def carry_release(out: Path, staged: Path, render: Callable[[dict | None], str]) -> tuple[str, str]:
    """Write the card of ``staged`` (``render(release stamp or None)``) and keep what ``out`` had of
    its last release; return the card text and a one-sentence note for the build's report ('' when
    ``out`` was never released)."""
    record = release_record(out)
    if record is None:
        text = render(None)
        (staged / CARD).write_text(text, encoding="utf-8")
        if (out / RELEASE).exists():  # unreadable: kept for `akhbar release` to name the problem
            copy_file(out / RELEASE, staged / RELEASE)
        return text, ""
    stamp = {"version": record["version"], "date": record["date"]}
    text = render(stamp)
    (staged / CARD).write_text(text, encoding="utf-8")
    if (out / CHECKSUMS).exists() and same_files(out, staged):
        for name in RELEASE_ONLY:
            if (out / name).exists():
                copy_file(out / name, staged / name)
        return text, f"It is still release {stamp['version']} of {stamp['date']}: the same files, checksums and Croissant kept."
    text = render(None)
    (staged / CARD).write_text(text, encoding="utf-8")
    copy_file(out / RELEASE, staged / RELEASE)
    return text, (f"The dataset is UNRELEASED: it differs from release {stamp['version']} of {stamp['date']}, so the "
                  f"card has no version and {CHECKSUMS} and {CROISSANT} were not kept; cut the next release with "
                  "`akhbar release`.")
