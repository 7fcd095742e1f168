"""Links between documents: exact duplicates, near duplicates and reports of the same event.

Two kinds of step, in the manner of datatrove's minhash stages:

1. Per document, pure and picklable so they run in worker processes:
   :func:`exact_key` (``body_text -> sha256 hex``) and :func:`signature`
   (``body_text -> uint32[num_perm]`` MinHash over word 5-gram shingles, see :func:`shingles`);
   :func:`sign` gives both from one normalisation of the text.
2. Global: the build appends each page's exact key and signature to a :class:`SignatureStore`
   (files in its staging folder, one fixed-width row per page, the LSH band hashes precomputed),
   then :func:`duplicate_pairs` finds exact groups and near pairs by row number and
   :meth:`DuplicatePairs.links` turns them into links once the ids of those rows are looked up.
   :func:`find_links` does the same over in-memory ``(id, exact_key, signature)`` triples. It never
   compares all pairs: exact keys are grouped by sorting their 8-byte prefixes, and near-duplicate
   candidates come only from shared LSH band buckets, each candidate then verified on its full
   signature. In memory at once: one or two 8-byte values per page (a band's bucket hashes and
   their sort order), the candidate pairs (8 bytes each) and the signatures of the pairs being
   verified; nothing per page outlives the step, so the build's memory does not grow with N.

Then :func:`dedup_clusters` (union-find over the duplicate links) and :func:`same_event_links`.

What the links list, and what they do not:

- ``exact_duplicate``: each member of a group of texts with equal :func:`exact_key` is linked to the
  group's smallest id (a star, k - 1 links for k copies, not k(k-1)/2: a crawl can hold thousands
  of copies of one "page unavailable" body).
- ``near_duplicate``: between exact-group representatives only (the smallest id of each group). A
  member has the same signature as its representative, so it shares its representative's near
  links; :func:`dedup_clusters` gives the full groups. So no pair is both exact and near.
- ``same_event``: each document sharing an event key with others is linked to the smallest id of
  that key's group (a star, as for exact duplicates).

The MinHash is our own vectorised numpy code, not datasketch: its values are then fixed by this
file alone (datasketch 2.0 changed its default permutation scheme from "legacy" to "affine32", and
our pin ``datasketch>=1.6`` admits both), and a document's shingles are hashed in one numpy step.
A known cost of listing pairs: k near-identical texts (different exact keys) yield k(k-1)/2 near
links; measured, 3000 of them give 4.5 million links in about 30 s and 1.3 GB.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from akhbar.normalize import normalize_for_identity

EXACT_DUPLICATE = "exact_duplicate"
NEAR_DUPLICATE = "near_duplicate"
SAME_EVENT = "same_event"
RELATIONS = (EXACT_DUPLICATE, NEAR_DUPLICATE, SAME_EVENT)

EXACT_METHOD = "sha256(normalize_for_identity)"
EVENT_METHOD = "event_key"

_MERSENNE_61 = np.uint64((1 << 61) - 1)
_SHIFT_61 = np.uint64(61)
_MASK_32 = np.uint64(0xFFFFFFFF)
#: Signature of a text with no words: it is never bucketed, so empty texts are never near duplicates.
EMPTY_HASH = np.uint32(0xFFFFFFFF)
# Shingles hashed against all permutations at once, a chunk at a time: bounds memory at
# 8192 × num_perm × 8 bytes (8 MiB for 128 permutations) however long the document.
_SHINGLE_CHUNK = 8192
# Candidate pairs verified per numpy step: bounds memory at 2 × 65536 × num_perm × 4 bytes.
_VERIFY_CHUNK = 65536


def lsh_candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that two texts of Jaccard ``similarity`` share at least one of ``bands`` buckets."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def verify_probability(similarity: float, num_perm: int, threshold: float) -> float:
    """Probability that ``num_perm`` MinHash slots estimate ``similarity`` at or above ``threshold``.

    Each slot agrees with probability ``similarity``, so the count of agreeing slots is binomial.
    """
    need = math.ceil(threshold * num_perm - 1e-9)
    return sum(math.comb(num_perm, k) * similarity**k * (1 - similarity) ** (num_perm - k)
               for k in range(need, num_perm + 1))


@dataclass(frozen=True)
class LinkConfig:
    """Every number of the links stage.

    - ``shingle_size`` 5, as datatrove. One changed word removes up to n shingles, so longer
      shingles make every edit cost more; shorter ones let different reports match on stock
      phrases (the packaged same-event report pairs share up to 11% of their words, 1.4% of their
      2-grams, no 3-gram or longer).
    - ``num_perm`` 128: the estimated Jaccard has standard error sqrt(J(1-J)/128) ≈ 0.04 at J = 0.7.
    - ``bands`` × ``rows`` = 21 × 6 (126 of the 128 slots). The S-curve
      P(candidate | J) = 1 - (1 - J^6)^21 has its midpoint at (1/21)^(1/6) ≈ 0.60, a little below
      the threshold on purpose: bucketing only proposes candidates and every candidate is then
      verified on all 128 slots, so a false candidate costs one comparison of 128 integers while a
      missed one is lost. P(candidate) = 0.015 at J 0.3, 0.28 at 0.5, 0.63 at 0.6, 0.93 at 0.7,
      0.98 at 0.75, 0.998 at 0.8. (16 × 8, the curve centred on 0.707, proposes only 61% of the
      pairs at J 0.7 and 82% at 0.75; 32 × 4 proposes 87% of the pairs at J 0.5.) With
      verification (:func:`verify_probability`) a pair is linked with probability 0.006 at J 0.6,
      0.10 at 0.65, 0.48 at 0.7, 0.89 at 0.75 and 0.995 at 0.8.
    - ``threshold`` 0.7 on the estimated word-5-gram Jaccard. Measured with
      :func:`evaluate_near_duplicates` (true Jaccard of each variant against its base article):
      the same article with one sentence moved scores 0.89, typos in 2% of words 0.84, all
      sentences shuffled 0.77, a paragraph added 0.77; numbers spelt out 0.67, one of three
      paragraphs removed 0.66, typos in 5% of words 0.63, in 10% 0.42. A real page body against
      its chrome-stripped copy scores 0.90; independently written reports of the same event 0.00.
      So 0.7 links "the same article, lightly edited", and stays far above reports that merely
      cover the same event: on this data a lower threshold would not link different reports.
    - ``seed``: derives the permutations; change it and every signature changes.
    """

    shingle_size: int = 5
    num_perm: int = 128
    bands: int = 21
    rows: int = 6
    threshold: float = 0.7
    seed: int = 1

    def __post_init__(self) -> None:
        if self.shingle_size < 1:
            raise ValueError(f"shingle_size must be at least 1, not {self.shingle_size}.")
        if self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands × rows ({self.bands} × {self.rows}) must be between 1 and "
                             f"num_perm ({self.num_perm}).")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold}.")

    @property
    def near_method(self) -> str:
        """The ``method`` recorded on near-duplicate links."""
        return (f"minhash-lsh({self.shingle_size}-word shingles,{self.num_perm} perm,"
                f"{self.bands}x{self.rows},jaccard>={self.threshold})")


@dataclass(frozen=True, order=True)
class Link:
    """One undirected relation between two documents, ``source < target``.

    Links sort by (source, target, relation, ...); for long lists ``sorted(links, key=...)`` on the
    first three fields is much faster than the generated comparisons.
    """

    source: str
    target: str
    relation: str
    score: float
    method: str

    def __post_init__(self) -> None:
        if not self.source < self.target:
            raise ValueError(f"a link needs source < target, got {self.source!r} and {self.target!r}.")
        if self.relation not in RELATIONS:
            raise ValueError(f"Cannot set relation {self.relation!r}, must be one of: {', '.join(RELATIONS)}.")


def _link_order(link: Link) -> tuple[str, str, str]:
    """The output order of every list of links: (source, target, relation)."""
    return link.source, link.target, link.relation


# ---------------------------------------------------------------------------- per document

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script; drops punctuation and "_"
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},    # ٠-٩
                         **{chr(0x06F0 + i): str(i) for i in range(10)}})   # ۰-۹
_ARABIC_INDIC_DIGIT = re.compile("[\u0660-\u0669\u06F0-\u06F9]")  # translate only when there are some


def words(body_text: str) -> list[str]:
    """Tokens of the normalised view: Arabic-Indic digits as ASCII, case folded, punctuation gone."""
    return _words(normalize_for_identity(body_text))


def _words(identity: str) -> list[str]:
    """:func:`words` of a text already through :func:`~akhbar.normalize.normalize_for_identity`."""
    if _ARABIC_INDIC_DIGIT.search(identity):
        identity = identity.translate(_DIGITS)
    return _WORD.findall(identity.casefold())


def exact_key(body_text: str) -> str:
    """``body_text -> hex sha256`` of :func:`~akhbar.normalize.normalize_for_identity`."""
    return _exact_key(normalize_for_identity(body_text))


def _exact_key(identity: str) -> str:
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def _hash64(text: str) -> int:
    # blake2b, not hash(): Python salts str hashes per process.
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def shingles(body_text: str, n: int) -> np.ndarray:
    """``body_text -> sorted unique uint64`` hashes of its word ``n``-grams.

    A text of fewer than ``n`` words gives one shingle of all its words; a text with no words gives
    an empty array.
    """
    return _shingles(words(body_text), n)


def _shingles(toks: list[str], n: int) -> np.ndarray:
    """:func:`shingles` of a text's :func:`words`.

    Each shingle is the :func:`_hash64` of its words joined by spaces; the words are encoded once
    and joined as bytes, and the 8-byte digests read as one little-endian array.
    """
    encoded = [t.encode("utf-8") for t in toks]
    digests = b"".join([hashlib.blake2b(b" ".join(encoded[i:i + n]), digest_size=8).digest()
                        for i in range(max(len(toks) - n + 1, 1))] if toks else [])
    return np.unique(np.frombuffer(digests, dtype="<u8").astype(np.uint64))


@lru_cache(maxsize=8)  # pure memo of a pure function; the arrays are made read-only
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` of the hash functions ``(a·x + b) mod (2^61 - 1)``, from ``seed`` alone.

    Drawn with blake2b rather than a numpy generator, whose streams may change between versions.
    ``a`` in [1, 2^32), ``b`` in [0, 2^32) and 32-bit ``x`` keep ``a·x + b < 2^64``: no overflow.
    """
    a = np.array([_hash64(f"{seed}:a:{i}") % 0xFFFFFFFF + 1 for i in range(num_perm)], dtype=np.uint64)
    b = np.array([_hash64(f"{seed}:b:{i}") & 0xFFFFFFFF for i in range(num_perm)], dtype=np.uint64)
    a.flags.writeable = b.flags.writeable = False
    return a, b


