"""find_dates tries its patterns only where _date_starts says a date can start: the same mentions
as scanning every position of the view with every pattern."""

import random
from pathlib import Path

from akhbar import dates
from akhbar.normalize import normalize_with_offsets

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "seeds").glob("*.txt")) + sorted(ROOT.glob("tests/heldout*/*.txt"))


def every_position(text: str) -> list[dates.DateMention]:
    """find_dates without prefilters or start positions: every pattern over the whole view."""
    view, origin = normalize_with_offsets(text)
    found = [m for _needs, _prefilter, pattern in dates._patterns() for match in pattern.finditer(view)
             if (m := dates._mention(match, text, origin)) is not None]
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept = []
    for m in found:
        if not kept or m.start >= kept[-1].end:
            kept.append(m)
    return kept


_PIECES = ["يوم", "الأربعاء", "أمس", "أول أمس", "بعد غد", "غداً", "اليوم", "12", "2019", "07 - 02 - 2019", "2022-05-12",
           "2023/08/14", "عام", "سنة", "العام", "شهر", "يناير", "فبراير", "شباط / فبراير", "السادس", "من", "المقبل",
           "الماضي", "،", ",", "/", "-", ".", "م", "x", "_", "و", "ب", "ل", "\n", " ", "٢٠١٩", "١٢", "كانون الثاني",
           "تموز", "الثلاثاء", "ـ", "\u064e", "\u200f", "9", "31", "13"]


def generated(n: int = 4000, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) + rng.choice(("", " ", "  ")) for _ in range(rng.randint(1, 14)))
            for _ in range(n)]


def test_start_positions_find_what_every_position_finds():
    texts = [p.read_text(encoding="utf-8") for p in PAGES]
    lines = [line for text in texts for line in text.split("\n") if line.strip()]
    made = generated()
    assert sum(len(every_position(t)) for t in made) > 1000  # the generated texts hold dates
    for text in texts + lines + made:
        assert dates.find_dates(text) == every_position(text), text


def test_overlapping_start_words():
    # "أول أمس" holds "أمس", "بعد غد" holds "بعد": both starts are tried
    assert [m.relative_days for m in dates.find_dates("وصل أول أمس الأحد، ويعود بعد غد")] == [-2, 2]
