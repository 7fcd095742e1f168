"""Shared fixtures: a click runner, the tests' own seeds folder, and one dataset built from it for the
whole session.

The tests' figures (five documents, the next id 005_…, a page's entities) are about the pages that
have gold body lines in tests/gold_body, not about whatever seeds/ holds: a contributor who adds a
page to seeds/ (CONTRIBUTING.md) must not break them. So the fixtures copy those pages (and their
annotation files) from seeds/, and only the test that the committed dataset/ is what seeds/ builds
reads all of seeds/."""

from __future__ import annotations

import shutil
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

from akhbar.cli import main
from akhbar.evaluation import HELDOUT_SETS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
#: The seed pages the tests are about: those with gold body lines.
FIXTURE_IDS = tuple(sorted(p.stem for p in (ROOT / "tests/gold_body").glob("*.json")))
#: --heldout for every default held-out set, as absolute paths
HELDOUT_ARGS = [arg for folder in HELDOUT_SETS for arg in ("--heldout", str(ROOT / folder))]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def explain(result) -> str:
    """A CliRunner result's output and, when the command raised, its traceback (which the runner
    keeps out of the output), for an assertion's message."""
    if result.exc_info is None or isinstance(result.exception, SystemExit):
        return result.output
    return result.output + "".join(traceback.format_exception(*result.exc_info))


def copy_fixture_seeds(folder: Path, annotations: bool = True) -> Path:
    """Copy the pages of :data:`FIXTURE_IDS` (with their annotation files unless told not) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id in FIXTURE_IDS:
        shutil.copy(SEEDS / f"{doc_id}.txt", folder / f"{doc_id}.txt")
        if annotations and (SEEDS / f"{doc_id}.ann.json").exists():
            shutil.copy(SEEDS / f"{doc_id}.ann.json", folder / f"{doc_id}.ann.json")
    return folder


@pytest.fixture(scope="session")
def fixture_seeds(tmp_path_factory) -> Path:
    """The tests' seeds folder (:data:`FIXTURE_IDS`, with their annotation files); do not change it."""
    return copy_fixture_seeds(tmp_path_factory.mktemp("fixture") / "seeds")


def build_args(seeds: Path, out: Path, workers: int = 1) -> list[str]:
    """``akhbar build`` of ``seeds`` into ``out`` with the repository's gold data, no progress bars."""
    return ["build", "--seeds", str(seeds), "--out", str(out), "--workers", str(workers), "--quiet",
            "--gold-body", str(ROOT / "tests/gold_body"), *HELDOUT_ARGS, "--agreement", str(ROOT / "tests/agreement")]


@pytest.fixture(scope="session")
def built(tmp_path_factory, fixture_seeds) -> Path:
    """The tests' seeds built once into a temporary folder (with one worker)."""
    out = tmp_path_factory.mktemp("built") / "dataset"
    result = CliRunner().invoke(main, build_args(fixture_seeds, out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A private copy of the tests' seed pages (without annotation files) to tamper with."""
    return copy_fixture_seeds(tmp_path / "seeds", annotations=False)


@pytest.fixture
def seeds_with_annotations(tmp_path) -> Path:
    """A private copy of the tests' seed pages with their annotation files."""
    return copy_fixture_seeds(tmp_path / "seeds")
