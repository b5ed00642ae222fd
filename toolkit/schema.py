"""The canonical tables: their columns, types, allowed values, and validation.

Each table is described once, here, by a list of :class:`Column`. The loaders in
:mod:`toolkit.datasets` read the CSV files as text, validate them against these descriptions
(reporting every problem at once, with file, row, column, value and what is accepted), and only
then convert them to proper dtypes. ``data/README.md`` documents the same columns; a test checks
that the two agree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    "outside_country",
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
    Column(
        "site_id", "str", "Named site in data/places.parquet, when there is one.", required=False
    ),
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
        "Sites the tally counts, separated by ';' (place ids of data/places.parquet); empty = all.",
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

# What each kind of column accepts, in the words of the error messages.
EXPECTED = {
    "date": "is not a date (expected YYYY-MM-DD)",
    "int": "is not a whole number >= 0 (expected e.g. 0, 3, 12; empty when not reported)",
    "float": "is not a number (expected decimal degrees, e.g. 33.30)",
    "bool": "is not true or false (expected true, false or empty)",
    "url": "is not a web address (expected http:// or https://)",
}


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


# ---------------------------------------------------------------------------------------------
# The validation engine: one pass of vector operations per column, driven by the Column lists.
# ---------------------------------------------------------------------------------------------


def _arrow(series: pd.Series) -> pa.ChunkedArray:
    """The values as a pyarrow array, without copying text already held by pyarrow."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = pa.array([str(c) for c in series.cat.categories], pa.string())
        codes = series.cat.codes.to_numpy()
        indices = pa.array(codes, mask=codes < 0)
        return pa.chunked_array([categories.take(indices)])
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return pa.chunked_array([pc.strftime(pa.array(series), format="%Y-%m-%d")])
    array = series.array
    if hasattr(array, "__arrow_array__"):
        data = pa.array(array)
    else:
        try:
            data = pa.array(series.to_numpy(dtype=object), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            data = pa.array(
                [None if _is_blank(v) else _as_text(v) for v in series], type=pa.string()
            )
    if not isinstance(data, pa.ChunkedArray):
        data = pa.chunked_array([data])
    if not (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        if pa.types.is_floating(data.type):  # numbers in an object column: 3.0 is 3
            data = pa.chunked_array(
                [
                    pa.array(
                        [
                            None
                            if _is_blank(v)
                            else _as_text(int(v) if float(v).is_integer() else v)
                            for v in series
                        ],
                        pa.string(),
                    )
                ]
            )
        else:
            data = data.cast(pa.string())
    return data


def _text(series: pd.Series) -> pa.ChunkedArray:
    """The values as stripped text (pyarrow); blanks are null."""
    data = _arrow(series)
    trimmed = pc.utf8_trim_whitespace(data)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, trimmed.type), trimmed)


