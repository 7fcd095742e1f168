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

from akhbar.dates import find_dates
from akhbar.segment import Segmentation

# "نشر في شعب بريس يوم 07 - 02 - 2019": the site between "نشر في" and "يوم".
_PUBLISHED_IN = re.compile(r"نشر في\s*:?\s*(?P<pub>[^\d:]+?)\s+(?:يوم|بتاريخ|في)\s")
# "كشـ24 نشر في: 31 مارس 2021": the site before "نشر في".
_SITE_THEN_PUBLISHED = re.compile(r"^(?P<pub>[^\d\s:][^:]{0,40}?)\s+نشر(?:\s+في|\s+بتاريخ)?\s*:")
# "واشنطن ـ المغرب اليوم": a dateline, place then source.
_DATELINE = re.compile(r"^(?P<place>\S+(?:\s\S+)?)\s*[ـ–—-]\s*(?P<pub>\S+(?:\s\S+){0,2})$")
# "المصدر: وكالة المغرب العربي للأنباء" names the source, often an agency.
_SOURCE = re.compile(r"^(?:المصدر|مصدر الخبر)\s*:\s*(?P<pub>.{2,40})$")


@dataclass(frozen=True)
class Metadata:
    title: str | None
    publisher: str | None
    published: str | None
    published_text: str | None


def _line_of(raw_text: str, span: tuple[int, int] | None) -> str | None:
    return raw_text[span[0]:span[1]] if span else None


def find_publisher(byline: str | None, raw_text: str) -> str | None:
    """The site named by the byline, or None.

    A dateline ("<place> ـ <name>") names a place and a source; the source is taken as the publisher
    only when the page shows the same name again elsewhere (its site-name lines), since the name
    after the dash may also be a reporter.
    """
    if not byline:
        return None
    line = byline.strip()
    for pattern in (_PUBLISHED_IN, _SITE_THEN_PUBLISHED, _SOURCE):
        match = pattern.search(line)
        if match:
            return match["pub"].strip(" :-،,")
    match = _DATELINE.match(line)
    if match and raw_text.count(match["pub"]) >= 2:
        return match["pub"].strip()
    return None


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
    byline = _line_of(raw_text, seg.byline_span)
    published, published_text = find_published(seg, raw_text)
    return Metadata(
        title=_line_of(raw_text, seg.headline_span),
        publisher=find_publisher(byline, raw_text),
        published=published,
        published_text=published_text,
    )
