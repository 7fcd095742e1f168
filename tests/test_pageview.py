"""The page view: the compiled kernel and the pure-Python path give the same view, tokens and lines,
and a build on the pure path writes the same Parquet as one on the kernel."""

import hashlib
import os
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from akhbar import pageview
from akhbar.normalize import normalize_with_offsets
from akhbar.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "seeds").glob("*.txt")) + sorted(ROOT.glob("tests/heldout*/*.txt"))

needs_kernel = pytest.mark.skipif(not pageview.compiled(), reason="akhbar._pageview is not built here")

# What the generated texts are made of: every class of character the view or the tokeniser treats
# apart, and the ones that take the slow paths (non-NFC sequences, characters past the BMP).
_PIECES = (
    list("ابتثجحخدذرسشصضطظعغفقكلمنهوي") + ["أ", "إ", "آ", "ٱ", "ى", "ة", "ی", "ک", "ء", "ؤ", "ئ"]
    + [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u06d6", "\u06ed", "\u0610", "\u061a"]
    + ["\u0640"] * 3  # tatweel
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2066", "\u2069", "\u202a", "\u202e", "\ufeff"]
    + ["ا\u0654", "ا\u0655", "ا\u0653", "\u0648\u0654", "e\u0301", "\u212b", "\u2126", "\u0958", "\uf900"]  # not NFC
    + list("0123456789٠١٢٣٤٥٦٧٨٩") + list(" \t\n\u00a0\u2009\u3000") + list(".,،؛:!؟?()\"«»-–_/…%")
    + list("abcXYZéß") + ["\U0001f600", "\U00010400", "\u4e2d"]
)


def generated_texts(n: int = 1500, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    texts = [rng.choice(_PIECES) for _ in range(200)]  # each piece alone
    for _ in range(n):
        texts.append("".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 60))))
    return texts


def corpus() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in PAGES] + generated_texts()


def test_generated_texts_take_every_path():
    texts = generated_texts()
    assert any(not unicodedata.is_normalized("NFC", t) for t in texts)
    assert any(unicodedata.is_normalized("NFC", t) and "\u0640" in t for t in texts)
    assert len(PAGES) > 40


@needs_kernel
def test_kernel_and_python_agree():
    kernel = pageview._kernel
    for text in corpus():
        assert kernel.view_with_offsets(text) == pageview.py_view_with_offsets(text), text
        assert kernel.tokenize(text) == pageview.py_tokenize(text), text
        assert kernel.line_table(text) == pageview.py_line_table(text), text
        assert kernel.tokenize(text, 3, 17) == pageview.py_tokenize(text, 3, 17), text


@needs_kernel
def test_kernel_tokenize_bounds_as_the_regex():
    text = "وقال «بوريطة» في الرباط."
    for start, end in ((0, None), (5, 12), (30, None), (4, 2), (-3, 5), (0, -1), (0, 100)):
        assert pageview._kernel.tokenize(text, start, end) == pageview.py_tokenize(text, start, end)


def test_page_view_is_what_the_stages_compute():
    for text in corpus()[:300]:
        page = pageview.PageView.of(text)
        assert (page.view, page.origin) == normalize_with_offsets(text)
        assert page.tokens == tokenize(text)
        assert [text[s:e] for s, e in page.lines] == text.split("\n")
        for i, j in page.tokens:
            assert text[i:j] and not text[i:j].isspace()


def test_view_offsets_point_into_the_text():
    page = pageview.PageView.of("قالـت الحكومةُ\u200f إنّ")
    assert page.view == "قالت الحكومه انّ".replace("ّ", "")
    start = page.view.index("الحكومه")
    assert page.text[slice(*page.view_span(start, start + len("الحكومه")))] == "الحكومة"  # the trailing mark is outside


def _parquet_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.parquet"))}


@needs_kernel
def test_pure_python_build_writes_the_same_parquet(built, tmp_path):
    out = tmp_path / "pure"
    env = {**os.environ, pageview.PURE_PYTHON_ENV: "1", "PYTHONPATH": str(ROOT / "scripts")}
    check = "from akhbar import pageview; assert not pageview.compiled()"
    subprocess.run([sys.executable, "-c", check], env=env, check=True)
    build = "from akhbar.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", build, "build", "--seeds", str(ROOT / "seeds"), "--out", str(out),
                             "--workers", "1", "--quiet"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert _parquet_hashes(out) == _parquet_hashes(built)