def _mask(array) -> np.ndarray:
    """A pyarrow boolean array as numpy (null: False)."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _isin(text: pa.ChunkedArray, values) -> np.ndarray:
    return _mask(pc.is_in(text, value_set=pa.array(list(values), type=text.type)))


def _matches(text: pa.ChunkedArray, pattern: str, *, distinct: bool = False) -> np.ndarray:
    """Rows whose text matches ``pattern`` (RE2). ``distinct``: the column repeats few values
    (web addresses of one outlet, say), so each distinct value is matched once."""
    if distinct:
        encoded = pc.dictionary_encode(text).combine_chunks()
        hits = np.append(_mask(pc.match_substring_regex(encoded.dictionary, pattern)), False)
        indices = pc.fill_null(encoded.indices, len(encoded.dictionary))
        return hits[np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int64)]
    return _mask(pc.match_substring_regex(text, pattern))


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )


def _is_url(column: Column) -> bool:
    return column.name == "url" or column.name.endswith("_url")


def _fails(column: Column, series: pd.Series, text: pa.ChunkedArray | None) -> np.ndarray:
    """Rows whose (non-blank) value is not of ``column``'s kind or not allowed."""
    present = series.notna().to_numpy() if text is None else _mask(pc.is_valid(text))
    kind = column.kind
    none = np.zeros(len(series), dtype=bool)
    if kind == "date":
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            return none
        parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
        shaped = _matches(text, r"^\d{4}-\d{2}-\d{2}$")
        good = shaped & _mask(pc.is_valid(parsed))
        # pyarrow's strptime rolls 2020-02-30 over to 1 March: a date it puts on the 1st-3rd
        # of a month must say so itself
        early = good & _mask(pc.less_equal(pc.day(parsed), 3))
        if early.any():
            rows = np.flatnonzero(early)
            day = pc.utf8_slice_codeunits(text.take(pa.array(rows)), 8, 10)
            same = _mask(pc.equal(pc.cast(day, pa.int64()), pc.day(parsed.take(pa.array(rows)))))
            good[rows[~same]] = False
        return present & ~good
    if kind == "int":
        if _numeric(series):
            numbers = pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
            with np.errstate(invalid="ignore"):
                bad = (numbers < 0) | (numbers % 1 != 0)
            return bad & ~np.isnan(numbers) & present
        return present & ~_matches(text, r"^\d+$")
    if kind == "float":
        if _numeric(series):
            return none
        try:
            pc.cast(text, pa.float64())
            return none
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            numbers = pd.to_numeric(pd.Series(text.to_pandas()), errors="coerce")
            return present & numbers.isna().to_numpy()
    if kind == "bool":
        if pd.api.types.is_bool_dtype(series.dtype):
            return none
        return present & ~_isin(text, TRUE_VALUES | FALSE_VALUES)
    if kind == "category":
        return present & ~_isin(text, column.allowed)
    if _is_url(column):
        return present & ~_matches(text, URL_RE.pattern, distinct=True)
    return none


def _expected(column: Column) -> str:
    if column.kind == "category":
        return f"is not an accepted value (expected one of: {', '.join(column.allowed)})"
    if column.kind == "str" and (column.name == "url" or column.name.endswith("_url")):
        return EXPECTED["url"]
    return EXPECTED.get(column.kind, f"is not a valid {column.kind} value")


class _Report:
    """Collects problems from masks, reading values only for the failing rows."""

    def __init__(self, file: str, rows: np.ndarray):
        self.file, self.rows, self.problems = file, rows, []

    def add(self, mask, column: str, values, expected) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        positions = np.flatnonzero(mask)
        if isinstance(values, pd.Series):
            found = values.iloc[positions].tolist()
        elif isinstance(values, pa.ChunkedArray | pa.Array):
            found = values.take(pa.array(positions)).to_pylist()
        elif isinstance(values, np.ndarray):
            found = values[positions].tolist()
        else:
            found = [values[i] for i in positions]
        rows = self.rows[positions].tolist()
        file, messages = self.file, None
        if callable(expected):
            messages = [expected(i) for i in positions]
        append = self.problems.append
        for i, (row, value) in enumerate(zip(rows, found, strict=True)):
            if value is pd.NA or (isinstance(value, float) and value != value):
                value = None
            append(Problem(file, row, column, value, messages[i] if messages else expected))


class _Pairs:
    """(latitude, longitude) of a row, built only for the rows reported."""

    def __init__(self, lats: np.ndarray, lons: np.ndarray):
        self.lats, self.lons = lats, lons

    def __getitem__(self, i: int) -> tuple[float, float]:
        return (float(self.lats[i]), float(self.lons[i]))


def _row_labels(df: pd.DataFrame, line_numbers: bool) -> np.ndarray:
    # A file read by the toolkit reports CSV line numbers (header = line 1).
    if line_numbers:
        return np.arange(len(df)) + 2
    return np.asarray(df.index, dtype=object)


