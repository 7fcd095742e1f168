"""Date expressions in every month-name family, numeric dates, and relative resolution."""

import datetime as dt

import pytest

from akhbar.dates import find_dates, resolve


@pytest.mark.parametrize("text, expected", [
    ("نشر في الموقع يوم 07 - 02 - 2019", (2019, 2, 7)),
    ("12/05/2022", (2022, 5, 12)),
    ("2023-06-08", (2023, 6, 8)),
    ("في 12 يوليوز 2018", (2018, 7, 12)),
    ("في 3 غشت 2020", (2020, 8, 3)),
    ("يوم 9 شتنبر 2014", (2014, 9, 9)),
    ("في 15 نونبر 2021", (2021, 11, 15)),
    ("في 1 دجنبر 2019", (2019, 12, 1)),
    ("في 4 أغسطس 2020", (2020, 8, 4)),
    ("السبت 05 يوليو 2025", (2025, 7, 5)),
    ("الخميس 14 تموز 2022", (2022, 7, 14)),
    ("07 شباط / فبراير 2019", (2019, 2, 7)),
    ("في 2 تشرين الثاني 2023", (2023, 11, 2)),
    ("١٢ مايو ٢٠٢٢", (2022, 5, 12)),
])
def test_explicit_dates(text, expected):
    [m] = find_dates(text)
    assert (m.year, m.month, m.day) == expected
    assert text[m.start:m.end] == m.text


def test_a_bare_month_name_is_not_a_date():
    assert find_dates("مارس الفريق ضغطا كبيرا") == []


def test_relative_day_with_weekday_resolves_and_checks_the_weekday():
    [m] = find_dates("اجتمعوا أمس الأربعاء في واشنطن")
    assert resolve(m, dt.date(2019, 2, 7)).date == "2019-02-06"
    assert resolve(m, dt.date(2019, 2, 7)).weekday_agrees is True
    assert resolve(m, dt.date(2019, 2, 8)).weekday_agrees is False


def test_next_month_resolves_after_the_reference():
    [m] = find_dates("سيجتمعون في السادس من فبراير المقبل")
    assert (m.day, m.month, m.direction) == (6, 2, "next")
    assert resolve(m, dt.date(2019, 1, 25)).date == "2019-02-06"
    assert resolve(m, dt.date(2019, 3, 1)).date == "2020-02-06"


def test_without_reference_a_relative_date_stays_open():
    [m] = find_dates("أمس الثلاثاء")
    assert resolve(m, None).date is None


def test_partial_dates_keep_their_precision():
    [m] = find_dates("في يونيو 2018 مع التركيز")
    r = resolve(m, None)
    assert (r.date, r.value) == (None, "2018-06")


def test_impossible_dates_are_dropped():
    assert find_dates("31/02/2019") != [] and resolve(find_dates("31/02/2019")[0], None).date is None
    assert find_dates("45/13/2019") == []


def test_last_and_next_weekday_never_give_the_reference_day():
    wednesday = dt.date(2019, 2, 6)
    assert resolve(find_dates("الأربعاء الماضي")[0], wednesday).date == "2019-01-30"
    assert resolve(find_dates("الأربعاء المقبل")[0], wednesday).date == "2019-02-13"
    assert resolve(find_dates("الاثنين الماضي")[0], wednesday).date == "2019-02-04"


def test_open_dates_are_found_only_when_asked():
    text = "اجتمع الوزراء يوم الأربعاء وسيلتقون الشهر المقبل"
    assert find_dates(text) == []
    assert [m.text for m in find_dates(text, open_dates=True)] == ["يوم الأربعاء", "الشهر المقبل"]


@pytest.mark.parametrize("tense, expected", [("past", "2019-02-06"), ("future", "2019-02-13"), (None, None)])
def test_a_bare_weekday_is_fixed_by_the_tense(tense, expected):
    [m] = find_dates("مساء الأربعاء", open_dates=True)
    assert resolve(m, dt.date(2019, 2, 7), tense).date == expected  # published on a Thursday


def test_a_bare_weekday_on_the_report_day_is_that_day():
    [m] = find_dates("يوم الخميس", open_dates=True)
    assert resolve(m, dt.date(2019, 2, 7), "past").date == "2019-02-07"


@pytest.mark.parametrize("text", ["الاثنين", "الأحد"])
def test_an_ambiguous_weekday_needs_a_day_word(text):
    assert find_dates(text, open_dates=True) == []  # also "the two", "the one"
    assert len(find_dates("يوم " + text, open_dates=True)) == 1


@pytest.mark.parametrize("text, expected", [("الشهر المقبل", ("2019-03", "next")), ("الشهر الماضي", ("2019-01", "last")),
                                            ("الشهر الجاري", ("2019-02", None))])
def test_the_month_named_from_the_report(text, expected):
    [m] = find_dates(text, open_dates=True)
    assert (resolve(m, dt.date(2019, 2, 7)).value, m.direction) == expected


@pytest.mark.parametrize("text, expected", [("الخميس 19 ذو القعدة 1444هـ", (2023, 6, 8)),
                                            ("١٩ ذي القعدة ١٤٤٤ هـ", (2023, 6, 8)),
                                            ("1 رمضان 1445", (2024, 3, 11))])
def test_hijri_dates(text, expected):
    [m] = find_dates(text, open_dates=True)
    assert (m.year, m.month, m.day) == expected


@pytest.mark.parametrize("text, expected", [("عقد في الرياض اليوم، اجتماع", "اليوم"), ("صباح اليوم في الرباط", "صباح اليوم"),
                                            ("صحيفة المغرب اليوم نشرت", None)])
def test_today_alone_only_where_it_cannot_be_a_name(text, expected):
    found = find_dates(text, open_dates=True)
    assert (found[0].text if found else None) == expected
    assert all(m.relative_days == 0 for m in found)
