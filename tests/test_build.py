"""The build end to end: output layout, load_dataset offline, invariants, determinism, bad input."""

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from akhbar.cli import main
from conftest import build_args, explain
from akhbar.schema import document_features, load_schema, schema_problems
from akhbar.write import iter_rows

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ("documents", "entities", "events", "links", "ner")


def parquet_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.parquet"))}


def test_output_layout_and_card(built):
    for config in CONFIGS:
        assert list((built / "data" / config).glob("train-*-of-*.parquet")), config
    card = (built / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n")
    import yaml
    meta = yaml.safe_load(card.split("---\n")[1])
    assert meta["language"] == ["ar"]
    assert [c["config_name"] for c in meta["configs"]] == list(CONFIGS)
    docs_info = next(i for i in meta["dataset_info"] if i["config_name"] == "documents")
    assert docs_info["splits"][0]["num_examples"] == 5
    assert "sequence" not in card.split("---\n")[1]  # features are written with list:, not sequence:


def test_load_dataset_offline(built, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets
    docs = datasets.load_dataset(str(built), "documents", split="train")
    assert docs.num_rows == 5
    assert docs.features == document_features()
    for config in CONFIGS[1:]:
        datasets.load_dataset(str(built), config, split="train")


def test_every_record_is_valid_and_its_spans_are_exact(built):
    for record in iter_rows(built, "documents"):
        assert list(schema_problems(record)) == [], record["id"]
        raw, body = record["raw_text"], record["body_text"]
        assert body == "\n".join(raw[s["start"]:s["end"]] for s in record["body_spans"])
        for entity in record["entities"]:
            assert body[entity["start"]:entity["end"]] == entity["text"]
        for event in record["events"]:
            t = event["trigger"]
            assert body[t["start"]:t["end"]] == t["text"]
        # body, headline, byline and boilerplate tile the non-blank text without overlap
        spans = [(s["start"], s["end"]) for s in record["body_spans"]] + [(s["start"], s["end"]) for s in record["boilerplate"]]
        spans += [(s["start"], s["end"]) for s in (record["headline_span"], record["byline_span"]) if s]
        spans.sort()
        covered = set()
        for (s1, e1), (s2, _) in zip(spans, spans[1:] + [(len(raw), 0)]):
            assert e1 <= s2, record["id"]
            covered.update(range(s1, e1))
        assert all(raw[i].isspace() for i in range(len(raw)) if i not in covered), record["id"]
        if record["headline_span"]:
            assert record["title"] == raw[record["headline_span"]["start"]:record["headline_span"]["end"]]


def test_seed_metadata(built):
    records = {r["id"]: r for r in iter_rows(built, "documents")}
    for gold_path in (ROOT / "tests/gold_body").glob("*.json"):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        record = records[gold["id"]]
        assert (record["title"], record["publisher"], record["published"]) == (gold["title"], gold["publisher"], gold["published"])


def test_features_are_derived_from_the_schema(built):
    schema = load_schema("document.schema.json")
    arrow = pq.read_schema(next((built / "data/documents").glob("*.parquet")))
    assert arrow.names == list(schema["properties"])
    assert arrow.field("body_spans").type == document_features().arrow_schema.field("body_spans").type


def test_same_seeds_same_bytes_whatever_the_workers(built, fixture_seeds, runner, tmp_path):
    out = tmp_path / "again"
    result = runner.invoke(main, build_args(fixture_seeds, out, workers=2))
    assert result.exit_code == 0, explain(result)
    assert parquet_hashes(out) == parquet_hashes(built)
    assert (out / "README.md").read_text(encoding="utf-8") == (built / "README.md").read_text(encoding="utf-8")


def test_committed_dataset_is_what_the_seeds_build(runner, tmp_path):
    """All of seeds/, whatever it holds (the card's figures are not compared: no gold data)."""
    out = tmp_path / "dataset"
    result = runner.invoke(main, ["build", "--seeds", str(ROOT / "seeds"), "--out", str(out), "--workers", "2", "--quiet",
                                  "--gold-body", str(tmp_path / "none"), "--agreement", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    committed = ROOT / "dataset"
    assert parquet_hashes(committed) == parquet_hashes(out), "rebuild dataset/ with `akhbar build` and commit it"


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "the file is empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("latin.txt", "خبر".encode("cp1256"), "not UTF-8"),
])
def test_bad_page_stops_the_build_and_keeps_the_old_output(seed_copy, runner, tmp_path, name, data, reason):
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(out), "--quiet", "--workers", "1"]).exit_code == 0
    before = parquet_hashes(out)
    (seed_copy / name).write_bytes(data)
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(out), "--quiet", "--workers", "1"])
    assert result.exit_code == 1
    assert name in result.output and reason in result.output and "Traceback" not in result.output
    assert parquet_hashes(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no staging folder left behind


def test_size_limit_is_configurable(seed_copy, runner, tmp_path):
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(tmp_path / "o"), "--max-bytes", "5000", "--quiet"])
    assert result.exit_code == 1 and "over the limit of 5000" in result.output


