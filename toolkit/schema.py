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

from .errors import DataValidationError, FormatError, Problem

__all__ = [
    "CAMPAIGN_START",
    "COUNTRY_BOUNDS",
    "EVENTS",
    "EVENT_SOURCES",
    "KEY_EVENTS",
    "OFFICIAL_COUNTS",
    "PERIOD_END",
    "PERIOD_START",
    "Column",
    "outside_country",
    "validate_events",
    "validate_table",
]

PERIOD_START = pd.Timestamp("2019-10-01")
PERIOD_END = pd.Timestamp("2024-12-31")
# Attacks outside Iraq are in scope only for the campaign that began on this day.
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
COUNT_SOURCE_TYPES = ("official", "monitor", "media")
COUNT_SCOPES = ("Iraq", "Syria", "Jordan", "unspecified")

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
    Column("killed", "int", "People killed, best-supported; empty = not reported.", required=False),
    Column("killed_max", "int", "Highest figure another source gives.", required=False),
    Column(
        "injured", "int", "People injured, best-supported; empty = not reported.", required=False
    ),
    Column("injured_max", "int", "Highest figure another source gives.", required=False),
    Column(
        "figures_disputed",
        "bool",
        "Sources disagree on a figure (count, killed, injured); each source's figures are in "
        "event_sources.csv.",
    ),
    Column("claimed_by", "str", "Group that claimed it, per the sources.", required=False),
    Column("attributed_to", "str", "Who officials blamed, and which officials.", required=False),
    Column("us_confirmed", "bool", "A US official confirmed the attack.", required=False),
    Column("summary", "str", "What happened, in our words, 30 words at most."),
]

EVENT_SOURCES = [
    Column("event_id", "str", "The event this source reports."),
    Column("outlet", "str", "Publisher."),
    Column("title", "str", "Headline or document title."),
    Column("published", "date", "Publication date.", required=False),
    Column("url", "str", "Address of the report."),
    Column(
        "says", "str", "What this source states, in our words; its own figures.", required=False
    ),
]

KEY_EVENTS = [
    Column("key_event_id", "str", "Stable identifier, K and a number."),
    Column("date", "date", "Day of the event (first day of the window if coarser)."),
    Column("date_precision", "category", "day, week or month.", allowed=DATE_PRECISIONS),
    Column("category", "category", "Kind of turning point.", allowed=KEY_EVENT_CATEGORIES),
    Column("description", "str", "One line, in our words."),
    Column("outlet", "str", "Publisher of the source."),
    Column("title", "str", "Headline of the source."),
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
        "official (a government or military spokesperson), monitor (e.g. SOHR) or media tally.",
        allowed=COUNT_SOURCE_TYPES,
    ),
    Column("outlet", "str", "Publisher of the source."),
    Column("title", "str", "Headline of the source."),
    Column("published", "date", "Publication date of the source.", required=False),
    Column("url", "str", "Address of the source."),
    Column("note", "str", "Qualifiers ('at least', what is counted).", required=False),
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


