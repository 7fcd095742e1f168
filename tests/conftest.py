"""Shared fixtures: a click runner and one dataset built from the seeds for the whole session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from akhbar.cli import main
from akhbar.evaluation import HELDOUT_SETS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
#: --heldout for every default held-out set, as absolute paths
HELDOUT_ARGS = [arg for folder in HELDOUT_SETS for arg in ("--heldout", str(ROOT / folder))]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The seeds built once into a temporary folder (with one worker)."""
    out = tmp_path_factory.mktemp("built") / "dataset"
    result = CliRunner().invoke(main, ["build", "--seeds", str(SEEDS), "--out", str(out), "--workers", "1", "--quiet",
                                       "--gold-body", str(ROOT / "tests/gold_body"), *HELDOUT_ARGS, "--agreement", str(ROOT / "tests/agreement")])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A private copy of the seed pages (without annotation files) to tamper with."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return folder
