"""Meeting events (akhbar.events): one small Arabic fixture per rule, entity lists made by hand."""

from __future__ import annotations

import datetime as dt
import re

import jsonschema
import pytest

from akhbar.events import ANNOTATOR, SOURCE, VERSION, complete_event, event_key, extract_events
from akhbar.schema import DOCUMENT_SCHEMA, load_schema

COALITION = "التحالف الدولي ضد داعش"


def tag(text: str, *names: tuple[str, str] | tuple[str, str, str]) -> list[dict]:
    """Entities for every whole-word occurrence of each (surface, label[, canonical]); proclitics stay outside."""
    found = []
    for name in sorted(names, key=lambda n: -len(n[0])):
        surface, label, canonical = (*name, name[0]) if len(name) == 2 else name
        for m in re.finditer(re.escape(surface), text):
            start, end = m.span()
            word_start = start
            while word_start > 0 and re.match(r"\w", text[word_start - 1]):
                word_start -= 1
            if text[word_start:start] not in ("", "و", "ف", "ب", "ل", "وب", "ول") or re.match(r"\w", text[end:end + 1]):
                continue
            if any(s < end and start < e for s, e, *_ in found):
                continue
            found.append((start, end, label, canonical))
    return [{"id": f"T{n}", "start": s, "end": e, "text": text[s:e], "label": label, "canonical": canonical,
             "source": "gold"} for n, (s, e, label, canonical) in enumerate(sorted(found), 1)]


def ids(entities: list[dict], surface: str) -> list[str]:
    return [e["id"] for e in entities if e["text"] == surface]


def one(events: list[dict]) -> dict:
    assert len(events) == 1, [(e["trigger"]["text"], e["event_key"]) for e in events]
    return events[0]


# --- held, planned, virtual ---------------------------------------------------------------------

def test_held_meeting_with_relative_weekday_and_place():
    text = ("اجتمع وزراء خارجية دول التحالف الدولي ضد داعش، أمس الخميس، بمدينة الرباط لتنسيق جهود محاربة "
            "التنظيم في منطقة الساحل.\nوأكد الوزراء في ختام الاجتماع عزمهم على مواصلة العمل المشترك.")
    ents = tag(text, (COALITION, "ORG"), ("الرباط", "GPE"), ("الساحل", "LOC"))
    event = one(extract_events(text, ents, dt.date(2023, 3, 17)))  # a Friday
    assert event["trigger"] == {"start": 0, "end": 5, "text": "اجتمع"}
    assert (event["date"], event["date_text"], event["date_basis"]) == ("2023-03-16", "أمس الخميس", "published")
    assert event["place"] == ids(ents, "الرباط")[0]  # not الساحل: the topic, after لتنسيق
    assert (event["realis"], event["subtype"], event["role"], event["virtual"]) == ("actual", "ministerial", "main", False)
    assert event["participants"] == ids(ents, COALITION)
    assert event["event_key"] == "Contact.Meet|2023-03-16|الرباط"


@pytest.mark.parametrize("when, published, expected", [
    ("يوم الثلاثاء المقبل", dt.date(2023, 1, 5), "2023-01-10"),
    ("في العاشر من مارس المقبل", dt.date(2023, 2, 20), "2023-03-10"),
])
def test_announced_meeting_is_planned(when, published, expected):
    text = (f"أعلنت الخارجية الإيطالية أن وزراء خارجية التحالف الدولي سيجتمعون في روما {when} لبحث المرحلة "
            "الجديدة من الحملة.\nومن المقرر أن يشارك في الاجتماع ممثلو أكثر من سبعين دولة.")
    ents = tag(text, ("التحالف الدولي", "ORG", COALITION), ("روما", "GPE"))
    event = one(extract_events(text, ents, published))
    assert event["trigger"]["text"] == "سيجتمعون"
    assert (event["realis"], event["date"], event["date_basis"]) == ("planned", expected, "published")
    assert event["place"] == ids(ents, "روما")[0]
    assert event["attendance"] == 70  # "أكثر من سبعين" is read as 70
    assert event["event_key"] == f"Contact.Meet|{expected}|روما"


