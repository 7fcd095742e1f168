"""Meeting events (ACE 2005 Contact:Meet, CAMEO 040) found by rules in an article body.

``extract_events(body_text, entities, published) -> list[event dict]`` is a pure function: the body
text, its entity mentions (``{id, start, end, text, label, canonical, source}``, offsets into
``body_text``) and the publication date (or None) go in; event dicts shaped exactly as
``schema/document.schema.json#/$defs/event`` come out, ids ``E1``, ``E2``… in text order, tagged
``source = "auto:meet_rules@3"`` (:data:`SOURCE`).

The stages, in order (each a function below):

1. **Triggers** (:func:`_find_triggers`). The words of ``data/event_triggers.tsv`` are matched on
   :mod:`akhbar.normalize`'s view, proclitics (و ف ب ك ل, وب، ول، لل …) allowed and left outside the
   trigger span. A word inside a non-EVENT entity (منظمة المؤتمر الإسلامي) is no trigger.
2. **Mentions** (:func:`_mentions`). A support verb (عقد، انعقد، نظم، ترأس، استضاف، احتضن) is bound to
   the nearest meeting noun of its clause, else to one a few words after it in the sentence (over a
   fronted date or place: استضاف في 26 يونيو 2018 بالرباط، أشغال الاجتماع), else, in a clause opened by
   الذي/التي, to the last one of the clause before; it lends the noun its tense and its arguments,
   and the noun stays the trigger. ``عقد`` alone never triggers (عقد عمل is a contract). A
   mention counts only when its sentence names officials (an ``official`` cue of
   ``data/events_cues.tsv``: ministers, delegations, the coalition, political directors, states;
   for a meeting verb such as التقى also a named person, unless a sport cue is in the sentence);
   an ambiguous noun (لقاء، قمة، مؤتمر) is dropped in a sentence with a sport, price or weather cue
   or when a ``not_after`` word follows it (مؤتمر صحفي، قمة الدوري). A plural (اجتماعات) without its
   own date or place is generic and dropped. A mention without officials in its sentence and
   without a date or place of its own (وشكل هذا الاجتماع فرصة…) may still join an event already
   found, never start one. Receptions count (استقبل الملك … في مكة المكرمة: heads of state and
   their titles are officials too), and so do talks: a ``verb_with`` trigger (بحث، يبحث) followed
   by a ``partner`` cue (مع) within a few words, in a sentence without a ``phone`` cue (اتصال
   هاتفي). A meeting that did not happen is none: a ``negation`` cue
   right before the trigger or its support verb (لم يعقد، لن يلتقي) or a ``cancelled`` one before
   the trigger (إلغاء الاجتماع); the schema's realis has no "negated".
3. **Arguments** of each mention, read in its *clause scope*: the trigger's clause, plus a clause
   before it when the trigger's clause opens with a relative pronoun, plus neighbouring clauses that
   open with a continuation word (وذلك، في، يوم، أمس، بحضور، عبر …). The text after a purpose or
   topic word (لبحث، من أجل، ضد، لمحاربة …) to the end of its clause (or to a circumstance phrase:
   بحضور، بمشاركة) is the meeting's subject, never its place, date or members.

   - *date*: the date expression (:func:`akhbar.dates.find_dates`) nearest to the trigger in the
     clause scope, not right after منذ/قبل/بعد/خلال…, resolved with :func:`akhbar.dates.resolve`
     against ``published``. ``date_basis`` is "explicit" when the text states day, month and year,
     "published" when the publication date fixed the rest, None when unresolved (no publication
     date for أمس, or only a month: ``يونيو 2018``); ``date_text`` keeps the expression even then, so
     the pipeline can date it later from a duplicate's publication date. The extractor asks
     :func:`akhbar.dates.find_dates` for *open* dates too: a bare weekday (يوم الأربعاء، مساء
     الثلاثاء) is fixed once the mention's realis is known (:func:`_fix_weekday`): the last such
     weekday on or before the publication date for a meeting held, the next one on or after it for
     a planned one or one told in the present tense with no other realis evidence; ``الشهر المقبل/الماضي`` gives a month (no day, no key date, but a realis);
     Hijri dates are converted (tabular calendar). Eastern digits read as Western ones.
   - *weekday check*: when the text states a weekday that disagrees with the resolved day, a date
     fixed only through the publication date (أمس الأربعاء, 6 فبراير without a year) is dropped
     (``date`` and ``date_basis`` None, ``date_text`` kept): the disagreement shows the reference
     day is wrong (a page published after midnight, a wrong site date), and a wrong date would give
     a wrong event key. A date the text states in full is kept: its numbers outweigh a weekday typo.
   - *place*: the GPE/LOC/FAC entity introduced by a preposition of place (في واشنطن، بالرباط،
     بمدينة مراكش، في العاصمة X; coordination carries it: في العراق وسوريا) nearest to the trigger,
     one after the trigger preferred; else the GPE next to a hosting verb (احتضنت الرباط). A
     facility (FAC: مقر وزارة الخارجية) gives way to its city where the text says it
     (:func:`_city_of_facility`): a place introduced after it in its clause (… في عمّان), else,
     for a meeting stating no year, the dateline city opening the body (عمّان - ) or the city the
     first sentence's visitor arrives in (وصل … إلى بيروت).
   - *virtual* (عبر تقنية التناظر المرئي، عن بعد، افتراضي …): then ``place`` is None.
   - *participants*: PERS/ORG/GPE entities of the trigger's sentence, cut at a complementizer (أن،
     إن، حيث: what follows is what was said, not who met), minus places, adversaries (داعش …),
     topic text and quotes that do not hold the trigger.
   - *attendance*: a count after an attendance cue (حضور، بمشاركة، ممثلي …): ``79 بلدا`` → 79,
     ``أكثر من ثمانين دولة`` → 80 ("more than N" is read as N). Coalition size (يضم 83 شريكا،
     المكون من 79 عضوا) is no attendance.
   - *realis*: the tense of the trigger or its support verb (اجتمع/سيجتمع), else a date that points
     back or ahead (أمس، الخميس الماضي / غدا، فبراير المقبل), else the nearest realis cue word of the
     scope (تم، اختتم → actual; من المقرر، سوف → planned), else the resolved date against the
     publication date, else "actual". An ``intent`` cue up to three words before the trigger or
     its support verb (اتفق الوزيران على عقد اجتماع، قرر، يعتزم، على أن يعقد) or a
     ``hypothetical`` one right before it (إذا عقد، في حال انعقاد) makes it planned whatever the
     verb's tense.
   - *subtype*: cues of the scope, most specific first: المجموعة المصغرة → small_group_ministerial,
     المديرين/المدراء السياسيين → political_directors, قمة or leaders → summit, ثنائي/نظيره →
     bilateral, الوزاري/وزراء الخارجية → ministerial; else "other".

4. **Lead** (:func:`_lead_mention`). A news lead often states when and where without naming the
   meeting (أكد التحالف…، أمس الأربعاء في واشنطن، أن…). When the first sentence has officials but
   no trigger, its date, place, virtual cue, subtype and participants (up to the first
   complementizer) form an implicit mention, read before every other; the triggers that fit it join
   it (step 5). It never makes an event alone.
5. **Merging** (:func:`_merge`). Mentions are read in order. One that shares a date (or a date and
   the month it falls in), a place (or the country named with it) or the virtual mode with an
   earlier event, and contradicts it in nothing (date, place, virtual mode, subtype family, tense
   or relative date), joins it. Any other compatible one (هذا الاجتماع، الاجتماع الذي…، وسيجتمع التحالف، وانعقد الاجتماع
   في مراكش) joins the most mentioned compatible event, unless it marks another meeting (آخر
   اجتماع، الاجتماع السابق، الاجتماع المقبل: ``other_meeting`` cues; a meeting on the sidelines of another, below)
   or states a year of its own
   without sharing it (news date the meeting they report relatively, أمس الأربعاء; a stated year
   is background: كان آخرها الاجتماع الذي انعقد في 12 يوليوز 2018); a demonstrative (هذا
   الاجتماع) overrides both. Anything else is a new event. An event keeps the
   best value of each argument across its mentions (a full explicit date before a published-based
   one, the first place, the union of participants, the strongest realis evidence) and the trigger
   of its first mention. A meeting held *on the sidelines* of another (وعلى هامش الاجتماع، التقى
   حسين نظيره) is a meeting of its own, joined only by a demonstrative, with the place and day of
   the meeting it names (:func:`_place_sidelines`); that meeting noun is no support verb's object.
   A sentence opening with كما right after one reports one more on the same sidelines.
6. **Role**. "main" is the event the lead joined, else the event of the first trigger when that
   trigger is in the first paragraph, else the most mentioned event if mentioned twice or more;
   every other event is "mentioned".
7. **Headline** (:func:`_complete_from_headline`). Event offsets point into ``body_text``, so a
   meeting only the headline names cannot be stored; the headline (when the caller passes it and
   it names a meeting) only completes the main event: its date when the body gives none, its
   tense or realis cue when the body gives no realis evidence. The dateline is read as the
   body's first words (place, stage 3).

**Event key** (:func:`event_key`): ``Contact.Meet|<date or unknown-date>|<place>`` where place is
the canonical name of the place entity, ``virtual`` for an online meeting, or ``unknown-place``.
Dates are resolved calendar days and places canonical names, so two documents reporting the same
meeting (``أمس الأربعاء في واشنطن`` published 2019-02-07, ``يوم 6 فبراير 2019 بالعاصمة واشنطن``)
get the same key whatever their wording, and :mod:`akhbar.links` links them. A month-only date
(``يونيو 2018``) gives ``unknown-date``: a key must not claim a day the text does not state.

For curated events the pipeline calls :func:`complete_event` (adds ``date_basis`` and
``event_key``), and :func:`event_key` again when it dates an event from a duplicate.

Tunable numbers live in :class:`EventConfig`; word lists in ``data/event_triggers.tsv``,
``data/events_cues.tsv`` and ``data/events_numbers.tsv``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from akhbar.dates import DateMention, find_dates, resolve
from akhbar.lexicon import rows
from akhbar.normalize import normalize, normalize_with_offsets, view_span_to_text

ANNOTATOR = "meet_rules"
VERSION = "3"
SOURCE = f"auto:{ANNOTATOR}@{VERSION}"
EVENT_TYPE = "Contact.Meet"

# Cue kinds for subtypes, most specific first.
_SUBTYPE_PRIORITY = ("small_group_ministerial", "political_directors", "summit", "bilateral", "ministerial")
# Subtypes that may describe the same meeting (a small-group meeting is also ministerial).
_SUBTYPE_FAMILY = {"small_group_ministerial": "ministerial", "ministerial": "ministerial"}

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PARTICIPANT_LABELS = frozenset({"PERS", "ORG", "GPE"})

_NOUN_CLASSES = frozenset({"noun", "noun_ambiguous", "noun_plural"})
_SUPPORT_CLASSES = frozenset({"support", "support_or_trigger", "host"})
_CLASSES = _NOUN_CLASSES | _SUPPORT_CLASSES | {"verb", "verb_with"}
_REALIS = {"actual", "planned", "-"}

_PROCLITICS = ("وب", "ول", "فب", "فل", "وك", "فك", "و", "ف", "ب", "ك", "ل")
_LIGHT_PROCLITICS = ("و", "ف")
# Kinds of cue that may carry any proclitic (للتحالف); structural words only و/ف (كذلك is no ذلك).
_FULL_PROCLITIC_KINDS = frozenset({"official", "negative", "ministerial", "small_group_ministerial",
                                   "political_directors", "summit", "bilateral", "virtual", "adversary"})
_SENTENCE_END = frozenset("\n.!?؟…")
# After a dateline's city: an optional agency in brackets, then a dash (الرياض (واس) - ).
_DATELINE_DASH = re.compile(r"\s*(?:\([^()]{1,20}\)\s*)?[-–—ـ]")
# The preposition before the city a visitor arrives in: إلى بيروت، الى عمان.
_ARRIVAL_TO = re.compile(r"الي")
_CLAUSE_END = frozenset("،,؛;:")
_QUOTES = {'"': '"', "“": "”", "«": "»", "”": "“"}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class EventConfig:
    """The tunable numbers of the extractor.

    ``support_window``: at most this many words between a support verb and the meeting noun it
    governs (عقد وزراء خارجية دول التحالف الدولي اجتماعا: 6). ``continuation_clauses``: how many
    clauses after (or before) the trigger's clause a continuation word may add to its scope.
    ``attendance_window``: at most this many words between an attendance cue and the count.
    ``before_penalty``: a place before the trigger counts as this many times farther than one after.
    ``partner_window``: at most this many words between a talks verb (بحث) and its partner (مع).
    """

    support_window: int = 8
    continuation_clauses: int = 2
    attendance_window: int = 4
    before_penalty: float = 2.0
    partner_window: int = 10


DEFAULT_CONFIG = EventConfig()


# --- lexicons -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _TriggerForm:
    words: tuple[str, ...]
    realis: str
    cls: str


@cache
def _trigger_lexicon() -> dict[str, tuple[_TriggerForm, ...]]:
    """First word of the normalised form → its forms, longest first."""
    table: dict[str, list[_TriggerForm]] = defaultdict(list)
    for n, row in enumerate(rows("event_triggers.tsv")):
        if len(row) < 3 or row[1] not in _REALIS or row[2] not in _CLASSES:
            raise ValueError(f"event_triggers.tsv row {n + 1} {row!r}: want form<TAB>realis<TAB>class, "
                             f"realis one of {sorted(_REALIS)}, class one of {sorted(_CLASSES)}")
        words = tuple(normalize(row[0]).split())
        table[words[0]].append(_TriggerForm(words, row[1], row[2]))
    return {k: tuple(sorted(v, key=lambda f: -len(f.words))) for k, v in table.items()}


@cache
def _cue_lexicon() -> dict[str, dict[str, tuple[tuple[str, ...], ...]]]:
    """kind → first word → cue word tuples, longest first."""
    table: dict[str, dict[str, list[tuple[str, ...]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows("events_cues.tsv"):
        words = tuple(normalize(row[0]).split())
        table[row[1]][words[0]].append(words)
    return {kind: {k: tuple(sorted(v, key=len, reverse=True)) for k, v in firsts.items()}
            for kind, firsts in table.items()}


@cache
def _adversaries() -> frozenset[str]:
    """Normalised canonical names that are never participants."""
    return frozenset(" ".join(words) for firsts in _cue_lexicon().get("adversary", {}).values() for words in firsts)


@cache
def _number_words() -> dict[str, tuple[int, str]]:
    return {normalize(word): (int(value), kind) for word, value, kind in rows("events_numbers.tsv")}


def _is_cue_word(kind: str, word: str) -> bool:
    """Whether ``word`` (normalised, no proclitic) is a one-word cue of ``kind``."""
    return (word,) in _cue_lexicon().get(kind, {}).get(word, ())


# The per-word lookups below are memoised by word form: a page repeats its words and the corpus
# its vocabulary, and these are pure functions of the form. The bound keeps memory flat.
_FORM_CACHE = 1 << 14


@lru_cache(maxsize=_FORM_CACHE)
def _variants(form: str, full: bool) -> tuple[tuple[str, int], ...]:
    """``(stem, proclitic length)`` readings of one view word: as is, then without proclitics."""
    out = [(form, 0)]
    for p in (_PROCLITICS if full else _LIGHT_PROCLITICS):
        if form.startswith(p) and len(form) - len(p) >= 2:
            out.append((form[len(p):], len(p)))
    if full:
        for p in ("", "و", "ف"):  # لل = ل + ال: only the preposition is outside (للاجتماع → لاجتماع)
            if form.startswith(p + "لل") and len(form) - len(p) > 3:
                out.append(("ال" + form[len(p) + 2:], len(p) + 1))
    return tuple(out)


@lru_cache(maxsize=_FORM_CACHE)
def _cue_candidates(form: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(kind, cue words)`` of every cue that may start at a word of this form: its first word is
    one of the form's readings, with a proclitic only for the kinds that allow any."""
    lexicon = _cue_lexicon()
    light = {stem for stem, _ in _variants(form, False)}
    return tuple((kind, words)
                 for stem, _plen in _variants(form, True)
                 for kind, table in lexicon.items()
                 if stem in table and (stem in light or kind in _FULL_PROCLITIC_KINDS)
                 for words in table[stem])


