"""``dataset/croissant.json``: the release described in mlcommons Croissant 1.1, with the RAI fields.

``croissant_metadata(root, release, figures) -> dict`` reads a built dataset folder (its card's YAML
header and its Parquet files) and returns the JSON-LD:

- **distribution**: one ``cr:FileObject`` per Parquet file (relative ``contentUrl``, ``sha256``,
  size), so a researcher can check every file of a pinned release, and one ``cr:FileSet`` per
  config (``data/<config>/*.parquet``) that the record sets read;
- **recordSet**: one per config (``documents``, ``entities``, ``events``, ``links``), fields derived
  from the same ``datasets.Features`` as the Parquet schema (:mod:`akhbar.schema`): a struct becomes
  a field with ``subField``\\ s, a list ``isArray``; descriptions come from
  ``schema/document.schema.json``;
- **RAI** (Croissant RAI 1.0): how the data was collected, preprocessed and annotated, its known
  biases and limitations, personal and sensitive information, intended uses, maintenance; the
  inter-annotator agreement when the build measured it.

``mlcroissant validate --jsonld dataset/croissant.json`` checks it offline (the tests run it).
"""

from __future__ import annotations

import json
from pathlib import Path

from datasets import Features, List, Value

from akhbar import entities as entity_annotator
from akhbar import events as event_extractor
from akhbar.about import AUTHORS, LICENSE, LICENSE_NOTE, LICENSE_URL, URL, bibtex
from akhbar.card import CONFIG_ORDER, CONFIG_PURPOSE
from akhbar.ner_config import NER_DESCRIPTIONS
from akhbar.schema import DOCUMENT_SCHEMA, load_schema
from akhbar.validate import CARD, CROISSANT, config_features, data_files, file_sha256, front_matter

CROISSANT_1_1 = "http://mlcommons.org/croissant/1.1"
RAI_1_0 = "http://mlcommons.org/croissant/RAI/1.0"
PARQUET = "application/x-parquet"
#: Hub license ids and their URLs (the card's ``license``).
LICENSE_URLS = {LICENSE: LICENSE_URL}
_DATA_TYPES = {"string": "sc:Text", "int32": "sc:Integer", "int64": "sc:Integer", "float64": "sc:Float", "bool": "sc:Boolean"}

#: The standard Croissant 1.1 ``@context`` (as mlcroissant writes it) plus the RAI prefix.
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

DESCRIPTION = (
    "Scraped Arabic news pages, each with its clean article body, labelled page boilerplate, headline, "
    "byline, publisher and publication date, entity mentions, meeting events (ACE 2005 Contact:Meet) and "
    "links to its exact and near duplicates. Offsets are Unicode code points, end-exclusive; every stored "
    "text equals the slice it points at. Full documentation: README.md (the dataset card)."
)

#: Keys of each record set: what identifies one row.
KEYS = {"documents": ["id"], "entities": ["document_id", "id"], "events": ["document_id", "id"],
        "links": ["source", "target", "relation"], "ner": ["document_id", "sentence"]}

