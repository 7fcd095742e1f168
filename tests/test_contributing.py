"""CONTRIBUTING.md followed literally, in a copy of the project: add a page, review its draft (mark
it gold), validate the seeds, build, validate the dataset, then run the suite's own checks of the
build and of `akhbar add` in the copy, whose seeds/ now holds one page more."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from akhbar.cli import main
from conftest import ROOT

#: What a contributor's clone holds that the commands and the tests read.
PROJECT = ("pyproject.toml", "seeds", "schema", "scripts", "dataset", "tests", "DATASET_CARD.md", "CHANGELOG.md")


def a_page_not_in(seeds: Path) -> Path:
    """A held-out page whose bytes no seed has (a contributor may have added some already)."""
    known = {hashlib.sha256(p.read_bytes()).hexdigest() for p in seeds.glob("*.txt")}
    for page in sorted((ROOT / "tests").glob("heldout*/*.txt")):
        if hashlib.sha256(page.read_bytes()).hexdigest() not in known:
            return page
    raise AssertionError("every held-out page is already a seed")


def test_the_contributing_walk_through(runner, tmp_path, monkeypatch):
    project = tmp_path / "akhbar"
    project.mkdir()
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.egg-info"))
        else:
            shutil.copy(source, project / name)
    monkeypatch.chdir(project)
    seeds_before = len(list((project / "seeds").glob("*.txt")))

    # 1. add a page
    page = a_page_not_in(project / "seeds")
    result = runner.invoke(main, ["add", str(page)])
    assert result.exit_code == 0, result.output
    [draft] = [p for p in (project / "seeds").glob("*.ann.json")
               if json.loads(p.read_text(encoding="utf-8"))["status"] == "draft"]
    assert len(list((project / "seeds").glob("*.txt"))) == seeds_before + 1

    # 2. review the draft: here everything is right as it is; add the reviewer, set gold
    data = json.loads(draft.read_text(encoding="utf-8"))
    data["annotators"].append("a reviewer")
    data["status"] = "gold"
    draft.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    # 3. validate, build, validate
    result = runner.invoke(main, ["validate", "--seeds"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "seeds: valid."
    result = runner.invoke(main, ["build", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert f"Built {seeds_before + 1} documents" in result.stdout
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output

    # the suite's own checks, in the copy: the committed dataset is what the seeds build, and the
    # tests of the build and of `akhbar add` hold whatever seeds/ holds
    env = {**os.environ, "PYTHONPATH": str(project / "scripts")}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_build.py", "tests/test_add.py"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
