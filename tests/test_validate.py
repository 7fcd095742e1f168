"""`akhbar validate`: a built dataset tampered one way per test, and seeds folders with broken files.

Each test edits one value of a copy of the session's built dataset (rewriting the Parquet file with
pyarrow), runs the command through CliRunner and asserts the exact problem line.
"""

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from akhbar.cli import main
from akhbar.schema import LINK_FEATURES, document_features, load_schema, row_features
from akhbar.validate import Problem, record_findings, validate_dataset

ROOT = Path(__file__).resolve().parents[1]
DOC = "002_3f60bd73f52770e3"  # several body spans, boilerplate, entities and an event
FEATURES = {"documents": document_features, "entities": lambda: row_features("entity"),
            "events": lambda: row_features("event"), "links": lambda: LINK_FEATURES}


@pytest.fixture
def dataset(built, tmp_path) -> Path:
    """A private copy of the built dataset to tamper with."""
    copy = tmp_path / "dataset"
    shutil.copytree(built, copy)
    return copy


def parquet_path(root: Path, config: str) -> Path:
    [path] = sorted((root / "data" / config).glob("*.parquet"))
    return path


def read(root: Path, config: str) -> list[dict]:
    return pq.read_table(parquet_path(root, config)).to_pylist()


def rewrite(root: Path, config: str, rows: list[dict]) -> None:
    schema = FEATURES[config]().arrow_schema
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), parquet_path(root, config), compression="zstd")


def tamper_document(root: Path, edit, doc_id: str = DOC) -> dict:
    """Apply ``edit(record)`` to one document; return the edited record."""
    rows = read(root, "documents")
    [record] = [r for r in rows if r["id"] == doc_id]
    edit(record)
    rewrite(root, "documents", rows)
    return record


def tamper_card(root: Path, edit) -> None:
    text = (root / "README.md").read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    meta = yaml.safe_load(header)
    edit(meta)
    (root / "README.md").write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body,
                                    encoding="utf-8")


def validate(runner, *args: str):
    result = runner.invoke(main, ["validate", *args])
    assert "Traceback" not in result.output
    return result


def assert_problem(runner, root: Path, line: str) -> None:
    result = validate(runner, str(root))
    assert result.exit_code == 1, result.output
    assert line in result.output.splitlines(), result.output


# --- a valid dataset -----------------------------------------------------------------------------

def test_the_built_dataset_is_valid(runner, built):
    result = validate(runner, str(built))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{built}: valid, unreleased (no release yet).\n" and result.stderr == ""


