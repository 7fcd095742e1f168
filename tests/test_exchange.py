"""akhbar export / import: the formats annotation tools and NER trainers read, and the way back."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from akhbar.cli import main
from akhbar.write import iter_rows

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DOC = "001_9a48095c285c24d6"


def parquet_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.parquet"))}


def export(runner, built: Path, fmt: str, out: Path, *extra: str) -> Path:
    result = runner.invoke(main, ["export", "--format", fmt, "--out", str(out), "--dataset", str(built), *extra])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def seeds(tmp_path) -> Path:
    """A private copy of the seeds, annotation files included."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def run_import(runner, fmt: str, seeds: Path, *files: Path, status: str | None = None):
    return runner.invoke(main, ["import", "--format", fmt, "--seeds", str(seeds), *map(str, files),
                                *(["--status", status] if status else [])])


def test_round_trip_export_import_build_gives_the_same_bytes(built, runner, tmp_path, seeds):
    brat = export(runner, built, "brat", tmp_path / "brat")
    before = {p.name: p.read_bytes() for p in seeds.glob("*.ann.json")}
    for p in seeds.glob("*.ann.json"):
        p.write_text("{}", encoding="utf-8")  # the import alone must bring them back
    result = run_import(runner, "brat", seeds, *sorted(brat.glob("*.ann")))
    assert result.exit_code == 0, result.output
    out = tmp_path / "rebuilt"
    result = runner.invoke(main, ["build", "--seeds", str(seeds), "--out", str(out), "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    assert parquet_hashes(out) == parquet_hashes(built)

    # over the curated files themselves (their annotators and notes kept), each tool gives them back byte for byte
    for fmt, files in (("brat", sorted(brat.glob("*.ann"))), ("labelstudio", [export(runner, built, "labelstudio", tmp_path / "ls") / "tasks.json"])):
        fresh = Path(shutil.copytree(SEEDS, tmp_path / f"seeds-{fmt}"))
        result = run_import(runner, fmt, fresh, *files)
        assert result.exit_code == 0, result.output
        assert {p.name: p.read_bytes() for p in fresh.glob("*.ann.json")} == before, fmt


def edited_tasks(built, runner, tmp_path) -> tuple[Path, list[dict]]:
    ls = export(runner, built, "labelstudio", tmp_path / "ls")
    tasks = json.loads((ls / "tasks.json").read_text(encoding="utf-8"))
    return ls / "tasks.json", tasks


def test_a_reviewers_corrections_come_back_with_raw_offsets(built, runner, tmp_path, seeds):
    path, tasks = edited_tasks(built, runner, tmp_path)
    [task] = [t for t in tasks if t["data"]["document"] == DOC]
    text = task["data"]["text"]
    result = task["annotations"][0]["result"]
    labels = [r for r in result if r["type"] == "labels"]
    labels[0]["value"]["labels"] = ["NORP"]  # relabelled
    labels[1]["meta"] = {"text": ["تسمية موحدة"]}  # canonical name corrected
    start = text.index("التحالف")
    result.append({"id": "xYz12", "from_name": "label", "to_name": "text", "type": "labels",  # a new region
                   "value": {"start": start, "end": start + 7, "text": "التحالف", "labels": ["ORG"]}})
    [choice] = [r for r in result if r["type"] == "choices"]
    choice["value"]["choices"] = ["draft"]
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    result = run_import(runner, "labelstudio", seeds, path)
    assert result.exit_code == 0, result.output

    data = json.loads((seeds / f"{DOC}.ann.json").read_text(encoding="utf-8"))
    raw = (seeds / f"{DOC}.txt").read_text(encoding="utf-8")
    assert data["status"] == "draft"
    by_id = {e["id"]: e for e in data["entities"]}
    assert by_id[labels[0]["id"]]["label"] == "NORP"
    assert by_id[labels[1]["id"]]["canonical"] == "تسمية موحدة"
    [new] = [e for e in data["entities"] if e["id"] not in {r["id"] for r in labels}]
    assert new["text"] == "التحالف" == raw[new["start"]:new["end"]] and new["canonical"] == "التحالف"
    assert int(new["id"][1:]) > max(int(r["id"][1:]) for r in labels)
    assert all(raw[e["start"]:e["end"]] == e["text"] for e in data["entities"])
    # --status wins over the reviewer's choice
    assert run_import(runner, "labelstudio", seeds, path, status="gold").exit_code == 0
    assert json.loads((seeds / f"{DOC}.ann.json").read_text(encoding="utf-8"))["status"] == "gold"


@pytest.mark.parametrize("edit, message", [
    (lambda v: v.update(start=v["start"] + 1), "is misaligned: the text there is"),
    (lambda v: v.update(end=10 ** 6), "is not a span inside the text"),
    (lambda v: v.update(labels=["PERSON"]), "has the label 'PERSON'; use one of"),
])
def test_a_bad_span_is_refused_naming_file_document_and_span(built, runner, tmp_path, seeds, edit, message):
    path, tasks = edited_tasks(built, runner, tmp_path)
    [task] = [t for t in tasks if t["data"]["document"] == DOC]
    region = task["annotations"][0]["result"][2]
    original = dict(region["value"])
    edit(region["value"])
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in seeds.iterdir()}
    result = run_import(runner, "labelstudio", seeds, path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    value = region["value"]
    expected = f"Error: {path}: document {DOC}: entity {region['id']} [{value['start']}, {value['end']}) {original['text']!r} "
    assert any(line.startswith(expected) and message in line for line in result.output.splitlines()), result.output
    assert {p.name: p.read_bytes() for p in seeds.iterdir()} == before  # nothing written, not even the good files


def test_brat_refuses_lines_it_cannot_import_and_a_changed_page(built, runner, tmp_path, seeds):
    brat = export(runner, built, "brat", tmp_path / "brat")
    ann = brat / f"{DOC}.ann"
    ann.write_text(ann.read_text(encoding="utf-8") + "E1\tMeet:T3\n", encoding="utf-8")
    result = run_import(runner, "brat", seeds, ann)
    assert result.exit_code == 1
    assert f"{ann}: document {DOC}: line " in result.output and "only entities (T)" in result.output
    other = "000_fbc571900ffe66a1"
    (seeds / f"{other}.txt").write_bytes((seeds / f"{other}.txt").read_bytes() + b"\n")
    result = run_import(runner, "brat", seeds, brat / f"{other}.ann")
    assert result.exit_code == 1
    assert f"{brat / other}.ann: document {other}: {seeds / other}.txt has changed since the export" in result.output


def test_conll_is_the_ner_config(built, runner, tmp_path):
    out = export(runner, built, "conll", tmp_path / "conll")
    text = (out / "ner.conll").read_text(encoding="utf-8")
    docs = text.split("-DOCSTART-\tO\n\n")[1:]
    ids = (out / "ner.documents.txt").read_text(encoding="utf-8").split()
    assert ids == [r["id"] for r in iter_rows(built, "documents")] and len(docs) == len(ids)
    rows = list(iter_rows(built, "ner"))
    sentences = [s for doc in docs for s in doc.split("\n\n") if s.strip()]
    assert len(sentences) == len(rows)
    from akhbar.ner_config import tag_names
    for sentence, row in zip(sentences, rows):
        assert [line.split("\t") for line in sentence.strip("\n").split("\n")] == \
            [[t, tag_names()[g]] for t, g in zip(row["tokens"], row["ner_tags"])]


def test_spacy_docbin_holds_the_body_text_and_the_entities(built, runner, tmp_path):
    spacy = pytest.importorskip("spacy")  # the spacy extra, installed by the test extra
    from spacy.tokens import DocBin

    out = export(runner, built, "spacy", tmp_path / "spacy")
    docs = list(DocBin().from_disk(out / "ner.spacy").get_docs(spacy.blank("ar").vocab))
    records = list(iter_rows(built, "documents"))
    assert len(docs) == len(records)
    for doc, record in zip(docs, records):
        assert doc.user_data["document_id"] == record["id"]
        assert doc.text == record["body_text"]
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == \
            [(e["start"], e["end"], e["label"]) for e in record["entities"]]
        assert len(list(doc.sents)) == sum(1 for r in iter_rows(built, "ner") if r["document_id"] == record["id"])


def test_export_from_seeds_and_errors(runner, tmp_path):
    result = runner.invoke(main, ["export", "--format", "brat", "--seeds", str(SEEDS), "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "b").glob("*.ann"))) == len(list(SEEDS.glob("*.txt")))
    result = runner.invoke(main, ["export", "--format", "conll", "--dataset", str(tmp_path / "none"), "--out", str(tmp_path / "c")])
    assert result.exit_code == 1 and "not a built dataset" in result.output


def test_an_entity_an_event_needs_cannot_be_deleted_in_the_tool(built, runner, tmp_path, seeds):
    path, tasks = edited_tasks(built, runner, tmp_path)
    record = next(r for r in iter_rows(built, "documents") if r["events"] and r["events"][0]["participants"])
    needed = record["events"][0]["participants"][0]
    [task] = [t for t in tasks if t["data"]["document"] == record["id"]]
    task["annotations"][0]["result"] = [r for r in task["annotations"][0]["result"] if r["id"] != needed]
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    result = run_import(runner, "labelstudio", seeds, path)
    assert result.exit_code == 1
    assert f"Error: {path}: document {record['id']}: $.events[0].participants[0]: refers to entity {needed!r}, " \
           "which the file does not define" in result.output.splitlines()


def test_label_studio_offsets_counted_in_utf16_after_an_emoji_are_read_back():
    from akhbar.importer import ToolDocument, _code_points

    text = "خبر 📰 عاجل من الرباط"
    doc = ToolDocument(Path("x.json"), {"document": "d"}, text)
    start = text.index("الرباط")
    as_code_points = {"id": "T1", "start": start, "end": start + 6, "text": "الرباط", "label": "GPE", "canonical": None}
    assert _code_points(doc, as_code_points) == as_code_points
    as_utf16 = {**as_code_points, "start": start + 1, "end": start + 7}  # what JavaScript counts
    assert _code_points(doc, as_utf16) == as_code_points
    wrong = {**as_code_points, "start": start + 3, "end": start + 9}
    assert _code_points(doc, wrong) == wrong  # left for the misalignment check to refuse


def test_a_failed_export_leaves_the_folder_as_it_was(built, tmp_path, monkeypatch):
    from akhbar import export as exporter

    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    calls = []

    def failing(record):
        calls.append(record["id"])
        if len(calls) == 2:
            raise exporter.ExportError("stop")
        return ""

    monkeypatch.setattr(exporter, "brat_ann", failing)
    with pytest.raises(exporter.ExportError):
        exporter.export_records(exporter.dataset_records(built), "brat", out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and [p.name for p in out.iterdir()] == ["mine.txt"]
    monkeypatch.undo()
    written = exporter.export_records(exporter.dataset_records(built), "brat", out)
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep" and all(p.parent == out for p in written)


def test_spacy_export_trains_a_blank_arabic_pipeline(built, runner, tmp_path):
    """The DocBin is training data as spaCy reads it: a few epochs of a blank Arabic NER over its
    sentences lower the loss severalfold."""
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(0)
    out = export(runner, built, "spacy", tmp_path / "spacy")
    nlp = spacy.blank("ar")
    nlp.add_pipe("ner")
    docs = DocBin().from_disk(out / "ner.spacy").get_docs(nlp.vocab)
    examples = [Example(nlp.make_doc(sent.text), sent.as_doc()) for doc in docs for sent in doc.sents]
    optimizer = nlp.initialize(lambda: examples)
    assert set(nlp.get_pipe("ner").labels) == {e.label_ for ex in examples for e in ex.reference.ents}
    losses = []
    for _ in range(5):
        epoch = {}
        for batch in minibatch(examples, 8):
            nlp.update(batch, sgd=optimizer, losses=epoch, drop=0.1)
        losses.append(float(epoch["ner"]))
    assert losses[-1] < losses[0] / 3, losses
