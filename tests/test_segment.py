"""The segmenter on small pages made for each rule, and on the gold of the seed pages."""

import json
from pathlib import Path

import pytest

from akhbar.evaluation import PRF, body_prf, line_spans, load_body_gold
from akhbar.read import decode
from akhbar.segment import CorpusLineCounts, SegmentConfig, _headline_shaped, describe_lines, is_caption, match_cue, segment

ROOT = Path(__file__).resolve().parents[1]

P1 = "قال وزير الخارجية في تصريح للصحافة إن بلاده تدعم جهود السلام في المنطقة وتعمل مع شركائها على تعزيز الاستقرار."
P2 = "وأضاف الوزير أن المحادثات التي جرت في العاصمة تناولت سبل تطوير التعاون الاقتصادي بين البلدين خلال السنوات المقبلة."
P3 = "وأشار إلى أن الطرفين اتفقا على عقد لقاء جديد قبل نهاية العام لمتابعة تنفيذ ما تم الاتفاق عليه من مشاريع مشتركة."
TEASER = "أعلنت شركة الطيران الوطنية عن إطلاق خطوط جديدة نحو عدد من المدن الأوروبية ابتداء من الصيف المقبل بأسعار تنافسية للمسافرين."


def page(*lines: str) -> str:
    return "\n".join(lines)


def body_of(text: str, **kw) -> list[str]:
    return [text[s:e] for s, e in segment(text, **kw).body_spans]


def labels_of(text: str) -> dict[str, str]:
    return {text[s:e]: label for s, e, label in segment(text).boilerplate}


def test_article_only_page_is_all_body():
    text = page(P1, P2, P3)
    assert body_of(text) == [P1, P2, P3]


def test_menu_headline_byline_and_footer():
    text = page("الرئيسية", "سياسة", "", "الوزير يبحث تعزيز التعاون مع الشركاء", "بقلم هيئة التحرير - 14 مارس 2023",
                "", P1, "", P2, "", P3, "", "جميع الحقوق محفوظة لموقع الأخبار 2024 ©")
    seg = segment(text)
    assert body_of(text) == [P1, P2, P3]
    assert text[slice(*seg.headline_span)] == "الوزير يبحث تعزيز التعاون مع الشركاء"
    assert text[slice(*seg.byline_span)].startswith("بقلم")
    labels = labels_of(text)
    assert labels["الرئيسية"] == "navigation" and labels["جميع الحقوق محفوظة لموقع الأخبار 2024 ©"] == "footer"


def test_repeated_body_is_kept_once_and_labelled_duplicate():
    text = page(P1 + " " + P2, "", P1 + "  " + P2)
    assert body_of(text) == [P1 + " " + P2]
    assert list(labels_of(text).values()) == ["duplicate"]


def test_teasers_after_a_read_also_cue_are_not_body():
    text = page(P1, P2, P3, "", "اقرأ أيضا", "شركة الطيران تطلق خطوطا جديدة", TEASER)
    assert body_of(text) == [P1, P2, P3]
    labels = labels_of(text)
    assert labels[TEASER] == "related" and labels["اقرأ أيضا"] == "related"


def test_article_continues_after_an_inline_read_also_box():
    # The same story's vocabulary continues after the box: it is the article, not a teaser.
    after = "وأكد الوزير أن بلاده ستواصل دعم جهود السلام في المنطقة مع شركائها، وأن التعاون الاقتصادي بين البلدين سيتعزز خلال السنوات المقبلة."
    text = page(P1, P2, P3, "اقرأ أيضا: شركة الطيران تطلق خطوطا جديدة", after)
    assert body_of(text) == [P1, P2, P3, after]


def test_ticker_of_other_headlines_on_one_line():
    ticker = "\u00a0\u00a0\u00a0\u00a0".join(["ارتفاع أسعار الذهب في الأسواق العالمية", "المنتخب يستعد لمباراة الحسم",
                                              "افتتاح معرض الكتاب في دورته الجديدة", "الحكومة تصادق على مشروع قانون المالية"] * 3)
    text = page(ticker, "", P1, P2, P3)
    assert body_of(text) == [P1, P2, P3]
    assert labels_of(text)[ticker] == "ticker"


def test_comment_form_and_prayer_widget():
    text = page(P1, P2, P3, "", "أضف تعليقك", "الاسم", "البريد الإلكتروني", "", "مواقيت الصلاة", "الفجر", "الظهر")
    labels = labels_of(text)
    assert labels["أضف تعليقك"] == "comments" and labels["الاسم"] == "comments"
    assert labels["مواقيت الصلاة"] == "widget" and labels["الظهر"] == "widget"


def test_subheading_between_paragraphs_is_body():
    text = page("عنوان المقال عن زيارة الوزير", "", P1, P2, "", "ملفات التعاون المطروحة", "", P3)
    assert body_of(text) == [P1, P2, "ملفات التعاون المطروحة", P3]


def test_cue_lines_need_to_be_short():
    cfg = SegmentConfig()
    assert match_cue("شارك", cfg) == ("share", False)
    assert match_cue("شارك في الاجتماع وزراء خارجية عشرين دولة من المنطقة وخارجها لبحث الوضع", cfg) is None
    assert match_cue("اقرأ أيضا: الحكومة تعلن عن خطة جديدة", cfg) == ("related", True)


def test_lines_shared_by_most_pages_of_the_corpus_are_chrome():
    shared = "تابعونا على شبكات التواصل للحصول على آخر المستجدات"
    pages = [page(P1, P2, P3, shared), page(P2, P3, P1, shared), page(P3, P1, P2, shared)]
    counts = CorpusLineCounts()
    for text in pages:
        counts.add_document(text)
    for text in pages:
        assert shared not in body_of(text, corpus=counts)