RAI = {
    "rai:dataCollection": (
        "Arabic news pages about the Global Coalition against Daesh (ministerial meetings of 2019, 2021 and "
        "2022) as Moroccan and pan-Arab news sites published them, scraped and stripped of HTML before they "
        "reached the project; each page is kept byte for byte as a seed file and identified by its sha256."),
    "rai:dataCollectionType": ["Web Scraping"],
    "rai:dataCollectionRawData": (
        "raw_text is the seed file decoded as UTF-8 with a leading BOM removed and CR/CRLF turned into LF, "
        "nothing else; sha256 is the hash of the file's bytes."),
    "rai:dataPreprocessingProtocol": [
        "Pages that are empty, binary, not UTF-8 or over a size limit are refused; invisible bidi and "
        "zero-width characters are kept and reported in the record's warnings.",
        "A rule-based segmenter (akhbar.segment) labels every non-blank line as body, headline, byline or "
        "boilerplate (navigation, ticker, related, comments, share, widget, footer, caption, duplicate, other); "
        "body_text is the body lines joined by newlines, never rewritten.",
        "Exact duplicates (equal normalised body) and near duplicates (MinHash LSH over word 5-gram shingles, "
        "estimated Jaccard >= 0.7) are linked, and dedup_cluster names each group; no document is removed.",
    ],
    "rai:dataAnnotationProtocol": [
        "Entities: a flat subset of the Wojood label set (PERS, NORP, OCC, ORG, GPE, LOC, FAC, EVENT, DATE, "
        "TIME, CARDINAL, ORDINAL, PERCENT, QUANTITY, MONEY) following the annotation guidelines in the card.",
        "Events: ACE 2005 Contact:Meet mentions (CAMEO 040) with participants, place, date (resolved against "
        "the publication date), realis and subtype.",
        "Curated (gold) annotations are written by reading the Arabic, anchored on raw_text and pinned to the "
        "page's sha256; every other document carries automatic annotations, marked by their source.",
    ],
    "rai:dataAnnotationPlatform": ["Plain JSON files reviewed in a text editor and checked by `akhbar validate --seeds`."],
    "rai:annotationsPerItem": (
        "One curated pass per gold document, adjudicated; a second independent pass on the same documents "
        "measures agreement. Documents without curated files have one automatic pass."),
    "rai:annotatorDemographics": ["Project contributors reading Modern Standard Arabic; no crowd workers."],
    "rai:machineAnnotationTools": [
        f"akhbar.entities ({entity_annotator.SOURCE}): a CRF tagger (python-crfsuite) trained on ANERcorp and the "
        "project's gold for names, with gazetteers and rules as its features and for numbers and dates.",
        f"akhbar.events ({event_extractor.SOURCE}): trigger lexicon and clause rules.",
    ],
    "rai:dataUseCases": [
        "Boilerplate removal and main-content extraction for Arabic web news.",
        "Arabic named-entity recognition and meeting-event extraction.",
        "Near-duplicate detection and cross-document event coreference (event_key).",
    ],
    "rai:dataBiases": [
        "A narrow topic (counter-terrorism diplomacy) and a few sites, mostly Moroccan: vocabulary, names and "
        "page layouts are not representative of Arabic news at large.",
        "Automatic annotations favour names present in the gazetteers.",
    ],
    "rai:dataLimitations": [
        "Small: figures computed on so few pages have wide error bars.",
        "Publishers are named only when the page names them; many publication dates are missing.",
        "The segmenter reads plain text only: very short article lines can be lost, teasers of other stories kept.",
    ],
    "rai:dataSocialImpact": (
        "The articles report on terrorism and counter-terrorism and carry the publishers' own framing; the "
        "dataset is meant to improve Arabic language technology, not to profile anyone."),
    "rai:personalSensitiveInformation": [
        "Names of public figures (ministers, officials) as published in the news; no private individuals are "
        "annotated on purpose.",
    ],
    "rai:dataReleaseMaintenancePlan": (
        "Versioned releases (semantic versions, git tags v<version>) cut with `akhbar release`; CHANGELOG.md "
        "lists documents added, removed and changed and the annotation counts of each release; document ids "
        "are stable across releases. Removal requests: a discussion titled 'takedown: <document id>' at " + URL + "/discussions."),
}


def _data_type(feature: Value) -> str:
    return _DATA_TYPES.get(feature.dtype, "sc:Text")


def _descriptions(config: str) -> dict[str, str]:
    schema = load_schema(DOCUMENT_SCHEMA)
    if config == "documents":
        return {name: prop.get("description", "") for name, prop in schema["properties"].items()}
    if config == "ner":
        return dict(NER_DESCRIPTIONS)
    definition = {"entities": "entity", "events": "event"}.get(config)
    described = {"document_id": "The id of the document (documents config) this row belongs to."}
    if definition:
        for name, prop in schema["$defs"][definition]["properties"].items():
            if "description" in prop:
                described[name] = prop["description"]
    return described


