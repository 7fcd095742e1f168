"""Read the article's own metadata from its headline and byline: title, publisher, publication date.

Only the lines the segmenter chose as this article's headline and byline are read (and, for the
date, a date-only line right beside the headline), never widgets, related items or "last updated"
stamps: a page full of other dates must not lend one of them to the article. When the page does not
say, the value is None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from akhbar.dates import find_dates
from akhbar.lexicon import rows
from akhbar.normalize import normalize
from akhbar.segment import Segmentation

# "نشر في شعب بريس يوم 07 - 02 - 2019": the site between "نشر في" and "يوم".
_PUBLISHED_IN = re.compile(r"نشر في\s*:?\s*(?P<pub>[^\d:]+?)\s+(?:يوم|بتاريخ|في)\s")
# "كشـ24 نشر في: 31 مارس 2021": the site before "نشر في".
_SITE_THEN_PUBLISHED = re.compile(r"^(?P<pub>[^\d\s:][^:]{0,40}?)\s+نشر(?:\s+في|\s+بتاريخ)?\s*:")
# "المصدر: وكالة المغرب العربي للأنباء" names the source, often an agency.
_SOURCE = re.compile(r"^(?:المصدر|مصدر الخبر)\s*:\s*(?P<pub>.{2,40})$")


# A copyright line: the claim, the years and the marks around the holder's name.
_COPYRIGHT_LINE = re.compile(r"©|\(c\)|حقوق|copyright|all rights reserved", re.IGNORECASE)
_COPYRIGHT_CLAIM = re.compile(
    r"(?:(?:جميع|كل)\s+)?(?:ال)?حقوق(?:\s+(?:ال)?(?:نشر|طبع|تأليف|ملكية))?(?:\s+و(?:ال)?(?:نشر|طبع|توزيع))?"
    r"\s+محفوظ[ةه](?:\s+(?:ل|لـ|إلى)\s*|\s*(?=ل)ل(?:ـ\s*)?)?(?:(?:موقع|الموقع)\s+)?"
    r"|©|\(c\)|copyright|all rights reserved|\b(?:19|20)\d\d\b(?:\s*[-–]\s*(?:19|20)\d\d\b)?",
    re.IGNORECASE)


@dataclass(frozen=True)
class Metadata:
    title: str | None
    publisher: str | None
    published: str | None
    published_text: str | None


def _line_of(raw_text: str, span: tuple[int, int] | None) -> str | None:
    return raw_text[span[0]:span[1]] if span else None


_SEGMENT_SPLIT = re.compile(r"\s+[|•·ـ–—-]\s+|\s{3,}|\s*\|\s*")
_NAME_PUNCTUATION = " \t-–—ـ|:*•·،,"


def _name_like(text: str) -> bool:
    """Short enough for a site name, and no date or clock time."""
    return 1 <= len(text.split()) <= 5 and not find_dates(text) and not re.search(r"\d{1,2}:\d{2}", text)


def _masthead(lines) -> str | None:
    """The site name a page opens with: the first segment of its first line, when it is short
    and is no cue, menu or ticker."""
    if not lines:
        return None
    first = lines[0]
    if first.cue or first.ticker or first.menu or first.label in ("body", "headline", "byline"):
        return None
    name = _SEGMENT_SPLIT.split(first.text.strip())[0].strip()
    return name if name and _name_like(name) else None


def _signed_name(lines) -> str | None:
    """A short line of its own that the page's copyright or footer line repeats ("الأطلس بريس",
    then "© 2019 الأطلس بريس. جميع الحقوق محفوظة")."""
    footers = [line.text for line in lines if line.cue == "footer"]
    for line in lines:
        name = line.text.strip(_NAME_PUNCTUATION)
        if (line.cue is None and not line.ticker and not line.menu and line.label not in ("body", "headline", "byline")
                and _name_like(name) and any(name in footer and name != footer.strip() for footer in footers)):
            return name
    return None


@cache
def _place_names() -> frozenset[str]:
    """Normalised names of countries and cities: a byline part that is one is a dateline, no site."""
    return frozenset(normalize(row[0]) for row in rows("gazetteer/gpe.tsv"))


def _is_place(text: str) -> bool:
    return normalize(text) in _place_names()


def _arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum("\u0621" <= c <= "\u064a" for c in letters) >= 0.5 * len(letters)


def _copyright_holder(lines) -> str | None:
    """The name a copyright line gives ("© 2023 صحيفة الأفق. جميع الحقوق محفوظة", "جميع الحقوق
    محفوظة لموقع الأنباء 2024", "حقوق النشر محفوظة لـ صوت الجنوب"): the line without its claim,
    years and marks, when what is left is one short name."""
    for line in lines:
        if line.label in ("body", "headline") or line.words > 20 or not _COPYRIGHT_LINE.search(line.text):
            continue
        rest = _COPYRIGHT_CLAIM.sub(" | ", line.text)
        parts = [p.strip(_NAME_PUNCTUATION + ".") for p in re.split(r"[|.]|\s{2,}", rest)]
        parts = [p for p in parts if p and _name_like(p) and not _is_place(p)]
        if len(parts) == 1:
            return parts[0]
    return None


def _site_name_line(lines) -> str | None:
    """A short line of its own just above the page's menu ("الواحة نيوز", then "الرئيسية", "سياسة"):
    the site's name. Dates, cues, tickers and places between them are skipped."""
    first_menu = next((i for i, line in enumerate(lines) if line.cue == "navigation" or line.menu), None)
    if first_menu is None:
        return None
    for line in reversed(lines[:first_menu]):
        name = line.text.strip(_NAME_PUNCTUATION)
        if line.ticker or line.cue or line.dates or not name:
            continue
        if _name_like(name) and not _is_place(name) and line.label not in ("body", "headline", "byline"):
            return name
        return None  # a longer line stands between the menu and the top: no lone name
    return None


def _arabic_twin(lines, name: str) -> str:
    """The Arabic form of a Latin site name when the page shows it on the line beside it
    ("الواحة نيوز" above "Al Waha News"), else the name itself."""
    if _arabic(name):
        return name
    for n, line in enumerate(lines):
        if line.text.strip(_NAME_PUNCTUATION) == name:
            for other in lines[max(0, n - 1):n] + lines[n + 1:n + 2]:
                twin = other.text.strip(_NAME_PUNCTUATION)
                if other.cue is None and not other.ticker and _arabic(twin) and _name_like(twin):
                    return twin
    return name


def _dateline_outlet(byline: str) -> str | None:
    """"<city> - <outlet>" (or "<outlet> - <city>") in the byline: the part that is no place."""
    parts = [p.strip(_NAME_PUNCTUATION) for p in _SEGMENT_SPLIT.split(byline.strip())]
    parts = [p for p in parts if p]
    if len(parts) < 2 or not any(_is_place(p) for p in parts[:2]):
        return None
    others = [p for p in parts[:2] if not _is_place(p)]
    if len(others) == 1 and _name_like(others[0]) and _arabic(others[0]):
        return others[0]
    return None


def find_publisher(seg: Segmentation, raw_text: str) -> str | None:
    """The site that published the article, as the page names it, or None. In order:

    1. the byline says so: "نشر في <site> يوم …", "<site> نشر في: …", "المصدر: <site>";
    2. a segment of the byline ("<place> - <site> | <date>") that the page also shows as a line of
       its own (its masthead or site-name lines): a place or a reporter's name is not shown so;
    3. the masthead (the short first line of the page) when the page repeats it (footer, byline);
    4. a short line of its own that the copyright line repeats (its Arabic form when the page
       shows one beside it);
    5. the holder a copyright line names ("© جميع الحقوق محفوظة لموقع …", "حقوق النشر محفوظة ل…");
    6. a short line of its own just above the page's menu;
    7. the byline "<city> - <outlet>": the part that is no place.

    A byline part that is a place name (a dateline, a tag line "مراكش") is never the site.
    """
    byline = _line_of(raw_text, seg.byline_span)
    masthead = _masthead(seg.lines)
    standalone = {line.text.strip(_NAME_PUNCTUATION) for line in seg.lines if line.label != "byline"}
    if byline:
        line = byline.strip()
        for pattern in (_PUBLISHED_IN, _SITE_THEN_PUBLISHED, _SOURCE):
            match = pattern.search(line)
            if match:
                parts = [p.strip(_NAME_PUNCTUATION) for p in _SEGMENT_SPLIT.split(match["pub"])]
                parts = [p for p in parts if p]
                if len(parts) == 1:
                    return parts[0].strip(" :-،,")
                # "<reporter> - <city> | نشر في:" names no site; "<site> - <reporter> | نشر في:" names
                # it among other things: only a part the page also shows as a line of its own counts.
                known = [p for p in parts if (p == masthead or p in standalone) and not _is_place(p)]
                if known:
                    return known[0]
    if byline:
        for part in _SEGMENT_SPLIT.split(byline.strip()):
            part = part.strip(_NAME_PUNCTUATION)
            if not part or not _name_like(part) or _is_place(part):
                continue
            if part == masthead or part in standalone:
                return part
    if masthead and raw_text.count(masthead) >= 2:
        return masthead
    signed = _signed_name(seg.lines)
    if signed:
        return _arabic_twin(seg.lines, signed)
    return _copyright_holder(seg.lines) or _site_name_line(seg.lines) or (_dateline_outlet(byline) if byline else None)


def find_published(seg: Segmentation, raw_text: str) -> tuple[str | None, str | None]:
    """(ISO date, the text it was read from) of the article's publication, or (None, None).

    Read from the byline; failing that, from a line next to the headline that is only a date.
    """
    candidates = []
    if seg.byline_span:
        candidates.append(_line_of(raw_text, seg.byline_span))
    headline = next((line for line in seg.lines if line.label == "headline"), None)
    if headline is not None:
        for line in seg.lines:
            if line.label not in ("body", "headline", "byline") and abs(line.index - headline.index) <= 2:
                mentions = find_dates(line.text)
                if len(mentions) == 1 and len(mentions[0].text) >= 0.8 * len(line.text):
                    candidates.append(line.text)
    for text in candidates:
        for mention in find_dates(text):
            if mention.year and mention.month and mention.day:
                try:
                    return dt.date(mention.year, mention.month, mention.day).isoformat(), mention.text
                except ValueError:
                    continue  # 31 - 02 - 2019 is no date
    return None, None


def extract_metadata(seg: Segmentation, raw_text: str) -> Metadata:
    """Title, publisher and publication date of one segmented page."""
    published, published_text = find_published(seg, raw_text)
    return Metadata(
        title=_line_of(raw_text, seg.headline_span),
        publisher=find_publisher(seg, raw_text),
        published=published,
        published_text=published_text,
    )
