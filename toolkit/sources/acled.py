"""ACLED exports (Armed Conflict Location & Event Data), in every column set researchers have."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from .. import schema
from ..errors import FormatError
from . import _canonical as canon
from ._io import (
    DEFAULT_CHUNK_THRESHOLD,
    combine,
    first_rows,
    flag_problems,
    read_delimited,
    sources_of,
)

__all__ = [
    "ACLED_2020_COLUMNS",
    "ACLED_COLUMNS",
    "ACLED_EVENT_TYPES",
    "ACLED_GEO_PRECISION",
    "ACLED_PRE2019_COLUMNS",
    "ACLED_SUB_EVENT_WEAPONS",
    "ACLED_TIME_PRECISION",
    "read_acled",
]

#: The column set of current ACLED exports (2023-).
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
#: The column set of 2019-2020 exports (numeric inter codes, no disorder_type or tags).
ACLED_2020_COLUMNS = (
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
)
#: The column set of exports before 2019 (``gwno``, ``ally_actor_1``/``ally_actor_2``, one
#: ``event_type`` and no ``sub_event_type``); older files wrote the names in capitals.
ACLED_PRE2019_COLUMNS = (
    "gwno",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "actor1",
    "ally_actor_1",
    "inter1",
    "actor2",
    "ally_actor_2",
    "inter2",
    "interaction",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
#: Columns every accepted ACLED file has (whatever its column set; ``sub_event_type`` is
#: absent before 2019).
REQUIRED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "actor1",
    "actor2",
    "country",
    "location",
    "latitude",
    "longitude",
    "notes",
    "fatalities",
)
#: Date formats seen in ACLED files: the export, the 2019-2020 export, a spreadsheet re-save.
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y", "%d %b %Y", "%d-%B-%y", "%d-%b-%Y")
INT_COLUMNS = (
    "data_id",
    "gwno",
    "event_id_no_cnty",
    "year",
    "time_precision",
    "iso",
    "geo_precision",
    "fatalities",
    "timestamp",
)
FLOAT_COLUMNS = ("latitude", "longitude")
#: Numeric inter codes of the 2020 column set and the words current exports use instead.
INTER_CODES = {
    "0": "",
    "1": "State forces",
    "2": "Rebel group",
    "3": "Political militia",
    "4": "Identity militia",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}

#: ACLED event_type -> canonical event_type (US or coalition actor1: ``us_strike``). Protests
#: and strategic developments have no canonical type: their event_type is left empty.
ACLED_EVENT_TYPES = {
    "Battles": "attack",
    "Explosions/Remote violence": "attack",
    "Violence against civilians": "attack",
    "Riots": "attack",
    "Protests": None,
    "Strategic developments": None,
    # before 2019
    "Battle-No change of territory": "attack",
    "Battle-Government regains territory": "attack",
    "Battle-Non-state actor overtakes territory": "attack",
    "Battle-Non-state actors overtake territory": "attack",
    "Remote violence": "attack",
    "Riots/Protests": None,
    "Strategic development": None,
    "Headquarters or base established": None,
    "Non-violent transfer of territory": None,
}
#: Pre-2019 event_type -> weapon (the notes then refine it, as for current files).
ACLED_PRE2019_WEAPONS = {
    "Battle-No change of territory": "small_arms",
    "Battle-Government regains territory": "small_arms",
    "Battle-Non-state actor overtakes territory": "small_arms",
    "Battle-Non-state actors overtake territory": "small_arms",
}
#: ACLED sub_event_type -> weapon before the notes are read (others: ``unknown``).
ACLED_SUB_EVENT_WEAPONS = {
    "Shelling/artillery/missile attack": "rocket",
    "Remote explosive/landmine/IED": "ied",
    "Suicide bomb": "ied",
    "Air/drone strike": "drone",
    "Armed clash": "small_arms",
    "Government regains territory": "small_arms",
    "Non-state actor overtakes territory": "small_arms",
    "Violent demonstration": "storming",
    "Mob violence": "storming",
}
#: ACLED time_precision -> date_precision.
ACLED_TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
#: ACLED geo_precision -> geo_precision (1: the town itself; 2: near the town, in its
#: district; 3: only the province or a larger region).
ACLED_GEO_PRECISION = {1: "town", 2: "district", 3: "governorate"}
#: actor1 / assoc_actor_1 values that make a violent event a US (or coalition) strike.
US_ACTOR = r"United States|\bUSA?\b|U\.S\.|Coalition|NATO|Operation Inherent Resolve"
ACLED_URL = "https://acleddata.com/data-export-tool/"


def _normal_names(header: list[str]) -> list[str]:
    """Column names as current exports spell them (lower case; ``ally_actor_*`` renamed)."""
    names = [c.strip().lower() for c in header]
    return [n.replace("ally_actor_", "assoc_actor_") for n in names]


def _check_header(path, header: list[str]) -> str:
    """Which column set the header is; a FormatError saying what is wrong otherwise."""
    columns = _normal_names(header)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(columns[:40]) + (" ..." if len(columns) > 40 else "")
        hint = ""
        line = ",".join(header)
        if line.count("\t") >= 10:
            fields = line.split("\t")
            hint = (
                f" The first line is tab-separated with {len(fields)} fields and no header: "
                "it looks like a GDELT export (use toolkit.read_gdelt)."
            )
            found = f"one tab-separated field list starting {fields[:3]}"
        elif {"type_of_violence", "side_a", "date_start"} <= set(columns):
            hint = " It looks like a UCDP GED file (use toolkit.read_ucdp_ged)."
        raise FormatError(
            f"{path}: not an ACLED export: missing column(s) {', '.join(missing)}; "
            f"found: {found}.{hint} read_acled accepts the current ACLED column set "
            f"({', '.join(ACLED_COLUMNS)}), the 2020 set ({', '.join(ACLED_2020_COLUMNS)}), "
            f"the set before 2019 ({', '.join(ACLED_PRE2019_COLUMNS)}), in any column order, "
            "re-saved by a spreadsheet program or written by pandas with an index column, as "
            "CSV, .gz or .zip."
        )
    if "sub_event_type" not in columns:
        return "pre-2019"
    if "data_id" in columns or "iso3" in columns:
        return "2020"
    if "disorder_type" in columns:
        return "current"
    return "other"


def _typed_raw(frame: pd.DataFrame) -> tuple[pd.DataFrame, list, str | None]:
    """Source columns with dtypes, and the checks of values that did not parse."""
    checks = []
    out = frame.copy()
    order = canon.checked_dates(
        frame,
        out,
        checks,
        "event_date",
        DATE_FORMATS,
        "is not a date (expected e.g. 2020-01-03, 03 January 2020, 3-Jan-20 or 3/1/2020)",
    )
    canon.checked_numbers(frame, out, checks, INT_COLUMNS, "int", "is not a whole number")
    for column, limit in zip(FLOAT_COLUMNS, (90, 180), strict=True):
        canon.checked_coordinate(frame, out, checks, column, limit)
    for column in ("inter1", "inter2", "interaction"):
        if column in frame.columns:
            # numbers in the 2020 set, words ("State forces") in current exports
            sample = frame[column].dropna().head(50).astype(str)
            if sample.str.fullmatch(r"\s*\d+\s*").all():
                numbers, bad = canon.parse_numbers(frame[column], "int")
                out[column] = numbers if not bad.any() else frame[column].astype("string")
    return out, checks, order


def read_acled(
    path_or_buffer: str | os.PathLike,
    *,
    to_canonical: bool = True,
    progress: bool | None = None,
    chunk_threshold: int = DEFAULT_CHUNK_THRESHOLD,
    engine: str = "pandas",
):
    """Read an ACLED export CSV into the canonical event schema (or as it is).

    Accepts the current ACLED column set, the 2020 set (``data_id``, ``iso3``, numeric
    ``inter1``/``inter2``), the set before 2019 (``gwno``, ``ally_actor_*``, no
    ``sub_event_type``, names in capitals), in any column order, files re-saved by a
    spreadsheet program (dates like ``9-May-20`` or ``5/9/2020``, CRLF line endings) and files
    written by pandas with an index column; as CSV, ``.gz`` or ``.zip`` (several members with
    the same columns are read as one table). Text is UTF-8 line by line (a line that is not is
    decoded as Windows-1252 and flagged), or UTF-16 with a byte-order mark. Impossible dates
    are flagged, never rolled over; ``D/M/Y`` or ``M/D/Y`` dates get one order for the file
    (``.attrs["date_order"]`` says which and why).

    Parameters
    ----------
    path_or_buffer : path
        The CSV file.
    to_canonical : bool
        True (default): a GeoDataFrame with the columns and dtypes of
        :func:`toolkit.load_events`, the mapping documented in the README ("Loading ACLED, GDELT
        and UCDP"), the ACLED columns kept as ``acled_<name>``, and ``parse_problems``.
        False: ACLED's own columns with dtypes (``event_date`` datetime, counts ``Int64``,
        coordinates ``float64``, text ``string``) plus ``parse_problems``.
    progress : bool or None
        Progress bar (tqdm) while reading; None: only for files above ``chunk_threshold`` read
        in a terminal.
    chunk_threshold : int
        Files larger than this many bytes are read in blocks (with the progress bar).
    engine : {"pandas", "dask"}
        "dask" (the ``scale`` extra): a lazy ``dask_geopandas.GeoDataFrame`` with one
        partition per file (``path_or_buffer`` may then be a glob pattern or a list of files
        with the same columns, e.g. one export per year), each read by this function; the
        first file is read at once to learn the columns. :func:`toolkit.problems` of it is a
        lazy table of every file's problems.

    Returns
    -------
    geopandas.GeoDataFrame or pandas.DataFrame
        Every row of the file. Rows that did not parse fully (a bad date, coordinates out of
        range, an impossible date, a line that was not UTF-8, the wrong number of fields) are
        kept in place, with what is wrong in ``parse_problems``; ``.attrs`` holds ``source``,
        ``file``, ``encoding``, ``column_set``, ``n_problem_rows`` (an int), ``problems``
        (:func:`toolkit.problems` gives them as a table) and, when needed, ``date_order`` and
        ``members``; a :class:`~toolkit.sources.ParseWarning` names file, line, column, value
        and expected.

    Raises
    ------
    toolkit.FormatError
        The file is not an ACLED export: the message names the missing and found columns, or,
        for a binary file (a workbook, a PDF, ...), what it looks like.

    Examples
    --------
    A two-row file in the layout of an ACLED export (the columns every export has and a few
    more), written to a temporary folder; the second row's date was mistyped:

    >>> import pathlib, tempfile, warnings
    >>> import toolkit
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(folder.name) / "acled_iraq.csv"
    >>> _ = path.write_text(
    ...     "event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,country,admin1,"
    ...     "location,latitude,longitude,source,notes,fatalities\\n"
    ...     "IRQ90002,2020-01-08,Explosions/Remote violence,Shelling/artillery/missile attack,"
    ...     "Military Forces of Iran (1989-),Military Forces of the United States (2017-2021),"
    ...     "Iraq,Al Anbar,Ain al Asad Airbase,33.7856,42.4412,UPI; Kurdistan24,"
    ...     '"Iran fired ballistic missiles at Ain al-Asad air base, which hosts US forces.",0\\n'
    ...     "IRQ90003,2020-02-30,Explosions/Remote violence,Shelling/artillery/missile attack,"
    ...     "Unidentified Armed Group (Iraq),Military Forces of the United States (2017-2021),"
    ...     "Iraq,Baghdad,Baghdad - Green Zone,33.3128,44.3615,Shafaq News,"
    ...     '"Rockets hit the Green Zone; three struck inside the US embassy compound.",0\\n'
    ... )
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     events = toolkit.read_acled(path)
    >>> events[["event_id", "event_type", "weapon", "country"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['ACLED:IRQ90002', 'attack', 'missile', 'Iraq'],
     ['ACLED:IRQ90003', 'attack', 'rocket', 'Iraq']]
    >>> events["date"].isna().tolist()  # the impossible date is left empty, not rolled over
    [False, True]
    >>> events.attrs["n_problem_rows"], caught[0].category.__name__
    (1, 'ParseWarning')
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the same warning again
    ...     raw = toolkit.read_acled(path, to_canonical=False)
    >>> raw["event_date"].dtype.kind, raw["event_id_cnty"].tolist()
    ('M', ['IRQ90002', 'IRQ90003'])
    >>> folder.cleanup()
    """
    if engine == "dask":  # one partition per file (a path, a glob pattern or a list)
        from .. import scale

        return scale.read_files_dask(
            read_acled, path_or_buffer, to_canonical=to_canonical, chunk_threshold=chunk_threshold
        )
    if engine != "pandas":
        raise FormatError(f"engine={engine!r} is not accepted (expected 'pandas' or 'dask')")
    path = Path(os.fspath(path_or_buffer))
    if not path.is_file():
        raise FormatError(f"{path}: file not found")
    raws, column_sets = [], []
    for source in sources_of(path):
        header = first_rows(source, ",", n=1)
        column_sets.append(_check_header(source.name, header[0] if header else []))
        raws.append(read_delimited(source, progress=progress, chunk_threshold=chunk_threshold))
    column_set = column_sets[0]
    for raw in raws:
        raw.frame.columns = _normal_names(list(raw.frame.columns))
        index_column = raw.frame.columns[0]
        if index_column in ("", "unnamed: 0", "index"):
            raw.frame = raw.frame.drop(columns=index_column)
            raw.header = list(raw.frame.columns)
            column_set += " (with a pandas index column)" if "index" not in column_set else ""
        # older exports and re-saves list the columns in other orders (alphabetical, say)
        order = [c for c in (*ACLED_COLUMNS, *ACLED_2020_COLUMNS) if c in raw.header]
        rest = [c for c in raw.header if c not in order]
        if raw.header != [*dict.fromkeys(order), *rest] and len(raws) > 1:
            raw.frame = raw.frame[[*dict.fromkeys(order), *rest]]
            raw.header = list(raw.frame.columns)
    raw = combine(raws)
    frame = raw.frame
    typed, checks, date_order = _typed_raw(frame)
    problems = flag_problems(raw, typed, checks)
    attrs = {
        "source": "ACLED",
        "file": str(path),
        "encoding": raw.encoding,
        "column_set": column_set,
        "n_problem_rows": int(typed["parse_problems"].notna().sum()),
        "problems": problems,
    }
    if len(raws) > 1:
        attrs["members"] = [name for name, _ in raw.parts]
    if date_order:
        attrs["date_order"] = date_order
    return canon.finish(typed, attrs, to_canonical, _canonical)


def _canonical(raw: pd.DataFrame):
    n = len(raw)
    event_types = schema.EVENT_TYPES
    event_type = canon.codes(raw["event_type"], ACLED_EVENT_TYPES, event_types)
    us_actor = canon.matches_distinct(raw["actor1"], US_ACTOR)
    if "assoc_actor_1" in raw.columns:
        us_actor |= canon.matches_distinct(raw["assoc_actor_1"], US_ACTOR)
    attack_code, strike_code = event_types.index("attack"), event_types.index("us_strike")
    event_type[(event_type == attack_code) & us_actor] = strike_code
    attack, strike = event_type == attack_code, event_type == strike_code

    weapons = schema.WEAPONS
    if "sub_event_type" in raw.columns:
        weapon = canon.codes(raw["sub_event_type"], ACLED_SUB_EVENT_WEAPONS, weapons)
    else:  # before 2019: the event type says as much as there is
        weapon = canon.codes(raw["event_type"], ACLED_PRE2019_WEAPONS, weapons)
    weapon[weapon < 0] = weapons.index("unknown")
    weapon, target = canon.keyword_codes(raw["notes"], attack, weapon, weapons, schema.TARGET_TYPES)
    weapon[strike] = weapons.index("airstrike")
    weapon[~(attack | strike)] = weapons.index("unknown")
    target[strike] = schema.TARGET_TYPES.index("militia")

    date = raw["event_date"]
    date_note = None
    if "time_precision" in raw.columns:
        precision = raw["time_precision"]
        date_precision = canon.codes(precision, ACLED_TIME_PRECISION, schema.DATE_PRECISIONS)
        month = (precision == 3).fillna(False).to_numpy()
        week = (precision == 2).fillna(False).to_numpy()
        if month.any() or week.any():
            date_note = np.full(n, None, dtype=object)
            date_note[week] = "ACLED time_precision 2: the event happened in the week of this date"
            original = date[month].dt.strftime("%Y-%m-%d").fillna("missing (did not parse)")
            date_note[month] = "ACLED time_precision 3 (month); ACLED date " + original.to_numpy(
                dtype=object
            )
            date = date.where(~month, date.dt.to_period("M").dt.start_time)
    else:
        date_precision = np.zeros(n, dtype=np.int8)  # day
    geo_precision = None
    if "geo_precision" in raw.columns:
        geo_precision = canon.codes(
            raw["geo_precision"], ACLED_GEO_PRECISION, schema.GEO_PRECISIONS
        )
    n_sources = None
    if "source" in raw.columns:
        source = canon.arrow(raw["source"])
        counted = pc.add(pc.count_substring(source, ";"), 1).to_numpy(zero_copy_only=False)
        n_sources = pd.array(counted, dtype="Int64")
    frame = canon.canonical_frame(
        {
            "event_id": canon.prefix_text("ACLED:", raw["event_id_cnty"]),
            "date": date,
            "date_precision": date_precision,
            "date_note": date_note,
            "event_type": event_type,
            "country": canon.country_category(raw["country"]),
            "admin1": raw["admin1"] if "admin1" in raw.columns else None,
            "location": raw["location"],
            "latitude": raw["latitude"],
            "longitude": raw["longitude"],
            "geo_precision": geo_precision,
            "target_type": target,
            "weapon": weapon,
            "killed": raw["fatalities"],
            "figures_disputed": np.zeros(n, dtype=bool),
            "summary": raw["notes"],
            "n_sources": n_sources,
        },
        raw.index,
    )
    return canon.with_source(frame, raw, "acled_")