def _text(series: pd.Series) -> pd.Series:
    """The values as stripped text (``string`` dtype); blanks are missing."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = pd.Index([str(c).strip() for c in series.cat.categories], dtype="string")
        codes = series.cat.codes.to_numpy()
        values = categories.take(np.where(codes < 0, 0, codes)).to_numpy(dtype=object)
        values[codes < 0] = None
        text = pd.Series(values, index=series.index, dtype="string")
    elif pd.api.types.is_datetime64_any_dtype(series.dtype):
        text = series.dt.strftime("%Y-%m-%d").astype("string")
    elif series.dtype == object and not pd.api.types.is_string_dtype(series.dtype):
        text = series.map(lambda v: None if _is_blank(v) else _as_text(v)).astype("string")
    else:
        text = series.astype("string").str.strip()
    return text.mask(text == "")


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )


def _fails(column: Column, series: pd.Series, text: pd.Series) -> np.ndarray:
    """Rows whose (non-blank) value is not of ``column``'s kind or not allowed."""
    present = text.notna().to_numpy()
    kind = column.kind
    if kind == "date":
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            return np.zeros(len(series), dtype=bool)
        shaped = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).to_numpy(dtype=bool)
        parsed = pd.to_datetime(text.where(shaped), format="%Y-%m-%d", errors="coerce")
        return present & (~shaped | parsed.isna().to_numpy())
    if kind == "int":
        if _numeric(series):
            numbers = pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
            bad = (numbers < 0) | (numbers % 1 != 0)
            return np.nan_to_num(bad, nan=False).astype(bool) & present
        return present & ~text.str.fullmatch(r"\d+").fillna(False).to_numpy(dtype=bool)
    if kind == "float":
        if _numeric(series):
            return np.zeros(len(series), dtype=bool)
        numbers = pd.to_numeric(text, errors="coerce")
        return present & numbers.isna().to_numpy()
    if kind == "bool":
        if pd.api.types.is_bool_dtype(series.dtype):
            return np.zeros(len(series), dtype=bool)
        accepted = text.isin(TRUE_VALUES | FALSE_VALUES).fillna(False).to_numpy(dtype=bool)
        return present & ~accepted
    if kind == "category":
        return present & ~text.isin(column.allowed).fillna(False).to_numpy(dtype=bool)
    if column.name == "url" or column.name.endswith("_url"):
        return present & ~text.str.match(URL_RE.pattern).fillna(False).to_numpy(dtype=bool)
    return np.zeros(len(series), dtype=bool)


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
        else:
            found = [values[i] for i in positions]
        texts = expected if callable(expected) else None
        for position, value in zip(positions, found, strict=True):
            if value is pd.NA or (isinstance(value, float) and np.isnan(value)):
                value = None
            message = texts(position) if texts else expected
            row = self.rows[position]
            row = row.item() if hasattr(row, "item") else row
            self.problems.append(Problem(self.file, row, column, value, message))


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
        text = _text(series)
        if column.required:
            report.add(
                text.isna().to_numpy(), column.name, series, "is empty (a value is required)"
            )
        report.add(_fails(column, series, text), column.name, series, _expected(column))
    if key is not None and key in df.columns:
        _duplicates(report, _text(df[key]), key)
    return problems + report.problems


def _duplicates(report: _Report, ids: pd.Series, column: str) -> None:
    repeated = ids.duplicated(keep="first").to_numpy() & ids.notna().to_numpy()
    if not repeated.any():
        return
    first = pd.Series(np.arange(len(ids)), index=ids.to_numpy()).groupby(level=0).first()
    positions = first.reindex(ids.to_numpy()).to_numpy()
    report.add(
        repeated,
        column,
        ids,
        lambda i: f"is a duplicate (first used in row {report.rows[int(positions[i])]})",
    )


