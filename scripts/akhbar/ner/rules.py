"""The rule annotator: lexicons and rules (``auto:ner_lexicon@3``), now the tagger's helper.

:func:`akhbar.entities.annotate_entities` takes its closed classes (numbers, money, percentages,
quantities, dates, times, ordinals) as they are, and gives its open-class labels to the statistical
tagger as features (:mod:`akhbar.ner.features`).

:func:`annotate_rules` (body text [+ publication date] → entity dicts) follows
``docs/entity_guidelines.md``: a flat label set, outermost spans, titles apart from names, attached
proclitics and brackets outside the span. It is a pure function; its lexicons are the UTF-8 TSV files
under ``akhbar/data/gazetteer/``, loaded once per process.

The stages, numbered as in :func:`annotate_rules`:

1. **Lexical matches.** One Aho-Corasick automaton over :mod:`akhbar.normalize`'s view holds every
   gazetteer surface form (places, organisations, people, nationalities, events, relative dates,
   ordinals) and the pieces titles are built from. A match is kept on word boundaries only, with
   proclitics (و ف ب ك ل and their combinations) allowed before it and left outside the span; the
   contraction لل (ل + ال) keeps the second ل in the span (guideline rule 2); glued coordination
   (``العراقوسوريا``) yields both names (rule 3). The longest match wins.
2. **Composition.** A title head with its portfolio, nationality, country or organisation becomes
   one OCC (``وزير الخارجية الأمريكي``); an institution head with a nationality or portfolio one ORG
   (``الحكومة العراقية``، ``وزارة الخارجية الأميركية``); a building head with an ORG one FAC.
   Sport roles (``المدرب``، ``حارس``) are an OCC alone and stop where a named organisation begins.
   **2e. Patterns** (``patterns.tsv``): a head word with the name words after it — directions + a
   place (LOC ``شمال شرق سوريا``), administrative units (GPE ``بولاية تمنراست`` → ``تمنراست``), teams
   (ORG ``فريق الوحدة`` → ``الوحدة``, then the name alone elsewhere in the page), clubs, events
   (``كأس أمم إفريقيا``، ``المهرجان الوطني للمسرح``), facilities (``مطار الملك خالد الدولي``),
   institutions (``منظمة الصحة العالمية``، ``وزارة الزراعة واستصلاح الأراضي``) and natural features
   (``وادي رم``; ``نهر الليطاني`` → ``الليطاني``).
3. **Names.** A name-like token sequence after a title or an honorific is a PERS even when no list
   has it (``وزير الخارجية الإيطالي لويجي دي مايو``); so is one opened by a known given name. The
   surnames of the document's full names are then matched alone (``نولاند``).
4. **Numbers.** Digits and number words, with what follows them: a currency (MONEY), "في المائة"
   (PERCENT), a unit (QUANTITY), a time unit (a duration, DATE), nothing (CARDINAL); vague counts
   (``عشرات``، ``آلاف``) are CARDINAL. **4b.** Periods without numbers: ``منذ سنوات``، ``أسابيع قليلة``،
   ``الموسم الزراعي المقبل`` (DATE), ``الدقائق الأخيرة`` (TIME), month names find_dates leaves alone.
5. **Dates.** :func:`akhbar.dates.find_dates`, resolved against the publication date.
6. **Merge.** Longest span first, then the stage order above; ids in start order.
7. **Date joins.** ``نهاية`` / ``يوم`` … + DATE, DATE + ``متتالية``, DATE ``من`` DATE become one DATE;
   a part of the day right before a DATE is a TIME (``مساء`` ``أمس الجمعة``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

import ahocorasick

from akhbar.dates import find_dates, resolve
from akhbar.lexicon import rows
from akhbar.normalize import normalize, normalize_with_offsets, view_span_to_text

ANNOTATOR = "ner_lexicon"
VERSION = "3"
SOURCE = f"auto:{ANNOTATOR}@{VERSION}"

#: Gazetteer files that go into the automaton, each row ``surface, canonical, label[, flags]``.
GAZETTEERS = ("gpe.tsv", "admin.tsv", "loc.tsv", "norp.tsv", "coalition.tsv", "org.tsv", "pers.tsv",
              "fac_event.tsv", "periods.tsv", "ordinals.tsv", "roles.tsv")

#: When one surface has several labels, the first in this order is the label it gets alone.
_LABEL_ORDER = {label: i for i, label in enumerate(
    ("PERS", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP", "DATE", "ORDINAL"))}

# Attached proclitics written before a name: one of و ف, then optionally one of ب ك ل.
_PROCLITIC_CHAINS = frozenset({"و", "ف", "ب", "ك", "ل", "وب", "ول", "وك", "فب", "فل", "فك"})
_NAME_PARTICLES = frozenset(normalize(w) for w in (
    "دي", "دو", "دا", "فان", "فون", "دير", "بن", "ابن", "بنت", "ولد", "أبو", "أبي", "آل", "عبد",
    "لو", "لا", "ديل", "دل", "سان", "بو"))
_GLUE_LABELS = frozenset({"GPE", "LOC", "ORG", "PERS", "NORP"})
_MAX_NAME_TOKENS = 4
#: Zipf frequency from which a word ends a guessed name (برايس 3.8 may be a surname, إدارة 5.4 not).
_VERY_COMMON = 4.0


@dataclass(frozen=True)
class Entry:
    """One gazetteer row: the label (or an internal role such as ``_HEAD``), canonical and flags."""

    label: str
    canonical: str
    flags: frozenset[str] = frozenset()


@dataclass
class Match:
    """A candidate span of the normalised view (end-exclusive), proclitics excluded.

    ``prefix`` is the attached proclitic written just before ``start`` (``""`` when none);
    ``contracted`` is True when the match went through the لل contraction (the canonical restores
    the article); ``label``/``canonical`` are set once the match is final.
    """

    start: int
    end: int
    entries: tuple[Entry, ...] = ()
    prefix: str = ""
    contracted: bool = False
    label: str | None = None
    canonical: str | None = None
    stage: int = 1

    def roles(self) -> set[str]:
        return {e.label for e in self.entries}

    def has(self, role: str) -> bool:
        return any(e.label == role for e in self.entries)

    def flagged(self, role: str, flag: str) -> bool:
        return any(e.label == role and flag in e.flags for e in self.entries)

    def entity(self) -> Entry | None:
        """The entry this match stands for alone (an entity label), or None."""
        found = [e for e in self.entries if e.label in _LABEL_ORDER]
        return min(found, key=lambda e: _LABEL_ORDER[e.label]) if found else None


@dataclass(frozen=True)
class Lexicon:
    """Everything the annotator reads from ``akhbar/data/gazetteer/``, built once per process."""

    automaton: object
    first_names: dict[str, str]
    common: frozenset[str]  # ordinary words: a guessed name does not start with one
    very_common: frozenset[str]  # ... nor goes on through one of these
    name_parts: frozenset[str]
    cues: frozenset[str]
    numbers: dict[str, tuple[int, str]]
    currencies: dict[str, tuple[str, Decimal]]
    units: dict[str, tuple[str, str]]
    standard: dict[str, str] = field(default_factory=dict)  # normalised variant token -> standard
    date_starts: frozenset[str] = frozenset()
    frequent: frozenset[str] = frozenset()  # every word of common_words.tsv, names included
    #: person-name key -> positions where one of its spellings writes a hamza on the alif
    hamza_at: dict[str, frozenset[int]] = field(default_factory=dict)
    plural_heads: frozenset[str] = frozenset()  # first words of plural titles (وزراء): no name follows


def _gazetteer(name: str) -> tuple[tuple[str, ...], ...]:
    return rows(f"gazetteer/{name}")


def _variant_keys(key: str, variants: dict[str, set[str]]) -> list[str]:
    """``key`` and its spellings with each token swapped for its listed variants (at most 16)."""
    options = [sorted({tok} | variants.get(tok, set())) for tok in key.split(" ")]
    return [" ".join(combo) for combo in itertools.islice(itertools.product(*options), 16)]


def _quoted_variants(surface_key: str, alone: set[str]) -> list[str]:
    """Keys with the last word in brackets or quotes, when that word is a name by itself.

    Scraped text writes ``التحالف العالمي لمحاربة (داعش)`` and ``ضد تنظيم "داعش"``.
    """
    head, _, last = surface_key.rpartition(" ")
    if not head or last not in alone:
        return []
    return [f"{head} {o}{last}{c}" for o, c in (("(", ")"), ('"', '"'), ("“", "”"), ("”", "“"),
                                                 ("«", "»"), ("'", "'"))]


@cache
def lexicon() -> Lexicon:
    """Load every gazetteer file and build the automaton (cached: once per process)."""
    variants: dict[str, set[str]] = {}
    standard: dict[str, str] = {}
    for std, var in _gazetteer("spelling_variants.tsv"):
        a, b = normalize(std), normalize(var)
        variants.setdefault(a, set()).add(b)
        variants.setdefault(b, set()).add(a)
        standard[b] = std
        standard.setdefault(a, std)

    table: dict[str, dict[tuple[Entry, bool], None]] = {}
    org_alone: set[str] = set()
    all_rows = []
    first_names = {normalize(r[0]): r[1] for r in _gazetteer("first_names.tsv")}
    frequent = frozenset(normalize(r[0]) for r in _gazetteer("common_words.tsv"))
    hamza_at: dict[str, set[int]] = {}
    for name in GAZETTEERS:
        for row in _gazetteer(name):
            surface, canonical, label = row[0], row[1], row[2]
            if _misleading_variant(surface, canonical, label, first_names, frequent):
                continue
            flags = frozenset(f for f in (row[3].split(",") if len(row) > 3 else []) if f)
            all_rows.append((surface, Entry(label, canonical, flags)))
            if label == "PERS":
                key, where = normalize_with_offsets(re.sub(r"\s+", " ", surface.strip()))
                hamza_at.setdefault(key, set()).update(
                    i for i, o in enumerate(where[:-1]) if surface.strip()[o] in _HAMZA_ALIF)
            if label == "ORG" and " " not in surface.strip():
                org_alone.add(normalize(surface))
    for surface, entry in all_rows:
        if entry.label == "_CUE":
            continue  # cues are looked up by token, not matched
        base = normalize(re.sub(r"\s+", " ", surface.strip()))
        keys = _variant_keys(base, variants)
        if entry.label == "ORG":
            keys += [q for k in keys for q in _quoted_variants(k, org_alone)]
        for key in keys:
            table.setdefault(key, {})[(entry, False)] = None
            if key.startswith("ال") and len(key) > 3:
                # للتحالف = ل + لتحالف: the article's alif is dropped after the preposition ل.
                table.setdefault(key[1:], {})[(entry, True)] = None
    automaton = ahocorasick.Automaton()
    for key, entries in table.items():
        automaton.add_word(key, (len(key), tuple(entries)))
    automaton.make_automaton()

    name_parts = set(first_names) | _NAME_PARTICLES
    for surface, entry in all_rows:
        if entry.label == "PERS":
            name_parts.update(normalize(t) for t in surface.split())
    zipf: dict[str, float] = {}
    for word, freq in _gazetteer("common_words.tsv"):
        key = normalize(word)
        if key not in name_parts:
            zipf[key] = max(zipf.get(key, 0.0), float(freq))
    common = frozenset(zipf)
    very_common = frozenset(k for k, f in zipf.items() if f >= _VERY_COMMON)
    cues = frozenset(normalize(s) for s, e in all_rows if e.label == "_CUE")
    numbers = {normalize(w): (int(v), kind) for w, v, kind in _gazetteer("numbers.tsv")}
    currencies = {normalize(r[0]): (r[1], Decimal(r[2]) if len(r) > 2 and r[2] else Decimal(1))
                  for r in _gazetteer("currencies.tsv")}
    units = {normalize(r[0]): (r[1], r[2]) for r in _gazetteer("units.tsv")}
    date_starts = {normalize(r[0]) for name in ("months.tsv", "weekdays.tsv") for r in rows(name)}
    date_starts |= {normalize(r[0].split()[0]) for r in rows("day_ordinals.tsv")}
    date_starts |= {normalize(w) for w in ("عام", "سنة", "العام", "أمس", "اليوم", "غدا", "يوم", "شهر",
                                            "أول", "البارحة", "بعد")}
    return Lexicon(automaton, first_names, common, very_common, frozenset(name_parts), cues, numbers,
                   currencies, units, standard, frozenset(date_starts), frequent,
                   {k: frozenset(v) for k, v in hamza_at.items()},
                   frozenset(normalize(s.split()[0]) for s, e in all_rows if e.label == "_HEAD" and "plural" in e.flags))


_HAMZA_ALIF = frozenset("أإآ")


def _misleading_variant(surface: str, canonical: str, label: str, first_names, frequent) -> bool:
    """True for a generated one-word spelling that reads first as something else.

    GeoNames lists رىم (→ ريم, a given name) for Rome, and the nisba plural مجريات ("the course of
    events") is an ordinary word before it is "Hungarian women". Such a spelling would tag every
    Reem and every مجريات; the place or nationality keeps its other spellings.
    """
    key = normalize(surface.strip())
    if " " in key or key == normalize(canonical):
        return False
    if label in ("GPE", "LOC"):
        return key in first_names
    return label == "NORP" and key.endswith("ات") and key in frequent


# ---------------------------------------------------------------------------------------------
# Small helpers over the view


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _matching_view(text: str) -> tuple[str, list[int]]:
    """:func:`normalize_with_offsets`'s view with every run of white space made one space.

    Scraped text doubles spaces (``سورية  الديمقراطية``); keys are written with one. A run that holds
    a line break becomes one line break, which no match, title or name crosses. The returned origin
    list maps the squeezed view straight to ``text`` (use it with ``view_span_to_text``).
    """
    view, origin = normalize_with_offsets(text)
    pieces: list[str] = []
    squeezed: list[int] = []
    pos = 0
    for run in _SPACE_RUN.finditer(view):
        if run.group() == " ":
            continue
        pieces.append(view[pos:run.start()])
        squeezed.extend(origin[pos:run.start()])
        # the run becomes one character at its first one's offset; with a line break, a line break
        pieces.append("\n" if _LINE_BREAK.search(run.group()) else " ")
        squeezed.append(origin[run.start()])
        pos = run.end()
    pieces.append(view[pos:])
    squeezed.extend(origin[pos:])
    return "".join(pieces), squeezed


_SPACE_RUN = re.compile(r"\s+")
_LINE_BREAK = re.compile("[\n\r\u2028\u2029]")


_TOKEN = re.compile(r"\d+(?:[.,٫]\d+)*|[^\W\d_]+|[%٪]")


@lru_cache(maxsize=4)  # numbers, periods and patterns read the same view's words
def _tokens(view: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(view)]


def _left_context(view: str, start: int, contracted: bool) -> tuple[bool, str, bool]:
    """``(ok, prefix, glued)`` for a match starting at ``start``.

    ``ok``: a word boundary, possibly after an attached proclitic chain (returned as ``prefix``);
    ``glued``: the match follows a word and a و with no space (``العراقوسوريا``), to be confirmed.
    """
    if contracted:
        # لتحالف must follow the preposition ل, itself at a boundary or after و/ف.
        if start < 1 or view[start - 1] != "ل":
            return False, "", False
        for chain in ("", "و", "ف"):
            i = start - 1 - len(chain)
            if i >= 0 and view[i:start - 1] == chain and (i == 0 or not _is_word(view[i - 1])):
                return True, chain + "ل", False
        return False, "", False
    for k in range(0, 3):
        i = start - k
        if i < 0:
            break
        chain = view[i:start]
        if k and chain not in _PROCLITIC_CHAINS:
            break
        if i == 0 or not _is_word(view[i - 1]):
            return True, chain, False
    glued = start >= 2 and view[start - 1] == "و" and _is_word(view[start - 2])
    return False, "", glued


def _right_context(view: str, end: int) -> tuple[bool, bool]:
    """``(ok, glued)`` for a match ending at ``end``: a word boundary, or a glued و + word."""
    if end >= len(view) or not _is_word(view[end]):
        return True, False
    return False, view[end] == "و" and end + 1 < len(view) and _is_word(view[end + 1])


def _prev_token(view: str, pos: int) -> str:
    """The word just before ``pos``, skipping spaces and punctuation (at most 20 characters back)."""
    i = pos
    while i > 0 and pos - i < 20 and not _is_word(view[i - 1]):
        i -= 1
    end = i
    while i > 0 and view[i - 1].isalpha():
        i -= 1
    return view[i:end]


_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")
_YEAR_AFTER = re.compile(r" (\d{4})(?!\w)")
_SPACE_WORD = re.compile(r" ([^\W\d_]+)")
_NON_SPACE = re.compile(r"\S+")
_NAME_OPENING = re.compile(r"\s*(?:[،,]\s*)?[\"“«(]?\s*")


def _next_token(view: str, pos: int) -> str:
    m = _NEXT_WORD.match(view, pos)
    return m.group(1) if m else ""


def _strip_wa(token: str) -> str:
    return token[1:] if len(token) > 2 and token[0] in "وف" else token


# ---------------------------------------------------------------------------------------------
# 1. Lexical matches


def _lexical_matches(view: str, lex: Lexicon, text: str, origin: list[int]) -> list[Match]:
    """Every gazetteer match on word boundaries, ambiguous ones confirmed, overlaps resolved."""
    raw: list[tuple[Match, bool, bool]] = []
    for end_index, (length, entries) in lex.automaton.iter(view):
        start, end = end_index - length + 1, end_index + 1
        right_ok, right_glued = _right_context(view, end)
        if not (right_ok or right_glued):
            continue
        by_contraction: dict[bool, list[Entry]] = {}
        for entry, contracted in entries:
            by_contraction.setdefault(contracted, []).append(entry)
        for contracted, group in by_contraction.items():
            left_ok, prefix, left_glued = _left_context(view, start, contracted)
            if not (left_ok or left_glued):
                continue
            match = Match(start, end, tuple(group), prefix, contracted)
            raw.append((match, left_glued and not left_ok, right_glued and not right_ok))

    # Glued coordination: both halves must be names, one ending where the other starts after و.
    glue_ends = {m.end for m, _lg, rg in raw if rg and m.roles() & _GLUE_LABELS}
    glue_starts = {m.start for m, lg, _rg in raw if lg and m.roles() & _GLUE_LABELS}
    kept: list[Match] = []
    for m, lg, rg in raw:
        if lg and not (m.start - 1 in glue_ends and m.roles() & _GLUE_LABELS):
            continue
        if rg and not (m.end + 1 in glue_starts and m.roles() & _GLUE_LABELS):
            continue
        m = _confirm(view, m, lex, text, origin)
        if m is not None:
            kept.append(m)
    return _longest_first(kept)


def _confirm(view: str, m: Match, lex: Lexicon, text: str, origin: list[int]) -> Match | None:
    """Drop the entries of ``m`` whose flags need a context the text does not give, and the
    matches that are the tail of an ordinary word (``بنوك`` is not ب + the town نوك)."""
    key = view[m.start:m.end]
    if m.prefix and " " not in key and m.prefix + key in lex.frequent and key not in lex.frequent:
        return None
    prev = _prev_token(view, m.start - len(m.prefix))
    entries = []
    for e in m.entries:
        if e.label == "PERS" and not _hamza_agrees(key, m.start, lex, text, origin):
            continue  # ترأس (he chaired) is not تراس (Truss): a name spelt without the hamza
        if "ambig" in e.flags and not m.prefix and _strip_wa(prev) not in lex.cues and prev not in lex.cues:
            continue
        if "noadj" in e.flags and _strip_wa(prev) not in {"تنظيم", "تنظيمي"}:
            nxt = _next_token(view, m.end)
            if nxt.startswith("ال") and nxt.endswith(("ي", "يه")):
                continue
        entries.append(e)
    if not entries:
        return None
    m.entries = tuple(entries)
    return m


def _hamza_agrees(key: str, start: int, lex: Lexicon, text: str, origin: list[int]) -> bool:
    """False when the text writes a hamza inside a word where no spelling of the name has one."""
    allowed = lex.hamza_at.get(key, frozenset())
    for i in range(len(key)):
        if i and _is_word(key[i - 1]) and text[origin[start + i]] in _HAMZA_ALIF and i not in allowed:
            return False
    return True


def _longest_first(matches: list[Match]) -> list[Match]:
    """Non-overlapping subset: longest first, then earliest; returned in start order."""
    taken: list[Match] = []
    occupied: set[int] = set()
    for m in sorted(matches, key=lambda m: (-(m.end - m.start), m.start)):
        span = range(m.start, m.end)
        if any(i in occupied for i in span):
            continue
        occupied.update(span)
        taken.append(m)
    return sorted(taken, key=lambda m: m.start)


# ---------------------------------------------------------------------------------------------
# 2. Composition


def _adjacent(view: str, a: Match, b: Match) -> bool:
    """True when only white space (and ``b``'s own proclitic) separates ``a`` and ``b``."""
    gap = view[a.end:b.start - len(b.prefix)]
    return bool(gap) and not gap.strip() and "\n" not in gap


def _canonical_text(text: str, origin: list[int], start: int, end: int, lex: Lexicon,
                    contracted: bool) -> str:
    """The original text of a composed span, spaced and spelled in the standard way."""
    s, e = view_span_to_text(origin, start, end)
    words = []
    for word in text[s:e].split():
        words.append(lex.standard.get(normalize(word), word))
    out = " ".join(words)
    return "ا" + out if contracted else out


def _compose(view: str, items: list[Match], text: str, origin: list[int], lex: Lexicon) -> list[Match]:
    """Stage 2: institution heads → ORG, ORG + nationality → ORG, titles → OCC, buildings → FAC."""

    def merged(parts: list[Match], label: str) -> Match:
        first, last = parts[0], parts[-1]
        m = Match(first.start, last.end, (), first.prefix, first.contracted, label)
        m.canonical = _canonical_text(text, origin, m.start, m.end, lex, first.contracted)
        return m

    def is_entity(m: Match, label: str) -> bool:
        return m.label == label or (m.label is None and any(e.label == label for e in m.entries))

    # 2a. Institution heads: الحكومة العراقية، وزارة الخارجية الأميركية، حكومة المغرب.
    out: list[Match] = []
    i = 0
    while i < len(items):
        m = items[i]
        if m.has("_INST"):
            j = i + 1
            while (j < len(items) and _adjacent(view, items[j - 1], items[j])
                   and (items[j].prefix == "" and (items[j].has("_COMPL") or is_entity(items[j], "NORP")
                                                    or (is_entity(items[j], "GPE") and j == i + 1))
                        or items[j].prefix == "و" and items[j].has("_COMPL") and items[j - 1].has("_COMPL"))):
                j += 1
                if is_entity(items[j - 1], "NORP") or is_entity(items[j - 1], "GPE"):
                    break
            if j > i + 1:
                out.append(merged(items[i:j], "ORG"))
                i = j
                continue
        # Metonymy: الخارجية الأمريكية (not after a title or an institution head).
        if (m.flagged("_COMPL", "ministry") and i + 1 < len(items) and is_entity(items[i + 1], "NORP")
                and items[i + 1].prefix == "" and _adjacent(view, m, items[i + 1])
                and not (out and (out[-1].has("_HEAD") or out[-1].has("_INST"))
                         and _adjacent(view, out[-1], m))):
            out.append(merged(items[i:i + 2], "ORG"))
            i += 2
            continue
        out.append(m)
        i += 1
    items = out

    # 2b. ORG + nationality adjective: مجلس الشيوخ الأميركي، الكونغرس الأمريكي.
    out = []
    for m in items:
        if (out and is_entity(m, "NORP") and m.prefix == "" and is_entity(out[-1], "ORG")
                and _adjacent(view, out[-1], m) and not out[-1].has("_HEAD")):
            prev = out.pop()
            flags = prev.entries[0].flags if prev.entries else frozenset()
            new = merged([prev, m], "ORG")
            new.entries = (Entry("ORG", new.canonical, flags),)
            out.append(new)
            continue
        out.append(m)
    items = out

    # 2c. Titles: head [head|complement|nationality|GPE|ORG|modifier]...
    taken: set[int] | None = None  # the items' characters for _name_follows: made once, when first needed
    out = []
    i = 0
    while i < len(items):
        m = items[i]
        if not m.has("_HEAD"):
            out.append(m)
            i += 1
            continue
        plural = m.flagged("_HEAD", "plural")
        solo = m.flagged("_HEAD", "solo")
        j, qualified = i + 1, m.flagged("_HEAD", "full")
        while j < len(items):
            n, prev = items[j], items[j - 1]
            adjacent = _adjacent(view, prev, n)
            bridge = (not adjacent and view[prev.end:n.start].strip() == "في" and n.prefix == ""
                      and is_entity(n, "ORG") and any("house" in e.flags for e in n.entries)
                      and qualified)
            if not (adjacent or bridge):
                break
            if bridge:
                qualified = True
            elif n.has("_HEAD") and n.prefix == "" and (not qualified or m.flagged("_HEAD", "full") and j == i + 1
                                                        and not m.flagged("_HEAD", "solo")):
                plural, solo = n.flagged("_HEAD", "plural"), solo or n.flagged("_HEAD", "solo")
                qualified = qualified or n.flagged("_HEAD", "full")
            elif n.has("_COMPL") and (n.prefix == "" or n.prefix == "و" and prev.has("_COMPL")
                                      or n.contracted and qualified):
                qualified = True  # ... للشؤون السياسية: a second portfolio after لل
            elif n.prefix == "" and (is_entity(n, "NORP") or is_entity(n, "GPE") and not m.flagged("_HEAD", "noorg")):
                qualified = True  # a sports role is not qualified by a place: المهاجم | بغداد بونجاح
            elif (is_entity(n, "ORG") and not plural and not m.flagged("_HEAD", "noorg")
                  and (n.prefix == "" or n.prefix == "ل")):
                qualified = True
            elif n.has("_MOD") and n.prefix == "" and (qualified or solo):
                pass
            else:
                break
            j += 1
        # Trailing modifiers after a bare solo head only count when a name follows.
        alone = m.flagged("_HEAD", "alone") and not _counted(view, m, out, lex)
        if solo and not qualified and taken is None:
            taken = {k for n in items for k in range(n.start, n.end)}
        if qualified or (solo and _name_follows(view, items, j, lex, taken)) or alone:
            occ = merged(items[i:j], "OCC")
            out.append(occ)
            i = j
            continue
        out.append(m)
        i += 1
    items = out

    # 2d. Buildings: مبنى الخارجية الأميركية، مقر الأمم المتحدة. Events keep their year: مونديال 2030.
    out = []
    for m in items:
        if is_entity(m, "EVENT"):
            year = _YEAR_AFTER.match(view, m.end)
            if year:
                entry = m.entity()
                m = Match(m.start, year.end(), m.entries, m.prefix, m.contracted, "EVENT",
                          f"{entry.canonical} {year.group(1)}" if entry else None)
        if (out and out[-1].has("_FACHEAD") and is_entity(m, "ORG") and m.prefix == ""
                and _adjacent(view, out[-1], m)):
            out.append(merged([out.pop(), m], "FAC"))
            continue
        out.append(m)
    return out


def _offices(view: str, items: list[Match], text: str, origin: list[int], lex: Lexicon) -> list[Match]:
    """Stage 2f: a bare title head right before an institution the patterns built is one OCC
    (``محافظ`` + ``البنك المركزي المصري``, guideline rule 9), unless the head is plural or a
    sports role (rule 8: ``وزراء خارجية`` | ``التحالف الدولي``، ``مدرب`` | ``الوحدة``)."""
    out: list[Match] = []
    for m in items:
        prev = out[-1] if out else None
        if (prev is not None and prev.label is None and prev.has("_HEAD") and m.label == "ORG"
                and m.stage == 2 and m.prefix == "" and _adjacent(view, prev, m)
                and not prev.flagged("_HEAD", "plural") and not prev.flagged("_HEAD", "noorg")):
            occ = Match(prev.start, m.end, (), prev.prefix, prev.contracted, "OCC")
            occ.canonical = _canonical_text(text, origin, occ.start, occ.end, lex, prev.contracted)
            out[-1] = occ
            continue
        out.append(m)
    return out


_STATE_HEAD = re.compile(r"(?:^|(?<=\s))((?:و|ف|ب|ل|وب|ول)?)جمهوريه $")
_TEAM_HEAD = re.compile(r"(?:^|(?<=\s))((?:و|ف|ب|ل|وب|ول)?)(?:ال)?منتخب(?: الوطني| الاولمبي| الاول)? $")
#: لـ"صدى الأطلس" أن …: a name in quotes that something was said to (guideline rule 12).
_CITED = re.compile(r"(?:^|(?<=\s))(?:[وف]?ل) ?[\"“«]((?:[^\W\d_]+ ?){1,3})[\"”»](?= (?:ان|بان)\b|[،,.:])")


def _headed_names(view: str, items: list[Match]) -> list[Match]:
    """Stage 2g: ``جمهورية توغو`` (GPE) and ``المنتخب الوطني الجزائري``، ``منتخب المغرب`` (ORG),
    guideline rule 11: the head belongs to the name; ``القاهرة الجديدة`` is a city of its own."""
    found = []
    for m in items:
        entity = m.entity() if m.label is None else Entry(m.label, m.canonical or "")
        if entity is None or m.prefix:
            continue
        before = view[max(0, m.start - 30):m.start]
        state = _STATE_HEAD.search(before) if entity.label == "GPE" else None
        team = _TEAM_HEAD.search(before) if entity.label in ("NORP", "GPE") else None
        head = state or team
        if (entity.label == "GPE" and before.endswith("العاصمه ") and view[m.start:m.end].endswith("يه")
                and _SPACE_WORD.match(view, m.end)):
            # العاصمة السعودية الرياض: the adjective of the capital, not the country (rule 11)
            found.append(Match(m.start, m.end, (), "", False, "NORP", None, stage=2))
            continue
        if entity.label == "GPE" and view.startswith(" الجديده", m.end) and not _is_word(view[m.end + 8:m.end + 9] or " "):
            # العلمين الجديدة، القاهرة الجديدة: a new city is a city of its own
            found.append(Match(m.start, m.end + 8, (), "", False, "GPE", None, stage=2))
        if head:
            start = m.start - len(before) + head.start() + len(head.group(1))
            found.append(Match(start, m.end, (), head.group(1), False, "GPE" if state else "ORG",
                               entity.canonical if state else None, stage=2))
    return found


def _cited_media(view: str, publisher: str | None) -> list[Match]:
    """Stage 2g: a news outlet cited in quotes after لـ (قال لـ"دجلة" إن …), and the page's own
    outlet wherever it is named, are ORG (guideline rule 12)."""
    found = []
    for hit in _CITED.finditer(view):
        found.append(Match(hit.start(1), hit.end(1), (), "", False, "ORG", None, stage=2))
    name = " ".join(normalize(publisher).split()) if publisher else ""
    if 3 <= len(name) and name.count(" ") < 4:
        for hit in re.finditer(re.escape(name), view):
            left_ok, prefix, _ = _left_context(view, hit.start(), False)
            if left_ok and _right_context(view, hit.end())[0]:
                found.append(Match(hit.start(), hit.end(), (), prefix, False, "ORG", publisher, stage=2))
    return found


def _counted(view: str, m: Match, before: list[Match], lex: Lexicon, n: int | None = None) -> bool:
    """True for a head counted by a number (900 عداء), or joined by و to one (900 عداء وعداءة).
    ``n``: how many of ``before`` come before ``m`` (all of them when None)."""
    n = len(before) if n is None else n
    pos = m.start - len(m.prefix)
    prev = _prev_token(view, pos)
    if prev in lex.numbers or _digit_before(view, pos):
        return True
    # an index into ``before``, not a copy of its head: copying per head cost O(page) each time
    return (m.prefix == "و" and n > 0 and before[n - 1].label is None and before[n - 1].has("_HEAD")
            and _counted(view, before[n - 1], before, lex, n - 1))


def _digit_before(view: str, pos: int) -> bool:
    """Whether ``view[:pos]`` ends with a digit and white space only after it (the regex
    ``\\d\\s*$`` on that slice, read backwards from ``pos``: the slice and the regex cost O(pos) per
    head). ``str.isspace``/``isdecimal`` are what ``\\s``/``\\d`` match in a str pattern."""
    i = pos
    while i > 0 and view[i - 1].isspace():
        i -= 1
    return i > 0 and view[i - 1].isdecimal()


def _name_follows(view: str, items: list[Match], j: int, lex: Lexicon, taken: set[int]) -> bool:
    """True when a known or guessable person name follows ``items[j - 1]``; ``taken``: the
    characters of ``items`` (made once by the caller: building it here cost O(page) per head)."""
    prev = items[j - 1]
    if j < len(items) and items[j].entity() is not None and items[j].entity().label == "PERS":
        gap = view[prev.end:items[j].start]
        if not gap.strip(" ،,"):
            return True
    return _guess_name(view, prev.end, lex, taken, after_title=True) is not None


# ---------------------------------------------------------------------------------------------
# 2e. Patterns: heads with the name words after them (patterns.tsv)

#: Words that never go into a pattern-built name (prepositions, conjunctions, particles).
_FUNCTION_WORDS = frozenset(normalize(w) for w in (
    "في", "من", "إلى", "الى", "على", "عن", "مع", "أن", "إن", "أو", "ثم", "بين", "حتى", "لدى", "عند",
    "منذ", "خلال", "بعد", "قبل", "ضد", "حول", "نحو", "عبر", "التي", "الذي", "الذين", "ما", "لا", "لم",
    "لن", "قد", "كل", "هو", "هي", "هم", "وهو", "وهي", "كما", "غير", "أي", "أمام", "وسط", "إثر", "لكن",
    "بل", "له", "لها", "لهم", "به", "بها", "فيه", "فيها", "منه", "منها", "عليه", "عليها"))


#: A demonstrative makes a definite head a nominal mention (هذه المنظمة الإرهابية, guideline rule 7).
_DEMONSTRATIVES = frozenset(normalize(w) for w in ("هذا", "هذه", "ذلك", "تلك", "هذين", "هاتين", "هؤلاء"))


@cache
def _pattern_words() -> dict[str, frozenset[str]]:
    """patterns.tsv as role -> normalised words."""
    table: dict[str, set[str]] = {}
    for word, role in _gazetteer("patterns.tsv"):
        table.setdefault(role, set()).add(normalize(word))
    return {role: frozenset(words) for role, words in table.items()}


@dataclass
class _Tok:
    """One word of the view (end-exclusive offsets)."""

    text: str
    start: int
    end: int


class _Scanner:
    """The view's words with the items that start or cover them, for the pattern rules."""

    def __init__(self, view: str, items: list[Match], lex: Lexicon):
        self.view, self.lex, self.words = view, lex, _pattern_words()
        self.tok_tuples = _tokens(view)
        self.toks = [_Tok(t, s, e) for t, s, e in self.tok_tuples]
        self.roles = [_token_roles(t.text) for t in self.toks]
        self.ends = [t.end for t in self.toks]
        self.starting = {m.start: m for m in items}
        self.covered: dict[int, Match] = {}
        for m in items:
            for k in range(m.start - len(m.prefix), m.end):
                self.covered[k] = m
        self.sport = any(t.text in self.words.get("SPORT_CUE", ()) for t in self.toks)

    def role(self, i: int, role: str) -> int | None:
        """The proclitic length with which token ``i`` is a word of ``role``, or None."""
        return self.roles[i].get(role) if i < len(self.roles) else None

    def joined(self, i: int) -> bool:
        """True when token ``i`` follows token ``i - 1`` after a single space."""
        return 0 < i < len(self.toks) and self.view[self.toks[i - 1].end:self.toks[i].start] == " "

    def item(self, i: int, labels: tuple[str, ...]) -> Match | None:
        """The entity item of one of ``labels`` starting on token ``i`` (after its proclitic)."""
        if i >= len(self.toks):
            return None
        tok = self.toks[i]
        m = self.covered.get(tok.start)
        if m is None or m.start - len(m.prefix) != tok.start:
            return None
        label = m.label or (m.entity().label if m.entity() else None)
        return m if label in labels else None

    def free(self, i: int) -> bool:
        """True when no entity item covers token ``i`` (title pieces and modifiers do not count)."""
        t = self.toks[i]
        return not any(k in self.covered and (self.covered[k].label or self.covered[k].entity())
                       for k in range(t.start, t.end))

    def plain(self, i: int) -> bool:
        """A free alphabetic word that may be part of a name (not a function or stop word)."""
        if i >= len(self.toks) or not self.free(i):
            return False
        tok = self.toks[i].text
        return (tok[0].isalpha() and len(tok) >= 2 and tok not in _FUNCTION_WORDS
                and tok not in self.words.get("STOP", ()) and tok not in self.lex.date_starts)

    def rare(self, i: int) -> bool:
        return self.plain(i) and len(self.toks[i].text) >= 3 and not _is_common(self.toks[i].text, self.lex)

    def token_index(self, pos: int) -> int | None:
        """The first token ending after ``pos``."""
        k = bisect.bisect_right(self.ends, pos)
        return k if k < len(self.toks) else None


@lru_cache(maxsize=65536)
def _token_roles(tok: str) -> dict[str, int]:
    """Every patterns.tsv role of a word, with the proclitic length it takes (cached per word:
    the pattern rules ask each token for a dozen roles)."""
    roles: dict[str, int] = {}
    candidates = [(tok, 0)] + [(tok[k:], k) for k in (1, 2) if tok[:k] in _PROCLITIC_CHAINS]
    if tok.startswith("لل"):
        candidates.append(("ا" + tok[2:], 1))  # للموسم: the span keeps the second ل (guideline rule 2)
    for word, k in candidates:
        for role in _roles_of_word().get(word, ()):
            roles.setdefault(role, k)
    return roles


@cache
def _roles_of_word() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for role, words in _pattern_words().items():
        for word in words:
            table.setdefault(word, []).append(role)
    return {word: tuple(roles) for word, roles in table.items()}


def _run_after(sc: _Scanner, j: int, labels: tuple[str, ...], accept, limit: int) -> tuple[int, int]:
    """Extend over tokens ``j``...: an item of ``labels`` or a token ``accept(k)`` allows.

    Returns ``(next token index, view end)`` (end 0 when nothing was taken).
    """
    end, taken = 0, 0
    while j < len(sc.toks) and taken < limit and sc.joined(j):
        m = sc.item(j, labels)
        if m is not None and not m.prefix:
            end = m.end
            j = sc.token_index(m.end - 1) + 1
        elif accept(j):
            end = sc.toks[j].end
            j += 1
        else:
            break
        taken += 1
    return j, end


def _nisba(token: str) -> bool:
    """An adjective of relation (الوطني، الإفريقية) — in the view ة is written ه."""
    return token.startswith("ال") and token.endswith(("ي", "يه")) and len(token) >= 5


def _patterns(view: str, items: list[Match], lex: Lexicon) -> list[Match]:
    """Stage 2e: spans built from a head word and the name words after it (``patterns.tsv``).

    Directions + a place (LOC), administrative units (the name is a GPE), teams and clubs (ORG,
    then the team's name alone everywhere in the page), event, facility, institution and
    natural-feature heads (EVENT, FAC, ORG, LOC). A pattern span replaces the items inside it and
    is dropped when it only cuts through one.
    """
    sc = _Scanner(view, items, lex)
    found: list[Match] = []
    place = ("GPE", "LOC")
    named = ("GPE", "LOC", "NORP", "ORG", "PERS", "FAC")

    def add(start: int, end: int, label: str) -> None:
        found.append(Match(start, end, (), view[sc.toks[sc.token_index(start)].start:start], False,
                           label, None, stage=2))

    for i, tok in enumerate(sc.toks):
        head_item = sc.covered.get(tok.start)
        if head_item is not None and (head_item.label or head_item.entity()):
            # Inside a known entity or title; an institution may go on after one (وزارة الزراعة | واستصلاح ...).
            k = sc.role(i, "ORG_HEAD")
            if (k is not None and head_item.label == "ORG" and head_item.start == tok.start + k
                    and head_item.end < len(view)):
                nxt = sc.token_index(head_item.end)
                span = _institution_run(sc, i, False, nxt, head_item.end) if nxt is not None else None
                if span and span > head_item.end:
                    add(tok.start + k, span, "ORG")
            continue
        if not sc.roles[i]:
            continue  # every rule below starts on a head word of patterns.tsv
        # Directions: شمال شرق سوريا.
        k = sc.role(i, "DIR")
        if k is not None:
            j = i + 1 + (1 if sc.role(i + 1, "DIR") == 0 and sc.joined(i + 1) else 0)
            m = sc.item(j, place) if sc.joined(j) else None
            if m is not None and not m.prefix:
                add(tok.start + k, m.end, "LOC")
                continue
        # Administrative units: بمحافظة البحيرة، ولاية تيبازة، محافظة ذي قار (head outside).
        strong = sc.role(i, "ADMIN_STRONG")
        weak = sc.role(i, "ADMIN_WEAK")
        if (strong is not None or weak is not None) and sc.joined(i + 1) and sc.plain(i + 1):
            first = sc.toks[i + 1]
            if strong is not None or sc.rare(i + 1):
                end = first.end
                if first.text in sc.words.get("PLACE_PARTICLE", ()) and sc.joined(i + 2) and sc.plain(i + 2):
                    end = sc.toks[i + 2].end
                elif sc.joined(i + 2) and sc.rare(i + 2):
                    end = sc.toks[i + 2].end
                add(first.start, end, "GPE")
                continue
        # Teams: فريق الوحدة، نادي شباب بلوزداد (the noun outside); sport pages take ordinary words.
        k = sc.role(i, "TEAM")
        if k is not None and sc.joined(i + 1):
            m = sc.item(i + 1, place + ("ORG",))
            if m is not None and not m.prefix:
                j, end = sc.token_index(m.end - 1) + 1, m.end
            elif sc.plain(i + 1) and (sc.sport or not _is_common(sc.toks[i + 1].text, lex, very=True)):
                j, end = i + 2, sc.toks[i + 1].end
            else:
                j = end = 0
            if end:
                _j, more = _run_after(sc, j, place, sc.rare, 2)
                add(sc.toks[i + 1].start, max(end, more), "ORG")
                continue
        # Clubs: مولودية وهران (sport pages only).
        k = sc.role(i, "CLUB")
        if k is not None and sc.sport and sc.joined(i + 1):
            m = sc.item(i + 1, ("GPE",))
            if m is not None and not m.prefix:
                add(tok.start + k, m.end, "ORG")
                continue
        # Events: كأس أمم إفريقيا، البطولة الوطنية للعدو الريفي، معرض الرياض الدولي للكتاب.
        k = sc.role(i, "EVENT_HEAD")
        if k is not None:
            span = _name_run(sc, i, named, definite=tok.text[k:].startswith("ال"))
            if span:
                add(tok.start + k, span, "EVENT")
                continue
        # Facilities: مطار الملكة علياء الدولي، ملعب 5 جويلية.
        k = sc.role(i, "FAC_HEAD")
        if k is not None and not tok.text[k:].startswith("ال"):
            span = _facility_run(sc, i)
            if span:
                add(tok.start + k, span, "FAC")
                continue
        # Institutions: منظمة الصحة العالمية، البنك المركزي الأردني، وزارة الزراعة واستصلاح الأراضي.
        k = sc.role(i, "ORG_HEAD")
        if k is not None and not (k == 0 and i and sc.toks[i - 1].text in _DEMONSTRATIVES):
            span = _institution_run(sc, i, definite=tok.text[k:].startswith("ال"))
            if span:
                add(tok.start + k, span, "ORG")
                continue
        # Natural features: وادي رم، غابة بوسماعيل (head inside); نهر الأردن → الأردن.
        for role, inside in (("LOC_HEAD", True), ("LOC_NAMEHEAD", False)):
            k = sc.role(i, role)
            if k is None or not sc.joined(i + 1):
                continue
            m = sc.item(i + 1, place + ("NORP",))
            if m is not None and not m.prefix:
                end = m.end
            elif sc.plain(i + 1) and not _is_common(sc.toks[i + 1].text, lex, very=True):
                end = sc.toks[i + 1].end
            else:
                continue
            add(tok.start + k if inside else sc.toks[i + 1].start, end, "LOC")
            break

    found = _team_mentions(view, sc, found)
    return _replace(items, found)


def _name_run(sc: _Scanner, i: int, named: tuple[str, ...], definite: bool) -> int | None:
    """The end of an event name after the head at token ``i``, or None.

    Complements are names (GPE, NORP ...), words with the article, and ل/لل + noun (للكتاب، لكرة);
    an indefinite first word is taken before a name (كأس أمم إفريقيا). A definite head needs a
    name, a nisba adjective or a ل complement (البطولة الوطنية ...), not an ordinary word.
    """
    j, end, strong = i + 1, 0, False

    def lam(k: int) -> bool:
        tok = sc.toks[k].text
        return sc.plain(k) and tok.startswith("ل") and len(tok) >= 4

    while j < len(sc.toks) and j - i <= 6 and sc.joined(j):
        m = sc.item(j, named)
        tok = sc.toks[j].text
        if m is not None and (not m.prefix or m.prefix == "ل" and end):
            end, strong = m.end, True
            j = sc.token_index(m.end - 1) + 1
            continue
        if not sc.plain(j):
            break
        if tok.startswith("ال"):
            strong = strong or _nisba(tok) or tok in sc.words.get("FAC_ADJ", ())
        elif lam(j) and end:
            strong = True  # not first: "معرض لكتب الأطفال" is no name
        elif tok.startswith("وال") and strong and sc.toks[j - 1].text.startswith("ل"):
            pass  # للثقافة والفنون
        elif j == i + 1 and (sc.item(j + 1, named) is not None and sc.joined(j + 1) or sc.rare(j)
                             or not _is_common(tok, sc.lex, very=True) and sc.joined(j + 1)
                             and _nisba(sc.toks[j + 1].text) and sc.plain(j + 1)):
            pass  # كأس أمم | إفريقيا، مهرجان قرطاج، مهرجان قرطاج الدولي
        else:
            break
        end = sc.toks[j].end
        j += 1
    if not end or (definite and not strong):
        return None
    return end


def _facility_run(sc: _Scanner, i: int) -> int | None:
    """The end of a facility name after the head at token ``i`` (names, rare words, الدولي)."""
    j, end, names = i + 1, 0, 0
    adjectives = sc.words.get("FAC_ADJ", frozenset())
    while j < len(sc.toks) and j - i <= 4 and sc.joined(j):
        m = sc.item(j, ("GPE", "LOC", "PERS", "ORG", "FAC"))
        tok = sc.toks[j].text
        title = sc.covered.get(sc.toks[j].start)
        if m is not None and not m.prefix:
            end, names = m.end, names + 1
            j = sc.token_index(m.end - 1) + 1
            continue
        if names and tok in adjectives and sc.free(j):
            end = sc.toks[j].end
            j += 1
            break
        if (title is not None and title.has("_HEAD") and title.flagged("_HEAD", "solo")
                and title.start == sc.toks[j].start and not names):
            end = title.end  # مطار الملك خالد: a royal title inside the name, then the name
            j = sc.token_index(title.end - 1) + 1
            if sc.joined(j) and sc.plain(j) and not _is_common(sc.toks[j].text, sc.lex, very=True):
                end, names, j = sc.toks[j].end, 1, j + 1
            continue
        if sc.plain(j) and not _is_common(tok, sc.lex, very=True) and (len(tok) >= 3):
            end, names = sc.toks[j].end, names + 1
            j += 1
            continue
        if not names and tok.isdigit() and sc.joined(j + 1) and _month_at(sc.tok_tuples, j + 1, sc.view):
            # ملعب 5 جويلية، ساحة 14 يناير: named after a date
            j = _month_at(sc.tok_tuples, j + 1, sc.view)
            end, names = sc.toks[j - 1].end, 1
            continue
        break
    return end if names else None


#: Heads that start a second institution after و even when they are too common to be ORG_HEADs.
_SECOND_INSTITUTION = frozenset(normalize(w) for w in ("إدارة", "دائرة", "قيادة", "مصلحة"))


def _institution_run(sc: _Scanner, i: int, definite: bool, j: int | None = None, end: int = 0) -> int | None:
    """The end of an institution name after the head at token ``i``, or None.

    An indefinite head takes a genitive chain: words with the article, ل/لل complements, a name,
    and و + a noun that continues the portfolio (وزارة الزراعة واستصلاح الأراضي); a nationality
    or a country ends it. A definite head must first take a nisba or listed adjective
    (البنك المركزي، المجلس الأعلى).
    """
    j, taken = (i + 1, 0) if j is None else (j, 1)
    adjectives = sc.words.get("ORG_ADJ", frozenset())
    while j < len(sc.toks) and taken < 7 and sc.joined(j):
        tok = sc.toks[j].text
        m = sc.item(j, ("GPE", "NORP", "ORG", "LOC"))
        if m is not None and not taken and not definite and (m.label or m.entity().label) == "ORG":
            return None  # منظمة اليونسكو: the head is a descriptor of a known name (like تنظيم داعش)
        if m is not None and not m.prefix and (taken or not definite):
            end = m.end
            break  # a country or a nationality closes the name
        role = sc.covered.get(sc.toks[j].start)
        compl = (role is not None and role.has("_COMPL") and role.prefix in ("", "ل")
                 and role.start - len(role.prefix) == sc.toks[j].start)
        if not (sc.plain(j) or compl):
            break
        span_end = role.end if compl else sc.toks[j].end
        if definite and not taken:
            if not (_nisba(tok) or tok in adjectives):
                return None
        elif tok.startswith("ال") or compl:
            pass
        elif tok.startswith("لل") and taken:
            pass  # للصحة
        elif tok.startswith("و") and taken and len(tok) >= 4:
            # و + noun: only when the portfolio goes on (والآثار، واستصلاح الأراضي), not when a
            # second institution begins (هيئة الأوراق المالية | وإدارة البحث الجنائي)
            if sc.role(j, "ORG_HEAD") is not None or tok[1:] in _SECOND_INSTITUTION:
                break
            rest = tok[1:]
            if not (rest.startswith("ال") or sc.joined(j + 1) and sc.plain(j + 1)
                    and sc.toks[j + 1].text.startswith("ال")):
                break
        elif not taken and sc.rare(j):
            pass  # جامعة هارفارد
        elif (not taken and not definite and sc.joined(j + 1) and sc.item(j + 1, ("GPE",)) is not None
              and not sc.item(j + 1, ("GPE",)).prefix):
            pass  # محكمة جنايات عمّان: a genitive noun, then the city
        else:
            break
        end = span_end
        j = sc.token_index(span_end - 1) + 1
        taken += 1
    return end or None


def _team_mentions(view: str, sc: _Scanner, found: list[Match]) -> list[Match]:
    """A team's name alone elsewhere in the page is the same ORG (الوحدة after فريق الوحدة)."""
    names = {view[m.start:m.end] for m in found if m.label == "ORG" and sc.token_index(m.start) is not None
             and sc.role(sc.token_index(m.start) - 1, "TEAM") is not None}
    taken = {k for m in found for k in range(m.start, m.end)}
    extra = []
    where = _occurrences(view, names)
    # longest first, then by text: a fixed order (a set's order follows the process's hash seed, and
    # two names can compete for the same characters), and a longer name wins over its part
    for name in sorted(names, key=lambda n: (-len(n), n)):
        for s in _leftmost(where[name], len(name)):
            e = s + len(name)
            left_ok, prefix, _ = _left_context(view, s, False)
            right_ok, _ = _right_context(view, e)
            if not (left_ok and right_ok) or any(k in taken for k in range(s, e)):
                continue
            inner = sc.covered.get(s)
            if inner is not None and not (inner.start == s and inner.end == e):
                continue  # part of a longer known name
            extra.append(Match(s, e, (), prefix, False, "ORG", None, stage=2))
            taken.update(range(s, e))
    return found + extra


def _occurrences(view: str, keys) -> dict[str, list[int]]:
    """Where each of ``keys`` (non-empty strings) occurs in ``view``: start offsets in order,
    overlapping occurrences included. One pass of an Aho-Corasick automaton over the page for all
    the keys, where a regex search per key cost O(page) per name (and a long page names more)."""
    found: dict[str, list[int]] = {key: [] for key in keys}
    if not found:
        return found
    automaton = ahocorasick.Automaton()
    for key in found:
        automaton.add_word(key, key)
    automaton.make_automaton()
    for end, key in automaton.iter(view):  # in order of end, so each key's starts come in order
        found[key].append(end - len(key) + 1)
    return found


def _leftmost(starts: list[int], length: int) -> Iterator[int]:
    """The occurrences ``re.finditer`` finds among ``starts`` (all those of one key of ``length``
    characters): the leftmost, then the leftmost starting at or after its end, and so on."""
    free_from = 0
    for s in starts:
        if s >= free_from:
            yield s
            free_from = s + length


def _replace(items: list[Match], found: list[Match]) -> list[Match]:
    """``items`` with the pattern spans in: each replaces the items inside it, never cuts one."""
    kept_found: list[Match] = []
    occupied: set[int] = set()
    # An item that overlaps a span [lo, hi) without lying inside it straddles lo or hi (starts
    # before the boundary and ends after it). The boundaries items straddle, gathered once, answer
    # that per span in O(1), where comparing each span with every item cost O(items) per span.
    straddled = {k for n in items for k in range(n.start + 1, n.end)} if found else set()
    for m in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
        lo, hi = m.start - len(m.prefix), m.end
        span = set(range(lo, hi))
        if span & occupied:
            continue
        if lo < hi and (lo in straddled or hi in straddled):
            continue
        occupied |= span
        kept_found.append(m)
    out = [n for n in items if not any(k in occupied for k in range(n.start, n.end))]
    return sorted(out + kept_found, key=lambda m: m.start)


# ---------------------------------------------------------------------------------------------
# 3. Names


def _is_common(token: str, lex: Lexicon, very: bool = False) -> bool:
    """True for an ordinary word, also with a proclitic (وأكد، فقال); ``very``: a very frequent one."""
    words = lex.very_common if very else lex.common
    if token in words:
        return True
    for k in (1, 2):
        if token[:k] in _PROCLITIC_CHAINS and token[k:] in words:
            return True
    return False


def _guess_name(view: str, pos: int, lex: Lexicon, taken: set[int], after_title: bool,
                first: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The view span of a name-like token run starting after ``pos``, or None.

    ``after_title``: right after a title or honorific (a comma and an opening quote may come between).
    ``first``: the span of an already accepted first token (a known given name).
    """
    i = pos
    if first is None:
        i = _NAME_OPENING.match(view, pos).end()
    tokens: list[tuple[int, int]] = []
    forced = False
    for m in _NON_SPACE.finditer(view, i if first is None else first[0]):
        s = m.start()
        word = m.group()
        core = re.match(r"[^\W\d_]+", word)
        if core is None or core.start() != 0:
            break
        e = s + core.end()
        token = core.group()
        if any(k in taken for k in range(s, e)) or (tokens and "\n" in view[tokens[-1][1]:s]):
            break
        if first is not None and s < first[1]:
            ok = True  # inside the accepted given name (عبد الله)
        elif not tokens:
            ok = token in lex.first_names or (
                after_title and not token.startswith(("ال", "لل", "بال", "وال", "فال")) and len(token) >= 3
                and (not _is_common(token, lex) or _rare_follows(view, e, lex, taken)))
        elif forced or token in lex.name_parts:
            ok = True
        else:
            # A second word may be a frequent-ish surname (برايس); a third must be rare. A verb in the
            # imperfect or the future (يلجأ، سيعقد، ستعقد) ends the name.
            ok = (not _is_common(token, lex, very=len(tokens) < 2) and len(token) >= 2
                  and token[0] not in "وي" and not re.match(r"س[يتن].{2}", token)
                  and not _possessed_noun(token, lex))
        if not ok:
            break
        tokens.append((s, e))
        forced = token in _NAME_PARTICLES
        particles = sum(view[a:b] in _NAME_PARTICLES for a, b in tokens)
        if e < s + len(word) or len(tokens) - particles >= _MAX_NAME_TOKENS + (1 if forced else 0):
            break  # punctuation glued to the token ends the name; particles (بن) do not count
    while tokens and view[tokens[-1][0]:tokens[-1][1]] in _NAME_PARTICLES:
        tokens.pop()
    if not tokens:
        return None
    if len(tokens) == 1:
        # One unknown word after a title: a surname (شاناهان), unless it looks like a verb in the
        # imperfect (يثمن، يبرئ) or is too short to tell.
        token = view[tokens[0][0]:tokens[0][1]]
        if (not after_title or _is_common(token, lex) or token in lex.first_names
                or len(token) < 4 or token[0] == "ي"):
            return None
    return tokens[0][0], tokens[-1][1]


_LINEAGE = re.compile(r" (?:بن|بنت|ابن) ([^\W\d_]+)")


def _extend_lineage(view: str, person: Match, lex: Lexicon, taken: set[int]) -> None:
    """Take the rest of a بن chain into a name (فيصل بن فرحان + بن عبدالله, guideline rule 10)."""
    while True:
        link = _LINEAGE.match(view, person.end)
        if not link or any(k in taken for k in range(link.start(1), link.end())):
            return
        token = link.group(1)
        if not (token in lex.name_parts or not _is_common(token, lex)) or _possessed_noun(token, lex):
            return
        taken.update(range(person.end, link.end()))
        person.end = link.end()


def _possessed_noun(token: str, lex: Lexicon) -> bool:
    """True for a noun with a pronoun suffix (بصمته "his mark", مسيرتها): never a name's last word."""
    for suffix in ("تهما", "تهم", "تها", "ته"):
        if token.endswith(suffix) and token[: -len(suffix)] + "ه" in lex.frequent:
            return True
    for suffix in ("هما", "هم", "ها", "ه"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3 and token[: -len(suffix)] in lex.frequent:
            return True
    return False


_APPOSITION = re.compile(r"، (?:وهو |وهي )?$")


def _name_before_apposition(view: str, pos: int, lex: Lexicon, taken: set[int]) -> tuple[int, int] | None:
    """``مع حسن عبد الله، محافظ …``، ``ويقول حسن مطر، وهو مربي جاموس``: the two or three name-like
    words before a comma and a title are a name when the first is a known given name."""
    comma = _APPOSITION.search(view, max(0, pos - 12), pos)
    if comma is None:
        return None
    words = list(re.finditer(r"[^\W\d_]+", view[max(0, comma.start() - 40):comma.start()]))
    base = max(0, comma.start() - 40)
    run: list[tuple[int, int]] = []
    for w in reversed(words):
        s, e = base + w.start(), base + w.end()
        if (run and view[e:run[0][0]] != " ") or (not run and e != comma.start()) or any(k in taken for k in range(s, e)):
            break
        token = w.group()
        if token in _FUNCTION_WORDS or _possessed_noun(token, lex):
            break
        run.insert(0, (s, e))
        if len(run) == 3:
            break
    # the run starts at its first given name (مع is not part of it)
    while run and view[run[0][0]:run[0][1]] not in lex.first_names:
        run.pop(0)
    if len(run) < 2 or view[run[-1][0]:run[-1][1]] in _NAME_PARTICLES:
        return None
    s = run[0][0]
    if s > 0 and _is_word(view[s - 1]):
        return None
    return s, run[-1][1]


def _nationality_before_name(view: str, m: Match) -> bool:
    """True for a singular nationality with the article that opens a clause or follows a preposition.

    ``البرازيلي`` in ``عن طريق البرازيلي فابيو سانتوس`` is a noun (the Brazilian), not an adjective
    of the word before it, when that word is a preposition or a verb-like word, not a noun phrase.
    """
    entry = m.entity()
    if m.label is not None or entry is None or entry.label != "NORP" or m.prefix:
        return False
    word = view[m.start:m.end]
    return word.startswith("ال") and word.endswith("ي") and " " not in word


def _rare_follows(view: str, pos: int, lex: Lexicon, taken: set[int]) -> bool:
    """True when the word after ``pos`` is rare, free and article-less (the surname of هيرمان ...)."""
    m = _SPACE_WORD.match(view, pos)
    if not m:
        return False
    token, s = m.group(1), pos + 1
    if token.startswith("ال"):
        rare = len(token) >= 5 and not _is_common(token, lex)  # a family name: الحمروني، الجبوري
    else:
        rare = len(token) >= 3 and not _is_common(token, lex, very=True)
    return rare and not any(k in taken for k in range(s, s + len(token)))


def _names(view: str, items: list[Match], lex: Lexicon, text: str, origin: list[int]) -> list[Match]:
    """Stage 3: PERS guessed after titles, honorifics and known given names; surnames propagated."""
    taken = {k for m in items for k in range(m.start, m.end)}
    found: list[Match] = []

    def add(span: tuple[int, int] | None) -> None:
        if span and not any(k in taken for k in range(*span)):
            s, e = view_span_to_text(origin, *span)
            m = Match(span[0], span[1], (Entry("PERS", " ".join(text[s:e].split())),), "", False,
                      "PERS", stage=3)
            m.canonical = m.entries[0].canonical
            found.append(m)
            taken.update(range(*span))

    name_adjectives = _pattern_words().get("NAME_ADJ", frozenset())
    for k, m in enumerate(items):
        plural = m.label == "OCC" and view[m.start:m.end].split(" ")[0] in lex.plural_heads
        if (m.label == "OCC" and not plural) or m.has("_HONOR"):
            span = _guess_name(view, m.end, lex, taken, after_title=True)
            adjective = _SPACE_WORD.match(view, m.end)
            if span is None and adjective and adjective.group(1) in name_adjectives:
                span = _guess_name(view, adjective.end(), lex, taken, after_title=True)
            # المدرب التونسي للمولودية منير الجبالي: the team or body, then a given name
            if span is None and adjective and adjective.group(1).startswith("لل"):
                given = _SPACE_WORD.match(view, adjective.end())
                if given and given.group(1) in lex.first_names:
                    span = _guess_name(view, given.start(1), lex, taken, after_title=False,
                                       first=(given.start(1), given.end(1)))
                    if span and span[1] == given.end(1):
                        span = None  # the given name alone is too little
            # A place may come between: السفير الفرنسي في الرباط كريستوف لوكورتيي.
            if span is None and m.label == "OCC" and k + 1 < len(items):
                n = items[k + 1]
                entry = n.entity()
                if (entry is not None and entry.label == "GPE"
                        and view[m.end:n.start - len(n.prefix)].strip() in ("", "في", "لدى")):
                    span = _guess_name(view, n.end, lex, taken, after_title=True)
                    if (span is not None and not n.prefix and " " not in view[n.start:n.end]
                            and not view[m.end:n.start].strip()):
                        # ... or be a given name: المهاجم بغداد بونجاح (a player is not "of Baghdad")
                        taken.difference_update(range(n.start, n.end))
                        span = (n.start, span[1])
            add(span)
        if m.label == "OCC":
            add(_name_before_apposition(view, m.start - len(m.prefix), lex, taken))
        elif _nationality_before_name(view, m):
            # البرازيلي فابيو سانتوس: a nationality noun before a full (two-word) name.
            span = _guess_name(view, m.end, lex, taken, after_title=True)
            if span and " " in view[span[0]:span[1]]:
                add(span)
    pair_starts = {name.split(" ")[0] for name in lex.first_names if " " in name}
    for match in re.finditer(r"[^\W\d_]+", view):
        token = match.group()
        stripped, prefix = token, ""
        for k in (1, 2):
            if token[:k] in _PROCLITIC_CHAINS and token[k:] in lex.first_names:
                stripped, prefix = token[k:], token[:k]
        s = match.start() + len(prefix)
        pair = re.match(r" ([^\W\d_]+)", view[match.end():match.end() + 40]) if stripped in pair_starts else None
        if pair and f"{stripped} {pair.group(1)}" in lex.first_names:
            # عبد الرحمن قاسمي: a two-word given name is the first token.
            if s not in taken and not (match.start() > 0 and _is_word(view[match.start() - 1])):
                span = _guess_name(view, s, lex, taken, after_title=False, first=(s, match.end() + pair.end()))
                if span and span[1] > match.end() + pair.end():
                    add(span)
            continue
        if lex.first_names.get(stripped) != "strong":
            continue
        if s in taken or (match.start() > 0 and _is_word(view[match.start() - 1])):
            continue
        span = _guess_name(view, s, lex, taken, after_title=False, first=(s, match.end()))
        if span and span[1] > match.end():
            add(span)

    # Surnames of the document's full names, alone elsewhere in it (نولاند after فيكتوريا نولاند).
    persons = [m for m in items if m.entity() is not None and m.entity().label == "PERS"] + found
    for p in persons:
        _extend_lineage(view, p, lex, taken)
    surnames: dict[str, str | None] = {}
    for p in persons:
        words = view[p.start:p.end].split()
        if len(words) < 2:
            continue
        canonical = p.entity().canonical if p.entity() else view[p.start:p.end]
        tail = words[-1]
        key = " ".join(words[-2:]) if words[-2] in _NAME_PARTICLES else tail
        if len(tail) < 3 or _is_common(tail, lex, very=True) or tail in lex.first_names:
            continue
        # Two people with one surname in a document: the surname alone is left to nobody.
        surnames[key] = canonical if surnames.get(key, canonical) == canonical else None
    where = _occurrences(view, [key for key, canonical in surnames.items() if canonical is not None])
    for key, canonical in surnames.items():
        if canonical is None:
            continue
        for s in _leftmost(where[key], len(key)):
            e = s + len(key)
            left_ok, prefix, _ = _left_context(view, s, False)
            right_ok, _ = _right_context(view, e)
            if left_ok and right_ok and not any(k in taken for k in range(s, e)):
                m = Match(s, e, (Entry("PERS", canonical),), prefix, False, "PERS", canonical, stage=3)
                found.append(m)
                taken.update(range(s, e))
    return found


# ---------------------------------------------------------------------------------------------
# 4. Numbers

_PERCENT_WORDS = tuple(tuple(normalize(p).split()) for p in (
    "في المائة", "في المئة", "بالمائة", "بالمئة", "في المائه", "بالمئه"))
_PERIOD_PLURALS = frozenset(normalize(w) for w in (
    "الأيام", "الأسابيع", "الأشهر", "الشهور", "السنوات", "الأعوام", "العقود", "الساعات", "السنين"))
_PERIOD_MODIFIERS = frozenset(normalize(w) for w in (
    "الماضية", "الأخيرة", "المقبلة", "القادمة", "الأولى", "المنصرمة", "الفائتة"))
_YEAR_CUES = frozenset(normalize(w) for w in (
    "منذ", "حتى", "عام", "سنة", "العام", "خلال", "قبل", "بعد", "في", "مطلع", "أواخر", "أوائل", "نهاية",
    "بداية", "لسنة", "لعام", "وفي", "ومنذ", "إلى", "الى", "من"))
_CLOCK_WORDS = frozenset(normalize(w) for w in (
    "صباحا", "مساء", "مساءا", "ليلا", "ظهرا", "صباح", "زوالا", "فجرا", "عشرة", "عشر", "والنصف", "والربع"))
_CLOCK_HOURS = frozenset(normalize(w) for w in (
    "الواحدة", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة", "الثامنة", "التاسعة",
    "العاشرة", "الحادية", "منتصف"))


_HOUR_WORD, _MINUTE_WORD = normalize("الساعة"), normalize("الدقيقة")
_AFTER_NOON = frozenset(tuple(normalize(w).split()) for w in ("بعد الظهر", "قبل الظهر", "بعد الظهيرة", "بعد العصر"))
_DAYPART_ADVERBS = frozenset(normalize(w) for w in (
    "صباحا", "مساء", "مساءا", "ليلا", "ظهرا", "عصرا", "فجرا", "زوالا"))  # the view has no tanween


def _vague_number(tokens: list[tuple[str, int, int]], i: int) -> tuple[int, int, int] | None:
    """A vague count (عشرات، آلاف، عشرات الآلاف) at token ``i``: ``(start, end, next index)``."""
    vague = _pattern_words().get("VAGUE_NUMBER", frozenset())
    tok, s, e = tokens[i]
    k = next((k for k in (0, 1, 2) if tok[k:] in vague and (k == 0 or tok[:k] in _PROCLITIC_CHAINS)), None)
    if k is None or (i > 0 and tokens[i - 1][0][:1].isdigit()):
        return None
    j = i + 1
    if j < len(tokens) and tokens[j][0].startswith("ال") and tokens[j][0] in vague:
        e, j = tokens[j][2], j + 1  # عشرات الآلاف
    return s + k, e, j


class _Rest(Sequence):
    """``[head] + tokens[start:]`` without the copy: the numbers and months read after و (خمسة
    وستة كيلومترات، 30 دقيقة و42 ثانية، يناير وفبراير) copied the page's tokens from there on,
    O(page) per such number or month."""

    def __init__(self, head: tuple[str, int, int], tokens: list[tuple[str, int, int]], start: int):
        self.head, self.tokens, self.start = head, tokens, start

    def __len__(self) -> int:
        return 1 + max(0, len(self.tokens) - self.start)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[x] for x in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        return self.head if k == 0 else self.tokens[self.start + k - 1]


def _clock_part(tokens: list[tuple[str, int, int]], j: int, view: str, lex: Lexicon) -> tuple[int, int] | None:
    """``و42 ثانية`` after a clock duration: ``(next index, end)``, or None."""
    tok = tokens[j][0]
    if tok == "و" and j + 1 < len(tokens) and tokens[j + 1][1] == tokens[j][2]:
        j += 1
        rest = _Rest(tokens[j], tokens, j + 1)
    elif tok.startswith("و") and len(tok) > 1:
        rest = _Rest((tok[1:], tokens[j][1] + 1, tokens[j][2]), tokens, j + 1)
    else:
        return None
    number = _parse_number(rest, 0, view, lex)
    if number is None:
        return None
    unit = _phrase_at(rest, number.next_index, lex.units, view)
    if not unit or unit[0][1] != "clock":
        return None
    return j + unit[1], unit[2]


def _digits_value(token: str) -> Decimal | None:
    """``3,17`` → 3.17, ``10,000`` → 10000, ``1.5`` → 1.5, ``١٢`` → 12."""
    token = token.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789."))
    groups = re.split(r"[.,]", token)
    try:
        if len(groups) > 1 and groups[0] != "0" and all(len(g) == 3 for g in groups[1:]):
            return Decimal("".join(groups))  # thousands separators
        if len(groups) == 2:
            return Decimal(f"{groups[0]}.{groups[1]}")
        return Decimal(groups[0]) if len(groups) == 1 else None
    except InvalidOperation:
        return None


def _word_value(token: str, lex: Lexicon) -> tuple[int, str, str] | None:
    """``(value, kind, proclitic)`` of a number word, possibly after و/ب/ل."""
    if token in lex.numbers:
        return (*lex.numbers[token], "")
    if len(token) > 2 and token[0] in "وبلف" and token[1:] in lex.numbers:
        return (*lex.numbers[token[1:]], token[0])
    return None


@dataclass
class _Number:
    start: int  # view offsets
    end: int
    value: Decimal
    next_index: int  # token index after the number
    words: bool  # written with number words


def _parse_number(tokens: list[tuple[str, int, int]], i: int, view: str, lex: Lexicon) -> _Number | None:
    """The number starting at token ``i`` (digits [+ scale] or number words), or None."""
    tok, s, e = tokens[i]
    if tok[0].isdigit():
        value = _digits_value(tok)
        if value is None:
            return None
        if i > 0 and tokens[i - 1][2] == s and tokens[i - 1][0] not in _PROCLITIC_CHAINS and tokens[i - 1][0] != "ال":
            return None  # digits glued to a word: كشـ24
        if e < len(view) and view[e].isascii() and view[e].isalpha():
            return None  # a code, not a number: 3I/Atlas, G20
        j, end = i + 1, e
        if j < len(tokens):
            w = _word_value(tokens[j][0], lex)
            if w and w[2] == "" and (w[1] == "scale" or w[1] == "scale_plural" and 3 <= value <= 10):
                value *= w[0]  # 3 آلاف; never عام 2021 | آلاف العائلات
                end = tokens[j][2]
                j += 1
        return _Number(s, end, value, j, False)

    first = _word_value(tok, lex)
    if first is None:
        return None
    start = s + len(first[2])
    total, group, last_kind, last_scale = Decimal(0), Decimal(0), None, None
    j, end = i, e
    while j < len(tokens):
        w = _word_value(tokens[j][0], lex)
        if w is None:
            break
        value, kind, proclitic = w
        joined = proclitic == "و"
        if j > i and proclitic not in ("", "و"):
            break
        if j > i and view[tokens[j - 1][2]:tokens[j][1]].strip():
            break
        if j == i and kind in ("teen", "scale_plural"):
            if kind == "teen" and value == 10 and tokens[j][0].endswith(("ه", "ة")):
                pass  # عشرة alone is 10
            else:
                return None
        ok = False
        if j == i:
            ok = kind != "teen_head" or (j + 1 < len(tokens) and _word_value(tokens[j + 1][0], lex)
                                         and _word_value(tokens[j + 1][0], lex)[1] == "teen")
            if kind in ("unit", "ten", "hundred", "dual_hundred", "teen_head", "teen"):
                group = Decimal(value)
            elif kind in ("scale", "dual_scale"):
                total, last_scale = Decimal(value), value if kind == "scale" else value // 2
        elif kind == "teen" and not joined and last_kind in ("unit", "teen_head") and group < 10:
            group += 10
            ok = True
        elif kind == "ten" and joined and last_kind == "unit" and group < 10:
            group += value
            ok = True
        elif kind == "hundred" and value == 100 and not joined and last_kind == "unit" and group < 10:
            group *= 100
            ok = True
        elif kind in ("scale", "scale_plural") and not joined and group > 0 and last_kind != "scale":
            if kind == "scale_plural" and not 3 <= group <= 10:
                break
            if last_scale is not None and value >= last_scale:
                break
            total += group * value
            group, last_scale = Decimal(0), value
            ok = True
        elif joined and kind in ("unit", "ten", "hundred", "dual_hundred"):
            nxt = _word_value(tokens[j + 1][0], lex) if j + 1 < len(tokens) else None
            if nxt and nxt[1] in ("scale", "scale_plural") and nxt[0] >= (last_scale or 0):
                break  # خمسة آلاف | وسبعة آلاف: a second number (a range), not 5007
            if group == 0 and total > 0 and value < (last_scale or 0):
                group = Decimal(value)
                ok = True
            elif group % 100 == 0 and group > 0 and value < 100:
                group += value
                ok = True
        elif joined and kind == "dual_scale" and last_scale and value // 2 < last_scale and group == 0:
            total += value
            ok = True
        if not ok:
            break
        last_kind = kind
        end = tokens[j][2]
        j += 1
    if j == i:
        return None
    return _Number(start, end, total + group, j, True)


def _phrase_at(tokens: list[tuple[str, int, int]], j: int, table: dict, view: str, max_len: int = 3):
    """The longest phrase of ``table`` starting at token ``j``: ``(value, next index, end)``."""
    for n in range(max_len, 0, -1):
        if j + n > len(tokens):
            continue
        words = [t[0] for t in tokens[j:j + n]]
        if any(view[tokens[k - 1][2]:tokens[k][1]].strip() for k in range(j + 1, j + n)):
            continue
        key = " ".join(words)
        if key in table:
            return table[key], j + n, tokens[j + n - 1][2]
    return None


def _fmt(value: Decimal) -> str:
    value = value.normalize()
    return format(value, "f") if value == value.to_integral() else format(value, "f").rstrip("0")


def _numbers(view: str, lex: Lexicon) -> list[Match]:
    """Stage 4: CARDINAL, MONEY, PERCENT, QUANTITY, durations (DATE), clock times, digit ordinals."""
    tokens = _tokens(view)
    found: list[Match] = []

    def add(start: int, end: int, label: str, canonical: str | None) -> None:
        found.append(Match(start, end, (), "", False, label, canonical, stage=4))

    i = 0
    while i < len(tokens):
        tok, s, e = tokens[i]
        # الساعة العاشرة صباحا، الساعة 10:30
        if tok == _HOUR_WORD and i + 1 < len(tokens):
            nxt = tokens[i + 1][0]
            if nxt[0].isdigit() or nxt in _CLOCK_HOURS:
                j, end = i + 2, tokens[i + 1][2]
                if (nxt[0].isdigit() and j + 1 < len(tokens) and view[end:tokens[j][1]] == ":"
                        and tokens[j][0].isdigit()):
                    end, j = tokens[j][2], j + 1
                while j < len(tokens) and tokens[j][0] in _CLOCK_WORDS:
                    end, j = tokens[j][2], j + 1
                if j + 1 < len(tokens) and (tokens[j][0], tokens[j + 1][0]) in _AFTER_NOON:
                    end, j = tokens[j + 1][2], j + 2  # الساعة 2:45 بعد الظهر
                add(s, end, "TIME", None)
                i = j
                continue
        # الرابعة عصرا، 3 عصرا: an hour with its part of the day
        if ((tok in _CLOCK_HOURS or tok.isdigit() and len(tok) <= 2) and i + 1 < len(tokens)
                and tokens[i + 1][0] in _DAYPART_ADVERBS and view[e:tokens[i + 1][1]] == " "):
            add(s, tokens[i + 1][2], "TIME", None)
            i += 2
            continue
        # الدقيقة 23: a minute of a match
        if tok == _MINUTE_WORD and i + 1 < len(tokens) and tokens[i + 1][0].isdigit() and view[e:tokens[i + 1][1]] == " ":
            add(s, tokens[i + 1][2], "TIME", None)
            i += 2
            continue
        # 17:15، 17:15:47
        if tok.isdigit() and i + 2 < len(tokens) and view[e:tokens[i + 1][1]] == ":" and tokens[i + 1][0].isdigit():
            j, end = i + 1, tokens[i + 1][2]
            while j + 1 < len(tokens) and view[end:tokens[j + 1][1]] == ":" and tokens[j + 1][0].isdigit():
                j, end = j + 1, tokens[j + 1][2]
            add(s, end, "TIME", None)
            i = j + 1
            continue
        # السنوات السبع الأخيرة
        if (tok in _PERIOD_PLURALS and i + 2 < len(tokens) and tokens[i + 1][0].startswith("ال")
                and _word_value(tokens[i + 1][0][2:], lex) and tokens[i + 2][0] in _PERIOD_MODIFIERS):
            add(s, tokens[i + 2][2], "DATE", None)
            i += 3
            continue
        # الـ15 (digits after the article); الـ72 ساعة المقبلة is a period
        if tok == "ال" and i + 1 < len(tokens) and tokens[i + 1][1] == e and tokens[i + 1][0].isdigit():
            unit = _phrase_at(tokens, i + 2, lex.units, view)
            if unit and unit[0][1] == "time":
                nxt, end = unit[1], unit[2]
                if nxt < len(tokens) and tokens[nxt][0] in _PERIOD_MODIFIERS:
                    nxt, end = nxt + 1, tokens[nxt][2]
                add(s, end, "DATE", None)
                i = nxt
                continue
            value = _digits_value(tokens[i + 1][0])
            add(s, tokens[i + 1][2], "ORDINAL", _fmt(value) if value is not None else None)
            i += 2
            continue
        number = _parse_number(tokens, i, view, lex)
        if number is None:
            vague = _vague_number(tokens, i)
            if vague:
                add(vague[0], vague[1], "CARDINAL", None)
                i = vague[2]
                continue
            i += 1
            continue
        j = number.next_index
        start, end, value = number.start, number.end, number.value
        # A range "خمسة وستة كيلومترات": a second number joined by و, then a unit or a currency.
        second = None
        if j < len(tokens) and tokens[j][0].startswith("و") and not view[end:tokens[j][1]].strip(" "):
            if len(tokens[j][0]) > 1:
                cand = _parse_number(_Rest((tokens[j][0][1:], tokens[j][1] + 1, tokens[j][2]), tokens, j + 1), 0, view, lex)
                offset = j
            elif j + 1 < len(tokens) and tokens[j + 1][1] == tokens[j][2]:  # و42: the digits are a token
                cand = _parse_number(_Rest(tokens[j + 1], tokens, j + 2), 0, view, lex)
                offset = j + 1
            else:
                cand = None
            if cand is not None:
                cand.next_index += offset
                if (_phrase_at(tokens, cand.next_index, lex.currencies, view)
                        or _phrase_at(tokens, cand.next_index, lex.units, view)
                        or number.words and cand.words and tokens[cand.next_index - 1][0] == tokens[j - 1][0]):
                    second = cand  # ... or one scale word for both: خمسة آلاف وسبعة آلاف
        after = second.next_index if second else j
        low = f"{_fmt(value)}-" if second else ""
        top = second.value if second else value
        span_end = second.end if second else end

        if after < len(tokens) and tokens[after][0] in "%٪" and tokens[after][1] == span_end:
            add(start, tokens[after][2], "PERCENT", f"{low}{_fmt(top)}%")
            i = after + 1
            continue
        pct = next((p for p in _PERCENT_WORDS if tuple(t[0] for t in tokens[after:after + len(p)]) == p), None)
        if pct:
            add(start, tokens[after + len(pct) - 1][2], "PERCENT", f"{low}{_fmt(top)}%")
            i = after + len(pct)
            continue
        money = _phrase_at(tokens, after, lex.currencies, view)
        if money:
            (code, factor), nxt, money_end = money
            lo = f"{_fmt(value * factor)}-" if second else ""
            add(start, money_end, "MONEY", f"{lo}{_fmt(top * factor)} {code}")
            i = nxt
            continue
        unit = _phrase_at(tokens, after, lex.units, view)
        if unit:
            (name, kind), nxt, unit_end = unit
            if kind == "measure":
                add(start, unit_end, "QUANTITY", f"{low}{_fmt(top)} {name}")
            elif kind == "clock" and nxt < len(tokens) and _clock_part(tokens, nxt, view, lex):
                nxt, unit_end = _clock_part(tokens, nxt, view, lex)  # 30 دقيقة و42 ثانية: one TIME
                add(start, unit_end, "TIME", None)
            else:
                add(start, unit_end, "DATE" if kind == "time" else "TIME", None)
            i = nxt
            continue
        if not number.words and len(tokens[i][0]) == 4 and 1900 <= value <= 2100 and j == i + 1:
            # A bare year ("منذ 2014"، "نسخة 1990 التي") is a DATE, not a count: only "2000 مقاتل" is.
            # After a cue find_dates makes the longer DATE (عام 2014), which wins the merge.
            prev = tokens[i - 1][0] if i > 0 else ""
            counted = (j < len(tokens) and tokens[j][0][0].isalpha() and not view[end:tokens[j][1]].strip()
                       and tokens[j][0] not in lex.date_starts and tokens[j][0] not in _FUNCTION_WORDS
                       and not tokens[j][0].startswith(("بال", "وال", "فال", "كال", "لل")))
            if prev in _YEAR_CUES or (i > 0 and tokens[i - 1][2] == tokens[i][1]) or not counted:
                if not (i > 0 and tokens[i - 1][2] == tokens[i][1]):
                    add(start, end, "DATE", str(value))
                i = j
                continue
        add(start, span_end, "CARDINAL", f"{low}{_fmt(top)}")
        i = after
    return found


# ---------------------------------------------------------------------------------------------
# 4b. Periods without numbers


def _periods(view: str, lex: Lexicon) -> list[Match]:
    """Stage 4b: DATE and TIME phrases with no number in them (patterns.tsv).

    ``منذ سنوات``، ``بعد نحو عام`` (a bare time unit after a duration cue), ``أسابيع قليلة``,
    ``الموسم الزراعي الحالي``, ``الدقائق الأخيرة`` (TIME), and month names that
    :func:`akhbar.dates.find_dates` leaves alone (``تشرين الأول``، ``شهري يناير وفبراير``).
    """
    words = _pattern_words()
    tokens = _tokens(view)
    found: list[Match] = []

    def add(start: int, end: int, label: str) -> None:
        found.append(Match(start, end, (), "", False, label, None, stage=4))

    def joined(j: int) -> bool:
        return 0 < j < len(tokens) and view[tokens[j - 1][2]:tokens[j][1]] == " "

    def word(j: int) -> str:
        return tokens[j][0] if j < len(tokens) else ""

    starts = _period_starts()

    def bare(tok: str) -> tuple[str, int]:
        for k in (0, 1, 2):
            if tok[k:] and (k == 0 or tok[:k] in _PROCLITIC_CHAINS) and tok[k:] in starts:
                return tok[k:], k
        return tok, 0

    units, few = words.get("TIME_UNIT_BARE", frozenset()), words.get("FEW_ADJ", frozenset())
    duals = words.get("TIME_UNIT_DUAL", frozenset())
    periods = _PERIOD_PLURALS | {"ال" + w for w in duals}  # الأشهر، السنتين
    period_adjectives = _PERIOD_MODIFIERS | _DUAL_MODIFIERS
    for i, (tok, s, e) in enumerate(tokens):
        core, k = bare(tok)
        # منذ سنوات، بعد نحو عام، لعقود، أكثر من عام
        if core in units:
            prev = word(i - 1) if joined(i) else ""
            more_than = prev == "من" and joined(i - 1) and word(i - 2) in _MORE_LESS
            if joined(i + 1) and word(i + 1) in few:
                add(s + k, tokens[i + 1][2], "DATE")
            elif (not k and (prev in words.get("DURATION_CUE", ()) or more_than)
                  or tok[:k].endswith("ل") and core in _PLURAL_UNITS) and not (
                    i + 1 < len(tokens) and joined(i + 1) and word(i + 1)[:1].isdigit()):
                add(s + k, e, "DATE")
        # اليوم (today, nowadays) alone; not اليوم الوطني, اليوم الأول
        elif core == _TODAY and not (joined(i + 1) and word(i + 1).startswith("ال")):
            add(s + k, e, "DATE")
        # ساعتين، دقيقتين، بعامين: a dual time unit is a duration by itself
        elif core in duals and (not k or tok[:k] in _PROCLITIC_CHAINS):
            end = e
            if joined(i + 1) and word(i + 1) in period_adjectives:
                end = tokens[i + 1][2]
            add(s + k, end, "DATE")
        # الأشهر الأولى، السنتين الأخيرتين، الأيام المقبلة
        elif (core in periods and core not in words.get("CLOCK_PLURAL", ())
              and joined(i + 1) and word(i + 1) in period_adjectives):
            add(s + k, tokens[i + 1][2], "DATE")
        # يوم الجمعة (a weekday in general)
        elif core == _DAY and joined(i + 1) and word(i + 1) in _weekday_words():
            add(s + k, tokens[i + 1][2], "DATE")
        # القرن العشرين، النصف الثاني من القرن التاسع عشر، سبعينيات القرن الماضي
        elif core == _CENTURY or core.endswith(_DECADE_ENDING) and core[:-len(_DECADE_ENDING)].lstrip("ال") in _DECADE_STEMS:
            start, j = s + k, i + 1
            century = core == _CENTURY
            if not century and joined(j) and word(j) == _CENTURY:
                j, century = j + 1, True
            if century:
                words_left = 3
                while joined(j) and words_left and (word(j) in _CENTURY_WORDS or word(j) in _PERIOD_MODIFIERS
                                                    or word(j) in (_PAST, _CURRENT)):
                    j, words_left = j + 1, words_left - 1
                if j == i + 1:
                    continue  # القرن alone
            half = _HALF_OF.search(view, max(0, start - 24), start)
            if half:
                start = half.start()
            add(start, tokens[j - 1][2], "DATE")
        # الموسم الحالي، الموسم الزراعي المقبل، المواسم السابقة
        elif core in words.get("SEASON", ()) and joined(i + 1):
            mods = words.get("SEASON_MOD", frozenset())
            if word(i + 1) in mods:
                add(s + k, tokens[i + 1][2], "DATE")
            elif word(i + 1).startswith("ال") and joined(i + 2) and word(i + 2) in mods:
                add(s + k, tokens[i + 2][2], "DATE")
        # الدقائق الأخيرة
        elif core in words.get("CLOCK_PLURAL", ()) and joined(i + 1) and word(i + 1) in words.get("CLOCK_MOD", ()):
            add(s + k, tokens[i + 1][2], "TIME")
        # تشرين الأول، شهري يناير وفبراير
        else:
            month = _month_at(tokens, i, view)
            if month is None:
                continue
            start, j = s + k, month
            if core in (normalize("شهر"), normalize("شهري")):
                continue  # the month after it is handled on its own token
            if i > 0 and joined(i) and word(i - 1) in (normalize("شهر"), normalize("شهري")):
                start = tokens[i - 1][1]
            end = tokens[j - 1][2]
            if j < len(tokens) and joined(j) and word(j).startswith("و"):
                again = _month_at(_Rest((word(j)[1:], tokens[j][1] + 1, tokens[j][2]), tokens, j + 1), 0, view)
                if again is not None:
                    end = tokens[j + again - 1][2]
            add(start, end, "DATE")
    return found


_CENTURY, _PAST, _CURRENT = normalize("القرن"), normalize("الماضي"), normalize("الحالي")
_DECADE_ENDING = normalize("ينيات")
_DECADE_STEMS = frozenset(normalize(w) for w in ("عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع"))
#: words of an ordinal century name after القرن (التاسع عشر، الحادي والعشرين)
_CENTURY_WORDS = frozenset(normalize(w) for w in (
    "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر",
    "الحادي", "عشر", "العشرين", "والعشرين"))
_HALF_OF = re.compile(r"(?:النصف|الربع|الثلث) (?:الاول|الثاني|الاخير|الثالث|الرابع) من $|(?:مطلع|منتصف|اواخر|اوائل|نهايه|بدايه) $")
_DUAL_MODIFIERS = frozenset(normalize(w) for w in (
    "الأخيرتين", "الأخيرين", "الماضيين", "الماضيتين", "المقبلين", "المقبلتين", "الأولين", "الأوليين"))
_MORE_LESS = frozenset(normalize(w) for w in ("أكثر", "أقل", "اكثر", "اقل"))
_PLURAL_UNITS = frozenset(normalize(w) for w in ("عقود", "سنوات", "أعوام", "أشهر", "شهور", "أسابيع", "أيام", "سنين"))
_TODAY, _DAY = normalize("اليوم"), normalize("يوم")


@cache
def _weekday_words() -> frozenset[str]:
    return frozenset(normalize(r[0]) for r in rows("weekdays.tsv"))


@cache
def _period_starts() -> frozenset[str]:
    """Words a period of stage 4b can start with (after proclitics)."""
    words = _pattern_words()
    return (lexicon().date_starts | words.get("TIME_UNIT_BARE", frozenset()) | words.get("SEASON", frozenset())
            | words.get("CLOCK_PLURAL", frozenset()) | _month_words() | words.get("TIME_UNIT_DUAL", frozenset())
            | {_CENTURY})


@cache
def _month_words() -> frozenset[str]:
    """The first word of every month name in months.tsv (normalised)."""
    return frozenset(normalize(r[0].split()[0]) for r in rows("months.tsv"))


@cache
def _month_names() -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(normalize(r[0]).split()) for r in rows("months.tsv"))


def _month_at(tokens: list[tuple[str, int, int]], i: int, view: str) -> int | None:
    """The token index after a month name starting at token ``i`` (proclitics allowed), or None."""
    first = tokens[i][0] if i < len(tokens) else ""
    starts = _month_words()
    if first not in starts and (first[1:] not in starts and first[2:] not in starts
                                or len(first) <= 3 and first in lexicon().frequent):
        return None  # most words: no month name can start here; باب is not ب + آب
    names = _month_names()
    for n in (2, 1):
        words = [t[0] for t in tokens[i:i + n]]
        if len(words) < n or any(view[tokens[k - 1][2]:tokens[k][1]] != " " for k in range(i + 1, i + n)):
            continue
        for k in (0, 1, 2):
            if k and words[0][:k] not in _PROCLITIC_CHAINS:
                continue
            if tuple([words[0][k:]] + words[1:]) in names:
                return i + n
    return None


# ---------------------------------------------------------------------------------------------
# 5. Dates


def _dates(text: str, view: str, origin: list[int], published: dt.date | None, lex: Lexicon) -> list[dict]:
    """Stage 5: find_dates on a copy of ``text`` whose attached proclitics are blanked.

    ``find_dates`` leaves proclitics to its caller (``لسنة 2021``، ``وأمس``): each proclitic chain
    before a date word or digits is replaced by spaces (same length, so offsets hold); ``للعام`` is
    rewritten ``العام`` and the span then starts after the preposition (rule 2).
    """
    chars = list(text)
    shifted: set[int] = set()
    for m in re.finditer(r"[^\W_]+", view):
        token, s = m.group(), m.start()
        if s > 0 and _is_word(view[s - 1]):
            continue
        if token in lex.frequent and len(token) <= 3:
            continue  # باب is a door, not ب + آب (August)
        for k in (1, 2):
            chain, rest = token[:k], token[k:]
            if chain not in _PROCLITIC_CHAINS or not rest or token in lex.date_starts:
                continue
            if rest in lex.date_starts or rest[0].isdigit():
                for v in range(s, s + k):
                    chars[origin[v]] = " "
                break
            if chain.endswith("ل") and rest.startswith("ل") and "ا" + rest in lex.date_starts:
                for v in range(s, s + k - 1):
                    chars[origin[v]] = " "
                chars[origin[s + k - 1]] = "ا"
                shifted.add(origin[s + k - 1])
                break
    out = []
    blanked = "".join(chars)
    line_start = 0
    for line in blanked.split("\n"):  # a date never spans two lines ("65.9" | "يوليو 2023" in a table)
        for mention in find_dates(line):
            s, e = line_start + mention.start, line_start + mention.end
            start = s + 1 if s in shifted else s
            resolved = resolve(mention, published)
            canonical = resolved.date or resolved.value or text[start:e]
            out.append({"start": start, "end": e, "label": "DATE", "canonical": canonical})
        line_start += len(line) + 1
    return out


# ---------------------------------------------------------------------------------------------
# 6. Merge


def annotate_rules(body_text: str, published: dt.date | None = None, publisher: str | None = None) -> list[dict]:
    """Entity mentions of ``body_text``: sorted, non-overlapping dicts following ``$defs/entity``.

    Each dict has ``id`` (``T1``… in start order), ``start``/``end`` (end-exclusive offsets into
    ``body_text``), ``text`` (== ``body_text[start:end]``), ``label``, ``canonical`` and ``source``
    (:data:`SOURCE`). ``published`` fixes relative dates (أمس الأربعاء); without it they keep a
    partial value or their text. ``publisher``, the page's own outlet, is an ORG wherever the
    article names it (``قالت "العرب الدولية"``).

    >>> [(e["text"], e["label"]) for e in annotate_rules("وصل بوريطة إلى واشنطن")]
    [('بوريطة', 'PERS'), ('واشنطن', 'GPE')]
    """
    lex = lexicon()
    view, origin = _matching_view(body_text)
    if not view:
        return []
    # 1. lexical matches, 2. composition
    items = _compose(view, _lexical_matches(view, lex, body_text, origin), body_text, origin, lex)
    # 2e. patterns: heads with their name words; 2f. a title with the institution they built
    items = _offices(view, _patterns(view, items, lex), body_text, origin, lex)
    # 2g. names that take the head before them or the quotes around them
    items = _replace(items, _headed_names(view, items) + _cited_media(view, publisher))
    # 3. names
    names = _names(view, items, lex, body_text, origin)
    candidates: list[tuple[int, int, str, str, int]] = []  # text start, end, label, canonical, stage

    def add_view(m: Match) -> None:
        if m.label is None:
            entry = m.entity()
            if entry is None:
                return  # a title piece, a cue, an honorific: not an entity alone
            label, canonical = entry.label, entry.canonical
        else:
            label, canonical = m.label, m.canonical
        s, e = view_span_to_text(origin, m.start, m.end)
        while e < len(body_text) and unicodedata.combining(body_text[e]):
            e += 1  # عصراً: the tanween after the last letter belongs to the word
        text = body_text[s:e]
        if canonical is None:
            canonical = re.sub(r"\s+", " ", text).strip()
            if m.contracted:
                canonical = "ا" + canonical
        candidates.append((s, e, label, canonical, m.stage))

    for m in items:
        add_view(m)
    for m in names:
        add_view(m)
    # 4. numbers
    for m in _numbers(view, lex):
        add_view(m)
    for m in _periods(view, lex):
        add_view(m)
    # 5. dates (stage 0: they win ties)
    for d in _dates(body_text, view, origin, published, lex):
        candidates.append((d["start"], d["end"], "DATE", d["canonical"], 0))

    # 6. merge: longest first, then by stage
    occupied: set[int] = set()
    kept = []
    for s, e, label, canonical, stage in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[4], c[0])):
        if any(k in occupied for k in range(s, e)):
            continue
        occupied.update(range(s, e))
        kept.append((s, e, label, canonical))
    kept = _join_dates(body_text, sorted(kept))
    return [
        {"id": f"T{n}", "start": s, "end": e, "text": body_text[s:e], "label": label,
         "canonical": canonical, "source": SOURCE}
        for n, (s, e, label, canonical) in enumerate(kept, 1)
    ]


# ---------------------------------------------------------------------------------------------
# 7. Date joins


_MONTH_ALIAS_YEAR = re.compile(r" ?[(（]([^\W\d_]+)(?: [^\W\d_]+)?[)）] (\d{4})(?!\d)")
_MONTH_SLASH = re.compile(r" ?/ ?([^\W\d_]+(?: [^\W\d_]+)?)(?![^\W\d_])")
_DAY_NUMBER = re.compile(r"\d{1,2}")
_ISO_MONTH = re.compile(r"\d{4}-\d\d")
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def _day_numbers_into_dates(text: str, out: list[list]) -> list[list]:
    """A day number the date finder left as a CARDINAL, joined to the DATE it belongs to:
    ``7 و8 تشرين الثاني`` (a range of days, one DATE) and ``أمس الجمعة 14 جويلية 2023`` (a weekday,
    then the explicit date: one DATE)."""
    merged: list[list] = []
    k = 0
    while k < len(out):
        item = out[k]
        nxt = out[k + 1] if k + 1 < len(out) else None
        after = out[k + 2] if k + 2 < len(out) else None
        day = item[2] == "CARDINAL" and _DAY_NUMBER.fullmatch(text[item[0]:item[1]]) and int(text[item[0]:item[1]]) <= 31
        if (day and nxt and nxt[2] == "DATE" and text[item[1]:nxt[0]] == " و" and text[nxt[0]:nxt[0] + 1].isdigit()
                and _ISO_DAY.fullmatch(nxt[3])):
            first = f"{nxt[3][:8]}{int(text[item[0]:item[1]]):02d}"
            merged.append([item[0], nxt[1], "DATE", f"{first}/{nxt[3]}"])
            k += 2
            continue
        if (item[2] == "DATE" and nxt and after and nxt[2] == "CARDINAL" and after[2] == "DATE"
                and _DAY_NUMBER.fullmatch(text[nxt[0]:nxt[1]]) and int(text[nxt[0]:nxt[1]]) <= 31
                and text[item[1]:nxt[0]] == " " and text[nxt[1]:after[0]] == " " and _ISO_MONTH.fullmatch(after[3])):
            merged.append([item[0], after[1], "DATE", f"{after[3]}-{int(text[nxt[0]:nxt[1]]):02d}"])
            k += 3
            continue
        merged.append(item)
        k += 1
    return merged


_MONTH_TAILS = frozenset(normalize(w) for w in ("الجاري", "المقبل", "الماضي", "المنصرم", "القادم", "الحالي"))
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(«\"]))([^\W\d_]+) $")
_WORD_AFTER = re.compile(r"^ ([^\W\d_]+)(?!\w)")


def _join_dates(text: str, kept: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Stage 7 on the merged spans (text offsets, start order): words around a DATE.

    ``نهاية مارس``، ``يوم 30 مارس`` (a DATE_PREFIX word joins the date), ``ثلاث سنوات متتالية``
    (a DURATION_ADJ), ``الأشهر الثلاثة الأولى من العام الحالي`` (DATE من DATE is one DATE), and
    ``مساء أمس`` (a DAYPART right before a DATE is a TIME of its own).
    """
    words = _pattern_words()
    out: list[list] = _day_numbers_into_dates(text, [list(k) for k in kept])
    # The characters the spans of ``out`` hold (made when first asked), kept up to date as spans
    # grow: ``free`` looks a range up in it (O(range)) where it scanned every span (O(page) per
    # date). Spans are never empty, so a range [a, b) with a < b is free exactly when none of its
    # characters is held.
    held: set[int] | None = None

    def free(a: int, b: int) -> bool:
        nonlocal held
        if a >= b:  # not asked by the rules below; the scan keeps its meaning for such a range
            return not any(s < b and a < e for s, e, _l, _c in out)
        if held is None:
            held = {k for s, e, _l, _c in out for k in range(s, e)}
        return held.isdisjoint(range(a, b))

    def grow(item: list, start: int, end: int) -> None:
        if held is not None:
            held.update(range(start, item[0]), range(item[1], end))
        item[0], item[1] = start, end

    def inside(n: int, start: int, end: int) -> list[list]:
        """The spans other than ``out[n]`` in [start, end), for a start at or after ``out[n]``'s end:
        ``out`` is in start order (a span only ever grows over free characters or over the spans
        it swallows), so they follow ``out[n]``, where the list was scanned whole per date."""
        found = []
        for k in range(n + 1, len(out)):
            if out[k][0] >= end:
                break  # spans start at or after ``end`` from here on: none lies inside
            if out[k][0] >= start and out[k][1] <= end:
                found.append(out[k])
        return found

    added = []
    for n, item in enumerate(out):
        s, e, label, _c = item
        if label != "DATE":
            continue
        before = _WORD_BEFORE.search(text[max(0, s - 20):s])
        if before:
            word = before.group(1)
            ws = s - len(before.group(0))
            for k in (0, 1, 2):
                core = normalize(word[k:])
                if k and normalize(word[:k]) not in _PROCLITIC_CHAINS:
                    continue
                if core in words.get("DATE_PREFIX", ()) and free(ws + k, s):
                    grow(item, ws + k, item[1])
                    break
                if core in words.get("DAYPART", ()) and free(ws + k, s):
                    added.append([ws + k, ws + len(word), "TIME", word[k:]])
                    break
        after = _WORD_AFTER.match(text[e:e + 20])
        if after and normalize(after.group(1)) in words.get("DURATION_ADJ", ()) and free(e, e + after.end()):
            grow(item, item[0], e + after.end())
        # 13 فبراير (شباط) 2018: the month's other name in brackets, then the year
        alias = _MONTH_ALIAS_YEAR.match(text, item[1])
        if alias and normalize(alias.group(1)) in _month_words():
            inner = inside(n, item[1], alias.end())
            if all(o[2] in ("DATE", "CARDINAL") for o in inner):
                for o in inner:
                    o[2] = None  # swallowed
                grow(item, item[0], alias.end())
                if re.fullmatch(r"\d{4}(-\d\d){0,2}", item[3]):
                    item[3] = alias.group(2) + item[3][4:]
        # مطلع يوليو/تموز: the month's other name after a slash
        slash = _MONTH_SLASH.match(text, item[1])
        if slash:
            names = [w for w in (slash.group(1), slash.group(1).split(" ")[0])
                     if tuple(normalize(w).split()) in _month_names()]
            slash_end = slash.start(1) + len(names[0]) if names else 0
            inner = inside(n, item[1], slash_end)
            if names and all(o[2] == "DATE" for o in inner):
                for o in inner:
                    o[2] = None
                grow(item, item[0], slash_end)
        # 3 أغسطس الجاري: the month's own "current / next / last"
        tail = _WORD_AFTER.match(text[item[1]:item[1] + 20])
        last = normalize(text[item[0]:item[1]].split()[-1]) if text[item[0]:item[1]].split() else ""
        if (tail and normalize(tail.group(1)) in _MONTH_TAILS and last in _month_words()
                and free(item[1], item[1] + tail.end())):
            grow(item, item[0], item[1] + tail.end())
    out = [o for o in out if o[2] is not None]
    out = sorted(out + added)
    joined: list[list] = []
    for item in out:
        prev = joined[-1] if joined else None
        if (prev and prev[2] == "DATE" and item[2] == "DATE"
                and normalize(text[prev[1]:item[0]]) == " من "):
            prev[1] = item[1]
            prev[3] = text[prev[0]:prev[1]]
            continue
        joined.append(item)
    return [tuple(k) for k in joined]