def validate_table(
    df: pd.DataFrame,
    columns: list[Column],
    *,
    file: str,
    line_numbers: bool = False,
    rows=None,
    key: str | None = None,
) -> list[Problem]:
    """Check every value of ``df`` against ``columns``; return every problem found.

    One vectorised pass per column: required values present, the column's kind (date
    ``YYYY-MM-DD``, whole number >= 0, number, true/false, one of ``allowed``), web addresses
    in ``url`` and ``*_url`` columns. Works on text read from a CSV file and on typed frames
    (datetimes, nullable integers, categoricals) alike, for any table described by a list of
    :class:`Column`. ``rows`` gives each row's label in the messages (default: CSV line
    numbers with ``line_numbers``, else the index labels); ``key`` names a column whose values
    must be unique.

    Parameters
    ----------
    df : pandas.DataFrame
        The table, as text (every column ``str``) or typed.
    columns : list of Column
        What each column holds (e.g. ``toolkit.schema.EVENTS``, ``toolkit.schema.PHASES``, or
        a list of your own).
    file : str
        Name of the table in the messages (usually its path).
    line_numbers : bool, default False
        Label rows by CSV line number (header = line 1) rather than by index label.
    rows : sequence, optional
        The label of each row in the messages (overrides ``line_numbers``).
    key : str, optional
        A column whose values must be unique.

    Returns
    -------
    list of Problem
        Every problem found (a missing column is one problem naming all missing columns);
        empty when the table is valid. Nothing is raised: pass the list to
        :class:`DataValidationError` to raise.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit
    >>> from toolkit.schema import Column
    >>> columns = [
    ...     Column("site_id", "str", "Where the rockets landed."),
    ...     Column("date", "date", "Day of the attack."),
    ...     Column("rockets", "int", "Rockets fired.", required=False),
    ... ]
    >>> table = pd.DataFrame(
    ...     {
    ...         "site_id": ["ain_al_asad", "erbil_air_base", "ain_al_asad"],
    ...         "date": ["2020-01-08", "2020-01-8", "2021-03-03"],
    ...         "rockets": ["", "-2", "10"],
    ...     }
    ... )
    >>> found = toolkit.validate_table(
    ...     table, columns, file="rockets.csv", line_numbers=True, key="site_id"
    ... )
    >>> for problem in found:
    ...     print(problem)
    rockets.csv row 3, column 'date': '2020-01-8' is not a date (expected YYYY-MM-DD)
    rockets.csv row 3, column 'rockets': '-2' is not a whole number >= 0 (expected ...)
    rockets.csv row 4, column 'site_id': 'ain_al_asad' is a duplicate (first used in row 2)
    >>> toolkit.validate_table(table.iloc[:1], columns, file="rockets.csv")
    []
    """
    problems: list[Problem] = []
    missing = [c.name for c in columns if c.name not in df.columns]
    if missing:
        found = ", ".join(map(str, df.columns))
        problems.append(
            Problem(file, None, ", ".join(missing), None, f"missing column(s); found: {found}")
        )
    labels = np.asarray(rows, dtype=object) if rows is not None else _row_labels(df, line_numbers)
    report = _Report(file, labels)
    for column in columns:
        if column.name not in df.columns:
            continue
        series = df[column.name]
        typed = _numeric(series) or pd.api.types.is_datetime64_any_dtype(series.dtype)
        typed = typed or pd.api.types.is_bool_dtype(series.dtype)
        if typed:
            text = None
            blank = series.isna().to_numpy()
        elif column.kind == "str" and not _is_url(column):
            # free text: only whether it is blank matters (no copy of long texts)
            text = _arrow(series)
            blank = _mask(pc.is_null(text)) | _mask(pc.equal(text, ""))
            blank |= _mask(pc.utf8_is_space(text))
        else:
            text = _text(series)
            blank = _mask(pc.is_null(text))
        if column.required:
            report.add(blank, column.name, series, "is empty (a value is required)")
        if text is not None:
            report.add(_fails(column, series, text), column.name, series, _expected(column))
        elif column.kind == "int" and _numeric(series):
            report.add(_fails(column, series, None), column.name, series, _expected(column))
    if key is not None and key in df.columns:
        _duplicates(report, _text(df[key]), key)
    return problems + report.problems


