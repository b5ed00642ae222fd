"""Where US forces were: the sites hosting them on a given date (``data/us_footprint.csv``).

A date is inside an interval of presence when it is on or after the arrival and before the day
US forces were gone. The precision of each date decides what counts, and ``certain`` says when
the answer rests on an imprecise date:

* arrival ``day``: present from that day; ``month``/``year``: present from the window's first
  day, not certain inside the window; ``on_or_before``: present from that date (earlier
  presence is possible but not counted); ``unknown``: present from before the study period
  (each such site hosted US forces or diplomats in the period, as the sources of its row say),
  not certain before the study period starts.
* departure ``day``/``on_or_before``: gone from that date on (for ``on_or_before`` the
  departure may be earlier); ``month``: present before the month, not certain inside it, gone
  after it; ``open``: no departure reported, not certain after ``last_reported``.
"""

from __future__ import annotations

import pandas as pd

from .errors import FormatError

__all__ = ["us_footprint"]


def _date(value, name: str) -> pd.Timestamp:
    try:
        date = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise FormatError(f"{name}={value!r} is not a date (expected YYYY-MM-DD)") from error
    if pd.isna(date):
        raise FormatError(f"{name}={value!r} is not a date (expected YYYY-MM-DD)")
    return date.normalize()


def us_footprint(date, *, footprint=None):
    """Return the sites hosting US forces on ``date`` as a GeoDataFrame (EPSG:4326).

    One row per site present on that date (the interval that covers it), with the columns of
    :func:`toolkit.load_us_footprint` plus ``certain`` (False when the date falls in a month or
    year window of arrival or departure, after the last report of an open interval, or before
    the study period for a site whose arrival is unknown) and ``uncertain_because`` (why, in
    words; empty when certain). ``footprint`` is the table to use (default: the shipped one).

    Parameters
    ----------
    date : date-like
        The day asked about (``"YYYY-MM-DD"``, a ``datetime.date`` or a ``pandas.Timestamp``).
    footprint : pandas.DataFrame, optional
        Intervals in the layout of :func:`toolkit.load_us_footprint` (default: that table).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per site present on ``date`` (index restarting at 0): the footprint columns,
        ``certain`` (``boolean``) and ``uncertain_because`` (text).

    Raises
    ------
    FormatError
        ``date`` is not a date.

    Examples
    --------
    >>> import toolkit
    >>> sites = toolkit.us_footprint("2026-03-01").set_index("site_id")
    >>> "ain_al_asad" in sites.index, "erbil_air_base" in sites.index
    (False, True)
    >>> len(toolkit.us_footprint("2020-01-08")), len(sites)
    (22, 8)
    """
    from .datasets import load_us_footprint
    from .schema import PERIOD_START

    day = _date(date, "date")
    table = load_us_footprint() if footprint is None else footprint.copy()
    start, until = table["us_from"], table["us_until"]
    from_precision = table["us_from_precision"].astype("string")
    until_precision = table["us_until_precision"].astype("string")

    from_window_end = start.copy()
    year = from_precision == "year"
    month = from_precision == "month"
    from_window_end[year] = start[year] + pd.offsets.YearEnd(0)
    from_window_end[month] = start[month] + pd.offsets.MonthEnd(0)
    until_month = until_precision == "month"
    gone_from = until.copy()
    gone_from[until_month] = until[until_month] + pd.offsets.MonthEnd(0) + pd.Timedelta(days=1)

    arrived = (from_precision == "unknown") | (start <= day)
    not_gone = (until_precision == "open") | (day < gone_from)
    present = (arrived & not_gone).fillna(False).astype(bool)

    reasons = pd.Series("", index=table.index, dtype=object)

    def flag(mask, words):
        mask = (mask & present).fillna(False).astype(bool)
        reasons[mask] = reasons[mask].where(reasons[mask] == "", reasons[mask] + "; ") + words

    flag((year | month) & (day <= from_window_end), "arrival known only to the month or year")
    flag((from_precision == "unknown") & (day < PERIOD_START), "arrival date unknown")
    flag(until_month & (day >= until), "departure known only to the month")
    flag(
        (until_precision == "open")
        & table["last_reported"].notna()
        & (day > table["last_reported"]),
        "after the last report of presence",
    )
    out = table[present].copy()
    out["certain"] = pd.array((reasons[present] == "").to_numpy(), dtype="boolean")
    out["uncertain_because"] = reasons[present].to_numpy()
    return out.reset_index(drop=True)
