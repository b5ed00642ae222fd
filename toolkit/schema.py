"""The canonical tables: their columns, types, allowed values, and validation.

Each table is described once, here, by a list of :class:`Column`. The loaders in
:mod:`toolkit.datasets` read the CSV files as text, validate them against these descriptions
(reporting every problem at once, with file, row, column, value and what is accepted), and only
then convert them to proper dtypes. ``data/README.md`` documents the same columns; a test checks
that the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DataValidationError, FormatError, Problem

__all__ = [
    "CAMPAIGN_START",
    "COUNTRY_BOUNDS",
    "EVENTS",
    "EVENT_SOURCES",
    "GROUPS",
    "KEY_EVENTS",
    "OFFICIAL_COUNTS",
    "PERIOD_END",
    "PERIOD_START",
    "Column",
    "check_count_scopes",
    "check_group_ids",
    "check_groups",
    "split_ids",
    "validate_events",
    "validate_table",
]

PERIOD_START = pd.Timestamp("2019-10-01")
PERIOD_END = pd.Timestamp("2026-12-31")
# The Pentagon's counting start for the campaign of the Islamic Resistance in Iraq. Attacks on US
# forces in Syria and Jordan are in scope for the whole study period (issue 12): the same groups
# attacked al-Omar, Conoco, al-Tanf and Rumalyn from 2019.
CAMPAIGN_START = pd.Timestamp("2023-10-17")

# Generous bounding boxes (west, south, east, north) used when the boundary files are absent;
# with them, coordinates are checked against the country polygons.
COUNTRY_BOUNDS = {
    "Iraq": (38.7, 29.0, 48.7, 37.5),
    "Syria": (35.6, 32.3, 42.5, 37.4),
    "Jordan": (34.8, 29.1, 39.4, 33.4),
}

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EVENT_ID_RE = re.compile(r"^(A|S)\d{4}-\d{4}$")
# Rows loaded from ACLED, GDELT or UCDP keep the source's id behind its name: ACLED:IRQ1234.
EXTERNAL_ID_RE = re.compile(r"^[A-Za-z][A-Za-z ]*:\S+$")
URL_RE = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    ``kind`` is one of ``str``, ``date``, ``int``, ``float``, ``bool``, ``category``;
    ``required`` means the value may not be empty; ``allowed`` lists the accepted values of a
    category column.
    """

    name: str
    kind: str
    description: str
    required: bool = True
    allowed: tuple[str, ...] = ()


