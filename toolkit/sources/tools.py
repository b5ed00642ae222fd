"""Helpers around the loaded sources: their sources table, and counts side by side."""

from __future__ import annotations

import re

import pandas as pd

from ..errors import FormatError
from .acled import ACLED_URL
from .ucdp import UCDP_URL

__all__ = ["compare_sources", "event_sources"]

_UCDP_ARTICLE = re.compile(r'(?s)"?([^",]+),(\d{4}-\d{2}-\d{2}),(.*?)"?$')


def event_sources(df: pd.DataFrame) -> pd.DataFrame:
    """The sources table (``event_id, outlet, title, published, url, says``) of loaded events.

    Derived from the source columns kept by the loaders, one row per outlet per event:

    * ACLED: ``acled_source`` split at ``;`` (ACLED names outlets, not articles: ``title``
      says which ACLED event it is and ``url`` is the ACLED export page);
    * GDELT: ``gdelt_SOURCEURL`` (the article itself; the outlet is its web domain;
      GDELT 1.0 files before April 2013 have none);
    * UCDP: ``ucdp_source_article`` split into its ``"outlet,date,headline"`` items (``url``
      is the UCDP download page; UCDP does not give article addresses).

    With it, ``toolkit.validate_events(events, event_sources(events), external=True)`` can
    check that every event is cited.

    Parameters
    ----------
    df : pandas.DataFrame
        The canonical output of :func:`toolkit.read_acled`, :func:`toolkit.read_gdelt` or
        :func:`toolkit.read_ucdp_ged` (with its ``acled_``, ``gdelt_`` or ``ucdp_`` columns).

    Returns
    -------
    pandas.DataFrame
        One row per outlet per event: ``event_id``, ``outlet``, ``title``, ``published``
        (datetime, NaT when the source gives none), ``url`` and ``says``.

    Raises
    ------
    FormatError
        ``df`` has none of the source columns (e.g. the curated events: use
        :func:`toolkit.load_event_sources`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import toolkit
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(folder.name) / "acled_one_row.csv"
    >>> _ = path.write_text(
    ...     "event_id_cnty,event_date,event_type,actor1,actor2,country,admin1,location,"
    ...     "latitude,longitude,source,notes,fatalities\\n"
    ...     "IRQ90002,2020-01-08,Explosions/Remote violence,Military Forces of Iran (1989-),,"
    ...     "Iraq,Al Anbar,Ain al Asad Airbase,33.7856,42.4412,UPI; Kurdistan24,"
    ...     "Iran fired ballistic missiles at Ain al-Asad air base.,0\\n"
    ... )
    >>> sources = toolkit.event_sources(toolkit.read_acled(path))
    >>> sources[["event_id", "outlet"]].values.tolist()  # one row per outlet ACLED names
    [['ACLED:IRQ90002', 'UPI'], ['ACLED:IRQ90002', 'Kurdistan24']]
    >>> folder.cleanup()
    """
    if "acled_source" in df.columns:
        outlets = df["acled_source"].astype("string").fillna("").str.split(";")
        table = pd.DataFrame({"event_id": df["event_id"], "outlet": outlets}).explode("outlet")
        table["outlet"] = table["outlet"].str.strip()
        table = table[table["outlet"] != ""]
        table["title"] = "ACLED event " + table["event_id"].str.removeprefix("ACLED:")
        table["published"] = pd.NaT
        table["url"] = ACLED_URL
        table["says"] = "reported by " + table["outlet"] + " (per ACLED)"
    elif "gdelt_SOURCEURL" in df.columns:
        table = pd.DataFrame({"event_id": df["event_id"], "url": df["gdelt_SOURCEURL"]})
        table = table[table["url"].notna()]
        table["outlet"] = table["url"].str.extract(r"https?://(?:www\.)?([^/]+)")[0]
        table["title"] = "GDELT event " + table["event_id"].str.removeprefix("GDELT:")
        table["published"] = df.loc[table.index, "gdelt_DATEADDED"].dt.normalize()
        table["says"] = pd.NA
    elif "ucdp_source_article" in df.columns:
        items = df["ucdp_source_article"].astype("string").fillna("").str.split('";"')
        table = pd.DataFrame({"event_id": df["event_id"], "item": items}).explode("item")
        parsed = table["item"].str.strip().str.extract(_UCDP_ARTICLE)
        table["outlet"] = parsed[0].fillna(table["item"].str.strip('"'))
        table["published"] = pd.to_datetime(parsed[1], errors="coerce", format="%Y-%m-%d")
        table["title"] = parsed[2].fillna(table["item"])
        table = table[table["outlet"].fillna("") != ""]
        table["url"] = UCDP_URL
        table["says"] = pd.NA
    else:
        raise FormatError(
            "event_sources needs the output of read_acled, read_gdelt or read_ucdp_ged (with "
            "acled_source, gdelt_SOURCEURL or ucdp_source_article); for the curated data use "
            "toolkit.load_event_sources()"
        )
    columns = ["event_id", "outlet", "title", "published", "url", "says"]
    out = table[columns].reset_index(drop=True)
    for column in ("event_id", "outlet", "title", "url", "says"):
        out[column] = out[column].astype("string")
    return out