def test_present_tense_with_planning_cue_is_planned():
    text = "من المقرر أن يعقد وزراء خارجية التحالف اجتماعا في عمان لبحث الوضع الإنساني."
    event = one(extract_events(text, tag(text, ("عمان", "GPE")), None))
    assert event["realis"] == "planned"


def test_virtual_meeting_has_no_place():
    text = ("عقد وزراء المجموعة المصغرة للتحالف الدولي ضد داعش اجتماعا افتراضيا يوم الاثنين الماضي بدعوة من "
            "وزير الخارجية الفرنسي جان إيف لودريان، لبحث الوضع في العراق.")
    ents = tag(text, ("المجموعة المصغرة للتحالف الدولي ضد داعش", "ORG"), ("جان إيف لودريان", "PERS"), ("العراق", "GPE"))
    event = one(extract_events(text, ents, dt.date(2021, 6, 10)))  # a Thursday
    assert event["trigger"]["text"] == "اجتماعا"
    assert (event["virtual"], event["place"]) == (True, None)
    assert (event["date"], event["subtype"], event["realis"]) == ("2021-06-07", "small_group_ministerial", "actual")
    assert event["participants"] == ids(ents, "المجموعة المصغرة للتحالف الدولي ضد داعش") + ids(ents, "جان إيف لودريان")
    assert event["event_key"] == "Contact.Meet|2021-06-07|virtual"


def test_video_conference_cue():
    text = "اجتمع وزراء خارجية التحالف عبر تقنية التناظر المرئي أمس الجمعة."
    event = one(extract_events(text, [], dt.date(2020, 6, 6)))
    assert event["virtual"] and event["event_key"] == "Contact.Meet|2020-06-05|virtual"


# --- a mentioned older meeting, dates -------------------------------------------------------------

def test_older_meeting_with_moroccan_month_is_mentioned():
    text = ("احتضنت مراكش، أمس الأربعاء، الاجتماع الوزاري للتحالف الدولي ضد داعش بمشاركة 85 وفدا.\n"
            "ويذكر أن آخر اجتماع وزاري للتحالف انعقد في 14 نونبر 2019 بواشنطن.")
    ents = tag(text, ("مراكش", "GPE"), ("لتحالف الدولي ضد داعش", "ORG", COALITION), ("واشنطن", "GPE"))
    main, older = extract_events(text, ents, dt.date(2022, 5, 12))
    assert (main["role"], main["date"], main["place"], main["attendance"]) == ("main", "2022-05-11", ids(ents, "مراكش")[0], 85)
    assert main["trigger"]["text"] == "الاجتماع"  # the noun, not the hosting verb
    assert main["participants"] == ids(ents, "لتحالف الدولي ضد داعش")
    assert (older["id"], older["role"], older["realis"]) == ("E2", "mentioned", "actual")
    assert (older["date"], older["date_text"], older["date_basis"]) == ("2019-11-14", "14 نونبر 2019", "explicit")
    assert older["place"] == ids(ents, "واشنطن")[0]
    assert older["event_key"] == "Contact.Meet|2019-11-14|واشنطن"


def test_month_only_date_keeps_its_text_but_no_day():
    text = ("اجتمع وزراء خارجية التحالف أمس في روما. وذكر البيان باجتماع المديرين السياسيين للتحالف الذي "
            "تم عقده في الصخيرات في يونيو 2018.")
    ents = tag(text, ("روما", "GPE"), ("الصخيرات", "GPE"))
    main, older = extract_events(text, ents, dt.date(2019, 2, 7))
    assert older["subtype"] == "political_directors"
    assert (older["date"], older["date_text"], older["date_basis"]) == (None, "يونيو 2018", None)
    assert older["event_key"] == "Contact.Meet|unknown-date|الصخيرات"
    assert main["event_key"] == "Contact.Meet|2019-02-06|روما"


def test_weekday_disagreeing_with_a_relative_date_drops_the_date():
    # published on a Thursday: "yesterday Tuesday" cannot be right, so the day is not trusted
    text = "اجتمع وزراء خارجية التحالف الدولي أمس الثلاثاء في بغداد."
    event = one(extract_events(text, tag(text, ("بغداد", "GPE")), dt.date(2023, 3, 16)))
    assert (event["date"], event["date_text"], event["date_basis"]) == (None, "أمس الثلاثاء", None)
    assert event["event_key"] == "Contact.Meet|unknown-date|بغداد"
    assert event["realis"] == "actual"


