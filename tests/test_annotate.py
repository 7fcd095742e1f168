"""akhbar annotate: the build's record for pages, printed, nothing written."""

import json
import shutil
from pathlib import Path

from akhbar.annotate import annotate_text
from akhbar.cli import main
from akhbar.schema import schema_problems
from akhbar.write import iter_rows

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "002_3f60bd73f52770e3.txt"


def test_json_record_is_the_built_record_but_the_link_step(built, runner):
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    result = runner.invoke(main, ["annotate", "--json", *map(str, seeds)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    for record, built_record in zip(records, iter_rows(built, "documents"), strict=True):
        assert list(schema_problems(record)) == []
        assert record["dedup_cluster"] == record["id"]  # no link step
        # the link step also dates the events of an undated page from a duplicate
        for ours, theirs in zip(record["events"], built_record["events"], strict=True):
            if theirs["date_basis"] == "duplicate":
                assert ours["date"] is None and ours["date_text"] == theirs["date_text"]
                for key in ("date", "date_basis", "event_key"):
                    ours.pop(key), theirs.pop(key)
        for key in ("dedup_cluster", "events"):
            assert record.pop(key) == built_record.pop(key) or key == "dedup_cluster"
        assert record == built_record


def test_nothing_is_written_and_a_page_of_any_name_is_read(runner, tmp_path):
    page = tmp_path / "article.html"
    shutil.copy(SEED, page)
    result = runner.invoke(main, ["annotate", str(page)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("== article (article.txt)\n")
    assert "entities (" in result.output and "GPE " in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.html"]


def test_a_bad_page_is_one_line_and_exit_1(runner, tmp_path):
    page = tmp_path / "empty.txt"
    page.write_bytes(b"")
    result = runner.invoke(main, ["annotate", str(page)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {page}: the file is empty"


def test_annotate_text_from_python():
    record = annotate_text(SEED.read_text(encoding="utf-8"), "my_page")
    assert record["id"] == "my_page" and record["title"]
    assert record["entities"] and all(e["source"].startswith("auto:") for e in record["entities"])
    assert list(schema_problems(record)) == []


def test_every_new_command_has_help_with_an_example(runner):
    for command in ("annotate", "export", "import", "view"):
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output and f"akhbar {command} " in result.output, command