_FREQUENCIES = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


def compare_sources(
    tables: dict[str, pd.DataFrame], *, by: str = "month", start=None, end=None
) -> pd.DataFrame:
    """Count the rows of several event tables per period, side by side.

    ``tables`` maps a label (e.g. ``"curated"``, ``"ACLED"``) to a table with a ``date``
    column (any loader's canonical output, or :func:`toolkit.load_events`). ``by`` is
    ``day``, ``week``, ``month``, ``quarter`` or ``year``. Returns one row per period from
    ``start`` to ``end`` (default: the span of all tables), one ``Int64`` column per table
    (0 where it has no row), and ``difference`` (second minus first) when there are two.
    When a table is a Dask frame, a ``dask.delayed`` object whose ``.compute()`` is that.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Label -> table with a ``date`` column (pandas or Dask).
    by : {"day", "week", "month", "quarter", "year"}, default "month"
        Length of the periods.
    start, end : date-like, optional
        First and last period (default: the span of all tables).

    Returns
    -------
    pandas.DataFrame or dask.delayed.Delayed
        Indexed by period (named after ``by``), one ``Int64`` column per table and
        ``difference`` when there are two tables.

    Raises
    ------
    FormatError
        ``by`` is not accepted, ``tables`` is empty, or a table has no ``date`` column.

    Examples
    --------
    >>> import toolkit
    >>> table = toolkit.compare_sources(
    ...     {
    ...         "attacks": toolkit.load_events(event_types="attack"),
    ...         "us_strikes": toolkit.load_events(event_types="us_strike"),
    ...     },
    ...     by="year",
    ... )
    >>> table.loc[table.index[:3]].values.tolist()  # 2019, 2020, 2021
    [[14, 2, -12], [93, 3, -90], [98, 4, -94]]
    >>> list(table.columns)
    ['attacks', 'us_strikes', 'difference']
    """
    if by not in _FREQUENCIES:
        raise FormatError(f"by={by!r} is not accepted (expected one of: {', '.join(_FREQUENCIES)})")
    if not tables:
        raise FormatError("compare_sources needs at least one table")
    from ..scale import is_dask

    if any(is_dask(t) for t in tables.values()):
        from ..scale import compare_sources_lazy

        return compare_sources_lazy(tables, by=by, start=start, end=end)
    freq = _FREQUENCIES[by]
    counts = {}
    for label, table in tables.items():
        if "date" not in table.columns:
            raise FormatError(
                f"table {label!r} has no 'date' column (found: {list(table.columns)})"
            )
        dates = pd.to_datetime(table["date"])
        counts[label] = dates.dt.to_period(freq).value_counts()
    periods = [p for c in counts.values() for p in c.index]
    first = pd.Period(start, freq) if start is not None else min(periods, default=None)
    last = pd.Period(end, freq) if end is not None else max(periods, default=None)
    if first is None or last is None:
        index = pd.PeriodIndex([], freq=freq, name=by)
    else:
        index = pd.period_range(first, last, freq=freq, name=by)
    out = pd.DataFrame(
        {label: c.reindex(index, fill_value=0).astype("Int64") for label, c in counts.items()},
        index=index,
    )
    if len(tables) == 2:
        a, b = list(tables)
        out["difference"] = out[b] - out[a]
    return out
