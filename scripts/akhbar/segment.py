"""Find the article inside a scraped page: body paragraphs, headline, byline, and labelled boilerplate.

The input is plain text whose HTML is gone, so nothing marks the article: we read the shape of each
line instead. The cascade, in the order :func:`segment` runs it:

1. ``describe_lines``: one :class:`Line` per non-blank line, with the signals that generalise across
   sites: word count, share of Arabic letters, density of Arabic function words (prose has many,
   menus and headline lists few), sentence-final punctuation, runs of wide spaces (tickers of other
   headlines glued on one line), a truncated teaser ending in "…", cue phrases of page chrome
   (``data/boilerplate_cues.tsv``), copies of an earlier line of the same page, and lines that many
   pages of the corpus share (:class:`CorpusLineCounts`).
2. ``body_blocks``: runs of prose lines, which may hold a short subheading between two paragraphs.
   Cue lines, copies and tickers break a run. Whole sentences just before a run's first prose
   line start it too: a dense lead (names, places, dates) can fall below the prose test.
3. ``choose_body``: the block with the most prose is the article; a block standing after a
   related-articles or comments cue counts for less (teasers of other articles are prose too). Other
   blocks join the body only when their vocabulary continues the main block's (an article cut by
   an inline "read also" box), never the teasers of other stories.
4. ``choose_byline`` and ``choose_headline``: the byline is the short line before the body that
   carries a date or a byline cue; the headline is the headline-shaped line before the body that
   the page repeats (title tag, breadcrumb, share text), or else the one beside the byline.
5. Everything else that is not blank becomes a boilerplate span with a label.

All thresholds live in :class:`SegmentConfig`. The function is pure: the same page and the same
corpus counts give the same segmentation, so pages can be processed in parallel.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import islice

from akhbar.dates import find_dates
from akhbar.lexicon import rows, words
from akhbar.normalize import normalize

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
# Letters and Arabic letters are counted from what a line has few of: its letter runs are the
# _WORD tokens that are not digit runs, and its Arabic letters (all of them letters) are its
# letters minus the other letters. A regex scan is cheap; a match object per word is not.
_DIGIT_RUN = re.compile(r"\d+")
_NON_ARABIC_LETTERS = re.compile(r"[^\W\d_\u0621-\u064A\u0671-\u06D3]+")
_COPYRIGHT = re.compile(r"©|\(c\)|حقوق (?:النشر|الطبع)|الحقوق محفوظه|all rights reserved|copyright", re.IGNORECASE)
_MENU_SEPARATOR = re.compile(r"\s[•|·»/>‹›<«]\s")
_WIDE_SPACE = re.compile(r"\S(?:[^\S\n]{3,}|\t+)(?=\S)")
_MAYBE_WIDE = re.compile(r"[^\S\n]{3}|\t")  # what every _WIDE_SPACE match holds, found fast
_FINAL = ".!?؟:…\"”»)'’"
_ELLIPSIS = ("…", "...")
_CUE_STRIP = re.compile(r"[\s:*|\-–—•·»«()\[\]0-9٠-٩#]+")
_BYLINE_CUE = re.compile(r"(?:^|\s)(?:نشر في|نشر بتاريخ|بتاريخ|بقلم|كتب|كتبت|حرر|تحرير|بواسطة|المحرر|مراسل)(?:\s|:|$)")
_BYLINE_LEAD = re.compile(r"^(?:بقلم|كتب|كتبت|اعداد|تحرير|حرر|بواسطة)\s*:")
# "واشنطن ـ المغرب اليوم": a place, a dash, a short source name.
_DATELINE = re.compile(r"^\S+(?:\s\S+)?\s*[ـ–—-]\s*\S+(?:\s\S+){0,2}$")


@dataclass(frozen=True)
class SegmentConfig:
    """Thresholds of the segmenter (packaged defaults; every one is a constructor argument)."""

    prose_min_words: int = 8
    prose_min_function_density: float = 0.04
    prose_unpunctuated_min_words: int = 20
    min_arabic_share: float = 0.5
    subheading_max_words: int = 12
    between_paragraphs_max_words: int = 40
    subheadings_between_paragraphs: int = 2
    headline_min_words: int = 3
    headline_max_words: int = 25
    headline_window: int = 12
    byline_max_words: int = 16
    byline_window: int = 3
    cue_prefix_max_words: int = 12
    caption_max_words: int = 20
    continuation_min_chars: int = 150
    section_gap_lines: int = 3
    ticker_min_segments: int = 3
    copy_min_chars: int = 20
    after_section_weight: float = 0.25
    continuation_similarity: float = 0.35
    corpus_repeat_min_docs: int = 3
    corpus_repeat_share: float = 0.5
    corpus_repeat_max_words: int = 15


@dataclass
class Line:
    """One non-blank line of a page and what its shape says."""

    index: int  # line number in the page, 0-based
    start: int  # offsets of the stripped line in raw_text
    end: int
    text: str
    words: int
    arabic_share: float
    function_density: float
    ends_sentence: bool
    teaser: bool  # ends with an ellipsis: a truncated excerpt of another article
    ticker: bool  # items separated by runs of wide spaces: a strip of other headlines or a menu
    menu: bool  # items separated by • | · » / > ‹ ›: a menu or breadcrumb
    cue: str | None = None  # boilerplate label from a cue phrase
    section: bool = False  # the cue opens a section (related list, comment form)
    inline: bool = False  # a one-line box inside the article ("اقرأ أيضا: <headline>")
    key: str = ""  # line_key(text): identity for copies and echoes
    copy_of: int | None = None  # index of the earlier line this one repeats
    corpus_repeat: bool = False
    prose: bool = False
    label: str | None = None  # final role: body, headline, byline or a boilerplate label
    # Worked out once per line, read by several steps: the normalised view and its date mentions.
    view: str = field(default="", repr=False, compare=False)
    _dates: list | None = field(default=None, repr=False, compare=False)

    @property
    def dates(self) -> list:
        """:func:`akhbar.dates.find_dates` of the line's text (computed on first use)."""
        if self._dates is None:
            self._dates = find_dates(self.text)
        return self._dates