def test_weekday_disagreeing_with_an_explicit_date_keeps_the_date():
    text = "انعقد يوم الأحد 6 فبراير 2019 الاجتماع الوزاري للتحالف في واشنطن."  # 6 Feb 2019 was a Wednesday
    event = one(extract_events(text, tag(text, ("واشنطن", "GPE")), dt.date(2019, 2, 8)))
    assert (event["date"], event["date_basis"]) == ("2019-02-06", "explicit")


def test_relative_date_without_publication_date_is_unresolved():
    text = "اجتمع وزراء خارجية التحالف أمس الأربعاء في واشنطن."
    event = one(extract_events(text, tag(text, ("واشنطن", "GPE")), None))
    assert (event["date"], event["date_basis"], event["date_text"]) == (None, None, "أمس الأربعاء")
    assert event["event_key"] == "Contact.Meet|unknown-date|واشنطن"


# --- pages that report no meeting ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    # sport: قمة الدوري, a match (لقاء), even with a minister in the stands
    "تصدر الرجاء الرياضي قمة الدوري بعد فوزه على الوداد في لقاء مثير حضره وزير الشباب والرياضة، وسجل اللاعب هدفين.",
    "يستعد الفريق للقاء القمة أمام المنتخب الجزائري في الجولة المقبلة من البطولة.",
    # prices
    "ارتفعت أسعار الخضر في الأسواق لتبلغ قمة غير مسبوقة، حسب ما أفادت به الحكومة.",
    # weather
    "تساقطت الثلوج بكثافة على قمة جبل توبقال، وتوقعت مديرية الأرصاد انخفاض درجات الحرارة.",
    # social (اجتماعي)
    "صادقت الحكومة على مشروع قانون يتعلق بالحماية الاجتماعية وتعميم الضمان الاجتماعي، في إطار الحوار الاجتماعي مع النقابات.",
    # contract (عقد)
    "وقع وزير التشغيل عقد عمل جماعي مع النقابات، كما عقد الطرفان اتفاقا جديدا يخص الأجور.",
    # press conference
    "قال وزير الخارجية في مؤتمر صحفي إن بلاده ستواصل دعم الحكومة العراقية.",
    # no officials: a neighbourhood gathering
    "اجتمع سكان الحي أمس في الساحة للاحتفال بعيد الأضحى.",
])
def test_page_without_a_meeting_yields_no_event(text):
    assert extract_events(text, [], dt.date(2023, 5, 2)) == []


def test_generic_plural_is_no_event():
    text = "ويعقد التحالف الدولي اجتماعات منتظمة لتنسيق الجهود المشتركة."
    assert extract_events(text, [], dt.date(2023, 5, 2)) == []


def test_empty_body():
    assert extract_events("", [], None) == []


# --- merging, keys --------------------------------------------------------------------------------

def test_repeated_mentions_of_one_meeting_merge_with_best_arguments():
    text = ("اجتمع وزراء خارجية دول التحالف الدولي ضد داعش أمس الأربعاء لبحث مستقبل الحملة.\n"
            "وانعقد الاجتماع في مدينة مراكش بحضور ممثلي 75 دولة.\n"
            "وأكد المشاركون في هذا الاجتماع التزامهم بدعم العراق.")
    ents = tag(text, (COALITION, "ORG"), ("مراكش", "GPE"), ("العراق", "GPE"))
    event = one(extract_events(text, ents, dt.date(2022, 5, 12)))
    assert event["trigger"]["text"] == "اجتمع"  # the first mention
    assert event["date"] == "2022-05-11"  # from the first mention
    assert event["place"] == ids(ents, "مراكش")[0]  # from the second
    assert event["attendance"] == 75  # from the second
    assert event["participants"] == ids(ents, COALITION)  # العراق is the subject (بدعم), not a member
    assert event["event_key"] == "Contact.Meet|2022-05-11|مراكش"


