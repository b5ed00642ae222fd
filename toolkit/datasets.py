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
    "load_groups",
    "load_key_events",
    "load_official_counts",
    "load_us_footprint",
]

#: Version of the curated data in data/ (see data/CHANGELOG.md).
DATA_VERSION = "0.3.0"


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
    path = data_dir() / "places.parquet"
    if not path.exists():
        return None
    return frozenset(pd.read_parquet(path, columns=["place_id"])["place_id"])


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
def _groups() -> pd.DataFrame:
    path = data_dir() / "groups.csv"
    groups = _read_text_csv(path)
    problems = schema.check_groups(groups, file=str(path), line_numbers=True)
    if problems:
        raise DataValidationError(problems)
    return _typed(groups, schema.GROUPS)


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
        group_ids=_groups()["group_id"].tolist(),
    )
    events = _typed(events, schema.EVENTS)
    # "" rather than <NA> when nobody claimed or was blamed, so that
    # events[events["claimed_by"].str.contains("kataib_hezbollah")] works without na=False.
    for column in ("claimed_by", "attributed_to"):
        events[column] = events[column].fillna("")
    return events, _typed(sources, schema.EVENT_SOURCES)


def _with_members(chosen: list[str], groups: pd.DataFrame) -> set[str]:
    """The chosen ids plus every group whose umbrella is one of them (one level, then repeat)."""
    selected = set(chosen)
    while True:
        members = set(groups.loc[groups["umbrella"].isin(list(selected)), "group_id"])
        if members <= selected:
            return selected
        selected |= members


def _mentions(events: pd.DataFrame, ids: set[str]) -> pd.Series:
    """True where claimed_by or attributed_to names any of ``ids``."""
    keep = pd.Series(False, index=events.index)
    for column in ("claimed_by", "attributed_to"):
        keep |= pd.Series(
            [bool(ids.intersection(schema.split_ids(v))) for v in events[column].tolist()],
            index=events.index,
        )
    return keep


@functools.cache
def _evidence() -> pd.Series:
    from .evidence import event_evidence

    events, sources = _events_and_sources()
    return event_evidence(events, sources)


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


def load_events(
    *,
    start=None,
    end=None,
    countries=None,
    event_types=None,
    groups=None,
    weapons=None,
    target_types=None,
    evidence=None,
):
    """Return the curated events as a GeoDataFrame (EPSG:4326), one row per event.

    Parameters
    ----------
    start, end : date-like, optional
        Keep events whose ``date`` falls within [start, end] (inclusive).
    countries : str or list of str, optional
        Any of ``Iraq``, ``Syria``, ``Jordan``.
    event_types : str or list of str, optional
        ``attack`` and/or ``us_strike``.
    groups : str or list of str, optional
        Group ids of ``data/groups.csv`` (see :func:`load_groups`): keep events that any of them
        claimed (``claimed_by``) or was blamed for (``attributed_to``). An umbrella such as
        ``islamic_resistance_iraq`` also keeps the events of the groups under it.
    weapons : str or list of str, optional
        Values of ``weapon`` (``rocket``, ``drone``, ``ied``...).
    target_types : str or list of str, optional
        Values of ``target_type`` (``military_base``, ``logistics_convoy``...).
    evidence : str, optional
        Weakest evidence level to keep (``claimed``, ``reported``, ``confirmed_official``,
        ``confirmed_us``): ``evidence="reported"`` keeps reported and confirmed events.

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of ``data/events.csv`` with dtypes (``date`` datetime64, categoricals,
        nullable ``Int64`` counts, ``boolean`` flags; ``claimed_by`` and ``attributed_to`` are
        ``""`` when empty, so ``.str.contains(group_id)`` needs no ``na=`` argument) plus
        ``n_sources`` (how many sources cite the event), ``evidence`` (ordered categorical
        derived from the sources, see :mod:`toolkit.evidence`) and point ``geometry`` (empty
        where the row has no coordinates).

    Raises
    ------
    FormatError
        An argument names a value that is not accepted (a country, event type, group id,
        weapon, target type or evidence level not in the schema, or a date that is not
        ``YYYY-MM-DD``), or a shipped file is missing.
    DataValidationError
        The shipped tables do not pass :func:`validate_events` (every problem listed).

    Examples
    --------
    >>> import toolkit
    >>> ev = toolkit.load_events(start="2020-01-08", end="2020-01-08", event_types="attack")
    >>> ev[["site_id", "weapon"]].iloc[0].tolist()
    ['ain_al_asad', 'missile']
    >>> ev.loc[0, "event_id"], ev.loc[0, "evidence"], int(ev.loc[0, "n_sources"])
    ('A2020-0004', 'confirmed_us', 6)
    >>> kh = toolkit.load_events(groups="kataib_hezbollah")
    >>> bool(kh["attributed_to"].str.contains("kataib_hezbollah").all())
    True
    """
    countries = _check_choice("countries", countries, schema.COUNTRIES)
    event_types = _check_choice("event_types", event_types, schema.EVENT_TYPES)
    weapons = _check_choice("weapons", weapons, schema.WEAPONS)
    target_types = _check_choice("target_types", target_types, schema.TARGET_TYPES)
    if groups is not None:
        table = _groups()
        groups = _with_members(
            _check_choice("groups", groups, tuple(table["group_id"].tolist())), table
        )
    start, end = _check_date("start", start), _check_date("end", end)
    weakest = _check_choice("evidence", evidence, schema.EVIDENCE_LEVELS)
    if weakest is not None and len(weakest) != 1:
        raise FormatError(
            f"evidence={evidence!r} is not accepted (expected one level, e.g. 'reported')"
        )
    events, sources = _events_and_sources()
    events = events.copy()
    events["n_sources"] = (
        events["event_id"].map(sources["event_id"].value_counts()).fillna(0).astype("Int64")
    )
    events["evidence"] = _evidence()
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= events["date"] >= start
    if end is not None:
        keep &= events["date"] <= end
    if countries is not None:
        keep &= events["country"].isin(countries)
    if event_types is not None:
        keep &= events["event_type"].isin(event_types)
    if weapons is not None:
        keep &= events["weapon"].isin(weapons)
    if target_types is not None:
        keep &= events["target_type"].isin(target_types)
    if groups is not None:
        keep &= _mentions(events, groups)
    if weakest is not None:
        keep &= events["evidence"] >= weakest[0]
    return to_geodataframe(events[keep].reset_index(drop=True))