@dataclass(frozen=True)
class Segmentation:
    """The result for one page: spans into raw_text."""

    body_spans: list[tuple[int, int]]
    headline_span: tuple[int, int] | None
    byline_span: tuple[int, int] | None
    boilerplate: list[tuple[int, int, str]]
    lines: list[Line] = field(repr=False)


_NOT_ALNUM = re.compile(r"[\W_]+")


def line_key(text: str) -> str:
    """The identity of a line for copy detection: its letters and digits in the normalised view.

    Spacing and punctuation differ between two copies of the same paragraph on one page.
    """
    return _NOT_ALNUM.sub("", normalize(text))


def corpus_line_hash(text: str) -> bytes:
    """8-byte hash of :func:`line_key`, what :class:`CorpusLineCounts` counts (bounded memory)."""
    return _key_hash(line_key(text))


def _key_hash(key: str) -> bytes:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()


class CorpusLineCounts:
    """How many documents of the corpus contain each short line: a menu or footer line that most
    pages of a site share is chrome wherever it stands.

    Filled in one streaming pass (:meth:`add_document`) before segmentation; only short lines are
    counted, keyed by an 8-byte hash, so memory grows with the number of distinct short lines, not
    with the corpus.
    """

    def __init__(self, max_words: int = SegmentConfig.corpus_repeat_max_words):
        self.max_words = max_words
        self.documents = 0
        self.counts: Counter[bytes] = Counter()

    def add_document(self, raw_text: str) -> None:
        self.add_hashes(self.line_hashes(raw_text))

    def line_hashes(self, raw_text: str) -> set[bytes]:
        """What :meth:`add_document` counts for one document (pure: it may run in a worker)."""
        seen = set()
        for text in raw_text.split("\n"):
            text = text.strip()
            # words counted up to max_words + 1 only: a paragraph is not scanned to its end
            if text and sum(1 for _ in islice(_WORD.finditer(text), self.max_words + 1)) <= self.max_words:
                seen.add(corpus_line_hash(text))
        return seen

    def add_hashes(self, hashes: set[bytes]) -> None:
        """Count one document given its :meth:`line_hashes`."""
        self.documents += 1
        self.counts.update(hashes)

    def frequent(self, text: str, cfg: SegmentConfig) -> bool:
        return self._frequent_key(line_key(text), cfg)

    def prune(self, cfg: SegmentConfig) -> None:
        """Forget the lines :meth:`frequent` cannot call frequent under ``cfg`` now that every
        document is counted: its answers do not change, and what is left (the chrome lines) is
        small enough to copy to every worker, while the full count holds every headline."""
        if self.documents < cfg.corpus_repeat_min_docs:
            self.counts = Counter()
            return
        self.counts = Counter({h: n for h, n in self.counts.items()
                               if n >= cfg.corpus_repeat_min_docs and n >= cfg.corpus_repeat_share * self.documents})

    def _frequent_key(self, key: str, cfg: SegmentConfig) -> bool:
        """:meth:`frequent` of a line whose :func:`line_key` is known."""
        if self.documents < cfg.corpus_repeat_min_docs:
            return False
        n = self.counts.get(_key_hash(key), 0)
        return n >= cfg.corpus_repeat_min_docs and n >= cfg.corpus_repeat_share * self.documents