def _duplicates(report: _Report, ids: pa.ChunkedArray, column: str) -> None:
    codes = pc.fill_null(pc.dictionary_encode(ids).combine_chunks().indices, -1)
    codes = np.asarray(codes.to_numpy(zero_copy_only=False))
    _, first = np.unique(codes, return_index=True)
    first_of = np.zeros(codes.max() + 2 if len(codes) else 1, dtype=np.int64)
    first_of[codes[first]] = first
    repeated = (np.arange(len(codes)) != first_of[codes]) & (codes >= 0)
    if not repeated.any():
        return
    report.add(
        repeated,
        column,
        ids,
        lambda i: f"is a duplicate (first used in row {report.rows[int(first_of[codes[i]])]})",
    )


def _dates(series: pd.Series) -> np.ndarray:
    """Dates as ``datetime64[s]`` (NaT where blank or not a date; never rolled over)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.to_numpy().astype("datetime64[s]")
    text = _text(series)
    parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    values = parsed.to_numpy(zero_copy_only=False).astype("datetime64[s]")
    bad = _fails(Column("date", "date", ""), series, text)
    values[bad] = np.datetime64("NaT")
    return values


def _numbers(series: pd.Series) -> np.ndarray:
    if _numeric(series):
        return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    text = _text(series)
    try:
        return pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False).astype("float64")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = pd.to_numeric(pd.Series(text.to_pandas()), errors="coerce")
        return numbers.to_numpy(dtype="float64", na_value=np.nan)


@functools.cache
def _country_areas() -> dict:
    """Each in-scope country's polygon with 0.05 degrees (~5 km) of slack, prepared once.

    The slack allows for the simplified shipped boundaries. None when the file is absent
    (the generous boxes of :data:`COUNTRY_BOUNDS` are used instead).
    """
    import shapely

    from .datasets import _country_shapes  # local import: only when coordinates are checked

    shapes = _country_shapes()
    areas = {}
    for country in COUNTRY_BOUNDS:
        if shapes is not None and country in shapes:
            area = shapes[country].buffer(0.05)
            shapely.prepare(area)
            areas[country] = area
    return areas


def outside_country(countries, latitudes, longitudes) -> np.ndarray:
    """Rows whose coordinates fall outside their country (Iraq, Syria or Jordan).

    Vectorised: one ``shapely.contains_xy`` call per country on its prepared polygon, over the
    distinct coordinate pairs only. Rows without coordinates, or of other countries, are not
    outside.
    """
    import shapely

    countries = np.asarray(countries, dtype=object)
    lats = np.asarray(latitudes, dtype="float64")
    lons = np.asarray(longitudes, dtype="float64")
    outside = np.zeros(len(countries), dtype=bool)
    located = ~(np.isnan(lats) | np.isnan(lons))
    areas = _country_areas()
    for country, (west, south, east, north) in COUNTRY_BOUNDS.items():
        rows = np.flatnonzero(located & (countries == country))
        if not len(rows):
            continue
        codes, pairs = pd.factorize(lons[rows] + 1j * lats[rows])
        x, y = pairs.real, pairs.imag
        if country in areas:
            inside = shapely.contains_xy(areas[country], x, y)
        else:
            inside = (west <= x) & (x <= east) & (south <= y) & (y <= north)
        outside[rows] = ~inside[codes]
    return outside


def _country_check(countries, latitudes, longitudes):
    """Yield (index, country) for coordinates outside their country (see outside_country)."""
    countries = list(countries)
    for i in np.flatnonzero(outside_country(countries, latitudes, longitudes)):
        yield int(i), countries[i]


def _read_csv_text(path) -> tuple[pd.DataFrame, np.ndarray, list[Problem]]:
    """A CSV file as text, each row's line number, and the problems of reading it.

    Read like the source loaders read: UTF-8 (a line that is not is decoded as Windows-1252
    and reported), UTF-16 with a byte-order mark, ``.gz`` and ``.zip``; a row with the wrong
    number of fields is kept and reported with its file and line.
    """
    from .sources._io import combine, read_delimited, sources_of

    path = Path(path)
    if not path.is_file():
        raise FormatError(f"{path}: file not found")
    raw = combine([read_delimited(source) for source in sources_of(path)])
    problems = [
        Problem(raw.file_at(position), line, column, value, expected)
        for position, line, column, value, expected in raw.problems
    ]
    return raw.frame, raw.lines, problems


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
    present, equal to the level the sources give; see :mod:`toolkit.evidence`). The checks of
    the columns are vector operations over whole columns, driven by the :class:`Column` lists
    (:data:`EVENTS`, :data:`EVENT_SOURCES`), so a column added there is checked too.

    ``events`` and ``sources`` may be DataFrames or paths to CSV files; a file is read as text
    (UTF-8, a Windows-1252 line or UTF-16 with a byte-order mark, ``.gz``/``.zip``) and its
    problems are reported by line number (the header is line 1), a ragged row included.

    ``group_ids`` (e.g. ``toolkit.load_groups()["group_id"]``) checks that ``claimed_by`` and
    ``attributed_to`` hold only those ids, separated by ';'.

    ``external=True`` validates rows loaded from another dataset (``toolkit.read_acled``,
    ``read_gdelt``, ``read_ucdp_ged``): event ids are the source's own behind its name
    (``ACLED:IRQ1234``, ``GDELT:1234``, ``UCDP:245037``) and ``summary`` is the source's text,
    so its length is not checked; every other rule applies (study period, country scope, ...).

    Returns the list of problems (empty when the table is valid). With ``raise_errors=True``
    (the default) a non-empty list raises :class:`DataValidationError` listing all of them.

    Parameters
    ----------
    events : pandas.DataFrame, str or pathlib.Path
        The events table, or the path of a CSV file of it.
    sources : pandas.DataFrame, str or pathlib.Path, optional
        The sources table (one row per source per event), or the path of a CSV file; None
        skips the checks that need it (citations, grading).
    file : str, default "events"
        Name of the events table in the messages (a path given as ``events`` is used instead).
    sources_file : str, default "event_sources"
        Name of the sources table in the messages (likewise).
    site_ids : iterable of str, optional
        Accepted ``site_id`` values (e.g. the gazetteer's ``place_id``); None skips that check.
    line_numbers : bool, default False
        Label rows by CSV line number (header = line 1) rather than by index label.
    raise_errors : bool, default True
        Raise :class:`DataValidationError` when a problem is found; False returns the list.
    external : bool, default False
        The rows come from another dataset (ACLED, GDELT, UCDP): accept ``SOURCE:id`` event ids
        and do not check the length of ``summary``.
    group_ids : iterable of str, optional
        Accepted group ids in ``claimed_by`` and ``attributed_to``; None skips that check.

    Returns
    -------
    list of Problem
        Every problem found (``file``, ``row``, ``column``, ``value``, ``expected``); empty
        when the tables are valid.

    Raises
    ------
    DataValidationError
        With ``raise_errors=True``, when any problem is found (all of them listed).
    FormatError
        A path is given that is not a file.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> toolkit.validate_events(events, toolkit.load_event_sources())
    []

    Two values broken on purpose in a copy of the events of 8 January 2020:

    >>> import pandas as pd
    >>> bad = toolkit.load_events(start="2020-01-08", end="2020-01-08")
    >>> bad["weapon"] = bad["weapon"].astype(str)
    >>> bad.loc[0, "weapon"] = "catapult"
    >>> bad.loc[1, "date"] = pd.Timestamp("2018-05-01")
    >>> for problem in toolkit.validate_events(bad, raise_errors=False):
    ...     print(problem)
    events row 0, column 'weapon': 'catapult' is not an accepted value (expected one of: ...)
    events row 1, column 'date': '2018-05-01' is outside the study period (2019-10-01 to 2026-12-31)
    """
    problems: list[Problem] = []
    rows = source_rows = None
    if isinstance(events, (str, Path)):
        file = str(events)
        events, rows, read_problems = _read_csv_text(events)
        problems += read_problems
    if isinstance(sources, (str, Path)):
        sources_file = str(sources)
        sources, source_rows, read_problems = _read_csv_text(sources)
        problems += read_problems
    if rows is None:
        rows = _row_labels(events, line_numbers)
    problems += validate_table(events, EVENTS, file=file, rows=rows)
    report = _Report(file, rows)
    cols = set(events.columns)
    ids = _text(events["event_id"]) if "event_id" in cols else None

    def text(column: str) -> pa.ChunkedArray:
        return _text(events[column])

    def equals(array: pa.ChunkedArray, value: str) -> np.ndarray:
        return _mask(pc.equal(array, value))

    if ids is not None:
        pattern, example = (
            (EXTERNAL_ID_RE, "a source event id (expected e.g. ACLED:IRQ1234 or GDELT:564111644)")
            if external
            else (EVENT_ID_RE, "an event id (expected e.g. A2020-0001 or S2024-0003)")
        )
        shaped = _matches(ids, pattern.pattern) | _mask(pc.is_null(ids))
        report.add(~shaped, "event_id", ids, f"is not {example}")
        _duplicates(report, ids, "event_id")

    if {"date", "event_type", "country"} <= cols:
        dates = _dates(events["date"])
        event_type, country = text("event_type"), text("country")
        dated = ~np.isnat(dates)
        day = np.datetime_as_string(dates, unit="D")
        start, end = np.datetime64(PERIOD_START, "s"), np.datetime64(PERIOD_END, "s")
        outside = dated & ~((dates >= start) & (dates <= end))
        report.add(
            outside,
            "date",
            day,
            f"is outside the study period ({PERIOD_START:%Y-%m-%d} to {PERIOD_END:%Y-%m-%d})",
        )
        strike = equals(event_type, "us_strike")
        report.add(
            strike & equals(country, "Jordan"),
            "country",
            country,
            "is not a US strike country (expected Iraq or Syria)",
        )
        if "date_precision" in cols:
            first = dates.astype("datetime64[M]").astype("datetime64[s]") == dates
            report.add(
                equals(text("date_precision"), "month") & dated & ~first,
                "date",
                day,
                "must be the first of the month when date_precision is month",
            )

    if {"weapon", "event_type"} <= cols:
        weapon = text("weapon")
        report.add(
            equals(weapon, "airstrike") & ~equals(text("event_type"), "us_strike"),
            "weapon",
            weapon,
            "is only for us_strike rows (expected rocket, mortar, drone, "
            "ied, missile, small_arms, storming, mixed or unknown)",
        )

    for base in ("projectiles", "killed", "injured"):
        if {base, f"{base}_max"} <= cols:
            low, high = _numbers(events[base]), _numbers(events[f"{base}_max"])
            with np.errstate(invalid="ignore"):
                wrong = ~np.isnan(high) & (np.isnan(low) | (high < low))
            report.add(
                wrong,
                f"{base}_max",
                high,
                lambda i, low=low, base=base: f"must be >= {base} ({low[i]}) and needs {base} set",
            )

    if {"latitude", "longitude", "country"} <= cols:
        lats, lons = _numbers(events["latitude"]), _numbers(events["longitude"])
        pairs = _Pairs(lats, lons)
        half = np.isnan(lats) != np.isnan(lons)
        report.add(half, "latitude/longitude", pairs, "must both be given or both be empty")
        country = text("country").to_numpy(zero_copy_only=False)
        outside = outside_country(country, lats, lons)
        report.add(
            outside,
            "latitude/longitude",
            pairs,
            lambda i: f"is outside {country[i]} (expected a point inside the country)",
        )

    if "summary" in cols and not external:
        summary = text("summary")
        words = pc.fill_null(pc.count_substring_regex(summary, r"\S+"), 0)
        long = np.asarray(words.to_numpy(zero_copy_only=False)) > 30
        shown = [None] * len(long)
        for i, value in zip(
            np.flatnonzero(long),
            summary.take(pa.array(np.flatnonzero(long))).to_pylist(),
            strict=True,
        ):
            shown[i] = value[:60] + "..."
        report.add(
            long, "summary", shown, "has more than 30 words (expected a short own-words summary)"
        )

    if site_ids is not None and "site_id" in cols:
        site = text("site_id")
        unknown = _mask(pc.is_valid(site)) & ~_isin(site, site_ids)
        report.add(
            unknown, "site_id", events["site_id"], "is not a place_id in data/places.parquet"
        )

    if sources is not None:
        if source_rows is None:
            source_rows = _row_labels(sources, line_numbers)
        source_columns = EVENT_SOURCES
        if external:
            # rows from ACLED, GDELT or UCDP carry no grading of their own (source_kind...)
            source_columns = [
                c for c in EVENT_SOURCES if c.name in sources.columns or c.name not in GRADING
            ]
        source_report = _Report(sources_file, source_rows)
        source_problems = validate_table(
            sources, source_columns, file=sources_file, rows=source_rows
        )
        if ids is not None and "event_id" in sources.columns:
            cited = _text(sources["event_id"])
            known = pc.unique(ids).drop_null()
            orphan = _mask(pc.is_valid(cited)) & ~_mask(pc.is_in(cited, value_set=known))
            source_report.add(orphan, "event_id", cited, f"points at no event in {file}")
            used = pc.unique(cited).drop_null()
            uncited = _mask(pc.is_valid(ids)) & ~_mask(pc.is_in(ids, value_set=used))
            report.add(uncited, "event_id", ids, f"is cited by no source in {sources_file}")
        problems += report.problems + source_problems + source_report.problems

        # graded sources against their events (toolkit/evidence.py); local import: no cycle
        from .evidence import evidence_problems

        problems += evidence_problems(
            events,
            sources,
            rows=rows,
            source_rows=source_rows,
            file=file,
            sources_file=sources_file,
        )
    else:
        problems += report.problems

    if group_ids is not None:
        problems += check_group_ids(events, group_ids, file=file, rows=rows)

    if problems and raise_errors:
        raise DataValidationError(problems)
    return problems


