#!/usr/bin/env python3
"""Write a deterministic benchmark site: site.yaml, content/ and images, built as it is.

    python benchmarks/generate.py --articles 10000 --out /tmp/corpus
    broadsheet build --site /tmp/corpus

Standard library only, any Python 3.12+. The same --articles and --seed always give the same
bytes, on any machine (images are PNGs written here with zlib, not by an image library whose
encoder may change between versions).

What the corpus looks like:
- 8 sections of unequal size, ~50 authors in site.yaml with bios (a few prolific ones) plus a few
  guest bylines, 300 tags with Zipf-like popularity and a home section each;
- dates over 25 years (2000-07 to 2025-06) with more articles in recent years, written with an
  offset, without one (the site's time zone) or as a bare day;
- ~80 % English, the rest Armenian, Russian and Arabic (with `lang:`), some English articles quote
  a phrase in another language with [..]{lang=..};
- 600-900 words of body each: ## and ### headings, paragraphs, lists, blockquotes, external links
  and links to earlier articles (/{section}/{yyyy}/{mm}/{slug}/), their section, tags and authors;
- a lead image for ~85 % of articles, 0-2 captioned body images, all from a fixed set of 20 PNGs;
  with --photos per-article each lead image is a file of its own, as in a newsroom's archive
  (one of the 20 pictures with a comment naming the article: other bytes, same size and pixels);
- some updates, corrections and old addresses (aliases).

Only every LINK_STRIDE-th article (in date order) is ever linked to from another article, so a
benchmark can delete any other article without breaking an internal link. benchmark-corpus.json,
beside site.yaml, records the parameters and the paths a benchmark may edit or delete.

When the repository's bundled default theme is missing (it lives in themes/default/ beside this
folder), the corpus brings a small stand-in theme of its own (--theme standin) so that it still
builds; benchmark-corpus.json says which theme was used.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import struct
import sys
import time
import unicodedata
import zlib
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from random import Random

GENERATOR_VERSION = 1
MANIFEST = "benchmark-corpus.json"
IMAGE_DIR = "images/bench"
IMAGE_COUNT = 20
LINK_STRIDE = 5  # only articles whose date-order index is a multiple of this are link targets
START = date(2000, 7, 1)
END = date(2025, 6, 30)  # before "now" wherever this runs, so no article is scheduled
REPO = Path(__file__).resolve().parent.parent
STANDIN_THEME = "benchmark-standin"
TIMEZONE = "Asia/Yerevan"
try:
    from zoneinfo import ZoneInfo

    SITE_TZ = ZoneInfo(TIMEZONE)
except Exception:  # no tz database on this system: utc_offset() knows Armenia's rules
    SITE_TZ = None

# --------------------------------------------------------------------------------------------
# Site structure

SECTIONS = [  # key, title, description, share of articles
    ("politics", "Politics", "Parliament, local government, elections and the decisions that shape public life.", 24),
    ("economy", "Economy", "Jobs, prices, farming, energy and trade, and the people behind the numbers.", 18),
    ("world", "World", "The region and beyond: neighbours, transport links, diplomacy and shared challenges.", 16),
    ("society", "Society", "Schools, health, housing and the everyday life of communities.", 12),
    ("culture", "Culture", "Festivals, books, music, theatre and the communities that keep traditions alive.", 10),
    ("sport", "Sport", "Football, chess, wrestling and the clubs that train the next generation.", 9),
    ("science", "Science", "Research, climate and the environment, explained without jargon.", 7),
    ("opinion", "Opinion", "Columns and commentary from our writers and guests.", 4),
]

LANGUAGES = [("en", 80), ("hy", 8), ("ru", 8), ("ar", 4)]

FIRST_NAMES = {
    "en": ["Anna", "Tigran", "Narine", "Arman", "Lilit", "David", "Sona", "Karen", "Mariam", "Hayk", "Ruzanna",
           "Levon", "Ani", "Gor", "Elena", "Samuel", "Lucy", "Marcus", "Helen", "Daniel", "Sarah", "Thomas",
           "Grace", "Peter", "Nora", "James", "Emma", "Robert", "Laura", "Michael"],
    "hy": ["Armen", "Gayane", "Vahe", "Siranush", "Ashot", "Hasmik", "Suren", "Astghik"],
    "ru": ["Olga", "Dmitry", "Irina", "Sergei", "Natalia", "Alexei", "Yulia"],
    "ar": ["Layla", "Karim", "Rania", "Omar", "Yasmin"],
}
LAST_NAMES = {
    "en": ["Hakobyan", "Melkonyan", "Avetisyan", "Grigoryan", "Sahakyan", "Petrosyan", "Harutyunyan", "Sargsyan",
           "Mkrtchyan", "Manukyan", "Karapetyan", "Khachatryan", "Baghdasaryan", "Danielyan", "Simonyan", "Ward",
           "Fletcher", "Moore", "Clarke", "Hughes", "Bennett", "Price", "Turner", "Shaw", "Lawson", "Reid",
           "Foster", "Grant", "Hayes", "Mills"],
    "hy": ["Ghazaryan", "Vardanyan", "Asatryan", "Hovhannisyan", "Martirosyan", "Torosyan", "Stepanyan", "Galstyan"],
    "ru": ["Vasilyeva", "Orlov", "Smirnova", "Kuznetsov", "Popova", "Volkov", "Lebedeva"],
    "ar": ["Haddad", "Khoury", "Nassar", "Saleh", "Aziz"],
}
AUTHOR_COUNTS = {"en": 30, "hy": 8, "ru": 7, "ar": 5}
BEATS = ["parliament and local government", "farming, energy and trade", "climate and the environment",
         "festivals, publishing and the performing arts", "transport and cities", "schools and universities",
         "health and social care", "football and chess", "the regional economy", "diplomacy and the diaspora",
         "science and research", "housing and planning", "courts and justice", "technology and start-ups"]
GUEST_BYLINES = ["Meridian Staff", "Agency report", "Guest contributor", "Արամ Սարգսյան", "Мария Ковалёва"]

PLACES = ["Yerevan", "Gyumri", "Vanadzor", "Dilijan", "Sevan", "Ijevan", "Goris", "Kapan", "Ashtarak", "Abovyan",
          "Armavir", "Artashat", "Jermuk", "Meghri", "Stepanavan", "Tbilisi", "Batumi", "Beirut", "Tehran",
          "Moscow", "Paris", "Brussels", "Lake Sevan", "Aragats", "Shirak", "Lori", "Tavush", "Syunik",
          "Ararat Valley", "Kotayk", "Vayots Dzor", "Gegharkunik", "Aragatsotn", "Bourj Hammoud", "Vienna",
          "Marseille", "Los Angeles", "Buenos Aires", "Aleppo", "Istanbul"]
ORGS = ["city council", "Ministry of Finance", "Ministry of Education", "Ministry of Health", "central bank",
        "statistics committee", "national library", "Academy of Sciences", "state university", "railway company",
        "water authority", "electoral commission", "chamber of commerce", "farmers' union", "teachers' union",
        "disability coalition", "football federation", "chess academy", "film centre", "opera house",
        "environment agency", "metro operator", "public defender's office", "regional hospital", "audit chamber"]
THINGS = ["budget", "bus lanes", "night bus routes", "metro lifts", "school meals", "solar plant", "apricot exports",
          "water tariffs", "rail link", "road repairs", "library reopening", "heating subsidies", "housing plan",
          "pension reform", "tax changes", "flood defences", "wine harvest", "film festival", "chess olympiad",
          "youth league", "hospital wing", "broadband roll-out", "bridge repairs", "airport terminal",
          "recycling scheme", "bird census", "snowpack survey", "irrigation project", "tourism season",
          "museum exhibition", "teacher shortage", "election law", "court reform", "minimum wage", "grain prices"]
TITLE_TEMPLATES = [
    "{place} {org} approves {thing}",
    "{org_cap} warns of delays to {thing}",
    "What the {thing} means for {place}",
    "{place} residents divided over {thing}",
    "{thing_cap}: five questions answered",
    "{org_cap} publishes figures on {thing}",
    "Ten years on, {place} looks back at the {thing}",
    "{place} waits for a decision on the {thing}",
    "Inside the {thing} that could change {place}",
    "{thing_cap} in {place} goes over budget",
    "{place} celebrates as {thing} opens",
    "Why the {thing} matters beyond {place}",
    "{org_cap} and {place} sign deal on {thing}",
    "Campaigners in {place} call for {thing}",
    "{thing_cap} returns to {place} after a long pause",
]

# The fixed set of images: (width, height, description used as alt text in English articles).
IMAGES = [
    (1200, 800, "Councillors raise their hands during a vote in a semicircular chamber"),
    (1200, 675, "A red bus waits at a stop on a wide avenue lined with plane trees"),
    (1024, 768, "Rows of apricot trees in blossom below a snow-capped mountain"),
    (1200, 675, "A metro platform with a new glass lift beside the escalators"),
    (800, 1000, "A woman in a reading room holds an old newspaper up to the window light"),
    (1200, 800, "Solar panels in long rows on a dry plain at sunset"),
    (1200, 675, "Children in school uniforms cross a road at a zebra crossing"),
    (1600, 900, "A stone bridge over a fast river in a wooded gorge"),
    (1200, 800, "An orchestra bows on an outdoor stage in front of a full audience"),
    (1024, 683, "Two chess players lean over a board while a clock ticks beside them"),
    (1200, 675, "A flooded street with cars standing in brown water up to their wheels"),
    (1200, 800, "A researcher measures snow depth with a long pole on a mountain slope"),
    (900, 900, "A market stall piled with dried fruit, nuts and strings of sweets"),
    (1200, 675, "A night train stands at a platform under yellow station lamps"),
    (1200, 800, "Football fans with scarves fill a stand behind the goal"),
    (1200, 675, "Workers in hard hats lay rails on a new stretch of track"),
    (1024, 768, "A lake shore with reeds and a flock of birds taking off"),
    (1200, 800, "Students in a lecture hall listen to a speaker at a lectern"),
    (800, 600, "A hospital corridor with a nurse pushing an empty wheelchair"),
    (1200, 675, "A crowd of voters queues outside a school used as a polling station"),
]
PHOTOGRAPHERS = ["Hayk Manukyan", "Ani Sargsyan", "Olga Vasilyeva", "Layla Haddad", "Davit Abrahamyan",
                 "Meridian archive", "Karen Mirzoyan", "Susanna Petrosyan"]

# --------------------------------------------------------------------------------------------
# Text: English from templates, the other languages from word lists. Not literature, but real
# scripts, realistic word and sentence lengths, and the punctuation each language uses.

EN_SUBJECTS = ["The city council", "Officials in {place}", "The {org}", "Residents of {place}",
               "Researchers at the {org}",
               "The regional governor", "Farmers near {place}", "Opposition deputies", "A spokesperson for the {org}",
               "Local businesses in {place}", "Teachers in {place}", "The government", "Organisers",
               "Several families we spoke to", "Engineers working on the {thing}", "Campaigners",
               "The mayor of {place}",
               "Independent economists", "Most of the people at the meeting", "The committee's report"]
EN_VERBS = ["said on Monday that", "announced that", "warned that", "confirmed that", "argued that", "expected that",
            "told Meridian that", "had long said that", "admitted that", "insisted that", "wrote in a statement that",
            "pointed out that", "feared that", "hoped that", "noted that"]
EN_CLAUSES = ["the plan would cost {n} million drams over three years", "work on the {thing} will begin in {month}",
              "the number of complaints rose by {pct} per cent last year", "the {thing} was never properly funded",
              "nobody had asked the people who live in {place}", "the decision will be reviewed in {month}",
              "prices in {place} have doubled since {year}", "the {org} had not been consulted",
              "a second phase depends on a loan that has not been signed", "the figures were published too late",
              "attendance reached a record {n} thousand this year", "the {thing} will be finished by {year}",
              "the old rules no longer fit a city of this size", "the same problem was reported in {place} in {year}",
              "more than {pct} per cent of households would benefit", "the vote was closer than expected",
              "the changes will be introduced gradually", "the {org} will publish a full list in {month}"]
EN_SENTENCES = ["Nobody at the meeting disagreed.", "The debate lasted well into the night.",
                "The details have not yet been published.", "It is not the first time the question has come up.",
                "The answer, for now, is not clear.", "Few people expected the result.",
                "Turnout was lower than at the last vote.", "The numbers tell only part of the story.",
                "Some of the work has already started.", "Others are less convinced."]
EN_HEADINGS = ["What happens next", "Who pays", "A long campaign", "The numbers", "What residents say",
               "How we got here", "The opposition's case", "A question of money", "Lessons from {place}",
               "What the {org} says", "Timeline", "Background", "The view from {place}", "Why it matters",
               "What changes for families", "Risks and delays", "Reaction", "What experts say",
               "The {thing} in figures", "Unanswered questions"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

WORDS = {
    "hy": ["կառավարությունը", "քաղաքապետարանը", "խորհրդարանը", "նախարարությունը", "բյուջեն", "ծրագիրը", "քաղաքը", "մարզը", "գյուղը", "դպրոցը", "հիվանդանոցը", "ճանապարհը", "ջուրը", "լիճը", "Սևանի", "Երևանի", "Գյումրիի", "Վանաձորի", "բնակիչները", "ուսուցիչները", "ֆերմերները", "գիտնականները", "նոր", "մեծ", "կարևոր", "տարեկան", "հաջորդ", "անցյալ", "տարի", "ամիս", "շաբաթ", "օր", "հայտարարել", "է", "որոշել", "է", "հաստատել", "է", "քննարկել", "են", "ներկայացրել", "է", "աշխատանքները", "կսկսվեն", "կավարտվեն", "միլիոն", "դրամ", "տոկոսով", "աճել", "է", "նվազել", "է", "ըստ", "համաձայն", "հետ", "համար", "մասին", "և", "բայց", "նաև", "արդեն", "դեռ", "այսօր", "երեկ", "վաղը", "մշակույթի", "փառատոնը", "երաժշտության", "թատրոնի", "գրքի", "ցուցահանդեսը", "հետազոտությունը", "կլիմայի", "ձյան", "էներգիայի", "արևային", "կայանը", "արտահանումը", "ծիրանի", "գինու", "զբոսաշրջիկները", "երկաթուղին", "գնացքը", "կամուրջը", "օդանավակայանը", "ընտրությունները", "քվեարկությունը", "պատգամավորները", "ընդդիմությունը", "համայնքը", "երիտասարդները", "ուսանողները", "համալսարանը", "գրադարանը", "թանգարանը", "ծառայությունը", "մարդկանց", "մատչելի", "անվճար", "հանրային", "տրանսպորտի", "ավտոբուսային", "երթուղիները", "գիշերային"],
    "ru": ["правительство", "мэрия", "парламент", "министерство", "бюджет", "программа", "город", "область", "село", "школа", "больница", "дорога", "вода", "озеро", "Севан", "Еревана", "Гюмри", "жители", "учителя", "фермеры", "учёные", "новый", "большой", "важный", "годовой", "следующий", "прошлый", "год", "месяц", "неделя", "день", "заявил", "решил", "утвердил", "обсудили", "представил", "работы", "начнутся", "завершатся", "миллионов", "драмов", "процентов", "вырос", "снизился", "по", "данным", "согласно", "вместе", "с", "для", "о", "и", "но", "также", "уже", "ещё", "сегодня", "вчера", "завтра", "культуры", "фестиваль", "музыки", "театра", "книги", "выставка", "исследование", "климата", "снега", "энергии", "солнечная", "станция", "экспорт", "абрикосов", "вина", "туристы", "железная", "дорога", "поезд", "мост", "аэропорт", "выборы", "голосование", "депутаты", "оппозиция", "община", "молодёжь", "студенты", "университет", "библиотека", "музей", "служба", "доступный", "бесплатный", "общественный", "транспорта", "автобусные", "маршруты", "ночные"],
    "ar": ["الحكومة", "البلدية", "البرلمان", "الوزارة", "الميزانية", "البرنامج", "المدينة", "المنطقة", "القرية", "المدرسة", "المستشفى", "الطريق", "المياه", "البحيرة", "يريفان", "بيروت", "السكان", "المعلمون", "المزارعون", "العلماء", "جديد", "كبير", "مهم", "سنوي", "المقبل", "الماضي", "عام", "شهر", "أسبوع", "يوم", "أعلن", "قرر", "وافق", "ناقش", "قدّم", "الأعمال", "ستبدأ", "ستنتهي", "مليون", "درام", "بالمئة", "ارتفع", "انخفض", "وفقاً", "مع", "من", "أجل", "حول", "و", "لكن", "أيضاً", "بالفعل", "اليوم", "أمس", "غداً", "الثقافة", "المهرجان", "الموسيقى", "المسرح", "الكتاب", "المعرض", "الدراسة", "المناخ", "الثلوج", "الطاقة", "الشمسية", "المحطة", "الصادرات", "المشمش", "النبيذ", "السياح", "السكك", "الحديدية", "القطار", "الجسر", "المطار", "الانتخابات", "التصويت", "النواب", "المعارضة", "الجالية", "الشباب", "الطلاب", "الجامعة", "المكتبة", "المتحف", "الخدمة", "المتاح", "المجاني", "العام", "النقل", "الحافلات", "الخطوط", "الليلية"],
}
STOP = {"hy": "։", "ru": ".", "ar": "."}
COMMA = {"hy": ",", "ru": ",", "ar": "،"}
QUOTES = {"en": ("\u201c", "\u201d"), "hy": ("«", "»"), "ru": ("«", "»"), "ar": ("«", "»")}
LINK_PHRASES = {  # (internal, external, section, tag, author)
    "en": ("Read our earlier report: [{title}]({url}).", "The full figures are [published by the {org}]({ext}).",
           "More from [our {section} pages]({url}).", "See [everything we have written about {tag}]({url}).",
           "[More articles by {author}]({url})."),
    "hy": ("Կարդացեք նաև՝ [{title}]({url})։", "Մանրամասները՝ [կայքում]({ext})։", "Այլ նյութեր՝ [{section}]({url})։",
           "Տես նաև՝ [{tag}]({url})։", "[{author}]({url})՝ այլ հոդվածներ։"),
    "ru": ("Читайте также: [{title}]({url}).", "Подробности — [на сайте ведомства]({ext}).",
           "Другие материалы: [{section}]({url}).", "См. также: [{tag}]({url}).", "[Другие статьи: {author}]({url})."),
    "ar": ("اقرأ أيضاً: [{title}]({url}).", "التفاصيل [على موقع الوزارة]({ext}).", "المزيد في [{section}]({url}).",
           "انظر أيضاً: [{tag}]({url}).", "[مقالات أخرى: {author}]({url})."),
}
FOREIGN_PHRASES = [("hy", "Բարի գալուստ"), ("hy", "Մեր թաղը"), ("ru", "Добро пожаловать"), ("ar", "أهلاً وسهلاً"),
                   ("fa", "نوروز پیروز"), ("fr", "bienvenue"), ("de", "Willkommen")]
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
CORRECTION = {"en": "An earlier version of this article gave the wrong date for the vote.",
              "hy": "Հոդվածի նախորդ տարբերակում սխալ ամսաթիվ էր նշված։",
              "ru": "В первой версии статьи была указана неверная дата.",
              "ar": "ذكرت نسخة سابقة من هذا المقال تاريخاً خاطئاً."}
CREDIT = {"en": "Photo: {name} / Meridian", "hy": "Լուսանկարը՝ {name} / Meridian", "ru": "Фото: {name} / Meridian",
          "ar": "تصوير: {name} / Meridian"}

TAG_TOPICS = ["elections", "budget", "transport", "education", "health", "housing", "energy", "climate", "water",
              "farming", "tourism", "trade", "pensions", "taxes", "courts", "police", "corruption", "media",
              "accessibility", "disability", "youth", "women", "refugees", "migration", "diaspora", "borders",
              "diplomacy", "defence", "technology", "start-ups", "banking", "inflation", "jobs", "wages", "mining",
              "wine", "apricots", "festivals", "books", "music", "theatre", "film", "museums", "heritage",
              "architecture", "football", "chess", "wrestling", "boxing", "weightlifting", "basketball", "athletics",
              "astronomy", "biology", "earthquakes", "floods", "wildfires", "snow", "birds", "forests", "recycling",
              "air quality", "public transport", "metro", "railways", "roads", "aviation", "broadband", "telecoms",
              "schools", "universities", "research", "hospitals", "vaccination", "mental health", "ageing",
              "local government", "parliament", "constitution", "human rights", "press freedom", "protests",
              "strikes", "unions", "small business", "exports", "imports", "customs", "remittances", "property",
              "construction", "urban planning", "parks", "libraries", "archives", "languages", "religion",
              "science policy", "space", "artificial intelligence", "cybersecurity", "gambling", "food prices",
              "bread", "fuel prices", "electricity", "gas", "nuclear power", "solar power", "hydropower",
              "wind power", "lake levels", "rivers", "drought", "irrigation", "livestock", "fisheries",
              "census", "statistics", "obituaries", "anniversaries", "commemoration", "memorials", "photography",
              "design", "fashion", "cuisine", "children", "families", "poverty", "social care", "volunteers",
              "charities", "sport policy", "olympics", "paralympics", "coaching", "stadiums", "fans"]
NATIVE_TAGS = {"hy": ["Երևան", "Սևան", "Գյումրի", "կրթություն", "մշակույթ", "ընտրություններ", "տրանսպորտ"],
               "ru": ["Ереван", "образование", "культура", "выборы", "транспорт", "экономика"],
               "ar": ["بيروت", "الثقافة", "الجالية", "الطاقة", "الانتخابات"]}
TAG_COUNT = 300


# --------------------------------------------------------------------------------------------
# Helpers

def slugify(text: str) -> str:
    """The same rule as builder/urls.py (kept in step by hand: this file must not import builder)."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"[^\w\s-]", "", text, flags=re.UNICODE)
    return re.sub(r"[\s_-]+", "-", text).strip("-")