@cache
def _function_words() -> frozenset[str]:
    return frozenset(normalize(w) for w in words("function_words.txt"))


@cache
def _caption_pattern() -> re.Pattern:
    cues = sorted((re.escape(normalize(c)) for c in words("caption_cues.txt")), key=len, reverse=True)
    alternation = "|".join(cues)
    # the cue as a whole word anywhere, or alone in brackets at the end ("(بترا)")
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)|\(\s*(?:{alternation})\s*\)\s*$", re.IGNORECASE)


#: A picture's description that ends with its photographers' names in brackets and no full stop
#: (الصفدي وبو حبيب خلال المؤتمر الصحافي (دالاتي ونهرا)).
_CREDITED = re.compile(r"^[^.!؟?]*\S\s*\(\s*[^\W\d_]+(?:\s+[^\W\d_]+){0,2}\s*\)\s*$")


def is_caption(text: str, cfg: "SegmentConfig") -> bool:
    """A short line that credits or describes a picture."""
    return _is_caption_view(normalize(text), len(_WORD.findall(text)), cfg)


def _is_caption_view(view: str, words: int, cfg: SegmentConfig) -> bool:
    """:func:`is_caption` of a line whose view and word count are known."""
    return words <= cfg.caption_max_words and bool(_caption_pattern().search(view) or _CREDITED.match(view))


@cache
def _cues() -> dict[str, tuple[str, str, bool]]:
    return {_cue_text(phrase): (label, mode, section == "yes") for phrase, label, mode, section in rows("boilerplate_cues.tsv")}


# A preposition or conjunction written onto the article: وال، بال، لل، فال، كال (and وبال، ولل).
_CLITIC_ARTICLE = ("وال", "بال", "لل", "فال", "كال", "وبال", "ولل")


def _cue_text(text: str) -> str:
    return _cue_text_of_view(normalize(text))


def _cue_text_of_view(view: str) -> str:
    return _CUE_STRIP.sub(" ", view.lower()).strip()


def match_cue(text: str, cfg: SegmentConfig) -> tuple[str, bool] | None:
    """The (label, opens-section) of the cue phrase this line is, or None."""
    return _match_cue(text, normalize(text), len(_WORD.findall(text)), cfg)