@lru_cache(maxsize=_FORM_CACHE)
def _trigger_candidates(form: str) -> tuple[tuple[int, tuple[_TriggerForm, ...]], ...]:
    """``(proclitic length, trigger forms)`` for each reading of this form that starts a trigger."""
    lexicon = _trigger_lexicon()
    return tuple((plen, lexicon[stem]) for stem, plen in _variants(form, True) if stem in lexicon)


# --- the document view ----------------------------------------------------------------------------

class _Token(NamedTuple):  # a NamedTuple: built ~400 times per page, cheaper than a frozen dataclass
    index: int
    vstart: int
    vend: int
    start: int  # text offsets, end-exclusive
    end: int
    form: str  # the normalised view of the word
    clause: int
    sentence: int


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    sentence: int
    colon: bool  # ends with ":" (what follows is a quotation)
    first_token: int  # index of its first token, or -1 when it has none
    last_token: int


class _Regions:
    """Text ranges [start, end) with a lookup of those that overlap a range.

    A region overlapping [lo, hi) starts after ``lo - longest`` (``longest``: the longest
    region's length; regions here lie within a sentence), so only the regions starting in
    (lo - longest, hi) are looked at, found by bisection: the list scanned whole per mention made
    the meeting extractor O(page) per mention.
    """

    def __init__(self, regions: list[tuple[int, int]]):
        self.regions = regions
        self.order = sorted(range(len(regions)), key=lambda n: regions[n][0])
        self.starts = [regions[n][0] for n in self.order]
        self.longest = max((e - s for s, e in regions), default=0)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The regions with start < hi and lo < end, in list order."""
        a = bisect.bisect_right(self.starts, lo - self.longest)
        b = bisect.bisect_left(self.starts, hi)
        return [self.regions[n] for n in sorted(self.order[a:b])
                if self.regions[n][0] < hi and lo < self.regions[n][1]]


class _Doc:
    """body_text with its view, words, sentences, clauses, entities, dates and cue matches."""

    def __init__(self, text: str, entities: list[dict], published: dt.date | None):
        self.text = text
        self.published = published
        self.hits_per_sentence: dict[int, int] = {}  # meeting words per sentence, set by _mentions
        self.meeting_nouns: list[int] = []  # token index of every meeting noun (اجتماع), set by _mentions
        self.view, self.origin = normalize_with_offsets(text)
        self.sentences, self.clauses = _split(text)
        origin, clauses = self.origin, self.clauses
        tokens = []
        clause = 0  # words come in text order: the clause index only moves forward
        for match in _WORD.finditer(self.view):
            vstart, vend = match.span()
            start, end = origin[vstart], origin[vend - 1] + 1  # view_span_to_text, inlined
            if end < len(text) and text[end] != " ":  # a space, most often: no mark to skip
                end = _extend_over_marks(text, end)
            while clause + 1 < len(clauses) and clauses[clause + 1].start <= start:
                clause += 1
            tokens.append(_Token(len(tokens), vstart, vend, start, end, match.group(), clause, clauses[clause].sentence))
        self.tokens = tokens
        self.token_starts = [t.start for t in tokens]
        self.clauses = _with_tokens(self.clauses, tokens)
        self.entities = sorted(entities, key=lambda e: (e["start"], -e["end"]))
        self.entity_starts = [e["start"] for e in self.entities]
        # the same entities by end (their indexes in self.entities), for entities_ending_in
        self.by_end = sorted(range(len(self.entities)), key=lambda n: self.entities[n]["end"])
        self.entity_ends = [self.entities[n]["end"] for n in self.by_end]
        self.dates = find_dates(text, open_dates=True)
        self.date_starts = [d.start for d in self.dates]
        self.cues = _cue_hits(tokens)
        self.quotes = _quote_regions(text, self.sentences)
        self.topics = self._topic_regions()
        self.quote_index, self.topic_index = _Regions(self.quotes), _Regions(self.topics)
        self._covered: dict[str, frozenset[int]] = {}
        self._canonical_by_id: dict[str, str] | None = None
        self.home_city = self._home_city()

    # words and positions
    def token_at(self, pos: int) -> int | None:
        """Index of the word that holds text offset ``pos``."""
        i = bisect.bisect_right(self.token_starts, pos) - 1
        if i >= 0 and self.tokens[i].start <= pos < self.tokens[i].end:
            return i
        return None

    def tokens_in(self, start: int, end: int) -> range:
        lo = bisect.bisect_left(self.token_starts, start)
        hi = bisect.bisect_left(self.token_starts, end)
        return range(lo, hi)

    def cue_at(self, kind: str, i: int) -> int:
        """Length in words of the ``kind`` cue starting at word ``i`` (0 when none)."""
        return self.cues.get(kind, {}).get(i, 0)

    def cue_in(self, kind: str, lo: int, hi: int) -> list[int]:
        """Word indexes in [lo, hi) where a ``kind`` cue starts."""
        starts = self.cues.get(kind)
        if not starts:
            return []
        if len(starts) < hi - lo:
            return sorted(i for i in starts if lo <= i < hi)
        return [i for i in range(lo, hi) if i in starts]

    def covered(self, kind: str) -> frozenset[int]:
        """Word indexes inside a ``kind`` cue (made once per kind: the cues do not change, and
        rebuilding the set on every call cost O(page) per number read)."""
        if kind not in self._covered:
            self._covered[kind] = frozenset(k for i, n in self.cues.get(kind, {}).items() for k in range(i, i + n))
        return self._covered[kind]

    def starts_with(self, clause: int, kind: str) -> bool:
        first = self.clauses[clause].first_token
        return first >= 0 and bool(self.cue_at(kind, first))

    def entities_in(self, start: int, end: int) -> list[dict]:
        """Entities starting in text range [start, end)."""
        return self.entities[bisect.bisect_left(self.entity_starts, start):bisect.bisect_left(self.entity_starts, end)]

    def canonical_by_id(self) -> dict[str, str]:
        """Entity id → canonical name (the last entity with that id wins), made once."""
        if self._canonical_by_id is None:
            self._canonical_by_id = {e["id"]: e["canonical"] for e in self.entities}
        return self._canonical_by_id

    def entities_ending_in(self, lo: int, hi: int) -> list[dict]:
        """Entities whose end is in [lo, hi] (both included), in the order of ``self.entities``:
        found by bisection where a scan of every entity cost O(page) per call."""
        a = bisect.bisect_left(self.entity_ends, lo)
        b = bisect.bisect_right(self.entity_ends, hi)
        return [self.entities[n] for n in sorted(self.by_end[a:b])]

    def meeting_noun_in(self, lo: int, hi: int) -> bool:
        """Whether a meeting noun is at a word index in [lo, hi). ``meeting_nouns`` is in word
        order (triggers are found left to right), so bisection answers, not a scan of them all."""
        i = bisect.bisect_left(self.meeting_nouns, lo)
        return i < len(self.meeting_nouns) and self.meeting_nouns[i] < hi

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        """Date expressions starting in text range [start, end)."""
        return self.dates[bisect.bisect_left(self.date_starts, start):bisect.bisect_left(self.date_starts, end)]

    def in_date(self, pos: int) -> bool:
        """Whether text offset ``pos`` is inside a date expression (اجتماع الأربعاء الماضي)."""
        i = bisect.bisect_right(self.date_starts, pos) - 1
        return i >= 0 and pos < self.dates[i].end

    def in_entity(self, pos: int) -> dict | None:
        """The entity whose span holds text offset ``pos`` (the outermost when they nest)."""
        i = bisect.bisect_right(self.entity_starts, pos)
        for e in self.entities[max(0, i - 8):i]:  # flat annotation: a few candidates at most
            if e["start"] <= pos < e["end"]:
                return e
        return None

    def _home_city(self) -> dict | None:
        """The city the article reports from: a dateline opening the body (``عمّان - ``,
        ``الرياض (واس) -``), else the city its first sentence's visitor arrives in
        (``وصل … إلى بيروت``)."""
        first = [e for e in self.entities if e["start"] < self.sentences[0][1] and e["label"] == "GPE"]
        if not first:
            return None
        head = first[0]
        after = self.text[head["end"]:head["end"] + 12]
        if not self.text[:head["start"]].strip() and _DATELINE_DASH.match(after):
            return head
        for e in first:
            i = self.token_at(e["start"])
            if i is not None and i > 0 and _ARRIVAL_TO.fullmatch(normalize(self.text[self.tokens[i - 1].start:e["start"]]).strip()) \
                    and self.cue_in("arrival", 0, i):
                return e
        return None

    def _topic_regions(self) -> list[tuple[int, int]]:
        """[start, end) text ranges that are a meeting's subject: a purpose word to its clause end
        or to a circumstance phrase (بحضور، بمشاركة)."""
        regions = []
        for i in sorted(self.cues.get("purpose", {})):
            token = self.tokens[i]
            if self.in_entity(token.start) is not None:
                continue  # part of a name: التحالف الدولي ضد داعش
            end = self.clauses[token.clause].end
            for j in range(i + 1, self.clauses[token.clause].last_token + 1):
                if self.cue_at("circumstance", j):  # ضد داعش بمشاركة 85 وفدا: back to the meeting
                    end = self.tokens[j].start
                    break
            regions.append((token.start, end))
        for i in sorted(self.cues.get("topic_verb", {})):
            # وتناول الاجتماع التطورات في شمال شرق سوريا: the meeting discussed the place, not met there
            subject = i + self.cues["topic_verb"][i]
            if subject < len(self.tokens) and self.tokens[subject].clause == self.tokens[i].clause and \
                    any(form.cls in _NOUN_CLASSES for _plen, forms in _trigger_candidates(self.tokens[subject].form) for form in forms):
                regions.append((self.tokens[subject].end, self.sentences[self.tokens[i].sentence][1]))
        return regions


def _extend_over_marks(text: str, end: int) -> int:
    """Move ``end`` past combining marks and tatweel that belong to the word (اجتماعاً)."""
    while end < len(text) and (unicodedata.category(text[end]) == "Mn" or text[end] == "\u0640"):
        end += 1
    return end


# Every character that ends a sentence or a clause: the text is scanned for these, not walked.
_BREAKS = re.compile("[" + re.escape("".join(sorted(_SENTENCE_END | _CLAUSE_END))) + "]")


def _split(text: str) -> tuple[list[tuple[int, int]], list[_Clause]]:
    """Sentences and clauses as text ranges. A full stop or comma between digits splits nothing."""
    sentences: list[tuple[int, int]] = []
    clauses: list[_Clause] = []
    s_start = c_start = 0

    def between_digits(i: int) -> bool:
        return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()

    for match in _BREAKS.finditer(text):
        i, ch = match.start(), match.group()
        if ch in _SENTENCE_END and not (ch == "." and between_digits(i)):
            clauses.append(_Clause(c_start, i + 1, len(sentences), False, -1, -1))
            sentences.append((s_start, i + 1))
            s_start = c_start = i + 1
        elif ch in _CLAUSE_END and not (ch == "," and between_digits(i)):
            clauses.append(_Clause(c_start, i + 1, len(sentences), ch == ":", -1, -1))
            c_start = i + 1
    clauses.append(_Clause(c_start, len(text), len(sentences), False, -1, -1))
    sentences.append((s_start, len(text)))
    return sentences, clauses


def _with_tokens(clauses: list[_Clause], tokens: list[_Token]) -> list[_Clause]:
    """The clauses with the indexes of their first and last words."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for t in tokens:
        first.setdefault(t.clause, t.index)
        last[t.clause] = t.index
    return [_Clause(c.start, c.end, c.sentence, c.colon, first.get(n, -1), last.get(n, -1))
            for n, c in enumerate(clauses)]