def signature(body_text: str, cfg: LinkConfig) -> np.ndarray:
    """``body_text -> uint32[cfg.num_perm]`` MinHash signature of its :func:`shingles`.

    Slot ``i`` is the minimum over shingles of ``((a_i·x + b_i) mod (2^61 - 1)) & (2^32 - 1)``
    with ``x`` the low 32 bits of the shingle hash. A text with no words gives all ``EMPTY_HASH``.
    """
    return _minhash(shingles(body_text, cfg.shingle_size), cfg)


def sign(body_text: str, cfg: LinkConfig) -> tuple[str, np.ndarray]:
    """``(exact_key(body_text), signature(body_text, cfg))``, normalising the text once."""
    identity = normalize_for_identity(body_text)
    return _exact_key(identity), _minhash(_shingles(_words(identity), cfg.shingle_size), cfg)


def _minhash(sh: np.ndarray, cfg: LinkConfig) -> np.ndarray:
    a, b = _permutations(cfg.num_perm, cfg.seed)
    sig = np.full(cfg.num_perm, EMPTY_HASH, dtype=np.uint32)
    for start in range(0, sh.size, _SHINGLE_CHUNK):
        y = (sh[start:start + _SHINGLE_CHUNK] & _MASK_32)[:, None] * a
        y += b
        # y mod (2^61 - 1) without a division: 2^61 ≡ 1, so y ≡ (y >> 61) + (y & (2^61 - 1)), which
        # is below 2 × (2^61 - 1): one conditional subtraction finishes it. In place, no temporaries.
        high = y >> _SHIFT_61
        y &= _MERSENNE_61
        y += high
        y[y >= _MERSENNE_61] -= _MERSENNE_61
        y &= _MASK_32
        sig = np.minimum(sig, y.min(axis=0).astype(np.uint32))
    return sig


