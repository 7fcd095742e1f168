"""`akhbar release`: 1.0.0 then 1.1.0 in a private project folder; refusals leave everything as it was."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from filelock import FileLock

from akhbar.cli import main
from akhbar.release import ReleaseError, Version, changelog_entry, check_bump, required_bump, schema_fields, update_changelog
from akhbar.validate import Problem
from conftest import copy_fixture_seeds

ROOT = Path(__file__).resolve().parents[1]
NEW_PAGE = ROOT / "tests/heldout/h01_sadaalatlas_rome.txt"


def file_hashes(folder: Path, pattern: str = "*") -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob(pattern)) if p.is_file()}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project folder with the seeds and a changelog whose Unreleased section has a note."""
    copy_fixture_seeds(tmp_path / "seeds")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n- The first collection.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def release(runner, version: str, date: str = "2025-03-01", *extra: str):
    result = runner.invoke(main, ["release", version, "--date", date, "--quiet", "--workers", "1",
                                  "--gold-body", str(ROOT / "tests/gold_body"), "--heldout", str(ROOT / "tests/heldout"),
                                  "--agreement", str(ROOT / "tests/agreement"), *extra])
    assert "Traceback" not in result.output
    return result


def card_yaml(folder: Path) -> dict:
    return yaml.safe_load((folder / "README.md").read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture
def released(runner, project) -> Path:
    result = release(runner, "1.0.0")
    assert result.exit_code == 0, result.output
    return project


def test_first_release(runner, released, built):
    dataset = released / "dataset"
    # deterministic: the same seeds give the same Parquet bytes as a plain build
    assert file_hashes(dataset, "*.parquet") == file_hashes(built, "*.parquet")
    meta = card_yaml(dataset)
    assert (meta["version"], meta["date"]) == ("1.0.0", "2025-03-01")
    card = (released / "DATASET_CARD.md").read_text(encoding="utf-8")
    assert not card.startswith("---") and "**Release 1.0.0** of 2025-03-01" in card
    assert json.loads((dataset / "release.json").read_text(encoding="utf-8"))["version"] == "1.0.0"
    changelog = (released / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]\n\n## [1.0.0] - 2025-03-01\n\nFirst release: 5 documents.\n\n- The first collection.\n" in changelog
    assert runner.invoke(main, ["validate", str(dataset)]).exit_code == 0


def test_release_takes_the_tag_form_and_prints_the_git_commands(runner, project):
    result = release(runner, "v1.0.0")
    assert result.exit_code == 0, result.output
    assert 'git tag -a v1.0.0 -m "Akhbar 1.0.0" && git push origin HEAD v1.0.0' in result.stdout
    assert card_yaml(project / "dataset")["version"] == "1.0.0"


def test_a_build_after_a_release_keeps_it(runner, released):
    dataset = released / "dataset"
    before = file_hashes(dataset)
    result = runner.invoke(main, ["build", "--quiet", "--workers", "1", "--gold-body", str(ROOT / "tests/gold_body"),
                                  "--heldout", str(ROOT / "tests/heldout"), "--agreement", str(ROOT / "tests/agreement")])
    assert result.exit_code == 0, result.output
    assert "It is still release 1.0.0 of 2025-03-01" in result.stdout
    assert file_hashes(dataset) == before  # checksums, Croissant, release.json and the stamped card
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "dataset: valid, release 1.0.0 of 2025-03-01."
    # nothing changed: nothing to release
    result = release(runner, "1.0.1", "2025-03-02")
    assert result.exit_code == 1
    assert "nothing changed since 1.0.0: no document added, removed or changed, the same schema" in result.output
    assert file_hashes(dataset) == before


def test_checksums_match_the_files(released):
    dataset = released / "dataset"
    lines = (dataset / "checksums.sha256").read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    files = {p.relative_to(dataset).as_posix() for p in dataset.rglob("*") if p.is_file()} - {"checksums.sha256"}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((dataset / name).read_bytes()).hexdigest() == digest, name
    if shutil.which("sha256sum"):
        assert subprocess.run(["sha256sum", "--check", "--quiet", "checksums.sha256"], cwd=dataset).returncode == 0


def test_croissant_validates_offline(released):
    path = released / "dataset" / "croissant.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "http://mlcommons.org/croissant/1.1" in data["conformsTo"] and data["version"] == "1.0.0"
    assert [r["@id"] for r in data["recordSet"]] == ["documents", "entities", "events", "links", "ner"]
    assert data["rai:dataCollection"] and data["rai:dataAnnotationProtocol"] and data["rai:personalSensitiveInformation"]
    # offline: any request would go to a closed local port and fail
    env = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    done = subprocess.run([str(Path(sys.executable).with_name("mlcroissant")), "validate", "--jsonld", str(path)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    import mlcroissant as mlc  # the record sets read the Parquet files
    links = list(mlc.Dataset(str(path)).records("links"))
    assert {link["links/relation"] for link in links} == {b"near_duplicate", b"same_event"}
    sentences = list(mlc.Dataset(str(path)).records("ner"))
    assert len(sentences) > 5 and {"ner/tokens", "ner/ner_tags", "ner/token_starts"} <= set(sentences[0])


def test_second_release_lists_what_changed(runner, released):
    before = json.loads((released / "dataset/release.json").read_text(encoding="utf-8"))
    assert runner.invoke(main, ["add", str(NEW_PAGE)]).exit_code == 0
    [new_page] = (released / "seeds").glob("005_*.txt")
    new_id = new_page.name[: -len(".txt")]
    # a plain build: the dataset is now unreleased, and says so
    result = runner.invoke(main, ["build", "--quiet", "--workers", "1", "--gold-body", str(released / "none"),
                                  "--agreement", str(released / "none")])
    assert result.exit_code == 0, result.output
    assert "The dataset is UNRELEASED: it differs from release 1.0.0 of 2025-03-01" in result.stdout
    assert not (released / "dataset/checksums.sha256").exists() and not (released / "dataset/croissant.json").exists()
    assert "version" not in card_yaml(released / "dataset")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "dataset: valid, unreleased (changed since release 1.0.0 of 2025-03-01)."
    assert json.loads(runner.invoke(main, ["validate", "--json"]).stdout)["release"] == {
        "released": False, "version": "1.0.0", "date": "2025-03-01"}
    # a document added is a MINOR release, and dates never go back
    unchanged = file_hashes(released)
    result = release(runner, "1.0.1", "2025-04-01")
    assert result.exit_code == 1
    assert ("1.0.1 does not fit the change since 1.0.0, which needs a MINOR release (1 document(s) added): "
            "release 1.1.0 or 2.0.0") in result.output
    result = release(runner, "1.1.0", "2025-02-01")
    assert result.exit_code == 1
    assert "2025-02-01 is before the last release's date 2025-03-01; release dates never go back" in result.output
    assert file_hashes(released) == unchanged
    result = release(runner, "1.1.0", "2025-04-01")
    assert result.exit_code == 0, result.output
    after = json.loads((released / "dataset/release.json").read_text(encoding="utf-8"))
    changelog = (released / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## [1.1.0] - 2025-04-01") < changelog.index("## [1.0.0] - 2025-03-01")
    assert "6 documents: 1 added, 0 removed, 0 changed since 1.0.0 (2025-03-01)." in changelog
    assert f"### Documents added\n\n- `{new_id}`\n" in changelog
    assert "| layer | label | 1.0.0 | 1.1.0 | change |" in changelog
    for label in set(before["counts"]["entities"]) | set(after["counts"]["entities"]):
        b, a = before["counts"]["entities"].get(label, 0), after["counts"]["entities"].get(label, 0)
        assert f"| entities | {label} | {b} | {a} | {a - b:+d} |" in changelog
    assert card_yaml(released / "dataset")["version"] == "1.1.0"
    assert runner.invoke(main, ["validate", str(released / "dataset")]).exit_code == 0


def test_changed_documents_name_their_layers():
    old = {"version": "1.0.0", "date": "2025-01-01", "counts": {"entities": {"GPE": 2}},
           "documents": {"a": {"sha256": "1", "entities": "x", "events": "y"}, "b": {"sha256": "2", "entities": "x"}}}
    new = {"version": "1.0.1", "date": "2025-02-01", "counts": {"entities": {"GPE": 1, "PERS": 1}},
           "documents": {"a": {"sha256": "1", "entities": "z", "events": "y"}, "c": {"sha256": "3", "entities": "x"}}}
    entry = changelog_entry(new, old)
    assert "2 documents: 1 added, 1 removed, 1 changed since 1.0.0 (2025-01-01)." in entry
    assert "### Documents removed\n\n- `b`\n" in entry and "### Documents changed\n\n- `a`: entities\n" in entry
    assert "| entities | GPE | 2 | 1 | -1 |" in entry and "| entities | PERS | 0 | 1 | +1 |" in entry


def test_update_changelog_moves_the_unreleased_notes():
    text = "# Changelog\n\n## [Unreleased]\n\n- a note\n\n## [1.0.0] - 2025-01-01\n\nold\n"
    new, notes = update_changelog(text, "## [1.1.0] - 2025-02-01\n\nnew\n")
    assert notes == "- a note"
    assert new == "# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2025-02-01\n\nnew\n\n## [1.0.0] - 2025-01-01\n\nold\n"


@pytest.mark.parametrize("version, message", [
    ("1.0.0", "1.0.0 is not greater than the last release 1.0.0; choose a higher version"),
    ("0.9.0", "0.9.0 is not greater than the last release 1.0.0; choose a higher version"),
    ("1.0", "'1.0' is not a semantic version: write MAJOR.MINOR.PATCH, e.g. 1.0.0"),
    ("v1.0.0", "1.0.0 is not greater than the last release 1.0.0; choose a higher version"),
    ("version1", "'version1' is not a semantic version: write MAJOR.MINOR.PATCH, e.g. 1.0.0"),
])
def test_bad_versions_are_refused(runner, released, version, message):
    before = file_hashes(released)
    result = release(runner, version)
    assert result.exit_code == 1
    assert message in result.output and "No release was made: dataset is unchanged." in result.output
    assert file_hashes(released) == before


def test_bad_date_is_refused(runner, project):
    result = release(runner, "1.0.0", "2025-13-01")
    assert result.exit_code == 1 and "'2025-13-01' is not a date: write YYYY-MM-DD" in result.output


def test_failing_seed_validation_refuses(runner, released):
    ann = released / "seeds/003_9cbf2cd40884a872.ann.json"
    data = json.loads(ann.read_text(encoding="utf-8"))
    data["sha256"] = "0" * 64
    ann.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = file_hashes(released)
    result = release(runner, "1.1.0")
    assert result.exit_code == 1
    assert "the seeds do not validate (1 problem(s)):" in result.output
    assert "003_9cbf2cd40884a872.ann.json: $.sha256: the annotations were made for another version" in result.output
    assert file_hashes(released) == before


def test_failing_dataset_validation_refuses_and_cleans_up(runner, released, monkeypatch):
    monkeypatch.setattr("akhbar.release.validate_dataset",
                        lambda root: iter([Problem("000_fbc571900ffe66a1", "$.sha256", "does not match raw_text")]))
    before = file_hashes(released)
    result = release(runner, "1.1.0")
    assert result.exit_code == 1
    assert "the built release does not validate (1 problem(s)):\n000_fbc571900ffe66a1: $.sha256: does not match raw_text" in result.output
    assert file_hashes(released) == before
    assert [p.name for p in released.iterdir() if p.name.startswith(".dataset.tmp")] == []


def test_release_needs_the_previous_release_record(runner, released):
    (released / "dataset/release.json").unlink()
    result = release(runner, "1.1.0")
    assert result.exit_code == 1
    assert ("dataset/release.json of the last release 1.0.0 is missing, so what changed cannot be computed; restore it with "
            "`git show v1.0.0:dataset/release.json > dataset/release.json`") in result.output


def test_build_waits_for_a_running_release(runner, project, monkeypatch):
    monkeypatch.setenv("AKHBAR_LOCK_TIMEOUT", "0.2")
    with FileLock(str(project / ".akhbar-dataset.lock")):
        result = runner.invoke(main, ["build", "--quiet", "--workers", "1"])
    assert result.exit_code == 1
    assert f"another akhbar command is writing {project / 'dataset'}" in result.output and "waited 0.2 s" in result.output
    assert not (project / "dataset").exists()


def test_two_builds_at_once_do_not_corrupt_the_dataset(project, built):
    """Two processes build into the same folder at the same time: the lock makes one wait."""
    command = [sys.executable, "-c", "from akhbar.cli import main; main()", "build", "--quiet", "--workers", "1",
               "--gold-body", str(ROOT / "tests/gold_body"), "--agreement", str(ROOT / "tests/agreement")]
    runs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert file_hashes(project / "dataset", "*.parquet") == file_hashes(built, "*.parquet")
    assert [p.name for p in project.iterdir() if ".tmp-" in p.name or ".old-" in p.name] == []


def _record(version: str, documents: dict, fields: dict | None = None) -> dict:
    record = {"version": version, "date": "2025-01-01", "counts": {}, "documents": documents}
    if fields is not None:
        record["fields"] = fields
    return record


@pytest.mark.parametrize("documents, fields, bump, reason", [
    ({"a": {"sha256": "1"}, "b": {"sha256": "2"}}, None, None, None),
    ({"a": {"sha256": "1", "entities": "changed"}, "b": {"sha256": "2"}}, None, "patch", "1 document(s) changed"),
    ({"a": {"sha256": "1"}, "b": {"sha256": "2"}, "c": {"sha256": "3"}}, None, "minor", "1 document(s) added"),
    ({"a": {"sha256": "1"}}, None, "major", "1 document(s) removed (b)"),
    ({"a": {"sha256": "1"}, "b": {"sha256": "2"}}, {"documents": {"id": "string", "entities[].label": "string", "lang": "string"}},
     "minor", "schema fields added: documents.lang"),
    ({"a": {"sha256": "1"}, "b": {"sha256": "2"}}, {"documents": {"id": "string", "entities[].label": "int32"}},
     "major", "schema fields removed or changed: documents.entities[].label"),
    ({"a": {"sha256": "1"}, "b": {"sha256": "2"}}, {}, "major", "the documents config removed"),
])
def test_the_change_fixes_the_version_part(documents, fields, bump, reason):
    old = _record("1.0.0", {"a": {"sha256": "1"}, "b": {"sha256": "2"}}, {"documents": {"id": "string", "entities[].label": "string"}})
    new = _record("1.1.0", documents, old["fields"] if fields is None else fields)
    got, reasons = required_bump(new, old)
    assert got == bump and (reason is None or reason in reasons)


@pytest.mark.parametrize("version, bump, ok", [
    ("1.0.1", "patch", True), ("1.1.0", "patch", True), ("2.0.0", "patch", True), ("1.0.2", "patch", False),
    ("1.0.1", "minor", False), ("1.1.0", "minor", True), ("1.2.0", "minor", False),
    ("1.1.0", "major", False), ("2.0.0", "major", True), ("2.0.0-rc.1", "major", True),
])
def test_the_version_must_raise_the_part_the_change_needs(version, bump, ok):
    if ok:
        check_bump(Version(version), Version("1.0.0"), bump, ["why"])
    else:
        with pytest.raises(ReleaseError, match=f"needs a {bump.upper()} release \\(why\\)"):
            check_bump(Version(version), Version("1.0.0"), bump, ["why"])


def test_a_release_candidate_is_finished_by_its_release():
    check_bump(Version("2.0.0"), Version("2.0.0-rc.1"), "patch", ["why"])


def test_the_schema_fields_are_flattened():
    import pyarrow as pa
    schema = pa.schema([("id", pa.string()), ("entities", pa.list_(pa.struct([("start", pa.int32()), ("label", pa.string())])))])
    assert dict(schema_fields(schema)) == {"id": "string", "entities[].start": "int32", "entities[].label": "string"}


def test_semantic_version_order():
    order = ["0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"]
    assert sorted(order, key=Version) == order
    assert Version("1.0.0+build.5") == Version("1.0.0")


def test_help_has_examples(runner):
    for command in ("validate", "add", "release"):
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output


def test_validate_names_a_broken_or_mismatched_release_file(runner, released):
    dataset = released / "dataset"
    croissant = json.loads((dataset / "croissant.json").read_text(encoding="utf-8"))
    (dataset / "croissant.json").write_text(json.dumps({**croissant, "version": "9.9.9"}), encoding="utf-8")
    (dataset / "release.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(dataset)])
    assert result.exit_code == 1
    assert "croissant.json: $.version: '9.9.9' is not the card's version '1.0.0'" in result.output, result.output
    assert "release.json: $: not a JSON file" in result.output
    assert result.output.splitlines()[-1].endswith("error(s), release 1.0.0.")  # its date was in release.json
    assert "$.documents" not in result.output  # a file that does not parse is not also miscounted
    (dataset / "release.json").unlink()
    (dataset / "croissant.json").unlink()
    result = runner.invoke(main, ["validate", str(dataset)])
    # missing: only the checksum list says so (they are not also unparsable or miscounted)
    assert not [line for line in result.output.splitlines() if line.startswith(("croissant.json", "release.json"))], result.output
    assert "croissant.json does not exist" in result.output