DATE_PRECISIONS = ("day", "week", "month")
EVENT_TYPES = ("attack", "us_strike")
COUNTRIES = ("Iraq", "Syria", "Jordan")
GEO_PRECISIONS = ("site", "town", "district", "governorate", "country")
TARGET_TYPES = (
    "diplomatic",
    "military_base",
    "airport",
    "logistics_convoy",
    "contractor",
    "personnel",
    "militia",
    "other",
)
WEAPONS = (
    "rocket",
    "mortar",
    "drone",
    "ied",
    "missile",
    "small_arms",
    "storming",
    "mixed",
    "unknown",
    "airstrike",
)
KEY_EVENT_CATEGORIES = (
    "protest",
    "strike",
    "killing",
    "political",
    "diplomatic",
    "ceasefire",
    "military",
    "other",
)
COUNT_METRICS = ("attacks", "injured", "tbi", "killed")
COUNT_QUALIFIERS = ("exact", "at_least", "more_than", "about")
COUNT_SOURCE_TYPES = ("official", "monitor", "media", "militia_claim")
COUNT_SCOPES = ("Iraq", "Syria", "Jordan", "unspecified")
COUNT_PEOPLE = ("us_service_members", "us_personnel", "coalition", "anyone")
GROUP_KINDS = ("umbrella", "armed_group", "front_group", "state", "state_force", "generic")
GROUP_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# What kind of source a report is (data/README.md defines each with examples).
SOURCE_KINDS = (
    "us_official",
    "iraqi_official",
    "kurdish_official",
    "wire",
    "independent_media",
    "party_media",
    "militia_claim",
    "monitor",
    "mirror",
)
# The agency or outlet whose report a republication or mirror carries, and that original's kind;
# a mirror counts for an event's evidence as its original would (toolkit/evidence.py).
ORIGINAL_KINDS = {
    "AP": "wire",
    "AFP": "wire",
    "Reuters": "wire",
    "U.S. Department of Defense": "us_official",
    "CJTF-OIR": "us_official",
    "SOHR": "monitor",
    "ISW": "monitor",
    "AAP": "independent_media",
    "ANI": "independent_media",
    "Al Arabiya": "independent_media",
    "Al Jazeera": "independent_media",
    "Al-Araby Al-Jadeed": "independent_media",
    "Al-Dostor": "independent_media",
    "Al-Ittihad": "independent_media",
    "Al-Monitor": "independent_media",
    "American Military News": "independent_media",
    "Anadolu": "independent_media",
    "Antiwar.com": "independent_media",
    "Asharq Al-Awsat": "independent_media",
    "Baghdad Today": "independent_media",
    "BasNews": "independent_media",
    "CNN": "independent_media",
    "Daily Caller News Foundation": "independent_media",
    "Defense One": "independent_media",
    "dpa": "independent_media",
    "Euronews": "independent_media",
    "Fox News": "independent_media",
    "Gulf Times": "independent_media",
    "ILKHA": "independent_media",
    "Iran International": "independent_media",
    "KUNA": "independent_media",
    "Kurdistan24": "independent_media",
    "NBC News": "independent_media",
    "New York Post": "independent_media",
    "Newsweek": "independent_media",
    "NPR": "independent_media",
    "One America News": "independent_media",
    "Orient News": "independent_media",
    "Rudaw": "independent_media",
    "Shafaq News": "independent_media",
    "Sky News Arabia": "independent_media",
    "Stars and Stripes": "independent_media",
    "The Cradle": "independent_media",
    "The Epoch Times": "independent_media",
    "The Jerusalem Post": "independent_media",
    "The Media Line": "independent_media",
    "The National": "independent_media",
    "The New Arab": "independent_media",
    "The New York Times": "independent_media",
    "The Telegraph": "independent_media",
    "The Washington Post": "independent_media",
    "UPI": "independent_media",
    "Voice of America": "independent_media",
    "Xinhua": "independent_media",
    "Al Mayadeen": "party_media",
    "Fars": "party_media",
    "Mehr News": "party_media",
    "Press TV": "party_media",
    "RT": "party_media",
    "SANA": "party_media",
    "SouthFront": "party_media",
    "Sputnik": "party_media",
    "Yamanyoon": "party_media",
    "CENTCOM": "us_official",
    "TASS": "party_media",
    "Breitbart": "independent_media",
    "CBS News": "independent_media",
    "Air & Space Forces Magazine": "independent_media",
    "The Wall Street Journal": "independent_media",
    "Al-Sumaria": "independent_media",
    "GB News": "independent_media",
}
WIRE_AGENCIES = ("AP", "AFP", "Reuters")
# Whose official a source quotes, by name or office, confirming the event happened.
OFFICIALS_QUOTED = ("us", "iraqi", "kurdish")
# An event's evidence level, weakest first (derived from its sources by toolkit/evidence.py).
EVIDENCE_LEVELS = ("claimed", "reported", "confirmed_official", "confirmed_us")