def load_event_sources():
    """Return the sources table (one row per source per event) as a DataFrame.

    The table is ``data/event_sources.csv``, validated together with ``data/events.csv``
    (every event is cited, every source points at an existing event).

    Returns
    -------
    pandas.DataFrame
        The columns of ``data/event_sources.csv`` with dtypes: ``event_id``, ``outlet``,
        ``title``, ``published`` (datetime), ``url``, ``says`` (what the source reports), and
        the grading used by :func:`event_evidence`: ``source_kind`` (categorical),
        ``original`` (the agency a wire story comes from), ``relays_claim`` (boolean) and
        ``official_quoted``.

    Raises
    ------
    FormatError
        A shipped file is missing.
    DataValidationError
        The shipped tables do not pass :func:`validate_events`.

    Examples
    --------
    >>> import toolkit
    >>> sources = toolkit.load_event_sources()
    >>> cited = sources[sources["event_id"] == "A2020-0004"]  # Ain al-Asad, 8 January 2020
    >>> len(cited)
    6
    >>> sorted(cited["source_kind"].astype(str).unique())
    ['independent_media', 'us_official', 'wire']
    """
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
    path = data_dir() / "official_counts.csv"
    problems = schema.check_count_scopes(
        _read_text_csv(path), site_ids=_site_ids(), file=str(path), line_numbers=True
    )
    if problems:
        raise DataValidationError(problems)
    return _load_simple("official_counts.csv", schema.OFFICIAL_COUNTS, "count_id")


@functools.cache
def _us_footprint() -> pd.DataFrame:
    path = data_dir() / "us_footprint.csv"
    text = _read_text_csv(path)
    problems = schema.validate_table(text, schema.US_FOOTPRINT, file=str(path), line_numbers=True)
    if problems:
        raise DataValidationError(problems)
    problems = schema.check_footprint(text, file=str(path))
    if problems:
        raise DataValidationError(problems)
    return _typed(text, schema.US_FOOTPRINT)


def load_us_footprint():
    """Return the intervals of US presence at each site (``data/us_footprint.csv``).

    One row per interval, with point geometry (EPSG:4326): when US forces (or diplomats, for
    the embassy and consulate) arrived and left, the precision of each date, the latest report
    of presence for intervals still open, and the sources. See :func:`toolkit.us_footprint`
    for the sites on a given date.

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of ``data/us_footprint.csv``: ``site_id``, ``name``, ``country``,
        ``latitude``, ``longitude``, ``coordinates_from``, ``us_from`` and ``us_until``
        (datetimes, NaT when unknown or still open) with ``us_from_precision`` and
        ``us_until_precision``, ``last_reported``, ``note``, ``source_urls``; plus point
        ``geometry``.

    Raises
    ------
    FormatError
        The shipped file is missing.
    DataValidationError
        The shipped file breaks its schema or the footprint rules (every problem listed).

    Examples
    --------
    >>> import toolkit
    >>> footprint = toolkit.load_us_footprint().set_index("site_id")
    >>> row = footprint.loc["ain_al_asad"]
    >>> str(row["us_from"].date()), str(row["us_until"].date()), row["us_until_precision"]
    ('2014-11-10', '2026-01-17', 'on_or_before')
    >>> footprint.crs.to_string()
    'EPSG:4326'
    """
    return to_geodataframe(_us_footprint().copy())