PHASES = [
    Column("phase_id", "str", "Stable identifier, P and a number, in time order."),
    Column("name", "str", "Name of the phase."),
    Column("label", "str", "Short name for figure labels."),
    Column("start", "date", "First day of the phase (inclusive)."),
    Column(
        "end",
        "date",
        "Last day of the phase (inclusive); empty for an open phase (only the last one), which "
        "runs to the data's last date or to the end a function is given.",
        required=False,
    ),
    Column("description", "str", "What happened in the phase, in our words."),
    Column("start_ref", "str", "Key event (K...) or event (A/S...) that opens the phase."),
    Column("start_outlet", "str", "Publisher of the source for the opening event."),
    Column(
        "start_title", "str", "Headline of that source; empty when none is known.", required=False
    ),
    Column("start_published", "date", "Publication date of that source.", required=False),
    Column("start_url", "str", "Address of that source."),
    Column(
        "end_ref",
        "str",
        "Key event that closes the phase (the next phase opens with it). Empty for an open phase.",
        required=False,
    ),
    Column(
        "end_outlet",
        "str",
        "Publisher of the source for the closing event; empty for an open phase.",
        required=False,
    ),
    Column(
        "end_title", "str", "Headline of that source; empty when none is known.", required=False
    ),
    Column("end_published", "date", "Publication date of that source.", required=False),
    Column("end_url", "str", "Address of that source; empty for an open phase.", required=False),
    Column("boundary_note", "str", "How the boundaries were decided."),
]