EVENTS = [
    Column("event_id", "str", "Stable identifier: A (attack) or S (US strike), year, number."),
    Column(
        "date", "date", "Day of the event; with week or month precision, the window's first day."
    ),
    Column(
        "date_precision",
        "category",
        "day; week (within 7 days from date); month (within the calendar month).",
        allowed=DATE_PRECISIONS,
    ),
    Column("date_note", "str", "How the date was resolved from the sources.", required=False),
    Column("event_type", "category", "attack or us_strike.", allowed=EVENT_TYPES),
    Column("country", "category", "Iraq, Syria or Jordan.", allowed=COUNTRIES),
    Column("admin1", "str", "Governorate or province.", required=False),
    Column(
        "admin1_pcode",
        "str",
        "OCHA COD-AB P-code of the governorate (Iraq only; from the point, by "
        "scripts/place_events.py).",
        required=False,
    ),
    Column(
        "admin2",
        "str",
        "District holding the point (Iraq: COD-AB; Syria: Who's On First); empty at governorate "
        "or country precision.",
        required=False,
    ),
    Column("admin2_pcode", "str", "COD-AB P-code of the district (Iraq only).", required=False),
    Column(
        "admin3",
        "str",
        "Sub-district (nahiya) holding the point (Iraq only); empty at district precision or "
        "coarser.",
        required=False,
    ),
    Column("admin3_pcode", "str", "COD-AB P-code of the sub-district (Iraq only).", required=False),
    Column("location", "str", "The place as the sources name it."),
    Column("site_id", "str", "Named site in data/places.csv, when there is one.", required=False),
    Column("latitude", "float", "WGS84 latitude at geo_precision.", required=False),
    Column("longitude", "float", "WGS84 longitude at geo_precision.", required=False),
    Column(
        "geo_precision",
        "category",
        "site, town, district, governorate or country.",
        allowed=GEO_PRECISIONS,
    ),
    Column("target_type", "category", "What was hit or aimed at.", allowed=TARGET_TYPES),
    Column("weapon", "category", "Means of attack (airstrike: US strikes only).", allowed=WEAPONS),
    Column("projectiles", "int", "Rockets, drones or missiles, best-supported.", required=False),
    Column("projectiles_max", "int", "Highest figure another source gives.", required=False),
    Column(
        "killed",
        "int",
        "People killed: the latest official figure, else best-supported; empty = not reported.",
        required=False,
    ),
    Column("killed_max", "int", "Highest figure another source gives.", required=False),
    Column(
        "injured",
        "int",
        "People injured: the latest official figure, else best-supported; empty = not reported.",
        required=False,
    ),
    Column("injured_max", "int", "Highest figure another source gives.", required=False),
    Column(
        "figures_disputed",
        "bool",
        "Sources disagree on a figure (count, killed, injured); each source's figures are in "
        "event_sources.csv.",
    ),
    Column(
        "figures_note",
        "str",
        "Where killed and injured come from when they were revised or are not simple: the latest "
        "official figure and its source, first reports, deaths not caused by the attack.",
        required=False,
    ),
    Column(
        "claimed_by",
        "str",
        "Group ids (data/groups.csv) of who claimed it, separated by ';'; empty = no claim found.",
        required=False,
    ),
    Column(
        "attributed_to",
        "str",
        "Group ids of who was blamed by others (officials, or monitors named in claim_note), "
        "separated by ';'; for a US strike, who carried it out (united_states).",
        required=False,
    ),
    Column(
        "claim_note",
        "str",
        "Who claimed or blamed, in which words and per which source, in our words.",
        required=False,
    ),
    Column("us_confirmed", "bool", "A US official confirmed the attack.", required=False),
    Column("summary", "str", "What happened, in our words, 30 words at most."),
]

EVENT_SOURCES = [
    Column("event_id", "str", "The event this source reports."),
    Column("outlet", "str", "Publisher."),
    Column(
        "title",
        "str",
        "Headline or document title; empty when the stored copy shows none.",
        required=False,
    ),
    Column("published", "date", "Publication date.", required=False),
    Column("url", "str", "Address of the report."),
    Column(
        "says", "str", "What this source states, in our words; its own figures.", required=False
    ),
    Column(
        "source_kind",
        "category",
        "What kind of source the outlet is (defined below the table).",
        allowed=SOURCE_KINDS,
    ),
    Column(
        "original",
        "category",
        "For a wire republication or a mirror: the agency or outlet whose report it carries; "
        "else empty.",
        required=False,
        allowed=tuple(ORIGINAL_KINDS),
    ),
    Column(
        "relays_claim",
        "bool",
        "The source reports the event only on the word of a claim (a militia statement) or of "
        "party media of a side, not on any other basis.",
    ),
    Column(
        "official_quoted",
        "category",
        "Whose official (by name or office) the source quotes confirming the event: us, iraqi "
        "or kurdish; empty when none.",
        required=False,
        allowed=OFFICIALS_QUOTED,
    ),
]

# The grading columns of event_sources.csv (data/README.md, toolkit/evidence.py).
GRADING = ("source_kind", "original", "relays_claim", "official_quoted")

KEY_EVENTS = [
    Column("key_event_id", "str", "Stable identifier, K and a number."),
    Column("date", "date", "Day of the event (first day of the window if coarser)."),
    Column("date_precision", "category", "day, week or month.", allowed=DATE_PRECISIONS),
    Column("category", "category", "Kind of turning point.", allowed=KEY_EVENT_CATEGORIES),
    Column("description", "str", "One line, in our words."),
    Column("outlet", "str", "Publisher of the source."),
    Column("title", "str", "Headline of the source; empty when none is known.", required=False),
    Column("published", "date", "Publication date of the source.", required=False),
    Column("url", "str", "Address of the source."),
]

