"""Benchmark the build on a synthetic corpus, next to its peers, and score body extraction on gold.

::

    corpus    seeds → N synthetic pages, one file at a time                      SyntheticCorpus
              (body sentences of the seeds recombined into new articles, the page chrome of a
              seed around them, and a share of exact and of near duplicates of earlier pages)
    build     build_dataset(workers=W) in a fresh process: pages/s, MB/s,         time_build
              peak memory of the process tree (sampled from /proc)
    stages    the per-page steps called one by one in this process, on the        time_stages
              first pages: read, boilerplate, metadata, entities, events,
              validate, links, write (plus the fixed cost of the card)
    peers     trafilatura ``extract`` and jusText (Arabic stoplist) on the same   time_extractors
              pages, in W processes and in one; datasketch MinHash + LSH on the   time_dedup
              same bodies as our links stage; our speed as a ratio to each
    fit       build seconds against N: least squares, seconds per 1k pages,      linear_fit
              the estimate for 10M pages
    quality   our segmenter, trafilatura and jusText on the gold pages:           quality
              body character P/R/F1 (akhbar.evaluation.body_prf)

:func:`run_bench` returns everything as one JSON-able dict and :func:`format_report` renders it.
The corpus depends only on the seeds, the seed number and the shares: page ``i`` is the same
whatever N, so the first 1,000 pages of a 100k corpus are the 1k corpus.

The peers see the page as HTML rebuilt from its lines with block tags (:mod:`akhbar.peer_html`:
``<div>`` blocks, ``<ul><li>`` runs of short lines, ``<h2>``, ``<p>``), the input form they are
made for; the reports say so. A peer's extracted text is mapped back to lines for the quality
scores: a line counts as kept when its stripped text, white space collapsed, occurs in the peer's
output, white space collapsed.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import math
import multiprocessing
import os
import platform
import random
import re
import shutil
import tempfile
import threading
import time
import traceback
from collections import defaultdict
from dataclasses import asdict, dataclass
from fractions import Fraction
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable, Iterable, Iterator

from akhbar import __version__
from akhbar.evaluation import HELDOUT_SETS, PRF, body_prf, line_spans
from akhbar.peer_html import DESCRIPTION as PEER_INPUT
from akhbar.peer_html import as_html
from akhbar.read import decode, read_page, seed_paths
from akhbar.segment import CorpusLineCounts, SegmentConfig, line_key, segment

#: The optional packages the peers need, each with the extra that installs it.
PEER_PACKAGES = {"trafilatura": "trafilatura", "justext": "jusText", "datasketch": "datasketch"}
BENCH_EXTRA = "bench"
#: Options of trafilatura.extract for timing and quality: the article text, no comments.
TRAFILATURA_OPTIONS = {"include_comments": False}
STAGES = ("read", "boilerplate", "metadata", "entities", "events", "validate", "links", "write")
SYNTHETIC_PREFIX = "syn"


class BenchError(Exception):
    """A bench that cannot run (missing extra, unusable seeds). ``str()`` is the message to show."""


@dataclass(frozen=True)
class BenchConfig:
    """What one bench run does.

    ``exact_share`` and ``near_share`` are the shares of pages that copy an earlier page's body
    exactly (in other chrome) or with typos in 2% of its words. ``stage_docs`` pages (the first of
    the smallest corpus) are timed stage by stage in this process.
    """

    seeds: Path = Path("seeds")
    docs: tuple[int, ...] = (1000,)
    workers: int = 2
    seed: int = 0
    exact_share: float = 0.1
    near_share: float = 0.1
    stage_docs: int = 1000
    peers: bool = True
    gold_body: Path | None = Path("tests/gold_body")
    heldout: tuple[Path, ...] = HELDOUT_SETS
    quality: bool = False
    speed: bool = True
    workdir: Path | None = None
    near_typo_share: float = 0.02
    ray: bool = False  # also build each corpus on a local Ray (akhbar.ray_build) and compare the bytes

    def __post_init__(self) -> None:
        if not 0 <= self.exact_share <= 1 or not 0 <= self.near_share <= 1 or self.exact_share + self.near_share > 1:
            raise ValueError(f"exact_share ({self.exact_share}) and near_share ({self.near_share}) must be "
                             "between 0 and 1 and add up to at most 1.")
        if any(n < 1 for n in self.docs):
            raise ValueError(f"docs must be positive page counts, not {list(self.docs)}.")


def require_peers() -> dict[str, str]:
    """Import the peers; raise :class:`BenchError` naming the extra to install if one is missing.

    Returns ``{package: version}``.
    """
    versions = {}
    for module, dist in PEER_PACKAGES.items():
        try:
            importlib.import_module(module)
        except ImportError as err:
            # trafilatura imports justext: name the package that is really missing
            missing = (err.name or module).split(".")[0]
            name = PEER_PACKAGES.get(missing, missing)
            raise BenchError(f"{name} is not installed, and the bench compares against "
                             f"{', '.join(PEER_PACKAGES.values())}. Install the bench extra with "
                             f"`pip install -e '.[{BENCH_EXTRA}]'`, or pass --no-peers.") from None
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            versions[dist] = "unknown"
    return versions


# ============================================================================ synthetic corpus

# After a full stop, with or without a space ("الأوجه.وأوضح"), before a letter (not "3.5").
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s*(?=[^\W\d_])")
_WORD_SPAN = re.compile(r"[^\W\d_]{2,}")
_HEADLINE_MARK = "\ue000"  # private-use characters: never in a seed page
_COPY_MARK = "\ue001"
_BYLINE_MARK = "\ue002"
_NUMBER = re.compile(r"\d+")
_SENTENCE_FINAL = (".", "!", "?", "؟", "\"", "”", "»", ")")
_TRAILING_PUNCTUATION = " .،,:;!?؟…\"'“”«»()"


@dataclass(frozen=True)
class Template:
    """The chrome of one seed page around its article.

    ``prefix`` and ``suffix`` are the seed's lines before its first and after its last body line,
    with the seed's headline replaced by a mark (every line that repeats it, such as a title tag
    or a breadcrumb, gets the new headline), the byline marked (its numbers are redrawn, so pages
    get different publication dates) and copies of a body paragraph replaced by a mark
    (they become copies of the new first paragraph). ``separator`` joins paragraphs: a blank line
    when the seed had one between paragraphs.
    """

    source: str
    prefix: tuple[str, ...]
    suffix: tuple[str, ...]
    separator: str

    def render(self, headline: str, paragraphs: list[str], redate: Callable[[str], str]) -> str:
        """The page: the chrome with ``headline``, ``paragraphs`` and the byline passed through ``redate``."""
        def fill(line: str) -> str:
            if line == _COPY_MARK:
                return paragraphs[0]
            if line.startswith(_BYLINE_MARK):
                line = redate(line[1:])
            return line.replace(_HEADLINE_MARK, headline)
        lines = [fill(line) for line in self.prefix] + [self.separator.join(paragraphs)] + [fill(line) for line in self.suffix]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class CorpusSource:
    """What the synthetic pages are made of: chrome templates and a pool of body sentences."""

    templates: tuple[Template, ...]
    sentences: tuple[str, ...]


def _seed_layout(doc_id: str, raw_text: str, gold_body: Path | None,
                 counts: CorpusLineCounts) -> tuple[list[int], int | None, int | None]:
    """0-based line numbers of a seed's body lines, headline and byline: gold when there is a gold
    file for it, else our segmenter's."""
    gold_file = gold_body / f"{doc_id}.json" if gold_body is not None else None
    if gold_file is not None and gold_file.is_file():
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        headline, byline = gold.get("headline_line"), gold.get("byline_line")
        return ([n - 1 for n in gold["body_lines"]], headline - 1 if headline else None,
                byline - 1 if byline else None)
    seg = segment(raw_text, SegmentConfig(), counts)
    body = [line.index for line in seg.lines if line.label == "body"]
    headline = next((line.index for line in seg.lines if line.label == "headline"), None)
    byline = next((line.index for line in seg.lines if line.label == "byline"), None)
    return body, headline, byline