FROM_PRECISIONS = ("day", "month", "year", "on_or_before", "unknown")
UNTIL_PRECISIONS = ("day", "month", "on_or_before", "open")

US_FOOTPRINT = [
    Column(
        "site_id",
        "str",
        "Place id of data/places.parquet when the site is there, else a new id; one row per "
        "interval of US presence, so a site may have several rows.",
    ),
    Column("name", "str", "Name of the site."),
    Column("country", "category", "Iraq, Syria or Jordan.", allowed=COUNTRIES),
    Column("latitude", "float", "Latitude (WGS84)."),
    Column("longitude", "float", "Longitude (WGS84)."),
    Column(
        "coordinates_from",
        "str",
        "Where the coordinates come from: places.parquet:<id> (the gazetteer's cited source) or "
        "the outlet that gives them.",
    ),
    Column(
        "us_from",
        "date",
        "First day of US presence, or of the window us_from_precision gives; empty if unknown.",
        required=False,
    ),
    Column(
        "us_from_precision",
        "category",
        "day; month or year (arrival somewhere in that month or year, us_from is its first "
        "day); on_or_before (present by that date); unknown (no arrival date found: read as "
        "present from before the study period).",
        allowed=FROM_PRECISIONS,
    ),
    Column(
        "us_until",
        "date",
        "Day US forces were gone (the handover or completed departure), or the first day of the "
        "month of departure; empty for an open interval.",
        required=False,
    ),
    Column(
        "us_until_precision",
        "category",
        "day; month (left during that month); on_or_before (gone by that date, the day itself "
        "not reported); open (no departure reported).",
        allowed=UNTIL_PRECISIONS,
    ),
    Column(
        "last_reported",
        "date",
        "For an open interval, the date of the latest cited report of US presence.",
        required=False,
    ),
    Column("note", "str", "What the sources say about the dates, in our words."),
    Column(
        "source_urls",
        "str",
        "Addresses of the sources of every date and coordinate, '|'-separated.",
    ),
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
    rows=None,
) -> list[Problem]:
    """Check that ``claimed_by`` and ``attributed_to`` hold only known group ids.

    Each cell is a ';'-separated list of ids from ``data/groups.csv`` (e.g.
    ``kataib_hezbollah;harakat_nujaba``); a name in free text, an unknown id or an id named
    twice in one cell is reported with the file, row, column and the ids accepted.
    """
    known = set(group_ids)
    problems: list[Problem] = []
    rows = _row_labels(events, line_numbers) if rows is None else rows
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
                shown = (
                    ", ".join(allowed) if len(allowed) < 20 else "place ids of data/places.parquet"
                )
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