def _dates(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series
    return pd.to_datetime(_text(series), errors="coerce", format="%Y-%m-%d")


def _numbers(series: pd.Series) -> pd.Series:
    if _numeric(series):
        return pd.to_numeric(series, errors="coerce").astype("float64")
    return pd.to_numeric(_text(series), errors="coerce").astype("float64")


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
) -> list[Problem]:
    """Validate an events table (and its sources table, when given).

    Checks types and allowed values of every column, that dates fall inside the study period
    (attacks in Syria and Jordan only from 2023-10-17), that coordinates fall inside the
    country, that ids are unique, that every event is cited by at least one source, that every
    source points at an existing event, and that each ``*_max`` is not below its best figure.
    Every check is a vector operation over whole columns, driven by the :class:`Column` lists
    (:data:`EVENTS`, :data:`EVENT_SOURCES`), so a column added there is checked too.

    ``events`` and ``sources`` may be DataFrames or paths to CSV files; a file is read as text
    (UTF-8, a Windows-1252 line or UTF-16 with a byte-order mark, ``.gz``/``.zip``) and its
    problems are reported by line number (the header is line 1), a ragged row included.

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

    if ids is not None:
        pattern, example = (
            (EXTERNAL_ID_RE, "a source event id (expected e.g. ACLED:IRQ1234 or GDELT:564111644)")
            if external
            else (EVENT_ID_RE, "an event id (expected e.g. A2020-0001 or S2024-0003)")
        )
        shaped = ids.str.match(pattern.pattern).fillna(True).to_numpy(dtype=bool)
        report.add(~shaped, "event_id", ids, f"is not {example}")
        _duplicates(report, ids, "event_id")

    if {"date", "event_type", "country"} <= cols:
        dates = _dates(events["date"])
        event_type = _text(events["event_type"])
        country = _text(events["country"])
        dated = dates.notna().to_numpy()
        day = dates.dt.strftime("%Y-%m-%d")
        outside = (
            dated & ~((dates >= PERIOD_START) & (dates <= PERIOD_END)).fillna(False).to_numpy()
        )
        report.add(outside, "date", day, "is outside the study period (2019-10-01 to 2024-12-31)")
        attack = (event_type == "attack").fillna(False).to_numpy(dtype=bool)
        strike = (event_type == "us_strike").fillna(False).to_numpy(dtype=bool)
        syria_jordan = country.isin(["Syria", "Jordan"]).fillna(False).to_numpy(dtype=bool)
        early = dated & (dates < CAMPAIGN_START).fillna(False).to_numpy(dtype=bool)
        report.add(
            attack & syria_jordan & early,
            "country",
            country,
            "is in scope for attacks only from 2023-10-17 (expected Iraq)",
        )
        report.add(
            strike & (country == "Jordan").fillna(False).to_numpy(dtype=bool),
            "country",
            country,
            "is not a US strike country (expected Iraq or Syria)",
        )
        if "date_precision" in cols:
            month = (_text(events["date_precision"]) == "month").fillna(False).to_numpy(bool)
            not_first = dated & (dates.dt.day != 1).fillna(False).to_numpy(dtype=bool)
            report.add(
                month & not_first,
                "date",
                day,
                "must be the first of the month when date_precision is month",
            )

    if {"weapon", "event_type"} <= cols:
        weapon = _text(events["weapon"])
        not_strike = (_text(events["event_type"]) != "us_strike").fillna(True).to_numpy(bool)
        report.add(
            (weapon == "airstrike").fillna(False).to_numpy(dtype=bool) & not_strike,
            "weapon",
            weapon,
            "is only for us_strike rows (expected rocket, mortar, drone, "
            "ied, missile, small_arms, storming, mixed or unknown)",
        )

    for base in ("projectiles", "killed", "injured"):
        if {base, f"{base}_max"} <= cols:
            low, high = _numbers(events[base]), _numbers(events[f"{base}_max"])
            wrong = high.notna() & (low.isna() | (high < low))
            report.add(
                wrong.to_numpy(dtype=bool),
                f"{base}_max",
                high,
                lambda i, low=low, base=base: (
                    f"must be >= {base} ({low.iloc[i]}) and needs {base} set"
                ),
            )

    if {"latitude", "longitude", "country"} <= cols:
        lats, lons = _numbers(events["latitude"]), _numbers(events["longitude"])
        pairs = pd.Series(list(zip(lats, lons, strict=True)), index=events.index)
        half = (lats.isna() != lons.isna()).to_numpy()
        report.add(half, "latitude/longitude", pairs, "must both be given or both be empty")
        country = _text(events["country"])
        outside = outside_country(country.to_numpy(dtype=object, na_value=None), lats, lons)
        report.add(
            outside,
            "latitude/longitude",
            pairs,
            lambda i: f"is outside {country.iloc[i]} (expected a point inside the country)",
        )

    if "summary" in cols and not external:
        summary = _text(events["summary"])
        words = summary.str.count(r"\S+").fillna(0).to_numpy()
        report.add(
            words > 30,
            "summary",
            summary.str.slice(0, 60) + "...",
            "has more than 30 words (expected a short own-words summary)",
        )

    if site_ids is not None and "site_id" in cols:
        site = _text(events["site_id"])
        unknown = site.notna().to_numpy() & ~site.isin(list(site_ids)).to_numpy(dtype=bool)
        report.add(unknown, "site_id", events["site_id"], "is not a place_id in data/places.csv")

    if sources is not None:
        if source_rows is None:
            source_rows = _row_labels(sources, line_numbers)
        source_report = _Report(sources_file, source_rows)
        source_problems = validate_table(
            sources, EVENT_SOURCES, file=sources_file, rows=source_rows
        )
        if ids is not None and "event_id" in sources.columns:
            cited = _text(sources["event_id"])
            orphan = cited.notna().to_numpy() & ~cited.isin(ids.dropna()).to_numpy(dtype=bool)
            source_report.add(orphan, "event_id", cited, f"points at no event in {file}")
            uncited = ids.notna().to_numpy() & ~ids.isin(cited.dropna()).to_numpy(dtype=bool)
            report.add(uncited, "event_id", ids, f"is cited by no source in {sources_file}")
        problems += report.problems + source_problems + source_report.problems
    else:
        problems += report.problems

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
    Column("start_title", "str", "Headline of that source."),
    Column("start_published", "date", "Publication date of that source.", required=False),
    Column("start_url", "str", "Address of that source."),
    Column("end_ref", "str", "Key event that closes the phase (the next phase opens with it)."),
    Column("end_outlet", "str", "Publisher of the source for the closing event."),
    Column("end_title", "str", "Headline of that source."),
    Column("end_published", "date", "Publication date of that source.", required=False),
    Column("end_url", "str", "Address of that source."),
    Column("boundary_note", "str", "How the boundaries were decided."),
]