OFFICIAL_COUNTS = [
    Column("count_id", "str", "Stable identifier, C and a number."),
    Column("as_of", "date", "Date the tally refers to."),
    Column("since", "date", "Start of the tally.", required=False),
    Column("metric", "category", "attacks, injured, tbi or killed.", allowed=COUNT_METRICS),
    Column(
        "scope",
        "str",
        "Countries covered, separated by ';' (e.g. Iraq;Syria); unspecified when the source "
        "says only 'the region'.",
    ),
    Column(
        "scope_weapons",
        "str",
        "Weapons the tally counts, separated by ';' (values of events.weapon); empty = all.",
        required=False,
    ),
    Column(
        "scope_targets",
        "str",
        "Targets the tally counts, separated by ';' (values of events.target_type); empty = all "
        "US forces and sites.",
        required=False,
    ),
    Column(
        "scope_sites",
        "str",
        "Sites the tally counts, separated by ';' (place ids of data/places.csv); empty = all.",
        required=False,
    ),
    Column(
        "scope_people",
        "category",
        "Who is counted in a casualty tally: us_service_members, us_personnel (troops and "
        "civilians), coalition, or anyone (Iraqis too); empty for attack tallies.",
        required=False,
        allowed=COUNT_PEOPLE,
    ),
    Column("scope_note", "str", "What the tally counts, in our words."),
    Column(
        "scope_gap",
        "str",
        "What the tally counts that the dataset cannot select (compare_to_official reports it); "
        "empty when the scope columns say it all.",
        required=False,
    ),
    Column("value", "int", "The number stated."),
    Column(
        "qualifier",
        "category",
        "How the number was put: exact, at_least, more_than or about.",
        allowed=COUNT_QUALIFIERS,
    ),
    Column("speaker", "str", "Who stated it."),
    Column(
        "source_type",
        "category",
        "official (a government or military spokesperson), monitor (e.g. SOHR), media tally, or "
        "militia_claim (a group's own count of its operations, never official).",
        allowed=COUNT_SOURCE_TYPES,
    ),
    Column("outlet", "str", "Publisher of the source."),
    Column("title", "str", "Headline of the source; empty when none is known.", required=False),
    Column("published", "date", "Publication date of the source.", required=False),
    Column("url", "str", "Address of the source."),
    Column("note", "str", "Qualifiers ('at least', what is counted).", required=False),
]

GROUPS = [
    Column("group_id", "str", "Stable identifier used in events.claimed_by and attributed_to."),
    Column("name", "str", "Usual English name."),
    Column(
        "kind",
        "category",
        "umbrella (a banner over several groups), armed_group, front_group (a name used for "
        "claims), state, state_force, or generic (an unnamed or unidentified actor).",
        allowed=GROUP_KINDS,
    ),
    Column(
        "aliases",
        "str",
        "Other spellings and names, Latin and Arabic script, separated by a vertical bar.",
        required=False,
    ),
    Column("umbrella", "str", "group_id of the banner it claims under.", required=False),
    Column(
        "us_fto_date",
        "date",
        "Date of the US Foreign Terrorist Organization designation.",
        required=False,
    ),
    Column("us_fto_outlet", "str", "Publisher of the source for it.", required=False),
    Column("us_fto_title", "str", "Title of that source (empty if unknown).", required=False),
    Column("us_fto_published", "date", "Publication date of that source.", required=False),
    Column("us_fto_url", "str", "Address of that source.", required=False),
    Column(
        "us_sdgt_date",
        "date",
        "Date of the US Specially Designated Global Terrorist listing.",
        required=False,
    ),
    Column("us_sdgt_outlet", "str", "Publisher of the source for it.", required=False),
    Column("us_sdgt_title", "str", "Title of that source (empty if unknown).", required=False),
    Column("us_sdgt_published", "date", "Publication date of that source.", required=False),
    Column("us_sdgt_url", "str", "Address of that source.", required=False),
    Column("designation_note", "str", "Details of the designations, in our words.", required=False),
    Column("note", "str", "Who the group is, in our words."),
    Column(
        "source_urls",
        "str",
        "Sources for the names and note, separated by a vertical bar.",
        required=False,
    ),
]