def test_lead_without_trigger_dates_the_meeting():
    text = ("أكد التحالف الدولي ضد داعش، أمس الأربعاء في واشنطن، أن المعركة لم تنته بعد.\n"
            "وأشار وزراء خارجية التحالف، الذين اجتمعوا في واشنطن، في البيان الختامي لهذا الاجتماع، إلى أن الخطر قائم.")
    ents = tag(text, (COALITION, "ORG"), ("واشنطن", "GPE"))
    event = one(extract_events(text, ents, dt.date(2019, 2, 7)))
    assert event["trigger"]["text"] == "اجتمعوا"
    assert (event["date"], event["date_basis"], event["role"]) == ("2019-02-06", "published", "main")
    assert event["participants"] == ids(ents, COALITION)[:1]


def test_the_same_meeting_gets_the_same_key_in_two_reports():
    first = "اجتمع وزراء خارجية التحالف الدولي ضد داعش أمس الأربعاء في واشنطن."
    second = "احتضنت العاصمة الأمريكية واشنطن يوم 6 فبراير 2019 أشغال الاجتماع الوزاري للتحالف العالمي لمحاربة داعش."
    [a] = extract_events(first, tag(first, (COALITION, "ORG"), ("واشنطن", "GPE")), dt.date(2019, 2, 7))
    [b] = extract_events(second, tag(second, ("التحالف العالمي لمحاربة داعش", "ORG", COALITION), ("واشنطن", "GPE")),
                         dt.date(2019, 2, 9))
    assert a["event_key"] == b["event_key"] == "Contact.Meet|2019-02-06|واشنطن"
    assert (a["date_basis"], b["date_basis"]) == ("published", "explicit")
    [c] = extract_events(first, tag(first, ("واشنطن", "GPE")), dt.date(2019, 3, 7))
    assert c["event_key"] != a["event_key"]


# --- spans, attendance, output shape --------------------------------------------------------------

@pytest.mark.parametrize("text, trigger", [
    ("وسيجتمع وزراء خارجية التحالف في بغداد.", "سيجتمع"),
    ("رحب الوزراء بالاجتماع الذي عقد في الرباط.", "الاجتماع"),
    ("دعا الوزراء للاجتماع في الرباط.", "لاجتماع"),  # لل: only the preposition is outside
    ("وشارك الوفد المغربي في اجتماعٍ للتحالف.", "اجتماعٍ"),  # a trailing diacritic stays in the span
])
def test_trigger_span_leaves_proclitics_outside(text, trigger):
    event = one(extract_events(text, [], dt.date(2023, 5, 2)))
    assert event["trigger"]["text"] == trigger
    assert text[event["trigger"]["start"]:event["trigger"]["end"]] == trigger


@pytest.mark.parametrize("sentence, expected", [
    ("انعقد الاجتماع الوزاري في روما بحضور رؤساء دبلوماسية 79 بلدا.", 79),
    ("انعقد الاجتماع الوزاري في روما بحضور ممثلي تسعة وسبعين بلدا.", 79),
    ("انعقد الاجتماع الوزاري في روما بمشاركة ما يزيد عن 60 وفدا.", 60),
    ("وسيجتمع التحالف المكون من 79 عضوا في روما.", None),  # the coalition's size
    ("انعقد الاجتماع الوزاري للتحالف الذي يضم 83 شريكا في روما.", None),
])
def test_attendance_counts_participants_not_members(sentence, expected):
    assert one(extract_events(sentence, [], dt.date(2023, 5, 2)))["attendance"] == expected


def test_output_matches_the_schema():
    schema = load_schema(DOCUMENT_SCHEMA)
    validator = jsonschema.Draft202012Validator({**schema["$defs"]["event"], "$defs": schema["$defs"]})
    text = ("احتضنت مراكش، أمس الأربعاء، الاجتماع الوزاري للتحالف الدولي ضد داعش بمشاركة 85 وفدا.\n"
            "ويذكر أن آخر اجتماع وزاري للتحالف انعقد في 14 نونبر 2019 بواشنطن.")
    ents = tag(text, ("مراكش", "GPE"), ("لتحالف الدولي ضد داعش", "ORG", COALITION), ("واشنطن", "GPE"))
    events = extract_events(text, ents, dt.date(2022, 5, 12))
    assert [e["id"] for e in events] == ["E1", "E2"]
    for event in events:
        assert list(validator.iter_errors(event)) == []
        assert list(event) == list(schema["$defs"]["event"]["properties"])
        assert event["source"] == SOURCE == f"auto:{ANNOTATOR}@{VERSION}"
    assert [e["role"] for e in events].count("main") == 1


