"""The dataset card: ``dataset/README.md`` (Hugging Face YAML + prose) and ``DATASET_CARD.md``.

Every number in the card is computed here from the built Parquet files or from the evaluation
figures (:mod:`akhbar.evaluation`), never typed by hand, so the card cannot drift from the data.
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

import yaml

from akhbar import __version__
from akhbar.about import LICENSE, LICENSE_SECTION, bibtex
from akhbar.links import LinkConfig
from akhbar.ner import TRAINING_SETS as TAGGER_TRAINING_SETS
from akhbar.schema import DOCUMENT_SCHEMA, load_schema
from akhbar.write import SPLIT, iter_rows, write_bytes_atomic

CONFIG_ORDER = ("documents", "entities", "events", "links", "ner")
CONFIG_PURPOSE = {
    "documents": "one record per page: raw text, body, boilerplate, metadata, entities, events",
    "entities": "one row per entity mention (document_id, offsets into body_text, label, canonical, source)",
    "events": "one row per meeting-event mention (document_id, trigger, date, place, participants, event_key)",
    "links": "one row per pair of documents: exact_duplicate, near_duplicate, same_event",
    "ner": "one row per sentence of body_text: tokens, BIO ner_tags (ClassLabel), token offsets into body_text",
}


def _front_matter(writers: dict) -> dict:
    configs, infos = [], []
    for name in CONFIG_ORDER:
        writer = writers[name]
        config = {"config_name": name, "data_files": [{"split": SPLIT, "path": f"data/{name}/{SPLIT}-*.parquet"}]}
        if name == "documents":
            config["default"] = True
        configs.append(config)
        infos.append({
            "config_name": name,
            "features": writer.features._to_yaml_list(),
            "splits": [{"name": SPLIT, "num_bytes": writer.num_bytes, "num_examples": writer.num_rows}],
        })
    n = writers["documents"].num_rows
    size = "n<1K" if n < 1000 else "1K<n<10K" if n < 10_000 else "10K<n<100K" if n < 100_000 else "100K<n<1M" if n < 1_000_000 else "1M<n<10M"
    return {
        "language": ["ar"],
        "license": LICENSE,
        "pretty_name": "Akhbar",
        "size_categories": [size],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition"],
        "tags": ["arabic", "news", "boilerplate-removal", "event-extraction", "deduplication"],
        "configs": configs,
        "dataset_info": infos,
    }


def strip_front_matter(text: str) -> str:
    """The card without its YAML header (for DATASET_CARD.md)."""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4)
        return text[end + 5:].lstrip("\n")
    return text


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _table(header: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def _pct(x: float) -> str:
    return f"{x:.3f}"


def _example(value) -> str:
    text = repr(value) if not isinstance(value, str) else value
    text = text.replace("\n", "\\n").replace("|", "\\|")
    return f"`{text[:70]}{'…' if len(text) > 70 else ''}`"


def _statistics(root: Path) -> dict:
    publishers, years, boilerplate, sources = Counter(), Counter(), Counter(), Counter()
    first = None
    documents = warnings = with_title = with_date = 0
    for row in iter_rows(root, "documents"):
        if first is None:
            first = row
        documents += 1
        publishers[row["publisher"] or "(not stated)"] += 1
        years[row["published"][:4] if row["published"] else "(not stated)"] += 1
        with_title += row["title"] is not None
        with_date += row["published"] is not None
        warnings += bool(row["warnings"])
        boilerplate.update(span["label"] for span in row["boilerplate"])
        sources["gold" if any(e["source"] == "gold" for e in row["entities"]) else "auto"] += 1
    labels = Counter()
    for row in iter_rows(root, "entities", columns=["label", "source"]):
        labels[(row["label"], "gold" if row["source"] == "gold" else "auto")] += 1
    events = Counter()
    for row in iter_rows(root, "events", columns=["subtype", "realis", "role", "source"]):
        events[(row["subtype"], row["realis"], row["role"], "gold" if row["source"] == "gold" else "auto")] += 1
    relations = Counter(row["relation"] for row in iter_rows(root, "links", columns=["relation"]))
    return {"first": first, "documents": documents, "publishers": publishers, "years": years, "warnings": warnings,
            "with_title": with_title, "with_date": with_date, "boilerplate": boilerplate, "sources": sources,
            "labels": labels, "events": events, "relations": relations}


def _guidelines() -> str:
    text = resources.files("akhbar").joinpath("data", "entity_guidelines.md").read_text(encoding="utf-8")
    return text.split("\n", 1)[1].lstrip("\n")  # drop the file's own title


def _fields_table(first: dict | None) -> str:
    schema = load_schema(DOCUMENT_SCHEMA)
    rows = []
    for name, prop in schema["properties"].items():
        kind = prop.get("type", "object or null" if "oneOf" in prop else "")
        if isinstance(kind, list):
            kind = " or ".join(kind)
        example = _example(first[name]) if first is not None else ""
        rows.append([f"`{name}`", kind, prop["description"].replace("|", "\\|"), example])
    return _table(["field", "type", "description", "example (first record)"], rows)


def _scores_line(f: dict) -> str:
    b, k, m, n = f["body"], f["keep_every_line"], f["metadata_correct"], f["documents"]
    return (f"{n} pages. Body characters: precision {_pct(b['precision'])}, recall {_pct(b['recall'])}, "
            f"**F1 {_pct(b['f1'])}** (keeping every line: F1 {_pct(k['f1'])}). Metadata exactly right: "
            f"title {m['title']}/{n}, publisher {m['publisher']}/{n}, publication date {m['published']}/{n}.")


def _body_section(figures: dict) -> str:
    parts = []
    if figures.get("body_seeds"):
        parts.append("**Seed pages** (the pages the segmenter was developed on): " + _scores_line(figures["body_seeds"]))
    for f in figures.get("heldout", []):
        info = f["set"]
        line = f"**{info['name']}**: {info.get('description', '')} Now: " + _scores_line(f)
        first = info.get("first_measurement")
        if first:
            line += (f" At its first measurement, before any change made from it: body F1 {_pct(first['body_f1'])} "
                     f"(precision {_pct(first['body_precision'])}, recall {_pct(first['body_recall'])}).")
        parts.append(line)
    return "\n\n".join(parts) if parts else "No gold body files were available to this build."


def _entity_section(stats: dict, figures: dict) -> str:
    labels = sorted({label for label, _ in stats["labels"]})
    rows = [[label, stats["labels"][(label, "gold")], stats["labels"][(label, "auto")]] for label in labels]
    parts = ["Mentions per label in this release:", "", _table(["label", "gold", "automatic"], rows)]
    agreement = figures.get("entity_agreement")
    if agreement:
        m = agreement["micro"]
        parts += ["", f"**Inter-annotator agreement.** An independent second annotator annotated the same "
                  f"{agreement['documents']} documents from the same guidelines without seeing the first pass; "
                  f"entity-level agreement (same start, end and label) is **F1 {_pct(m['f1'])}** "
                  f"({m['tp']} mentions in common, {m['fn']} only in the first pass, {m['fp']} only in the second). "
                  "Most disagreements came from two rules the passes read differently (brackets inside a name; a "
                  "role followed by the coalition's name); the guidelines were made precise on both (rules 4 and 8) "
                  "and the gold files, from the first pass, were adjudicated to them.", "",
                  _table(["label", "F1", "both", "first only", "second only"],
                         [[label, _pct(p["f1"]), p["tp"], p["fn"], p["fp"]] for label, p in agreement["per_label"].items()])]
    auto = figures.get("entities_auto_vs_gold")
    if auto:
        m = auto["micro"]
        parts += ["", f"**Automatic annotator against gold** ({auto['documents']} documents, exact span and label): "
                  f"precision {_pct(m['precision'])}, recall {_pct(m['recall'])}, **micro F1 {_pct(m['f1'])}**. "
                  "The seeds' gold is training data of the entity tagger, so this is a training-set figure, "
                  "not a measure of quality on new pages (see the held-out sets below).", "",
                  _table(["label", "precision", "recall", "F1", "gold mentions"],
                         [[label, _pct(p["precision"]), _pct(p["recall"]), _pct(p["f1"]), p["tp"] + p["fn"]]
                          for label, p in auto["per_label"].items()])]
    for f in figures.get("heldout", []):
        if f.get("entities"):
            m = f["entities"]["micro"]
            first = f["set"].get("first_measurement", {})
            rules_alone = f["entities"].get("rules_alone")
            trained_on = f.get("folder") in {Path(g).name for g in TAGGER_TRAINING_SETS}
            parts += ["", f"**Automatic annotator on {f['set']['name']}** ({f['documents']} pages whose gold entities were "
                      f"made by an annotator who never saw the automatic annotator, scored on the gold body): "
                      f"precision {_pct(m['precision'])}, recall {_pct(m['recall'])}, **micro F1 {_pct(m['f1'])}**"
                      + (f"; the rules alone ({rules_alone['annotator']}): F1 {_pct(rules_alone['f1'])}" if rules_alone else "")
                      + (f"; at its first measurement ({first.get('entities_measured_with', 'blind')}): "
                         f"{_pct(first['entities_f1'])}" if first.get("entities_f1") else "")
                      + (". This set is training data of the entity tagger, so its current figure is not a held-out one"
                         if trained_on else "")
                      + ".", "",
                      _table(["label", "precision", "recall", "F1", "gold mentions"],
                             [[label, _pct(p["precision"]), _pct(p["recall"]), _pct(p["f1"]), p["tp"] + p["fn"]]
                              for label, p in f["entities"]["per_label"].items()])]
    return "\n".join(parts)


def _events_section(stats: dict, figures: dict) -> str:
    rows = [[subtype, realis, role, source, n] for (subtype, realis, role, source), n in sorted(stats["events"].items())]
    parts = [_table(["subtype", "realis", "role", "source", "events"], rows) if rows else "No events in this release."]
    auto = figures.get("events_auto_vs_gold")
    if auto:
        parts += ["", f"**Automatic extractor against gold** (an event matches when its `event_key` — date and place — "
                  f"equals a gold event's): precision {_pct(auto['precision'])}, recall {_pct(auto['recall'])}, "
                  f"F1 {_pct(auto['f1'])} ({auto['tp']} matched, {auto['fp']} spurious, {auto['fn']} missed)."]
    rows = [[f["set"]["name"], f["documents"], _pct(m["precision"]), _pct(m["recall"]), _pct(m["f1"]),
             f"{m['pages_without_meeting_kept_empty']}/{m['pages_without_meeting']}"]
            for f in figures.get("heldout", []) if (m := f.get("meetings"))]
    if rows:
        parts += ["", "**On held-out pages** (gold: every meeting of officials the body reports, coalition or not, with "
                  "its place as written, its date and, where stated, its realis; an event matches when its date and "
                  "place agree and so does its realis (actual or planned) when the gold states one):", "",
                  _table(["set", "pages", "precision", "recall", "F1", "pages without a meeting given none"], rows)]
    return "\n".join(parts)


def _with_release(front: dict, release: dict | None) -> dict:
    """The YAML header with ``version`` and ``date`` after ``pretty_name``, for a release."""
    if not release:
        return front
    out = {}
    for key, value in front.items():
        out[key] = value
        if key == "pretty_name":
            out["version"], out["date"] = release["version"], release["date"]
    return out


def _release_line(release: dict | None) -> str:
    if not release:
        return ""
    return (f"\n\n**Release {release['version']}** of {release['date']}: pin it with "
            f"`load_dataset(..., revision=\"v{release['version']}\")` and check its files with "
            "`sha256sum -c checksums.sha256`; `croissant.json` describes it in Croissant 1.1.")


def render_card(root: Path, writers: dict, figures: dict | None, release: dict | None = None) -> str:
    """The full ``README.md`` of a built dataset folder; ``release`` (``{"version", "date"}``, from
    ``akhbar release``) adds ``version:`` and ``date:`` to the YAML header and a line to the prose."""
    figures = figures or {}
    stats = _statistics(root)
    link_cfg = LinkConfig()
    front = yaml.safe_dump(_with_release(_front_matter(writers), release), allow_unicode=True, sort_keys=False, width=1000)
    publishers = _table(["publisher", "documents"], [[p, n] for p, n in sorted(stats["publishers"].items())])
    years = _table(["year", "documents"], [[y, n] for y, n in sorted(stats["years"].items())])
    configs = _table(["config", "rows", "what"], [[f"`{name}`", writers[name].num_rows, CONFIG_PURPOSE[name]] for name in CONFIG_ORDER])
    boilerplate = _table(["label", "spans"], [[label, n] for label, n in sorted(stats["boilerplate"].items())])
    relations = _table(["relation", "links"], [[r, stats["relations"][r]] for r in ("exact_duplicate", "near_duplicate", "same_event")])
    near = figures.get("near_duplicates")
    d = stats["documents"]
    return f"""---
{front}---

