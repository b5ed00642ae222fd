"""From a news report to candidate event rows, and events matched across tables.

``extract_events`` reads one report (English or Arabic) and proposes rows in the canonical
columns of :func:`toolkit.load_events`, each field with the character span of the text it came
from, so a researcher can check every value against its words. ``match_events`` pairs events of
two tables (or of one table with itself) that are close in date and place; ``assign_sites``
gives external rows (ACLED, UCDP, candidates) the ``site_id`` of a US site they lie next to.

How a report is read
--------------------
Rules only, offline: the gazetteer (:func:`toolkit.find_places`), the group aliases of
``data/groups.csv`` and :mod:`dateparser` for explicit calendar dates.

1. The text is cut into sentences. Date expressions, group names and place mentions are
   found first and masked, so "فجر" (dawn) is not read as the village of al-Fajr and "Tower 22"
   gives no figure 22.
2. A sentence is **background** (no candidate row) when it is a running tally ("at least 78
   attacks since mid-October"), a threat or warning ("vowed to", "will target", "هددت"), or
   when its date lies more than 30 days before publication ("in December 2019 supporters
   stormed the embassy").
3. A sentence is an **event** when it has an attack word (struck, targeted, landed, fired,
   استهدف, سقطت ...) or a US strike ("US forces struck", "retaliatory strikes", غارات أمريكية)
   and a target place. Places after "from", "launched from" or "انطلقت من" are the launch point
   (``launched_from``), never the target. Several target places give several rows; a town or
   governorate that only locates a site ("Ain al-Asad air base in Anbar") is context.
   A place is read as a US site when a site of ``data/sites_researched.csv`` lies within
   5 km of it and a base word is next to it ("the base at Erbil airport" -> ``erbil_air_base``),
   or a diplomatic site within 15 km and "embassy" / "consulate" / "السفارة" is next to it
   ("the embassy in Baghdad" -> ``us_embassy_baghdad``). A place that follows a site after
   "near", "north of", "in", "قرب", "المجاورة ل" only locates it ("Victory base near Baghdad
   airport"), and one after "in retaliation for" is an earlier event, not a target.
4. Dates are resolved from ``published``: weekdays ("on Friday", "late Tuesday", "in the early
   hours of Saturday", "يوم الجمعة", "فجر الاثنين") are the latest such day on or before
   publication ("last Friday", "الأحد الماضي": strictly before); "yesterday", "last night",
   "أمس", "مساء أمس" the day before; "today", "earlier today", "اليوم" the day itself; "earlier
   this week" and "last week" give a week window. A sentence without a date takes the last
   event date of the report. A day read only from a statement ("said on Tuesday it targeted")
   is kept, and ``date_note`` says it is the statement day. A report with no date at all gives
   a week window ending on the publication day.
5. Weapon, figures and claims: "three rockets", "at least five", "a drone", "صاروخين"; killed
   and injured; "no casualties", "دون وقوع إصابات" -> 0. A group named with a claim word
   (claimed, said it, in a statement, تبنت, أعلنت) sets ``claimed_by``; a US official or office
   (Pentagon, CENTCOM, a US defense official) saying so sets ``us_confirmed`` True, "could not
   confirm" / "declined to comment" sets it False. Sentences without a place (follow-ups:
   "No one was hurt.") add their figures to the last event of the report.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re

import numpy as np
import pandas as pd

from .errors import FormatError

__all__ = ["assign_sites", "extract_events", "match_events"]

#: Fields that get a ``<field>_span`` column.
SPAN_FIELDS = (
    "date",
    "event_type",
    "location",
    "weapon",
    "target_type",
    "projectiles",
    "killed",
    "injured",
    "claimed_by",
    "us_confirmed",
    "launched_from",
)

#: Output columns, in order (``geometry`` is the GeoDataFrame's geometry column).
COLUMNS = [
    "date",
    "date_precision",
    "date_note",
    "event_type",
    "country",
    "admin1",
    "location",
    "site_id",
    "latitude",
    "longitude",
    "geo_precision",
    "launched_from",
    "weapon",
    "target_type",
    "projectiles",
    "killed",
    "injured",
    "claimed_by",
    "attributed_to",
    "us_confirmed",
    "status",
    "sentence",
    "url",
    "outlet",
    "published",
] + [f"{f}_span" for f in SPAN_FIELDS]

#: Radius (km) within which a point takes a site's ``site_id`` in :func:`assign_sites`:
#: diplomatic compounds sit in dense city districts (1.5 km), bases and airfields spread over
#: several kilometres (5 km); a neighbourhood or town kept as a site (Green Zone, Jurf
#: al-Sakhar) keeps 3 km.
SITE_RADIUS_KM = {"diplomatic": 1.5, "military_base": 5.0, "airport": 5.0}
DEFAULT_SITE_RADIUS_KM = 3.0

_SITE_TYPES = ("military_base", "diplomatic", "airport")

# ----------------------------------------------------------------------------- vocabularies

_EN_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_AR_WEEKDAYS = {
    "الاثنين": 0,
    "الإثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
    "الاحد": 6,
}
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
)
_AR_MONTHS = (
    "يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|"
    "كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|"
    "كانون الأول"
)
_AR_LEVANT = {
    "كانون الثاني": "يناير",
    "شباط": "فبراير",
    "آذار": "مارس",
    "نيسان": "أبريل",
    "أيار": "مايو",
    "حزيران": "يونيو",
    "تموز": "يوليو",
    "آب": "أغسطس",
    "أيلول": "سبتمبر",
    "تشرين الأول": "أكتوبر",
    "تشرين الثاني": "نوفمبر",
    "كانون الأول": "ديسمبر",
}

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "pair": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "واحد": 1,
    "واحدة": 1,
    "اثنين": 2,
    "اثنان": 2,
    "ثلاثة": 3,
    "ثلاث": 3,
    "أربعة": 4,
    "أربع": 4,
    "خمسة": 5,
    "خمس": 5,
    "ستة": 6,
    "ست": 6,
    "سبعة": 7,
    "سبع": 7,
    "ثمانية": 8,
    "ثماني": 8,
    "تسعة": 9,
    "تسع": 9,
    "عشرة": 10,
    "عشر": 10,
}
_NUM = r"(?:\d+|[\u0660-\u0669]+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_QUAL = (
    r"(?:(?:at least|more than|over|some|about|around|nearly|up to|ما لا يقل عن|أكثر من|نحو)\s+)?"
)

# weapon nouns: (pattern, weapon); Arabic duals count two
_WEAPONS = [
    (
        r"ballistic missiles?|cruise missiles?|صواريخ باليستية|صاروخ باليستي|صواريخ بالستية",
        "missile",
    ),
    (r"missiles?", "missile"),
    (
        r"(?:katyusha )?rockets?|katyushas?|صواريخ كاتيوشا|صاروخ كاتيوشا|صواريخ|صاروخين|صاروخان|"
        r"صاروخ|كاتيوشا",
        "rocket",
    ),
    (
        r"(?:one-way attack |attack |explosive-laden |kamikaze )?(?:drones?|uavs?)|"
        r"طائرات مسيرة|طائرات مسيّرة|طائرتين مسيرتين|طائرتين مسيّرتين|طائرة مسيرة|طائرة مسيّرة|"
        r"بطائرة مسيرة|بطائرة مسيّرة|مسيرات|مسيّرات|مسيرتين|مسيرة|مسيّرة|درون",
        "drone",
    ),
    (
        r"mortar (?:rounds?|shells?|bombs?)|mortars?|قذائف هاون|قذيفتي هاون|قذيفة هاون|هاون",
        "mortar",
    ),
    (
        r"roadside bombs?|improvised explosive devices?|ieds?|explosive devices?|"
        r"عبوة ناسفة|عبوات ناسفة|عبوتين ناسفتين",
        "ied",
    ),
    (r"small[- ]arms fire|gunfire|gunmen|أسلحة خفيفة|إطلاق نار", "small_arms"),
]
_WEAPON_RE = re.compile(
    r"(?:(?<!\w)|(?<=(?<!\w)[\u0628\u0648\u0644]))(?:"  # Arabic may prefix ب و ل
    + "|".join(f"(?P<w{i}>{p})" for i, (p, _) in enumerate(_WEAPONS))
    + r")(?!\w)",
    re.IGNORECASE,
)
_AR_DUAL = re.compile(r"صاروخين|صاروخان|طائرتين|مسيرتين|قذيفتي|عبوتين")

_ATTACK_WORDS = re.compile(
    r"\b(?:struck|strikes?\s+(?:on|at|against)|hit|hits|targeted|targeting|attacked|"
    r"attacks?\s+(?:on|at|against)|"
    r"landed|fell|slammed|exploded|detonated|fired|launched|shelled|shot down|intercepted|"
    r"downed|dropped|impacted|came under|attempted attack|was attacked|were attacked)\b|"
    r"استهداف|استهدف|استهدفت|استهدفنا|سقطت|سقط|قصف|قصفت|هجوم|هجوما|هجمات|ضربت|انفجرت|انفجار|أسقطت|"
    r"اعترضت|رشقة|أطلقت|إطلاق|تعرضت|تعرض",
    re.IGNORECASE,
)
_US_STRIKE = re.compile(
    r"\b(?:U\.?S\.?|US|American|United States|coalition)\s+(?:forces|military|aircraft|warplanes|"
    r"jets|fighter jets|troops|drones?|helicopters?)?\s*(?:carried out|conducted|launched|struck|"
    r"bombed|hit|killed)\b|\b(?:U\.?S\.?|US|American|retaliatory|US-led)\s+(?:air\s?strikes?|"
    r"strikes?|"
    r"drone strikes?|raids?)\b|"
    r"طائرات أمريكية|طائرات حربية أمريكية|غارات أمريكية|غارة أمريكية|قصف أمريكي|ضربات أمريكية|"
    r"ضربة أمريكية|غارات جوية أمريكية|"
    r"الطيران الأمريكي|طائرة أمريكية",
    re.IGNORECASE,
)
_TALLY = re.compile(
    r"\b\d+\s+(?:\w+\s+){0,2}(?:attacks|times|incidents)\b.{0,80}\b(?:since|so far|this year|"
    r"to date)\b|"
    r"\b(?:since|so far|to date)\b.{0,60}\b\d+\s+(?:\w+\s+){0,2}attacks\b|"
    r"\d+\s+(?:هجوما|هجمة|هجوم|مرة).{0,60}منذ|منذ.{0,60}\d+\s+(?:هجوما|هجمة|هجوم)",
    re.IGNORECASE,
)
_THREAT = re.compile(
    r"\b(?:threaten(?:s|ed)?|vow(?:s|ed)?|warn(?:s|ed)?|will (?:target|strike|attack|respond)|"
    r"would (?:target|strike|attack|respond)|pledged to|promised to|if (?:US|American))\b|"
    r"هدد|هددت|توعد|توعدت|ستستهدف|سنستهدف|حذر|حذرت",
    re.IGNORECASE,
)
_LAUNCH_STRICT = re.compile(
    r"(?:\b(?:launched|fired|took off|originated)\s+from|\bfrom)\s+(?:the\s+)?(?:area of\s+|"
    r"town of\s+|"
    r"village of\s+|district of\s+)?$|(?:انطلقت|انطلقا|انطلق|أطلقت|أطلقا|أطلق)\s+من\s+(?:منطقة\s+|"
    r"بلدة\s+|قضاء\s+)?$",
    re.IGNORECASE,
)
_BASE_WORDS = re.compile(
    r"\bbase\b|\bbases\b|\bairbase\b|\bforces\b|\btroops\b|\bcoalition\b|\bgarrison\b|\bfacility\b|"
    r"قاعدة|القاعدة|قوات|التحالف",
    re.IGNORECASE,
)
_MISSION_WORDS = re.compile(r"\bembassy\b|\bconsulate\b|السفارة|القنصلية", re.IGNORECASE)
_CONVOY = re.compile(
    r"\bconvoys?\b|\blogistics\b|\bsupply (?:truck|vehicle)s?\b|رتل|أرتال|شاحنات", re.IGNORECASE
)
_CONTRACTOR = re.compile(r"\bcontractors?\b|\bcompany\b|شركة|متعاقد", re.IGNORECASE)
_CLAIM = re.compile(
    r"\bclaim(?:s|ed)?\b|\bsaid\b.{0,30}\b(?:it|its fighters|they)\b|\bin a statement\b|"
    r"\bstatement\b|"
    r"\btook responsibility\b|\bannounced\b|تبنت|تبنى|أعلنت|اعلنت|بيان|في بيان|تبني",
    re.IGNORECASE,
)
_BLAME = re.compile(
    r"\bblamed\b|\baccused\b|\battributed\b|\bbehind the attack\b|حمّل|اتهم|اتهمت", re.IGNORECASE
)
_US_OFFICIAL = re.compile(
    r"\bPentagon\b|\bCENTCOM\b|\bCentral Command\b|\bDefen[cs]e Department\b|"
    r"\bDepartment of Defen[cs]e\b|"
    r"\bState Department\b|\bWhite House\b|\bU\.?S\.? (?:defen[cs]e |military |"
    r"administration )?officials?\b|"
    r"\bU\.?S\.? military\b|\bUS defen[cs]e official\b|\bAmerican officials?\b|"
    r"\bUS Central Command\b|"
    r"\bpress secretary\b|\bUS embassy spokes\w+\b|البنتاغون|القيادة المركزية الأمريكية|"
    r"مسؤول أمريكي|"
    r"مسؤولون أمريكيون|وزارة الدفاع الأمريكية|الجيش الأمريكي",
    re.IGNORECASE,
)
_CONFIRM = re.compile(
    r"\bconfirmed\b|\bsaid\b|\btold\b|\bsays\b|\backnowledged\b|\bannounced\b|أكد|أكدت|قال|أعلن|"
    r"أعلنت",
    re.IGNORECASE,
)
_NOT_CONFIRM = re.compile(
    r"\b(?:could not|couldn't|did not|didn't|would not|declined to|has not|have not|"
    r"not immediately)\s+"
    r"(?:confirm|comment|be reached|respond)|\bno (?:immediate )?comment\b|\bno confirmation\b|"
    r"\bsaid no attack\b|\bdenied\b|\bdid not take place\b|"
    r"لم يؤكد|لم تؤكد|لم يصدر|رفض التعليق|نفى|نفت",
    re.IGNORECASE,
)
_NO_CASUALTIES = re.compile(
    r"\b(?:neither|none of the) (?:attack|attacks) (?:caused|resulted in) (?:any )?casualties\b|"
    r"\bno (?:casualties|one was (?:hurt|injured|killed)|injuries or (?:deaths|damage)|"
    r"injuries|deaths|losses)\b|\bwithout (?:causing )?(?:any )?casualties\b|"
    r"\bnobody was (?:hurt|injured)\b|\bcaused no (?:casualties|injuries)\b|"
    r"\bno (?:damage or )?(?:casualties|injuries)\b|"
    r"دون (?:وقوع |أن تسفر عن |تسجيل )?(?:أي )?(?:إصابات|خسائر)|لم (?:تسفر|يسفر|تسجل|"
    r"تُسجل)\s+(?:\w+\s+)?(?:عن\s+)?(?:أي\s+)?(?:إصابات|خسائر)|"
    r"لا إصابات|لا خسائر",
    re.IGNORECASE,
)
_PEOPLE = (
    r"(?:(?:US|U\.S\.|American|Iraqi|coalition|Syrian|Kurdish|civilian|private)\s+)?"
    r"(?:(?:service ?members?|soldiers?|troops|personnel|people|civilians?|contractors?|guards?|"
    r"fighters|militants|members|workers|staff|persons|others|security personnel)\s+)?"
)
_KILLED = re.compile(
    r"(?P<q>"
    + _QUAL
    + r")(?P<n>"
    + _NUM
    + r")\s+"
    + _PEOPLE
    + r"(?:\w+\s+){0,2}?(?:were|was|had been|have been)?\s*"
    r"(?:killed|dead|died)\b|\bkill(?:ing|ed)\s+(?P<q2>" + _QUAL + r")(?P<n2>" + _NUM + r")\b|"
    r"(?:مقتل|استشهاد)\s+(?P<n3>" + _NUM + r")",
    re.IGNORECASE,
)
_INJURED = re.compile(
    r"(?P<q>"
    + _QUAL
    + r")(?P<n>"
    + _NUM
    + r")\s+"
    + _PEOPLE
    + r"(?:\w+\s+){0,2}?(?:were|was|had been|have been)?\s*"
    r"(?:wounded|injured|hurt|suffered (?:minor |traumatic brain |"
    r"minor traumatic brain )?injur\w+)|"
    r"\b(?:wound|injur)(?:ing|ed)\s+(?P<q2>" + _QUAL + r")(?P<n2>" + _NUM + r")\b|"
    r"(?:إصابة|جرح)\s+(?P<n3>" + _NUM + r")",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?؟\n]+(?:[.!?؟]+|$)")
_GROUP_EXTRA = {
    "islamic_resistance_iraq": ["Islamic Resistance in Iraq", "المقاومة الإسلامية في العراق"],
}


# ----------------------------------------------------------------------------- helpers


def _as_date(published) -> dt.date:
    if isinstance(published, pd.Timestamp):
        return published.date()
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    if isinstance(published, str):
        try:
            return dt.date.fromisoformat(published.strip()[:10])
        except ValueError:
            pass
    raise FormatError(
        f"extract_events: published={published!r} is not a date (expected a datetime.date, a "
        "pandas Timestamp or an ISO string such as '2024-01-07')"
    )


def _number(word: str) -> int | None:
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    if re.fullmatch(r"[\u0660-\u0669]+", word):
        return int(word.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")))
    return _NUMBER_WORDS.get(word)


def _mask(text: str, spans) -> str:
    chars = list(text)
    for s, e in spans:
        for k in range(s, e):
            if chars[k] not in "\n.!?؟":
                chars[k] = " "
    return "".join(chars)


@functools.lru_cache(maxsize=1)
def _dateparser():
    import dateparser

    return dateparser


@functools.lru_cache(maxsize=1)
def _group_patterns() -> list[tuple[re.Pattern, str]]:
    from .datasets import load_groups

    groups = load_groups()
    out = []
    groups = groups[~groups["kind"].isin(["state", "generic"])]  # "US", "Iran": not claimants
    for gid, name, aliases in groups[["group_id", "name", "aliases"]].itertuples(index=False):
        aliases = "" if pd.isna(aliases) else str(aliases)
        names = {str(name)} | {a for a in aliases.split("|") if a}
        names |= set(_GROUP_EXTRA.get(gid, []))
        for n in names:
            if len(n) < 3 and not n.isupper():
                continue
            flags = 0 if n.isupper() else re.IGNORECASE
            out.append(
                (
                    re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)", flags),
                    gid,
                )
            )
    out.sort(key=lambda p: -len(p[0].pattern))
    return out


@functools.lru_cache(maxsize=1)
def _sites() -> pd.DataFrame:
    """US sites (``data/sites_researched.csv``) with coordinates and feature type."""
    from .places import load_places

    places = load_places()
    from ._paths import data_dir

    ids = pd.read_csv(data_dir() / "sites_researched.csv", usecols=["place_id"])["place_id"]
    sites = places[places["place_id"].isin(set(ids))]
    return pd.DataFrame(
        {
            "place_id": sites["place_id"].to_numpy(),
            "feature_type": sites["feature_type"].astype(str).to_numpy(),
            "latitude": sites["latitude"].to_numpy(float),
            "longitude": sites["longitude"].to_numpy(float),
            "admin1": sites["admin1"].astype(object).to_numpy(),
            "country": sites["country"].astype(str).to_numpy(),
            "name": sites["name"].astype(str).to_numpy(),
        }
    )


def _haversine(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


# ----------------------------------------------------------------------------- dates


class _Date:
    __slots__ = ("date", "end", "note", "precision", "relative", "start", "statement")

    def __init__(self, start, end, date, precision, note, statement=False, relative=True):
        self.start, self.end, self.date = start, end, date
        self.precision, self.note, self.statement = precision, note, statement
        self.relative = relative


def _weekday_before(published: dt.date, weekday: int, strictly: bool) -> dt.date:
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly:
        back = 7
    return published - dt.timedelta(days=back)


_EN_DATE = re.compile(
    r"(?P<wd>\b(?:(?:late|early|on|last|this)\s+(?:on\s+)?|in the early hours of\s+|"
    r"in the (?:early )?(?:morning|evening) of\s+|overnight (?:into|on)\s+)?"
    r"(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:'s)?"
    r"(?:\s+(?:morning|evening|night|afternoon))?\b)"
    r"|(?P<explicit>\b(?:on\s+)?(?:(?:\d{1,2}\s+(?:"
    + _MONTHS
    + r")|(?:"
    + _MONTHS
    + r")\s+\d{1,2})(?:,?\s+\d{4})?"
    r"|(?:in\s+)?(?:" + _MONTHS + r")\s+\d{4}|\d{4}-\d{2}-\d{2}))\b"
    r"|(?P<rel>\b(?:last night|yesterday(?:\s+(?:morning|evening|afternoon))?|overnight|"
    r"earlier today|today|this morning|tonight|earlier this week|last week|earlier this month)\b)",
    re.IGNORECASE,
)
_AR_DAY = "|".join(sorted(_AR_WEEKDAYS, key=len, reverse=True))
_AR_DATE = re.compile(
    r"(?P<wd>(?:(?:يوم|فجر|مساء|صباح|ليل|ظهر|عصر|فجر يوم|مساء يوم|صباح يوم)\s+)?(?P<day>"
    + _AR_DAY
    + r")"
    r"(?:\s+(?P<past>الماضي|الفائت|المنصرم))?)"
    r"|(?P<explicit>(?:في\s+)?\d{1,2}\s+(?:" + _AR_MONTHS + r")(?:\s+\d{4})?)"
    r"|(?P<rel>(?:مساء|صباح|فجر|ليل|ليلة)\s+(?:أمس|الأمس|البارحة|اليوم)|أمس|الأمس|البارحة|اليوم|"
    r"الأسبوع الماضي|مطلع الأسبوع|الليلة الماضية)"
)
_STATEMENT_BEFORE = re.compile(
    r"(?:\bsaid|\bannounced|\bclaimed|\bstatement|\breported|\btold reporters|\badded|"
    r"قال|قالت|أعلن|أعلنت|ذكر|ذكرت|أفاد|أفادت|بيان)\s*(?:\w+\s+){0,1}$",
    re.IGNORECASE,
)


def _find_dates(text: str, published: dt.date) -> list[_Date]:
    out: list[_Date] = []
    for regex, lang in ((_EN_DATE, "en"), (_AR_DATE, "ar")):
        for m in regex.finditer(text):
            words = m.group(0).strip()
            s, e = m.start(), m.end()
            while s < e and text[s].isspace():
                s += 1
            statement = _STATEMENT_BEFORE.search(text[max(0, s - 40) : s]) is not None
            src = f"'{words}'"
            if m.group("day"):
                day = m.group("day")
                weekday = _EN_WEEKDAYS.index(day.lower()) if lang == "en" else _AR_WEEKDAYS[day]
                strictly = bool(re.match(r"last\b", words, re.IGNORECASE)) or bool(
                    lang == "ar" and m.group("past")
                )
                date = _weekday_before(published, weekday, strictly)
                out.append(
                    _Date(
                        s, e, date, "day", f"{src}: {date:%A} on or before publication", statement
                    )
                )
            elif m.group("explicit"):
                phrase = re.sub(r"^(?:on|in|في)\s+", "", words, flags=re.IGNORECASE)
                for levant, month in _AR_LEVANT.items():
                    phrase = phrase.replace(levant, month)
                month_only = re.fullmatch(r"(?:" + _MONTHS + r")\s+\d{4}", phrase, re.IGNORECASE)
                parsed = _dateparser().parse(
                    phrase,
                    languages=["en", "ar"],
                    settings={
                        "RELATIVE_BASE": dt.datetime.combine(published, dt.time()),
                        "PREFER_DATES_FROM": "past",
                        "PREFER_DAY_OF_MONTH": "first",
                        "REQUIRE_PARTS": ["month"] if month_only else ["day", "month"],
                    },
                )
                if parsed is None:
                    continue
                precision = "month" if month_only else "day"
                date = parsed.date().replace(day=1) if month_only else parsed.date()
                out.append(
                    _Date(
                        s, e, date, precision, f"{src} (explicit date)", statement, relative=False
                    )
                )
            else:
                key = words.lower()
                if key in ("earlier this week", "last week", "الأسبوع الماضي", "مطلع الأسبوع"):
                    if key in ("last week", "الأسبوع الماضي"):
                        end = published - dt.timedelta(days=published.weekday() + 1)
                    else:
                        end = published
                    start = end - dt.timedelta(days=6)
                    if key in ("earlier this week", "مطلع الأسبوع"):
                        start = published - dt.timedelta(days=(published.weekday() + 1) % 7)
                    out.append(
                        _Date(s, e, start, "week", f"{src}: window {start}..{end}", statement)
                    )
                    continue
                if key == "earlier this month":
                    start = published.replace(day=1)
                    out.append(
                        _Date(
                            s, e, start, "month", f"{src}: window {start}..{published}", statement
                        )
                    )
                    continue
                same_day = key in (
                    "earlier today",
                    "today",
                    "this morning",
                    "tonight",
                ) or key.endswith("اليوم")
                date = published if same_day else published - dt.timedelta(days=1)
                out.append(_Date(s, e, date, "day", f"{src}: relative to publication", statement))
    out.sort(key=lambda d: d.start)
    return out


# ----------------------------------------------------------------------------- places


def _places(text: str) -> pd.DataFrame:
    from .geocode import find_places

    found = find_places(text)
    if found.empty:
        return found
    found = found[
        found["status"].isin(["exact", "alias", "ambiguous", "fuzzy"]) & found["place_id"].notna()
    ]
    return found[~found["feature_type"].isin(["country"])].reset_index(drop=True)


_NOT_A_PLACE = re.compile(
    r"^(?:Iraqi|Syrian|Kurdish|American|Iranian|Jordanian|US|U\.S\.)\b|^(?:إن|أن|التي|الذي|على|"
    r"إلى|عن)\s"
)
_REFERENCE = re.compile(
    r"(?:retaliation for|response to|responding to|revenge for|ردا على|"
    r"ثأرا ل)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
_LOCATOR = re.compile(
    r"\s+(?:in|near|outside|north of|south of|east of|west of|في|قرب|شمال|جنوب|غرب|شرق)\s+"
)


def _clean_mention(text: str, r):
    """Drop words that only look like places; read "X in Y" as the site X when X is one."""
    from .geocode import geocode

    words = text[r.start : r.end]
    if _NOT_A_PLACE.search(words) and r.feature_type not in _SITE_TYPES:
        return None
    cut = _LOCATOR.search(words)
    if cut and r.feature_type not in ("diplomatic",):
        head = words[: cut.start()]
        got = geocode([head])
        if (
            len(got)
            and got["status"].iloc[0] in ("exact", "alias")
            and got["feature_type"].iloc[0] in _SITE_TYPES
        ):
            row = got.iloc[0]
            return r._replace(
                end=r.start + len(head),
                place_id=row["place_id"],
                feature_type=row["feature_type"],
                admin1=row["admin1"],
                country=row["country"],
                geometry=row["geometry"],
            )
    return r


def _site_for(place: dict, context: str) -> dict:
    """The US site a mention stands for ("the base at Erbil airport" -> erbil_air_base)."""
    sites = _sites()
    if place["place_id"] in set(sites["place_id"]):
        return place
    lat, lon = place["latitude"], place["longitude"]
    if lat is None or (isinstance(lat, float) and math.isnan(lat)):
        return place
    d = _haversine(lat, lon, sites["latitude"], sites["longitude"])
    if _MISSION_WORDS.search(context):  # "the embassy in Baghdad": the city names the mission
        ok = (d <= 15.0) & (sites["feature_type"] == "diplomatic").to_numpy()
    elif _BASE_WORDS.search(context):
        ok = (d <= 5.0) & sites["feature_type"].isin(["military_base", "diplomatic"]).to_numpy()
    else:
        return place
    if not ok.any():
        return place
    k = int(np.argmin(np.where(ok, d, np.inf)))
    row = sites.iloc[k]
    return {
        **place,
        "place_id": row["place_id"],
        "feature_type": row["feature_type"],
        "latitude": float(row["latitude"]),
        "longitude": float(row["longitude"]),
        "admin1": row["admin1"],
        "country": row["country"],
        "via": f"{place['place_id']} + base or mission word -> nearby site",
    }


_TIER = {
    "diplomatic": 0,
    "military_base": 0,
    "airport": 0,
    "neighbourhood": 1,
    "village": 2,
    "town": 2,
    "city": 3,
    "sub_district": 4,
    "district": 5,
    "governorate": 6,
}


_LOCATES = re.compile(
    r"^[\s,]*(?:(?:a|an|the|which|is|lies|located|situated|small|large|US|outpost)\s+){0,3}"
    r"(?:near|in|at|outside|(?:north|south|east|west|northeast|northwest|southeast|southwest) of|"
    r"adjacent to|next to|close to|المجاورة ل|المجاور ل|قرب|بالقرب من|في|شمال|جنوب|شرق|غرب|"
    r"شمالي|جنوبي|شرقي|غربي|بمحافظة|محافظة)\s*(?:the\s+)?(?:(?:\w+\s+){0,2})?$",
    re.IGNORECASE,
)


def _locates(text: str, o: dict, m: dict) -> bool:
    """Is mention ``m`` only the place of the mention ``o`` just before it ("Harir air base
    north of Erbil", "قاعدة فكتوريا المجاورة لمطار بغداد")?"""
    if not (0 <= m["start"] - o["end"] <= 40):
        return False
    gap = text[o["end"] : m["start"]]
    if re.search(r"\band\b|\bwhile\b|;|\sو", gap) or not _LOCATES.search(gap):
        return False
    limit = 15 if _TIER.get(m["feature_type"], 3) == 0 else 80
    return _dist(m, o) <= limit


def _targets(mentions: list[dict], text: str = "") -> list[dict]:
    """Keep the target mentions: drop containers and places that only locate a site."""
    keep = []
    for i, m in enumerate(mentions):
        tier = _TIER.get(m["feature_type"], 3)
        contained = i > 0 and _locates(text, mentions[i - 1], m)
        for j, o in enumerate(mentions):
            if i == j or contained:
                continue
            otier = _TIER.get(o["feature_type"], 3)
            if otier >= tier:
                continue
            if tier >= 5 and o.get("admin1") == m.get("admin1"):
                contained = True
            elif tier >= 1 and _dist(m, o) <= (40 if tier >= 3 else 15):
                contained = True  # "Union III in Baghdad", "Green Zone ... US embassy"
            if contained:
                break
        if not contained:
            keep.append(m)
    # one place named twice in one sentence is one target
    seen, out = set(), []
    for m in keep:
        if m["place_id"] not in seen:
            seen.add(m["place_id"])
            out.append(m)
    return out


def _dist(a: dict, b: dict) -> float:
    try:
        return float(_haversine(a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    except (TypeError, ValueError):
        return math.inf


# ----------------------------------------------------------------------------- extraction


def _nearest(items: list, pos: int, before_bias: bool = True):
    """The item (with .start/.end or a (start, end, ...) tuple) nearest to ``pos``."""
    best, bestd = None, math.inf
    for it in items:
        if isinstance(it, dict):
            s, e = it["start"], it["end"]
        elif hasattr(it, "start"):
            s, e = it.start, it.end
        else:
            s, e = it[0], it[1]
        d = pos - e if e <= pos else (s - pos) * (1.5 if before_bias else 1.0)
        d = abs(d)
        if d < bestd:
            best, bestd = it, d
    return best


def _weapons(text: str, offset: int) -> list[tuple[int, int, str, int | None, str]]:
    """(start, end, weapon, count, qualifier) of the weapon nouns of a sentence."""
    out = []
    for m in _WEAPON_RE.finditer(text):
        weapon = next(_WEAPONS[i][1] for i in range(len(_WEAPONS)) if m.group(f"w{i}"))
        count = None
        s = m.start()
        before = text[max(0, m.start() - 40) : m.start()]
        nm = None
        for between in (r"", r"(?:[\w-]+\s+)", r"(?:[\w-]+\s+){2}"):
            nm = re.search(
                r"(?<!\w)(?P<q>" + _QUAL + r")(?P<n>" + _NUM + r")\s+" + between + "$",
                before,
                re.IGNORECASE,
            )
            if nm:
                break
        if nm and _number(nm.group("n")) is not None:
            count = _number(nm.group("n"))
            s = m.start() - len(before) + nm.start()
        elif _AR_DUAL.search(m.group(0)):
            count = 2
        elif re.search(r"[\u0600-\u06ff]", m.group(0)):
            after = text[m.end() : m.end() + 20]
            am = re.match(r"\s*(?:بعدد\s+)?(?P<n>" + _NUM + r")\b", after)
            if am and _number(am.group("n")) is not None:
                count = _number(am.group("n"))
            elif re.fullmatch(
                r"(?:ب)?(?:طائرة مسيرة|طائرة مسيّرة|صاروخ|قذيفة هاون|عبوة ناسفة|مسيرة|مسيّرة)",
                m.group(0),
            ):
                count = 1
        out.append((s + offset, m.end() + offset, weapon, count, ""))
    return out


def _figures(regex: re.Pattern, text: str, offset: int) -> list[tuple[int, int, int, str]]:
    out = []
    for m in regex.finditer(text):
        n = m.group("n") or m.group("n2") or m.group("n3")
        value = _number(n) if n else None
        if value is None or re.search(r"\bno\s*$", text[max(0, m.start() - 4) : m.start()], re.I):
            continue  # "no one was hurt" is handled as no casualties
        end = m.end()
        # "killing two Americans and a British soldier": the second group counts too
        more = re.match(
            r"\s+\w+(?:\s+\w+)?\s+and\s+(?P<n>" + _NUM + r")\s+(?:\w+\s+){0,2}?"
            r"(?:soldiers?|troops|service ?members?|personnel|people|civilians?|contractors?|"
            r"Americans?|Iraqis?|Britons?|workers|guards?)\b",
            text[end:],
            re.IGNORECASE,
        )
        if more and _number(more.group("n")) is not None and m.group("n2"):
            value += _number(more.group("n"))
            end += more.end()
        out.append((m.start() + offset, end + offset, value, ""))
    return out


def _groups_in(text: str) -> list[tuple[int, int, str]]:
    out, taken = [], []
    for pattern, gid in _group_patterns():
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append((m.start(), m.end(), gid))
    out.sort()
    return out


def extract_events(text: str, published, *, url=None, outlet=None, include_background=False):
    """Turn one news report into candidate event rows, each field with its evidence span.

    Parameters
    ----------
    text : str
        The report (English or Arabic; a headline and body may be given together).
    published : date-like
        Publication date of the report (``datetime.date``, ``Timestamp`` or ISO string). Weekday
        and relative expressions are resolved against it.
    url, outlet : str, optional
        Copied to every row (``url``, ``outlet``) so candidates keep their source.
    include_background : bool, default False
        Also return ``background`` rows (tallies, history, threats that name a place), so a
        reader can see what was set aside and why (``date_note``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per candidate event (EPSG:4326 points; empty where the place is unknown) with
        the canonical columns of :func:`toolkit.load_events` that a report can give (``date``,
        ``date_precision``, ``date_note``, ``event_type``, ``country``, ``admin1``,
        ``location``, ``site_id``, ``weapon``, ``target_type``, ``projectiles``, ``killed``,
        ``injured``, ``claimed_by``, ``attributed_to``, ``us_confirmed``), ``launched_from``
        (the launch point, never the target), ``status`` (``candidate`` or ``background``),
        ``sentence`` (the sentence the row was read from), ``url``, ``outlet``, ``published``
        and for each field ``<field>_span``: the ``(start, end)`` offsets in ``text`` of the
        words the value came from (``None`` when the value was not read from the text).
        ``attrs["background_rows"]`` counts the background rows found (returned only with
        ``include_background=True``), so nothing is set aside silently.

    Raises
    ------
    FormatError
        When ``text`` is not a string or ``published`` is not a date.

    Notes
    -----
    Rules are described in the module docstring (:mod:`toolkit.extract`). Candidates are for a
    researcher to check, not for the dataset as they are: each still needs its sources.

    Examples
    --------
    >>> import toolkit
    >>> report = ("Two drones struck the base hosting coalition forces at Erbil airport late on "
    ...           "Friday, a US defense official said. No one was hurt.")
    >>> rows = toolkit.extract_events(report, "2024-01-07")
    >>> columns = ["date", "site_id", "weapon", "projectiles", "injured", "us_confirmed"]
    >>> rows[columns].values.tolist()
    [[Timestamp('2024-01-05 00:00:00'), 'erbil_air_base', 'drone', 2, 0, True]]
    >>> start, end = rows.loc[0, "date_span"]
    >>> report[start:end]
    'late on Friday'
    """
    import geopandas as gpd

    if not isinstance(text, str):
        raise FormatError(f"extract_events: text is a {type(text).__name__} (expected a str)")
    pub = _as_date(published)

    dates_all = _find_dates(text, pub)
    groups_all = _groups_in(text)
    masked = _mask(text, [(d.start, d.end) for d in dates_all] + [(s, e) for s, e, _ in groups_all])
    found = _places(masked)
    mentions = []
    for r in found.itertuples(index=False):
        r = _clean_mention(text, r)
        if r is None:
            continue
        geom = r.geometry
        lat = geom.y if geom is not None and not geom.is_empty else float("nan")
        lon = geom.x if geom is not None and not geom.is_empty else float("nan")
        mentions.append(
            {
                "start": int(r.start),
                "end": int(r.end),
                "text": text[int(r.start) : int(r.end)],
                "place_id": r.place_id,
                "feature_type": str(r.feature_type),
                "admin1": None if pd.isna(r.admin1) else str(r.admin1),
                "country": None if pd.isna(r.country) else str(r.country),
                "latitude": lat,
                "longitude": lon,
            }
        )
    masked = _mask(masked, [(m["start"], m["end"]) for m in mentions])

    rows: list[dict] = []
    last_date: _Date | None = None
    report_claims: list[tuple[int, int, str]] = []
    report_confirm: tuple[int, int, bool] | None = None
    report_blame: list[tuple[int, int, str]] = []
    report_none_all: list[tuple[int, int]] = []  # "neither attack caused casualties"

    for sm in _SENTENCE.finditer(text):
        s0, s1 = sm.start(), sm.end()
        sentence = text[s0:s1]
        if not sentence.strip():
            continue
        msent = masked[s0:s1]
        sdates = [d for d in dates_all if s0 <= d.start < s1]
        sgroups = [g for g in groups_all if s0 <= g[0] < s1]
        smentions = [m for m in mentions if s0 <= m["start"] < s1]
        weapons = _weapons(msent, s0)
        killed = _figures(_KILLED, msent, s0)
        injured = _figures(_INJURED, msent, s0)
        none_hurt = [(m.start() + s0, m.end() + s0) for m in _NO_CASUALTIES.finditer(sentence)]
        every = [sp for sp in none_hurt if re.match(r"neither|none", text[sp[0] : sp[1]], re.I)]
        report_none_all += every
        us_strike = _US_STRIKE.search(msent)
        attack = _ATTACK_WORDS.search(msent)
        has_official = _US_OFFICIAL.search(sentence)
        if sgroups and _CLAIM.search(sentence):
            report_claims += sgroups
        elif sgroups and _BLAME.search(sentence):
            report_blame += sgroups
        if has_official:
            if _NOT_CONFIRM.search(sentence):
                report_confirm = (has_official.start() + s0, has_official.end() + s0, False)
            elif _CONFIRM.search(sentence) and report_confirm is None:
                report_confirm = (has_official.start() + s0, has_official.end() + s0, True)

        # background: tallies, threats, history
        reason = None
        if _TALLY.search(sentence):
            reason = "tally"
        elif _THREAT.search(msent) and not re.search(
            r"\b(?:struck|landed|targeted|hit)\b|استهدفت|سقطت", msent, re.IGNORECASE
        ):
            reason = "threat"
        else:
            old_date = bool(sdates) and all(
                not d.relative and (pub - d.date).days > 30 for d in sdates
            )
            a_year = re.search(r"\b(?:in|since|during)\s+(?:19|20)\d\d\b|\bعام\s+\d{4}", sentence)
            if old_date or (a_year and not any(d.relative for d in sdates)):
                reason = "history"

        launch = []
        targets = []
        for m in smentions:
            before = masked[max(s0, m["start"] - 40) : m["start"]]
            if _LAUNCH_STRICT.search(before):
                launch.append(m)
            elif _REFERENCE.search(before):
                continue  # "in retaliation for the Tower 22 attack": an earlier event
            else:
                ctx = text[max(s0, m["start"] - 40) : min(s1, m["end"] + 25)]
                targets.append(_site_for(m, ctx))
        targets = _targets(targets, text)
        is_event = bool(attack or us_strike) and (targets or weapons or us_strike)

        if not is_event or not targets:
            if rows and reason is None:
                # follow-up facts for the last event of the report
                last = rows[-1]
                _add_figures(last, killed, injured, none_hurt)
                if weapons and last["weapon"] is None:
                    _set_weapons(last, weapons)
                continue
            if not is_event:
                continue
            targets = [None]

        for t in targets:
            pos = t["start"] if t else (attack or us_strike).start() + s0
            date = _nearest(sdates, pos) if sdates else None
            if date is not None and date.relative and reason is None:
                last_date = date
            elif date is None:
                date = last_date
            row = _blank_row(url, outlet, pub, sentence)
            row["status"] = "background" if reason else "candidate"
            if date is not None:
                row["date"] = pd.Timestamp(date.date)
                row["date_precision"] = date.precision
                note = date.note
                if date.statement:
                    note += "; statement day: the report gives no day of the attack itself"
                if date.start < s0:
                    note += " (date from an earlier sentence)"
                row["date_note"] = note
                row["date_span"] = (date.start, date.end)
            else:
                start = pub - dt.timedelta(days=6)
                row["date"] = pd.Timestamp(start)
                row["date_precision"] = "week"
                row["date_note"] = f"report gives no day; window {start}..{pub} (publication)"
            if reason:
                row["date_note"] = f"background ({reason}): " + (row["date_note"] or "")
            if us_strike:
                row["event_type"] = "us_strike"
                row["event_type_span"] = (us_strike.start() + s0, us_strike.end() + s0)
                row["weapon"] = "airstrike"
                row["weapon_span"] = row["event_type_span"]
                row["target_type"] = "militia"
                row["attributed_to"] = "united_states"
            else:
                row["event_type"] = "attack"
                row["event_type_span"] = (attack.start() + s0, attack.end() + s0)
                near = [w for w in weapons if t is None or abs(w[0] - t["start"]) < 400]
                if len(targets) > 1 and near:
                    near = [_nearest(near, t["start"])] if t else near
                _set_weapons(row, near or weapons)
            if t is not None:
                row["location"] = t["text"]
                row["location_span"] = (t["start"], t["end"])
                row["country"], row["admin1"] = t["country"], t["admin1"]
                row["latitude"], row["longitude"] = t["latitude"], t["longitude"]
                sites = set(_sites()["place_id"])
                if t["place_id"] in sites or t["feature_type"] in _SITE_TYPES:
                    row["site_id"] = t["place_id"]
                    row["geo_precision"] = "site"
                else:
                    row["geo_precision"] = {
                        "village": "town",
                        "neighbourhood": "town",
                        "city": "town",
                        "sub_district": "district",
                    }.get(t["feature_type"], t["feature_type"])
                if row["event_type"] == "attack":
                    ttype, tspan = _target_type(t, msent, s0)
                    row["target_type"], row["target_type_span"] = ttype, tspan
            if launch and (
                t is None or len(targets) == 1 or _nearest(targets, launch[0]["start"], False) is t
            ):
                lm = launch[0]
                row["launched_from"] = lm["text"]
                row["launched_from_span"] = (lm["start"], lm["end"])
            kk = [
                k for k in killed if t is None or len(targets) == 1 or _nearest(targets, k[0]) is t
            ]
            ii = [
                k for k in injured if t is None or len(targets) == 1 or _nearest(targets, k[0]) is t
            ]
            _add_figures(row, kk, ii, none_hurt)
            rows.append(row)

    # report-level claims, blame and confirmation
    for row in rows:
        if row["status"] != "candidate":
            continue  # a claim or confirmation in the report is about its events, not history
        if report_none_all and row["event_type"] == "attack":
            _add_figures(row, [], [], report_none_all)
        if row["event_type"] == "attack" and report_claims and not row["claimed_by"]:
            ids = sorted({g for _, _, g in report_claims})
            row["claimed_by"] = ";".join(ids)
            row["claimed_by_span"] = (report_claims[0][0], report_claims[0][1])
        if row["event_type"] == "attack" and report_blame:
            row["attributed_to"] = ";".join(sorted({g for _, _, g in report_blame}))
        if report_confirm is not None:
            row["us_confirmed"] = report_confirm[2]
            row["us_confirmed_span"] = (report_confirm[0], report_confirm[1])

    rows = _merge_duplicates(rows)
    set_aside = sum(r["status"] == "background" for r in rows)
    if not include_background:
        rows = [r for r in rows if r["status"] == "candidate"]
    out = _frame(rows, gpd)
    out.attrs["background_rows"] = set_aside  # left out unless include_background=True
    return out


def _blank_row(url, outlet, pub, sentence) -> dict:
    row = dict.fromkeys(COLUMNS)
    row.update(url=url, outlet=outlet, published=pd.Timestamp(pub), sentence=sentence.strip())
    return row


def _set_weapons(row: dict, weapons: list) -> None:
    if not weapons:
        return
    kinds = {w[2] for w in weapons}
    row["weapon"] = kinds.pop() if len(kinds) == 1 else "mixed"
    counts = [w[3] for w in weapons]
    if row["weapon"] in ("ied", "small_arms"):
        counts = [None]  # "a roadside bomb" is not a count of projectiles
    row["projectiles"] = sum(counts) if all(c is not None for c in counts) else None
    row["weapon_span"] = (min(w[0] for w in weapons), max(w[1] for w in weapons))
    if row["projectiles"] is not None:
        row["projectiles_span"] = row["weapon_span"]


def _add_figures(row: dict, killed, injured, none_hurt) -> None:
    if killed and row["killed"] is None:
        row["killed"] = sum(k[2] for k in killed)
        row["killed_span"] = (killed[0][0], killed[-1][1])
    if injured and row["injured"] is None:
        row["injured"] = sum(k[2] for k in injured)
        row["injured_span"] = (injured[0][0], injured[-1][1])
    if none_hurt:
        span = none_hurt[0]
        for field in ("killed", "injured"):
            if row[field] is None:
                row[field] = 0
                row[f"{field}_span"] = span


def _target_type(t: dict, msent: str, s0: int):
    convoy = _CONVOY.search(msent)
    if convoy:
        return "logistics_convoy", (convoy.start() + s0, convoy.end() + s0)
    contractor = _CONTRACTOR.search(msent)
    if contractor and t["feature_type"] not in _SITE_TYPES:
        return "contractor", (contractor.start() + s0, contractor.end() + s0)
    kind = {"diplomatic": "diplomatic", "military_base": "military_base", "airport": "airport"}.get(
        t["feature_type"]
    )
    if kind:
        return kind, (t["start"], t["end"])
    base = _BASE_WORDS.search(msent)
    if base:
        return "military_base", (base.start() + s0, base.end() + s0)
    return None, None


def _merge_duplicates(rows: list[dict]) -> list[dict]:
    out: list[dict] = []
    for row in rows:
        twin = next(
            (
                o
                for o in out
                if o["status"] == row["status"]
                and o["event_type"] == row["event_type"]
                and o["date"] == row["date"]
                and (
                    (o["site_id"] and o["site_id"] == row["site_id"])
                    or (o["location"] and o["location"] == row["location"])
                )
            ),
            None,
        )
        if twin is None:
            out.append(row)
            continue
        for key, value in row.items():
            if twin.get(key) is None and value is not None:
                twin[key] = value
    return out


def _frame(rows: list[dict], gpd):
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["date"] = pd.to_datetime(df["date"])
    df["published"] = pd.to_datetime(df["published"])
    for col in ("projectiles", "killed", "injured"):
        df[col] = pd.array(df[col].tolist(), dtype="Int64")
    df["us_confirmed"] = pd.array(df["us_confirmed"].tolist(), dtype="boolean")
    for col in ("latitude", "longitude"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    for col in ("claimed_by", "attributed_to"):
        df[col] = df[col].fillna("").astype(str)
    geometry = gpd.points_from_xy(df["longitude"], df["latitude"])
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")


# ----------------------------------------------------------------------------- matching


def _coords(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if "latitude" in df and "longitude" in df:
        lat = pd.to_numeric(df["latitude"], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(df["longitude"], errors="coerce").to_numpy(float)
    else:
        lat = np.full(len(df), np.nan)
        lon = np.full(len(df), np.nan)
    if "geometry" in df:
        geom = df.geometry if hasattr(df, "geometry") else df["geometry"]
        missing = np.isnan(lat)
        if missing.any():
            try:
                gx = np.array([g.x if g is not None and not g.is_empty else np.nan for g in geom])
                gy = np.array([g.y if g is not None and not g.is_empty else np.nan for g in geom])
                lat = np.where(missing, gy, lat)
                lon = np.where(missing, gx, lon)
            except AttributeError:
                pass
    return lat, lon


def assign_sites(events: pd.DataFrame, *, radius_km=None, overwrite: bool = False) -> pd.DataFrame:
    """Give rows the ``site_id`` of the US site they lie next to.

    A row with coordinates takes the id of the nearest site of ``data/sites_researched.csv``
    whose radius holds it: :data:`SITE_RADIUS_KM` by the site's kind (diplomatic compound
    1.5 km, base or airfield 5 km; a town or neighbourhood kept as a site 3 km), or
    ``radius_km`` for all when given. Rows that already have a ``site_id`` keep it unless
    ``overwrite``; rows without coordinates are left as they are.

    Parameters
    ----------
    events : pandas.DataFrame
        Rows with ``latitude``/``longitude`` or point ``geometry`` (ACLED, UCDP, candidates).
    radius_km : float, optional
        One radius for every site instead of the per-kind rule.
    overwrite : bool, default False
        Replace ids already there.

    Returns
    -------
    pandas.DataFrame
        A copy with ``site_id`` filled and ``site_km`` (distance to that site, km).

    Examples
    --------
    >>> import pandas as pd, toolkit
    >>> rows = pd.DataFrame({"latitude": [33.80, 33.30], "longitude": [42.44, 44.00]})
    >>> toolkit.assign_sites(rows)["site_id"].tolist()
    ['ain_al_asad', None]
    """
    sites = _sites()
    out = events.copy()
    lat, lon = _coords(out)
    if "site_id" not in out:
        out["site_id"] = None
    current = out["site_id"].astype(object).where(out["site_id"].notna(), None).to_numpy()
    d = _haversine(
        lat[:, None],
        lon[:, None],
        sites["latitude"].to_numpy()[None, :],
        sites["longitude"].to_numpy()[None, :],
    )
    if radius_km is None:
        radius = (
            sites["feature_type"].map(SITE_RADIUS_KM).fillna(DEFAULT_SITE_RADIUS_KM).to_numpy(float)
        )
    else:
        radius = np.full(len(sites), float(radius_km))
    inside = np.where(d <= radius[None, :], d, np.inf)
    best = np.argmin(inside, axis=1) if len(sites) else np.zeros(len(out), int)
    best_d = inside[np.arange(len(out)), best] if len(out) else np.array([])
    ids = sites["place_id"].to_numpy()
    new, km = [], []
    for k in range(len(out)):
        has = current[k] not in (None, "") and not (
            isinstance(current[k], float) and math.isnan(current[k])
        )
        if np.isfinite(best_d[k]) and (overwrite or not has):
            new.append(ids[best[k]])
            km.append(float(best_d[k]))
        else:
            new.append(current[k] if has else None)
            km.append(np.nan)
    out["site_id"] = pd.Series(new, index=out.index, dtype=object)
    out["site_km"] = km
    return out


def match_events(
    left: pd.DataFrame, right: pd.DataFrame | None = None, *, days: int = 1, km: float = 10
):
    """Find pairs of events close in date and place, with their day gap and distance.

    One function for three jobs: duplicates within one table (``right`` omitted or the same
    table: each pair once, no row with itself), candidates from :func:`extract_events` against
    the dataset, and curated events against ACLED or UCDP rows
    (:func:`toolkit.read_acled`, :func:`toolkit.read_ucdp_ged`).

    Rows without a ``site_id`` first get one by :func:`assign_sites` (a point
    within a site's radius: 1.5 km of a diplomatic compound, 5 km of a base or airfield), so an
    ACLED row at "Ain al-Asad" and a curated row with ``site_id`` ``ain_al_asad`` compare as the
    same site. Two rows with the same ``site_id`` are 0 km apart; otherwise the great-circle
    distance between their points is used. Rows without a date never match; rows without a
    point and without a shared site never match.

    Parameters
    ----------
    left, right : pandas.DataFrame
        Tables with ``date`` and ``latitude``/``longitude`` or point ``geometry``; ``site_id``,
        ``event_id`` and ``event_type`` are used when present.
    days : int, default 1
        Largest day gap of a pair (reports a day late are common).
    km : float, default 10
        Largest distance of a pair.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``left``, ``right`` (index labels), ``left_id``, ``right_id``
        (``event_id`` when the tables have it), ``day_gap`` (absolute, days), ``km``,
        ``same_site`` and ``same_type`` (event types equal, NA when unknown), sorted by day gap
        then distance.

    Raises
    ------
    FormatError
        ``days`` is not an integer >= 0, ``km`` is not a number >= 0, or a table has no
        ``date`` column.

    Examples
    --------
    >>> import toolkit
    >>> report = "A drone struck Tower 22 in Jordan early Sunday, the Pentagon said."
    >>> candidates = toolkit.extract_events(report, "2024-01-29")
    >>> pairs = toolkit.match_events(candidates, toolkit.load_events(), days=0)
    >>> pairs[["right_id", "day_gap", "km", "same_site"]].values.tolist()
    [['A2024-0043', 0, 0.0, True]]
    """
    if not isinstance(days, (int, np.integer)) or days < 0:
        raise FormatError(f"match_events: days={days!r} (expected an integer >= 0)")
    if not isinstance(km, (int, float)) or km < 0:
        raise FormatError(f"match_events: km={km!r} (expected a number >= 0)")
    for name, df in (("left", left), ("right", right)):
        if df is not None and "date" not in df:
            raise FormatError(
                f"match_events: {name} has no 'date' column (columns: {list(df.columns)})"
            )
    within = right is None or right is left
    if right is None:
        right = left
    right = assign_sites(right) if len(right) else right.assign(site_id=None)
    if within:
        left = right
    elif len(left):
        left = assign_sites(left)
    ld = pd.to_datetime(left["date"], errors="coerce").to_numpy("datetime64[D]")
    rd = pd.to_datetime(right["date"], errors="coerce").to_numpy("datetime64[D]")
    llat, llon = _coords(left)
    rlat, rlon = _coords(right)
    lsite = (
        left["site_id"].astype(object).where(left["site_id"].notna(), None).to_numpy()
        if "site_id" in left
        else np.full(len(left), None)
    )
    rsite = right["site_id"].astype(object).where(right["site_id"].notna(), None).to_numpy()
    order = np.argsort(rd.astype("int64"), kind="stable")
    rsorted = rd[order].astype("int64")
    pairs = []
    for i in range(len(left)):
        if np.isnat(ld[i]):
            continue
        day = ld[i].astype("int64")
        lo = np.searchsorted(rsorted, day - days, side="left")
        hi = np.searchsorted(rsorted, day + days, side="right")
        for j in order[lo:hi]:
            if within and j <= i:
                continue
            if np.isnat(rd[j]):
                continue
            same = lsite[i] not in (None, "") and lsite[i] == rsite[j]
            dist = 0.0 if same else float(_haversine(llat[i], llon[i], rlat[j], rlon[j]))
            if not same and not (dist <= km):
                continue
            pairs.append((i, int(j), abs(int(rd[j].astype("int64") - day)), dist, same))
    lid = left["event_id"].to_numpy(object) if "event_id" in left else np.full(len(left), None)
    rid = right["event_id"].to_numpy(object) if "event_id" in right else np.full(len(right), None)
    ltype = left["event_type"].astype(object).to_numpy() if "event_type" in left else None
    rtype = right["event_type"].astype(object).to_numpy() if "event_type" in right else None
    out = pd.DataFrame(
        {
            "left": [left.index[i] for i, *_ in pairs],
            "right": [right.index[j] for _, j, *_ in pairs],
            "left_id": [lid[i] for i, *_ in pairs],
            "right_id": [rid[j] for _, j, *_ in pairs],
            "day_gap": pd.array([p[2] for p in pairs], dtype="int64"),
            "km": pd.array([round(p[3], 3) for p in pairs], dtype="float64"),
            "same_site": pd.array([p[4] for p in pairs], dtype="bool"),
            "same_type": pd.array(
                [
                    None
                    if ltype is None or rtype is None or pd.isna(ltype[i]) or pd.isna(rtype[j])
                    else ltype[i] == rtype[j]
                    for i, j, *_ in pairs
                ],
                dtype="boolean",
            ),
        }
    )
    return out.sort_values(["day_gap", "km"], kind="stable").reset_index(drop=True)