def test_bad_entity_offsets_are_refused():
    text = "اجتمع وزراء خارجية التحالف في روما."
    bad = {"id": "T1", "start": 0, "end": 4, "text": "روما", "label": "GPE", "canonical": "روما", "source": "gold"}
    with pytest.raises(ValueError, match="differs from body_text"):
        extract_events(text, [bad], None)


def test_gold_event_completed_with_basis_and_key():
    entities = [{"id": "T3", "canonical": "واشنطن"}]
    gold = {"id": "E1", "type": "Contact.Meet", "subtype": "ministerial", "trigger": {"start": 0, "end": 5, "text": "اجتمع"},
            "date": "2019-02-06", "date_text": "أمس الأربعاء", "realis": "actual", "place": "T3", "virtual": False,
            "participants": [], "attendance": None, "role": "main", "source": "gold"}
    done = complete_event(gold, entities)
    assert (done["date_basis"], done["event_key"]) == ("published", "Contact.Meet|2019-02-06|واشنطن")
    assert complete_event({**gold, "date_text": "6 فبراير 2019"}, entities)["date_basis"] == "explicit"
    assert event_key({"date": None, "place": None, "virtual": False}, []) == "Contact.Meet|unknown-date|unknown-place"


# --- written after held-out set 4 ---------------------------------------------------------------

def test_city_after_the_meeting_noun_is_its_place():
    text = "وقال الوزير إن اللقاء هو الأول منذ اجتماع بروكسل في 3 ديسمبر 2014 على المستوى الوزاري."
    ents = tag(text, ("بروكسل", "GPE"))
    keys = [e["event_key"] for e in extract_events(text, ents, dt.date(2019, 2, 7))]
    assert "Contact.Meet|2014-12-03|بروكسل" in keys


def test_date_and_place_before_the_meeting_words_of_the_sentence():
    text = "اختتمت، مساء أمس الخميس بمدينة الرباط، أشغال الاجتماع الوزاري للتحالف الدولي ضد داعش بحضور الوزراء."
    ents = tag(text, ("الرباط", "GPE"), (COALITION, "ORG"))
    event = one(extract_events(text, ents, dt.date(2023, 3, 17)))
    assert event["event_key"] == "Contact.Meet|2023-03-16|الرباط"


def test_a_date_after_another_meeting_noun_is_not_this_meetings():
    text = ("ويأتي اجتماع الرياض بعد عام من الاجتماع الوزاري الذي عقده وزراء خارجية التحالف في روما "
            "في 28 يونيو 2021.")
    ents = tag(text, ("الرياض", "GPE"), ("روما", "GPE"))
    keys = sorted(e["event_key"] for e in extract_events(text, ents, dt.date(2023, 6, 9)))
    assert "Contact.Meet|2021-06-28|الرياض" not in keys and "Contact.Meet|2021-06-28|روما" in keys


def test_the_date_of_a_statement_is_not_the_meetings():
    text = "وتأكيدا لبيانهم الصادر في 4 يونيو 2020، أعلن المشاركون في الاجتماع الوزاري التزامهم بمواصلة العمل."
    event = one(extract_events(text, [], dt.date(2021, 3, 31)))
    assert event["date"] is None


def test_hosting_verb_with_an_object_pronoun():
    text = "شارك الوزير أمس الأربعاء في الاجتماع الوزاري للتحالف الذي احتضنته العاصمة السعودية الرياض."
    ents = tag(text, ("السعودية", "NORP"), ("الرياض", "GPE"))
    event = one(extract_events(text, ents, dt.date(2023, 6, 8)))
    assert event["event_key"] == "Contact.Meet|2023-06-07|الرياض"


# --- meet_rules@3: receptions, open dates, realis cues, facilities, sidelines --------------------

def test_a_reception_is_a_meeting():
    text = "استقبل الملك سلمان بن عبدالعزيز في مكة المكرمة، مساء أمس، رئيس وزراء باكستان وبحث معه العلاقات الثنائية."
    ents = tag(text, ("سلمان بن عبدالعزيز", "PERS"), ("مكة المكرمة", "GPE"), ("باكستان", "GPE"))
    event = one(extract_events(text, ents, dt.date(2024, 3, 14)))
    assert (event["place"], event["date"], event["realis"]) == (ids(ents, "مكة المكرمة")[0], "2024-03-13", "actual")


