"""Title, publisher and publication date (akhbar.metadata) on small pages written for these tests."""

from __future__ import annotations

from akhbar.metadata import extract_metadata
from akhbar.segment import segment

PARAGRAPH = ("وأكد الوزير في كلمته أمام المشاركين أن التعاون بين البلدين يشهد تطورا كبيرا في مختلف المجالات "
             "الاقتصادية والأمنية، وأن الجانبين اتفقا على مواصلة التنسيق خلال المرحلة المقبلة.")


def metadata(*lines: str):
    page = "\n".join(lines)
    return extract_metadata(segment(page), page)


def test_site_before_published_in():
    meta = metadata("صوت الجنوب", "الرئيسية | سياسة | اقتصاد", "الوزير يبحث التعاون مع نظيره في العاصمة",
                    "صوت الجنوب نشر في: 3 مارس 2021", PARAGRAPH, PARAGRAPH.replace("وأكد", "وأضاف"),
                    "© 2021 صوت الجنوب. جميع الحقوق محفوظة")
    assert (meta.publisher, meta.published) == ("صوت الجنوب", "2021-03-03")


def test_reporter_and_city_before_published_in_are_not_the_site():
    meta = metadata("صوت الجنوب", "الرئيسية | سياسة | اقتصاد", "الوزير يبحث التعاون مع نظيره في العاصمة",
                    "سمير العلوي - فاس | نشر في: الخميس 12 ماي 2022 على الساعة 09:45",
                    PARAGRAPH, PARAGRAPH.replace("وأكد", "وأضاف"), "© 2022 صوت الجنوب. جميع الحقوق محفوظة")
    assert (meta.publisher, meta.published) == ("صوت الجنوب", "2022-05-12")


def test_site_among_the_parts_of_the_byline():
    meta = metadata("صوت الجنوب", "الرئيسية | سياسة | اقتصاد", "الوزير يبحث التعاون مع نظيره في العاصمة",
                    "صوت الجنوب - سمير العلوي | نشر في: 12 ماي 2022 على الساعة 09:40",
                    PARAGRAPH, PARAGRAPH.replace("وأكد", "وأضاف"))
    assert meta.publisher == "صوت الجنوب"
    assert meta.title == "الوزير يبحث التعاون مع نظيره في العاصمة"


HEADLINE = "الوزير يبحث التعاون مع نظيره في العاصمة"
BODY = (PARAGRAPH, PARAGRAPH.replace("وأكد", "وأضاف"))


def test_publisher_from_a_copyright_line_for_the_site():
    meta = metadata("الرئيسية", "سياسة", HEADLINE, "14 مارس 2023", *BODY, "© جميع الحقوق محفوظة لموقع نبض الشمال 2023")
    assert meta.publisher == "نبض الشمال"


def test_publisher_from_a_publishing_rights_line():
    meta = metadata("الرئيسية", "سياسة", HEADLINE, "14 مارس 2023", *BODY, "حقوق النشر محفوظة لـ صوت الجنوب")
    assert meta.publisher == "صوت الجنوب"


def test_publisher_from_a_lone_site_name_line_above_the_menu():
    meta = metadata("وادي النيل اليوم", "الرئيسية", "سياسة", "اقتصاد", HEADLINE, "14 مارس 2023", *BODY, "سياسة الخصوصية")
    assert meta.publisher == "وادي النيل اليوم"


def test_publisher_from_a_city_outlet_byline():
    meta = metadata("الرئيسية", "سياسة", HEADLINE, "الرباط - أنباء الأطلس", *BODY)
    assert meta.publisher == "أنباء الأطلس"


def test_a_place_tag_line_is_not_the_site_of_an_outlet_city_byline():
    meta = metadata("الرئيسية", "سياسة", HEADLINE, "أنباء الأطلس - مراكش | 12 ماي 2022", *BODY, "مراكش",
                    "جميع الحقوق محفوظة © أنباء الأطلس 2022")
    assert meta.publisher == "أنباء الأطلس"


def test_the_arabic_form_of_a_latin_site_name_beside_it():
    meta = metadata("الرئيسية", "الواحة اليوم", "Al Waha Today", HEADLINE, "14 مارس 2023", *BODY,
                    "© 2023 Al Waha Today. All rights reserved.")
    assert meta.publisher == "الواحة اليوم"


def test_a_dated_dateline_naming_an_agency_is_the_byline_not_a_caption():
    meta = metadata("الرئيسية", "رياضة", "العداء المغربي يفوز بسباق الدوحة الدولي للضاحية",
                    "الدوحة - قنا | 26/02/2023 09:12 ص", *BODY)
    assert (meta.title, meta.published) == ("العداء المغربي يفوز بسباق الدوحة الدولي للضاحية", "2023-02-26")


def test_a_long_byline_with_a_cue_and_a_date_is_still_the_byline():
    byline = "لندن - سامر الخطيب | نُشر في: 04/02/2019 - 13:20 GMT | آخر تحديث: 05/02/2019 - 08:10 GMT"
    meta = metadata("الرئيسية", "حوارات", HEADLINE, "", byline, "", *BODY)
    assert meta.published == "2019-02-04"