def _cue_hits(tokens: list[_Token]) -> dict[str, dict[int, int]]:
    """kind → word index → length of the longest cue of that kind starting there (within a sentence)."""
    hits: dict[str, dict[int, int]] = defaultdict(dict)
    for i, token in enumerate(tokens):
        for kind, words in _cue_candidates(token.form):
            j = i + len(words)
            if j <= len(tokens) and tokens[j - 1].sentence == token.sentence and \
                    all(tokens[i + k].form == w for k, w in enumerate(words[1:], 1)):
                hits[kind][i] = max(hits[kind].get(i, 0), len(words))
    return dict(hits)


_QUOTE_MARKS = re.compile("[" + "".join(sorted(set(_QUOTES) | set(_QUOTES.values()))) + "]")


def _quote_regions(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quoted stretches, paired within a sentence; an unclosed quote runs to the sentence end."""
    regions = []
    for s, e in sentences:
        open_at, closer = None, None
        for match in _QUOTE_MARKS.finditer(text, s, e):  # only the quote marks change the state
            i, ch = match.start(), match.group()
            if open_at is None and ch in _QUOTES:
                open_at, closer = i, _QUOTES[ch]
            elif open_at is not None and ch == closer:
                regions.append((open_at, i + 1))
                open_at = None
        if open_at is not None:
            regions.append((open_at, e))
    return regions


# --- mentions ------------------------------------------------------------------------------------

@dataclass
class _Hit:
    lo: int  # word range [lo, hi)
    hi: int
    plen: int  # proclitic length in the first word's view
    form: _TriggerForm


@dataclass
class _Mention:
    trigger: tuple[int, int] | None  # text span, None for the lead's implicit mention
    lo: int  # word range of trigger plus support verbs
    hi: int
    sentence: int
    cls: str
    merge_only: bool = False
    anaphoric: bool = False
    distinct: bool = False  # another meeting: آخر اجتماع، الاجتماع السابق، الاجتماع المقبل
    date: DateMention | None = None
    date_value: str | None = None  # as much of the ISO date as is fixed, for merging
    date_iso: str | None = None
    date_basis: str | None = None
    place: dict | None = None
    place_set: frozenset[str] = frozenset()
    virtual: bool = False
    participants: list[dict] = field(default_factory=list)
    attendance: int | None = None
    subtype: str | None = None
    realis: str | None = None
    realis_strength: int = 0  # 3 tense of trigger or support, 2 relative date, 1 cue word, 0 none
    sidelines_of: int | None = None  # word index of the meeting noun after على هامش: held beside it

    @property
    def position(self) -> int:
        return self.trigger[0] if self.trigger else -1

    @property
    def bare(self) -> bool:
        return self.date_value is None and not self.place_set and not self.virtual

    @property
    def dated(self) -> bool:
        """States a year: news date their own meeting relatively (أمس), a stated year marks history."""
        return self.date is not None and self.date.year is not None


def _find_triggers(doc: _Doc) -> list[_Hit]:
    """Every lexicon match, longest first at each word, outside non-EVENT entities."""
    hits: list[_Hit] = []
    i = 0
    while i < len(doc.tokens):
        token = doc.tokens[i]
        best: _Hit | None = None
        for plen, forms in _trigger_candidates(token.form):
            for form in forms:
                j = i + len(form.words)
                if j <= len(doc.tokens) and all(doc.tokens[i + k].form == w for k, w in enumerate(form.words[1:], 1)):
                    if best is None or j > best.hi:
                        best = _Hit(i, j, plen, form)
            if best is not None:
                break
        if best is not None:
            inside = doc.in_entity(token.start + best.plen)
            if inside is None or inside["label"] == "EVENT":
                hits.append(best)
            i = best.hi
        else:
            i += 1
    return hits


def _trigger_span(doc: _Doc, hit: _Hit) -> tuple[int, int]:
    first, last = doc.tokens[hit.lo], doc.tokens[hit.hi - 1]
    start, _ = view_span_to_text(doc.origin, first.vstart + hit.plen, first.vend)
    return start, last.end


def _bind_supports(doc: _Doc, hits: list[_Hit], cfg: EventConfig) -> tuple[dict[int, list[_Hit]], list[_Hit]]:
    """Support verbs → the meeting noun each governs (by index in ``hits``); the unbound ones."""
    # A noun after على هامش is a preposition's object, never a verb's (سيترأس، على هامش الاجتماع، لقاء).
    nouns = [n for n, h in enumerate(hits) if h.form.cls in _NOUN_CLASSES
             and doc.cue_at("sidelines", h.lo - 2) != 2]
    # The nouns of each clause and of each sentence, in the order of ``nouns``: a verb only ever
    # looks at those of its own clause or sentence (or the clause before), where a scan of every
    # noun per verb cost O(page) per verb.
    by_clause: dict[int, list[int]] = defaultdict(list)
    by_sentence: dict[int, list[int]] = defaultdict(list)
    for n in nouns:
        by_clause[doc.tokens[hits[n].lo].clause].append(n)
        by_sentence[doc.tokens[hits[n].lo].sentence].append(n)
    bound: dict[int, list[_Hit]] = defaultdict(list)
    unbound: list[_Hit] = []
    for hit in hits:
        if hit.form.cls not in _SUPPORT_CLASSES:
            continue
        clause = doc.tokens[hit.lo].clause
        same = [n for n in by_clause.get(clause, ())
                if min(abs(hits[n].lo - hit.hi), abs(hit.lo - hits[n].hi)) <= cfg.support_window]
        if not same:
            # fronted adverbials between verb and object: احتضنت مراكش، أمس الأربعاء، الاجتماع
            same = [n for n in by_sentence.get(doc.tokens[hit.lo].sentence, ())
                    if 0 <= hits[n].lo - hit.hi <= cfg.support_window]
        if not same and doc.starts_with(clause, "relative") and clause > 0 \
                and doc.clauses[clause - 1].sentence == doc.clauses[clause].sentence:
            same = by_clause.get(clause - 1, [])[-1:]  # الاجتماع، الذي انعقد: the last noun before the relative
        if same:
            target = min(same, key=lambda n: min(abs(hits[n].lo - hit.hi), abs(hit.lo - hits[n].hi)))
            bound[target].append(hit)
        else:
            unbound.append(hit)
    return bound, unbound


def _mentions(doc: _Doc, cfg: EventConfig) -> list[_Mention]:
    """Mentions of meetings, with their arguments, in text order (the lead's implicit one first)."""
    hits = [hit for hit in _find_triggers(doc) if hit.form.cls != "verb_with" or _talks(doc, hit, cfg)]
    for hit in hits:
        if hit.form.cls in _NOUN_CLASSES or hit.form.cls in ("verb", "verb_with", "support_or_trigger", "host"):
            s = doc.tokens[hit.lo].sentence
            doc.hits_per_sentence[s] = doc.hits_per_sentence.get(s, 0) + 1
            if hit.form.cls in _NOUN_CLASSES:
                doc.meeting_nouns.append(hit.lo)
    bound, unbound = _bind_supports(doc, hits, cfg)
    out: list[_Mention] = []
    candidates: list[tuple[_Hit, list[_Hit]]] = []
    for n, hit in enumerate(hits):
        if hit.form.cls in _NOUN_CLASSES or hit.form.cls in ("verb", "verb_with"):
            candidates.append((hit, bound.get(n, [])))
    for hit in unbound:
        if hit.form.cls == "support_or_trigger":
            candidates.append((hit, []))
        elif hit.form.cls == "host":
            clause_end = doc.clauses[doc.tokens[hit.lo].clause].last_token + 1
            if doc.cue_in("official", hit.hi, clause_end):  # تستضيف واشنطن وزراء خارجية التحالف
                candidates.append((hit, []))
    candidates.sort(key=lambda c: c[0].lo)
    for hit, supports in candidates:
        mention = _mention(doc, hit, supports, cfg)
        if mention is not None:
            out.append(mention)
    _also_on_the_sidelines(doc, out)
    lead = _lead_mention(doc, out, cfg)
    return ([lead] if lead else []) + out


def _also_on_the_sidelines(doc: _Doc, mentions: list[_Mention]) -> None:
    """وعلى هامش الاجتماع، التقى حسين نظيره … كما أجرى الوزير لقاء مع بلينكن: a sentence opening with
    كما ("also") right after a meeting on the sidelines reports one more, beside the same meeting."""
    for before, m in zip(mentions, mentions[1:]):
        if before.sidelines_of is None or m.sidelines_of is not None or not m.bare or m.anaphoric:
            continue
        first = doc.tokens_in(*doc.sentences[m.sentence]).start  # the next sentence with words
        if m.sentence > before.sentence and first == doc.tokens_in(*doc.sentences[before.sentence]).stop \
                and first < len(doc.tokens) and doc.cue_at("also", first):
            m.sidelines_of, m.distinct = before.sidelines_of, True


def _talks(doc: _Doc, hit: _Hit, cfg: EventConfig) -> bool:
    """بحث الوزير مع نظيره: a talks verb meets when a partner follows it, and not on the telephone."""
    s_lo, s_hi = _sentence_tokens(doc, doc.tokens[hit.lo].sentence)
    return bool(doc.cue_in("partner", hit.hi, min(s_hi, hit.hi + cfg.partner_window))) \
        and not doc.cue_in("phone", s_lo, s_hi)


def _mention(doc: _Doc, hit: _Hit, supports: list[_Hit], cfg: EventConfig) -> _Mention | None:
    token = doc.tokens[hit.lo]
    sentence = token.sentence
    s_lo, s_hi = _sentence_tokens(doc, sentence)
    cls = hit.form.cls
    official = bool(doc.cue_in("official", s_lo, s_hi)) or (
        # يلتقي البابا فرنسيس: a meeting verb with a named person meets, outside sport (يلتقي الفريق)
        cls in ("verb", "verb_with") and not doc.cue_in("negative", s_lo, s_hi)
        and any(e["label"] == "PERS" for e in doc.entities_in(*doc.sentences[sentence])))
    if cls == "noun_ambiguous":
        if doc.cue_in("negative", s_lo, s_hi) or (hit.hi < s_hi and doc.cue_at("not_after", hit.hi)):
            return None
    lo = min([hit.lo] + [s.lo for s in supports])
    hi = max([hit.hi] + [s.hi for s in supports])
    m = _Mention(trigger=_trigger_span(doc, hit), lo=lo, hi=hi, sentence=sentence, cls=cls)
    before = hit.lo - 1
    m.anaphoric = before >= s_lo and bool(doc.cue_at("anaphor", before))
    near = [i for i in [before] + list(range(hit.hi, min(hit.hi + 2, s_hi))) if i >= s_lo]
    m.distinct = any(doc.cue_at("other_meeting", i) and not doc.in_date(doc.tokens[i].start)
                     and not doc.cue_at("copula", i - 1) for i in near)  # الاجتماع هو الأول: a predicate
    clauses = _clause_scope(doc, lo, hi, cfg)
    scope = (doc.clauses[clauses[0]].start, doc.clauses[clauses[-1]].end)
    _read_arguments(doc, m, scope, _broad_scope(doc, lo, hi), cfg)
    # realis: the tense of the trigger, then of its support verbs (nearest first)
    for h in [hit] + sorted(supports, key=lambda s: abs(s.lo - hit.lo)):
        if h.form.realis != "-":
            m.realis, m.realis_strength = h.form.realis, 3
            break
    if _cue_ends_before(doc, "negation", lo, s_lo, gap=1) or _cue_ends_before(doc, "cancelled", hit.lo, s_lo, gap=1):
        return None  # لم يعقد الاجتماع، إلغاء القمة: no meeting took place (the schema has no negated realis)
    if _cue_ends_before(doc, "intent", lo, s_lo, gap=3) or _cue_ends_before(doc, "hypothetical", lo, s_lo, gap=1):
        m.realis, m.realis_strength = "planned", 3  # اتفقا على عقد اجتماع، إذا عقد الاجتماع
    if cls == "noun_plural" and m.bare:
        return None  # يعقد التحالف اجتماعات منتظمة: generic
    if not official:
        if cls == "noun_ambiguous" or not m.bare:
            return None
        m.merge_only = True
    for host in (s for s in supports + [hit] if s.form.cls == "host"):
        _add_host(doc, m, host)
    if m.place is None and not m.virtual:
        _genitive_place(doc, m, hit)
    if m.place is None or m.date is None:
        _sentence_arguments(doc, m, hit, cfg)
    _city_of_facility(doc, m)
    present = any(h.form.realis == "-" and h.form.cls not in _NOUN_CLASSES for h in [hit] + supports)
    _fix_weekday(m, doc.published, present)
    if _describes_the_reported_meeting(doc, hit, s_lo, s_hi):
        m.anaphoric, m.distinct = True, False
        m.date = m.date_value = m.date_iso = m.date_basis = m.place = None
        m.place_set, m.virtual = frozenset(), False
    _mark_sidelines(doc, m, hit, s_lo, s_hi)
    return m


def _describes_the_reported_meeting(doc: _Doc, hit: _Hit, s_lo: int, s_hi: int) -> bool:
    """في أول اجتماع من هذا المستوى … منذ تأسيس التحالف في شتنبر 2014، ويعد هذا أول اجتماع حضوري منذ
    تفشي الجائحة، الاجتماع هو الأول للتحالف في الخليج: the meeting reported, described as a first;
    the dates and places around it (since when, where never before) are its background."""
    if hit.lo - 1 >= s_lo and doc.cue_at("first", hit.lo - 1) and doc.cue_in("since", hit.hi, s_hi):
        return True
    return hit.hi + 1 < s_hi and bool(doc.cue_at("copula", hit.hi)) and bool(doc.cue_at("first", hit.hi + 1))


def _mark_sidelines(doc: _Doc, m: _Mention, hit: _Hit, s_lo: int, s_hi: int) -> None:
    """وعلى هامش الاجتماع، التقى حسين نظيره: a meeting held beside another, in its sentence, is a
    meeting of its own (never merged with it) whose place and day are the other's (set after
    merging, :func:`_place_sidelines`), not those its clause repeats."""
    for k in doc.cue_in("sidelines", s_lo, s_hi):
        noun = k + doc.cue_at("sidelines", k)
        if doc.meeting_noun_in(noun, noun + 1) and not hit.lo <= noun < hit.hi:
            m.sidelines_of, m.distinct = noun, True
            m.date = m.date_value = m.date_iso = m.date_basis = m.place = None
            m.place_set, m.virtual = frozenset(), False
            return


def _place_sidelines(events: list["_Event"]) -> None:
    """Give each meeting held on the sidelines of another the place and day of that other one."""
    for event in events:
        for m in event.mentions:
            if m.sidelines_of is None:
                continue
            host = next((e for e in events if e is not event
                         and any(x.trigger is not None and x.lo <= m.sidelines_of < x.hi for x in e.mentions)), None)
            if host is None:
                continue
            dated = next((x for basis in ("explicit", "published") for x in host.mentions
                          if x.date_iso and x.date_basis == basis), None) or \
                next((x for x in host.mentions if x.date is not None), None)
            if dated is not None:
                m.date, m.date_value, m.date_iso, m.date_basis = dated.date, dated.date_value, dated.date_iso, dated.date_basis
            placed = next((x for x in host.mentions if x.place is not None or x.virtual), None)
            if placed is not None:
                m.place, m.place_set, m.virtual = placed.place, placed.place_set, placed.virtual


def _genitive_place(doc: _Doc, m: _Mention, hit: _Hit) -> None:
    """اجتماع روما، اجتماع واشنطن في 14 نوفمبر: a city right after the meeting noun is its place."""
    if hit.form.cls not in _NOUN_CLASSES or hit.hi >= len(doc.tokens):
        return
    token = doc.tokens[hit.hi]
    if token.sentence != m.sentence:
        return
    place = doc.in_entity(token.start)
    if place is not None and place["start"] == token.start and place["label"] == "GPE":
        m.place, m.place_set = place, m.place_set | {place["canonical"]}
        m.participants = [p for p in m.participants if p["id"] != place["id"]]


def _sentence_arguments(doc: _Doc, m: _Mention, hit: _Hit, cfg: EventConfig) -> None:
    """A meeting whose clause states no date or place takes the sentence's: all of it when it is
    the sentence's only meeting, what comes before it when it is the first one
    (اختتمت، مساء أمس الأربعاء بمدينة مراكش، أشغال الاجتماع الوزاري ... في أول اجتماع ...)."""
    start, end = doc.sentences[m.sentence]
    if doc.hits_per_sentence.get(m.sentence, 0) > 1:
        s_lo, _s_hi = _sentence_tokens(doc, m.sentence)
        if doc.meeting_noun_in(s_lo, hit.lo):
            return
        end = doc.tokens[hit.lo].start
    probe = _Mention(trigger=m.trigger, lo=m.lo, hi=m.hi, sentence=m.sentence, cls=m.cls)
    _read_arguments(doc, probe, (start, end), (start, end), cfg)
    if m.date is None and probe.date is not None:
        _set_date(m, probe.date, doc.published)
        if probe.realis_strength >= 2 and m.realis_strength < 2:
            m.realis, m.realis_strength = probe.realis, probe.realis_strength
    if m.place is None and probe.place is not None and not m.virtual and not probe.virtual:
        m.place, m.place_set = probe.place, m.place_set | probe.place_set


def _sentence_tokens(doc: _Doc, sentence: int) -> tuple[int, int]:
    start, end = doc.sentences[sentence]
    r = doc.tokens_in(start, end)
    return r.start, r.stop


def _clause_scope(doc: _Doc, lo: int, hi: int, cfg: EventConfig) -> list[int]:
    """Clause indexes describing the meeting of words [lo, hi): its clauses and continuations."""
    first, last = doc.tokens[lo].clause, doc.tokens[hi - 1].clause
    sentence = doc.clauses[first].sentence

    def same(c: int) -> bool:
        return 0 <= c < len(doc.clauses) and doc.clauses[c].sentence == sentence

    if doc.starts_with(first, "relative") and same(first - 1):
        first -= 1  # وزراء الخارجية، الذين اجتمعوا
    for _ in range(cfg.continuation_clauses):
        if same(first - 1) and doc.starts_with(first - 1, "continuation"):
            first -= 1  # بحضور ممثلي 80 دولة، انعقد الاجتماع
        else:
            break
    for _ in range(cfg.continuation_clauses):
        if same(last + 1) and not doc.clauses[last].colon and doc.starts_with(last + 1, "continuation"):
            last += 1  # انعقد الاجتماع، وذلك في مدينة مراكش
        else:
            break
    return list(range(first, last + 1))


def _broad_scope(doc: _Doc, lo: int, hi: int) -> tuple[int, int]:
    """Text range of the trigger's sentence between the complementizers around it."""
    sentence = doc.tokens[lo].sentence
    s_lo, s_hi = _sentence_tokens(doc, sentence)
    start, end = doc.sentences[sentence]
    for i in doc.cue_in("complementizer", s_lo, lo):
        start = doc.tokens[i].end
    for i in doc.cue_in("complementizer", hi, s_hi):
        end = doc.tokens[i].start
        break
    for c in range(doc.tokens[hi - 1].clause, len(doc.clauses)):
        if doc.clauses[c].sentence != sentence or doc.clauses[c].start >= end:
            break
        if doc.clauses[c].colon:
            end = min(end, doc.clauses[c].end)
            break
    return start, end


def _read_arguments(doc: _Doc, m: _Mention, scope: tuple[int, int], broad: tuple[int, int], cfg: EventConfig) -> None:
    """Date, place, virtual, subtype, realis cues, participants and attendance of one mention."""
    anchor = (doc.tokens[m.lo].start, doc.tokens[m.hi - 1].end)
    lo, hi = min(scope[0], broad[0]), max(scope[1], broad[1])
    topics = [r for r in doc.topic_index.overlapping(lo, hi) if not (r[0] <= anchor[0] < r[1])]
    entities = doc.entities_in(lo, hi)

    def in_topic(pos: int) -> bool:
        return any(a <= pos < b for a, b in topics)

    def distance(start: int, end: int) -> float:
        if end <= anchor[0]:
            return (anchor[0] - end) * cfg.before_penalty
        return max(0, start - anchor[1])

    # date
    dates = [d for d in doc.dates_in(*scope) if not in_topic(d.start) and not _blocked(doc, d)
             and not _other_meeting_between(doc, m, d)]
    if dates:
        _set_date(m, min(dates, key=lambda d: abs(distance(d.start, d.end))), doc.published)
    # place
    places = [e for e in entities if e["label"] in PLACE_LABELS and scope[0] <= e["start"] < scope[1]
              and not in_topic(e["start"]) and _locative(doc, e)]
    if places:
        m.place = min(places, key=lambda e: distance(e["start"], e["end"]))
        m.place_set = frozenset(e["canonical"] for e in places)
    w_lo, w_hi = doc.tokens_in(*scope).start, doc.tokens_in(*scope).stop
    # virtual
    if doc.cue_in("virtual", w_lo, w_hi):
        m.virtual, m.place, m.place_set = True, None, frozenset()
    # subtype
    for kind in _SUBTYPE_PRIORITY:
        if any(not in_topic(doc.tokens[i].start) for i in doc.cue_in(kind, w_lo, w_hi)):
            m.subtype = kind
            break
    # realis: a date that points back or ahead (أمس، المقبل), else the nearest cue word
    cues = [(abs(distance(doc.tokens[i].start, doc.tokens[i].end)), kind)
            for kind in ("planned", "actual") for i in doc.cue_in(kind, w_lo, w_hi)]
    if cues:
        m.realis, m.realis_strength = min(cues)[1], 1
    if m.date is not None:
        d = m.date
        kind = "planned" if (d.direction == "next" or (d.relative_days or 0) > 0) else \
               "actual" if (d.direction == "last" or (d.relative_days or 0) < 0) else None
        if kind:
            m.realis, m.realis_strength = kind, 2
    # participants and attendance, in the broad scope
    quotes = [q for q in doc.quote_index.overlapping(lo, hi) if not (q[0] <= anchor[0] < q[1])]
    adversaries = _adversaries()
    seen = set()
    for e in entities:
        if not (broad[0] <= e["start"] < broad[1]) or e["label"] not in PARTICIPANT_LABELS:
            continue
        if in_topic(e["start"]) or any(a <= e["start"] < b for a, b in quotes):
            continue
        if normalize(e["canonical"]) in adversaries or e["canonical"] in seen:
            continue
        if e["label"] in PLACE_LABELS and _locative(doc, e):
            continue
        seen.add(e["canonical"])
        m.participants.append(e)
    b_lo, b_hi = doc.tokens_in(*broad).start, doc.tokens_in(*broad).stop
    m.attendance = _attendance(doc, b_lo, b_hi, in_topic, cfg)


def _other_meeting_between(doc: _Doc, m: _Mention, d: DateMention) -> bool:
    """ويأتي اجتماع مراكش بعد عام من الاجتماع الوزاري في روما في 28 يونيو 2021: a date with another
    meeting noun between it and this mention's words is that meeting's date."""
    i = doc.token_at(d.start)
    if i is None:
        return False
    return doc.meeting_noun_in(m.hi, i) or doc.meeting_noun_in(i + 1, m.lo)


def _blocked(doc: _Doc, d: DateMention) -> bool:
    """منذ عام 2014, قبل 12 يوليوز, بيانهم الصادر في 4 يونيو: the date is not when the meeting was held."""
    i = doc.token_at(d.start)
    if i is None:
        return False
    if any(i - n >= 0 and doc.tokens[i - n].sentence == doc.tokens[i].sentence
           and doc.cue_at("date_blocker", i - n) == n for n in (1, 2)):
        return True
    # منذ تأسيس التحالف في شتنبر 2014: a since-phrase runs a few words, unless a meeting noun starts anew
    for n in range(3, 6):
        k = i - n
        if k >= 0 and doc.tokens[k].sentence == doc.tokens[i].sentence and doc.cue_at("since", k):
            return not doc.meeting_noun_in(k + 1, i)
    return False


def _set_date(m: _Mention, d: DateMention, published: dt.date | None, tense: str | None = None) -> None:
    resolved = resolve(d, published, tense)
    explicit = d.year is not None and d.month is not None and d.day is not None
    m.date = d
    if resolved.date is not None and resolved.weekday_agrees is False and not explicit:
        return  # the stated weekday contradicts the reference day: unresolved (module docstring)
    m.date_value = resolved.value
    m.date_iso = resolved.date
    m.date_basis = None if resolved.date is None else ("explicit" if explicit else "published")


def _bare_weekday(d: DateMention | None) -> bool:
    """يوم الأربعاء، مساء الثلاثاء: a weekday and nothing else to place it in time."""
    return d is not None and d.weekday is not None and d.month is None and d.relative_days is None \
        and d.direction is None and d.year is None


def _fix_weekday(m: _Mention, published: dt.date | None, present: bool = False) -> None:
    """A bare weekday, once the mention's tense is known: the last such day on or before the
    publication date for a meeting held, the next one on or after it for a planned meeting or one
    told in the present tense with no other evidence (يلتقي الوزير يوم الخميس نظيره), else the
    last one (module docstring)."""
    if _bare_weekday(m.date) and m.date_iso is None:
        ahead = m.realis == "planned" or (present and not m.realis_strength)
        _set_date(m, m.date, published, "future" if ahead else "past")


def _cue_ends_before(doc: _Doc, kind: str, lo: int, s_lo: int, gap: int = 0) -> bool:
    """Whether a ``kind`` cue of the trigger's sentence ends right before word ``lo`` (at most
    ``gap`` words between: لم يعقد بعد الاجتماع)."""
    for k in range(max(s_lo, lo - 5), lo):
        n = doc.cue_at(kind, k)
        if n and lo - gap <= k + n <= lo:
            return True
    return False


def _city_of_facility(doc: _Doc, m: _Mention) -> None:
    """A facility (مقر وزارة الخارجية، قصر الصفا) gives way to the city the text puts it in: a
    place of the same clause introduced after it (في مقر وزارة الخارجية في عمّان، بمكة المكرمة);
    for a meeting that states no year of its own, else the dateline city that opens the body
    (عمّان - ) or the city the lead's visitor arrived in (وصل … إلى بيروت)."""
    place = m.place
    if place is None or place["label"] != "FAC":
        return
    i = doc.token_at(place["start"])
    clause = doc.clauses[doc.tokens[i].clause] if i is not None else None
    city = None
    if clause is not None:
        city = next((e for e in doc.entities_in(place["end"], clause.end)
                     if e["label"] in ("GPE", "LOC") and _locative(doc, e)), None)
    if city is None and not m.dated:
        city = doc.home_city
    if city is not None:
        m.place, m.place_set = city, m.place_set | {city["canonical"]}
        m.participants = [p for p in m.participants if p["id"] != city["id"]]


def _locative(doc: _Doc, e: dict) -> bool:
    """Whether a place entity is introduced by a preposition of place (في واشنطن، بالرباط …)."""
    i = doc.token_at(e["start"])
    if i is None:
        return False
    token = doc.tokens[i]
    prefix = normalize(doc.text[token.start:e["start"]])
    if prefix in ("ب", "وب", "فب"):
        return True
    if prefix.endswith("و") and prefix not in ("و",):
        # glued coordination (في العراقوسوريا): the place written just before shares the preposition
        glued = [x for x in doc.entities_ending_in(e["start"] - 1, e["start"] - 1) if x["label"] in PLACE_LABELS]
        return any(_locative(doc, x) for x in glued)
    if prefix not in ("", "و", "ف") or i == 0:
        return False
    prev = doc.tokens[i - 1]
    if prev.sentence != token.sentence:
        return False
    if doc.cue_at("locative_prep", i - 1):
        return True
    if _is_nisba(prev.form) and i >= 2 and doc.tokens[i - 2].sentence == token.sentence:
        prev, i = doc.tokens[i - 2], i - 1  # بالعاصمة الأمريكية واشنطن: skip one adjective
    for stem, plen in _variants(prev.form, True):
        if _is_cue_word("locative_head", stem):
            if prev.form[:plen] in ("ب", "وب", "فب"):
                return True  # بمدينة مراكش
            return i >= 2 and bool(doc.cue_at("locative_prep", i - 2))  # في مدينة مراكش
    if prefix == "و":  # في العراق وسوريا: a coordinated place shares the preposition
        before = doc.entities_ending_in(prev.start, token.start)
        return any(x["label"] in PLACE_LABELS and _locative(doc, x) for x in before)
    return False


def _is_nisba(form: str) -> bool:
    """A definite relational adjective (الأمريكية، المغربي) as it stands after a head noun."""
    return form.startswith("ال") and (form.endswith("يه") or form.endswith("ي")) and len(form) > 4


def _add_host(doc: _Doc, m: _Mention, host: _Hit) -> None:
    """The place entity next to a hosting verb hosts the meeting: its place when none is stated.

    Subject before the verb (المغرب استضاف) or after it, over a head noun and an adjective
    (احتضنت العاصمة الأمريكية واشنطن).
    """
    candidates = [host.lo - 1]
    i = host.hi
    if i < len(doc.tokens) and any(_is_cue_word("locative_head", stem) for stem, _ in _variants(doc.tokens[i].form, False)):
        i += 1
        if i < len(doc.tokens) and _is_nisba(doc.tokens[i].form):
            i += 1
    candidates.append(i)
    near = []
    for i in candidates:
        if 0 <= i < len(doc.tokens) and doc.tokens[i].sentence == m.sentence:
            # the entities starting in the word, by bisection (a scan of them all was O(page))
            near += [e for e in doc.entities_in(doc.tokens[i].start, doc.tokens[i].end) if e["label"] in PLACE_LABELS]
    if not near or m.virtual:
        return
    hosting = near[0]
    m.place_set = m.place_set | {hosting["canonical"]}
    if m.place is None:
        m.place = hosting
        m.participants = [p for p in m.participants if p["id"] != hosting["id"]]


def _attendance(doc: _Doc, lo: int, hi: int, in_topic, cfg: EventConfig) -> int | None:
    """The first count of participants (``79 بلدا`` after حضور …) in words [lo, hi)."""
    for i in range(lo, hi):
        value, j = _number(doc, i, hi)
        if value is None or j >= hi or in_topic(doc.tokens[i].start):
            continue
        if not any(_is_cue_word("attendance_noun", stem) for stem, _ in _variants(doc.tokens[j].form, False)):
            continue
        quantifier = doc.covered("attendance_quantifier")
        k, counted = i - 1, 0  # back to the cue, "أكثر من", "حوالي", "عن" not counted
        while k >= lo and counted < cfg.attendance_window:
            if doc.cue_at("attendance_cue", k):
                return value
            counted += k not in quantifier
            k -= 1
    return None


def _number(doc: _Doc, i: int, hi: int) -> tuple[int | None, int]:
    """A cardinal at word ``i`` (digits, or words such as تسعة وسبعين) → (value, next word index)."""
    form = doc.tokens[i].form
    if form.isdecimal():
        return int(form), i + 1
    words = _number_words()
    if form not in words:
        return None, i
    value, kind = words[form]
    j = i + 1
    if kind == "unit" and j < hi and doc.tokens[j].form.startswith("و") and \
            words.get(doc.tokens[j].form[1:], (0, ""))[1] == "tens":
        value += words[doc.tokens[j].form[1:]][0]
        j += 1
    return value, j


def _lead_mention(doc: _Doc, found: list[_Mention], cfg: EventConfig) -> _Mention | None:
    """The first sentence's when and where, when it names officials but no meeting."""
    if not doc.tokens or any(m.sentence == 0 for m in found):
        return None
    s_lo, s_hi = _sentence_tokens(doc, 0)
    if s_hi <= s_lo or not doc.cue_in("official", s_lo, s_hi):
        return None
    broad = _broad_scope(doc, s_lo, s_lo + 1)
    b_lo, b_hi = doc.tokens_in(*broad).start, doc.tokens_in(*broad).stop
    if b_hi <= b_lo:
        return None
    m = _Mention(trigger=None, lo=b_lo, hi=b_lo + 1, sentence=0, cls="lead")
    _read_arguments(doc, m, broad, broad, cfg)
    _city_of_facility(doc, m)
    _fix_weekday(m, doc.published)
    if m.bare and m.date is None:
        return None
    return m


# --- merging and output ---------------------------------------------------------------------------

def _compatible_dates(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


class _Event:
    def __init__(self, mention: _Mention):
        self.mentions = [mention]

    @property
    def real(self) -> list[_Mention]:
        return [m for m in self.mentions if m.trigger is not None]

    @property
    def first(self) -> int:
        return min(m.position for m in self.mentions)

    def salience(self) -> tuple[int, int]:
        return len(self.mentions), -self.first


class _Summary:
    """What the merge asks of an event's mentions (may a mention join: it conflicts with none of
    them; does it share a date, a place or virtuality with one; how salient is the event),
    gathered as mentions join (they do not change there): the distinct values, a handful, so a
    question costs the same however many mentions the event has (asking every mention made
    :func:`_merge` quadratic on a page of many meetings)."""

    def __init__(self, m: _Mention):
        self.count, self.first = 0, m.position
        self.sidelines = self.virtual = False
        self.date_values: set[str] = set()
        self.place_sets: set[frozenset[str]] = set()
        self.subtypes: set[str] = set()
        self.strong_realis: set[str | None] = set()  # the realis of the mentions of strength >= 2
        self.add(m)

    @classmethod
    def of(cls, mentions: list[_Mention]) -> _Summary:
        summary = cls(mentions[0])
        for m in mentions[1:]:
            summary.add(m)
        return summary

    def add(self, m: _Mention) -> None:
        self.count += 1
        self.first = min(self.first, m.position)
        self.sidelines = self.sidelines or m.sidelines_of is not None
        self.virtual = self.virtual or m.virtual
        if m.date_value:
            self.date_values.add(m.date_value)
        if m.place_set:
            self.place_sets.add(m.place_set)
        if m.subtype:
            self.subtypes.add(m.subtype)
        if m.realis_strength >= 2:
            self.strong_realis.add(m.realis)

    def salience(self) -> tuple[int, int]:
        return self.count, -self.first

    def compatible(self, m: _Mention) -> bool:
        if self.sidelines and not m.anaphoric:
            return False  # a meeting on the sidelines is only ever referred back to (هذا اللقاء)
        if m.date_value and any(not _compatible_dates(m.date_value, d) for d in self.date_values):
            return False
        if m.place_set and any(not (m.place_set & p) for p in self.place_sets):
            return False
        if (m.virtual and self.place_sets) or (self.virtual and m.place_set):
            return False
        family = _SUBTYPE_FAMILY.get(m.subtype, m.subtype)
        if m.subtype and not m.anaphoric and any(s != m.subtype and family != _SUBTYPE_FAMILY.get(s, s)
                                                 for s in self.subtypes):
            return False
        if m.realis_strength >= 2 and any(r != m.realis for r in self.strong_realis):
            return False
        return True

    def shares(self, m: _Mention) -> bool:
        return bool((m.date_value and any(_compatible_dates(m.date_value, d) for d in self.date_values))
                    or any(m.place_set & p for p in self.place_sets) or (m.virtual and self.virtual))


def _merge(mentions: list[_Mention]) -> list[_Event]:
    """Group mentions of the same meeting (rules in the module docstring, stage 5)."""
    events: list[_Event] = []
    summaries: list[_Summary] = []  # summaries[n] answers for events[n] (see _Summary)
    for m in mentions:
        fits = [n for n, summary in enumerate(summaries) if summary.compatible(m)]
        sharing = [n for n in fits if summaries[n].shares(m)]
        if sharing:
            n = max(sharing, key=lambda n: summaries[n].salience())
        elif fits and (m.anaphoric or not (m.distinct or m.dated)):
            n = max(fits, key=lambda n: summaries[n].salience())
        else:
            if not m.merge_only:
                events.append(_Event(m))
                summaries.append(_Summary(m))
            continue
        events[n].mentions.append(m)
        summaries[n].add(m)
    return [e for e in events if e.real]


def _best_date(event: _Event) -> tuple[str | None, str | None, str | None]:
    """(date, date_text, date_basis): a stated full date first, then one fixed by the publication date."""
    for basis in ("explicit", "published"):
        for m in event.mentions:
            if m.date_iso and m.date_basis == basis:
                return m.date_iso, m.date.text, basis
    for m in event.mentions:
        if m.date is not None:
            return None, m.date.text, None
    return None, None, None


def _realis(event: _Event, date: str | None, published: dt.date | None) -> str:
    strongest = max(event.mentions, key=lambda m: (m.realis_strength, -m.position))
    if strongest.realis_strength:
        return strongest.realis
    if date and published:
        day = dt.date.fromisoformat(date)
        if day > published:
            return "planned"
    return "actual"


def _to_dict(event: _Event, n: int, role: str, doc: _Doc) -> dict:
    first = min(event.real, key=lambda m: m.position)
    date, date_text, basis = _best_date(event)
    virtual = any(m.virtual for m in event.mentions)
    place = None if virtual else next((m.place for m in event.mentions if m.place is not None), None)
    participants: dict[str, dict] = {}
    for m in event.mentions:
        for p in m.participants:
            if place is not None and (p["id"] == place["id"] or p["canonical"] == place["canonical"]):
                continue
            if p["canonical"] not in participants or p["start"] < participants[p["canonical"]]["start"]:
                participants[p["canonical"]] = p
    subtypes = {m.subtype for m in event.mentions if m.subtype}
    subtype = next((s for s in _SUBTYPE_PRIORITY if s in subtypes), "other")
    start, end = first.trigger
    record = {
        "id": f"E{n}",
        "type": EVENT_TYPE,
        "subtype": subtype,
        "trigger": {"start": start, "end": end, "text": doc.text[start:end]},
        "date": date,
        "date_text": date_text,
        "date_basis": basis,
        "realis": _realis(event, date, doc.published),
        "place": place["id"] if place else None,
        "virtual": virtual,
        "participants": [p["id"] for p in sorted(participants.values(), key=lambda p: p["start"])],
        "attendance": next((m.attendance for m in event.mentions if m.attendance), None),
        "role": role,
        "event_key": "",
        "source": SOURCE,
    }
    record["event_key"] = event_key(record, doc.entities, doc.canonical_by_id() if record["place"] else None)
    return record


def _check_entities(body_text: str, entities: list[dict]) -> None:
    for n, e in enumerate(entities):
        if not 0 <= e["start"] < e["end"] <= len(body_text):
            raise ValueError(f"entities[{n}] {e.get('id')}: span [{e['start']}, {e['end']}) is outside "
                             f"body_text (length {len(body_text)})")
        if body_text[e["start"]:e["end"]] != e["text"]:
            raise ValueError(f"entities[{n}] {e.get('id')}: text {e['text']!r} differs from "
                             f"body_text[{e['start']}:{e['end']}] = {body_text[e['start']:e['end']]!r}")


def extract_events(body_text: str, entities: list[dict], published: dt.date | None,
                   config: EventConfig = DEFAULT_CONFIG, headline: str | None = None) -> list[dict]:
    """Meeting events of one article body (module docstring: the rules).

    ``entities`` are the body's entity mentions (offsets into ``body_text``); ``published`` the
    publication date or None; ``headline`` the page's headline or None, read only to complete the
    main meeting (stage 7). Returns event dicts per ``$defs/event``, ids E1… in text order.

    >>> text = "اجتمع وزراء خارجية دول التحالف أمس الأربعاء في واشنطن."
    >>> wash = {"id": "T1", "start": 47, "end": 53, "text": "واشنطن", "label": "GPE",
    ...         "canonical": "واشنطن", "source": "gold"}
    >>> [(e["date"], e["realis"], e["event_key"]) for e in extract_events(text, [wash], dt.date(2019, 2, 7))]
    [('2019-02-06', 'actual', 'Contact.Meet|2019-02-06|واشنطن')]
    """
    _check_entities(body_text, entities)
    if not body_text.strip():
        return []
    doc = _Doc(body_text, entities, published)
    events = _merge(_mentions(doc, config))
    _place_sidelines(events)
    events.sort(key=lambda e: min(m.position for m in e.real))
    main = _main_event(doc, events)
    if headline and main is not None:
        _complete_from_headline(main, headline, published)
    return [_to_dict(event, n, "main" if event is main else "mentioned", doc) for n, event in enumerate(events, 1)]


def _complete_from_headline(main: _Event, headline: str, published: dt.date | None) -> None:
    """Stage 7: the headline completes the main meeting, never makes one. Event offsets point into
    the body, so a meeting only the headline names cannot be stored; but a headline often states
    what the body leaves to it (روما تستضيف الإثنين المقبل أول اجتماع وزاري): its date fills a main
    meeting without one, and its tense or realis cue settles a main meeting the body gives no
    realis evidence for. A headline naming a meeting that contradicts the body adds nothing."""
    has_date = any(x.date is not None for x in main.mentions)
    has_realis = any(x.realis_strength for x in main.mentions)
    if has_date and has_realis:
        return  # the body says it all (most pages): the headline is not even read
    hdoc = _Doc(headline, [], published)
    hits = _find_triggers(hdoc)
    if not any(hit.form.cls != "support" for hit in hits):
        return  # a headline about something else says nothing of this meeting
    m = _Mention(trigger=None, lo=0, hi=1, sentence=0, cls="headline")
    tenses = [h.form.realis for h in hits if h.form.realis != "-"]
    cues = [kind for kind in ("planned", "actual") if hdoc.cue_in(kind, 0, len(hdoc.tokens))]
    evidence = tenses[:1] or cues[:1]
    if evidence:
        m.realis, m.realis_strength = evidence[0], 1
    dates = hdoc.dates
    if dates:
        _set_date(m, dates[0], published)
        d = dates[0]
        if d.direction == "next" or (d.relative_days or 0) > 0:
            m.realis, m.realis_strength = "planned", 1
        elif d.direction == "last" or (d.relative_days or 0) < 0:
            m.realis, m.realis_strength = "actual", 1
    _fix_weekday(m, published)
    if has_date or not _Summary.of(main.mentions).compatible(m):
        m.date = m.date_value = m.date_iso = m.date_basis = None
    if has_realis:
        m.realis, m.realis_strength = None, 0
    if m.date is not None or m.realis_strength:
        main.mentions.append(m)


def _main_event(doc: _Doc, events: list[_Event]) -> _Event | None:
    """The meeting the article is about (module docstring, stage 6)."""
    for event in events:
        if any(m.trigger is None for m in event.mentions):
            return event
    if not events:
        return None
    first_paragraph_end = doc.text.find("\n") if "\n" in doc.text else len(doc.text)
    if events[0].first < first_paragraph_end:
        return events[0]
    busiest = max(events, key=_Event.salience)
    return busiest if len(busiest.mentions) >= 2 else None


def event_key(event: dict, entities: list[dict], canonical_by_id: dict[str, str] | None = None) -> str:
    """``Contact.Meet|<date or unknown-date>|<place canonical, virtual or unknown-place>``.

    >>> event_key({"date": "2019-02-06", "place": "T1", "virtual": False},
    ...           [{"id": "T1", "canonical": "واشنطن"}])
    'Contact.Meet|2019-02-06|واشنطن'

    ``canonical_by_id``: ``{id: canonical}`` of ``entities`` when the caller has it (the extractor
    makes it once per page: made per event, it cost O(page) per event).
    """
    place = "unknown-place"
    if event.get("place"):
        if canonical_by_id is None:
            canonical_by_id = {e["id"]: e["canonical"] for e in entities}
        canonical = canonical_by_id.get(event["place"])
        place = canonical or "unknown-place"
    elif event.get("virtual"):
        place = "virtual"
    return f"{EVENT_TYPE}|{event.get('date') or 'unknown-date'}|{place}"


def identifies_meeting(key: str) -> bool:
    """Whether an event key names one real-world meeting: its date and its place (or "virtual")
    are both known. Keys with an unknown part are kept on the events but never link documents:
    every undated meeting in Washington would otherwise be "the same event"."""
    return "unknown-" not in key


def date_basis(date: str | None, date_text: str | None) -> str | None:
    """How a (gold) date was fixed: "explicit" when ``date_text`` states day, month and year."""
    if date is None:
        return None
    for m in find_dates(date_text or ""):
        if m.year is not None and m.month is not None and m.day is not None:
            return "explicit"
    return "published"


_EVENT_FIELDS = ("id", "type", "subtype", "trigger", "date", "date_text", "date_basis", "realis", "place",
                 "virtual", "participants", "attendance", "role", "event_key", "source")


def complete_event(event: dict, entities: list[dict]) -> dict:
    """A curated (gold) event with the fields annotators do not write: ``date_basis`` (when absent)
    and ``event_key``, in schema order."""
    full = dict(event)
    if "date_basis" not in full:
        full["date_basis"] = date_basis(full.get("date"), full.get("date_text"))
    full["event_key"] = event_key(full, entities)
    return {k: full[k] for k in _EVENT_FIELDS if k in full}