# Akhbar: Arabic news pages about the Global Coalition against Daesh, cleaned and annotated

Akhbar (أخبار, "news") is a dataset of scraped Arabic news pages as Moroccan and pan-Arab sites
published them, each with its clean article body, labelled page boilerplate, metadata, entity
mentions, meeting events and links to its duplicates. Built by `akhbar` {__version__}.{_release_line(release)}

```python
from datasets import load_dataset

docs = load_dataset("dataset", "documents", split="train")   # or the hub id
doc = docs[0]
print(doc["title"], doc["published"])
for e in doc["entities"]:
    assert doc["body_text"][e["start"]:e["end"]] == e["text"]
unique = docs.filter(lambda r: r["id"] == r["dedup_cluster"])  # one copy of each text
mentions = load_dataset("dataset", "entities", split="train")   # one row per mention
sentences = load_dataset("dataset", "ner", split="train")       # tokens and BIO ner_tags
```

The flat configs join on `document_id`: an entity is identified by `(document_id, id)` (its id,
`T1`, `T2`…, is unique within its document only), and an event's `place` and `participants` name
entities of the same document, so join `events` to `entities` on `(document_id, id)`.

## Contents

{d} documents; {stats['with_title']} with a headline, {stats['with_date']} with a publication date;
{stats['sources']['gold']} with curated (gold) entities and events, {stats['sources']['auto']} with automatic ones.