def load_key_events() -> pd.DataFrame:
    """Return the political and military turning points, each with date and source.

    The table is ``data/key_events.csv``, validated against its schema (kinds, allowed values,
    web addresses, a unique ``key_event_id``).

    Returns
    -------
    pandas.DataFrame
        One row per turning point: ``key_event_id``, ``date`` (datetime), ``date_precision``,
        ``category`` (categorical: protest, strike, killing, political, ...), ``description``
        and its source (``outlet``, ``title``, ``published``, ``url``).

    Raises
    ------
    FormatError
        The shipped file is missing.
    DataValidationError
        The shipped file breaks its schema (every problem listed).

    Examples
    --------
    >>> import toolkit
    >>> key = toolkit.load_key_events().set_index("key_event_id")
    >>> str(key.loc["K002", "date"].date()), key.loc["K002", "category"]
    ('2019-12-29', 'strike')
    """
    return _key_events().copy()


def load_official_counts() -> pd.DataFrame:
    """Return the official running tallies (as-of date, scope, metric, value, speaker, source).

    The table is ``data/official_counts.csv``; each tally's scope (countries, weapons,
    targets, sites) is checked as well as its schema. :func:`compare_to_official` sets the
    curated events beside these tallies.

    Returns
    -------
    pandas.DataFrame
        One row per tally: ``count_id``, ``as_of`` and ``since`` (datetimes; ``since`` is NaT
        when the speaker gave no start), ``metric`` (``attacks``, ``killed``, ``injured``,
        ``tbi``), the scope columns (``scope``, ``scope_weapons``, ``scope_targets``,
        ``scope_sites``, ``scope_people``, ``scope_note``, ``scope_gap``), ``value``,
        ``qualifier``, ``speaker``, ``source_type`` and the source (``outlet``, ``title``,
        ``published``, ``url``, ``note``).

    Raises
    ------
    FormatError
        The shipped file is missing.
    DataValidationError
        The shipped file breaks its schema or its scopes name unknown sites.

    Examples
    --------
    >>> import toolkit
    >>> tally = toolkit.load_official_counts().set_index("count_id").loc["C033"]
    >>> tally[["metric", "scope", "scope_weapons"]].tolist(), int(tally["value"])
    (['attacks', 'Iraq', 'drone'], 5)
    >>> str(tally["since"].date()), str(tally["as_of"].date())
    ('2021-04-01', '2021-07-07')
    """
    return _official_counts().copy()


def load_groups() -> pd.DataFrame:
    """Return the armed groups (and other actors) of ``data/groups.csv``, one row per group id.

    The columns of the file (names and aliases in Latin and Arabic script, umbrella, US FTO and
    SDGT designations with their sources) plus, derived from ``events.csv`` so that they never
    go stale: ``n_claimed`` (events whose ``claimed_by`` names the group), ``n_attributed``
    (events whose ``attributed_to`` names it), ``first_claim`` and ``last_claim`` (dates of its
    first and last claimed event; NaT when it claimed none). These count the group's own name
    only, not the groups under an umbrella.

    Returns
    -------
    pandas.DataFrame
        One row per group id: the columns of ``data/groups.csv`` (``group_id``, ``name``,
        ``kind``, ``aliases``, ``umbrella``, the ``us_fto_*`` and ``us_sdgt_*`` designation
        dates and sources, ``designation_note``, ``note``, ``source_urls``) and the derived
        ``n_claimed``, ``n_attributed`` (``Int64``), ``first_claim`` and ``last_claim``.

    Raises
    ------
    FormatError
        A shipped file is missing.
    DataValidationError
        ``data/groups.csv`` or the events break their schema.

    Examples
    --------
    >>> import toolkit
    >>> groups = toolkit.load_groups().set_index("group_id")
    >>> groups.loc["kataib_hezbollah", "us_fto_date"].year
    2009
    >>> len(groups)
    25
    >>> int(groups.loc["kataib_hezbollah", "n_attributed"])
    8
    """
    groups = _groups().copy()
    events = _events_and_sources()[0]
    dates = events["date"]
    for column, count in (("claimed_by", "n_claimed"), ("attributed_to", "n_attributed")):
        named = pd.Series(
            [schema.split_ids(v) for v in events[column].tolist()],
            index=events.index,
            dtype="object",
        )
        named = named.explode().dropna()
        groups[count] = groups["group_id"].map(named.value_counts()).fillna(0).astype("Int64")
        if column == "claimed_by":
            claim_dates = dates.loc[named.index].groupby(named.to_numpy())
            groups["first_claim"] = groups["group_id"].map(claim_dates.min())
            groups["last_claim"] = groups["group_id"].map(claim_dates.max())
    return groups
