"""``akhbar release``: cut a versioned, checkable release of the dataset.

``release(ReleaseConfig) -> str`` runs, in order:

1. **version**: VERSION must be a semantic version (``MAJOR.MINOR.PATCH``, semver.org; the tag form
   ``v1.2.3`` is read as ``1.2.3``) greater than the last release, read from ``dataset/release.json``
   and from the headings of ``CHANGELOG.md``; the date is ``YYYY-MM-DD``, not before the last
   release's;
2. **inputs**: ``akhbar validate --seeds`` must find no error;
3. **build** into a hidden folder beside ``dataset/`` (:func:`akhbar.pipeline.build_dataset`: same
   inputs, byte-identical Parquet);
4. **describe**: the card is rendered again with the version and date (its statistics are computed
   from the data, as at every build), then ``release.json`` (version, date, one entry per document,
   counts per label), ``croissant.json`` (:mod:`akhbar.croissant`) and ``checksums.sha256`` (every
   file, ``sha256sum -c`` format) are written;
5. **validate** the whole folder (:func:`akhbar.validate.validate_dataset`); any error stops here;
   then the **rules**: the change against the previous ``release.json`` (:func:`required_bump`)
   fixes the least part of the version to raise: MAJOR when documents were removed or a field of
   the schema was removed or changed, MINOR when documents or fields were added, PATCH when
   documents only changed; a release with no change, or a smaller step, is refused;
6. **swap** the folder into ``dataset/``, write ``DATASET_CARD.md``, and add the ``CHANGELOG.md``
   entry computed against the previous ``release.json``: documents added, removed and changed (and
   which layers changed), annotation counts per label before and after.

A failure at any step leaves ``dataset/``, the card and the changelog as they were. The report ends
with the ``git`` commands that commit and tag the release.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, replace
from functools import total_ordering
from pathlib import Path
from typing import Iterator

import pyarrow as pa

from akhbar import evaluation
from akhbar.card import CONFIG_ORDER, render_card, strip_front_matter, write_text_atomic
from akhbar.croissant import write_croissant
from akhbar.pipeline import BuildConfig, build_dataset
from akhbar.validate import (CARD, CHECKSUMS, RELEASE, Problem, config_features, errors, file_sha256, front_matter,
                             release_files, validate_dataset, validate_seeds)
from akhbar.write import iter_rows, replace_dir

# semver.org's pattern: no leading zeros, optional pre-release and build metadata.
_IDENT = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
SEMVER = re.compile(rf"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-({_IDENT}(?:\.{_IDENT})*))?"
                    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CHANGELOG_VERSION = re.compile(r"^## \[([^\]]+)\]", re.MULTILINE)
_CHANGELOG_DATE = re.compile(r"^## \[[^\]]+\] - ([0-9]{4}-[0-9]{2}-[0-9]{2})$", re.MULTILINE)
UNRELEASED = "## [Unreleased]"
#: How many ids each changelog list shows before "and N more".
MAX_LISTED = 50
#: Layers of a record whose change the changelog names, each a set of fields.
LAYERS = {
    "text": ("sha256",),
    "segmentation": ("body_spans", "headline_span", "byline_span", "boilerplate"),
    "metadata": ("title", "publisher", "published", "published_text"),
    "entities": ("entities",),
    "events": ("events",),
    "duplicates": ("dedup_cluster",),
}


class ReleaseError(Exception):
    """A release that cannot be cut; ``str()`` says why and what to do."""


def parse_version(text: str) -> "Version":
    """VERSION as the command takes it: ``1.2.3``, or the tag form ``v1.2.3``."""
    return Version(text[1:] if text.startswith("v") and SEMVER.match(text[1:]) else text)


@total_ordering
@dataclass(frozen=True)
class Version:
    """A semantic version, ordered by semver precedence (build metadata ignored)."""

    text: str

    def __post_init__(self) -> None:
        if not SEMVER.match(self.text):
            raise ReleaseError(f"{self.text!r} is not a semantic version: write MAJOR.MINOR.PATCH, e.g. 1.0.0")

    def _key(self) -> tuple:
        m = SEMVER.match(self.text)
        core = tuple(int(m.group(n)) for n in (1, 2, 3))
        if m.group(4) is None:
            return core, (1,)  # a release sorts after its pre-releases
        parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in m.group(4).split("."))
        return core, (0, parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __lt__(self, other: "Version") -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self.text

    @property
    def core(self) -> tuple[int, int, int]:
        return self._key()[0]

    @property
    def prerelease(self) -> bool:
        return SEMVER.match(self.text).group(4) is not None


def parse_date(text: str) -> str:
    """A release date ``YYYY-MM-DD``, checked; raises :class:`ReleaseError`."""
    try:
        if not _DATE.match(text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise ReleaseError(f"{text!r} is not a date: write YYYY-MM-DD, e.g. {dt.date.today().isoformat()}") from None
    return text


@dataclass(frozen=True)
class ReleaseConfig:
    """What a release needs: the version, the build, and where the card and changelog go."""

    version: str
    date: str
    build: BuildConfig
    card: Path | None = Path("DATASET_CARD.md")
    changelog: Path = Path("CHANGELOG.md")
    gold_body: Path | None = None
    heldout: tuple[Path, ...] = ()
    agreement: Path | None = None


# --- 1. version -----------------------------------------------------------------------------------

def previous_release(out: Path) -> dict | None:
    """The ``release.json`` of the release now in ``out``, or None."""
    path = out / RELEASE
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise ReleaseError(f"{path}: not a JSON file ({err}); restore it from the last release tag") from None


def changelog_versions(changelog: Path) -> list[Version]:
    """The versions the changelog has entries for (semantic versions only)."""
    if not changelog.exists():
        return []
    found = _CHANGELOG_VERSION.findall(changelog.read_text(encoding="utf-8"))
    return [Version(v) for v in found if SEMVER.match(v)]


def check_version(version: Version, previous: dict | None, changelog: Path, out: Path) -> Version | None:
    """Refuse a version that is not greater than the last release, and a release whose predecessor's
    ``release.json`` is gone (the changelog could not say what changed); return the last release."""
    known = changelog_versions(changelog)
    if previous is not None:
        known.append(Version(previous["version"]))
    last = max(known, default=None)
    if last is not None and not version > last:
        raise ReleaseError(f"{version} is not greater than the last release {last}; choose a higher version")
    if last is not None and (previous is None or Version(previous["version"]) != last):
        raise ReleaseError(f"{out / RELEASE} of the last release {last} is missing, so what changed cannot be computed; "
                           f"restore it with `git show v{last}:{out.as_posix()}/{RELEASE} > {out / RELEASE}`")
    return last


def check_date(date: str, previous: dict | None, changelog: Path) -> None:
    """Refuse a date before the last release's (from ``release.json`` and the changelog's headings)."""
    dates = _CHANGELOG_DATE.findall(changelog.read_text(encoding="utf-8")) if changelog.exists() else []
    if previous is not None and isinstance(previous.get("date"), str):
        dates.append(previous["date"])
    last = max(dates, default=None)
    if last is not None and date < last:
        raise ReleaseError(f"{date} is before the last release's date {last}; release dates never go back "
                           "(give --date a later day, or leave it out for today)")


# --- 4. describe ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Written:
    """What :func:`akhbar.card.render_card` reads of a config's writer, rebuilt from a built card."""

    features: object
    num_rows: int
    num_bytes: int