def _match_cue(text: str, view: str, words: int, cfg: SegmentConfig) -> tuple[str, bool] | None:
    """:func:`match_cue` of a line whose view and word count are known."""
    cues = _cues()
    key = _cue_text_of_view(view)
    if not key:
        return None
    hit = cues.get(key)
    if hit:
        return hit[0], hit[2]
    tokens = key.split()
    if words > cfg.cue_prefix_max_words:
        # A long line is chrome only when it opens with a cue and a colon: "اقرأ أيضا: <headline>".
        head = view.split(":", 1)[0]
        hit = cues.get(_cue_text(head)) if ":" in text else None
        return (hit[0], hit[2]) if hit and hit[1] == "prefix" else None
    for n in range(len(tokens) - 1, 0, -1):
        hit = cues.get(" ".join(tokens[:n]))
        if hit and hit[1] == "prefix":
            return hit[0], hit[2]
    return None


def _matched_phrase(text: str, cfg: SegmentConfig) -> str:
    """The cue phrase a cue line starts with (the line itself for an exact cue)."""
    tokens = _cue_text(text).split()
    for n in range(len(tokens), 0, -1):
        if " ".join(tokens[:n]) in _cues():
            return " ".join(tokens[:n])
    return text


_FINAL_TUPLE = tuple(_FINAL)


def describe_line(index: int, start: int, text: str, cfg: SegmentConfig) -> Line:
    """Measure one stripped, non-blank line."""
    # The view is made once here and kept on the line (cue, caption, copyright, key, corpus
    # repeats and the later steps all read it); each regex runs once per line.
    view = normalize(text)
    tokens = _WORD.findall(text)
    words = len(tokens)
    letters = len("".join(tokens)) - sum(map(len, _DIGIT_RUN.findall(text)))
    arabic = letters - sum(map(len, _NON_ARABIC_LETTERS.findall(text)))
    view_tokens = _WORD.findall(view)
    if view_tokens:
        # function words, standing alone or glued onto a defined noun (بالرباط، والعراق، للتحالف)
        function_words = _function_words()
        density = sum(1 for t in view_tokens if t in function_words
                      or (len(t) > 4 and t.startswith(_CLITIC_ARTICLE))) / len(view_tokens)
    else:
        density = 0.0
    stripped = text.rstrip()
    line = Line(
        index=index, start=start, end=start + len(text), text=text, words=words,
        arabic_share=arabic / letters if letters else 0.0,
        function_density=density,
        ends_sentence=stripped.endswith(_FINAL_TUPLE),
        teaser=stripped.endswith(_ELLIPSIS),
        ticker=(len(_WIDE_SPACE.findall(text)) if _MAYBE_WIDE.search(text) else 0) + 1 >= cfg.ticker_min_segments,
        menu=len(_MENU_SEPARATOR.findall(text)) + 1 >= cfg.ticker_min_segments,
        key="".join(view_tokens),  # line_key(text): _WORD's letter and digit runs are all of \w but "_"
        view=view,
    )
    cue = _match_cue(text, view, words, cfg)
    if cue:
        line.cue, line.section = cue
        # "اقرأ أيضا" alone opens a list; "اقرأ أيضا: <headline>" or "شاهد الفيديو: <title>" is
        # a box inside the article.
        if line.cue in ("related", "widget", "share") and len(_cue_text_of_view(view).split()) > len(_cue_text(_matched_phrase(text, cfg)).split()) + 1:
            line.section, line.inline = False, True
    elif _is_caption_view(view, words, cfg) and not _dated_dateline(line):
        line.cue = "caption"
    elif line.words <= cfg.caption_max_words and _COPYRIGHT.search(view):
        line.cue = "footer"
    line.prose = (
        not line.ticker and not line.menu and not line.teaser and line.cue is None
        and line.words >= cfg.prose_min_words
        and line.arabic_share >= cfg.min_arabic_share
        and line.function_density >= cfg.prose_min_function_density
        and (line.ends_sentence or line.words >= cfg.prose_unpunctuated_min_words)
    )
    return line


def _dated_dateline(line: Line) -> bool:
    """"الدوحة - قنا | 26/02/2023 09:12 ص": a dateline naming an agency, with the full date, is the
    byline, not a picture credit (the agency name is also a caption cue)."""
    head = line.text.split("|", 1)[0].strip()
    return bool(_DATELINE.match(head)) and any(m.year and m.month and m.day for m in line.dates)