def test_a_bare_weekday_is_the_last_such_day_before_a_past_report():
    text = "اجتمع وزراء خارجية دول التحالف يوم الأربعاء في واشنطن لبحث الوضع في سوريا."
    ents = tag(text, ("واشنطن", "GPE"), ("سوريا", "GPE"))
    event = one(extract_events(text, ents, dt.date(2019, 2, 7)))  # a Thursday
    assert (event["date"], event["date_text"], event["realis"]) == ("2019-02-06", "يوم الأربعاء", "actual")
    assert event["event_key"] == "Contact.Meet|2019-02-06|واشنطن"


def test_a_bare_weekday_is_the_next_such_day_for_a_planned_meeting():
    text = "سيجتمع وزراء خارجية دول التحالف مساء الأربعاء في واشنطن."
    ents = tag(text, ("واشنطن", "GPE"))
    event = one(extract_events(text, ents, dt.date(2019, 2, 4)))  # a Monday
    assert (event["date"], event["realis"]) == ("2019-02-06", "planned")


def test_two_meetings_in_one_city_on_two_days_are_two_events():
    text = ("اجتمع وزير الخارجية يوم الاثنين في باريس مع نظيره الفرنسي.\n"
            "والتقى الوزير يوم الثلاثاء في باريس رئيس الوزراء الفرنسي لبحث التعاون الاقتصادي.")
    ents = tag(text, ("باريس", "GPE"))
    events = extract_events(text, ents, dt.date(2023, 5, 11))  # a Thursday
    assert [e["event_key"] for e in events] == ["Contact.Meet|2023-05-08|باريس", "Contact.Meet|2023-05-09|باريس"]


def test_next_month_is_a_planned_date_without_a_day():
    text = "يعقد وزراء الخارجية العرب اجتماعا في الرباط الشهر المقبل."
    ents = tag(text, ("الرباط", "GPE"))
    event = one(extract_events(text, ents, dt.date(2023, 5, 11)))
    assert (event["date"], event["date_text"], event["realis"]) == (None, "الشهر المقبل", "planned")


def test_a_hijri_date_is_converted():
    text = "عقد وزراء خارجية الدول الأعضاء اجتماعا في جدة يوم 19 ذو القعدة 1444هـ."
    ents = tag(text, ("جدة", "GPE"))
    event = one(extract_events(text, ents, None))
    assert (event["date"], event["date_basis"]) == ("2023-06-08", "explicit")


def test_an_agreed_meeting_is_planned_whatever_the_verb():
    text = "واتفق الوزيران على عقد اجتماع للجنة العليا المشتركة في بغداد خلال شهر مايو المقبل."
    ents = tag(text, ("بغداد", "GPE"))
    event = one(extract_events(text, ents, dt.date(2022, 1, 16)))
    assert event["realis"] == "planned"


def test_a_conditional_meeting_is_planned():
    text = "وقال الوزير إن العلاقات ستتحسن إذا عقد وزراء البلدين اجتماعا في الرباط."
    ents = tag(text, ("الرباط", "GPE"))
    assert one(extract_events(text, ents, dt.date(2022, 1, 16)))["realis"] == "planned"


@pytest.mark.parametrize("text", [
    "لم يعقد وزراء خارجية البلدين اجتماعهم المقرر في الرباط بسبب الخلافات.",
    "أعلنت الخارجية إلغاء اجتماع وزراء الخارجية في الرباط.",
])
def test_a_meeting_that_did_not_happen_is_no_event(text):
    assert extract_events(text, tag(text, ("الرباط", "GPE")), dt.date(2022, 1, 16)) == []


def test_a_facility_gives_way_to_the_city_after_it():
    text = "عقد وزير الخارجية اجتماعا مع نظيره العراقي في مقر وزارة الخارجية في عمّان."
    ents = tag(text, ("مقر وزارة الخارجية", "FAC"), ("عمّان", "GPE", "عمان"))
    assert one(extract_events(text, ents, dt.date(2022, 1, 16)))["place"] == ids(ents, "عمّان")[0]