def _writers(root: Path) -> dict:
    meta = front_matter((root / CARD).read_text(encoding="utf-8"))
    out = {}
    for info in meta["dataset_info"]:
        split = info["splits"][0]
        out[info["config_name"]] = _Written(config_features(info["config_name"]), split["num_examples"], split["num_bytes"])
    return out


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def release_summary(root: Path, version: str, date: str) -> dict:
    """``release.json``: version, date, per document its sha256 and a digest per layer, counts per label."""
    documents = {}
    boilerplate = Counter()
    for record in iter_rows(root, "documents"):
        entry = {"sha256": record["sha256"]}
        for layer, fields in LAYERS.items():
            if layer != "text":
                entry[layer] = _digest([record[f] for f in fields])
        documents[record["id"]] = entry
        boilerplate.update(span["label"] for span in record["boilerplate"])
    counts = {
        "documents": len(documents),
        "entities": dict(sorted(Counter(r["label"] for r in iter_rows(root, "entities", columns=["label"])).items())),
        "events": dict(sorted(Counter(r["subtype"] for r in iter_rows(root, "events", columns=["subtype"])).items())),
        "boilerplate": dict(sorted(boilerplate.items())),
        "links": dict(sorted(Counter(r["relation"] for r in iter_rows(root, "links", columns=["relation"])).items())),
    }
    fields = {config: dict(schema_fields(config_features(config).arrow_schema)) for config in CONFIG_ORDER}
    return {"version": version, "date": date, "counts": counts, "fields": fields, "documents": documents}


