"""`akhbar add`: new pages get a safe id and a draft annotation file; duplicates, clashes and bad
files are refused with a message naming the file, and nothing is written."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from filelock import FileLock

from akhbar import entities as entity_annotator
from akhbar import events as event_extractor
from akhbar.add import next_ids
from akhbar.cli import main
from akhbar.gold import BodyProjection
from akhbar.read import ID_PATTERN
from akhbar.write import iter_rows

ROOT = Path(__file__).resolve().parents[1]
NEW_PAGE = ROOT / "tests/heldout/h01_sadaalatlas_rome.txt"
SEED = "001_9a48095c285c24d6"


@pytest.fixture
def seeds(seeds_with_annotations) -> Path:
    return seeds_with_annotations


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def add(runner, seeds: Path, *args: str):
    result = runner.invoke(main, ["add", "--seeds", str(seeds), *args])
    assert "Traceback" not in result.output
    return result


def test_a_new_page_gets_a_safe_id_and_a_draft(runner, seeds):
    result = add(runner, seeds, str(NEW_PAGE))
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(NEW_PAGE.read_bytes()).hexdigest()
    doc_id = f"005_{digest[:16]}"
    assert ID_PATTERN.match(doc_id)
    assert (seeds / f"{doc_id}.txt").read_bytes() == NEW_PAGE.read_bytes()
    draft = json.loads((seeds / f"{doc_id}.ann.json").read_text(encoding="utf-8"))
    assert draft["document"] == doc_id and draft["sha256"] == digest and draft["status"] == "draft"
    assert draft["annotators"] == [entity_annotator.SOURCE, event_extractor.SOURCE]
    raw = NEW_PAGE.read_text(encoding="utf-8")
    assert draft["entities"] and draft["events"]
    for entity in draft["entities"]:  # anchored on raw_text
        assert raw[entity["start"]:entity["end"]] == entity["text"]
    for event in draft["events"]:
        assert raw[event["trigger"]["start"]:event["trigger"]["end"]] == event["trigger"]["text"]
    assert f"as {seeds / doc_id}.txt" in result.output
    assert runner.invoke(main, ["validate", "--seeds", str(seeds)]).exit_code == 0


def test_a_reviewed_draft_builds_to_the_automatic_annotations(runner, seeds, tmp_path):
    """Offsets survive the round trip body_text → raw_text (draft) → body_text (build)."""
    assert add(runner, seeds, str(NEW_PAGE)).exit_code == 0
    [ann] = [p for p in seeds.glob("005_*.ann.json")]
    doc_id = ann.name[: -len(".ann.json")]
    common = ["--seeds", str(seeds), "--quiet", "--workers", "1", "--gold-body", str(tmp_path / "none"),
              "--agreement", str(tmp_path / "none")]
    assert runner.invoke(main, ["build", *common, "--out", str(tmp_path / "draft")]).exit_code == 0
    data = json.loads(ann.read_text(encoding="utf-8"))
    data["status"] = "gold"
    ann.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(main, ["build", *common, "--out", str(tmp_path / "gold")]).exit_code == 0

    def entities(folder):
        [record] = [r for r in iter_rows(folder, "documents") if r["id"] == doc_id]
        return [(e["start"], e["end"], e["text"], e["label"], e["canonical"], e["source"] == "gold") for e in record["entities"]]
    auto, gold = entities(tmp_path / "draft"), entities(tmp_path / "gold")
    assert [e[:5] for e in auto] == [e[:5] for e in gold]
    assert not any(e[5] for e in auto) and all(e[5] for e in gold)


def test_exact_duplicate_bytes_are_refused(runner, seeds):
    before = snapshot(seeds)
    result = add(runner, seeds, str(ROOT / "seeds" / f"{SEED}.txt"))
    assert result.exit_code == 1
    assert f"{ROOT / 'seeds' / SEED}.txt: is an exact duplicate of {SEED} already in {seeds} (the same bytes); nothing to add" in result.output
    assert snapshot(seeds) == before


def test_exact_duplicate_body_is_refused(runner, seeds, tmp_path):
    page = tmp_path / "copy.txt"
    page.write_text("الرئيسية | أخبار | رياضة | اقتصاد\n\n" + (ROOT / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8"),
                    encoding="utf-8")
    before = snapshot(seeds)
    result = add(runner, seeds, str(page))
    assert result.exit_code == 1
    assert (f"{page}: is an exact duplicate of {SEED}: the same article body (ignoring white space, diacritics "
            "and tatweel); nothing to add") in result.output
    assert snapshot(seeds) == before


def test_near_duplicate_is_added_with_a_warning(runner, seeds, tmp_path):
    text = (ROOT / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8")
    page = tmp_path / "edited.txt"
    page.write_text(text.replace("التحالف", "الائتلاف", 2), encoding="utf-8")
    result = add(runner, seeds, str(page))
    assert result.exit_code == 0, result.output
    assert re.search(rf"warning: {re.escape(str(page))}: a near duplicate of {SEED} \(estimated Jaccard 0\.\d\d\); "
                     r"added as 005_[0-9a-f]{16}, keep it only if it is a different article", result.output), result.output


def test_chosen_id(runner, seeds):
    result = add(runner, seeds, str(NEW_PAGE), "--id", "rome_2021")
    assert result.exit_code == 0, result.output
    assert (seeds / "rome_2021.txt").exists() and (seeds / "rome_2021.ann.json").exists()


@pytest.mark.parametrize("page_id, reason", [
    ("000_fbc571900ffe66a1", "the id '000_fbc571900ffe66a1' is already in use in the seeds folder; choose another with --id"),
    ("000_FBC571900FFE66A1", "the id '000_FBC571900FFE66A1' clashes with '000_fbc571900ffe66a1' (file names differing only "
                             "in case), in use in the seeds folder; choose another with --id"),
    ("../escape", "the id '../escape' is not safe: use letters, digits, _ . - (pattern ^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$)"),
])
def test_bad_ids_are_refused(runner, seeds, page_id, reason):
    before = snapshot(seeds)
    result = add(runner, seeds, str(NEW_PAGE), "--id", page_id)
    assert result.exit_code == 1
    assert f"{NEW_PAGE}: {reason}" in result.output
    assert snapshot(seeds) == before and not (seeds.parent / "escape.txt").exists()


def test_id_with_several_files_is_refused(runner, seeds):
    result = add(runner, seeds, str(NEW_PAGE), str(ROOT / "tests/heldout/h02_marsad_riyadh.txt"), "--id", "x")
    assert result.exit_code == 1 and "--id names one page: give exactly one FILE with it" in result.output


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "the file is empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the file is binary (it contains NUL bytes), not a text page"),
    ("latin.txt", "خبر".encode("cp1256"), "the file is not UTF-8: byte 0xce at offset 0 is invalid"),
])
def test_bad_files_are_refused_and_nothing_is_added(runner, seeds, tmp_path, name, data, reason):
    bad = tmp_path / name
    bad.write_bytes(data)
    before = snapshot(seeds)
    result = add(runner, seeds, str(NEW_PAGE), str(bad))  # the good page is not added either
    assert result.exit_code == 1
    assert f"{bad}: {reason}" in result.output and "Nothing was added" in result.output
    assert snapshot(seeds) == before


def test_size_limit_is_configurable(runner, seeds):
    result = add(runner, seeds, str(NEW_PAGE), "--max-bytes", "1000")
    assert result.exit_code == 1
    assert f"{NEW_PAGE}: the file is {NEW_PAGE.stat().st_size} bytes, over the limit of 1000 bytes for one page" in result.output
    assert "raise the limit with --max-bytes" in result.output


def test_invisible_characters_are_kept_with_a_warning(runner, seeds, tmp_path):
    page = tmp_path / "bidi.txt"
    data = NEW_PAGE.read_text(encoding="utf-8").replace("\n", "\u200f\n", 1)
    page.write_text(data, encoding="utf-8")
    result = add(runner, seeds, str(page))
    assert result.exit_code == 0, result.output
    assert f"warning: {page}: raw_text contains invisible bidi or zero-width characters (U+200F); kept as they are" in result.output
    [added] = seeds.glob("005_*.txt")
    assert added.read_bytes() == page.read_bytes()


def test_a_second_writer_waits_then_fails(runner, seeds, monkeypatch):
    monkeypatch.setenv("AKHBAR_LOCK_TIMEOUT", "0.2")
    with FileLock(str(seeds.parent / ".akhbar-seeds.lock")):
        result = add(runner, seeds, str(NEW_PAGE))
    assert result.exit_code == 1
    assert f"another akhbar command is writing {seeds.resolve()}" in result.output
    assert not list(seeds.glob("005_*"))


def test_body_to_raw_inverts_the_projection():
    spans = [(10, 20), (25, 40), (41, 41 + 5)]
    project = BodyProjection(spans)
    to_raw = project.to_raw
    for start, end in [(10, 12), (25, 40), (30, 31), (41, 46)]:
        assert to_raw(*project(start, end)) == (start, end)
    assert to_raw(8, 13) is None  # crosses the break between paragraphs 1 and 2


def test_next_ids_follow_the_seeds_pattern():
    assert next_ids(["000_a", "004_b", "rome"], ["ab" * 32, "cd" * 32]) == ["005_abababababababab", "006_cdcdcdcdcdcdcdcd"]
    assert next_ids([], ["ef" * 32]) == ["000_efefefefefefefef"]
