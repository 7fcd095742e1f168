"""One licence story: the card's text and YAML, croissant.json and pyproject.toml say the same."""

import tomllib
from pathlib import Path

from akhbar import about
from akhbar.croissant import croissant_metadata
from akhbar.validate import front_matter

ROOT = Path(__file__).resolve().parents[1]


def test_card_yaml_croissant_and_pyproject_agree(built):
    card = (built / "README.md").read_text(encoding="utf-8")
    assert front_matter(card)["license"] == about.LICENSE == "cc-by-sa-4.0"
    assert about.LICENSE_SECTION in card and "```bibtex\n@misc{akhbar," in card
    assert (ROOT / "DATASET_CARD.md").read_text(encoding="utf-8").count("## License and citation") == 1
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == about.CODE_LICENSE
    assert [a["name"] for a in project["authors"]] == list(about.AUTHORS)
    assert project["urls"]["Dataset"] == about.URL
    croissant = croissant_metadata(built, {"version": "1.2.3", "date": "2026-01-02"})
    assert croissant["license"] == about.LICENSE_URL and croissant["url"] == about.URL
    assert "author = {Akhbar contributors}" in croissant["citeAs"] and "version = {1.2.3}" in croissant["citeAs"]
    assert croissant["usageInfo"] == about.LICENSE_NOTE and "Apache-2.0" in about.LICENSE_NOTE


def test_bibtex_of_a_release():
    entry = about.bibtex("1.0.0", "2025")
    assert entry.startswith("@misc{akhbar_1_0_0,\n") and "year = {2025}" in entry and entry.endswith("\n}")


def test_readme_python_api_examples_run(tmp_path):
    """Every python block of README.md's 'Python API' section, run in order from the repository root
    (the build writes into a temporary folder instead of /tmp/akhbar)."""
    import os
    import re
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    code = "\n".join(re.findall(r"```python\n(.*?)```", section, flags=re.S)).replace("/tmp/akhbar", str(tmp_path / "akhbar"))
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Built 5 documents" in done.stdout and "B-" in done.stdout
