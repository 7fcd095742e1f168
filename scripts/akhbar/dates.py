"""Find Arabic date expressions and resolve them to calendar dates.

Two steps, kept apart so each can be tested alone:

- :func:`find_dates` (text → :class:`DateMention` list) reads what the text *says*: day, month and
  year where written, a weekday, a relative day (أمس، اليوم، غدا) or a modifier (المقبل، الماضي). It
  knows every month-name family the corpus uses (Moroccan يوليوز/غشت/شتنبر, Egyptian and Gulf
  يوليو/أغسطس, Levantine تموز/شباط and the paired ``شباط / فبراير``, Algerian and Tunisian
  جويلية/أوت), ordinal days in words (السادس من فبراير) and numeric dates (``07 - 02 - 2019``,
  ``12/05/2022``, ``2022-05-12``). Matching runs on :mod:`akhbar.normalize`'s view; spans are exact
  offsets into the original text.
- :func:`resolve` (mention + reference date → :class:`ResolvedDate`) fixes what the text leaves
  open against a reference, normally the publication date, and checks a stated weekday.

With ``open_dates=True`` (what the meeting extractor asks for), :func:`find_dates` also reads the
expressions only a reader's context fixes: a bare weekday (``يوم الأربعاء``، ``مساء الثلاثاء``), the
month named from the report (``الشهر المقبل``، ``الشهر الماضي``), two days of one month (``يومي 7 و8
نوفمبر``: the first), ``اليوم`` alone before a comma or stop or after a part of the day (صباح اليوم), and Hijri dates (``19 ذو القعدة
1444هـ``, converted by the tabular Islamic calendar, which may differ by a day from a country's
sighted calendar). They are off by default: the other readers (the entity annotator, the page's
own dates) keep what they were measured with.

Numeric dates are read day first (``12/05/2022`` is 12 May), the convention of Arabic news sites;
``2022-05-12`` (year first) is ISO.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from akhbar.lexicon import rows
from akhbar.normalize import normalize, normalize_with_offsets, view_span_to_text


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text: what it states, nothing inferred."""

    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # ISO weekday stated in the text (Monday = 1)
    relative_days: int | None = None  # أمس = -1, اليوم = 0, غدا = +1
    direction: str | None = None  # "next" (المقبل) or "last" (الماضي) for an open month or weekday
    relative_months: int | None = None  # الشهر المقبل = +1, الشهر الماضي = -1, الشهر الجاري = 0


@dataclass(frozen=True)
class ResolvedDate:
    """A mention fixed against a reference date.

    ``date`` is the full ``YYYY-MM-DD`` date, or None when the text fixes less than a day;
    ``value`` is as much of the ISO date as is fixed (``2018-06``, ``2019``), or None;
    ``weekday_agrees`` is None when no weekday is stated, else whether it matches ``date``.
    """

    date: str | None
    value: str | None
    weekday_agrees: bool | None


