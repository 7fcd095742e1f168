"""A scraped page's lines as the HTML the peers (trafilatura, jusText) are made to read.

The seeds are plain text: the markup of the page was lost when it was scraped. Fed one ``<p>`` per
line, a page is a flat run of paragraphs, and an extractor made for HTML has no structure left to
judge, so it keeps nearly every line. This rebuilds the block structure a news page's HTML has,
from the lines alone (never from our segmenter or the gold):

- a stretch of lines between blank lines is one ``<div>``;
- inside it, two or more short lines in a row (fewer than :data:`SHORT_WORDS` words and no
  sentence end) are a ``<ul>`` of ``<li>``: how menus, tickers, tags and link lists are marked up;
- a short line alone is an ``<h2>`` when prose follows it in its block, else a ``<div>``;
- every other line is a ``<p>``.

The page's first line is also the ``<title>``, as a scraped page's first line usually is its
title tag.
"""

from __future__ import annotations

import html
import re

#: A line of fewer words, without a sentence end, is a short line (menu item, tag, caption, date).
SHORT_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?؟…:»\"”]\s*$")

#: One line for reports: how the peers' input was made.
DESCRIPTION = ("peers read each page as HTML rebuilt from its lines (akhbar.peer_html): blocks between blank lines "
               f"as <div>, runs of short lines (<{SHORT_WORDS} words, no sentence end) as <ul><li>, a short line "
               "before prose as <h2>, other lines as <p>, the first line as <title>")


def is_short(line: str) -> bool:
    return len(line.split()) < SHORT_WORDS and not _SENTENCE_END.search(line)


def _block(lines: list[str]) -> str:
    out, n = [], 0
    while n < len(lines):
        if is_short(lines[n]):
            run = n
            while run < len(lines) and is_short(lines[run]):
                run += 1
            if run - n >= 2:
                out.append("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines[n:run]) + "</ul>")
            else:
                tag = "h2" if run < len(lines) else "div"
                out.append(f"<{tag}>{html.escape(lines[n])}</{tag}>")
            n = run
        else:
            out.append(f"<p>{html.escape(lines[n])}</p>")
            n += 1
    return "<div>" + "\n".join(out) + "</div>\n"


def as_html(raw_text: str) -> str:
    """The page as the peers read it (module docstring: the rules)."""
    blocks, current = [], []
    for line in raw_text.split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    title = html.escape(blocks[0][0]) if blocks else ""
    body = "".join(_block(block) for block in blocks)
    return f"<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\n{body}</body></html>"
