"""UCDP Georeferenced Event Dataset (GED): the UCDP CSV and the HDX republication with HXL tags."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

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
    "UCDP_DATE_PRECISION",
    "UCDP_GED_COLUMNS",
    "UCDP_WHERE_PRECISION",
    "read_ucdp_ged",
]

#: Columns of the UCDP GED CSV (49; the HDX republication has 45 of them in another order).
UCDP_GED_COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)
REQUIRED = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_prec",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "best",
)
#: date_prec -> date_precision (1 exact day; 2 within 2-6 days and 3 within a week: week;
#: 4 within the month and 5 more than a month: month, dated the first of date_start's month).
UCDP_DATE_PRECISION = {1: "day", 2: "week", 3: "week", 4: "month", 5: "month"}
#: where_prec -> geo_precision (1 exact place: site; 2 within ~25 km: town; 3 second-order
#: unit: district; 4 first-order unit: governorate; 5 a larger part of the country:
#: governorate (coarser in truth); 6 country; 7 international waters or airspace: country).
UCDP_WHERE_PRECISION = {
    1: "site",
    2: "town",
    3: "district",
    4: "governorate",
    5: "governorate",
    6: "country",
    7: "country",
}
_INT = (
    "id",
    "year",
    "start_year",
    "end_year",
    "type_of_violence",
    "conflict_new_id",
    "dyad_new_id",
    "side_a_new_id",
    "side_b_new_id",
    "number_of_sources",
    "where_prec",
    "priogrid_gid",
    "country_id",
    "event_clarity",
    "date_prec",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
)
#: Old-style ids, numbers in GED but placeholders in the Candidate dataset: kept as text.
DSET_ID_COLUMNS = ("conflict_dset_id", "dyad_dset_id", "side_a_dset_id", "side_b_dset_id")
US_SIDE = r"United States|Coalition"
UCDP_URL = "https://ucdp.uu.se/downloads/"


def _check_header(path) -> tuple[list[str], bool]:
    rows = first_rows(path, ",", n=2)
    path = getattr(path, "name", path)
    header = [c.strip() for c in rows[0]] if rows else []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        hint = ""
        if "event_id_cnty" in header:
            hint = " It looks like an ACLED export (use toolkit.read_acled)."
        elif len(header) == 1 and "\t" in header[0]:
            hint = " It is tab-separated without header: a GDELT export? (use toolkit.read_gdelt)"
        found = (
            ", ".join(header[:40])
            if len(header) > 1
            else repr(header[0][:80])
            if header
            else "nothing"
        )
        raise FormatError(
            f"{path}: not a UCDP GED file: missing column(s) {', '.join(missing)}; found: "
            f"{found}.{hint} read_ucdp_ged accepts the UCDP GED CSV ({len(UCDP_GED_COLUMNS)} "
            "columns: id, relid, year, ... best, high, low, gwnoa, gwnob) and its HDX "
            "republication (45 columns with a second header row of HXL tags such as #date+year)."
        )
    hxl = len(rows) > 1 and all(v.strip() == "" or v.strip().startswith("#") for v in rows[1])
    hxl = hxl and any(v.strip().startswith("#") for v in rows[1])
    return header, hxl


def _typed(frame: pd.DataFrame) -> tuple[pd.DataFrame, list, str | None]:
    out = frame.copy()
    checks = []
    orders = []
    for column in ("date_start", "date_end"):
        order = canon.checked_dates(
            frame,
            out,
            checks,
            column,
            ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"),
            "is not a date (expected YYYY-MM-DD)",
        )
        orders += [order] if order else []
    reversed_ = (out["date_end"] < out["date_start"]).fillna(False).to_numpy()
    checks.append(
        (
            reversed_,
            "date_end",
            frame["date_end"],
            "is before date_start (expected date_end >= date_start); kept as given",
        )
    )
    canon.checked_numbers(frame, out, checks, _INT, "int", "is not a whole number")
    # the Candidate dataset leaves the old (dset) ids as placeholders: they are kept as text
    for column in DSET_ID_COLUMNS:
        if column in frame.columns:
            out[column] = frame[column].astype("string")
    for column in ("gwnoa", "gwnob"):  # "645.0" in the HDX file; a list "2, 645" in some
        if column in frame.columns:
            out[column] = frame[column].astype("str")
    for column, limit in (("latitude", 90), ("longitude", 180)):
        canon.checked_coordinate(frame, out, checks, column, limit)
    return out, checks, "; ".join(orders) or None


def read_ucdp_ged(
    path: str | os.PathLike,
    *,
    to_canonical: bool = True,
    progress: bool | None = None,
    chunk_threshold: int = DEFAULT_CHUNK_THRESHOLD,
    engine: str = "pandas",
):
    """Read a UCDP GED CSV into the canonical event schema (or as it is).

    Accepts the UCDP GED CSV (49 columns) and the HDX republication (45 columns and a second
    header row of HXL tags such as ``#date+year``, which is recognised and skipped), and
    Candidate files (the ``*_dset_id`` placeholders are kept as text). Quoted fields may span
    lines; line endings may be mixed (CRLF records, LF inside fields); ``.gz``/``.zip``,
    UTF-16 with a byte-order mark and single Windows-1252 lines (flagged) are read. Impossible
    dates are flagged, never rolled over, and so are rows whose ``date_end`` is before
    ``date_start`` (kept as given).

    With ``to_canonical=True`` (default) returns a GeoDataFrame with the columns and dtypes of
    :func:`toolkit.load_events` (``event_id`` ``UCDP:<id>``, ``killed`` = ``best``,
    ``killed_max`` = ``high``, precisions mapped as documented in the README), the GED columns
    kept as ``ucdp_<name>`` and ``parse_problems``; with ``to_canonical=False`` the GED columns
    with dtypes. Rows that do not parse are kept and flagged (``parse_problems``,
    ``.attrs["n_problem_rows"]``, a :class:`~toolkit.sources.ParseWarning`); a file that is
    not UCDP GED raises :class:`toolkit.FormatError` naming missing and found columns.

    ``engine="dask"`` (the ``scale`` extra) returns a lazy ``dask_geopandas.GeoDataFrame``
    with one partition per file (``path`` may then be a glob pattern or a list of files with
    the same columns), each read by this function; :func:`toolkit.problems` of it is a lazy
    table of every file's problems.

    Parameters
    ----------
    path : str or path-like
        The CSV file (with ``engine="dask"`` also a glob pattern or a list of files).
    to_canonical : bool, default True
        Map to the event schema (True) or return the GED columns with dtypes (False).
    progress : bool or None, optional
        Progress bar (tqdm) while reading; None: only for files above ``chunk_threshold`` read
        in a terminal.
    chunk_threshold : int, default 512 MiB
        Files larger than this many bytes are read in blocks (with the progress bar).
    engine : {"pandas", "dask"}, default "pandas"
        "dask": a lazy ``dask_geopandas.GeoDataFrame``, one partition per file.

    Returns
    -------
    geopandas.GeoDataFrame, pandas.DataFrame or dask_geopandas.GeoDataFrame
        Every row of the file, with ``parse_problems``; ``.attrs`` holds ``source``, ``file``,
        ``encoding``, ``column_set``, ``n_problem_rows`` and ``problems``.

    Raises
    ------
    FormatError
        The file is not UCDP GED (the message names the missing and found columns), or
        ``engine="dask"`` without the ``scale`` extra.

    Examples
    --------
    A two-row file with the GED columns the reader needs (and a few more), written to a
    temporary folder:

    >>> import pathlib, tempfile
    >>> import toolkit
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(folder.name) / "ged_iraq.csv"
    >>> _ = path.write_text(
    ...     "id,type_of_violence,side_a,side_b,source_article,where_prec,where_coordinates,"
    ...     "adm_1,latitude,longitude,country,date_prec,date_start,date_end,best,high,low\\n"
    ...     '900001,1,Government of Iraq,IS,"Agence France Presse,2020-03-12,Iraqi forces '
    ...     'kill IS militants near Jalawla",2,Jalawla town,Diyala province,34.2728,45.1619,'
    ...     "Iraq,1,2020-03-12,2020-03-12,2,3,2\\n"
    ...     "900002,1,Government of United States of America,Kataib Hezbollah,"
    ...     '"Reuters News,2020-03-13,US strikes Kataib Hezbollah weapons sites",4,'
    ...     "Karbala province,Karbala province,32.616,44.0249,Iraq,1,2020-03-13,2020-03-13,1,1,1\\n"
    ... )
    >>> events = toolkit.read_ucdp_ged(path)
    >>> events[["event_id", "event_type", "killed", "killed_max", "geo_precision"]].values.tolist()
    [['UCDP:900001', 'attack', 2, 3, 'town'], ['UCDP:900002', 'us_strike', 1, 1, 'governorate']]
    >>> len(toolkit.problems(events))
    0
    >>> folder.cleanup()
    """
    if engine == "dask":  # one partition per file (a path, a glob pattern or a list)
        from .. import scale

        return scale.read_files_dask(
            read_ucdp_ged, path, to_canonical=to_canonical, chunk_threshold=chunk_threshold
        )
    if engine != "pandas":
        raise FormatError(f"engine={engine!r} is not accepted (expected 'pandas' or 'dask')")
    path = Path(os.fspath(path))
    if not path.is_file():
        raise FormatError(f"{path}: file not found")
    raws, hxls = [], []
    for source in sources_of(path):
        _, hxl = _check_header(source)
        hxls.append(hxl)
        raw = read_delimited(
            source,
            skip_after_names=1 if hxl else 0,
            progress=progress,
            chunk_threshold=chunk_threshold,
        )
        raw.frame.columns = [c.strip() for c in raw.frame.columns]
        raws.append(raw)
    raw = combine(raws)
    hxl = hxls[0]
    typed, checks, date_order = _typed(raw.frame)
    problems = flag_problems(raw, typed, checks)
    attrs = {
        "source": "UCDP GED",
        "file": str(path),
        "encoding": raw.encoding,
        "column_set": "HDX (HXL tags)" if hxl else f"UCDP GED ({len(typed.columns) - 1} columns)",
        "hxl_row_removed": hxl,
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
    side_a = raw["side_a"].astype("string").fillna("")
    side_b = raw["side_b"].astype("string").fillna("")
    us_a = side_a.str.contains(US_SIDE, regex=True).to_numpy()
    us_b = side_b.str.contains(US_SIDE, regex=True).to_numpy()
    event_type = np.full(n, schema.EVENT_TYPES.index("attack"), dtype=np.int8)
    event_type[raw["type_of_violence"].isna().to_numpy()] = -1
    event_type[us_a] = schema.EVENT_TYPES.index("us_strike")
    strike = us_a

    text = (
        raw.get("source_headline", pd.Series("", index=raw.index)).astype("string").fillna("")
        + " "
        + raw.get("where_description", pd.Series("", index=raw.index)).astype("string").fillna("")
    )
    weapons = schema.WEAPONS
    weapon = np.full(n, weapons.index("unknown"), dtype=np.int8)
    weapon, target = canon.keyword_codes(text, ~strike, weapon, weapons, schema.TARGET_TYPES)
    weapon[strike] = weapons.index("airstrike")
    target[us_b & (target == schema.TARGET_TYPES.index("other"))] = schema.TARGET_TYPES.index(
        "personnel"
    )
    target[strike] = schema.TARGET_TYPES.index("militia")

    precision = raw["date_prec"]
    month = precision.isin([4, 5]).fillna(False).to_numpy()
    date = raw["date_start"].where(~month, raw["date_start"].dt.to_period("M").dt.start_time)
    date_note = (
        "UCDP date_prec "
        + precision.astype("string").fillna("?")
        + ": "
        + raw["date_start"].dt.strftime("%Y-%m-%d").fillna("?")
        + " to "
        + raw["date_end"].dt.strftime("%Y-%m-%d").fillna("?")
    )
    frame = canon.canonical_frame(
        {
            "event_id": "UCDP:" + raw["id"].astype("string"),
            "date": date,
            "date_precision": canon.codes(precision, UCDP_DATE_PRECISION, schema.DATE_PRECISIONS),
            "date_note": date_note,
            "event_type": event_type,
            "country": canon.country_category(raw["country"].astype("str")),
            "admin1": raw["adm_1"] if "adm_1" in raw.columns else None,
            "location": raw["where_coordinates"] if "where_coordinates" in raw.columns else None,
            "latitude": raw["latitude"],
            "longitude": raw["longitude"],
            "geo_precision": canon.codes(
                raw["where_prec"], UCDP_WHERE_PRECISION, schema.GEO_PRECISIONS
            ),
            "target_type": target,
            "weapon": weapon,
            "killed": raw["best"],
            "killed_max": raw["high"] if "high" in raw.columns else None,
            "figures_disputed": (
                (raw["low"] != raw["high"]).fillna(False).to_numpy()
                if {"low", "high"} <= set(raw.columns)
                else np.zeros(n, dtype=bool)
            ),
            "summary": raw["source_headline"] if "source_headline" in raw.columns else None,
            "n_sources": raw["number_of_sources"] if "number_of_sources" in raw.columns else None,
        },
        raw.index,
    )
    return canon.with_source(frame, raw, "ucdp_")