@cache
def _hijri_months() -> dict[str, int]:
    return {normalize(name): int(num) for name, num in rows("hijri_months.tsv")}


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian day of a Hijri date by the tabular (arithmetic) Islamic calendar.

    >>> hijri_to_gregorian(1444, 11, 19)
    datetime.date(2023, 6, 8)
    """
    if not (1 <= month <= 12 and 1 <= day <= 30):
        return None
    days = day + -(-59 * (month - 1) // 2) + (year - 1) * 354 + (3 + 11 * year) // 30
    return dt.date.fromordinal(days + _HIJRI_EPOCH_ORDINAL - 1)


# 1 Muharram 1 AH (16 July 622 Julian) as a proleptic Gregorian ordinal.
_HIJRI_EPOCH_ORDINAL = 227015


@cache
def _lexicons() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    months = {normalize(name): int(num) for name, num, _family in rows("months.tsv")}
    weekdays = {normalize(name): int(num) for name, num in rows("weekdays.tsv")}
    ordinals = {normalize(name): int(num) for name, num in rows("day_ordinals.tsv")}
    return months, weekdays, ordinals


def _alternation(names) -> str:
    # Longest first, so that "كانون الثاني" wins over a shorter prefix.
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


@cache
def _patterns() -> list[tuple[str | None, re.Pattern | None, re.Pattern]]:
    """``(needs, prefilter, pattern)``, in the order their matches are collected.

    The prefilter is a necessary condition of the pattern (text every match of it holds), found
    by a plain search: the patterns open with a look-behind, which makes the regex engine try a
    match at every position, so each pattern costs a full slow scan of the text; the prefilters
    open with a digit or a literal and skip most texts (most lines, most bodies) quickly. ``needs``
    is what :func:`_date_starts`'s scan must have found (a digit, a month name, a relative day),
    a necessary condition checked before the prefilter. Where both pass, the pattern is tried only
    where :func:`_date_starts` says a date can start.
    """
    months, weekdays, ordinals = _lexicons()
    mon = f"(?:{_alternation(months)})"
    wd = f"(?P<wd>{_alternation(weekdays)})"
    ordinal = _alternation(ordinals)
    b = r"(?<![\w])"  # not inside a word (proclitics such as ب، و، ل are handled by callers)
    e = r"(?![\w])"
    year = r"(?P<year>\d{4})(?:\s?م(?![\w]))?"  # "2023م": the Gregorian-era letter may follow
    direction = r"(?P<dir>المقبل|القادم|الماضي|المنصرم|الفائت)"
    weekday_prefix = rf"(?:(?:يوم\s+)?{wd}\s*[,،]?\s*)?"
    scanners = [
        # 07 - 02 - 2019, 12/05/2022, 12.05.2022 (day first)
        ("digit", r"\d\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}",
         rf"{b}{weekday_prefix}(?P<day>\d{{1,2}})\s*(?P<sep>[-/.])\s*(?P<mon_num>\d{{1,2}})\s*(?P=sep)\s*{year}{e}"),
        # 2022-05-12 (ISO), 2023/08/14 (year first)
        ("digit", r"\d{4}\s?م?[-/]\d{1,2}[-/]\d",
         rf"{b}{year}(?P<sep>[-/])(?P<mon_num>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}}){e}"),
        # [weekday] day [من] [شهر] month[ / month] [،] [عام] [year] [المقبل]
        ("month", None,
         rf"{b}{weekday_prefix}(?P<day>\d{{1,2}}|{ordinal})\s*(?:من\s+)?(?:شهر\s+)?"
         rf"(?P<mon>{mon})(?:\s*/\s*{mon})?{e}"
         rf"(?:\s*[,،]?\s*(?:(?:من\s+)?(?:عام|سنه|العام)\s+)?{year}{e})?"
         rf"(?:\s+{direction}{e})?"),
        # month year ("يونيو 2018", "شهر يونيو من عام 2018"); a bare month name is not enough
        # (مارس is also a verb, آب a noun), so a year or a modifier must follow.
        ("month", None,
         rf"{b}(?:شهر\s+)?(?P<mon>{mon})(?:\s*/\s*{mon})?{e}"
         rf"(?:\s*[,،]?\s*(?:(?:من\s+)?(?:عام|سنه|العام)\s+)?{year}{e}|\s+{direction}{e})"),
        # عام 2014, سنة 2019, العام 2020
        ("digit", r"(?:عام|سنه)\s+\d{4}", rf"{b}(?:عام|سنه|العام)\s+{year}{e}"),
        # أمس الأربعاء, اليوم الجمعة, غدا الخميس, أول أمس
        ("relative", None, rf"{b}(?P<rel>اول امس|امس|البارحه|اليوم|غدا|بعد غد)(?:\s+{wd}{e}|(?={e}))"),
        # الثلاثاء الماضي, يوم الخميس المقبل
        (None, direction, rf"{b}(?:يوم\s+)?{wd}\s+{direction}{e}"),
    ]
    return [(needs, prefilter and re.compile(prefilter), re.compile(pattern)) for needs, prefilter, pattern in scanners]


@cache
def _start_words() -> ahocorasick.Automaton:
    """The words a date expression can open with, besides a digit (what every pattern of
    :func:`_patterns` matches first, its optional openers included), each with its length and
    what it shows ("month", "relative" or None)."""
    months, weekdays, ordinals = _lexicons()
    openers = {"يوم", "شهر", "عام", "سنه", "العام", "اول", "بعد"} | set(weekdays) | set(ordinals)
    automaton = ahocorasick.Automaton()
    for word in openers:
        automaton.add_word(word, (len(word), None))
    for word in months:
        automaton.add_word(word, (len(word), "month"))
    for word in _RELATIVE:  # also where "اول امس" and "بعد غد" hold them
        automaton.add_word(word, (len(word), "relative"))
    automaton.make_automaton()
    return automaton


_DIGIT_RUN = re.compile(r"\d+")
_WORD_CHAR = re.compile(r"\w")


def _date_starts(view: str) -> tuple[list[int], set[str | None]]:
    """``(starts, found)``: every position of ``view`` where a match of a :func:`_patterns` pattern
    can start, sorted, and what occurs in ``view``: "digit", "month", "relative" (and None).

    A start is the start of a word (``(?<![\\w])``, as every pattern requires) that opens with a
    digit or a start word: a superset of the real starts, found by two scans in C (one regex, one
    Aho-Corasick pass, overlapping hits included), so the patterns are tried at a few positions
    instead of every one.
    """
    starts = {m.start() for m in _DIGIT_RUN.finditer(view)}
    found: set[str | None] = {None, "digit"} if starts else {None}
    for end, (length, kind) in _start_words().iter(view):
        starts.add(end - length + 1)
        found.add(kind)
    return sorted(i for i in starts if i == 0 or _WORD_CHAR.match(view, i - 1) is None), found


def _matches_at(pattern: re.Pattern, view: str, starts: list[int]) -> list[re.Match]:
    """``pattern.finditer(view)`` where every match starts at one of ``starts``: the leftmost match
    at or after the end of the previous one, tried only at those positions."""
    matches = []
    end = 0
    for i in starts:
        if i < end:
            continue
        match = pattern.match(view, i)
        if match is not None:
            matches.append(match)
            end = match.end()
    return matches


# The weekdays a bare name may not stand for alone: الاثنين is also "the two", الأحد "the one".
_AMBIGUOUS_WEEKDAYS = frozenset({"الاثنين", "الاحد"})
# Parts of a day before a weekday: يوم الأربعاء، مساء الثلاثاء.
_DAY_PARTS = "يوم|مساء|صباح|ظهر|ليله|فجر|عشيه|نهار"


@cache
def _open_patterns() -> list[tuple[re.Pattern, re.Pattern]]:
    """``(prefilter, pattern)`` pairs of the expressions ``open_dates`` adds (module docstring)."""
    months, weekdays, _ordinals = _lexicons()
    mon = f"(?:{_alternation(months)})"
    year = r"(?P<year>\d{4})(?:\s?م(?![\w]))?"
    direction = r"(?P<dir>المقبل|القادم|الماضي|المنصرم|الفائت)"
    wd = f"(?P<wd>{_alternation(weekdays)})"
    hijri = f"(?P<hmon>{_alternation(_hijri_months())})"
    b, e = r"(?<![\w])", r"(?![\w])"
    scanners = [
        # [weekday] 19 ذو القعدة 1444هـ
        (r"\d\s*(?:من\s+)?(?:شهر\s+)?(?:" + _alternation(_hijri_months()) + ")",
         rf"{b}(?:(?:يوم\s+)?{wd}\s*[,،]?\s*)?(?P<day>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?{hijri}{e}"
         rf"\s*[,،]?\s*(?:(?:عام|سنه)\s+)?(?P<hyear>\d{{4}})(?:\s?ه{e})?"),
        # يومي 7 و8 تشرين الثاني/نوفمبر المقبل: a two-day meeting starts on its first day
        (r"\d\s*و\s*\d",
         rf"{b}(?:يومي\s+)?(?P<day>\d{{1,2}})\s*و\s*\d{{1,2}}\s+(?:من\s+)?(?:شهر\s+)?(?P<mon>{mon})(?:\s*/\s*{mon})?{e}"
         rf"(?:\s*[,،]?\s*(?:(?:من\s+)?(?:عام|سنه|العام)\s+)?{year}{e})?(?:\s+{direction}{e})?"),
        # عقد في الرياض اليوم، اجتماع: "اليوم" alone, before a stop or comma (a name such as المغرب اليوم is
        # rarely cut there)
        (r"اليوم", rf"{b}(?P<rel>اليوم)(?P<alone>)(?=\s*[،,.؛])"),
        # صباح اليوم، مساء اليوم: a part of the day names the day
        (r"اليوم", rf"{b}(?:صباح|مساء|ظهر|عصر|ليله)\s+(?P<rel>اليوم)(?P<alone>){e}"),
        # الشهر المقبل، الشهر الماضي، الشهر الجاري
        (r"الشهر", rf"{b}الشهر\s+(?P<rmon>المقبل|القادم|الماضي|المنصرم|الفائت|الجاري|الحالي){e}"),
        # يوم الأربعاء، مساء الثلاثاء، الخميس
        (_alternation(weekdays), rf"{b}(?:(?P<part>{_DAY_PARTS})\s+)?{wd}{e}"),
    ]
    return [(re.compile(prefilter), re.compile(pattern)) for prefilter, pattern in scanners]


_RELATIVE_MONTHS = {"المقبل": 1, "القادم": 1, "الماضي": -1, "المنصرم": -1, "الفائت": -1, "الجاري": 0, "الحالي": 0}


_RELATIVE = {"اول امس": -2, "امس": -1, "البارحه": -1, "اليوم": 0, "غدا": 1, "بعد غد": 2}
_DIRECTION = {"المقبل": "next", "القادم": "next", "الماضي": "last", "المنصرم": "last", "الفائت": "last"}


def _mention(match: re.Match, text: str, origin: list[int]) -> DateMention | None:
    months, weekdays, ordinals = _lexicons()
    g = match.groupdict()
    start, end = view_span_to_text(origin, match.start(), match.end())
    day = month = year = None
    if g.get("day"):
        day = int(g["day"]) if g["day"].isdigit() else ordinals[g["day"]]
    if g.get("mon_num"):
        month = int(g["mon_num"])
    elif g.get("mon"):
        month = months[g["mon"]]
    if g.get("year"):
        year = int(g["year"])
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if year is not None and not 1900 <= year <= 2100:
        return None
    if g.get("rel") == "اليوم" and not g.get("wd") and "alone" not in g:
        return None  # "اليوم" alone is too often part of a name (المغرب اليوم)
    if g.get("hmon"):
        if not 1300 <= int(g["hyear"]) <= 1500:
            return None
        day_of = hijri_to_gregorian(int(g["hyear"]), _hijri_months()[g["hmon"]], day or 0)
        if day_of is None:
            return None
        year, month, day = day_of.year, day_of.month, day_of.day
    relative_months = _RELATIVE_MONTHS.get(g["rmon"]) if g.get("rmon") else None
    if g.get("rmon"):
        direction = {1: "next", -1: "last"}.get(relative_months)
    elif g.get("dir"):
        direction = _DIRECTION[g["dir"]]
    else:
        direction = None
    if "part" in g and not g.get("part") and g.get("wd") in _AMBIGUOUS_WEEKDAYS:
        return None
    return DateMention(
        start=start, end=end, text=text[start:end], year=year, month=month, day=day,
        weekday=weekdays[g["wd"]] if g.get("wd") else None,
        relative_days=_RELATIVE[g["rel"]] if g.get("rel") else None,
        direction=direction, relative_months=relative_months,
    )


def find_dates(text: str, open_dates: bool = False) -> list[DateMention]:
    """Every date expression in ``text``, sorted, without overlaps (the longest wins); with
    ``open_dates``, bare weekdays, ``الشهر المقبل`` and Hijri dates too (module docstring).

    >>> [m.text for m in find_dates("نشر في شعب بريس يوم 07 - 02 - 2019")]
    ['07 - 02 - 2019']
    >>> m = find_dates("في السادس من فبراير المقبل")[0]
    >>> (m.day, m.month, m.direction)
    (6, 2, 'next')
    """
    view, origin = normalize_with_offsets(text)
    found: list[DateMention] = []
    starts, found_kinds = _date_starts(view)
    matches: list[re.Match] = []
    for needs, prefilter, pattern in _patterns() if starts else ():
        if needs not in found_kinds or (prefilter is not None and prefilter.search(view) is None):
            continue
        matches += _matches_at(pattern, view, starts)
    # the open expressions start at words the start scan does not list (صباح اليوم، الشهر المقبل)
    for prefilter, pattern in _open_patterns() if open_dates else ():
        if prefilter.search(view) is not None:
            matches += pattern.finditer(view)
    for match in matches:
        mention = _mention(match, text, origin)
        if mention is not None:
            found.append(mention)
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DateMention] = []
    for m in found:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve(mention: DateMention, reference: dt.date | None, tense: str | None = None) -> ResolvedDate:
    """Fix ``mention`` against ``reference`` (the publication date, or None when unknown).

    ``tense`` ("past" or "future", of the verb the date goes with) fixes a bare weekday: the last
    such weekday on or before the reference day for a past report, the next one on or after it
    for a future one (a report names its own day by its weekday too: a Thursday report's "يوم
    الخميس" is that day). Without it a bare weekday stays open.

    >>> m = find_dates("أمس الأربعاء في واشنطن")[0]
    >>> resolve(m, dt.date(2019, 2, 7))
    ResolvedDate(date='2019-02-06', value='2019-02-06', weekday_agrees=True)
    >>> resolve(find_dates("في السادس من فبراير المقبل")[0], dt.date(2019, 1, 20)).date
    '2019-02-06'
    """
    m = mention
    day: dt.date | None = None
    if m.relative_days is not None:
        day = reference + dt.timedelta(days=m.relative_days) if reference else None
    elif m.day is not None and m.month is not None:
        if m.year is not None:
            day = _safe_date(m.year, m.month, m.day)
        elif reference is not None:
            day = _nearest(reference, m.month, m.day, m.direction)
    elif m.weekday is not None and m.direction and reference is not None:
        if m.direction == "next":  # the coming one, never the reference day itself
            day = reference + dt.timedelta(days=(m.weekday - reference.isoweekday()) % 7 or 7)
        else:  # the last one before the reference day
            day = reference - dt.timedelta(days=(reference.isoweekday() - m.weekday) % 7 or 7)
    elif m.weekday is not None and m.month is None and reference is not None and tense in ("past", "future"):
        if tense == "future":
            day = reference + dt.timedelta(days=(m.weekday - reference.isoweekday()) % 7)
        else:
            day = reference - dt.timedelta(days=(reference.isoweekday() - m.weekday) % 7)
    if day is not None:
        agrees = None if m.weekday is None else day.isoweekday() == m.weekday
        return ResolvedDate(day.isoformat(), day.isoformat(), agrees)
    if m.relative_months is not None and reference is not None:
        months = reference.year * 12 + reference.month - 1 + m.relative_months
        return ResolvedDate(None, f"{months // 12:04d}-{months % 12 + 1:02d}", None)
    value = None
    year = m.year
    if year is None and m.month is not None and reference is not None and m.direction:
        year = reference.year + (1 if m.direction == "next" and m.month <= reference.month else 0) \
            - (1 if m.direction == "last" and m.month >= reference.month else 0)
    if year is not None:
        value = f"{year:04d}" if m.month is None else f"{year:04d}-{m.month:02d}"
    return ResolvedDate(None, value, None)


def _nearest(reference: dt.date, month: int, day: int, direction: str | None) -> dt.date | None:
    """The date with this month and day nearest to ``reference``, after it for "next", before for "last"."""
    candidates = [d for y in (reference.year - 1, reference.year, reference.year + 1)
                  if (d := _safe_date(y, month, day)) is not None]
    if direction == "next":
        candidates = [d for d in candidates if d > reference]
    elif direction == "last":
        candidates = [d for d in candidates if d < reference]
    return min(candidates, key=lambda d: abs((d - reference).days), default=None)
