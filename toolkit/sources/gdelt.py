"""GDELT event exports: GDELT 2.0 (61 columns) and GDELT 1.0 daily files (58 and 57 columns)."""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .. import schema
from ..errors import FormatError
from . import _canonical as canon
from ._io import (
    DEFAULT_CHUNK_THRESHOLD,
    Problems,
    first_rows,
    flag_problems,
    paths_from,
    read_delimited,
    sources_of,
)

__all__ = [
    "CAMEO_WEAPONS",
    "GDELT1_COLUMNS",
    "GDELT2_COLUMNS",
    "GDELT_GEO_PRECISION",
    "read_gdelt",
]

_ACTOR = [
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
]
_EVENT = [
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
]


def _geo(prefix: str, adm2: bool) -> list[str]:
    names = ["Type", "FullName", "CountryCode", "ADM1Code"]
    names += ["ADM2Code"] if adm2 else []
    return [f"{prefix}Geo_{n}" for n in [*names, "Lat", "Long", "FeatureID"]]


def _columns(adm2: bool, url: bool) -> tuple[str, ...]:
    names = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    names += [f"Actor1{n}" for n in _ACTOR] + [f"Actor2{n}" for n in _ACTOR] + _EVENT
    for prefix in ("Actor1", "Actor2", "Action"):
        names += _geo(prefix, adm2)
    names += ["DATEADDED"] + (["SOURCEURL"] if url else [])
    return tuple(names)


#: GDELT 2.0 event export columns (61; ``DATEADDED`` is YYYYMMDDHHMMSS).
GDELT2_COLUMNS = _columns(adm2=True, url=True)
#: GDELT 1.0 daily export columns (58; files before April 2013 have 57, without SOURCEURL).
GDELT1_COLUMNS = _columns(adm2=False, url=True)
_BY_COUNT = {61: GDELT2_COLUMNS, 58: GDELT1_COLUMNS, 57: GDELT1_COLUMNS[:-1]}

#: CAMEO codes (most specific first: 4-digit, 3-digit, then root) -> weapon. Root codes 18
#: (assault), 19 (fight) and 20 (unconventional mass violence) are attacks; other roots are
#: not violence and get no event_type.
CAMEO_WEAPONS = {
    "183": "ied",  # suicide, car or other non-military bombing (1831-1834)
    "1822": "unknown",  # torture
    "186": "small_arms",  # assassinate
    "190": "unknown",  # use conventional military force, not specified
    "191": "unknown",  # blockade, restrict movement
    "192": "unknown",  # occupy territory
    "193": "small_arms",  # fight with small arms and light weapons
    "194": "rocket",  # fight with artillery and tanks (indirect fire)
    "195": "drone",  # employ aerial weapons (1951 precision-guided, 1952 remotely piloted)
    "196": "unknown",  # violate ceasefire
    "18": "unknown",
    "19": "unknown",
    "20": "unknown",
}
#: ActionGeo_Type -> geo_precision (1 country; 2 US state and 5 world ADM1: governorate;
#: 3 US city and 4 world city: town).
GDELT_GEO_PRECISION = {
    "1": "country",
    "2": "governorate",
    "3": "town",
    "4": "town",
    "5": "governorate",
}
#: FIPS 10-4 country codes of ActionGeo_CountryCode -> country names (others kept as the code).
FIPS_COUNTRIES = {
    "IZ": "Iraq",
    "SY": "Syria",
    "JO": "Jordan",
    "IR": "Iran",
    "TU": "Turkey",
    "KU": "Kuwait",
    "SA": "Saudi Arabia",
    "LE": "Lebanon",
    "IS": "Israel",
    "US": "United States",
}
GDELT_URL = "https://www.gdeltproject.org/data.html"


def _detect(path) -> tuple[str, ...]:
    rows = first_rows(path, "\t", n=1)
    path = getattr(path, "name", path)
    fields = rows[0] if rows else []
    if fields and fields[0] == "GLOBALEVENTID":
        raise FormatError(
            f"{path}: has a header row; GDELT exports have none (remove the header line, or "
            "read it with pandas.read_csv(sep='\\t'))"
        )
    columns = _BY_COUNT.get(len(fields))
    if columns is None or not fields[0].strip().isdigit():
        found = (
            f"{len(fields)} tab-separated field(s)"
            if len(fields) > 1
            else f"a line starting {fields[0][:60]!r}"
            if fields
            else "an empty file"
        )
        comma = fields[0].split(",") if len(fields) == 1 else []
        hint = ""
        if "event_id_cnty" in comma:
            hint = " It looks like an ACLED export (use toolkit.read_acled)."
        elif "type_of_violence" in comma:
            hint = " It looks like a UCDP GED file (use toolkit.read_ucdp_ged)."
        raise FormatError(
            f"{path}: not a GDELT event export: found {found}; expected a tab-separated file "
            "without header whose rows have 61 fields (GDELT 2.0: GLOBALEVENTID, SQLDATE, ... "
            "SOURCEURL), 58 (GDELT 1.0 daily file) or 57 (GDELT 1.0 before April 2013, no "
            f"SOURCEURL), starting with a numeric GLOBALEVENTID.{hint}"
        )
    return columns