def load_source(seeds: Path, gold_body: Path | None = None) -> CorpusSource:
    """Seed pages → :class:`CorpusSource`. Raises :class:`BenchError` if no seed has a body."""
    pages = [(path.name[: -len(".txt")], decode(path.read_bytes(), path)[0]) for path in seed_paths(seeds)]
    counts = CorpusLineCounts()
    for _, text in pages:
        counts.add_document(text)
    templates, sentences, seen = [], [], set()
    for doc_id, text in pages:
        lines = text.split("\n")
        body, headline_index, byline_index = _seed_layout(doc_id, text, gold_body, counts)
        if not body:
            continue
        headline = lines[headline_index].strip() if headline_index is not None else ""
        body_keys = {line_key(lines[i]) for i in body if len(line_key(lines[i])) >= 20}

        def chrome(line: str) -> str:
            if line.strip() and line_key(line) in body_keys:
                return _COPY_MARK
            return line.replace(headline, _HEADLINE_MARK) if len(headline) >= 10 else line

        first, last = min(body), max(body)
        gaps = [b - a for a, b in zip(sorted(body), sorted(body)[1:])]
        separator = "\n\n" if gaps and sorted(gaps)[len(gaps) // 2] >= 2 else "\n"
        prefix = [chrome(line) for line in lines[:first]]
        if headline_index is not None and headline_index < first:
            prefix[headline_index] = _HEADLINE_MARK
        if byline_index is not None and byline_index < first and byline_index != headline_index:
            prefix[byline_index] = _BYLINE_MARK + prefix[byline_index]
        while prefix and not prefix[-1].strip():
            prefix.pop()  # the separator goes between the chrome and the body
        suffix = [chrome(line) for line in lines[last + 1:]]
        while suffix and not suffix[-1].strip():
            suffix.pop()
        if separator == "\n\n":
            prefix, suffix = prefix + [""] if prefix else prefix, [""] + suffix if suffix else suffix
        templates.append(Template(doc_id, tuple(prefix), tuple(suffix), separator))
        for i in sorted(body):
            for sentence in _SENTENCE_END.split(lines[i].strip()):
                sentence = sentence.strip()
                if len(sentence.split()) >= 4 and sentence.endswith(_SENTENCE_FINAL) and sentence not in seen:
                    seen.add(sentence)
                    sentences.append(sentence)
    if not templates or len(sentences) < 4:
        raise BenchError(f"{seeds}: the seed pages give no article body to build synthetic pages from.")
    return CorpusSource(tuple(templates), tuple(sentences))


@dataclass(frozen=True)
class SyntheticPage:
    """One page of the synthetic corpus and what it was made as.

    ``kind`` is ``original``, ``exact`` (the body of ``source`` in another chrome) or ``near``
    (the body of ``source`` with typos); ``source`` is the original page's id. ``body`` is the
    article as the build's ``body_text`` should read it: the paragraphs joined by newlines.
    """

    id: str
    text: str
    kind: str
    source: str | None
    body: str
    template: str


class SyntheticCorpus:
    """Deterministic synthetic pages: page ``i`` depends only on the source, ``seed``, the shares and ``i``.

    Which pages are duplicates is spread evenly: of the first N pages, ``floor(N × (exact_share +
    near_share))`` are duplicates, and of these the first-come ``exact_share / (exact_share +
    near_share)`` are exact. A duplicate copies a uniformly chosen earlier page's original.
    """

    def __init__(self, source: CorpusSource, seed: int = 0, exact_share: float = 0.1, near_share: float = 0.1,
                 typo_share: float = 0.02):
        self.source = source
        self.seed = seed
        self.exact = Fraction(exact_share).limit_denominator(10**6)
        self.near = Fraction(near_share).limit_denominator(10**6)
        self.typo_share = typo_share

    def _rng(self, i: int, purpose: str) -> random.Random:
        return random.Random(f"akhbar-bench:{self.seed}:{i}:{purpose}")

    def kind(self, i: int) -> str:
        dup = self.exact + self.near
        k = math.floor(i * dup)
        if math.floor((i + 1) * dup) == k:
            return "original"
        share = self.exact / dup
        return "exact" if math.floor((k + 1) * share) > math.floor(k * share) else "near"

    def original_of(self, i: int) -> int:
        """The original page that page ``i`` copies (``i`` itself for an original)."""
        while self.kind(i) != "original":
            i = self._rng(i, "source").randrange(i)
        return i

    def _article(self, i: int) -> tuple[str, list[str]]:
        rng = self._rng(i, "article")
        pool = self.source.sentences
        paragraphs = [" ".join(rng.sample(pool, min(len(pool), rng.randint(1, 3)))) for _ in range(rng.randint(3, 10))]
        words = rng.choice(pool).split()
        headline = " ".join(words[: rng.randint(6, 12)]).rstrip(_TRAILING_PUNCTUATION)
        redate = _redate(rng)
        return redate(headline), [redate(p) for p in paragraphs]

    def _typos(self, paragraphs: list[str], rng: random.Random) -> list[str]:
        """Swap two different neighbouring letters in ``typo_share`` of the words (at least one)."""
        spans = [(n, m.start(), m.end()) for n, p in enumerate(paragraphs) for m in _WORD_SPAN.finditer(p)]
        spans = [(n, s, e) for n, s, e in spans if any(paragraphs[n][k] != paragraphs[n][k + 1] for k in range(s, e - 1))]
        chars = [list(p) for p in paragraphs]
        for n, s, e in rng.sample(spans, max(1, round(self.typo_share * len(spans)))):
            k = rng.choice([k for k in range(s, e - 1) if chars[n][k] != chars[n][k + 1]])
            chars[n][k], chars[n][k + 1] = chars[n][k + 1], chars[n][k]
        return ["".join(c) for c in chars]

    def page(self, i: int) -> SyntheticPage:
        kind = self.kind(i)
        original = self.original_of(i)
        headline, paragraphs = self._article(original)
        if kind == "near":
            paragraphs = self._typos(paragraphs, self._rng(i, "typos"))
        rng = self._rng(i, "template")
        template = rng.choice(self.source.templates)
        return SyntheticPage(id=page_id(i), text=template.render(headline, paragraphs, _redate(rng)), kind=kind,
                             source=None if kind == "original" else page_id(original),
                             body="\n".join(paragraphs), template=template.source)

    def pages(self, n: int) -> Iterator[SyntheticPage]:
        for i in range(n):
            yield self.page(i)


def _redate(rng: random.Random) -> Callable[[str], str]:
    """A function that redraws the numbers of a text, the same number the same way each time:
    a year (19xx, 20xx) becomes one of 1995–2030, a one- or two-digit number one of 1–12 (a valid
    day and month). So the articles' dates, and the events keyed on them, spread out as in a real
    crawl instead of all pages reporting the seeds' few meetings."""
    drawn: dict[str, str] = {}

    def draw(match: re.Match) -> str:
        number = match.group()
        if number not in drawn:
            if len(number) == 4 and number[:2] in ("19", "20"):
                drawn[number] = str(rng.randint(1995, 2030))
            elif len(number) <= 2:
                drawn[number] = f"{rng.randint(1, 12):0{len(number)}d}"
            else:
                drawn[number] = number
        return drawn[number]

    return lambda text: _NUMBER.sub(draw, text)


def page_id(i: int) -> str:
    return f"{SYNTHETIC_PREFIX}{i:08d}"


@dataclass
class CorpusStats:
    """What was written: page counts by kind, and the size on disk."""

    pages: int = 0
    bytes: int = 0
    original: int = 0
    exact: int = 0
    near: int = 0


def write_corpus(folder: Path, pages: Iterable[SyntheticPage]) -> CorpusStats:
    """Write pages as ``<id>.txt`` files into ``folder``, one at a time (nothing is kept in memory)."""
    folder.mkdir(parents=True, exist_ok=True)
    stats = CorpusStats()
    for page in pages:
        data = page.text.encode("utf-8")
        (folder / f"{page.id}.txt").write_bytes(data)
        stats.pages += 1
        stats.bytes += len(data)
        setattr(stats, page.kind, getattr(stats, page.kind) + 1)
    return stats


# ============================================================================ memory of a process tree

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


def _rss_pss(pid: int, pss: bool = True) -> tuple[int, int]:
    """Resident and proportional set size of one process, in bytes (0, 0 when it is gone; PSS 0
    unless asked for)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            rss = int(f.read().split()[1]) * _PAGE_SIZE
        if not pss:
            return rss, 0
        pss = 0
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
        return rss, pss
    except (OSError, ValueError, IndexError):
        return 0, 0


class TreeMemorySampler(threading.Thread):
    """Samples the summed RSS and PSS of a process and all its descendants until stopped.

    The RSS sum counts memory that forked workers share with their parent once per process, so it
    is an upper bound; PSS splits shared pages between the processes that map them. PSS is read
    every ``pss_every`` samples only: the kernel walks a process's page tables for it, and reading
    it every 50 ms took ~20% of a core from the build being measured.
    """

    def __init__(self, pid: int, interval: float = 0.05, pss_every: int = 10):
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss_every = pid, interval, pss_every
        self.peak_rss = self.peak_pss = 0
        self.peak_descendant_rss = 0  # the largest single worker (with forkserver, getrusage misses them)
        self.available = os.path.exists(f"/proc/{pid}/statm")
        self._stop_event = threading.Event()

    def run(self) -> None:
        tick = 0
        while self.available and not self._stop_event.is_set():
            pids = _tree(self.pid)
            sizes = [_rss_pss(p, pss=tick % self.pss_every == 0) for p in pids]
            self.peak_rss = max(self.peak_rss, sum(r for r, _ in sizes))
            self.peak_descendant_rss = max([self.peak_descendant_rss] + [r for p, (r, _) in zip(pids, sizes) if p != self.pid])
            self.peak_pss = max(self.peak_pss, sum(p for _, p in sizes))
            tick += 1
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# ============================================================================ the whole build

def _build_child(seeds: str, out: str, workers: int, conn, engine: str = "local") -> None:
    """Runs in a fresh process: the real build, timed, and this process tree's getrusage peaks."""
    import resource
    try:
        from akhbar.pipeline import BuildConfig, build_dataset
        cfg = BuildConfig(seeds=Path(seeds), out=Path(out), workers=workers, progress=False)
        steps = {}
        start = time.perf_counter()
        if engine == "ray":  # a local Ray started and stopped inside the timed build, as the CLI does
            from akhbar.ray_build import RayConfig, StepLog, build_dataset_ray
            log = StepLog()
            build_dataset_ray(cfg, RayConfig(), heldout=[], log=log)
            steps = log.seconds
        else:
            build_dataset(cfg, heldout=[])  # no gold: the card's figures are not what is timed
        seconds = time.perf_counter() - start
        conn.send({"seconds": seconds, "main_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   "steps": steps})
    except BaseException:  # reported to the parent, which raises it
        conn.send({"error": traceback.format_exc()})
    finally:
        conn.close()


def time_build(corpus: Path, out: Path, workers: int, stats: CorpusStats, engine: str = "local") -> dict:
    """``build_dataset`` on ``corpus`` with ``workers`` in a fresh process → speed and memory.

    The time is the build alone (not the interpreter start); peak memory is sampled over the
    whole process tree; ``main_maxrss_mb`` is getrusage's peak of the build's main process and
    ``worker_maxrss_mb`` the largest sampled RSS of one of its worker processes.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_build_child, args=(str(corpus), str(out), workers, sender, engine))
    process.start()
    sender.close()
    sampler = TreeMemorySampler(process.pid)
    sampler.start()
    try:
        result = receiver.recv()
    except EOFError:
        result = {"error": f"the build process died (exit code {process.exitcode})"}
    finally:
        sampler.stop()
        process.join()
    if "error" in result:
        raise BenchError(f"the build failed on the synthetic corpus:\n{result['error']}")
    seconds = result["seconds"]
    mb = 1 / 1e6
    return {
        "seconds": round(seconds, 3),
        "pages_per_s": round(stats.pages / seconds, 2),
        "mb_per_s": round(stats.bytes * mb / seconds, 3),
        "s_per_1k_pages": round(1000 * seconds / stats.pages, 3),
        "peak_rss_mb": round(sampler.peak_rss * mb, 1) if sampler.available else None,
        "peak_pss_mb": round(sampler.peak_pss * mb, 1) if sampler.available else None,
        "main_maxrss_mb": round(result["main_maxrss_kb"] * 1024 * mb, 1),
        "worker_maxrss_mb": round(sampler.peak_descendant_rss * mb, 1) if sampler.available else None,
        **({"steps": result["steps"]} if result["steps"] else {}),
        **_output_counts(out),
    }


def _file_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _output_counts(out: Path) -> dict:
    """Rows of each config of a built dataset, and links by relation."""
    import pyarrow.parquet as pq
    counts = {}
    for config in ("documents", "entities", "events", "links", "ner"):
        counts[config] = sum(pq.ParquetFile(p).metadata.num_rows for p in (out / "data" / config).glob("*.parquet"))
    relations: dict[str, int] = defaultdict(int)
    for path in (out / "data" / "links").glob("*.parquet"):
        for value in pq.read_table(path, columns=["relation"]).column("relation").to_pylist():
            relations[value] += 1
    counts["link_relations"] = dict(sorted(relations.items()))
    return {"rows": counts}


# ============================================================================ stage by stage

class Stopwatch:
    """Accumulates wall time per stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - start


def staged_page(path: Path, counts: CorpusLineCounts, cfg, clock: Stopwatch):
    """:func:`akhbar.pipeline.process_page` step by step, each step timed on ``clock``.

    For pages without an annotation file, which synthetic pages are; returns the same
    ``PageResult``.
    """
    import datetime as dt

    from akhbar import entities as entity_annotator
    from akhbar import events as event_extractor
    from akhbar import links
    from akhbar.metadata import extract_metadata
    from akhbar.pipeline import PageResult, RecordError
    from akhbar.schema import schema_problems

    def _span(span):
        return None if span is None else {"start": span[0], "end": span[1]}

    with clock("read"):
        page = read_page(path, cfg.max_bytes)
    with clock("boilerplate"):
        seg = segment(page.raw_text, cfg.segment, counts)
    with clock("metadata"):
        meta = extract_metadata(seg, page.raw_text)
        body_text = "\n".join(page.raw_text[s:e] for s, e in seg.body_spans)
        published = dt.date.fromisoformat(meta.published) if meta.published else None
    with clock("entities"):
        entities = entity_annotator.annotate_entities(body_text, published, meta.publisher)
    with clock("events"):
        events = event_extractor.extract_events(body_text, entities, published, headline=meta.title)
    record = {
        "id": page.id, "sha256": page.sha256, "source_file": page.source_file, "raw_text": page.raw_text,
        "title": meta.title, "headline_span": _span(seg.headline_span), "byline_span": _span(seg.byline_span),
        "publisher": meta.publisher, "published": meta.published, "published_text": meta.published_text,
        "body_text": body_text, "body_spans": [_span(s) for s in seg.body_spans],
        "boilerplate": [{"start": s, "end": e, "label": label} for s, e, label in seg.boilerplate],
        "entities": entities, "events": events, "dedup_cluster": page.id, "warnings": list(page.warnings),
    }
    with clock("validate"):
        problems = list(schema_problems(record))
    if problems:
        raise RecordError(f"{page.id}: {problems[0]}")
    with clock("links"):
        result = PageResult(record, *links.sign(body_text, cfg.links))
    return result


def time_stages(paths: list[Path], workdir: Path) -> dict:
    """The build's steps, one at a time in this process, on ``paths`` → seconds per stage.

    Mirrors :func:`akhbar.pipeline.build_dataset`: pass 1 (read + count lines, counted under read
    and boilerplate), pass 2 per page, the global link step, and the Parquet writing (staged
    documents and entity rows, then documents, events and links). The card (the near-duplicate
    evaluation and the README) is a fixed cost per build, reported apart.
    """
    from dataclasses import asdict as link_dict

    from akhbar import evaluation, links
    from akhbar.events import identifies_meeting
    from akhbar.card import render_card
    from akhbar.ner_config import ner_features, ner_rows
    from akhbar.pipeline import BuildConfig, staged_ids_and_dates
    from akhbar.schema import LINK_FEATURES, document_features, row_features
    from akhbar.write import ShardWriter, iter_rows, write_rows

    cfg = BuildConfig(seeds=paths[0].parent, out=workdir / "stages-out", progress=False)
    clock = Stopwatch()
    counts = CorpusLineCounts(cfg.segment.corpus_repeat_max_words)
    pass1 = Stopwatch()
    for path in paths:
        with clock("read"), pass1("read"):
            raw_text = read_page(path, cfg.max_bytes).raw_text
        with clock("boilerplate"), pass1("count_lines"):
            counts.add_document(raw_text)
    results = [staged_page(path, counts, cfg, clock) for path in paths]

    out = workdir / "stages-out"
    if out.exists():
        shutil.rmtree(out)
    limits = {"rows_per_group": cfg.rows_per_group, "rows_per_file": cfg.rows_per_file}
    with clock("write"):
        staged = ShardWriter(out / ".stage", "documents", document_features(), **limits, compression_level=1)
        entity_rows = ShardWriter(out, "entities", row_features("entity"), **limits)
        sentence_rows = ShardWriter(out, "ner", ner_features(), **limits)
        for result in results:
            staged.add(result.record)
            for entity in result.record["entities"]:
                entity_rows.add({"document_id": result.record["id"], **entity})
            for row in ner_rows(result.record):
                sentence_rows.add(row)
        staged.close()
        entity_rows.close()
        sentence_rows.close()
    with clock("links"):
        store = links.SignatureStore(out / ".stage" / "links", cfg.links)
        for r in results:
            store.add(*((r.exact_key, r.signature) if r.record["body_text"].strip() else (None, None)))
        store.close()
        pairs = links.duplicate_pairs(store, cfg.links)
        ids, _ = staged_ids_and_dates(out / ".stage", pairs.rows())
        duplicate_links = pairs.links(ids, cfg.links)
        clusters = links.dedup_clusters(ids.values(), duplicate_links)
    del results
    with clock("write"):
        documents = ShardWriter(out, "documents", document_features(), **limits)
        event_rows = ShardWriter(out, "events", row_features("event"), **limits)
        event_keys = []
        for record in iter_rows(out / ".stage", "documents"):
            record["dedup_cluster"] = clusters.get(record["id"], record["id"])
            documents.add(record)
            for event in record["events"]:
                event_rows.add({"document_id": record["id"], **event})
            keys = [e["event_key"] for e in record["events"] if identifies_meeting(e["event_key"])]
            if keys:
                event_keys.append((record["id"], keys))
        documents.close()
        event_rows.close()
    with clock("links"):
        all_links = sorted(duplicate_links + links.same_event_links(event_keys))
    with clock("write"):
        link_rows = write_rows(out, "links", LINK_FEATURES, (link_dict(link) for link in all_links), **limits)
    card_start = time.perf_counter()
    figures = evaluation.run(paths[0].parent, None, [], cfg.segment, None)
    render_card(out, {"documents": documents, "entities": entity_rows, "events": event_rows, "links": link_rows,
                      "ner": sentence_rows}, figures)
    card_seconds = time.perf_counter() - card_start
    shutil.rmtree(out)

    total = sum(clock.seconds[s] for s in STAGES)
    return {
        "pages": len(paths),
        "stages": {s: {"seconds": round(clock.seconds[s], 4), "ms_per_page": round(1000 * clock.seconds[s] / len(paths), 4),
                       "share": round(clock.seconds[s] / total, 4) if total else 0.0} for s in STAGES},
        "pass1_seconds": {k: round(v, 4) for k, v in pass1.seconds.items()},  # included in read and boilerplate
        "total_seconds": round(total, 3),
        "one_core_pages_per_s": round(len(paths) / total, 2) if total else None,
        "card_seconds": round(card_seconds, 3),
    }


# ============================================================================ peers

def trafilatura_text(raw_text: str) -> str:
    """trafilatura's extracted text of a page ('' when it extracts nothing)."""
    import trafilatura
    return trafilatura.extract(as_html(raw_text), **TRAFILATURA_OPTIONS) or ""


@cache
def _arabic_stoplist() -> frozenset[str]:
    import justext
    return justext.get_stoplist("Arabic")


def justext_text(raw_text: str) -> str:
    """jusText's non-boilerplate paragraphs of a page, with its Arabic stoplist."""
    import justext
    paragraphs = justext.justext(as_html(raw_text), _arabic_stoplist())
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


EXTRACTORS = {"trafilatura": trafilatura_text, "justext": justext_text}


def _quiet_peers() -> None:
    import logging
    for name in ("trafilatura", "justext", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _start_peer_worker() -> None:
    """A peer worker's imports, done before the clock starts (as a forked worker had them)."""
    _quiet_peers()
    import justext  # noqa: F401
    import trafilatura  # noqa: F401
    _arabic_stoplist()


def _extract_file(args: tuple[str, str]) -> int:
    name, path = args
    return len(EXTRACTORS[name](decode(Path(path).read_bytes(), path)[0]))


def time_extractors(paths: list[Path], workers: int) -> dict:
    """Each peer extractor over ``paths`` (file read included) in ``workers`` processes → pages/s."""
    _quiet_peers()
    out = {}
    for name in EXTRACTORS:
        args = [(name, str(p)) for p in paths]
        if workers <= 1:
            start = time.perf_counter()
            chars = sum(map(_extract_file, args))
        else:
            # not "fork": this process holds threads (the memory sampler's, Arrow's) whose locks a
            # forked child can inherit held. The workers start and import before the clock starts.
            context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
            with context.Pool(workers, initializer=_start_peer_worker) as pool:
                pool.map(abs, range(4 * workers), chunksize=1)  # every worker up
                start = time.perf_counter()
                chars = sum(pool.imap_unordered(_extract_file, args, chunksize=max(1, min(64, len(args) // (4 * workers)))))
        seconds = time.perf_counter() - start
        out[name] = {"seconds": round(seconds, 3), "pages_per_s": round(len(paths) / seconds, 2),
                     "extracted_chars": chars, "workers": workers}
    return out


def time_dedup(bodies: Iterable[tuple[str, str]]) -> dict:
    """Our links stage against datasketch on the same ``(id, body_text)`` pairs, in this process.

    Ours: exact key and MinHash signature per body, then :func:`akhbar.links.find_links` and
    :func:`akhbar.links.dedup_clusters`. datasketch: a ``MinHash`` (128 permutations, the same
    word 5-gram shingles) per body, ``MinHashLSH`` (threshold 0.7) insert, then a query per body
    with the candidate verified on its estimated Jaccard. Reading the bodies is not timed.
    """
    from datasketch import MinHash, MinHashLSH

    from akhbar import links

    cfg = links.LinkConfig()
    ours = theirs = 0.0
    items, hashes = [], []
    for doc_id, body in bodies:
        start = time.perf_counter()
        items.append((doc_id, links.exact_key(body), links.signature(body, cfg)))
        middle = time.perf_counter()
        toks = links.words(body)
        grams = {" ".join(toks[i:i + cfg.shingle_size]) for i in range(max(len(toks) - cfg.shingle_size + 1, 1))} if toks else set()
        m = MinHash(num_perm=cfg.num_perm)
        m.update_batch([g.encode("utf-8") for g in grams])
        hashes.append((doc_id, m))
        theirs += time.perf_counter() - middle
        ours += middle - start
    start = time.perf_counter()
    found = links.find_links(items, cfg)
    links.dedup_clusters([doc_id for doc_id, _, _ in items], found)
    ours += time.perf_counter() - start
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=cfg.threshold, num_perm=cfg.num_perm)
    with lsh.insertion_session() as session:
        for doc_id, m in hashes:
            session.insert(doc_id, m)
    by_id = dict(hashes)
    pairs = set()
    for doc_id, m in hashes:
        for other in lsh.query(m):
            if other != doc_id and m.jaccard(by_id[other]) >= cfg.threshold:
                pairs.add((min(doc_id, other), max(doc_id, other)))
    theirs += time.perf_counter() - start
    n = len(items)
    return {
        "pages": n,
        "akhbar": {"seconds": round(ours, 3), "pages_per_s": round(n / ours, 2) if ours else None,
                   "duplicate_links": len(found)},
        "datasketch": {"seconds": round(theirs, 3), "pages_per_s": round(n / theirs, 2) if theirs else None,
                       "duplicate_pairs": len(pairs)},
        "ratio": round(theirs / ours, 3) if ours else None,
    }


# ============================================================================ fit

def linear_fit(points: list[tuple[int, float]]) -> dict | None:
    """Least squares ``y = intercept + slope × N`` over ``(N, y)`` points; None for fewer than 2 sizes.

    Returns ``slope`` (per page), ``intercept``, ``r2`` and ``at_10M`` (the line at N = 10 million).
    """
    if len({n for n, _ in points}) < 2:
        return None
    k = len(points)
    mean_n = sum(n for n, _ in points) / k
    mean_y = sum(y for _, y in points) / k
    slope = sum((n - mean_n) * (y - mean_y) for n, y in points) / sum((n - mean_n) ** 2 for n, _ in points)
    intercept = mean_y - slope * mean_n
    ss_tot = sum((y - mean_y) ** 2 for _, y in points)
    ss_res = sum((y - intercept - slope * n) ** 2 for n, y in points)
    return {"slope": slope, "intercept": intercept, "r2": 1 - ss_res / ss_tot if ss_tot else 1.0,
            "at_10M": intercept + slope * 10_000_000}


def _fits(runs: list[dict]) -> dict:
    """Build time and peak memory against N, for the report."""
    out = {}
    time_fit = linear_fit([(r["docs"], r["build"]["seconds"]) for r in runs])
    if time_fit:
        per_page = [r["build"]["seconds"] / r["docs"] for r in sorted(runs, key=lambda r: r["docs"])]
        out["fit"] = {"slope_s_per_1k_pages": round(1000 * time_fit["slope"], 4), "intercept_s": round(time_fit["intercept"], 3),
                      "r2": round(time_fit["r2"], 5), "estimate_10M_hours": round(time_fit["at_10M"] / 3600, 2),
                      # time per page at the largest N over that at the smallest: 1 when time is linear
                      "per_page_growth": round(per_page[-1] / per_page[0], 3)}
    memory_fit = linear_fit([(r["docs"], r["build"]["peak_rss_mb"]) for r in runs if r["build"]["peak_rss_mb"]])
    if memory_fit:
        out["memory_fit"] = {"mb_per_100k_pages": round(100_000 * memory_fit["slope"], 1),
                             "intercept_mb": round(memory_fit["intercept"], 1), "r2": round(memory_fit["r2"], 5),
                             "estimate_10M_gb": round(memory_fit["at_10M"] / 1000, 1)}
    return out


# ============================================================================ quality

def peer_kept_spans(raw_text: str, output: str) -> list[tuple[int, int]]:
    """The lines of ``raw_text`` a peer kept: those whose stripped text, white space collapsed,
    occurs in the peer's output, white space collapsed."""
    flat = " ".join(output.split())
    spans, offset = [], 0
    for line in raw_text.split("\n"):
        text = " ".join(line.split())
        if text and text in flat:
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def gold_sets(seeds: Path, gold_body: Path | None, heldout: Iterable[Path]) -> dict[str, list[tuple[str, str, list[int]]]]:
    """``{set name: [(id, raw_text, gold 1-based body lines)]}`` for the seeds with gold body
    lines and each held-out folder (``*.txt`` beside ``*.gold.json``); missing folders are skipped."""
    sets = {}
    if gold_body is not None and gold_body.is_dir():
        pages = []
        for gold_file in sorted(gold_body.glob("*.json")):
            page = seeds / f"{gold_file.stem}.txt"
            if page.is_file():
                pages.append((gold_file.stem, decode(page.read_bytes(), page)[0],
                              json.loads(gold_file.read_text(encoding="utf-8"))["body_lines"]))
        if pages:
            sets["seeds"] = pages
    for folder in heldout:
        if not folder.is_dir():
            continue
        pages = []
        for gold_file in sorted(folder.glob("*.gold.json")):
            doc_id = gold_file.name[: -len(".gold.json")]
            page = folder / f"{doc_id}.txt"
            pages.append((doc_id, decode(page.read_bytes(), page)[0],
                          json.loads(gold_file.read_text(encoding="utf-8"))["body_lines"]))
        if pages:
            sets[folder.name] = pages
    return sets


def _prf(prf: PRF) -> dict:
    return {"precision": round(prf.precision, 4), "recall": round(prf.recall, 4), "f1": round(prf.f1, 4),
            "tp": prf.tp, "fp": prf.fp, "fn": prf.fn}


def quality(seeds: Path, gold_body: Path | None, heldout: Iterable[Path], peers: bool = True,
            segment_cfg: SegmentConfig = SegmentConfig()) -> dict:
    """Body character P/R/F1 of our segmenter, trafilatura, jusText and keep-every-line on the gold pages.

    Our segmenter counts corpus lines over each set's pages, as the card's figures do.
    Returns ``{set: {"documents": n, "systems": {system: {micro P/R/F1, "per_document": {id: f1}}}}}``.
    """
    if peers:
        _quiet_peers()
    out = {}
    for name, pages in gold_sets(seeds, gold_body, heldout).items():
        counts = CorpusLineCounts(segment_cfg.corpus_repeat_max_words)
        for _, text, _ in pages:
            counts.add_document(text)
        systems = {"akhbar": lambda text: segment(text, segment_cfg, counts).body_spans,
                   "keep_every_line": lambda text: [(0, len(text))]}
        if peers:
            for peer, extract in EXTRACTORS.items():
                systems[peer] = lambda text, extract=extract: peer_kept_spans(text, extract(text))
        result = {}
        for system, predict in systems.items():
            total, per_doc = PRF(0, 0, 0), {}
            for doc_id, text, body_lines in pages:
                prf = body_prf(text, predict(text), line_spans(text, body_lines))
                total += prf
                per_doc[doc_id] = round(prf.f1, 4)
            result[system] = {**_prf(total), "per_document": per_doc}
        out[name] = {"documents": len(pages), "systems": result}
    return out


# ============================================================================ the whole bench

def _machine() -> dict:
    from akhbar.pipeline import available_cpus
    commit = None
    with contextlib.suppress(Exception):
        import subprocess
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                timeout=5).stdout.strip() or None
    return {"akhbar": __version__, "commit": commit, "python": platform.python_version(),
            "platform": platform.platform(), "cpus": os.cpu_count(), "usable_cpus": available_cpus()}


def run_bench(cfg: BenchConfig, log=lambda message: None) -> dict:
    """Run the bench ``cfg`` describes and return the report as a JSON-able dict.

    ``log`` receives one line per step (progress for the command line). Raises
    :class:`BenchError` when a peer is missing (unless ``cfg.peers`` is false) or the build fails.
    """
    report: dict = {"machine": _machine(), "config": {
        "docs": list(cfg.docs) if cfg.speed else [], "workers": cfg.workers, "seed": cfg.seed,
        "exact_share": cfg.exact_share, "near_share": cfg.near_share, "stage_docs": cfg.stage_docs,
        "seeds": str(cfg.seeds), "peers": cfg.peers, "trafilatura_options": TRAFILATURA_OPTIONS,
        "peer_input": PEER_INPUT if cfg.peers else None}}
    if cfg.peers:
        report["machine"]["peers"] = require_peers()
    if cfg.speed:
        _quiet_peers()
        source = load_source(cfg.seeds, cfg.gold_body)
        corpus = SyntheticCorpus(source, cfg.seed, cfg.exact_share, cfg.near_share, cfg.near_typo_share)
        report["corpus_source"] = {"templates": len(source.templates), "sentences": len(source.sentences)}
        runs = []
        with _workdir(cfg.workdir) as work:
            for n in sorted(set(cfg.docs)):
                folder, out = work / f"corpus-{n}", work / f"dataset-{n}"
                log(f"[{n} pages] writing the synthetic corpus to {folder}")
                if folder.exists():
                    shutil.rmtree(folder)  # a corpus left by an interrupted run
                stats = write_corpus(folder, corpus.pages(n))
                paths = seed_paths(folder)
                run: dict = {"docs": n, "corpus": asdict(stats)}
                log(f"[{n} pages] building with {cfg.workers} workers")
                run["build"] = time_build(folder, out, cfg.workers, stats)
                if cfg.ray:
                    log(f"[{n} pages] building on a local Ray")
                    ray_out = work / f"dataset-{n}-ray"
                    run["build_ray"] = time_build(folder, ray_out, cfg.workers, stats, engine="ray")
                    run["build_ray"]["same_bytes"] = _file_hashes(ray_out) == _file_hashes(out)
                    run["build_ray"]["ratio_to_local"] = round(run["build_ray"]["seconds"] / run["build"]["seconds"], 3)
                    shutil.rmtree(ray_out)
                if "stages" not in report:
                    sample = paths[: cfg.stage_docs]
                    log(f"[{n} pages] timing each stage on {len(sample)} pages in one process")
                    report["stages"] = time_stages(sample, work)
                    if cfg.peers:
                        one_core = time_extractors(sample, 1)
                        ours = report["stages"]["one_core_pages_per_s"]
                        report["stages"]["peers_one_core"] = {
                            name: {**r, "ratio": round(ours / r["pages_per_s"], 3)} for name, r in one_core.items()}
                if cfg.peers:
                    log(f"[{n} pages] timing trafilatura and jusText with {cfg.workers} workers")
                    peers = time_extractors(paths, cfg.workers)
                    for r in peers.values():
                        r["ratio"] = round(run["build"]["pages_per_s"] / r["pages_per_s"], 3)
                    log(f"[{n} pages] timing our dedup and datasketch's")
                    from akhbar.write import iter_rows
                    peers["dedup"] = time_dedup((r["id"], r["body_text"]) for r in iter_rows(out, "documents", columns=["id", "body_text"]))
                    run["peers"] = peers
                runs.append(run)
                shutil.rmtree(folder)
                shutil.rmtree(out)
        report["runs"] = runs
        report["fit"] = None
        report.update(_fits(runs))
    if cfg.quality:
        log("scoring body extraction on the gold pages")
        report["quality"] = quality(cfg.seeds, cfg.gold_body, cfg.heldout, cfg.peers)
    return report


@contextlib.contextmanager
def _workdir(folder: Path | None) -> Iterator[Path]:
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
    else:
        with tempfile.TemporaryDirectory(prefix="akhbar-bench-") as tmp:
            yield Path(tmp)


# ============================================================================ text report

def format_report(report: dict) -> str:
    """The report for people: one block per corpus size, the stages, the fit, the quality table."""
    m, c = report["machine"], report["config"]
    lines = [f"akhbar {m['akhbar']} ({m['commit'] or 'no commit'}), Python {m['python']}, {m['cpus']} CPUs; "
             f"workers {c['workers']}" + (f"; peers {', '.join(f'{k} {v}' for k, v in m['peers'].items())}" if m.get("peers") else "")]
    for run in report.get("runs", []):
        b, corpus = run["build"], run["corpus"]
        lines += ["", f"== {run['docs']} synthetic pages ({corpus['bytes'] / 1e6:.1f} MB; {corpus['exact']} exact and "
                      f"{corpus['near']} near duplicates)",
                  f"build      {b['seconds']:.1f} s   {b['pages_per_s']:.1f} pages/s   {b['mb_per_s']:.2f} MB/s   "
                  f"{b['s_per_1k_pages']:.2f} s per 1k pages",
                  f"memory     peak RSS {b['peak_rss_mb']} MB (process tree, shared pages counted per process), "
                  f"PSS {b['peak_pss_mb']} MB; getrusage main {b['main_maxrss_mb']} MB, largest worker {b['worker_maxrss_mb']} MB",
                  f"output     {b['rows']['documents']} documents, {b['rows']['entities']} entities, {b['rows']['events']} events, "
                  f"links {b['rows']['link_relations']}"]
        if "build_ray" in run:
            r = run["build_ray"]
            lines.append(f"ray        {r['seconds']:.1f} s   {r['pages_per_s']:.1f} pages/s   {r['ratio_to_local']:.2f}× the local "
                         f"build's time; same bytes: {'yes' if r['same_bytes'] else 'NO'}; peak RSS {r['peak_rss_mb']} MB")
            lines.append("ray steps  " + ", ".join(f"{name} {sec:.2f} s" for name, sec in r["steps"].items()))
        for name, r in run.get("peers", {}).items():
            if name == "dedup":
                lines.append(f"dedup      ours {r['akhbar']['pages_per_s']:.0f} pages/s ({r['akhbar']['duplicate_links']} links), "
                             f"datasketch {r['datasketch']['pages_per_s']:.0f} pages/s ({r['datasketch']['duplicate_pairs']} pairs): "
                             f"ours {r['ratio']:.2f}×")
            else:
                lines.append(f"{name:<10} {r['pages_per_s']:.1f} pages/s with {r['workers']} workers: whole build {r['ratio']:.2f}× its speed")
    if "stages" in report:
        s = report["stages"]
        lines += ["", f"== stages, one process, {s['pages']} pages ({s['one_core_pages_per_s']} pages/s on one core)",
                  "stage        seconds   ms/page   share"]
        lines += [f"{name:<12} {v['seconds']:>7.2f}  {v['ms_per_page']:>8.3f}  {v['share']:>6.1%}" for name, v in s["stages"].items()]
        lines.append(f"(pass 1, included above: read {s['pass1_seconds']['read']:.2f} s, count lines "
                     f"{s['pass1_seconds']['count_lines']:.2f} s; the card, a fixed cost per build: {s['card_seconds']:.2f} s)")
        for name, r in s.get("peers_one_core", {}).items():
            lines.append(f"{name} on one core: {r['pages_per_s']:.1f} pages/s; all our stages on one core: {r['ratio']:.2f}× its speed")
    if report.get("runs"):
        lines += ["", "== time against N", "pages      s per 1k pages"]
        lines += [f"{r['docs']:<10} {r['build']['s_per_1k_pages']:.3f}" for r in report["runs"]]
        fit = report.get("fit")
        if fit:
            lines.append(f"least squares: seconds = {fit['intercept_s']:.2f} + {fit['slope_s_per_1k_pages']:.3f} × (N / 1000), "
                         f"r² {fit['r2']}; 10M pages ≈ {fit['estimate_10M_hours']:.1f} h")
            if fit["per_page_growth"] > 1.2:
                lines.append(f"NOT LINEAR: a page costs {fit['per_page_growth']:.2f}× as much at the largest N as at the "
                             "smallest, so the 10M estimate is a lower bound")
        else:
            lines.append("(pass --docs twice or more for the fit)")
        mem = report.get("memory_fit")
        if mem:
            lines.append(f"peak RSS grows {mem['mb_per_100k_pages']} MB per 100k pages (intercept {mem['intercept_mb']} MB); "
                         f"10M pages ≈ {mem['estimate_10M_gb']} GB")
    if c.get("peer_input"):
        lines += ["", f"({c['peer_input']})"]
    for name, q in report.get("quality", {}).items():
        lines += ["", f"== body extraction, {name} ({q['documents']} pages), character P/R/F1",
                  "system            precision  recall  F1"]
        lines += [f"{system:<17} {r['precision']:>9.3f}  {r['recall']:>6.3f}  {r['f1']:.3f}" for system, r in q["systems"].items()]
    return "\n".join(lines)


def write_json(report: dict, path: Path) -> None:
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