# ---------------------------------------------------------------------------- global stage

class SignatureStore:
    """What the global step needs of each document, kept on disk so the build's memory stays flat.

    One row per :meth:`add`, in order (the build adds every page, so a row is a page's position in
    the staged documents). Files in ``folder``, all fixed-width so a row is found by arithmetic:

    - ``flags.u8``: 0 no body (never linked), 1 a body whose signature is all ``EMPTY_HASH`` (no
      words: exact duplicates only), 2 a body with words;
    - ``keys.bin``: sha256 of the exact key (32 bytes), and ``key-prefix.u64`` its first 8 bytes,
      which are what gets sorted;
    - ``signatures.u32``: the signature (``num_perm`` × uint32), read back only for candidate pairs;
    - ``band-NN.u64``: the LSH bucket hash of each band, so a band is one contiguous read.

    Rows are buffered and written a block at a time; the band hashes of a block are one numpy step.
    """

    _BLOCK = 4096

    def __init__(self, folder: Path, cfg: LinkConfig):
        self.folder, self.cfg = folder, cfg
        folder.mkdir(parents=True, exist_ok=True)
        self.rows = 0
        self._flags, self._keys, self._sigs = bytearray(), bytearray(), bytearray()
        names = ["flags.u8", "keys.bin", "key-prefix.u64", "signatures.u32"] + [f"band-{b:02d}.u64" for b in range(cfg.bands)]
        self._files = {name: open(folder / name, "wb") for name in names}

    def add(self, exact_key: str | None, sig: np.ndarray | None) -> None:
        """One document: its exact key and signature, or ``None, None`` for a page without a body."""
        flag, key, sig = store_row(exact_key, sig, self.cfg, f"row {self.rows}")
        self._flags.append(flag)
        self._keys += key
        self._sigs += sig.tobytes()
        self.rows += 1
        if len(self._flags) >= self._BLOCK:
            self._write_block()

    def _write_block(self) -> None:
        if not self._flags:
            return
        files, cfg = self._files, self.cfg
        files["flags.u8"].write(self._flags)
        files["keys.bin"].write(self._keys)
        files["key-prefix.u64"].write(np.frombuffer(self._keys, dtype=np.uint64)[::4].tobytes())
        files["signatures.u32"].write(self._sigs)
        sigs = np.frombuffer(self._sigs, dtype=np.uint32).reshape(-1, cfg.num_perm)
        for band in range(cfg.bands):
            files[f"band-{band:02d}.u64"].write(band_hashes(sigs, band, cfg).tobytes())
        self._flags, self._keys, self._sigs = bytearray(), bytearray(), bytearray()

    def close(self) -> None:
        """Write what is buffered and close the files; then the store can be read."""
        self._write_block()
        for f in self._files.values():
            f.close()

    def _read(self, name: str, dtype) -> np.ndarray:
        return np.fromfile(self.folder / name, dtype=dtype)

    def _signatures(self) -> np.ndarray:
        """The signature matrix, memory-mapped: only the rows read are brought in."""
        if not self.rows:
            return np.empty((0, self.cfg.num_perm), dtype=np.uint32)
        return np.memmap(self.folder / "signatures.u32", dtype=np.uint32, mode="r", shape=(self.rows, self.cfg.num_perm))