def _field(record_set: str, file_set: str, column: str, name: str, feature, description: str | None, path: list[str]) -> dict:
    """One Croissant field for ``feature``; ``path`` is the JSON path inside ``column`` (nested fields)."""
    field_id = "/".join([record_set, column, *path]) if path else f"{record_set}/{column}"
    out: dict = {"@type": "cr:Field", "@id": field_id, "name": name}
    if description:
        out["description"] = description
    is_array = isinstance(feature, List)
    inner = feature.feature if is_array else feature
    source: dict = {"fileSet": {"@id": file_set}, "extract": {"column": column}}
    if path:
        source["transform"] = {"jsonPath": ".".join(path)}
    if isinstance(inner, dict):
        out["dataType"] = "sc:StructuredValue"
        out["subField"] = [_field(record_set, file_set, column, sub, inner[sub], None, [*path, sub]) for sub in inner]
    else:
        out["dataType"] = _data_type(inner)
        out["source"] = source
    if is_array:
        out["isArray"] = True
        out["arrayShape"] = "-1"
    return out


def record_set(config: str, features: Features) -> dict:
    """The record set of one config: a field per column, nested fields for structs and lists."""
    file_set = f"parquet-{config}"
    described = _descriptions(config)
    return {
        "@type": "cr:RecordSet",
        "@id": config,
        "name": config,
        "description": CONFIG_PURPOSE[config],
        "key": [{"@id": f"{config}/{column}"} for column in KEYS[config]],
        "field": [_field(config, file_set, column, column, features[column], described.get(column), [])
                  for column in features],
    }


def _distribution(root: Path) -> list[dict]:
    files, sets = [], []
    for config in CONFIG_ORDER:
        for path in data_files(root, config):
            relative = path.relative_to(root).as_posix()
            files.append({
                "@type": "cr:FileObject", "@id": relative, "name": relative,
                "description": f"Parquet file of the {config} config.",
                "contentUrl": relative, "contentSize": f"{path.stat().st_size} B",
                "encodingFormat": PARQUET, "sha256": file_sha256(path),
            })
        sets.append({
            "@type": "cr:FileSet", "@id": f"parquet-{config}", "name": f"parquet-{config}",
            "description": f"The Parquet files of the {config} config.",
            "encodingFormat": PARQUET, "includes": f"data/{config}/*.parquet",
        })
    return files + sets


def _annotation_analysis(figures: dict | None) -> list[str]:
    figures = figures or {}
    out = []
    agreement = figures.get("entity_agreement")
    if agreement:
        out.append(f"Inter-annotator agreement on entities (same start, end and label), two independent passes over "
                   f"{agreement['documents']} documents: F1 {agreement['micro']['f1']:.3f}.")
    auto = figures.get("entities_auto_vs_gold")
    if auto:
        out.append(f"Automatic entity annotator against gold ({auto['documents']} documents): micro F1 {auto['micro']['f1']:.3f}.")
    events = figures.get("events_auto_vs_gold")
    if events:
        out.append(f"Automatic event extractor against gold: F1 {events['f1']:.3f}.")
    return out


def croissant_metadata(root: Path, release: dict, figures: dict | None = None) -> dict:
    """The Croissant 1.1 JSON-LD of the built dataset in ``root`` for ``release`` (``{"version", "date"}``)."""
    card = front_matter((root / CARD).read_text(encoding="utf-8"))
    version, date = release["version"], release["date"]
    metadata = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": [CROISSANT_1_1, RAI_1_0],
        "name": card.get("pretty_name", "Akhbar"),
        "description": DESCRIPTION,
        "version": version,
        "datePublished": date,
        "license": LICENSE_URLS.get(card["license"], card["license"]),
        "inLanguage": card["language"],
        "keywords": card.get("tags", []),
        "url": URL,
        "creator": [{"@type": "sc:Organization", "name": name} for name in AUTHORS],
        "citeAs": bibtex(version, date[:4]),
        "usageInfo": LICENSE_NOTE,
        "distribution": _distribution(root),
        "recordSet": [record_set(config, config_features(config)) for config in CONFIG_ORDER],
        **RAI,
    }
    analysis = _annotation_analysis(figures)
    if analysis:
        metadata["rai:dataAnnotationAnalysis"] = analysis
    return metadata


def write_croissant(root: Path, release: dict, figures: dict | None = None) -> Path:
    """Write ``root/croissant.json`` (stable key order, UTF-8) and return its path."""
    path = root / CROISSANT
    path.write_text(json.dumps(croissant_metadata(root, release, figures), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    return path