_INT = ("GLOBALEVENTID", "MonthYear", "Year", "IsRootEvent", "QuadClass")
_INT += ("NumMentions", "NumSources", "NumArticles")
_FLOAT = ("FractionDate", "GoldsteinScale", "AvgTone")


def _typed(frame: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    out = frame.copy()
    checks = []
    canon.checked_dates(
        frame, out, checks, "SQLDATE", ("%Y%m%d",), "is not a date (expected YYYYMMDD)", False
    )
    canon.checked_dates(
        frame,
        out,
        checks,
        "DATEADDED",
        ("%Y%m%d%H%M%S", "%Y%m%d"),
        "is not a date (YYYYMMDD[HHMMSS])",
        False,
    )
    canon.checked_numbers(frame, out, checks, _INT, "int", "is not a whole number")
    canon.checked_numbers(frame, out, checks, _FLOAT, "float", "is not a number")
    for prefix in ("Actor1", "Actor2", "Action"):
        canon.checked_numbers(frame, out, checks, [f"{prefix}Geo_Type"], "int", "is not 0-5")
        for axis, limit in (("Lat", 90), ("Long", 180)):
            canon.checked_coordinate(frame, out, checks, f"{prefix}Geo_{axis}", limit)
    # CAMEO codes stay text: "043" is not 43
    return out, checks


def read_gdelt(
    path_or_glob: str | os.PathLike | Iterable,
    *,
    to_canonical: bool = True,
    progress: bool | None = None,
    chunk_threshold: int = DEFAULT_CHUNK_THRESHOLD,
    engine: str = "pandas",
    start=None,
    end=None,
    countries: Iterable[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    blocksize: int | None = None,
):
    """Read GDELT event exports (one file, a glob pattern, or a list) into the event schema.

    Accepts GDELT 2.0 exports (61 tab-separated columns, no header) and GDELT 1.0 daily files
    (58 columns; 57 before April 2013, without SOURCEURL), several at once (their rows are
    concatenated in file order; a ``gdelt_file`` column says where each row came from).
    CAMEO codes (``EventCode``, ``EventBaseCode``, ``EventRootCode``, actor codes) stay text,
    leading zeros included (``"043"``). Files may be ``.gz`` or ``.zip`` as GDELT publishes
    them (``20200108.export.CSV.zip``; each member is read as a file), UTF-8 line by line
    (a line that is not is decoded as Windows-1252 and flagged) or UTF-16 with a byte-order
    mark. An impossible ``SQLDATE`` (``20200230``) is flagged, never rolled over.

    With ``to_canonical=True`` (default) returns a GeoDataFrame with the columns and dtypes of
    :func:`toolkit.load_events` (``event_id`` ``GDELT:<GLOBALEVENTID>``; event type, weapon
    and precisions mapped as documented in the README; location from ``ActionGeo_*``), the
    GDELT columns kept as ``gdelt_<name>`` and ``parse_problems``. With ``to_canonical=False``
    the GDELT columns with dtypes (dates, ``Int64``, ``float64``, codes as text).

    ``start``, ``end`` (``SQLDATE``, inclusive), ``countries`` (names such as ``"Iraq"`` or
    FIPS codes such as ``"IZ"`` of ``ActionGeo_CountryCode``) and ``bbox`` (``(min_lon,
    min_lat, max_lon, max_lat)`` of ``ActionGeo_Long``/``ActionGeo_Lat``) keep only the rows
    that match, tested on the typed GDELT columns before the mapping to the event schema (so
    the mapping runs on those rows only). Their problems stay in :func:`toolkit.problems`.

    ``engine="dask"`` (needs the ``scale`` extra: ``pip install ".[scale]"``) returns a lazy
    ``dask_geopandas.GeoDataFrame`` instead: one partition per file (per archive member, or per
    ``blocksize`` bytes of a large uncompressed file, default 256 MiB), each read and mapped by
    the same code as the pandas engine, on whatever ``dask.distributed`` client is active
    (the toolkit starts none). ``.compute()`` gives the rows of the pandas engine (the index
    restarts in each partition; ``country`` categories are the union of the partitions').
    :func:`toolkit.problems` of that frame is a lazy table of the partitions' problems.

    Rows that do not parse (bad date, coordinates, wrong field count) are kept and flagged in
    ``parse_problems``, counted in ``.attrs["n_problem_rows"]`` and named in a
    :class:`~toolkit.sources.ParseWarning`. A file that is not a GDELT export raises
    :class:`toolkit.FormatError` saying what was found and what is accepted.

    Parameters
    ----------
    path_or_glob : str, path-like or iterable of them
        One file, a glob pattern (``"exports/2020*.export.CSV.zip"``) or a list of files.
    to_canonical : bool, default True
        Map to the event schema (True) or return GDELT's own columns with dtypes (False).
    progress : bool or None, optional
        Progress bar (tqdm) while reading; None: only for files above ``chunk_threshold`` read
        in a terminal.
    chunk_threshold : int, default 512 MiB
        Files larger than this many bytes are read in blocks (with the progress bar).
    engine : {"pandas", "dask"}, default "pandas"
        "dask": a lazy ``dask_geopandas.GeoDataFrame`` (see above).
    start, end : date-like, optional
        Keep rows whose ``SQLDATE`` falls within [start, end].
    countries : iterable of str, optional
        Keep rows whose ``ActionGeo_CountryCode`` is one of these (names or FIPS codes).
    bbox : tuple of four floats, optional
        ``(min_lon, min_lat, max_lon, max_lat)``: keep rows whose action point is inside.
    blocksize : int, optional
        With ``engine="dask"``, bytes per partition of a large uncompressed file (default
        256 MiB).

    Returns
    -------
    geopandas.GeoDataFrame, pandas.DataFrame or dask_geopandas.GeoDataFrame
        The rows kept, with ``parse_problems``; ``.attrs`` holds the source, files, problems
        and ``n_problem_rows``.

    Raises
    ------
    FormatError
        A file is not a GDELT export (a header row, the wrong number of columns, a damaged or
        binary file), a file or pattern matches nothing, ``engine`` is not accepted, ``bbox``
        is not ``(min_lon, min_lat, max_lon, max_lat)`` with min <= max, or
        ``engine="dask"`` is asked for without the ``scale`` extra.

    Examples
    --------
    One row of a GDELT 2.0 export (the Camp Taji rocket attack of 11 March 2020), written to
    a temporary folder:

    >>> import pathlib, tempfile
    >>> import toolkit
    >>> from toolkit.sources.gdelt import GDELT2_COLUMNS
    >>> row = dict.fromkeys(GDELT2_COLUMNS, "")
    >>> row.update(
    ...     GLOBALEVENTID="900000003", SQLDATE="20200311", MonthYear="202003", Year="2020",
    ...     FractionDate="2020.1918", Actor2Code="USAMIL", Actor2Name="UNITED STATES",
    ...     Actor2CountryCode="USA", Actor2Type1Code="MIL", IsRootEvent="1", EventCode="194",
    ...     EventBaseCode="194", EventRootCode="19", QuadClass="4", GoldsteinScale="-10.0",
    ...     NumMentions="10", NumSources="2", NumArticles="10", AvgTone="-6.1",
    ...     ActionGeo_Type="4", ActionGeo_FullName="Taji, Baghdad, Iraq",
    ...     ActionGeo_CountryCode="IZ", ActionGeo_ADM1Code="IZ07", ActionGeo_Lat="33.5239",
    ...     ActionGeo_Long="44.2567", DATEADDED="20200311213000",
    ...     SOURCEURL="https://www.reuters.com/article/us-iraq-security-idUSKBN20Y33L",
    ... )
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(folder.name) / "20200311.export.CSV"
    >>> _ = path.write_text("\\t".join(row.values()) + "\\n")
    >>> events = toolkit.read_gdelt(path)
    >>> events[["event_id", "event_type", "weapon", "country", "geo_precision"]].values.tolist()
    [['GDELT:900000003', 'attack', 'rocket', 'Iraq', 'town']]
    >>> events.loc[0, "gdelt_EventCode"], str(events.loc[0, "date"].date())
    ('194', '2020-03-11')
    >>> len(toolkit.read_gdelt(path, countries=["Syria"]))
    0
    >>> toolkit.read_gdelt(path, to_canonical=False)["SQLDATE"].dtype.kind
    'M'
    >>> folder.cleanup()
    """
    filters = RowFilter.make(start, end, countries, bbox)
    sources = [s for p in paths_from(path_or_glob) for s in sources_of(p)]
    if engine == "dask":
        from .. import scale

        return scale.read_gdelt_dask(
            sources, to_canonical=to_canonical, filters=filters, blocksize=blocksize
        )
    if engine != "pandas":
        raise FormatError(f"engine={engine!r} is not accepted (expected 'pandas' or 'dask')")
    frames, problems, encodings, files = [], [], [], []
    for source in sources:
        typed, found, encoding = read_part(source, progress, chunk_threshold)
        problems += found
        files.append(source.name)
        frames.append(typed)
        encodings.append(encoding)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame = conform(frame)
    attrs = {
        "source": "GDELT",
        "files": files,
        "encoding": encodings[0] if len(set(encodings)) == 1 else encodings,
        "n_problem_rows": int(frame["parse_problems"].notna().sum()),
        "problems": Problems.from_problems(problems),
    }
    if filters is not None:
        frame = filters.apply(frame)
        attrs["filtered"] = filters.describe()
    return canon.finish(frame, attrs, to_canonical, _canonical)


def read_part(
    source, progress=None, chunk_threshold=DEFAULT_CHUNK_THRESHOLD, first_line=1, warn=True
):
    """One file (or archive member, or block) read and typed: the frame, its problems and
    encoding. Both engines read each part with this (the Dask engine with ``warn=False``: its
    problems go to the problems table, not to a worker's log)."""
    columns = _detect(source)
    raw = read_delimited(
        source,
        names=columns,
        delimiter="\t",
        progress=progress,
        chunk_threshold=chunk_threshold,
    )
    if first_line != 1 and raw.lines is not None:  # a block of a file: lines in the file
        raw.lines = raw.lines + (first_line - 1)
        raw.problems = [(p, line + first_line - 1, *rest) for p, line, *rest in raw.problems]
    typed, checks = _typed(raw.frame)
    found = list(flag_problems(raw, typed, checks, warn=warn))
    typed["file"] = source.name
    return typed, found, raw.encoding


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """The GDELT 2.0 columns in order (absent ones from older files empty), ``file`` and
    ``parse_problems``."""
    absent = [c for c in GDELT2_COLUMNS if c not in frame.columns]
    frame = frame.reindex(columns=[*GDELT2_COLUMNS, "file", "parse_problems"])
    for column in frame.columns:
        # a column absent from older files (SOURCEURL, *ADM2Code) is text, as in GDELT 2.0
        if frame[column].dtype == object or column in absent:
            frame[column] = frame[column].astype("str")
    return frame


class RowFilter:
    """Rows kept by date, country and bounding box, tested on the typed GDELT columns."""

    def __init__(self, start, end, countries, bbox):
        self.start = pd.Timestamp(start) if start is not None else None
        self.end = pd.Timestamp(end) if end is not None else None
        self.countries = None
        if countries is not None:
            if isinstance(countries, str):
                countries = [countries]
            names = {v: k for k, v in FIPS_COUNTRIES.items()}
            self.countries = sorted({names.get(c, c) for c in countries})
        self.bbox = None
        if bbox is not None:
            values = [float(v) for v in bbox]
            if len(values) != 4 or values[0] > values[2] or values[1] > values[3]:
                raise FormatError(
                    f"bbox={tuple(bbox)!r} is not accepted (expected (min_lon, min_lat, "
                    "max_lon, max_lat) with min <= max)"
                )
            self.bbox = tuple(values)

    @classmethod
    def make(cls, start, end, countries, bbox) -> RowFilter | None:
        if start is None and end is None and countries is None and bbox is None:
            return None
        return cls(start, end, countries, bbox)

    def mask(self, frame: pd.DataFrame) -> np.ndarray:
        keep = np.ones(len(frame), dtype=bool)
        date = frame["SQLDATE"]
        if self.start is not None:
            keep &= (date >= self.start).fillna(False).to_numpy(dtype=bool)
        if self.end is not None:
            keep &= (date <= self.end).fillna(False).to_numpy(dtype=bool)
        if self.countries is not None:
            code = frame["ActionGeo_CountryCode"].astype("string")
            keep &= code.isin(self.countries).fillna(False).to_numpy(dtype=bool)
        if self.bbox is not None:
            lon = frame["ActionGeo_Long"].to_numpy(dtype="float64", na_value=np.nan)
            lat = frame["ActionGeo_Lat"].to_numpy(dtype="float64", na_value=np.nan)
            min_lon, min_lat, max_lon, max_lat = self.bbox
            keep &= (lon >= min_lon) & (lon <= max_lon) & (lat >= min_lat) & (lat <= max_lat)
        return keep

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame[self.mask(frame)]

    def describe(self) -> str:
        parts = []
        if self.start is not None or self.end is not None:
            parts.append(f"SQLDATE {self.start or '...'} to {self.end or '...'}")
        if self.countries is not None:
            parts.append(f"ActionGeo_CountryCode in {self.countries}")
        if self.bbox is not None:
            parts.append(f"ActionGeo_Long/Lat in {self.bbox}")
        return "; ".join(parts)


def _canonical(raw: pd.DataFrame):
    n = len(raw)
    root = raw["EventRootCode"].astype("string").str.strip()
    code = raw["EventCode"].astype("string").str.strip()
    violent = root.isin(["18", "19", "20"]).fillna(False).to_numpy()
    us_actor = (raw["Actor1CountryCode"] == "USA").fillna(False).to_numpy().copy()
    us_actor |= raw["Actor1Code"].astype("string").str.startswith("USA").fillna(False).to_numpy()
    event_type = np.full(n, -1, dtype=np.int8)
    event_type[violent] = schema.EVENT_TYPES.index("attack")
    event_type[violent & us_actor] = schema.EVENT_TYPES.index("us_strike")
    strike = violent & us_actor

    def cameo_weapon(pair: str) -> str:
        code, root = pair.split("|")
        found = CAMEO_WEAPONS.get(code[:4]) or CAMEO_WEAPONS.get(code[:3])
        return found or CAMEO_WEAPONS.get(root) or "unknown"

    pairs = code.fillna("") + "|" + root.fillna("")
    weapon_name = _per_distinct(pairs, cameo_weapon).to_numpy(dtype=object)
    weapon_name[strike & (weapon_name == "drone")] = "airstrike"
    weapon_name[~violent] = "unknown"
    weapon = pd.Categorical(weapon_name, categories=list(schema.WEAPONS))

    actor2 = raw["Actor2Code"].astype("string").fillna("")
    target = np.full(n, "other", dtype=object)
    target[actor2.str.startswith("USA").to_numpy() & actor2.str.contains("MIL").to_numpy()] = (
        "personnel"
    )
    target[actor2.str.startswith("USAGOV").to_numpy()] = "diplomatic"
    target[strike] = "militia"

    # place names, country codes and dates repeat: each distinct value is handled once
    full_name = raw["ActionGeo_FullName"]
    location = _per_distinct(full_name, lambda v: v.split(", ")[0])
    admin1 = _per_distinct(full_name, lambda v: v.split(", ")[-2] if ", " in v else None)
    country = _per_distinct(raw["ActionGeo_CountryCode"], lambda c: FIPS_COUNTRIES.get(c, c))
    label = (
        "CAMEO "
        + code.fillna("?")
        + ": "
        + raw["Actor1Name"].astype("string").fillna("?")
        + " -> "
        + raw["Actor2Name"].astype("string").fillna("?")
    )
    date_note = "GDELT SQLDATE; added " + _per_distinct(
        raw["DATEADDED"].dt.normalize(), lambda d: d.strftime("%Y-%m-%d")
    )
    frame = canon.canonical_frame(
        {
            "event_id": "GDELT:" + raw["GLOBALEVENTID"].astype("string"),
            "date": raw["SQLDATE"],
            "date_precision": np.zeros(n, dtype=np.int8),  # day
            "date_note": date_note,
            "event_type": event_type,
            "country": canon.country_category(country.astype("str")),
            "admin1": admin1,
            "location": location,
            "latitude": raw["ActionGeo_Lat"],
            "longitude": raw["ActionGeo_Long"],
            "geo_precision": canon.codes(
                raw["ActionGeo_Type"].astype("string"), GDELT_GEO_PRECISION, schema.GEO_PRECISIONS
            ),
            "target_type": pd.Categorical(target, categories=list(schema.TARGET_TYPES)),
            "weapon": weapon,
            "figures_disputed": np.zeros(n, dtype=bool),
            "summary": label,
            "n_sources": raw["NumSources"],
        },
        raw.index,
    )
    return canon.with_source(frame, raw, "gdelt_")


def _per_distinct(values: pd.Series, function) -> pd.Series:
    """``function`` of each value (``string`` dtype; missing stays missing), computed once per
    distinct value: GDELT repeats its places, codes and dates on thousands of rows."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([function(v) for v in distinct] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype="string")