def check_footprint(df: pd.DataFrame, *, file: str) -> list[Problem]:
    """Checks across the columns of the US footprint table (text as read from the CSV).

    Dates agree with their precision (a date for every precision but unknown/open, none for
    those; last_reported only on open intervals), an interval ends after it starts, every row
    cites at least one web address, and the intervals of one site do not overlap.
    """
    problems: list[Problem] = []
    text = df.astype(str).apply(lambda c: c.str.strip())
    for i, row in text.iterrows():
        line = i + 2
        for column, precision, empty_ok in (
            ("us_from", "us_from_precision", "unknown"),
            ("us_until", "us_until_precision", "open"),
        ):
            if (row[column] == "") != (row[precision] == empty_ok):
                problems.append(
                    Problem(
                        file,
                        line,
                        column,
                        row[column],
                        f"does not match {precision}={row[precision]!r} (a date is required "
                        f"unless {precision} is {empty_ok}, and must be empty when it is)",
                    )
                )
        if row["last_reported"] and row["us_until_precision"] != "open":
            problems.append(
                Problem(
                    file,
                    line,
                    "last_reported",
                    row["last_reported"],
                    "is only for open intervals (us_until_precision open)",
                )
            )
        if row["us_from"] and row["us_until"] and row["us_until"] <= row["us_from"]:
            problems.append(
                Problem(
                    file,
                    line,
                    "us_until",
                    row["us_until"],
                    f"is not after us_from {row['us_from']}",
                )
            )
        urls = [u for u in row["source_urls"].split("|") if u.strip()]
        if not urls or not all(u.startswith(("http://", "https://")) for u in urls):
            problems.append(
                Problem(
                    file,
                    line,
                    "source_urls",
                    row["source_urls"],
                    "expected web addresses (http:// or https://) separated by '|'",
                )
            )
    for site, rows in text.groupby("site_id"):
        if len(rows) < 2:
            continue
        ordered = rows.assign(_from=rows["us_from"].replace("", "0000")).sort_values("_from")
        for (_, earlier), (j, later) in zip(
            ordered.iloc[:-1].iterrows(), ordered.iloc[1:].iterrows(), strict=True
        ):
            if earlier["us_until"] == "" or later["us_from"] < earlier["us_until"]:
                problems.append(
                    Problem(
                        file,
                        j + 2,
                        "us_from",
                        later["us_from"],
                        f"overlaps an earlier interval of {site} "
                        "(intervals of a site may not overlap)",
                    )
                )
    return problems