def test_a_facility_gives_way_to_the_dateline_city():
    text = "عمّان - عقد وزير الخارجية، اليوم الأحد، اجتماعا مع نظيره العراقي في مقر الوزارة."
    ents = tag(text, ("عمّان", "GPE", "عمان"), ("مقر الوزارة", "FAC"))
    event = one(extract_events(text, ents, dt.date(2022, 1, 16)))
    assert event["event_key"] == "Contact.Meet|2022-01-16|عمان"


def test_a_meeting_on_the_sidelines_is_its_own_event_with_the_hosts_place_and_day():
    text = ("اجتمع وزراء خارجية دول التحالف أمس الاثنين في روما.\n"
            "وعلى هامش الاجتماع، ترأس الوزير الأمريكي لقاء مصغرا حول سوريا شارك فيه وزراء عدد من الدول.")
    ents = tag(text, ("روما", "GPE"), ("سوريا", "GPE"))
    events = extract_events(text, ents, dt.date(2021, 6, 29))
    assert [e["event_key"] for e in events] == ["Contact.Meet|2021-06-28|روما"] * 2
    assert [e["trigger"]["text"] for e in events] == ["اجتمع", "لقاء"]


def test_meeting_prf_checks_realis_when_the_gold_states_it():
    from akhbar.evaluation import meeting_prf
    text = "يجتمع وزراء الخارجية في الرباط."
    ents = tag(text, ("الرباط", "GPE"))
    event = {"place": ents[0]["id"], "date": None, "realis": "actual"}
    assert meeting_prf([event], ents, [{"place": "الرباط", "date": None, "realis": "planned"}]).tp == 0
    assert meeting_prf([event], ents, [{"place": "الرباط", "date": None}]).tp == 1


def test_the_headline_completes_the_main_meeting_but_makes_none():
    text = "يعقد وزراء خارجية دول التحالف اجتماعا في روما لبحث الوضع في سوريا."
    ents = tag(text, ("روما", "GPE"), ("سوريا", "GPE"))
    published = dt.date(2021, 6, 24)  # a Thursday
    alone = one(extract_events(text, ents, published))
    assert (alone["date"], alone["realis"]) == (None, "actual")
    event = one(extract_events(text, ents, published, headline="روما تستضيف الإثنين المقبل اجتماعا وزاريا للتحالف"))
    assert (event["date"], event["date_text"], event["realis"]) == ("2021-06-28", "الإثنين المقبل", "planned")
    assert event["trigger"]["text"] == "اجتماعا" and event["place"] == ids(ents, "روما")[0]
    assert extract_events("وأكد الوزير أهمية التعاون.", [], published, headline="وزراء التحالف يجتمعون غدا") == []


def test_a_place_the_meeting_discussed_is_not_its_place():
    text = ("اجتمع وزراء خارجية دول التحالف أمس الخميس في واشنطن.\n"
            "وتناول الاجتماع التطورات في شمال شرق سوريا، حيث أبدت الوفود قلقها من الهجمات في مالي.")
    ents = tag(text, ("واشنطن", "GPE"), ("شمال شرق سوريا", "LOC"), ("مالي", "GPE"))
    event = one(extract_events(text, ents, dt.date(2019, 11, 15)))
    assert event["event_key"] == "Contact.Meet|2019-11-14|واشنطن"


@pytest.mark.parametrize("second", [
    "ويعد هذا أول اجتماع وزاري حضوري للتحالف منذ تفشي الجائحة في عام 2020.",
    "وأشار الوزراء إلى أن الاجتماع هو الأول للتحالف في منطقة الخليج.",
])
def test_the_meeting_described_as_a_first_is_the_one_reported(second):
    text = "اجتمع وزراء خارجية دول التحالف أمس الاثنين في روما.\n" + second
    ents = tag(text, ("روما", "GPE"), ("منطقة الخليج", "LOC"))
    assert one(extract_events(text, ents, dt.date(2021, 6, 29)))["event_key"] == "Contact.Meet|2021-06-28|روما"