{configs}

## Sources

The first collection covers the ministerial meetings of the Global Coalition against Daesh
(Washington 2019, the virtual small-group meeting of 2021, Marrakech 2022) as reported by Moroccan
and pan-Arab news sites. Pages were scraped and their HTML stripped before they reached us; each
seed file is kept byte for byte (`sha256`).

{publishers}

{years}

## How it was built

`akhbar build` runs, for every page: **read** (UTF-8, BOM removed, CRLF/CR → LF; empty, binary
or non-UTF-8 files are refused) → **segment** (body, headline, byline, boilerplate, from the shape of
each line: length, punctuation, Arabic function-word density, cue phrases, copies within the page,
lines shared across the corpus) → **metadata** (title, publisher and date read from the headline and
byline only) → **entities** and **events** (curated files where they exist, automatic annotators
otherwise) → **validate** (every record against `schema/document.schema.json`); then, over the
corpus, **link** (exact and near duplicates by MinHash LSH, reports of the same meeting). The same
seeds give byte-identical Parquet files.

## Fields of `documents`

{_fields_table(stats['first'])}

### Offsets

All offsets are Python string indices (Unicode code points), end-exclusive. `body_spans`,
`headline_span`, `byline_span` and `boilerplate` point into `raw_text`; entity and event trigger
offsets point into `body_text`. Every stored text equals the slice it points at, and
`body_text == "\\n".join(raw_text[s["start"]:s["end"]] for s in body_spans)`. Arabic text is never
rewritten: matching runs on a normalised view (NFC; diacritics and tatweel removed; أ إ آ → ا,
ى → ي, ة → ه) whose offsets are mapped back to the real text, and `canonical` holds the one
normalised name of an entity.