def test_pruned_line_counts_answer_the_same():
    shared = "تابعونا على شبكات التواصل للحصول على آخر المستجدات"
    pages = [page(P1, shared, "عنوان خبر لا يتكرر"), page(P2, shared), page(P3, shared), page(P1, "سطر نادر")]
    counts, cfg = CorpusLineCounts(), SegmentConfig()
    for text in pages:
        counts.add_document(text)
    lines = {line for text in pages for line in text.split("\n")}
    before = {line: counts.frequent(line, cfg) for line in lines}
    counts.prune(cfg)
    assert {line: counts.frequent(line, cfg) for line in lines} == before
    assert before[shared] and len(counts.counts) == 1


def test_offsets_are_exact_in_crlf_and_bom_pages():
    raw, _ = decode(("\ufeff" + page("عنوان الخبر عن لقاء الوزيرين", "", P1, P2)).replace("\n", "\r\n").encode("utf-8"))
    seg = segment(raw)
    assert [raw[s:e] for s, e in seg.body_spans] == [P1, P2]


def _score(folder: Path, pages: Path, suffix: str) -> PRF:
    if suffix == ".json":
        golds = load_body_gold(folder)
    else:
        golds = {p.name[: -len(suffix)]: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob(f"*{suffix}")}
    texts = {i: decode((pages / f"{i}.txt").read_bytes())[0] for i in golds}
    counts = CorpusLineCounts()
    for text in texts.values():
        counts.add_document(text)
    total = PRF(0, 0, 0)
    for doc_id, gold in golds.items():
        seg = segment(texts[doc_id], corpus=counts)
        total += body_prf(texts[doc_id], seg.body_spans, line_spans(texts[doc_id], gold["body_lines"]))
    return total


def test_body_f1_on_the_seed_pages():
    assert _score(ROOT / "tests/gold_body", ROOT / "seeds", ".json").f1 >= 0.98


@pytest.mark.skipif(not (ROOT / "tests/heldout").is_dir(), reason="no held-out pages")
def test_body_f1_on_held_out_pages():
    assert _score(ROOT / "tests/heldout", ROOT / "tests/heldout", ".gold.json").f1 >= 0.95


def test_a_table_inside_the_article_is_body():
    paragraph = "وأوضح البنك في بيان رسمي أن القرار يأتي في ضوء تراجع المعدل السنوي للتضخم العام خلال الأشهر الماضية."
    page = "\n".join([
        "بوابة الاقتصاد", "الرئيسية | بنوك | عملات | ذهب",
        "البنك المركزي يثبت أسعار الفائدة للمرة الثانية", "كتب: أحمد سالم - 02 نوفمبر 2023",
        paragraph, paragraph.replace("وأوضح", "وأضاف"),
        "تطور معدل التضخم السنوي (%)", "الشهر\tالتضخم العام\tتضخم الطعام",
        "يونيو 2023\t35.7\t65.9", "يوليو 2023\t36.5\t68.2",
        paragraph.replace("وأوضح", "وأشار"), "جميع الحقوق محفوظة © 2023"])
    seg = segment(page)
    body = "\n".join(page[s:e] for s, e in seg.body_spans)
    assert "يوليو 2023\t36.5\t68.2" in body and "الشهر\tالتضخم العام" in body and "وأشار" in body


def test_a_picture_credited_to_its_photographers_is_a_caption():
    assert is_caption("الوزيران خلال المؤتمر الصحافي في قصر بسترس (دالاتي ونهرا)", SegmentConfig())
    assert not is_caption("وقال الوزير إن التعاون مستمر (وفق بيان الوزارة).", SegmentConfig())


def test_a_breadcrumb_with_angle_quotes_is_not_the_headline():
    paragraph = "وأوضح المسؤول في تصريح صحفي أن الفرق الميدانية تواصل عملها في المناطق المتضررة منذ ساعات الصباح الأولى."
    page = "\n".join(["فيضانات تجتاح المدينة وتشرد مئات العائلات", "الرئيسية ‹ تغطية خاصة ‹ الفيضانات",
                      "نشر في: 12 سبتمبر 2023", paragraph, paragraph.replace("وأوضح", "وأضاف")])
    seg = segment(page)
    assert page[seg.headline_span[0]:seg.headline_span[1]] == "فيضانات تجتاح المدينة وتشرد مئات العائلات"


def test_a_signature_line_is_never_headline_shaped():
    line = describe_lines("كتب: أحمد عبد الحميد العلوي", SegmentConfig())[0]
    assert not _headline_shaped(line, SegmentConfig())


def test_a_dense_lead_paragraph_after_the_byline_is_body():
    # 31 words of names, places and dates: too few function words for the prose test alone.
    lead = ("احتضنت العاصمة الإيطالية روما، اليوم الاثنين، اجتماعا وزاريا موسعا ضم وزراء خارجية ثلاث دول أوروبية "
            "وممثلي المفوضية الأوروبية وصندوق النقد الدولي ومنظمة التعاون الاقتصادي لبحث ملفات الطاقة الإقليمية وأمن الحدود المشتركة.")
    lines = describe_lines(lead, SegmentConfig())
    assert not lines[0].prose  # the rule below is what keeps it
    text = page("الرئيسية", "", "روما تحتضن اجتماعا وزاريا أوروبيا موسعا", "روما - الأخبار | 14 مارس 2023", "",
                lead, "", P1, "", P2, "", P3)
    assert body_of(text) == [lead, P1, P2, P3]
    seg = segment(text)
    assert text[slice(*seg.headline_span)] == "روما تحتضن اجتماعا وزاريا أوروبيا موسعا"