def test_default_size_limit_fits_a_news_page_and_refuses_a_dump(seed_copy, runner, tmp_path):
    from akhbar.read import DEFAULT_MAX_BYTES
    assert 500_000 <= DEFAULT_MAX_BYTES <= 2 * 1024 * 1024
    line = "خبر عاجل عن الاجتماع في الرباط.\n".encode("utf-8")
    (seed_copy / "huge.txt").write_bytes(line * (DEFAULT_MAX_BYTES // len(line) + 1))
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(tmp_path / "o"), "--quiet", "--workers", "1"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"huge.txt: the file is {(seed_copy / 'huge.txt').stat().st_size} bytes, over the limit of {DEFAULT_MAX_BYTES}" in result.output
    assert not (tmp_path / "o").exists()


def test_annotation_file_for_a_changed_page_is_refused(seed_copy, runner, tmp_path):
    doc = "003_9cbf2cd40884a872"
    shutil.copy(ROOT / "seeds" / f"{doc}.ann.json", seed_copy / f"{doc}.ann.json")
    with open(seed_copy / f"{doc}.txt", "a", encoding="utf-8") as f:
        f.write("\nسطر مضاف")
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(tmp_path / "o"), "--quiet"])
    assert result.exit_code == 1
    assert f"{doc}.ann.json" in result.output and "$.sha256" in result.output


def test_missing_seeds_folder(runner, tmp_path):
    result = runner.invoke(main, ["build", "--seeds", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "no such folder" in result.output


def test_new_pages_get_automatic_annotations(runner, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(ROOT / "tests/heldout/h01_sadaalatlas_rome.txt", pages / "rome.txt")
    result = runner.invoke(main, ["build", "--seeds", str(pages), "--out", str(tmp_path / "o"), "--quiet", "--workers", "1"])
    assert result.exit_code == 0, result.output
    [record] = list(iter_rows(tmp_path / "o", "documents"))
    assert record["entities"] and all(e["source"].startswith("auto:") for e in record["entities"])


def test_help_has_examples(runner):
    for command in ([], ["build"], ["evaluate"], ["validate"], ["add"], ["release"], ["bench"]):
        result = runner.invoke(main, command + ["--help"])
        assert result.exit_code == 0 and "Example" in result.output


def test_annotation_file_without_its_page_is_refused(seed_copy, runner, tmp_path):
    shutil.copy(ROOT / "seeds" / "003_9cbf2cd40884a872.ann.json", seed_copy / "999_missing.ann.json")
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(tmp_path / "o"), "--quiet"])
    assert result.exit_code == 1 and "999_missing.ann.json" in result.output and "no page 999_missing.txt" in result.output


def test_ids_differing_only_in_case_are_refused(seed_copy, runner, tmp_path):
    (seed_copy / "Page_A.txt").write_text("خبر أول عن الاجتماع", encoding="utf-8")
    (seed_copy / "page_a.txt").write_text("خبر ثان عن الاجتماع", encoding="utf-8")
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(tmp_path / "o"), "--quiet"])
    assert result.exit_code == 1 and "clashes with" in result.output


def test_a_bad_page_is_reported_from_worker_processes_too(seed_copy, runner, tmp_path):
    (seed_copy / "zz_empty.txt").write_bytes(b"")
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(tmp_path / "o"), "--quiet", "--workers", "2"])
    assert result.exit_code == 1 and "zz_empty.txt: the file is empty" in result.output


def test_evaluate_reports_every_set(runner):
    result = runner.invoke(main, ["evaluate", "--seeds", str(ROOT / "seeds"), "--gold-body", str(ROOT / "tests/gold_body"),
                                  "--heldout", str(ROOT / "tests/heldout_unseen"), "--agreement", str(ROOT / "tests/agreement"), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["body_seeds"]["documents"] == 5
    [unseen] = figures["heldout"]
    assert unseen["set"]["name"] == "held-out set 3" and unseen["body"]["f1"] >= 0.95
    assert set(figures["entities_auto_vs_gold"]["micro"]) >= {"precision", "recall", "f1"}


def test_the_output_folder_may_not_be_the_seeds_or_a_foreign_folder(seed_copy, runner, tmp_path):
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(seed_copy), "--quiet"])
    assert result.exit_code == 1 and "would replace the seeds folder" in result.output
    assert sorted(p.name for p in seed_copy.glob("*.txt"))  # nothing lost
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "todo.txt").write_text("keep me", encoding="utf-8")
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(foreign), "--quiet"])
    assert result.exit_code == 1 and "no built dataset" in result.output
    assert (foreign / "todo.txt").read_text(encoding="utf-8") == "keep me"


def test_pages_without_a_body_are_not_duplicates_of_each_other(seed_copy, runner, tmp_path):
    for name in ("menu_a.txt", "menu_b.txt"):
        (seed_copy / name).write_text("الرئيسية\nسياسة\nاقتصاد\nرياضة\n", encoding="utf-8")
    out = tmp_path / "o"
    assert runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(out), "--quiet", "--workers", "1"]).exit_code == 0
    records = {r["id"]: r for r in iter_rows(out, "documents")}
    assert records["menu_b"]["dedup_cluster"] == "menu_b"
    assert not [l for l in iter_rows(out, "links") if "menu_a" in (l["source"], l["target"])]
