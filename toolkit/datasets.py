"""Loaders of the curated tables shipped in ``data/``.

Each loader reads its CSV file as text, validates it against :mod:`toolkit.schema` (every problem
reported at once) and returns a typed (Geo)DataFrame: datetimes, categoricals, nullable integers
and booleans. Files are read once per session and copies are handed out, so a caller can modify
what it gets without affecting the next call.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from . import schema
from ._geometry import to_geodataframe
from ._paths import data_dir
from .errors import DataValidationError, FormatError

__all__ = [
    "DATA_VERSION",
    "load_event_sources",
    "load_events",
    "load_key_events",
    "load_official_counts",
]

#: Version of the curated data in data/ (see data/CHANGELOG.md).
DATA_VERSION = "0.2.0"


def _read_text_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise FormatError(f"{path}: file not found (expected the shipped table in {path.parent})")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _typed(df: pd.DataFrame, columns: list[schema.Column]) -> pd.DataFrame:
    out = df.copy()
    for column in columns:
        values = out[column.name].replace("", None)
        if column.kind == "date":
            out[column.name] = pd.to_datetime(values, format="%Y-%m-%d")
        elif column.kind == "int":
            out[column.name] = pd.array(pd.to_numeric(values), dtype="Int64")
        elif column.kind == "float":
            out[column.name] = pd.to_numeric(values).astype("float64")
        elif column.kind == "bool":
            out[column.name] = pd.array(
                [None if pd.isna(v) else v in schema.TRUE_VALUES for v in values], dtype="boolean"
            )
        elif column.kind == "category":
            out[column.name] = pd.Categorical(values, categories=list(column.allowed))
        else:
            out[column.name] = values.astype("string")
    return out


@functools.cache
def _site_ids() -> frozenset[str] | None:
    path = data_dir() / "places.csv"
    if not path.exists():
        return None
    return frozenset(pd.read_csv(path, usecols=["place_id"], dtype=str)["place_id"])


@functools.cache
def _country_shapes():
    """Country polygons from data/boundaries/countries.geojson, or None when absent."""
    path = data_dir() / "boundaries" / "countries.geojson"
    if not path.exists():
        return None
    import geopandas as gpd

    countries = gpd.read_file(path)
    return dict(zip(countries["name"], countries.geometry, strict=True))


@functools.cache
def _events_and_sources() -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = data_dir()
    events = _read_text_csv(folder / "events.csv")
    sources = _read_text_csv(folder / "event_sources.csv")
    schema.validate_events(
        events,
        sources,
        file=str(folder / "events.csv"),
        sources_file=str(folder / "event_sources.csv"),
        site_ids=_site_ids(),
        line_numbers=True,
    )
    return _typed(events, schema.EVENTS), _typed(sources, schema.EVENT_SOURCES)


def _check_choice(argument: str, values: Iterable[str] | None, allowed: tuple[str, ...]):
    if values is None:
        return None
    chosen = [values] if isinstance(values, str) else list(values)
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise FormatError(
            f"{argument}={unknown!r} is not accepted (expected any of: {', '.join(allowed)})"
        )
    return chosen


def _check_date(argument: str, value) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return pd.to_datetime(value, format="ISO8601")
        return pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise FormatError(f"{argument}={value!r} is not a date (expected YYYY-MM-DD)") from error


def load_events(*, start=None, end=None, countries=None, event_types=None):
    """Return the curated events as a GeoDataFrame (EPSG:4326), one row per event.

    Parameters
    ----------
    start, end : date-like, optional
        Keep events whose ``date`` falls within [start, end] (inclusive).
    countries : str or list of str, optional
        Any of ``Iraq``, ``Syria``, ``Jordan``.
    event_types : str or list of str, optional
        ``attack`` and/or ``us_strike``.

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of ``data/events.csv`` with dtypes (``date`` datetime64, categoricals,
        nullable ``Int64`` counts, ``boolean`` flags) plus ``n_sources`` (how many sources cite
        the event) and point ``geometry`` (empty where the row has no coordinates).

    Examples
    --------
    >>> import toolkit
    >>> ev = toolkit.load_events(start="2020-01-08", end="2020-01-08", event_types="attack")
    >>> ev[["site_id", "weapon"]].iloc[0].tolist()
    ['ain_al_asad', 'missile']
    """
    countries = _check_choice("countries", countries, schema.COUNTRIES)
    event_types = _check_choice("event_types", event_types, schema.EVENT_TYPES)
    start, end = _check_date("start", start), _check_date("end", end)
    events, sources = _events_and_sources()
    events = events.copy()
    events["n_sources"] = (
        events["event_id"].map(sources["event_id"].value_counts()).fillna(0).astype("Int64")
    )
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= events["date"] >= start
    if end is not None:
        keep &= events["date"] <= end
    if countries is not None:
        keep &= events["country"].isin(countries)
    if event_types is not None:
        keep &= events["event_type"].isin(event_types)
    return to_geodataframe(events[keep].reset_index(drop=True))


def load_event_sources():
    """Return the sources table (one row per source per event) as a DataFrame."""
    return _events_and_sources()[1].copy()


def _load_simple(name: str, columns: list[schema.Column], id_column: str) -> pd.DataFrame:
    path = data_dir() / name
    df = _read_text_csv(path)
    # one engine for every table: kinds, allowed values, web addresses, a unique id
    problems = schema.validate_table(df, columns, file=str(path), line_numbers=True, key=id_column)
    if problems:
        raise DataValidationError(problems)
    return _typed(df, columns)


@functools.cache
def _key_events() -> pd.DataFrame:
    return _load_simple("key_events.csv", schema.KEY_EVENTS, "key_event_id")


@functools.cache
def _official_counts() -> pd.DataFrame:
    return _load_simple("official_counts.csv", schema.OFFICIAL_COUNTS, "count_id")


def load_key_events() -> pd.DataFrame:
    """Return the political and military turning points, each with date and source."""
    return _key_events().copy()


def load_official_counts() -> pd.DataFrame:
    """Return the official running tallies (as-of date, scope, metric, value, speaker, source)."""
    return _official_counts().copy()