def test_json_output(runner, dataset):
    tamper_document(dataset, lambda r: r.update(sha256="0" * 64))
    result = validate(runner, str(dataset), "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False and report["errors"] == len(report["problems"]) == 1
    assert report["problems"][0] == {"doc_id": DOC, "json_path": "$.sha256", "level": "error",
                                     "message": report["problems"][0]["message"]}


def test_missing_folder(runner, tmp_path):
    result = validate(runner, str(tmp_path / "nope"))
    assert result.exit_code == 1 and f"{tmp_path / 'nope'}: $: no such folder" in result.output


# --- records ---------------------------------------------------------------------------------------

def test_wrong_sha256(runner, dataset):
    record = tamper_document(dataset, lambda r: r.update(sha256="0" * 64))
    actual = hashlib.sha256(record["raw_text"].encode("utf-8")).hexdigest()
    assert_problem(runner, dataset, f"{DOC}: $.sha256: 000000000000… does not match raw_text, whose UTF-8 bytes hash to {actual[:12]}…")


def test_span_out_of_range(runner, dataset):
    def edit(r):
        r["boilerplate"][-1]["end"] = len(r["raw_text"]) + 10
    record = tamper_document(dataset, edit)
    n, span = len(record["boilerplate"]) - 1, record["boilerplate"][-1]
    assert_problem(runner, dataset, f"{DOC}: $.boilerplate[{n}]: [{span['start']}, {span['end']}) is outside raw_text "
                                    f"(length {len(record['raw_text'])})")


def test_empty_span(runner, dataset):
    record = tamper_document(dataset, lambda r: r["boilerplate"][0].update(end=r["boilerplate"][0]["start"] + 1) or
                             r["boilerplate"][0].update(start=r["boilerplate"][0]["end"]))
    start = record["boilerplate"][0]["start"]
    assert_problem(runner, dataset, f"{DOC}: $.boilerplate[0]: start {start} is not before end {start}")


def test_unsorted_spans(runner, dataset):
    def edit(r):
        r["boilerplate"][0], r["boilerplate"][1] = r["boilerplate"][1], r["boilerplate"][0]
    record = tamper_document(dataset, edit)
    first, second = record["boilerplate"][0], record["boilerplate"][1]
    assert_problem(runner, dataset, f"{DOC}: $.boilerplate[1]: not sorted: starts at {second['start']}, before "
                                    f"$.boilerplate[0] (starts at {first['start']})")


def test_overlapping_boilerplate_and_body(runner, dataset):
    def edit(r):
        start = r["body_spans"][0]["start"]
        k = sum(1 for s in r["boilerplate"] if s["start"] < start)
        r["boilerplate"].insert(k, {"start": start, "end": start + 3, "label": "other"})
        r["k"] = k
    rows = read(dataset, "documents")
    [record] = [r for r in rows if r["id"] == DOC]
    edit(record)
    k = record.pop("k")
    rewrite(dataset, "documents", rows)
    body = record["body_spans"][0]
    assert_problem(runner, dataset, f"{DOC}: $.body_spans[0]: [{body['start']}, {body['end']}) overlaps "
                                    f"$.boilerplate[{k}] [{body['start']}, {body['start'] + 3})")


def test_entity_text_differs_from_its_slice(runner, dataset):
    record = tamper_document(dataset, lambda r: r["entities"][0].update(text="نص آخر"))
    e = record["entities"][0]
    assert_problem(runner, dataset, f"{DOC}: $.entities[0].text: 'نص آخر' differs from body_text[{e['start']}:{e['end']}] = "
                                    f"{record['body_text'][e['start']:e['end']]!r}")


def test_trigger_text_differs_from_its_slice(runner, dataset):
    record = tamper_document(dataset, lambda r: r["events"][0]["trigger"].update(text="لقاء"))
    t = record["events"][0]["trigger"]
    assert_problem(runner, dataset, f"{DOC}: $.events[0].trigger.text: 'لقاء' differs from body_text[{t['start']}:{t['end']}] = "
                                    f"{record['body_text'][t['start']:t['end']]!r}")


def test_body_text_differs_from_its_spans(runner, dataset):
    record = tamper_document(dataset, lambda r: r.update(body_text=r["body_text"] + "ز"))
    n = len(record["body_text"]) - 1
    assert_problem(runner, dataset, f"{DOC}: $.body_text: differs from the body spans joined by \\n at character {n}: 'ز' instead of ''")


def test_title_differs_from_the_headline(runner, dataset):
    record = tamper_document(dataset, lambda r: r.update(title="عنوان"))
    span = record["headline_span"]
    assert_problem(runner, dataset, f"{DOC}: $.title: 'عنوان' differs from raw_text[{span['start']}:{span['end']}] = "
                                    f"{record['raw_text'][span['start']:span['end']]!r}")


def test_unknown_label(runner, dataset):
    tamper_document(dataset, lambda r: r["entities"][0].update(label="PERSON"))
    labels = load_schema("document.schema.json")["$defs"]["entity_label"]["enum"]
    assert_problem(runner, dataset, f"{DOC}: $.entities[0].label: 'PERSON' is not one of {labels!r}")


def test_unknown_boilerplate_label(runner, dataset):
    tamper_document(dataset, lambda r: r["boilerplate"][0].update(label="menu"))
    labels = load_schema("document.schema.json")["$defs"]["boilerplate_label"]["enum"]
    assert_problem(runner, dataset, f"{DOC}: $.boilerplate[0].label: 'menu' is not one of {labels!r}")


def test_duplicate_entity_id(runner, dataset):
    record = tamper_document(dataset, lambda r: r["entities"][1].update(id=r["entities"][0]["id"]))
    first = record["entities"][0]["id"]
    assert_problem(runner, dataset, f"{DOC}: $.entities[1].id: {first!r} is also the id of $.entities[0]")


def test_event_refers_to_a_missing_entity(runner, dataset):
    record = tamper_document(dataset, lambda r: r["events"][0]["participants"].append("T999"))
    k = len(record["events"][0]["participants"]) - 1
    assert_problem(runner, dataset, f"{DOC}: $.events[0].participants[{k}]: refers to entity 'T999', which the document does not have")


def test_event_place_must_be_a_place(runner, dataset):
    def edit(r):
        r["events"][0]["place"] = next(e["id"] for e in r["entities"] if e["label"] == "PERS")
    record = tamper_document(dataset, edit)
    place = record["events"][0]["place"]
    assert_problem(runner, dataset, f"{DOC}: $.events[0].place: refers to {place!r}, a PERS entity; a place is one of GPE, LOC, FAC")


def test_duplicate_document_id(runner, dataset):
    rows = read(dataset, "documents")
    rows[1]["id"] = rows[0]["id"]
    rows[1]["source_file"] = rows[0]["source_file"]
    rewrite(dataset, "documents", rows)
    assert_problem(runner, dataset, f"{rows[0]['id']}: $.id: is not unique: documents[1] repeats it")


def test_unsafe_document_id(runner, dataset):
    tamper_document(dataset, lambda r: r.update(id="../002", source_file="../002.txt"), DOC)
    result = validate(runner, str(dataset))
    assert result.exit_code == 1
    assert "../002: $.id: '../002' does not match '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$'" in result.output.splitlines()


def test_dedup_cluster_names_a_missing_document(runner, dataset):
    tamper_document(dataset, lambda r: r.update(dedup_cluster="000_missing"))
    assert_problem(runner, dataset, f"{DOC}: $.dedup_cluster: '000_missing' is not a document id")


def test_flat_entities_config_differs_from_the_documents(runner, dataset):
    rows = read(dataset, "entities")
    n = next(i for i, r in enumerate(rows) if r["document_id"] == DOC)
    original = rows[n]["label"]
    rows[n]["label"] = "MONEY" if original != "MONEY" else "DATE"
    rewrite(dataset, "entities", rows)
    assert_problem(runner, dataset, f"{DOC}: entities[{n}].label: {rows[n]['label']!r} differs from $.entities[0].label = "
                                    f"{original!r} in the documents config")


# --- links -----------------------------------------------------------------------------------------

def test_link_to_a_missing_document(runner, dataset):
    rows = read(dataset, "links")
    rows[0]["target"] = "999_missing"
    rewrite(dataset, "links", rows)
    assert_problem(runner, dataset, f"{rows[0]['source']}: links[0].target: '999_missing' is not a document id")


def test_self_link(runner, dataset):
    rows = read(dataset, "links")
    rows[0]["target"] = rows[0]["source"]
    rewrite(dataset, "links", rows)
    assert_problem(runner, dataset, f"{rows[0]['source']}: links[0]: links {rows[0]['source']!r} to itself")


def test_duplicate_pair(runner, dataset):
    rows = read(dataset, "links")
    rows.append(dict(rows[0]))
    rewrite(dataset, "links", rows)
    n, link = len(rows) - 1, rows[0]
    assert_problem(runner, dataset, f"{link['source']}: links[{n}]: the pair ({link['source']}, {link['target']}) "
                                    f"is listed again for {link['relation']}")


def test_unknown_relation(runner, dataset):
    rows = read(dataset, "links")
    rows[0]["relation"] = "copy"
    rewrite(dataset, "links", rows)
    assert_problem(runner, dataset, f"{rows[0]['source']}: links[0].relation: 'copy' is not one of "
                                    "exact_duplicate, near_duplicate, same_event")


# --- the card and the files --------------------------------------------------------------------------

def test_card_without_license(runner, dataset):
    tamper_card(dataset, lambda meta: meta.pop("license"))
    assert_problem(runner, dataset, "README.md: $: 'license' is a required property")


def test_card_with_a_wrong_split_size(runner, dataset):
    def edit(meta):
        meta["dataset_info"][0]["splits"][0]["num_examples"] = 6
    tamper_card(dataset, edit)
    assert_problem(runner, dataset, "README.md: $.dataset_info[0].splits[0].num_examples: says 6, but data/documents holds 5 rows")


def test_card_language_not_arabic(runner, dataset):
    tamper_card(dataset, lambda meta: meta.update(language=["en"]))
    assert_problem(runner, dataset, "README.md: $.language[0]: 'en' is not one of ['ar']")


def test_card_features_differ_from_the_schema(runner, dataset):
    tamper_card(dataset, lambda meta: meta["dataset_info"][1]["features"].pop())
    assert_problem(runner, dataset, "README.md: $.dataset_info[1].features: are not the features of the entities config "
                                    "(derived from schema/document.schema.json)")


def test_card_config_without_files(runner, dataset):
    tamper_card(dataset, lambda meta: meta["configs"][3]["data_files"][0].update(path="data/link/train-*.parquet"))
    assert_problem(runner, dataset, "README.md: $.configs[3].data_files[0].path: 'data/link/train-*.parquet' matches no Parquet file")


def test_unreadable_parquet_file_is_a_problem_not_a_traceback(runner, dataset):
    path = parquet_path(dataset, "events")
    path.write_bytes(b"not parquet at all")
    assert_problem(runner, dataset, f"data/events/{path.name}: $: cannot read the Parquet file: "
                                    "Parquet magic bytes not found in footer. Either the file is corrupted or this is not a parquet file.")


def test_every_tamper_is_found_in_one_run(dataset):
    tamper_document(dataset, lambda r: r.update(sha256="0" * 64, body_text=r["body_text"] + "ز"))
    paths = [(p.doc_id, p.json_path) for p in validate_dataset(dataset)]
    assert (DOC, "$.sha256") in paths and (DOC, "$.body_text") in paths


def test_same_problems_without_the_fast_validator(dataset, monkeypatch):
    tamper_document(dataset, lambda r: r["entities"][0].update(label="PERSON"))
    fast = [str(p) for p in validate_dataset(dataset)]
    class Slow:  # the pure-Python path: jsonschema-rs answers "invalid" for everything
        @staticmethod
        def is_valid(instance):
            return False
    monkeypatch.setattr("akhbar.schema._fast_validator", lambda name: Slow)
    assert [str(p) for p in validate_dataset(dataset)] == fast and fast


def test_checks_survive_a_malformed_record():
    """A record with nulls where numbers belong: schema problems, no crash."""
    record = {"id": "x", "sha256": None, "raw_text": "نص", "body_spans": [{"start": None, "end": 2}]}
    findings = list(record_findings(record))
    assert findings and all(f.json_path.startswith("$") for f in findings)


# --- seeds ---------------------------------------------------------------------------------------------

@pytest.fixture
def seeds(seeds_with_annotations) -> Path:
    return seeds_with_annotations


def test_seeds_are_valid(runner, seeds):
    result = validate(runner, "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{seeds}: valid."


def test_seeds_without_a_folder_checks_seeds(runner, seeds, monkeypatch):
    """`akhbar validate --seeds`, as `akhbar add` and CONTRIBUTING.md write it."""
    monkeypatch.chdir(seeds.parent)
    (seeds / "zz_empty.txt").write_bytes(b"")
    result = validate(runner, "--seeds")
    assert result.exit_code == 1, result.output
    assert "zz_empty.txt: $: the file is empty" in result.output.splitlines()


def test_annotation_file_of_a_changed_page(runner, seeds):
    doc = "003_9cbf2cd40884a872"
    data = json.loads((seeds / f"{doc}.ann.json").read_text(encoding="utf-8"))
    with open(seeds / f"{doc}.txt", "a", encoding="utf-8") as f:
        f.write("\nسطر مضاف")
    sha = hashlib.sha256((seeds / f"{doc}.txt").read_bytes()).hexdigest()
    result = validate(runner, "--seeds", str(seeds))
    assert result.exit_code == 1
    assert (f"{doc}.ann.json: $.sha256: the annotations were made for another version of {doc}.txt "
            f"(file has {sha[:12]}…, annotations {data['sha256'][:12]}…); re-check them against the new text") in result.output.splitlines()


def test_annotation_file_problems_are_all_listed(runner, seeds):
    doc = "001_9a48095c285c24d6"
    path = seeds / f"{doc}.ann.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["text"] = "خطأ"
    data["entities"][1]["label"] = "PERSON"
    data["events"][0]["participants"].append("T999")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    e = data["entities"][0]
    raw = (seeds / f"{doc}.txt").read_text(encoding="utf-8")
    k = len(data["events"][0]["participants"]) - 1
    lines = validate(runner, "--seeds", str(seeds)).output.splitlines()
    assert f"{doc}.ann.json: $.entities[0].text: 'خطأ' differs from raw_text[{e['start']}:{e['end']}] = {raw[e['start']:e['end']]!r}" in lines
    assert any(line.startswith(f"{doc}.ann.json: $.entities[1].label: 'PERSON' is not one of") for line in lines)
    assert f"{doc}.ann.json: $.events[0].participants[{k}]: refers to entity 'T999', which the file does not define" in lines


def test_annotation_file_without_its_page(runner, seeds):
    (seeds / "004_ee8cea2746094a76.txt").unlink()
    result = validate(runner, "--seeds", str(seeds))
    assert result.exit_code == 1
    assert ("004_ee8cea2746094a76.ann.json: $: its document 004_ee8cea2746094a76.txt is missing: add the page or remove the file"
            in result.output.splitlines())


@pytest.mark.parametrize("name, data, line", [
    ("empty.txt", b"", "empty.txt: $: the file is empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.txt: $: the file is binary (it contains NUL bytes), not a text page"),
    ("latin.txt", "خبر".encode("cp1256"), "latin.txt: $: the file is not UTF-8: byte 0xce at offset 0 is invalid"),
])
def test_bad_pages(runner, seeds, name, data, line):
    (seeds / name).write_bytes(data)
    result = validate(runner, "--seeds", str(seeds))
    assert result.exit_code == 1 and line in result.output.splitlines(), result.output


def test_ids_that_clash_by_case(runner, seeds):
    shutil.copy(seeds / "000_fbc571900ffe66a1.txt", seeds / "000_FBC571900ffe66a1.txt")
    result = validate(runner, "--seeds", str(seeds))
    assert result.exit_code == 1
    assert ("000_fbc571900ffe66a1.txt: $: the id clashes with '000_FBC571900ffe66a1' on case-insensitive file systems; rename one"
            in result.output.splitlines())


def test_invisible_characters_and_drafts_are_warnings(runner, seeds):
    (seeds / "009_bidi.txt").write_text("خبر\u200f عن اجتماع التحالف في الرباط.\n", encoding="utf-8")
    data = json.loads((seeds / "003_9cbf2cd40884a872.ann.json").read_text(encoding="utf-8"))
    data["status"] = "draft"
    (seeds / "003_9cbf2cd40884a872.ann.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = validate(runner, "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("warning: 009_bidi.txt: $.raw_text: raw_text contains invisible bidi or zero-width characters (U+200F); "
            "kept as they are") in lines
    assert any(line.startswith("warning: 003_9cbf2cd40884a872.ann.json: $.status: draft") for line in lines)
    assert lines[-1] == f"{seeds}: valid, 2 warning(s)."


def test_problem_line_format():
    assert str(Problem("005_x", "$.entities[0].text", "differs")) == "005_x: $.entities[0].text: differs"