_PLAIN = re.compile(r'^[^"\\\x00-\x1f\x7f\u2028\u2029]*$')


def utc_offset(local: datetime) -> str:
    """The offset the site's time zone (Asia/Yerevan) had at this wall-clock time, e.g. '+05:00'.

    Written dates carry the zone's real offset, so the date as written and the date in the site's
    time zone are the same day: permalinks ({yyyy}/{mm}) and links to them agree either way.
    """
    if SITE_TZ is not None:
        delta = local.replace(tzinfo=SITE_TZ).utcoffset()
        minutes = int(delta.total_seconds() // 60)
    else:  # no time zone data: Armenia kept summer time (+05:00) from 1997 to 2011
        year = local.year
        march, october = (max(d for d in range(25, 32) if date(year, month, d).weekday() == 6) for month in (3, 10))
        summer = 1997 <= year <= 2011 and datetime(year, 3, march, 2) <= local < datetime(year, 10, october, 3)
        minutes = 300 if summer else 240
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    if _PLAIN.match(text):
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


def zipf_weights(n: int, s: float, q: float = 0.0) -> list[float]:
    """Zipf-Mandelbrot popularity: rank r has weight 1 / (r + q)^s (q flattens the head)."""
    return [1.0 / ((rank + q) ** s) for rank in range(1, n + 1)]


class Picker:
    """Weighted choice with precomputed cumulative weights: fast for hundreds of thousands of picks."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rng: Random):
        return self.items[bisect_right(self.cum, rng.random() * self.total)]

    def sample(self, rng: Random, k: int) -> list:
        out: list = []
        for _ in range(k * 8):
            item = self.pick(rng)
            if item not in out:
                out.append(item)
                if len(out) == k:
                    break
        return out


def fill(template: str, rng: Random) -> str:
    return template.format(
        place=rng.choice(PLACES), org=rng.choice(ORGS), org_cap=_cap(rng.choice(ORGS)), thing=rng.choice(THINGS),
        thing_cap=_cap(rng.choice(THINGS)), month=rng.choice(MONTHS), year=rng.randint(1995, 2024),
        n=rng.randint(2, 900), pct=rng.randint(3, 60),
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence_pool(lang: str, rng: Random, size: int) -> list[str]:
    pool = []
    if lang == "en":
        for _ in range(size):
            roll = rng.random()
            if roll < 0.08:
                pool.append(rng.choice(EN_SENTENCES))
            elif roll < 0.55:
                pool.append(fill(f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_CLAUSES)}.", rng))
            else:
                first = fill(f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_CLAUSES)}", rng)
                pool.append(f"{first}, and {fill(rng.choice(EN_CLAUSES), rng)}.")
        return pool
    words = WORDS[lang]
    for _ in range(size):
        n = rng.randint(7, 20)
        chosen = [rng.choice(words) for _ in range(n)]
        if n > 11:
            cut = rng.randint(4, n - 4)
            chosen[cut] += COMMA[lang]
        text = " ".join(chosen)
        pool.append(text[:1].upper() + text[1:] + STOP[lang])
    return pool


def phrase_pool(lang: str, rng: Random, size: int, low: int, high: int) -> list[str]:
    """Short phrases for headings and list items."""
    if lang == "en":
        return [_cap(fill(rng.choice(EN_CLAUSES), rng)) for _ in range(size)]
    words = WORDS[lang]
    out = []
    for _ in range(size):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(low, high)))
        out.append(text[:1].upper() + text[1:])
    return out


def foreign_title(lang: str, rng: Random) -> str:
    words = WORDS[lang]
    text = " ".join(rng.choice(words) for _ in range(rng.randint(5, 10)))
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------------------------
# Images: real, decodable PNGs written with zlib and struct.

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(width: int, height: int, seed: int) -> bytes:
    """An RGB picture of horizontal bands in two colours: a few kilobytes, any size."""
    rng = Random(seed)
    top = [rng.randint(40, 220) for _ in range(3)]
    bottom = [rng.randint(40, 220) for _ in range(3)]
    stripe = bytes(rng.randint(0, 255) for _ in range(3)) * 8
    rows = []
    bands = 24
    for band in range(bands):
        mix = band / (bands - 1)
        colour = bytes(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=False))
        row = b"\x00" + (colour * (width - 8)) + stripe
        rows.append(row * (height // bands + (1 if band < height % bands else 0)))
    raw = b"".join(rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(raw, 9))
            + _png_chunk(b"IEND", b""))


# --------------------------------------------------------------------------------------------
# The corpus

class Corpus:
    def __init__(self, articles: int, seed: int, photos: str = "shared"):
        self.n = articles
        self.seed = seed
        self.photos = photos
        self.photo_files: list[tuple[str, int, int]] = []  # per-article lead photos: (path, picture, article)
        self.rng = Random(seed)
        rng = self.rng
        self.pools = {lang: sentence_pool(lang, rng, 4000 if lang == "en" else 1500) for lang, _ in LANGUAGES}
        self.pool_words = {lang: [len(s.split()) for s in pool] for lang, pool in self.pools.items()}
        # Paragraphs are drawn whole from pools of 2-5 sentence paragraphs: one random number per
        # paragraph keeps 100,000 articles well under a minute.
        self.paragraph_pools = {}
        for lang, pool in self.pools.items():
            words = self.pool_words[lang]
            for low, high in ((2, 3), (2, 4), (2, 5)):
                texts, counts = [], []
                for _ in range(1500):
                    picks = [rng.randrange(len(pool)) for _ in range(rng.randint(low, high))]
                    texts.append(" ".join(pool[i] for i in picks))
                    counts.append(sum(words[i] for i in picks))
                self.paragraph_pools[lang, low, high] = (texts, counts)
        self.headings = {lang: ([fill(h, rng) for h in EN_HEADINGS for _ in range(3)] if lang == "en"
                                else phrase_pool(lang, rng, 60, 2, 5)) for lang, _ in LANGUAGES}
        self.items = {lang: phrase_pool(lang, rng, 400, 4, 9) for lang, _ in LANGUAGES}
        self.language = Picker([code for code, _ in LANGUAGES], [w for _, w in LANGUAGES])
        self.section = Picker([s[0] for s in SECTIONS], [s[3] for s in SECTIONS])
        self.section_titles = {s[0]: s[1] for s in SECTIONS}
        self._make_authors()
        self._make_tags()

    def _make_authors(self) -> None:
        rng = self.rng
        self.authors = []  # (key, name, bio, lang)
        seen = set()
        for lang, count in AUTHOR_COUNTS.items():
            made = 0
            while made < count:
                name = f"{rng.choice(FIRST_NAMES[lang])} {rng.choice(LAST_NAMES[lang])}"
                key = slugify(name)
                if key in seen:
                    continue
                seen.add(key)
                since = rng.randint(1998, 2020)
                beat, beat2 = rng.sample(BEATS, 2)
                before = rng.choice(["reported on", "edited a weekly on", "produced radio programmes about"])
                bio = (f"Covers {beat} for Meridian since {since}, from {rng.choice(PLACES)}. "
                       f"Before that, {before} {beat2}.")
                self.authors.append((key, name, bio, lang))
                made += 1
        # A few prolific writers per language service: Zipf over each service's staff.
        self.author_pickers = {}
        for lang in AUTHOR_COUNTS:
            staff = [a for a in self.authors if a[3] == lang]
            self.author_pickers[lang] = Picker(staff, zipf_weights(len(staff), 1.1, 2))
        self.any_author = Picker(self.authors, zipf_weights(len(self.authors), 0.9, 2))

    def _make_tags(self) -> None:
        rng = self.rng
        names = list(TAG_TOPICS) + [p for p in PLACES] + [o.title() for o in ORGS]
        native = [t for tags in NATIVE_TAGS.values() for t in tags]
        names = [n for n in names if n not in native]
        seen, unique = set(), []
        for name in names:
            key = slugify(name)
            if key and key not in seen:
                seen.add(key)
                unique.append(name)
        while len(unique) < TAG_COUNT - len(native):  # top up with "topic in place" tags
            name = f"{rng.choice(TAG_TOPICS)} in {rng.choice(PLACES)}"
            if slugify(name) not in seen:
                seen.add(slugify(name))
                unique.append(name)
        unique = unique[: TAG_COUNT - len(native)]
        rng.shuffle(unique)  # popularity rank independent of list order
        sections = [s[0] for s in SECTIONS]
        self.tag_home = {name: rng.choice(sections) for name in unique}
        weights = zipf_weights(len(unique), 1.1, 8)  # the top tag on ~15 % of articles, the last on ~0.3 %
        self.tag_pickers = {}
        for section in sections:  # tags of the article's section are three times as likely
            self.tag_pickers[section] = Picker(unique, [w * (3 if self.tag_home[n] == section else 1)
                                                       for n, w in zip(unique, weights, strict=False)])
        self.native_tags = NATIVE_TAGS
        self.tag_names = unique + native

    # ---- dates

    def dates(self) -> list[datetime]:
        """N publication moments over 25 years, more per year as the archive grows, sorted."""
        rng = self.rng
        days = (END - START).days + 1
        # density grows linearly from 1 to 4 over the range: invert the CDF of that ramp.
        out = []
        for _ in range(self.n):
            u = rng.random()
            x = (-1 + math.sqrt(1 + 15 * u)) / 3  # CDF of (1 + 3x) normalised on [0, 1] is (x + 1.5x^2) / 2.5
            day = START + timedelta(days=min(days - 1, int(x * days)))
            minute = rng.randint(6 * 60, 23 * 60 + 30)
            out.append(datetime(day.year, day.month, day.day, minute // 60, minute % 60, rng.choice((0, 0, 30))))
        out.sort()
        return out

    # ---- one article's metadata, then its text

    def plan(self) -> list[dict]:
        rng = self.rng
        used_paths: set[tuple[str, str, str]] = set()
        plans = []
        for index, moment in enumerate(self.dates()):
            lang = self.language.pick(rng)
            section = self.section.pick(rng)
            title_en = fill(rng.choice(TITLE_TEMPLATES), rng)
            title = title_en if lang == "en" else foreign_title(lang, rng)
            base = "-".join(slugify(title_en).split("-")[:7]) or "article"
            slug, k = base, 2
            while (section, f"{moment.year:04d}", slug) in used_paths:
                slug, k = f"{base}-{k}", k + 1
            used_paths.add((section, f"{moment.year:04d}", slug))
            plans.append({
                "index": index, "moment": moment, "lang": lang, "section": section, "title": title, "slug": slug,
                "url": f"/{section}/{moment.year:04d}/{moment.month:02d}/{slug}/",
                "file": f"content/{section}/{moment.year:04d}/{slug}.md",
            })
        return plans

    def article_text(self, plan: dict, plans: list[dict]) -> tuple[str, int]:
        rng = self.rng
        lang, section, moment = plan["lang"], plan["section"], plan["moment"]
        pool = self.pools[lang]
        npool = len(pool)
        rnd = rng.random

        def pick(seq):  # rng.choice, without its overhead (called a few hundred thousand times)
            return seq[int(rnd() * len(seq))]

        # authors: mostly one, from the article's language service; a few guests and shared bylines
        roll = rnd()
        if roll < 0.03:
            authors = [pick(GUEST_BYLINES)]
        else:
            count = 1 if roll < 0.86 else (2 if roll < 0.98 else 3)
            picked = [self.author_pickers[lang].pick(rng)]
            while len(picked) < count:
                other = self.any_author.pick(rng)
                if other not in picked:
                    picked.append(other)
            authors = [a[0] for a in picked]

        ntags = pick((2, 3, 3, 4, 4, 4, 5, 5, 6))
        tags = self.tag_pickers[section].sample(rng, ntags)
        if lang in self.native_tags and rnd() < 0.5:
            tags.append(pick(self.native_tags[lang]))

        # front matter
        if rnd() < 0.85:
            stamp = f"{moment.isoformat()}{utc_offset(moment)}"
        elif rnd() < 0.8:
            stamp = moment.isoformat()  # no offset: read in the site's time zone
        else:
            stamp = moment.date().isoformat()
        fm = ["---", f"title: {q(plan['title'])}", f"date: {stamp}"]
        updated = None
        if rnd() < 0.15:
            updated = moment + timedelta(hours=rng.randint(1, 72))
            fm.append(f"updated: {updated.isoformat()}{utc_offset(updated)}")
        fm.append(f"section: {section}")
        fm.append("authors: [" + ", ".join(q(a) for a in authors) + "]")
        fm.append("tags: [" + ", ".join(q(t) for t in tags) + "]")
        fm.append(f"summary: {q(pool[int(rnd() * npool)])}")
        if lang != "en":
            fm.append(f"lang: {lang}")
        if rnd() < 0.85:
            number = int(rnd() * IMAGE_COUNT)
            alt, caption = self._alt_caption(lang, number)
            src = f"{IMAGE_DIR}/photo-{number + 1:02d}.png"
            if self.photos == "per-article":  # no random number drawn: the text is the same otherwise
                src = f"{IMAGE_DIR}/{moment.year}/{plan['index']:07d}.png"
                self.photo_files.append((src, number, plan["index"]))
            fm += ["image:", f"  src: /{src}", f"  alt: {q(alt)}",
                   f"  caption: {q(caption)}", f"  credit: {q(CREDIT[lang].format(name=pick(PHOTOGRAPHERS)))}"]
        if updated and rnd() < 0.08:
            fm += ["corrections:", f"  - date: {updated.isoformat()}{utc_offset(updated)}",
                   f"    text: {q(CORRECTION[lang])}"]
        if rnd() < 0.005:
            fm.append(f"aliases: [\"/legacy/{plan['index']}/\"]")
        fm.append("---")

        # body: paragraphs first, as a list of blocks; links are added to some paragraphs after
        target = rng.randint(600, 900)
        blocks: list[str] = []
        paragraphs: list[int] = []  # indices into blocks
        words = 0

        def paragraph(low: int = 2, high: int = 5) -> None:
            nonlocal words
            texts, counts = self.paragraph_pools[lang, low, high]
            i = int(rnd() * len(texts))
            words += counts[i]
            paragraphs.append(len(blocks))
            blocks.append(texts[i])

        images_left = pick((0, 1, 1, 1, 2, 2))
        links = self._links(plan, plans, authors, tags)
        reserve = sum(len(link.split()) for link in links)
        paragraph(2, 3)
        paragraph(2, 4)
        while words + reserve < target:
            heading = pick(self.headings[lang])
            blocks.append(f"## {heading}")
            words += heading.count(" ") + 1
            paragraph()
            if words + reserve >= target:
                break
            roll = rnd()
            if roll < 0.3:
                items = [pick(self.items[lang]) for _ in range(rng.randint(3, 6))]
                ordered = rnd() < 0.3
                blocks.append("\n".join(f"{i + 1}. {t}" if ordered else f"- {t}" for i, t in enumerate(items)))
                words += sum(t.count(" ") + 1 for t in items)
            elif roll < 0.55:
                opening, closing = QUOTES[lang]
                said = " ".join(pool[int(rnd() * npool)] for _ in range(rng.randint(1, 3)))
                name = pick(self.authors)[1]
                blocks.append(f"> {opening}{said}{closing}\n>\n> {name}, {pick(ORGS)}")
                words += said.count(" ") + 5
            elif images_left and roll < 0.85:
                images_left -= 1
                number = int(rnd() * IMAGE_COUNT)
                alt, caption = self._alt_caption(lang, number)
                blocks.append(f'![{alt}](/{IMAGE_DIR}/photo-{number + 1:02d}.png "{caption}")')
                words += caption.count(" ") + 1
            if words + reserve < target:
                paragraph()
            if rnd() < 0.3 and words + reserve < target:
                heading = pick(self.headings[lang])
                blocks.append(f"### {heading}")
                words += heading.count(" ") + 1
                paragraph(2, 4)
        if lang == "en" and rnd() < 0.2:
            tag, phrase = pick(FOREIGN_PHRASES)
            attrs = f"lang={tag} dir=rtl" if tag in RTL_LANGUAGES else f"lang={tag}"  # RTL text needs dir
            blocks[paragraphs[0]] += f" Visitors were greeted with [{phrase}]{{{attrs}}} at the door."
        for link in links:
            at = paragraphs[int(rnd() * len(paragraphs))]
            blocks[at] += " " + link
        body = "\n\n".join(blocks)
        return "\n".join(fm) + "\n\n" + body + "\n", words + reserve

    def _alt_caption(self, lang: str, number: int) -> tuple[str, str]:
        """Alt text describes the picture; the caption adds context. They are never the same."""
        pool = self.pools[lang]
        caption = pool[int(self.rng.random() * len(pool))].replace('"', "'")
        if lang == "en":
            alt = IMAGES[number][2]
        else:
            alt = pool[(int(self.rng.random() * len(pool)))]
            if alt == caption:
                alt = pool[(pool.index(caption) + 1) % len(pool)]
        return alt, caption

    def _links(self, plan: dict, plans: list[dict], authors: list[str], tags: list[str]) -> list[str]:
        rng = self.rng
        lang = plan["lang"]
        rnd = rng.random

        def pick(seq):
            return seq[int(rnd() * len(seq))]

        internal, external, section_l, tag_l, author_l = LINK_PHRASES[lang]
        out = []
        earlier = plan["index"] // LINK_STRIDE  # link targets dated before this article: 0, STRIDE, 2*STRIDE, ...
        for _ in range(pick((0, 1, 1, 2, 2, 3))):
            if earlier <= 0:
                break
            other = plans[rng.randrange(earlier) * LINK_STRIDE]
            out.append(internal.format(title=other["title"], url=other["url"]))
        for _ in range(pick((1, 1, 2))):
            org = pick(ORGS)
            ext = f"https://example.org/{slugify(org)}/{plan['moment'].year}/{rng.randint(100, 9999)}"
            out.append(external.format(org=org, ext=ext))
        if rng.random() < 0.3:
            out.append(section_l.format(section=self.section_titles[plan["section"]], url=f"/{plan['section']}/"))
        if tags and rng.random() < 0.3:
            tag = pick(tags)
            out.append(tag_l.format(tag=tag, url=f"/tags/{slugify(tag)}/"))
        if rng.random() < 0.15 and authors:
            key = slugify(authors[0])
            name = next((a[1] for a in self.authors if a[0] == authors[0]), authors[0])
            out.append(author_l.format(author=name, url=f"/authors/{key}/"))
        return out

    # ---- site.yaml

    def site_yaml(self, theme: str) -> str:
        lines = [
            "# A generated benchmark corpus (benchmarks/generate.py). Every person and event is invented.",
            'title: "Meridian Public Broadcasting (benchmark corpus)"',
            f'description: "A generated archive of {self.n} articles for measuring build speed."',
            'base_url: "https://news.example.org/archive/"',
            "language: en",
            f"timezone: {TIMEZONE}",
            f"theme: {theme}",
            "pagination:",
            "  per_page: 10",
            "permalinks:",
            '  article: "/{section}/{yyyy}/{mm}/{slug}/"',
            "feeds:",
            "  limit: 20",
            "  content: full",
            "sections:",
        ]
        for key, title, description, _ in SECTIONS:
            lines += [f"  - key: {key}", f"    title: {q(title)}", f"    description: {q(description)}"]
        lines.append("authors:")
        for key, name, bio, _ in self.authors:
            lines += [f"  - key: {key}", f"    name: {q(name)}", f"    bio: {q(bio)}"]
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# The stand-in theme: used only when the bundled default theme is missing. It renders what the
# default theme renders (page chrome, navigation, article metadata, figures, related articles,
# pagination, the archive index), so the build does comparable work.

STANDIN_TEMPLATES = {
    "base.html": """\
<!DOCTYPE html>
<html lang="{{ page.lang }}" dir="{{ page.dir }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page.title }}</title>
{% if page.description %}<meta name="description" content="{{ page.description }}">{% endif %}
<link rel="canonical" href="{{ page.canonical }}">
{% if page.robots %}<meta name="robots" content="{{ page.robots }}">{% endif %}
{% if page.prev_url %}<link rel="prev" href="{{ page.prev_url }}">{% endif %}
{% if page.next_url %}<link rel="next" href="{{ page.next_url }}">{% endif %}
{% for feed in page.feeds %}<link rel="alternate" type="{{ feed.type }}" href="{{ feed.url }}" title="{{ feed.title }}">
{% endfor %}
{% for tag in page.meta %}<meta {{ tag.attribute }}="{{ tag.key }}" content="{{ tag.content }}">
{% endfor %}
{% if page.jsonld %}<script type="application/ld+json">{{ page.jsonld }}</script>{% endif %}
<link rel="stylesheet" href="{{ asset('style.css') }}">
<script src="{{ asset('text-size.js') }}"></script>
</head>
<body class="kind-{{ page.kind }}">
<nav class="skip-links" aria-label="{{ t.get('accessibility_links', 'Accessibility links') }}">
<a href="#content">{{ t.get('skip_to_content', 'Skip to content') }}</a>
<a href="#site-nav">{{ t.get('skip_to_navigation', 'Skip to navigation') }}</a>
</nav>
<header class="masthead">
<p class="site-title"><a href="{{ site.home_url }}">{{ site.title }}</a></p>
<nav id="site-nav" aria-label="{{ t.get('sections', 'Sections') }}" tabindex="-1">
<ul>
{% for item in site.nav %}<li><a href="{{ item.url }}"{% if item.current %} aria-current="page"{% endif %}>{{ item.name }}</a></li>
{% endfor %}
</ul>
</nav>
</header>
<main id="content" tabindex="-1">
{% block main %}{% endblock %}
</main>
<footer>
<p>{{ site.description }}</p>
</footer>
</body>
</html>
""",
    "article.html": """\
{% extends "base.html" %}
{% block main %}
<article lang="{{ article.lang }}" dir="{{ article.dir }}">
<header>
<p class="section"><a href="{{ article.section.url }}">{{ article.section.name }}</a></p>
<h1>{{ article.title }}</h1>
{% if article.summary %}<p class="summary">{{ article.summary }}</p>{% endif %}
<p class="byline">{% for author in article.authors %}<a href="{{ author.url }}">{{ author.name }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</p>
<p class="dates"><time datetime="{{ article.published.iso }}">{{ article.published.display }}</time>
{% if article.updated %} · {{ t.get('updated', 'Updated') }} <time datetime="{{ article.updated.iso }}">{{ article.updated.display }}</time>{% endif %}</p>
</header>
{% if article.image %}
<figure class="lead">
<img src="{{ article.image.src }}" alt="{{ article.image.alt }}"{% if article.image.width %} width="{{ article.image.width }}" height="{{ article.image.height }}"{% endif %}>
<figcaption>{{ article.image.caption }} <span class="credit">{{ article.image.credit }}</span></figcaption>
</figure>
{% endif %}
<div class="body">
{{ article.body_html }}
</div>
{% if article.corrections %}
<section class="corrections" aria-labelledby="corrections-title">
<h2 id="corrections-title">{{ t.get('corrections', 'Corrections') }}</h2>
<ul>{% for c in article.corrections %}<li><time datetime="{{ c.date.iso }}">{{ c.date.display }}</time>: {{ c.text }}</li>{% endfor %}</ul>
</section>
{% endif %}
{% if article.tags %}
<ul class="tags" aria-label="{{ t.get('tags', 'Tags') }}">{% for tag in article.tags %}<li><a href="{{ tag.url }}">{{ tag.name }}</a></li>{% endfor %}</ul>
{% endif %}
</article>
<nav class="more" aria-label="{{ t.get('more_articles', 'More articles') }}">
{% if article.previous %}<p>{{ t.get('previous', 'Previous') }}: <a href="{{ article.previous.url }}" lang="{{ article.previous.lang }}">{{ article.previous.title }}</a></p>{% endif %}
{% if article.next %}<p>{{ t.get('next', 'Next') }}: <a href="{{ article.next.url }}" lang="{{ article.next.lang }}">{{ article.next.title }}</a></p>{% endif %}
{% if article.related %}
<h2>{{ t.get('related', 'Related') }}</h2>
<ul>{% for item in article.related %}<li lang="{{ item.lang }}" dir="{{ item.dir }}"><a href="{{ item.url }}">{{ item.title }}</a> <time datetime="{{ item.published.iso }}">{{ item.published.display }}</time></li>{% endfor %}</ul>
{% endif %}
</nav>
{% endblock %}
""",
    "listing.html": """\
{% extends "base.html" %}
{% macro item_card(item) %}
<li lang="{{ item.lang }}" dir="{{ item.dir }}">
<article>
<h3><a href="{{ item.url }}">{{ item.title }}</a></h3>
<p class="meta"><a href="{{ item.section.url }}">{{ item.section.name }}</a> · <time datetime="{{ item.published.iso }}">{{ item.published.display }}</time></p>
{% if item.image %}<img src="{{ item.image.src }}" alt="{{ item.image.alt }}"{% if item.image.width %} width="{{ item.image.width }}" height="{{ item.image.height }}"{% endif %} loading="lazy">{% endif %}
{% if item.summary %}<p>{{ item.summary }}</p>{% endif %}
</article>
</li>
{% endmacro %}
{% block main %}
<h1>{{ listing.title }}</h1>
{% if listing.description %}<p class="description">{{ listing.description }}</p>{% endif %}
{% if listing.bio %}<p class="bio">{{ listing.bio }}</p>{% endif %}
{% for block in listing.blocks %}
<section aria-labelledby="block-{{ loop.index }}">
<h2 id="block-{{ loop.index }}"><a href="{{ block.section.url }}">{{ block.section.name }}</a></h2>
<ul>{% for item in block.items %}{{ item_card(item) }}{% endfor %}</ul>
</section>
{% endfor %}
{% if listing.items %}
<ul class="items">{% for item in listing.items %}{{ item_card(item) }}{% endfor %}</ul>
{% endif %}
{% if listing.years %}
<ul class="years">{% for year in listing.years %}
<li><a href="{{ year.url }}">{{ year.name }}</a> ({{ year.count }})
<ul>{% for month in year.months %}<li><a href="{{ month.url }}">{{ month.name }}</a> ({{ month.count }})</li>{% endfor %}</ul></li>
{% endfor %}</ul>
{% endif %}
{% if listing.pagination %}
{% set p = listing.pagination %}
<nav class="pagination" aria-label="{{ t.get('pagination', 'Pages') }}">
<ul>
{% if p.prev_url %}<li><a href="{{ p.prev_url }}" rel="prev">{{ t.get('previous_page', 'Previous page') }}</a></li>{% endif %}
{% for link in p.pages %}{% if loop.index <= 3 or loop.revindex <= 3 or (link.name|int - p.number)|abs <= 2 %}<li><a href="{{ link.url }}"{% if link.current %} aria-current="page"{% endif %}>{{ link.name }}</a></li>{% endif %}{% endfor %}
{% if p.next_url %}<li><a href="{{ p.next_url }}" rel="next">{{ t.get('next_page', 'Next page') }}</a></li>{% endif %}
</ul>
</nav>
{% endif %}
{% endblock %}
""",
    "404.html": """\
{% extends "base.html" %}
{% block main %}
<h1>{{ t.get('page_not_found', 'Page not found') }}</h1>
<p><a href="{{ site.home_url }}">{{ site.title }}</a></p>
{% endblock %}
""",
    "redirect.html": """\
<!DOCTYPE html>
<html lang="{{ page.lang }}" dir="{{ page.dir }}">
<head>
<meta charset="utf-8">
<title>{{ page.title }}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{{ page.canonical }}">
<meta http-equiv="refresh" content="0; url={{ target }}">
</head>
<body>
<main><p><a href="{{ target }}">{{ target_title }}</a></p></main>
</body>
</html>
""",
}
STANDIN_ASSETS = {
    "style.css": "body{font:1.1rem/1.5 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:0 1rem}\n"
                 ".skip-links a{position:absolute;left:-999px}.skip-links a:focus{left:1rem}\n"
                 "figure{margin:1.5rem 0}img{max-width:100%;height:auto}\n",
    "text-size.js": "(function(){var s=localStorage.getItem('text-size');"
                    "if(s)document.documentElement.dataset.textSize=s;})();\n",
}


def write_standin_theme(out: Path) -> None:
    root = out / "themes" / STANDIN_THEME
    for name, text in STANDIN_TEMPLATES.items():
        (root / "templates").mkdir(parents=True, exist_ok=True)
        (root / "templates" / name).write_text(text, encoding="utf-8")
    for name, text in STANDIN_ASSETS.items():
        (root / "assets").mkdir(parents=True, exist_ok=True)
        (root / "assets" / name).write_text(text, encoding="utf-8")


def bundled_theme_present() -> bool:
    return (REPO / "themes" / "default" / "templates" / "article.html").is_file()


# --------------------------------------------------------------------------------------------

GENERATED = ("site.yaml", "content", "static", "themes", "templates", MANIFEST)


def prepare_output(out: Path) -> None:
    """Refuse a folder that holds anything but an earlier corpus; clear an earlier corpus."""
    if out.exists():
        if not out.is_dir():
            sys.exit(f"error: {out} is a file")
        entries = [p.name for p in out.iterdir()]
        if entries and MANIFEST not in entries:
            sys.exit(f"error: {out} is not empty and holds no {MANIFEST}; refusing to write into it "
                     "(choose a new folder or empty it)")
        for name in GENERATED:
            path = out / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def _write_files(batch: list[tuple[Path, bytes]]) -> None:
    for path, data in batch:
        with open(path, "wb") as handle:
            handle.write(data)


def with_comment(png: bytes, text: str) -> bytes:
    """The PNG with a tEXt chunk after its header: other bytes, the same picture."""
    end = 8 + 25  # signature, then the IHDR chunk (13 bytes of data, 12 of length, type and CRC)
    return png[:end] + _png_chunk(b"tEXt", b"Comment\0" + text.encode("latin-1")) + png[end:]


def generate(out: Path, articles: int, seed: int, theme: str, photos: str = "shared") -> tuple[dict, float]:
    started = time.perf_counter()
    if theme == "auto":
        theme = "default" if bundled_theme_present() else "standin"
        if theme == "standin":
            print(f"note: the bundled default theme ({REPO / 'themes' / 'default'}) has no templates; "
                  f"the corpus brings the stand-in theme '{STANDIN_THEME}'", file=sys.stderr)
    prepare_output(out)
    corpus = Corpus(articles, seed, photos)
    plans = corpus.plan()

    theme_name = "default" if theme == "default" else STANDIN_THEME
    if theme == "standin":
        write_standin_theme(out)
    (out / "site.yaml").write_text(corpus.site_yaml(theme_name), encoding="utf-8")

    images = out / "static" / IMAGE_DIR
    images.mkdir(parents=True, exist_ok=True)
    pictures = [png_bytes(width, height, seed * 1000 + number) for number, (width, height, _) in enumerate(IMAGES)]
    for number, picture in enumerate(pictures):
        (images / f"photo-{number + 1:02d}.png").write_bytes(picture)

    made_dirs: set[str] = set()
    total_words = 0
    total_bytes = 0
    languages: dict[str, int] = {}
    # Creating a file costs far more than composing its text on many file systems: a few threads
    # create them while the main thread writes the next batch (the text stays deterministic).
    with ThreadPoolExecutor(max_workers=4) as pool:
        pending: list = []
        batch: list[tuple[Path, bytes]] = []
        for plan in plans:
            text, words = corpus.article_text(plan, plans)
            total_words += words
            languages[plan["lang"]] = languages.get(plan["lang"], 0) + 1
            folder = plan["file"].rsplit("/", 1)[0]
            if folder not in made_dirs:
                (out / folder).mkdir(parents=True, exist_ok=True)
                made_dirs.add(folder)
            data = text.encode("utf-8")
            total_bytes += len(data)
            batch.append((out / plan["file"], data))
            if len(batch) == 200:
                pending.append(pool.submit(_write_files, batch))
                batch = []
                if len(pending) > 16:
                    pending.pop(0).result()
        pending.append(pool.submit(_write_files, batch))
        batch = []
        for path, number, index in corpus.photo_files:
            (out / "static" / path).parent.mkdir(parents=True, exist_ok=True)
            batch.append((out / "static" / path, with_comment(pictures[number], f"lead photo of article {index}")))
            if len(batch) == 200:
                pending.append(pool.submit(_write_files, batch))
                batch = []
        pending.append(pool.submit(_write_files, batch))
        for future in pending:
            future.result()

    # Paths a benchmark may touch: edits anywhere; deletions only of articles nothing links to.
    pick = Random(seed + 1)
    unlinked = [p for p in plans if p["index"] % LINK_STRIDE != 0]
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "articles": articles,
        "seed": seed,
        "theme": theme_name,
        "standin_theme": theme == "standin",
        "photos": photos,
        "photo_files": len(corpus.photo_files),
        "words": total_words,
        "bytes": total_bytes,
        "languages": dict(sorted(languages.items())),
        "link_stride": LINK_STRIDE,
        "edit_candidates": [p["file"] for p in pick.sample(plans, min(20, len(plans)))],
        "delete_candidates": [p["file"] for p in pick.sample(unlinked, min(20, len(unlinked)))],
        "newest": plans[-1]["moment"].isoformat() if plans else None,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, required=True, help="number of articles, e.g. 10000")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the site into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--theme", choices=("auto", "default", "standin"), default="auto",
                        help="default: the bundled theme; standin: a small theme written into the corpus; "
                             "auto (the default): the bundled theme if this checkout has it")
    parser.add_argument("--photos", choices=("shared", "per-article"), default="shared",
                        help="lead images: shared by all articles from a set of 20 (the default), or a file "
                             "for each article, as in a real archive")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    manifest, seconds = generate(args.out, args.articles, args.seed, args.theme, args.photos)
    if not args.quiet:
        print(f"Wrote {manifest['articles']} articles ({manifest['words']:,} words, "
              f"{manifest['bytes'] / 1e6:.1f} MB) into {args.out} in {seconds:.1f} s "
              f"(theme: {manifest['theme']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
