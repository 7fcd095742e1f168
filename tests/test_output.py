"""One output convention for every command: results and problems on stdout, progress and notes on
stderr, errors as one line starting "Error:", `--json` a flag printing JSON on stdout."""

import json

import pytest

from akhbar.cli import main
from conftest import ROOT

NEW_PAGE = ROOT / "tests/heldout/h01_sadaalatlas_rome.txt"


def test_a_failed_build_prints_one_error_line_on_stderr(runner, seed_copy, tmp_path):
    (seed_copy / "zz_empty.txt").write_bytes(b"")
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[0] == f"Error: {seed_copy / 'zz_empty.txt'}: the file is empty"


def test_validate_prints_problems_and_summary_on_stdout(runner, seed_copy):
    (seed_copy / "zz_empty.txt").write_bytes(b"")
    result = runner.invoke(main, ["validate", "--seeds", str(seed_copy)])
    assert result.exit_code == 1 and result.stderr == ""
    assert result.stdout.splitlines() == ["zz_empty.txt: $: the file is empty", f"{seed_copy}: 1 error(s)."]


def test_add_prints_what_it_added_on_stdout_and_the_next_step_on_stderr(runner, seeds_with_annotations):
    result = runner.invoke(main, ["add", "--seeds", str(seeds_with_annotations), str(NEW_PAGE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Added {NEW_PAGE} as ") and "Next:" not in result.stdout
    assert result.stderr.startswith("Next: review each draft")


@pytest.mark.parametrize("command", ["validate", "evaluate", "bench"])
def test_json_is_a_flag_everywhere(runner, command):
    help_text = runner.invoke(main, [command, "--help"]).stdout
    [line] = [line for line in help_text.splitlines() if line.strip().startswith("--json ")]
    assert "PATH" not in line and "FILE" not in line and "JSON" in line


def test_validate_json_is_json_on_stdout(runner, built):
    result = runner.invoke(main, ["validate", str(built), "--json"])
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["release"] == {"released": False, "version": None, "date": None}