def store_row(exact_key: str | None, sig: np.ndarray | None, cfg: LinkConfig, where: str = "a row") -> tuple[int, bytes, np.ndarray]:
    """``(flag, sha256 of the exact key, signature)`` of one document as :class:`SignatureStore` keeps
    it (and the Ray engine's link rows): ``None, None`` is a page without a body."""
    if exact_key is None:
        return 0, bytes(32), np.full(cfg.num_perm, EMPTY_HASH, dtype=np.uint32)
    sig = np.asarray(sig)
    if sig.shape != (cfg.num_perm,) or sig.dtype != np.uint32:
        raise ValueError(f"signature of {where} is {sig.dtype}{list(sig.shape)}, expected "
                         f"uint32[{cfg.num_perm}]: was it made with the same LinkConfig?")
    return 1 if (sig == EMPTY_HASH).all() else 2, hashlib.sha256(exact_key.encode("utf-8")).digest(), sig


def band_hashes(sigs: np.ndarray, band: int, cfg: LinkConfig) -> np.ndarray:
    """One 64-bit bucket hash per row for ``band``: its ``cfg.rows`` slots folded FNV-style.

    Two different bands that fold to the same hash only add a candidate, which verification then
    rejects, so the fold need not be collision-free.
    """
    block = sigs[:, band * cfg.rows:(band + 1) * cfg.rows].astype(np.uint64)
    bucket = np.zeros(len(sigs), dtype=np.uint64)
    for col in block.T:  # uint64 arithmetic wraps mod 2^64, as intended
        bucket = bucket * np.uint64(0x100000001B3) + col
    return bucket