def test_a_date_a_few_words_after_since_is_background():
    text = "عقد وزراء خارجية التحالف اجتماعا في مراكش لأول مرة منذ تأسيس التحالف في شتنبر 2014."
    ents = tag(text, ("مراكش", "GPE"))
    assert one(extract_events(text, ents, dt.date(2022, 5, 12)))["date_text"] is None


def test_a_two_day_meeting_starts_on_its_first_day():
    text = "واتفق الوزيران على عقد اجتماع اللجنة المشتركة في عمّان يومي 7 و8 تشرين الثاني/نوفمبر المقبل."
    ents = tag(text, ("عمّان", "GPE", "عمان"))
    event = one(extract_events(text, ents, dt.date(2022, 10, 13)))
    assert (event["date"], event["realis"], event["event_key"]) == ("2022-11-07", "planned", "Contact.Meet|2022-11-07|عمان")


def test_a_hosting_verb_with_an_object_pronoun_gives_the_place():
    text = "ومن المقرر أن يشارك الوزير اليوم الثلاثاء في اجتماع وزراء خارجية مجموعة العشرين الذي تستضيفه مدينة ماتيرا."
    ents = tag(text, ("ماتيرا", "GPE"))
    event = one(extract_events(text, ents, dt.date(2021, 6, 29)))
    assert (event["place"], event["realis"]) == (ids(ents, "ماتيرا")[0], "planned")


def test_today_alone_before_a_comma_is_the_publication_day():
    text = "عُقد في الرياض اليوم، اجتماع وزراء خارجية دول التحالف."
    ents = tag(text, ("الرياض", "GPE"))
    assert one(extract_events(text, ents, dt.date(2023, 6, 8)))["event_key"] == "Contact.Meet|2023-06-08|الرياض"


def test_a_meeting_verb_with_a_named_person_outside_sport_is_a_meeting():
    text = "ومن المقرر أن يلتقي بلينكن البابا فرنسيس في الفاتيكان."
    ents = tag(text, ("بلينكن", "PERS"), ("البابا فرنسيس", "PERS"), ("الفاتيكان", "GPE"))
    assert one(extract_events(text, ents, dt.date(2021, 6, 24)))["realis"] == "planned"
    sport = "ويلتقي اللاعب محمد صلاح مع الفريق في الملعب البلدي."
    assert extract_events(sport, tag(sport, ("محمد صلاح", "PERS")), dt.date(2021, 6, 24)) == []


def test_also_after_a_sidelines_meeting_is_one_more_on_the_same_sidelines():
    text = ("اجتمع وزراء خارجية دول التحالف أمس الخميس في الرياض.\n"
            "وعلى هامش الاجتماع، التقى الوزير العراقي نظيره السعودي.\n"
            "كما أجرى الوزير لقاء مع وزير الخارجية الأمريكي.")
    ents = tag(text, ("الرياض", "GPE"))
    events = extract_events(text, ents, dt.date(2023, 6, 9))
    assert [e["trigger"]["text"] for e in events] == ["اجتمع", "التقى", "لقاء"]
    assert {e["event_key"] for e in events} == {"Contact.Meet|2023-06-08|الرياض"}


def test_a_bare_weekday_with_a_present_tense_verb_looks_ahead():
    text = "يلتقي وزير الخارجية يوم الخميس نظيره الفرنسي في باريس."
    ents = tag(text, ("باريس", "GPE"))
    assert one(extract_events(text, ents, dt.date(2023, 5, 8)))["date"] == "2023-05-11"  # published on a Monday


def test_talks_with_a_partner_are_a_meeting_but_not_on_the_phone():
    text = "بحث وزير الخارجية، اليوم الأحد في عمّان، مع نظيره العراقي سبل تعزيز التعاون الثنائي."
    ents = tag(text, ("عمّان", "GPE", "عمان"))
    assert one(extract_events(text, ents, dt.date(2022, 1, 16)))["event_key"] == "Contact.Meet|2022-01-16|عمان"
    phone = "بحث وزير الخارجية، اليوم الأحد، في اتصال هاتفي مع نظيره العراقي سبل تعزيز التعاون."
    assert extract_events(phone, [], dt.date(2022, 1, 16)) == []
    study = "بحث وزير الخارجية الأوضاع في المنطقة."
    assert extract_events(study, [], dt.date(2022, 1, 16)) == []
