"""akhbar view: a static, self-contained site, rendered in a real headless browser (Debian's chromium)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from akhbar.cli import main
from akhbar.write import iter_rows

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots kept for a person to look at (gitignored)
DOC = "000_fbc571900ffe66a1"

#: Appended to a copy of a page: where the browser laid out the first and last letter of the first
#: entity on its line, written into the DOM that --dump-dom prints.
RTL_PROBE = """<script>
const mark = document.querySelector("mark.ent"), node = mark.firstChild, range = document.createRange();
const box = (i) => { range.setStart(node, i); range.setEnd(node, i + 1); return range.getBoundingClientRect(); };
const first = box(0), last = box(node.length - 1);
document.body.setAttribute("data-probe", [first.left, first.right, first.top, last.left, last.right, last.top].join(","));
</script>"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")
    return found


def browse(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    return subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                           *args, url], capture_output=True, text=True, timeout=180, check=True)


@pytest.fixture
def site(built, runner, tmp_path) -> Path:
    out = tmp_path / "site"
    result = runner.invoke(main, ["view", "--dataset", str(built), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_pages_and_nothing_fetched(built, site):
    records = list(iter_rows(built, "documents"))
    assert sorted(p.name for p in (site / "doc").iterdir()) == sorted(f"{r['id']}.html" for r in records)
    for page in [site / "index.html", *(site / "doc").iterdir()]:
        text = page.read_text(encoding="utf-8")
        assert '<html lang="ar" dir="rtl">' in text
        assert not re.search(r'(src|href)="(https?:)?//|@import|url\(|<script|<link', text), page
    index = (site / "index.html").read_text(encoding="utf-8")
    for r in records:
        assert f'href="doc/{r["id"]}.html"' in index


def test_document_page_links_events_to_their_arguments(built, site):
    record = next(r for r in iter_rows(built, "documents") if r["id"] == DOC)
    page = (site / "doc" / f"{DOC}.html").read_text(encoding="utf-8")
    for entity in record["entities"]:
        assert re.search(rf'<mark class="ent" id="{entity["id"]}" data-label="{entity["label"]}"[^>]*>', page)
    for event in record["events"]:
        assert f'id="trigger-{event["id"]}"' in page and f'href="#trigger-{event["id"]}"' in page
        for ref in event["participants"] + ([event["place"]] if event["place"] else []):
            assert f'href="#{ref}"' in page
    for label in ("ticker", "navigation"):
        if any(b["label"] == label for b in record["boilerplate"]):
            assert f'class="bp" data-label="{label}"' in page
    linked = {l["target"] if l["source"] == DOC else l["source"] for l in iter_rows(built, "links") if DOC in (l["source"], l["target"])}
    for other in linked:
        assert f'href="{other}.html"' in page


def test_renders_right_to_left_in_headless_chromium(built, site, tmp_path):
    record = next(r for r in iter_rows(built, "documents") if r["id"] == DOC)
    page = site / "doc" / f"{DOC}.html"
    dom = browse(page.as_uri(), tmp_path, "--dump-dom").stdout
    assert 'dir="rtl"' in dom
    marks = re.findall(r'<mark class="ent" id="(T\d+)"[^>]*>(.*?)</mark>', dom)
    assert [m[0] for m in marks] == [e["id"] for e in record["entities"]]
    assert all(record["entities"][n]["text"] == text for n, (_, text) in enumerate(marks) if "<" not in text)

    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", RTL_PROBE + "</body>"), encoding="utf-8")
    dom = browse(probe.as_uri(), tmp_path, "--dump-dom").stdout
    first_left, first_right, first_top, last_left, last_right, last_top = map(float, re.search(r'data-probe="([^"]+)"', dom).group(1).split(","))
    assert abs(first_top - last_top) < 5  # one line
    assert first_left > last_right  # the first letter stands to the right of the last: right to left

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"site-{DOC}.png"
    browse(page.as_uri(), tmp_path, "--window-size=1200,1400", f"--screenshot={shot}")
    assert shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")


def test_view_needs_a_built_dataset(runner, tmp_path):
    result = runner.invoke(main, ["view", "--dataset", str(tmp_path), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1 and "not a built dataset" in result.output