@dataclass(frozen=True)
class DuplicatePairs:
    """Duplicates found among the rows of a :class:`SignatureStore`, before ids are known.

    ``groups``: the rows of each exact group of two or more (equal exact keys). ``near``: near
    duplicate pairs ``(i, j, score)`` between rows that stand for their exact group (each group's
    first row; members share its signature, so which member stands for it changes no score).
    """

    groups: list[np.ndarray]
    near: list[tuple[int, int, float]]

    def rows(self) -> np.ndarray:
        """Every row in a duplicate link, sorted: the ids to look up for :meth:`links`."""
        parts = self.groups + [np.array([r for i, j, _ in self.near for r in (i, j)], dtype=np.int64)]
        return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)

    def links(self, ids: Mapping[int, str], cfg: LinkConfig) -> list[Link]:
        """The exact and near duplicate links, sorted, given the id of every row of :meth:`rows`.

        Each exact group is a star from its smallest id, which also stands for the group in its
        near links (so no pair is both exact and near).
        """
        links, rep = [], {}
        for group in self.groups:
            members = group.tolist()
            hub = min(members, key=ids.__getitem__)
            rep[members[0]] = hub
            links.extend(Link(ids[hub], ids[r], EXACT_DUPLICATE, 1.0, EXACT_METHOD) for r in members if r != hub)
        method = cfg.near_method
        for i, j, score in self.near:
            source, target = sorted((ids[rep.get(i, i)], ids[rep.get(j, j)]))
            links.append(Link(source, target, NEAR_DUPLICATE, score, method))
        return sorted(links, key=_link_order)


def duplicate_pairs(store: SignatureStore, cfg: LinkConfig) -> DuplicatePairs:
    """Exact groups and verified near pairs of a closed store, without comparing all pairs.

    Memory: a few arrays of one 8-byte value per row at a time (the key prefixes, one band's
    bucket hashes and their sort order), plus the groups and candidate pairs found.
    """
    flags = store._read("flags.u8", np.uint8)
    groups = _exact_groups(store, np.flatnonzero(flags > 0))
    in_lsh = flags == 2
    for group in groups:
        in_lsh[group[1:]] = False  # the group's first row stands for it
    rows = np.flatnonzero(in_lsh)
    del flags, in_lsh
    pairs = _candidate_pairs(lambda band: store._read(f"band-{band:02d}.u64", np.uint64)[rows], rows, store.rows, cfg)
    return DuplicatePairs(groups, verify_pairs(pairs, store._signatures(), cfg))


def verify_pairs(pairs: np.ndarray, sigs, cfg: LinkConfig) -> list[tuple[int, int, float]]:
    """Candidate ``pairs`` (rows of ``sigs``) whose signatures agree in at least ``cfg.threshold``
    of their slots, as ``(i, j, score)`` in the order of ``pairs``. A score is k / num_perm, so it
    is the same float however the pairs are cut into chunks or spread over machines."""
    near = []
    for lo in range(0, len(pairs), _VERIFY_CHUNK):
        chunk = pairs[lo:lo + _VERIFY_CHUNK]
        scores = (sigs[chunk[:, 0]] == sigs[chunk[:, 1]]).mean(axis=1)
        keep = scores >= cfg.threshold
        near.extend(zip(*chunk[keep].T.tolist(), scores[keep].tolist()))
    return near


def _exact_groups(store: SignatureStore, rows: np.ndarray) -> list[np.ndarray]:
    """Rows (of ``rows``) grouped by equal exact key, groups of two or more, each in row order.

    Sorting the 8-byte key prefixes puts equal keys side by side; the full 32-byte keys of the
    rows in a run of equal prefixes then split the run (a prefix collision is not a duplicate).
    """
    prefix = store._read("key-prefix.u64", np.uint64)[rows]
    order = np.argsort(prefix, kind="stable")
    ranked = prefix[order]
    same = np.flatnonzero(ranked[1:] == ranked[:-1])  # position p equals p + 1
    if not same.size:
        return []
    starts = same[np.diff(same, prepend=-2) != 1]  # first position of each run
    ends = np.append(same[:-1][np.diff(same) != 1], same[-1]) + 2  # one past the run's last position
    keys = np.memmap(store.folder / "keys.bin", dtype="V32", mode="r", shape=(store.rows,))
    groups = []
    for start, end in zip(starts.tolist(), ends.tolist()):
        run = sorted(rows[order[start:end]].tolist())
        groups.extend(equal_key_groups(run, [keys[row].tobytes() for row in run]))
    return sorted(groups, key=lambda g: g[0])


