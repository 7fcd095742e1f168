"""A static, self-contained HTML site of a built dataset, to look at each page with its layers.

``build_site(dataset/, out/) -> files``: ``index.html`` (every document: title, publisher, date,
duplicate cluster) and one ``doc/<id>.html`` per document, right to left:

- the body with every entity highlighted in its label's colour, a legend, and event triggers marked;
- the events, each argument (place, participants) a link to its highlighted span;
- links to the document's duplicates and to other reports of the same meeting (the ``links`` config);
- the raw page, body and headline as they stand, every boilerplate stretch greyed and labelled.

Nothing is fetched when the pages are viewed: CSS is inline, fonts are the reader's own, no script.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from tqdm import tqdm

from akhbar.ner_config import entity_labels
from akhbar.write import iter_rows, move_files, staging_dir

#: The folder of the document pages, beside index.html.
DOCS = "doc"
#: One colour per entity label (background of its highlight), in the schema's label order.
PALETTE = ("#ffd6a5", "#fdffb6", "#caffbf", "#9bf6ff", "#a0c4ff", "#bdb2ff", "#ffc6ff", "#ffadad",
           "#e2f0cb", "#b5ead7", "#c7ceea", "#f1c0e8", "#cfbaf0", "#90dbf4", "#f9c74f")

CSS = """
body { font-family: "DejaVu Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Arial", sans-serif; margin: 1.5em auto;
       max-width: 60em; line-height: 1.9; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; border-bottom: 1px solid #ccc; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #ddd; padding: .2em .5em; text-align: start; }
.meta dt { font-weight: bold; float: right; clear: right; margin-inline-end: .5em; } .meta dd { margin: 0 0 .2em; }
.text { white-space: pre-wrap; }
mark.ent { border-radius: .25em; padding: 0 .1em; }
mark.ent::after { content: attr(data-label); font-size: .6em; vertical-align: super; color: #555; margin-inline-start: .15em; }
.trigger { border-bottom: 2px solid #c00; }
.legend span { display: inline-block; margin: .1em .3em; padding: 0 .4em; border-radius: .25em; font-size: .85em; }
.raw .bp { color: #aaa; background: #f4f4f4; }
.raw .bp::before { content: attr(data-label); font-size: .65em; color: #fff; background: #999; border-radius: .2em;
                   padding: 0 .3em; margin-inline-end: .3em; }
.raw .headline { font-weight: bold; } .raw .byline { font-style: italic; color: #555; }
.ltr { direction: ltr; unicode-bidi: isolate; } td.ltr { white-space: nowrap; }
:target { outline: 2px solid #c00; }
"""


def _colour(label: str) -> str:
    return PALETTE[entity_labels().index(label) % len(PALETTE)]


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
            f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _nested(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """``text`` with each ``(start, end, open_tag, close_tag)`` wrapped around its slice; spans
    that cross another one's edge (rather than nest in it) are left out."""
    spans = sorted(spans, key=lambda s: (s[0], -s[1]))
    kept, stack = [], []
    for span in spans:
        while stack and stack[-1][1] <= span[0]:
            stack.pop()
        if stack and span[1] > stack[-1][1]:
            continue  # crosses the enclosing span's end
        kept.append(span)
        stack.append(span)
    opens, closes = defaultdict(list), defaultdict(list)
    for start, end, open_tag, close_tag in kept:
        opens[start].append(open_tag)
        closes[end].insert(0, close_tag)
    out, position = [], 0
    for cut in sorted(set(opens) | set(closes) | {len(text)}):
        out.append(html.escape(text[position:cut]))
        out += closes.get(cut, []) + opens.get(cut, [])
        position = cut
    return "".join(out)


def body_html(record: dict) -> str:
    """``body_text`` with the entities highlighted (``<mark id="T3" data-label="GPE">``) and the
    event triggers underlined (``id="trigger-E1"``)."""
    spans = [(e["start"], e["end"],
              f'<mark class="ent" id="{e["id"]}" data-label="{e["label"]}" style="background:{_colour(e["label"])}" '
              f'title="{e["label"]} · {html.escape(e["canonical"], quote=True)}">', "</mark>") for e in record["entities"]]
    spans += [(ev["trigger"]["start"], ev["trigger"]["end"],
               f'<span class="trigger" id="trigger-{ev["id"]}" title="{ev["type"]} {ev["id"]}">', "</span>")
              for ev in record["events"]]
    return _nested(record["body_text"], spans)


def raw_html(record: dict) -> str:
    """``raw_text`` with the body, headline and byline as they are and each boilerplate stretch
    greyed and labelled."""
    spans = [(b["start"], b["end"], f'<span class="bp" data-label="{b["label"]}">', "</span>") for b in record["boilerplate"]]
    for name in ("headline", "byline"):
        span = record[f"{name}_span"]
        if span:
            spans.append((span["start"], span["end"], f'<span class="{name}">', "</span>"))
    spans += [(s["start"], s["end"], '<span class="body">', "</span>") for s in record["body_spans"]]
    return _nested(record["raw_text"], spans)


def _legend(record: dict) -> str:
    used = sorted({e["label"] for e in record["entities"]}, key=entity_labels().index)
    return "".join(f'<span style="background:{_colour(label)}">{label}</span>' for label in used)


def _entity_link(entities: dict, ref: str | None) -> str:
    if ref is None or ref not in entities:
        return "—"
    return f'<a href="#{ref}">{html.escape(entities[ref]["text"])}</a>'


def events_html(record: dict) -> str:
    entities = {e["id"]: e for e in record["entities"]}
    if not record["events"]:
        return "<p>No events.</p>"
    items = []
    for ev in record["events"]:
        participants = "، ".join(_entity_link(entities, p) for p in ev["participants"]) or "—"
        items.append(
            f'<li id="{ev["id"]}"><a href="#trigger-{ev["id"]}">{html.escape(ev["trigger"]["text"])}</a> '
            f'<span class="ltr">({ev["id"]}, {ev["type"]}, {ev["subtype"]}, {ev["realis"]}, {ev["role"]})</span><br>'
            f'date: <span class="ltr">{ev["date"] or "—"}</span> {html.escape(ev["date_text"] or "")} · '
            f'place: {_entity_link(entities, ev["place"])} · participants: {participants}<br>'
            f'<small class="ltr">{html.escape(ev["event_key"])} · {ev["source"]}</small></li>')
    return "<ol>" + "".join(items) + "</ol>"


def _title(title: str | None, doc_id: str) -> str:
    """A document's title, or its id (kept left to right) when the page states none."""
    return html.escape(title) if title else f'<span class="ltr">{doc_id}</span>'


def _doc_link(doc_id: str, titles: dict, prefix: str = "") -> str:
    return f'<a href="{prefix}{doc_id}.html">{_title(titles.get(doc_id), doc_id)}</a> <small class="ltr">{doc_id}</small>'


def links_html(doc_id: str, links: list[dict], titles: dict) -> str:
    if not links:
        return "<p>No duplicates and no other report of the same meeting.</p>"
    rows = []
    for link in links:
        other = link["target"] if link["source"] == doc_id else link["source"]
        rows.append(f'<li><span class="ltr">{link["relation"]} ({link["score"]:.2f})</span>: {_doc_link(other, titles)}</li>')
    return "<ul>" + "".join(rows) + "</ul>"


def document_page(record: dict, links: list[dict], titles: dict) -> str:
    """The page of one document."""
    meta = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in (
        ("id", f'<span class="ltr">{record["id"]}</span>'),
        ("publisher", html.escape(record["publisher"] or "—")),
        ("published", f'<span class="ltr">{record["published"] or "—"}</span>'),
        ("duplicate cluster", _doc_link(record["dedup_cluster"], titles)),
    ))
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in record["warnings"])
    body = (f'<nav><a href="../index.html">All documents</a></nav>\n<h1>{_title(record["title"], record["id"])}</h1>\n'
            f'<dl class="meta">{meta}</dl>\n'
            f'<h2>Body and entities</h2>\n<p class="legend">{_legend(record)}</p>\n'
            f'<div class="text body-text">{body_html(record)}</div>\n'
            f'<h2>Events</h2>\n{events_html(record)}\n'
            f'<h2>Duplicates and same-event reports</h2>\n{links_html(record["id"], links, titles)}\n'
            + (f"<h2>Warnings</h2><ul>{warnings}</ul>\n" if warnings else "")
            + f'<h2>Raw page</h2>\n<div class="text raw">{raw_html(record)}</div>')
    return _page(record["title"] or record["id"], body)


def index_page(records: Iterable[dict], titles: dict) -> str:
    rows = []
    for r in records:
        cluster = "" if r["dedup_cluster"] == r["id"] else _doc_link(r["dedup_cluster"], titles, f"{DOCS}/")
        rows.append(f'<tr><td><a href="{DOCS}/{r["id"]}.html">{_title(r["title"], r["id"])}</a></td>'
                    f'<td>{html.escape(r["publisher"] or "—")}</td><td class="ltr">{r["published"] or "—"}</td>'
                    f'<td>{cluster}</td><td>{r["entities"]}</td><td>{r["events"]}</td></tr>')
    table = ("<table><thead><tr><th>title</th><th>publisher</th><th>published</th><th>duplicate of</th>"
             "<th>entities</th><th>events</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    return _page("Akhbar", f"<h1>Akhbar: {len(rows)} documents</h1>\n{table}")


def build_site(root: Path, out: Path, progress: bool = False) -> list[Path]:
    """Write the site of the built dataset ``root`` into ``out`` (pages of the same names are
    replaced, a failed run leaves ``out`` as it was); return the files written."""
    with staging_dir(out) as staged:
        return move_files(_write_site(root, staged, progress), staged, out)


def _write_site(root: Path, out: Path, progress: bool) -> list[Path]:
    titles, summary = {}, []
    for r in iter_rows(root, "documents", columns=["id", "title", "publisher", "published", "dedup_cluster", "entities", "events"]):
        titles[r["id"]] = r["title"]
        summary.append({**r, "entities": len(r["entities"]), "events": len(r["events"])})
    by_doc = defaultdict(list)
    for link in iter_rows(root, "links"):
        by_doc[link["source"]].append(link)
        by_doc[link["target"]].append(link)
    written = [out / "index.html"]
    written[0].write_text(index_page(summary, titles), encoding="utf-8")
    (out / DOCS).mkdir(exist_ok=True)
    for record in tqdm(iter_rows(root, "documents"), total=len(summary), desc="view", unit="page", disable=not progress):
        path = out / DOCS / f"{record['id']}.html"
        path.write_text(document_page(record, by_doc[record["id"]], titles), encoding="utf-8")
        written.append(path)
    return written