def describe_lines(raw_text: str, cfg: SegmentConfig, corpus: CorpusLineCounts | None = None) -> list[Line]:
    """Step 1: one :class:`Line` per non-blank line, with copies and corpus repeats marked."""
    lines: list[Line] = []
    first_seen: dict[str, int] = {}
    offset = 0
    for index, raw_line in enumerate(raw_text.split("\n")):
        stripped = raw_line.strip()
        if stripped:
            start = offset + raw_line.index(stripped[0])
            line = describe_line(index, start, stripped, cfg)
            key = line.key
            earlier = first_seen.get(key)
            if earlier is None and len(key) >= cfg.copy_min_chars:
                earlier = _repetition_of(key, first_seen)
            if earlier is not None and len(key) >= cfg.copy_min_chars:
                line.copy_of = earlier
                line.prose = False
            first_seen.setdefault(key, len(lines))
            if corpus is not None and not line.prose and corpus._frequent_key(key, cfg):
                line.corpus_repeat = True
            lines.append(line)
        offset += len(raw_line) + 1
    return lines


def _repetition_of(key: str, first_seen: dict[str, int]) -> int | None:
    """The earlier line this key repeats several times over ("X X" for a headline shown twice)."""
    for n in (2, 3, 4):
        if len(key) % n == 0:
            unit = key[: len(key) // n]
            if unit * n == key and unit in first_seen:
                return first_seen[unit]
    return None


def body_blocks(lines: list[Line], cfg: SegmentConfig) -> list[list[int]]:
    """Step 2: runs of prose lines (indexes into ``lines``), short subheadings allowed in between."""
    blocks: list[list[int]] = []
    current: list[int] = []
    pending: list[int] = []  # short lines seen since the last prose line
    rows: list[int] = []  # table rows seen since the last prose line
    for i, line in enumerate(lines):
        if line.inline or line.cue == "caption":
            continue  # an inline box or a picture does not cut the article in two; labelled, not body
        if line.prose:
            unpunctuated = sum(1 for j in pending if not lines[j].ends_sentence)
            if current and unpunctuated <= cfg.subheadings_between_paragraphs:
                current.extend(sorted(pending + rows))
            elif current:
                blocks.append(current)
                current = []
            else:
                current.extend(_lead_paragraphs(lines, pending, cfg))
            pending, rows = [], []
            current.append(i)
        elif current and line.cue is None and line.copy_of is None and _is_table_row(line.text):
            # A table inside the article (a month and its figures per row): body when prose follows.
            rows.append(i)
        elif (line.cue is None and line.copy_of is None and not line.ticker and not line.menu and not line.teaser
              and not line.corpus_repeat and line.words <= cfg.between_paragraphs_max_words
              and line.arabic_share >= cfg.min_arabic_share and not _byline_evidence(line, cfg)):
            # A subheading, or a paragraph too short or unpunctuated to count as prose alone:
            # body only when prose follows it.
            pending.append(i)
        else:
            if current:
                blocks.append(current)
            current, pending, rows = [], [], []
    if current:
        blocks.append(current)
    return blocks


def _lead_paragraphs(lines: list[Line], pending: list[int], cfg: SegmentConfig) -> list[int]:
    """The lines just before a run's first prose line that are whole sentences of prose length:
    the article's lead, which a dense news opening (names, places, dates and few function words:
    "احتضنت العاصمة الإيطالية روما، اليوم الاثنين، اجتماعا وزاريا …") keeps below the prose test.
    A headline has no final stop and a byline is no pending line, so neither is taken."""
    lead: list[int] = []
    for j in reversed(pending):
        line = lines[j]
        if not (line.ends_sentence and line.words >= cfg.prose_min_words and not line.teaser):
            break
        lead.append(j)
    return sorted(lead)


_CELL_SPLIT = re.compile(r"\t+| {2,}")
_NUMBER_CELL = re.compile(r"[-+−]?[\d٠-٩][\d٠-٩.,٫]*\s*[%٪]?")


def _is_table_row(text: str) -> bool:
    """A row of a table flattened by the scraper: short cells apart by tabs, or cells apart by wide
    spaces at least two of which are numbers (``يوليو 2023\t36.5\t68.2``)."""
    cells = [c for c in _CELL_SPLIT.split(text.strip()) if c]
    if len(cells) < 2 or len(text) > 200:
        return False
    if "\t" in text and all(len(c.split()) <= 4 for c in cells):
        return True  # tab-separated short cells: a header row too (الشهر\tالتضخم العام\tتضخم الطعام)
    return len(cells) >= 3 and sum(1 for c in cells if _NUMBER_CELL.fullmatch(c)) >= 2


def _vocabulary(lines: list[Line], block: list[int]) -> set[str]:
    fw = _function_words()
    vocab = set()
    for i in block:
        for token in _WORD.findall(lines[i].view):
            if len(token) > 2 and token not in fw and not token.isdigit():
                vocab.add(token)
    return vocab


def choose_body(lines: list[Line], blocks: list[list[int]], cfg: SegmentConfig) -> list[int]:
    """Step 3: the article's paragraphs (indexes into ``lines``), in reading order."""
    if not blocks:
        return []
    sections = [i for i, line in enumerate(lines) if line.section]

    def mass(block: list[int]) -> float:
        chars = sum(lines[i].end - lines[i].start for i in block if lines[i].prose)
        after_section = any(s < block[0] for s in sections)
        return chars * (cfg.after_section_weight if after_section else 1.0)

    main = max(blocks, key=lambda b: (mass(b), -b[0]))
    chosen = list(main)
    main_vocab = _vocabulary(lines, main)
    for block in blocks:
        if block is main:
            continue
        # Before the main run stand the headline, captions and chrome, which share the article's
        # words without being its text: an earlier block must also carry real prose.
        if block[0] < main[0] and sum(lines[i].end - lines[i].start for i in block if lines[i].prose) < cfg.continuation_min_chars:
            continue
        vocab = _vocabulary(lines, block)
        if not vocab:
            continue
        # Share of the block's words already used by the article: a continuation of the same
        # story reuses its names and terms; a teaser of another story does not.
        similarity = len(vocab & main_vocab) / len(vocab)
        crosses_section = any(min(block[0], main[0]) < s < max(block[0], main[0]) for s in sections)
        needed = cfg.continuation_similarity * (2 if crosses_section else 1)
        if similarity >= needed:
            chosen.extend(block)
    return sorted(chosen)


def _headline_shaped(line: Line, cfg: SegmentConfig) -> bool:
    # A short line may pass the prose test (a headline can end with a quotation mark), so shape is
    # judged on length and on the absence of a sentence-final stop, not on the prose flag.
    return (
        line.cue is None and not line.ticker and not line.menu and not line.teaser
        and cfg.headline_min_words <= line.words <= cfg.headline_max_words
        and line.arabic_share >= cfg.min_arabic_share
        and not line.text.rstrip().endswith((".", "!", "؟", "?", "…"))
        and not any(m.year and m.month for m in line.dates)  # a dated line is a byline or a stamp
        and not _BYLINE_LEAD.match(line.view)  # "كتب: أحمد عبد الحميد" signs the article
    )


def _byline_evidence(line: Line, cfg: SegmentConfig) -> int:
    """0 when the line cannot be a byline; else 1 (a byline cue or a dateline), 2 (a date) or 3 (both).

    Chrome lines are excluded: a "last updated" stamp or a widget's date is not the article's.
    """
    if line.words > 2 * cfg.byline_max_words or line.prose or line.cue is not None:
        return 0
    dated = any(m.year or m.relative_days is not None for m in line.dates)
    cued = bool(_BYLINE_CUE.search(line.view)) or bool(_DATELINE.match(line.text))
    if line.words > cfg.byline_max_words and not (dated and _BYLINE_CUE.search(line.view)):
        return 0  # a long line is a byline only with both a cue and a date (… | نُشر في: … | آخر تحديث: …)
    return 2 * dated + cued


def choose_byline(lines: list[Line], body: list[int], cfg: SegmentConfig) -> int | None:
    """Step 4a: the byline or dateline (author, site, date) before the body, or None.

    The strongest evidence wins; between equals, the line nearest the body (a date at the top of
    the page is usually the site's clock).
    """
    if not body:
        return None
    first = body[0]
    candidates = [i for i in range(max(0, first - cfg.headline_window), first) if _byline_evidence(lines[i], cfg)]
    return max(candidates, key=lambda i: (_byline_evidence(lines[i], cfg), i), default=None)


def choose_headline(lines: list[Line], body: list[int], byline: int | None, cfg: SegmentConfig) -> int | None:
    """Step 4b: the headline line (index into ``lines``) before the body, or None.

    In order of weight: the page repeats its headline (title tag, breadcrumb, share text); the
    headline stands next to the byline (just before it, or just after a dateline at the top); it
    has more than a few words; it is near the body.
    """
    if not body:
        return None
    first = body[0]
    candidates = [i for i in range(max(0, first - cfg.headline_window), first)
                  if i != byline and _headline_shaped(lines[i], cfg)]
    if not candidates:
        return None
    keys = [line.key for line in lines]

    def echoes(i: int) -> bool:
        # Another line holds it or is held by it. Not the byline, which repeats the site name, and
        # not a name-length line: site names echo everywhere too.
        k = keys[i]
        return lines[i].words > cfg.headline_min_words and any(
            j not in (i, byline) and other and (k in other or other in k) and min(len(k), len(other)) >= cfg.copy_min_chars
            for j, other in enumerate(keys))

    def beside_byline(i: int) -> int:
        # Just before the byline is the usual place; just after it, a dateline at the top of the
        # page (12/05/2022, then the headline) — or a caption, hence the lower weight.
        if byline is None:
            return 0
        return 2 if 0 < byline - i <= 2 else 1 if 0 < i - byline <= 2 else 0

    return max(candidates, key=lambda i: (echoes(i), beside_byline(i), lines[i].words > cfg.headline_min_words, i))


def _boilerplate_label(line: Line, position: str, after_section: str | None) -> str:
    if line.cue:
        return line.cue
    if line.copy_of is not None:
        return "duplicate"
    if line.ticker:
        return "ticker"
    if line.menu:
        return "navigation"
    if line.teaser or after_section == "related":
        return "related"
    if after_section == "comments":
        return "comments"
    if position == "before":
        return "navigation" if line.words <= 4 else "other"
    if position == "after":
        return "footer" if line.corpus_repeat or line.arabic_share < 0.5 else "other"
    return "other"


def segment(raw_text: str, cfg: SegmentConfig = SegmentConfig(),
            corpus: CorpusLineCounts | None = None) -> Segmentation:
    """Segment one page (raw_text) into body, headline, byline and labelled boilerplate."""
    lines = describe_lines(raw_text, cfg, corpus)
    body = choose_body(lines, body_blocks(lines, cfg), cfg)
    byline = choose_byline(lines, body, cfg)
    headline = choose_headline(lines, body, byline, cfg)
    body_set = set(body)
    first_body = body[0] if body else len(lines)
    last_body = body[-1] if body else -1
    boilerplate = []
    section: str | None = None
    for i, line in enumerate(lines):
        if i and line.index - lines[i - 1].index > cfg.section_gap_lines:
            section = None  # a wide gap of blank lines ends a list or a form
        if line.section and i > first_body:
            section = line.cue
        if i in body_set:
            line.label = "body"
            section = None
        elif i == headline:
            line.label = "headline"
        elif i == byline:
            line.label = "byline"
        else:
            position = "before" if i < first_body else "after" if i > last_body else "inside"
            line.label = _boilerplate_label(line, position, section)
            boilerplate.append((line.start, line.end, line.label))
    return Segmentation(
        body_spans=[(lines[i].start, lines[i].end) for i in body],
        headline_span=(lines[headline].start, lines[headline].end) if headline is not None else None,
        byline_span=(lines[byline].start, lines[byline].end) if byline is not None else None,
        boilerplate=boilerplate,
        lines=lines,
    )