def equal_key_groups(rows: Sequence[int], keys: Sequence[bytes]) -> list[np.ndarray]:
    """``rows`` (ascending) grouped by equal ``keys``: the groups of two or more, each in row order."""
    by_key: dict[bytes, list[int]] = defaultdict(list)
    for row, key in zip(rows, keys):
        by_key[key].append(row)
    return [np.array(g, dtype=np.int64) for g in by_key.values() if len(g) > 1]


def find_links(items: Iterable[tuple[str, str, np.ndarray]], cfg: LinkConfig) -> list[Link]:
    """``(id, exact_key, signature)`` triples -> exact and near duplicate links, sorted.

    The in-memory form of :func:`duplicate_pairs` (through a temporary :class:`SignatureStore`).
    The output depends only on the set of triples, not on their order. Duplicate ids and
    signatures of the wrong shape or dtype raise ``ValueError``.
    """
    ids: list[str] = []
    with tempfile.TemporaryDirectory(prefix="akhbar-links-") as tmp:
        store = SignatureStore(Path(tmp), cfg)
        try:
            for doc_id, key, sig in items:
                sig = np.asarray(sig)
                if sig.shape != (cfg.num_perm,) or sig.dtype != np.uint32:
                    raise ValueError(f"signature of {doc_id!r} is {sig.dtype}{list(sig.shape)}, "
                                     f"expected uint32[{cfg.num_perm}]: was it made with the same LinkConfig?")
                ids.append(doc_id)
                store.add(key, sig)
        finally:
            store.close()
        if len(set(ids)) != len(ids):
            raise ValueError("find_links got the same document id twice; ids must be unique.")
        pairs = duplicate_pairs(store, cfg)
    return pairs.links({row: ids[row] for row in pairs.rows().tolist()}, cfg)


def _candidate_pairs(bucket_of_band, rows: np.ndarray, n: int, cfg: LinkConfig) -> np.ndarray:
    """Row pairs ``(i, j)``, ``i < j``, of ``rows`` that share a bucket in at least one band.

    ``bucket_of_band(band)`` gives the bucket hash of each of ``rows`` (in order); ``n`` bounds the
    row numbers. Sorting the hashes puts each bucket's rows side by side, and a bucket of k rows
    yields its k(k-1)/2 pairs.
    """
    codes = np.empty(0, dtype=np.int64)  # pair (i, j) as i * n + j, deduped band by band
    for band in range(cfg.bands):
        codes = unique_codes([codes, bucket_pair_codes(bucket_of_band(band), rows, n)])
    return pair_rows(codes, n)