def schema_fields(schema: pa.Schema) -> Iterator[tuple[str, str]]:
    """Every field of a config as ``(path, type)``, nested ones too: ``entities[].label``, ``string``."""
    def walk(prefix: str, kind: pa.DataType) -> Iterator[tuple[str, str]]:
        if pa.types.is_struct(kind):
            for n in range(kind.num_fields):
                yield from walk(f"{prefix}.{kind.field(n).name}", kind.field(n).type)
        elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
            yield from walk(f"{prefix}[]", kind.value_type)
        else:
            yield prefix, str(kind)
    for field in schema:
        yield from walk(field.name, field.type)


# --- 5. rules -----------------------------------------------------------------------------------------

#: The parts of a version, from the least.
BUMPS = ("patch", "minor", "major")


def document_changes(new: dict, old: dict | None) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Ids added, removed, and changed (with the layers that differ) from release ``old`` to ``new``."""
    docs, before = new["documents"], (old or {}).get("documents", {})
    added = sorted(set(docs) - set(before))
    removed = sorted(set(before) - set(docs))
    changed = {i: [layer for layer in LAYERS if docs[i].get(layer) != before[i].get(layer)]
               for i in sorted(set(docs) & set(before))}
    return added, removed, {i: layers for i, layers in changed.items() if layers}


def required_bump(new: dict, old: dict) -> tuple[str | None, list[str]]:
    """The least version part release ``new`` must raise over ``old`` (None: nothing changed), and why.

    Schema fields are compared when both records list them (``release.json`` of akhbar 0.1 did not).
    """
    added, removed, changed = document_changes(new, old)
    reasons = {bump: [] for bump in BUMPS}
    if removed:
        reasons["major"].append(f"{len(removed)} document(s) removed ({', '.join(removed[:3])}{', …' if len(removed) > 3 else ''})")
    if "fields" in old and "fields" in new:
        for config in sorted(set(old["fields"]) | set(new["fields"])):
            before, after = old["fields"].get(config), new["fields"].get(config)
            if after is None:
                reasons["major"].append(f"the {config} config removed")
            elif before is None:
                reasons["minor"].append(f"the {config} config added")
            else:
                gone = [f"{config}.{path}" for path in before if before[path] != after.get(path)]
                if gone:
                    reasons["major"].append(f"schema fields removed or changed: {', '.join(gone)}")
                new_fields = [f"{config}.{path}" for path in after if path not in before]
                if new_fields:
                    reasons["minor"].append(f"schema fields added: {', '.join(new_fields)}")
    if added:
        reasons["minor"].append(f"{len(added)} document(s) added")
    if changed:
        reasons["patch"].append(f"{len(changed)} document(s) changed")
    for bump in reversed(BUMPS):
        if reasons[bump]:
            return bump, reasons[bump]
    return None, []


def next_versions(last: Version) -> dict[str, str]:
    """The next version of ``last`` for each part raised."""
    major, minor, patch = last.core
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}


def check_bump(version: Version, last: Version, bump: str | None, reasons: list[str]) -> None:
    """Refuse a release with no change, and a version that does not raise the part ``bump`` needs."""
    if bump is None:
        raise ReleaseError(f"nothing changed since {last}: no document added, removed or changed, the same schema; "
                           "there is nothing to release")
    allowed = {text for part, text in next_versions(last).items() if BUMPS.index(part) >= BUMPS.index(bump)}
    if last.prerelease:  # 2.0.0-rc.1 → 2.0.0 finishes that release, whatever changed
        allowed.add(".".join(map(str, last.core)))
    if ".".join(map(str, version.core)) not in allowed:
        raise ReleaseError(f"{version} does not fit the change since {last}, which needs a {bump.upper()} release "
                           f"({'; '.join(reasons)}): release {' or '.join(sorted(allowed, key=Version))}")


def write_checksums(root: Path) -> Path:
    """``checksums.sha256``: one ``<sha256>  <path>`` line per file of the release, for ``sha256sum -c``."""
    lines = [f"{file_sha256(p)}  {p.relative_to(root).as_posix()}" for p in release_files(root)]
    path = root / CHECKSUMS
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- 6. changelog -------------------------------------------------------------------------------------

def _listed(ids: list[str], describe=lambda i: f"`{i}`") -> list[str]:
    lines = [f"- {describe(i)}" for i in ids[:MAX_LISTED]]
    if len(ids) > MAX_LISTED:
        lines.append(f"- … and {len(ids) - MAX_LISTED} more (compare the two `release.json` files)")
    return lines


def changelog_entry(new: dict, old: dict | None, notes: str = "") -> str:
    """The CHANGELOG.md section of release ``new`` against the previous ``release.json`` ``old``."""
    docs = new["documents"]
    added, removed, changed = document_changes(new, old)
    lines = [f"## [{new['version']}] - {new['date']}", ""]
    if old is None:
        lines.append(f"First release: {len(docs)} documents.")
    else:
        lines.append(f"{len(docs)} documents: {len(added)} added, {len(removed)} removed, {len(changed)} changed "
                     f"since {old['version']} ({old['date']}).")
    if notes.strip():
        lines += ["", notes.strip()]
    if old is not None:
        for title, ids in (("Added", added), ("Removed", removed)):
            if ids:
                lines += ["", f"### Documents {title.lower()}", "", *_listed(ids)]
        if changed:
            lines += ["", "### Documents changed", "",
                      *_listed(list(changed), lambda i: f"`{i}`: {', '.join(changed[i])}")]
    lines += ["", "### Annotation counts", "", *_counts_table(new, old)]
    return "\n".join(lines) + "\n"


def _counts_table(new: dict, old: dict | None) -> list[str]:
    """Counts per layer and label: after, or before, after and the change when there is a previous release."""
    old_counts = (old or {}).get("counts", {})
    if old is None:
        lines = [f"| layer | label | {new['version']} |", "| --- | --- | --- |"]
    else:
        lines = [f"| layer | label | {old['version']} | {new['version']} | change |", "| --- | --- | --- | --- | --- |"]
    for layer in ("entities", "events", "boilerplate", "links"):
        after, prior = new["counts"].get(layer, {}), old_counts.get(layer, {})
        for label in sorted(set(after) | set(prior)):
            a, b = after.get(label, 0), prior.get(label, 0)
            lines.append(f"| {layer} | {label} | {a} |" if old is None else f"| {layer} | {label} | {b} | {a} | {a - b:+d} |")
    return lines


def update_changelog(text: str, entry: str) -> tuple[str, str]:
    """Insert ``entry`` after the Unreleased section, which it empties; return (new text, the notes
    moved from Unreleased into the entry). The entry itself must already hold the notes."""
    if UNRELEASED not in text:
        head, sep, rest = text.partition("\n## ")
        return head.rstrip("\n") + "\n\n" + entry + ("\n## " + rest if sep else ""), ""
    start = text.index(UNRELEASED)
    body_start = start + len(UNRELEASED)
    next_heading = text.find("\n## ", body_start)
    end = len(text) if next_heading == -1 else next_heading + 1
    notes = text[body_start:end].strip("\n")
    new = text[:start] + UNRELEASED + "\n\n" + entry + ("\n" + text[end:] if end < len(text) else "")
    return new, notes


def unreleased_notes(changelog: Path) -> str:
    if not changelog.exists():
        return ""
    return update_changelog(changelog.read_text(encoding="utf-8"), "")[1]


# --- the command ----------------------------------------------------------------------------------

def _problem_lines(problems: list[Problem], limit: int = 20) -> str:
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… and {len(problems) - limit} more")
    return "\n".join(lines)


def release(cfg: ReleaseConfig) -> str:
    """Cut release ``cfg.version`` (module docstring: the steps); return the report with the git commands."""
    out = cfg.build.out
    # 1. version
    version = parse_version(cfg.version)
    date = parse_date(cfg.date)
    old = previous_release(out)
    last = check_version(version, old, cfg.changelog, out)
    check_date(date, old, cfg.changelog)

    # 2. inputs
    problems = errors(validate_seeds(cfg.build.seeds, cfg.build.max_bytes))
    if problems:
        raise ReleaseError(f"the seeds do not validate ({len(problems)} problem(s)):\n{_problem_lines(problems)}")

    # 3. build, into a hidden folder beside the output (matches .gitignore's /.*.tmp-*)
    work = out.resolve().with_name(f".{out.resolve().name}.tmp-release-{version}")
    if work.exists():
        shutil.rmtree(work)
    try:
        build_dataset(replace(cfg.build, out=work), card=None, gold_body=cfg.gold_body, heldout=list(cfg.heldout),
                      agreement=cfg.agreement)

        # 4. describe
        stamp = {"version": str(version), "date": date}
        figures = evaluation.run(cfg.build.seeds, cfg.gold_body, list(cfg.heldout), cfg.build.segment, cfg.agreement)
        card = render_card(work, _writers(work), figures, release=stamp)
        (work / CARD).write_text(card, encoding="utf-8")
        summary = release_summary(work, str(version), date)
        (work / RELEASE).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        write_croissant(work, stamp, figures)
        write_checksums(work)

        # 5. validate
        problems = errors(validate_dataset(work))
        if problems:
            raise ReleaseError(f"the built release does not validate ({len(problems)} problem(s)):\n{_problem_lines(problems)}")
        if old is not None:
            check_bump(version, last, *required_bump(summary, old))

        # 6. swap, card, changelog
        notes = unreleased_notes(cfg.changelog)
        entry = changelog_entry(summary, old, notes)
        replace_dir(work, out)
    finally:
        if work.exists():
            shutil.rmtree(work)
    if cfg.card is not None:
        write_text_atomic(cfg.card, strip_front_matter(card))
    text = cfg.changelog.read_text(encoding="utf-8") if cfg.changelog.exists() else "# Changelog\n"
    write_text_atomic(cfg.changelog, update_changelog(text, entry)[0])

    counts = summary["counts"]
    tag = f"v{version}"
    paths = " ".join(str(p) for p in (out, cfg.card, cfg.changelog, cfg.build.seeds) if p is not None)
    return (f"Released Akhbar {version} ({date}): {counts['documents']} documents, "
            f"{sum(counts['entities'].values())} entity mentions, {sum(counts['events'].values())} events, "
            f"{sum(counts['links'].values())} links in {out}; CHANGELOG.md has the entry.\n"
            f"Commit and tag it:\n"
            f"  git add {paths} && git commit -m \"Release {version}\"\n"
            f"  git tag -a {tag} -m \"Akhbar {version}\" && git push origin HEAD {tag}")