## Boilerplate

Every non-blank stretch of `raw_text` that is neither body, headline nor byline is a labelled span:

{boilerplate}

### Quality of body extraction

Gold: the lines of each page that are the article's own paragraphs, chosen by reading the page.
Scores count non-space characters.

{_body_section(figures)}

## Entities

{_entity_section(stats, figures)}

### Annotation guidelines

{_guidelines()}

### Token classification: the `ner` config

One row per sentence of `body_text`: `document_id`, `sentence` (its position, from 0), `tokens`,
`ner_tags` (a `List(ClassLabel)` of BIO tags: `O`, then `B-X` and `I-X` for each entity label X
in the schema's order, listed in the `dataset_info` of the YAML header of `dataset/README.md`)
and `token_starts` / `token_ends`, each token's offsets into `body_text`
(`tokens[i] == body_text[token_starts[i]:token_ends[i]]`).

Tokenisation (`akhbar.tokens`): a token is a run of letters and digits with the marks written on
them (harakat, superscript alef, tatweel), or a single other non-space character; proclitics stay
on their word (`بالرباط` is one token) unless an entity edge falls inside the word, where the
token is cut (`ب` + `الرباط`), which is where the guidelines put the span (rule 2). So every entity
is a whole number of tokens and the tags give back every entity span exactly. A sentence ends at a
line break or at `. ! ? ؟ …` followed by white space, but never inside an entity. Because those
cuts follow the annotation, new text tokenised the same way (`akhbar.tokens.tokenize`) keeps such
words whole: a word-level tagger sees `ب` + `الرباط` in training and `بالرباط` at prediction, so
score predictions on character spans (the offsets), or split proclitics before tagging.

```python
ner = load_dataset("dataset", "ner", split="train")
names = ner.features["ner_tags"].feature.names     # ['O', 'B-PERS', 'I-PERS', ...]
print([(t, names[g]) for t, g in zip(ner[0]["tokens"], ner[0]["ner_tags"])])
```

Labels stay strings in `documents`, `entities` and `events` (`label`, `subtype`, `realis`, `role`,
boilerplate `label`): those configs hold the records of `schema/document.schema.json`, where they are
string enums that the annotation files, `akhbar validate` and every reader share; a `ClassLabel`
would store integers and change the type of published columns. The closed sets are in the schema
(`entity_label`, `event_subtype`, `boilerplate_label`); `ner_tags` is the `ClassLabel` over them.

## Events

Meetings are annotated as ACE 2005 `Contact:Meet` events (CAMEO 040, consult), with the roles
Entity (`participants`), Place (`place`, an entity id) and Time (`date`, resolved against the
publication date: أمس الأربعاء in a page of 2019-02-07 is 2019-02-06; `date_basis` says how).
`event_key` (`Contact.Meet|date|place`) is the same for every report of the same meeting, so the
`events` config can be grouped by it.

{_events_section(stats, figures)}

## Links

{relations}

- `exact_duplicate`: equal body text after normalisation (white space, NFC, tatweel, diacritics).
- `near_duplicate`: estimated Jaccard similarity of word {link_cfg.shingle_size}-gram shingles of the
  body text ≥ {link_cfg.threshold}, from {link_cfg.num_perm}-permutation MinHash signatures; candidate pairs
  come from LSH banding ({link_cfg.bands} bands × {link_cfg.rows} rows), never from all pairs, and are
  verified on the full signature. Bodies are compared, not pages: page chrome would hide a copy.
- `same_event`: documents with an event of the same `event_key`.

`dedup_cluster` is the smallest id of a document's exact/near-duplicate group.

{"Measured on synthetic variants of articles written for the purpose: " + near["table"] if near else ""}

## Known limitations

- The segmenter reads plain text only; a site whose article paragraphs are very short lines
  without punctuation may lose them, and a long teaser of another story set right after the
  article without a cue phrase may be kept.
- Publishers are read from the byline, the copyright line and a lone site-name line; a page that
  names its outlet nowhere else gets none.
- Automatic entities come from a CRF tagger trained on ANERcorp (2007 news-wire) and about 195
  pages of this project's gold: names of kinds rare in both (products, laws, programmes), club and
  company names written alone, villages and local bodies, and long role spans are its weakest; its
  figures on unseen pages are in the quality section.
- The first release is small ({d} pages); figures on so few pages have wide error bars.

## Sensitive content

The articles report on terrorism (Daesh / ISIS) and counter-terrorism and name public figures
(ministers, officials). No private individuals are annotated on purpose. Texts are as published and
may contain the publishers' own framing.

## License and citation

{LICENSE_SECTION}

Cite the dataset as:

```bibtex
{bibtex(release["version"] if release else None, release["date"][:4] if release else None)}
```

{stats['warnings']} documents carry input warnings (see the `warnings` field).
"""
