"""The gazetteer table: load it, check it, extend it for the session.

``data/places.parquet`` (built by ``scripts/build_places.py`` from Who's On First, OCHA COD-AB,
GeoNames, airportsdata and the hand-researched sites; see ``data/PLACES.md``) holds one row per
place of Iraq, Syria and Jordan with all its names and each name's source. ``load_places``
returns it; ``add_places`` adds rows for the session after checking them as strictly as the
shipped file; ``reset_places`` goes back to the shipped table. Name resolution lives in
:mod:`toolkit.geocode`.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from ._paths import data_dir
from .errors import DataValidationError, FormatError, Problem
from .schema import GEO_PRECISIONS

__all__ = [
    "ADMIN_COLUMNS",
    "FEATURE_TYPES",
    "GEO_PRECISIONS",
    "PLACE_COLUMNS",
    "REQUIRED_PLACE_COLUMNS",
    "add_places",
    "load_places",
    "reset_places",
]

#: Kinds of place in ``data/places.parquet``.
FEATURE_TYPES = (
    "governorate",
    "district",
    "sub_district",
    "city",
    "town",
    "village",
    "neighbourhood",
    "military_base",
    "airport",
    "diplomatic",
    "oilfield",
    "border_crossing",
)
#: Administrative units of each place (Iraq: OCHA COD-AB names and P-codes).
ADMIN_COLUMNS = ("admin1", "admin1_pcode", "admin2", "admin2_pcode", "admin3", "admin3_pcode")
#: Columns of ``data/places.parquet``, in order.
PLACE_COLUMNS = (
    "place_id",
    "name",
    "feature_type",
    "latitude",
    "longitude",
    "geo_precision",
    *ADMIN_COLUMNS,
    "country",
    "name_ar",
    "alternate_names",
    "alternate_name_sources",
    "population",
    "geonames_id",
    "wof_id",
    "source",
    "source_url",
    "licence",
    "note",
)
_INTEGER_COLUMNS = ("population", "geonames_id", "wof_id")
#: Columns :func:`add_places` requires; the other columns of ``PLACE_COLUMNS`` are optional.
REQUIRED_PLACE_COLUMNS = ("place_id", "name", "feature_type", "latitude", "longitude", "country")


def _places_path():
    return data_dir() / "places.parquet"


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _as_text(value) -> str:
    return "" if _is_missing(value) else str(value).strip()


def _place_problems(df: pd.DataFrame, file: str, rows: list) -> list[Problem]:
    """Problems of the id, kind, precision and coordinates of each row (all values text)."""
    problems = []
    for row, pid, ftype, prec, lat, lon in zip(
        rows,
        df["place_id"],
        df["feature_type"],
        df["geo_precision"],
        df["latitude"],
        df["longitude"],
        strict=True,
    ):
        if not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", pid):
            problems.append(Problem(file, row, "place_id", pid, "is not a snake_case id"))
        if ftype not in FEATURE_TYPES:
            problems.append(
                Problem(file, row, "feature_type", ftype, f"is not one of {FEATURE_TYPES}")
            )
        if prec not in GEO_PRECISIONS:
            problems.append(
                Problem(file, row, "geo_precision", prec, f"is not one of {GEO_PRECISIONS}")
            )
        for column, value, low, high in (("latitude", lat, -90, 90), ("longitude", lon, -180, 180)):
            try:
                ok = low <= float(value) <= high
            except (TypeError, ValueError):
                ok = False
            if not ok:
                problems.append(
                    Problem(file, row, column, value, f"is not a number in [{low}, {high}]")
                )
    return problems


def _typed_places(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["latitude"] = df["latitude"].astype(float)
    df["longitude"] = df["longitude"].astype(float)
    for column in _INTEGER_COLUMNS:
        values = df[column] if column in df.columns else pd.Series("", index=df.index)
        df[column] = pd.array(pd.to_numeric(values.replace("", None)), dtype="Int64")
    return df


@functools.cache
def _shipped_places() -> pd.DataFrame:
    path = _places_path()
    if not path.exists():
        raise FormatError(
            f"{path}: file not found (expected the shipped gazetteer; regenerate it with "
            "scripts/build_places.py)"
        )
    df = pd.read_parquet(path, engine="pyarrow")
    file = str(path)
    missing = [c for c in PLACE_COLUMNS if c not in df.columns]
    if missing:
        raise DataValidationError(
            [Problem(file, None, c, None, "column is missing") for c in missing]
        )
    text = [c for c in PLACE_COLUMNS if c not in (*_INTEGER_COLUMNS, "latitude", "longitude")]
    for column in text:
        df[column] = df[column].astype(object).where(df[column].notna(), "").astype(str)
    # one vectorised pass for the common case; the row-by-row check only when something is off
    ok = (
        df["place_id"].str.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*").all()
        and df["feature_type"].isin(FEATURE_TYPES).all()
        and df["geo_precision"].isin(GEO_PRECISIONS).all()
        and df["latitude"].between(-90, 90).all()
        and df["longitude"].between(-180, 180).all()
        and not df["place_id"].duplicated().any()
    )
    if not ok:
        rows = list(range(len(df)))
        problems = _place_problems(df, file, rows)
        problems += [
            Problem(file, row, "place_id", df["place_id"].iloc[row], "is a duplicate")
            for row in np.flatnonzero(df["place_id"].duplicated().to_numpy())
        ]
        if problems:
            raise DataValidationError(problems)
    df = df[list(PLACE_COLUMNS)]
    for column in _INTEGER_COLUMNS:
        df[column] = df[column].astype("Int64")
    return df


# Places added with add_places for this session, in the order they were added.
_ADDED: list[pd.DataFrame] = []
# Caches built from the place table (the geocoder's index) register here to be dropped with it.
_DEPENDENTS: list[Callable[[], None]] = []


@functools.cache
def _places_table() -> pd.DataFrame:
    """The shipped gazetteer followed by the places added this session."""
    shipped = _shipped_places()
    if not _ADDED:
        return shipped
    return pd.concat([shipped, *_ADDED], ignore_index=True)


def _forget_indexes() -> None:
    """Drop everything built from the place table; the next call rebuilds it."""
    _places_table.cache_clear()
    for clear in _DEPENDENTS:
        clear()


def load_places():
    """Return the gazetteer as a GeoDataFrame (EPSG:4326), one row per place.

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of ``data/places.parquet`` (see ``data/PLACES.md``): ``place_id``,
        ``name``, ``feature_type``, ``latitude``, ``longitude``, ``geo_precision``,
        ``admin1``, ``admin1_pcode``, ``admin2``, ``admin2_pcode``, ``admin3``,
        ``admin3_pcode`` (Iraq: OCHA COD-AB; Syria and Jordan: Who's On First, no P-codes),
        ``country``, ``name_ar``, ``alternate_names`` (``|``-separated),
        ``alternate_name_sources`` (``|``-separated, one entry per alternate name: where it
        comes from, ``+`` between several sources), ``population``, ``geonames_id``,
        ``wof_id`` (``Int64``), ``source``, ``source_url``, ``licence``, ``note``; plus point
        ``geometry``.

    Examples
    --------
    >>> import toolkit
    >>> places = toolkit.load_places()
    >>> places.set_index("place_id").loc["ain_al_asad", ["admin1", "feature_type"]].tolist()
    ['Anbar', 'military_base']
    >>> places.set_index("place_id").loc["ghazaliya", ["admin1", "admin2_pcode"]].tolist()
    ['Baghdad', 'IQG08Q02']
    """
    import geopandas as gpd

    df = _places_table().copy()
    geometry = gpd.points_from_xy(df["longitude"], df["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")


# ----------------------------------------------------------------------------------------------
# places added for the session

_ADDED_SOURCE = "added with toolkit.add_places (this session)"


def _read_new_places(places) -> tuple[pd.DataFrame, str, list]:
    """The table given to add_places, its name in messages and its row labels."""
    from pathlib import Path

    if isinstance(places, (str, Path)):
        path = Path(places)
        if not path.exists():
            raise FormatError(f"add_places: {path}: file not found (expected a CSV of places)")
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        return df, str(path), list(range(2, len(df) + 2))
    if isinstance(places, pd.DataFrame):
        return places, "add_places", list(places.index)
    raise FormatError(
        f"add_places: places is a {type(places).__name__} (expected a pandas DataFrame or the "
        "path of a CSV file with the columns of data/places.parquet)"
    )


def add_places(places):
    """Add places to the gazetteer for the rest of the session.

    The new rows are checked as strictly as the shipped table and then seen by
    :func:`geocode`, :func:`find_places`, :func:`reverse_geocode` and :func:`load_places` until
    :func:`reset_places` is called or Python exits. Nothing is written to ``data/``: to share a
    place with others, add it to ``data/sites_researched.csv`` with a cited source.

    Parameters
    ----------
    places : pandas.DataFrame or path of a CSV file
        One row per place, with the columns of ``data/places.parquet`` (see ``data/PLACES.md``).
        Required: ``place_id`` (snake_case, not already in the gazetteer), ``name``,
        ``feature_type`` (one of ``FEATURE_TYPES``), ``latitude``, ``longitude`` (WGS84, a
        point inside the country) and ``country`` (``Iraq``, ``Syria`` or ``Jordan``).
        Optional: ``admin1`` (a governorate of the country, any of its names; when empty it
        is taken from the governorate polygons, as are ``admin2``, ``admin3`` and, for Iraq,
        the COD-AB P-codes), ``alternate_names`` (``|``-separated, any
        script), ``geo_precision`` (default ``site``), ``population``, ``source`` (default
        "added with toolkit.add_places (this session)"), ``source_url``, ``licence``, ``note``.

    Returns
    -------
    geopandas.GeoDataFrame
        The added rows as :func:`load_places` now returns them (administrative units filled
        in).

    Raises
    ------
    DataValidationError
        Listing every problem at once: file (or ``add_places`` for a DataFrame), row (CSV line
        number, or the DataFrame's index label), column, value and what is expected. Nothing
        is added when any row is wrong.
    FormatError
        When ``places`` is neither a DataFrame nor the path of an existing file.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit
    >>> new = pd.DataFrame(
    ...     {
    ...         "place_id": ["camp_speicher"],
    ...         "name": ["Camp Speicher"],
    ...         "feature_type": ["military_base"],
    ...         "latitude": [34.6775],
    ...         "longitude": [43.55056],
    ...         "country": ["Iraq"],
    ...         "alternate_names": ["COB Speicher|Tikrit Air Academy|سبايكر"],
    ...     }
    ... )
    >>> added = toolkit.add_places(new)
    >>> added[["place_id", "admin1", "admin2_pcode", "geo_precision"]].values.tolist()
    [['camp_speicher', 'Salah al-Din', 'IQG16Q06', 'site']]
    >>> toolkit.geocode("سبايكر")[["place_id", "status"]].values.tolist()
    [['camp_speicher', 'alias']]
    >>> toolkit.reset_places()
    """
    from .geocode import _gazetteer, analyse_name, reverse_geocode
    from .schema import COUNTRIES, _country_check

    df, file, rows = _read_new_places(places)
    problems: list[Problem] = []
    columns = [c for c in df.columns if c != "geometry"]
    missing = [c for c in REQUIRED_PLACE_COLUMNS if c not in columns]
    if missing:
        required = ", ".join(REQUIRED_PLACE_COLUMNS)
        problems += [
            Problem(
                file, None, "", c, f"is a required column and is missing (required: {required})"
            )
            for c in missing
        ]
    accepted = ", ".join(PLACE_COLUMNS)
    problems += [
        Problem(file, None, "", c, f"is not a column of the place table (accepted: {accepted})")
        for c in columns
        if c not in PLACE_COLUMNS
    ]
    if problems:
        raise DataValidationError(problems)

    new = pd.DataFrame(
        {c: [_as_text(v) for v in df[c]] if c in df.columns else "" for c in PLACE_COLUMNS},
        index=range(len(df)),
        columns=list(PLACE_COLUMNS),
    )
    new.loc[new["geo_precision"] == "", "geo_precision"] = "site"
    new.loc[new["source"] == "", "source"] = _ADDED_SOURCE
    problems = _place_problems(new, file, rows)
    g = _gazetteer()
    taken = set(g.ids)
    seen: set[str] = set()
    for i, row in enumerate(rows):
        pid, name, country = new.at[i, "place_id"], new.at[i, "name"], new.at[i, "country"]
        if pid in taken:
            problems.append(
                Problem(
                    file,
                    row,
                    "place_id",
                    pid,
                    "is already a place of the gazetteer (expected a new id; reset_places() "
                    "drops the places added earlier)",
                )
            )
        elif pid in seen:
            problems.append(Problem(file, row, "place_id", pid, "is a duplicate"))
        seen.add(pid)
        if not name:
            problems.append(Problem(file, row, "name", name, "is empty (a name is required)"))
        if country not in COUNTRIES:
            problems.append(Problem(file, row, "country", country, f"is not one of {COUNTRIES}"))
        admin1 = new.at[i, "admin1"]
        if admin1 and country in COUNTRIES:
            found = {a for c, a in g.admin1_lookup.get(analyse_name(admin1)[0], ()) if c == country}
            if len(found) == 1:
                new.at[i, "admin1"] = found.pop()
            else:
                problems.append(
                    Problem(
                        file,
                        row,
                        "admin1",
                        admin1,
                        f"is not a governorate of {country} (expected one of: "
                        f"{', '.join(g.admin1_names.get(country, ()))})",
                    )
                )
        population = new.at[i, "population"]
        if population.endswith(".0"):
            population = new.at[i, "population"] = population[:-2]
        if population and not population.isdigit():
            problems.append(
                Problem(file, row, "population", population, "is not a whole number >= 0")
            )
    lat = pd.to_numeric(new["latitude"], errors="coerce")
    lon = pd.to_numeric(new["longitude"], errors="coerce")
    for i, country in _country_check(new["country"].tolist(), lat.tolist(), lon.tolist()):
        problems.append(
            Problem(
                file,
                rows[i],
                "latitude/longitude",
                (float(lat.iloc[i]), float(lon.iloc[i])),
                f"is outside {country} (expected a point inside the country)",
            )
        )
    if problems:
        order = {row: i for i, row in enumerate(rows)}
        raise DataValidationError(sorted(problems, key=lambda p: order.get(p.row, -1)))
    if new.empty:
        return load_places().iloc[:0]

    # Administrative units from the boundaries (Iraq: COD-AB, with P-codes); a governorate
    # given by the caller is kept.
    lookup = reverse_geocode(list(zip(lon, lat, strict=True)))
    for i in range(len(new)):
        if lookup["country"].iloc[i] != new.at[i, "country"]:
            continue
        given = new.at[i, "admin1"]
        if given and given != lookup["admin1"].iloc[i]:
            continue  # the caller's governorate disagrees with the polygons: keep theirs only
        for column in ADMIN_COLUMNS:
            if not new.at[i, column]:
                new.at[i, column] = lookup[column].iloc[i] or ""
    _ADDED.append(_typed_places(new))
    _forget_indexes()
    out = load_places()
    return out[out["place_id"].isin(new["place_id"])]


def reset_places() -> None:
    """Forget the places added with :func:`add_places`: back to the shipped gazetteer.

    The geocoder's indexes are rebuilt from the shipped table on their next use; when nothing
    was added this does nothing.

    Returns
    -------
    None
        The gazetteer is changed in place for the rest of the session.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit
    >>> shipped = len(toolkit.load_places())
    >>> _ = toolkit.add_places(
    ...     pd.DataFrame(
    ...         {
    ...             "place_id": ["camp_taji_north_gate"],
    ...             "name": ["Camp Taji north gate"],
    ...             "feature_type": ["military_base"],
    ...             "latitude": [33.53],
    ...             "longitude": [44.26],
    ...             "country": ["Iraq"],
    ...         }
    ...     )
    ... )
    >>> len(toolkit.load_places()) - shipped
    1
    >>> toolkit.reset_places()
    >>> len(toolkit.load_places()) == shipped
    True
    """
    if _ADDED:  # nothing added: the indexes are the shipped table's already
        _ADDED.clear()
        _forget_indexes()


def _outside_names() -> list[tuple[str, str]]:
    """(name, country code) of cities outside Iraq, Syria and Jordan (data/places_outside.csv.gz).

    Used by the geocoder so that "Sanaa" or "Hodeidah" stay ``not_found`` instead of being
    taken for a misspelt local village. Empty when the file is absent.
    """
    path = data_dir() / "places_outside.csv.gz"
    if not path.exists():
        return []
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return list(zip(df["name"], df["country_code"], strict=True))