TRUE_VALUES = {"true", "True", "TRUE", "1", "yes"}
FALSE_VALUES = {"false", "False", "FALSE", "0", "no"}


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_text(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _check_value(column: Column, value: object) -> str | None:
    """Return what would be accepted when ``value`` is wrong for ``column``, else None."""
    if _is_blank(value):
        return "is empty (a value is required)" if column.required else None
    if column.kind == "date":
        if isinstance(value, pd.Timestamp):
            return None
        text = _as_text(value)
        if not DATE_RE.match(text) or pd.isna(pd.to_datetime(text, errors="coerce")):
            return "is not a date (expected YYYY-MM-DD)"
    elif column.kind == "int":
        text = _as_text(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not text.isdigit():
            return "is not a whole number >= 0 (expected e.g. 0, 3, 12; empty when not reported)"
    elif column.kind == "float":
        try:
            float(_as_text(value))
        except ValueError:
            return "is not a number (expected decimal degrees, e.g. 33.30)"
    elif column.kind == "bool":
        if isinstance(value, bool) or _as_text(value) in TRUE_VALUES | FALSE_VALUES:
            return None
        return "is not true or false (expected true, false or empty)"
    elif column.kind == "category" and _as_text(value) not in column.allowed:
        return f"is not an accepted value (expected one of: {', '.join(column.allowed)})"
    return None


def _row_labels(df: pd.DataFrame, line_numbers: bool) -> list[object]:
    # A file read by the toolkit reports CSV line numbers (header = line 1).
    if line_numbers:
        return [i + 2 for i in range(len(df))]
    return list(df.index)


def validate_table(
    df: pd.DataFrame, columns: list[Column], *, file: str, line_numbers: bool = False
) -> list[Problem]:
    """Check every value of ``df`` against ``columns``; return every problem found."""
    problems: list[Problem] = []
    missing = [c.name for c in columns if c.name not in df.columns]
    if missing:
        found = ", ".join(map(str, df.columns))
        problems.append(
            Problem(file, None, ", ".join(missing), None, f"missing column(s); found: {found}")
        )
    rows = _row_labels(df, line_numbers)
    for column in columns:
        if column.name not in df.columns:
            continue
        for row, value in zip(rows, df[column.name].tolist(), strict=True):
            expected = _check_value(column, value)
            if expected:
                problems.append(Problem(file, row, column.name, value, expected))
    return problems


def _dates(series: pd.Series) -> pd.Series:
    return pd.to_datetime(
        series.map(lambda v: None if _is_blank(v) else _as_text(v)),
        errors="coerce",
        format="%Y-%m-%d",
    )


def _numbers(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.map(lambda v: None if _is_blank(v) else v), errors="coerce")


def _country_check(countries, latitudes, longitudes):
    """Yield (index, country) for coordinates outside their country."""
    from .datasets import _country_shapes  # local import: only when coordinates are checked

    shapes = _country_shapes()
    for i, (country, lat, lon) in enumerate(zip(countries, latitudes, longitudes, strict=True)):
        if pd.isna(lat) or pd.isna(lon) or country not in COUNTRY_BOUNDS:
            continue
        if shapes is not None and country in shapes:
            from shapely import Point

            # 0.05 degrees (~5 km) of slack: the shipped boundaries are simplified.
            if not shapes[country].buffer(0.05).contains(Point(lon, lat)):
                yield i, country
        else:
            west, south, east, north = COUNTRY_BOUNDS[country]
            if not (west <= lon <= east and south <= lat <= north):
                yield i, country


def _read_csv_text(path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise FormatError(f"{path}: file not found")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def validate_events(
    events: pd.DataFrame | str | Path,
    sources: pd.DataFrame | str | Path | None = None,
    *,
    file: str = "events",
    sources_file: str = "event_sources",
    site_ids: Iterable[str] | None = None,
    line_numbers: bool = False,
    raise_errors: bool = True,
    external: bool = False,
    group_ids: Iterable[str] | None = None,
) -> list[Problem]:
    """Validate an events table (and its sources table, when given).

    Checks types and allowed values of every column, that dates fall inside the study period
    (2019-10-01 to 2026-12-31), that coordinates fall inside the country, that ids are unique,
    that every event is cited by at least one source, that every source points at an existing
    event, and that each ``*_max`` is not below its best figure.
    The sources' grading is checked too (allowed ``source_kind`` and ``original``, a wire source
    naming its agency, no US confirmation for an event whose ``us_confirmed`` is false, a source
    carrying it for one whose ``us_confirmed`` is true, and an ``evidence`` column, when
    present, equal to the level the sources give; see :mod:`toolkit.evidence`).

    ``events`` and ``sources`` may be DataFrames or paths to CSV files; a file is read as text
    and its problems are reported by CSV line number (the header is line 1).

    ``group_ids`` (e.g. ``toolkit.load_groups()["group_id"]``) checks that ``claimed_by`` and
    ``attributed_to`` hold only those ids, separated by ';'.

    ``external=True`` validates rows loaded from another dataset (``toolkit.read_acled``,
    ``read_gdelt``, ``read_ucdp_ged``): event ids are the source's own behind its name
    (``ACLED:IRQ1234``, ``GDELT:1234``, ``UCDP:245037``) and ``summary`` is the source's text,
    so its length is not checked; every other rule applies (study period, country scope, ...).

    Returns the list of problems (empty when the table is valid). With ``raise_errors=True``
    (the default) a non-empty list raises :class:`DataValidationError` listing all of them.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> toolkit.validate_events(events, toolkit.load_event_sources())
    []
    """
    if isinstance(events, (str, Path)):
        file, line_numbers = str(events), True
        events = _read_csv_text(events)
    if isinstance(sources, (str, Path)):
        sources_file = str(sources)
        sources = _read_csv_text(sources)
    problems = validate_table(events, EVENTS, file=file, line_numbers=line_numbers)

    def report(where: str, row: object, column: str, value: object, expected: str) -> None:
        problems.append(Problem(where, row, column, value, expected))

    rows = _row_labels(events, line_numbers)
    cols = set(events.columns)

    if "event_id" in cols:
        ids = events["event_id"].map(_as_text)
        seen: dict[str, object] = {}
        for row, event_id in zip(rows, ids, strict=True):
            if external and event_id and not EXTERNAL_ID_RE.match(event_id):
                report(
                    file,
                    row,
                    "event_id",
                    event_id,
                    "is not a source event id (expected e.g. ACLED:IRQ1234 or GDELT:564111644)",
                )
            elif not external and event_id and not EVENT_ID_RE.match(event_id):
                report(
                    file,
                    row,
                    "event_id",
                    event_id,
                    "is not an event id (expected e.g. A2020-0001 or S2024-0003)",
                )
            if event_id in seen:
                report(
                    file,
                    row,
                    "event_id",
                    event_id,
                    f"is a duplicate (first used in row {seen[event_id]})",
                )
            else:
                seen[event_id] = row

    if {"date", "event_type", "country"} <= cols:
        dates = _dates(events["date"])
        for row, date, event_type, country in zip(
            rows,
            dates,
            events["event_type"].map(_as_text),
            events["country"].map(_as_text),
            strict=True,
        ):
            if pd.isna(date):
                continue
            if not PERIOD_START <= date <= PERIOD_END:
                report(
                    file,
                    row,
                    "date",
                    date.strftime("%Y-%m-%d"),
                    f"is outside the study period "
                    f"({PERIOD_START:%Y-%m-%d} to {PERIOD_END:%Y-%m-%d})",
                )
            if event_type == "us_strike" and country == "Jordan":
                report(
                    file,
                    row,
                    "country",
                    country,
                    "is not a US strike country (expected Iraq or Syria)",
                )
        if "date_precision" in cols:
            for row, date, precision in zip(
                rows, dates, events["date_precision"].map(_as_text), strict=True
            ):
                if precision == "month" and not pd.isna(date) and date.day != 1:
                    report(
                        file,
                        row,
                        "date",
                        date.strftime("%Y-%m-%d"),
                        "must be the first of the month when date_precision is month",
                    )

    if {"weapon", "event_type"} <= cols:
        for row, weapon, event_type in zip(
            rows, events["weapon"].map(_as_text), events["event_type"].map(_as_text), strict=True
        ):
            if weapon == "airstrike" and event_type != "us_strike":
                report(
                    file,
                    row,
                    "weapon",
                    weapon,
                    "is only for us_strike rows (expected rocket, mortar, drone, "
                    "ied, missile, small_arms, storming, mixed or unknown)",
                )

    for base in ("projectiles", "killed", "injured"):
        if {base, f"{base}_max"} <= cols:
            low, high = _numbers(events[base]), _numbers(events[f"{base}_max"])
            for row, lo, hi in zip(rows, low, high, strict=True):
                if pd.notna(hi) and (pd.isna(lo) or hi < lo):
                    report(
                        file,
                        row,
                        f"{base}_max",
                        hi,
                        f"must be >= {base} ({lo}) and needs {base} set",
                    )

    if {"latitude", "longitude", "country"} <= cols:
        lats, lons = _numbers(events["latitude"]), _numbers(events["longitude"])
        for row, lat, lon in zip(rows, lats, lons, strict=True):
            if pd.isna(lat) != pd.isna(lon):
                report(
                    file,
                    row,
                    "latitude/longitude",
                    (lat, lon),
                    "must both be given or both be empty",
                )
        for i, country in _country_check(
            events["country"].map(_as_text).tolist(), lats.tolist(), lons.tolist()
        ):
            report(
                file,
                rows[i],
                "latitude/longitude",
                (lats.iloc[i], lons.iloc[i]),
                f"is outside {country} (expected a point inside the country)",
            )

    if "summary" in cols and not external:
        for row, summary in zip(rows, events["summary"], strict=True):
            if not _is_blank(summary) and len(_as_text(summary).split()) > 30:
                report(
                    file,
                    row,
                    "summary",
                    _as_text(summary)[:60] + "...",
                    "has more than 30 words (expected a short own-words summary)",
                )

    if site_ids is not None and "site_id" in cols:
        known = set(site_ids)
        for row, site in zip(rows, events["site_id"], strict=True):
            if not _is_blank(site) and _as_text(site) not in known:
                report(file, row, "site_id", site, "is not a place_id in data/places.csv")

    if sources is not None:
        source_columns = EVENT_SOURCES
        if external:
            # rows from ACLED, GDELT or UCDP carry no grading of their own (source_kind...)
            source_columns = [
                c for c in EVENT_SOURCES if c.name in sources.columns or c.name not in GRADING
            ]
        problems += validate_table(
            sources, source_columns, file=sources_file, line_numbers=line_numbers
        )
        if "event_id" in cols and "event_id" in sources.columns:
            source_rows = _row_labels(sources, line_numbers)
            event_ids = set(events["event_id"].map(_as_text))
            cited = set(sources["event_id"].map(_as_text))
            for row, event_id in zip(source_rows, sources["event_id"].map(_as_text), strict=True):
                if event_id and event_id not in event_ids:
                    report(sources_file, row, "event_id", event_id, f"points at no event in {file}")
            for row, event_id in zip(rows, events["event_id"].map(_as_text), strict=True):
                if event_id and event_id not in cited:
                    report(
                        file, row, "event_id", event_id, f"is cited by no source in {sources_file}"
                    )
        if "url" in sources.columns:
            for row, url in zip(_row_labels(sources, line_numbers), sources["url"], strict=True):
                if not _is_blank(url) and not URL_RE.match(_as_text(url)):
                    report(
                        sources_file,
                        row,
                        "url",
                        url,
                        "is not a web address (expected http:// or https://)",
                    )

        # graded sources against their events (toolkit/evidence.py); local import: no cycle
        from .evidence import evidence_problems

        problems += evidence_problems(
            events,
            sources,
            rows=rows,
            source_rows=_row_labels(sources, line_numbers),
            file=file,
            sources_file=sources_file,
        )

    if group_ids is not None:
        problems += check_group_ids(events, group_ids, file=file, line_numbers=line_numbers)

    if problems and raise_errors:
        raise DataValidationError(problems)
    return problems


PHASES = [
    Column("phase_id", "str", "Stable identifier, P and a number, in time order."),
    Column("name", "str", "Name of the phase."),
    Column("label", "str", "Short name for figure labels."),
    Column("start", "date", "First day of the phase (inclusive)."),
    Column("end", "date", "Last day of the phase (inclusive)."),
    Column("description", "str", "What happened in the phase, in our words."),
    Column("start_ref", "str", "Key event (K...) or event (A/S...) that opens the phase."),
    Column("start_outlet", "str", "Publisher of the source for the opening event."),
    Column(
        "start_title", "str", "Headline of that source; empty when none is known.", required=False
    ),
    Column("start_published", "date", "Publication date of that source.", required=False),
    Column("start_url", "str", "Address of that source."),
    Column("end_ref", "str", "Key event that closes the phase (the next phase opens with it)."),
    Column("end_outlet", "str", "Publisher of the source for the closing event."),
    Column(
        "end_title", "str", "Headline of that source; empty when none is known.", required=False
    ),
    Column("end_published", "date", "Publication date of that source.", required=False),
    Column("end_url", "str", "Address of that source."),
    Column("boundary_note", "str", "How the boundaries were decided."),
]


def split_ids(value: object) -> list[str]:
    """The ids of a ';'-separated cell (claimed_by, attributed_to, scope_*), blanks dropped."""
    if _is_blank(value):
        return []
    return [part.strip() for part in _as_text(value).split(";") if part.strip()]


def check_group_ids(
    events: pd.DataFrame,
    group_ids: Iterable[str],
    *,
    file: str = "events",
    line_numbers: bool = False,
) -> list[Problem]:
    """Check that ``claimed_by`` and ``attributed_to`` hold only known group ids.

    Each cell is a ';'-separated list of ids from ``data/groups.csv`` (e.g.
    ``kataib_hezbollah;harakat_nujaba``); a name in free text, an unknown id or an id named
    twice in one cell is reported with the file, row, column and the ids accepted.
    """
    known = set(group_ids)
    problems: list[Problem] = []
    rows = _row_labels(events, line_numbers)
    for column in ("claimed_by", "attributed_to"):
        if column not in events.columns:
            continue
        for row, value in zip(rows, events[column].tolist(), strict=True):
            ids = split_ids(value)
            unknown = [i for i in ids if i not in known]
            if unknown:
                problems.append(
                    Problem(
                        file,
                        row,
                        column,
                        value,
                        f"holds unknown group id(s) {', '.join(map(repr, unknown))} (expected "
                        "ids of data/groups.csv separated by ';', e.g. "
                        "kataib_hezbollah;harakat_nujaba)",
                    )
                )
            elif len(set(ids)) != len(ids):
                problems.append(Problem(file, row, column, value, "names a group twice"))
    return problems


def check_groups(groups: pd.DataFrame, *, file: str = "groups", line_numbers: bool = False):
    """Validate a groups table: columns, id format, unique ids, known umbrellas, web addresses."""
    problems = validate_table(groups, GROUPS, file=file, line_numbers=line_numbers)
    if "group_id" not in groups.columns:
        return problems
    rows = _row_labels(groups, line_numbers)
    ids = groups["group_id"].map(_as_text).tolist()
    seen: dict[str, object] = {}
    for row, group_id in zip(rows, ids, strict=True):
        if group_id and not GROUP_ID_RE.match(group_id):
            problems.append(
                Problem(
                    file, row, "group_id", group_id, "is not an id (expected e.g. kataib_hezbollah)"
                )
            )
        if group_id in seen:
            problems.append(
                Problem(
                    file,
                    row,
                    "group_id",
                    group_id,
                    f"is a duplicate (first in row {seen[group_id]})",
                )
            )
        seen.setdefault(group_id, row)
    if "umbrella" in groups.columns:
        for row, group_id, umbrella in zip(
            rows, ids, groups["umbrella"].map(_as_text), strict=True
        ):
            if umbrella and (umbrella not in seen or umbrella == group_id):
                problems.append(
                    Problem(
                        file, row, "umbrella", umbrella, "is not another group_id of this table"
                    )
                )
    for kind in ("fto", "sdgt"):
        date, url = f"us_{kind}_date", f"us_{kind}_url"
        if {date, url} <= set(groups.columns):
            for row, when, where in zip(rows, groups[date], groups[url], strict=True):
                if not _is_blank(when) and not URL_RE.match(_as_text(where)):
                    problems.append(
                        Problem(file, row, url, where, f"must be a web address when {date} is set")
                    )
    if "source_urls" in groups.columns:
        for row, value in zip(rows, groups["source_urls"], strict=True):
            bad = [u for u in _as_text(value).split("|") if u and not URL_RE.match(u)]
            if not _is_blank(value) and bad:
                problems.append(
                    Problem(
                        file, row, "source_urls", value, "holds a part that is not a web address"
                    )
                )
    return problems


def check_count_scopes(
    counts: pd.DataFrame,
    *,
    site_ids: Iterable[str] | None = None,
    file: str = "official_counts",
    line_numbers: bool = False,
) -> list[Problem]:
    """Check the ';'-separated scope columns of a tallies table against the accepted values."""
    problems: list[Problem] = []
    rows = _row_labels(counts, line_numbers)
    accepted = {
        "scope": COUNT_SCOPES,
        "scope_weapons": tuple(w for w in WEAPONS if w != "airstrike"),
        "scope_targets": TARGET_TYPES,
        "scope_sites": tuple(sorted(site_ids)) if site_ids is not None else None,
    }
    for column, allowed in accepted.items():
        if column not in counts.columns or allowed is None:
            continue
        for row, value in zip(rows, counts[column].tolist(), strict=True):
            unknown = [v for v in split_ids(value) if v not in allowed]
            if unknown:
                shown = ", ".join(allowed) if len(allowed) < 20 else "place ids of data/places.csv"
                problems.append(
                    Problem(
                        file,
                        row,
                        column,
                        value,
                        f"holds {', '.join(map(repr, unknown))} (expected ';'-separated: {shown})",
                    )
                )
    return problems