def bucket_pair_codes(bucket: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """Every pair of ``rows`` with equal ``bucket`` hash, as codes ``i * n + j`` (``i < j``), unsorted.

    Sorting the hashes puts each bucket's rows side by side, and a bucket of k rows yields its
    k(k-1)/2 pairs."""
    order = np.argsort(bucket, kind="stable")
    ranked = bucket[order]
    # ``left``: positions p whose row shares its bucket with the row ``step`` places on. Buckets
    # are contiguous, so each step keeps a subset of the last: the work is the number of pairs.
    step, left, found = 1, np.flatnonzero(ranked[1:] == ranked[:-1]), [np.empty(0, dtype=np.int64)]
    while left.size:
        a, b = rows[order[left]], rows[order[left + step]]
        found.append(np.minimum(a, b) * n + np.maximum(a, b))
        step += 1
        left = left[left + step < len(ranked)]
        left = left[ranked[left + step] == ranked[left]]
    return np.concatenate(found)


def unique_codes(parts: list[np.ndarray]) -> np.ndarray:
    """The pair codes of ``parts``, sorted, each once."""
    codes = np.sort(np.concatenate(parts))
    return codes[np.diff(codes, prepend=-1) != 0]  # np.unique (codes >= 0), minus its slow hash path


def pair_rows(codes: np.ndarray, n: int) -> np.ndarray:
    """Pair codes ``i * n + j`` back to an ``(k, 2)`` array of rows."""
    return np.stack([codes // max(n, 1), codes % max(n, 1)], axis=1)


def dedup_clusters(ids: Iterable[str], links: Iterable[Link]) -> dict[str, str]:
    """``ids, links -> {id: cluster id}``, the smallest id joined to it by duplicate links.

    Exact and near links are followed transitively (union-find); ``same_event`` links are ignored.
    A document in no link is its own cluster. A link naming an id not in ``ids`` raises ``ValueError``.
    """
    parent = {doc_id: doc_id for doc_id in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    for link in links:
        if link.relation == SAME_EVENT:
            continue
        if link.source not in parent or link.target not in parent:
            raise ValueError(f"link {link.source!r} -> {link.target!r} names a document not in ids.")
        a, b = root(link.source), root(link.target)
        if a != b:
            parent[max(a, b)] = min(a, b)  # the smaller id stays the root, so it names the cluster
    return {doc_id: root(doc_id) for doc_id in parent}


def same_event_links(doc_event_keys: Iterable[tuple[str, Iterable[str]]]) -> list[Link]:
    """``(id, event keys)`` pairs -> ``same_event`` links between documents sharing a key.

    Documents are bucketed by key and each member of a bucket is linked to the bucket's smallest
    id (a star, k - 1 links for k reports, like exact duplicates): a meeting reported by thousands
    of pages must not cost millions of rows. The full group of a key is one ``group_by`` away in
    the ``events`` config. A pair sharing several keys is linked once. Callers pass only keys that
    identify a meeting (:func:`akhbar.events.identifies_meeting`).
    """
    by_key: dict[str, set[str]] = defaultdict(set)
    for doc_id, keys in doc_event_keys:
        for key in keys:
            by_key[key].add(doc_id)
    pairs: set[tuple[str, str]] = set()
    for members in by_key.values():
        hub, *others = sorted(members)
        pairs.update((hub, other) for other in others)
    return [Link(a, b, SAME_EVENT, 1.0, EVENT_METHOD) for a, b in sorted(pairs)]  # already in _link_order


# ---------------------------------------------------------------------------- evaluation

def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """True Jaccard of two sorted unique shingle arrays (0.0 when both are empty)."""
    union = len(np.union1d(a, b))
    return len(np.intersect1d(a, b, assume_unique=True)) / union if union else 0.0


def evaluation_articles() -> list[dict]:
    """The packaged evaluation articles (written for Akhbar), from ``data/links_evaluation_articles.json``."""
    text = resources.files("akhbar").joinpath("data", "links_evaluation_articles.json").read_text(encoding="utf-8")
    return json.loads(text)["evaluation_articles"]


_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def _typos(text: str, fraction: float, rng: random.Random) -> str:
    """Swap two neighbouring letters in ``fraction`` of the words (those of two letters or more)."""
    spans = [m.span() for m in _WORD.finditer(text) if m.end() - m.start() >= 2]
    chars = list(text)
    for start, end in rng.sample(spans, max(1, round(fraction * len(spans)))):
        k = rng.randrange(start, end - 1)
        chars[k], chars[k + 1] = chars[k + 1], chars[k]
    return "".join(chars)


def _variants(article: Mapping, rng: random.Random, repeats: int) -> list[tuple[str, str]]:
    """``(kind, text)`` variants of one article; the kinds are the rows of the evaluation table."""
    paras = list(article["paragraphs"])
    text = "\n\n".join(paras)
    sentences = _SENTENCE_END.split(" ".join(paras))
    out = [("cosmetic (tatweel, harakat, spaces)",
            text.replace("ال", "الـ", 3).replace("ة ", "ةٌ  ").replace("\n\n", "\n \n"))]
    for _ in range(repeats):
        for pct in (2, 5, 10):
            out.append((f"typos in {pct}% of words", _typos(text, pct / 100, rng)))
        moved = sentences[:]
        moved.insert(rng.randrange(len(moved)), moved.pop(rng.randrange(len(moved))))
        out.append(("one sentence moved", " ".join(moved)))
        shuffled = sentences[:]
        while shuffled == sentences:
            rng.shuffle(shuffled)
        out.append(("all sentences shuffled", " ".join(shuffled)))
    numbers = article["numbers"]
    out.append(("numbers as words", re.sub(r"\d+", lambda m: numbers.get(m.group(), m.group()), text)))
    at = rng.randrange(len(paras) + 1)
    out.append(("paragraph added", "\n\n".join(paras[:at] + [article["extra_paragraph"]] + paras[at:])))
    drop = rng.randrange(len(paras))
    out.append(("paragraph removed", "\n\n".join(paras[:drop] + paras[drop + 1:])))
    out.append(("other report, same event", "\n\n".join(article["other_report"])))
    return out


@dataclass(frozen=True)
class VariantRow:
    """One row of the evaluation table: a kind of variant compared with its base article."""

    kind: str
    pairs: int
    mean_jaccard: float
    above_threshold: float  # share of these pairs whose true Jaccard is >= the threshold
    detected: float         # share of these pairs linked as exact or near duplicates


@dataclass(frozen=True)
class NearDupEvaluation:
    """Precision and recall of duplicate links against true Jaccard >= threshold, over all pairs."""

    threshold: float
    documents: int
    pairs: int
    true_positives: int
    false_positives: int
    false_negatives: int
    rows: tuple[VariantRow, ...] = field(default=())

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    def to_markdown(self) -> str:
        """The table for the dataset card."""
        lines = [f"{self.documents} documents, {self.pairs} pairs, true word-shingle Jaccard >= "
                 f"{self.threshold}: precision {self.precision:.3f}, recall {self.recall:.3f} "
                 f"(TP {self.true_positives}, FP {self.false_positives}, FN {self.false_negatives}).",
                 "", "| variant of the base article | pairs | mean true Jaccard | true J >= threshold | linked |",
                 "| --- | ---: | ---: | ---: | ---: |"]
        lines += [f"| {r.kind} | {r.pairs} | {r.mean_jaccard:.3f} | {r.above_threshold:.0%} | {r.detected:.0%} |"
                  for r in self.rows]
        return "\n".join(lines)


def evaluate_near_duplicates(cfg: LinkConfig = LinkConfig(), articles: Sequence[Mapping] | None = None,
                             repeats: int = 3, seed: int = 0) -> NearDupEvaluation:
    """Synthetic variants of ``articles`` -> precision/recall of :func:`find_links` and a table.

    Each article (default: :func:`evaluation_articles`) yields its base text and the variants of
    :func:`_variants`. Every pair of all these documents (across articles too) is labelled by its
    true Jaccard over :func:`shingles`; a pair counts as predicted when it is linked, directly or
    through its exact-group representatives. Deterministic for a given ``seed``.
    """
    rng = random.Random(seed)
    docs: dict[str, str] = {}
    kind_of: dict[str, tuple[str, str]] = {}  # variant id -> (kind, base id)
    for article in articles if articles is not None else evaluation_articles():
        base = f"{article['id']}/00"
        docs[base] = "\n\n".join(article["paragraphs"])
        for n, (kind, text) in enumerate(_variants(article, rng, repeats), start=1):
            docs[f"{article['id']}/{n:02d}"] = text
            kind_of[f"{article['id']}/{n:02d}"] = (kind, base)

    ids = sorted(docs)
    keys = {i: exact_key(docs[i]) for i in ids}
    links = find_links(((i, keys[i], signature(docs[i], cfg)) for i in ids), cfg)
    rep = {}
    for i in ids:  # ids are sorted, so the first id seen with a key is its group's representative
        rep.setdefault(keys[i], i)
    near = {(link.source, link.target) for link in links if link.relation == NEAR_DUPLICATE}

    def linked(x: str, y: str) -> bool:
        rx, ry = sorted((rep[keys[x]], rep[keys[y]]))
        return rx == ry or (rx, ry) in near

    sh = {i: shingles(docs[i], cfg.shingle_size) for i in ids}
    tp = fp = fn = 0
    for n, x in enumerate(ids):
        for y in ids[n + 1:]:
            truth, predicted = jaccard(sh[x], sh[y]) >= cfg.threshold, linked(x, y)
            tp += truth and predicted
            fp += predicted and not truth
            fn += truth and not predicted

    by_kind: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for variant, (kind, base) in kind_of.items():
        by_kind[kind].append((jaccard(sh[variant], sh[base]), linked(variant, base)))
    rows = tuple(VariantRow(kind, len(v), sum(j for j, _ in v) / len(v),
                            sum(j >= cfg.threshold for j, _ in v) / len(v), sum(d for _, d in v) / len(v))
                 for kind, v in by_kind.items())
    return NearDupEvaluation(cfg.threshold, len(ids), len(ids) * (len(ids) - 1) // 2, tp, fp, fn, rows)
