"""Escalation phases and the analysis built on them: rates, summaries and official tallies.

Every function that uses phases takes ``phases=None`` (the shipped ``data/phases.csv``) or a
researcher's own table: a DataFrame (or CSV path) with at least ``phase_id``, ``start`` and
``end``; ``name`` and ``label`` are optional. Phases may leave gaps but may not overlap.
The last phase may have an open end (empty ``end``): it runs to the data's last date (the last
event of the events a function is given) or to an ``end`` the caller passes; functions that count
days say which (``end_from``).

Counting conventions (also in the README):

* An event counts on its ``date``; for week- or month-precision events that is the first day of
  the window the sources allow. ``assign_phase`` flags (``phase_certain`` = False) the events whose
  window crosses a phase boundary, so their phase is not certain.
* Rates are attacks per week over the days of the period (both ends inclusive). Confidence
  intervals are exact: Garwood's for a Poisson count, and for a ratio of two rates the interval
  that follows from the binomial split of the two counts (Clopper-Pearson).
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from . import schema
from ._paths import data_dir
from ._stats import binomial_ci, poisson_ci
from .errors import DataValidationError, FormatError, Problem

__all__ = [
    "OUTSIDE",
    "RateRatio",
    "assign_phase",
    "close_phases",
    "compare_to_official",
    "load_phases",
    "phase_summary",
    "rate_ratio",
    "rate_ratios",
    "weekly_counts",
]

#: Label of events that fall in no phase (they are kept, not dropped).
OUTSIDE = "outside phases"
PHASE_REQUIRED = ("phase_id", "start", "end")


@functools.cache
def _shipped_phases() -> pd.DataFrame:
    path = data_dir() / "phases.csv"
    if not path.exists():
        raise FormatError(f"{path}: file not found (expected the shipped phase table)")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    problems = schema.validate_table(df, schema.PHASES, file=str(path), line_numbers=True)
    if problems:
        raise DataValidationError(problems)
    table = _checked(df, str(path))
    # every closed boundary of the shipped table is cited; only an open end has no source
    for row in table.index[table["end"].notna()]:
        for column in ("end_ref", "end_outlet", "end_url"):
            if not str(table.loc[row, column]).strip():
                problems.append(
                    Problem(
                        str(path), row + 2, column, "", "is empty (a closed phase cites its end)"
                    )
                )
    if problems:
        raise DataValidationError(problems)
    return table


def load_phases(path: str | Path | None = None) -> pd.DataFrame:
    """Return the escalation phases with ``start`` and ``end`` as datetimes.

    With no ``path``, the shipped ``data/phases.csv`` (each boundary cited); with a path, a
    researcher's own CSV, checked the same way (required columns, dates, order, no overlap).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A CSV file with at least ``phase_id``, ``start`` and ``end`` (``YYYY-MM-DD``; only the
        last phase may leave ``end`` empty), optionally ``name`` and ``label``. None (default):
        the shipped table.

    Returns
    -------
    pandas.DataFrame
        One row per phase in time order, ``start`` and ``end`` as datetimes (``end`` NaT for an
        open phase), ``name`` and ``label`` (the ``phase_id`` when the file has none), the
        file's other columns (for the shipped table: description and the cited source of each
        boundary) and ``open_end`` (True for a phase without an end).

    Raises
    ------
    FormatError
        The file does not exist or lacks one of the required columns.
    DataValidationError
        A date does not parse, a ``phase_id`` is empty or repeated, an end precedes its start,
        phases overlap, or a phase other than the last is open (every problem listed).

    Examples
    --------
    >>> import toolkit
    >>> phases = toolkit.load_phases()
    >>> phases["phase_id"].tolist()
    ['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9']
    >>> phases.loc[1, "name"], str(phases.loc[1, "start"].date())
    ('After Soleimani', '2020-01-03')
    >>> phases["open_end"].tolist()[-2:]
    [False, True]

    A researcher's own table, written to a temporary folder:

    >>> import pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> mine = pathlib.Path(folder.name) / "my_phases.csv"
    >>> _ = mine.write_text(
    ...     "phase_id,start,end\\nbefore,2020-01-03,2020-10-10\\nceasefire,2020-10-11,2021-02-14\\n"
    ... )
    >>> toolkit.load_phases(mine)[["phase_id", "name", "open_end"]].values.tolist()
    [['before', 'before', False], ['ceasefire', 'ceasefire', False]]
    >>> folder.cleanup()
    """
    if path is None:
        return _shipped_phases().copy()
    path = Path(path)
    if not path.exists():
        raise FormatError(f"{path}: file not found (expected a CSV with phase_id, start, end)")
    return _checked(pd.read_csv(path, dtype=str, keep_default_na=False), str(path))


def _checked(df: pd.DataFrame, file: str) -> pd.DataFrame:
    """Validate a phase table and return a typed, time-ordered copy."""
    missing = [c for c in PHASE_REQUIRED if c not in df.columns]
    if missing:
        raise FormatError(
            f"{file}: not a phase table: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(map(str, df.columns))}; expected at least "
            f"{', '.join(PHASE_REQUIRED)}, optionally name and label)"
        )
    out = df.copy().reset_index(drop=True)
    problems: list[Problem] = []
    for column in ("start", "end"):
        parsed = pd.to_datetime(out[column], errors="coerce", format="mixed")
        failed = parsed.isna()
        if column == "end":  # an empty end is an open phase; checked below
            failed &= ~out[column].isna() & (out[column].astype(str).str.strip() != "")
            failed &= ~out[column].astype(str).isin(["NaT", "nan", "None"])
        for row in parsed[failed].index:
            value = out.loc[row, column]
            problems.append(Problem(file, row + 2, column, value, "is not a date (YYYY-MM-DD)"))
        out[column] = parsed
    for row in out.index[out["phase_id"].astype(str).str.strip().isin(["", "nan", "None"])]:
        problems.append(Problem(file, row + 2, "phase_id", out.loc[row, "phase_id"], "is empty"))
    duplicated = out["phase_id"].duplicated()
    for row in out.index[duplicated]:
        problems.append(
            Problem(file, row + 2, "phase_id", out.loc[row, "phase_id"], "is a duplicate")
        )
    if problems:
        raise DataValidationError(problems)
    for row in out.index[out["end"] < out["start"]]:
        problems.append(
            Problem(
                file,
                row + 2,
                "end",
                out.loc[row, "end"].date(),
                f"is before start {out.loc[row, 'start'].date()} (expected end >= start)",
            )
        )
    out = out.sort_values("start", kind="stable")
    previous = None
    for row, phase in out.iterrows():
        if previous is not None and pd.isna(previous["end"]):
            problems.append(
                Problem(
                    file,
                    row + 2,
                    "start",
                    phase["start"].date(),
                    f"follows phase {previous['phase_id']}, whose end is open; only the last "
                    "phase may have an empty end",
                )
            )
        elif previous is not None and phase["start"] <= previous["end"]:
            problems.append(
                Problem(
                    file,
                    row + 2,
                    "start",
                    phase["start"].date(),
                    f"overlaps phase {previous['phase_id']} (ends {previous['end'].date()}); "
                    "phases may leave gaps but may not overlap",
                )
            )
        previous = phase
    if problems:
        raise DataValidationError(problems)
    out["phase_id"] = out["phase_id"].astype(str)
    if "name" not in out.columns:
        out["name"] = out["phase_id"]
    if "label" not in out.columns:
        out["label"] = out["name"]
    out["open_end"] = out["end"].isna()
    return out.reset_index(drop=True)


def _last_date(events: pd.DataFrame | None) -> pd.Timestamp | None:
    if events is None or "date" not in events.columns or events.empty:
        return None
    last = pd.to_datetime(events["date"]).max()
    return None if pd.isna(last) else last


def close_phases(phases=None, *, events: pd.DataFrame | None = None, end=None) -> pd.DataFrame:
    """Return the phase table with an open end filled in, and ``end_from`` saying how.

    ``end_from`` is ``table`` for an end the table gives, ``given end`` when ``end`` is passed,
    and ``last event date`` when the open end is the date of the last of ``events`` (all event
    types). An open phase that starts after that date keeps ``end`` one day before its start
    (zero days): nothing in the data reaches it yet. With neither ``end`` nor ``events``, an
    open end stays empty.

    Parameters
    ----------
    phases : None, pandas.DataFrame, str or pathlib.Path, optional
        The phase table: None for the shipped ``data/phases.csv``, or a researcher's own
        (a DataFrame or the path of a CSV file with at least ``phase_id``, ``start``, ``end``).
    events : pandas.DataFrame, optional
        Events with a ``date`` column (e.g. :func:`load_events`); the last date closes an open
        phase when ``end`` is not given.
    end : date-like, optional
        The date that closes an open phase (takes precedence over ``events``).

    Returns
    -------
    pandas.DataFrame
        The phase table of :func:`load_phases` with the open ``end`` filled in and a column
        ``end_from``: ``table``, ``given end``, ``last event date``, or ``open`` when nothing
        closed it.

    Raises
    ------
    FormatError, DataValidationError
        ``phases`` is not a valid phase table (see :func:`load_phases`).

    Examples
    --------
    >>> import toolkit
    >>> closed = toolkit.close_phases(end="2026-06-30")
    >>> closed[["phase_id", "end", "end_from"]].tail(2).astype(str).values.tolist()
    [['P8', '2026-04-07', 'table'], ['P9', '2026-06-30', 'given end']]
    >>> toolkit.close_phases()["end_from"].iloc[-1]
    'open'
    """
    table = _phases(phases)
    table["end_from"] = "table"
    open_rows = table["end"].isna()
    if not open_rows.any():
        return table
    if end is not None:
        fill, how = pd.Timestamp(end), "given end"
    else:
        fill, how = _last_date(events), "last event date"
        if fill is None:
            table.loc[open_rows, "end_from"] = "open"
            return table
    for row in table.index[open_rows]:
        start = table.loc[row, "start"]
        table.loc[row, "end"] = fill if fill >= start else start - pd.Timedelta(days=1)
    table.loc[open_rows, "end_from"] = how
    return table


def _phases(phases) -> pd.DataFrame:
    if phases is None:
        return load_phases()
    if isinstance(phases, str | Path):
        return load_phases(phases)
    if isinstance(phases, pd.DataFrame):
        return _checked(phases, "phases (DataFrame)")
    raise FormatError(
        f"phases={type(phases).__name__} is not accepted "
        "(expected None, a DataFrame or a CSV path with phase_id, start, end)"
    )


def _window_end(events: pd.DataFrame) -> pd.Series:
    """Last day the sources allow for each event (its date when precision is day)."""
    end = events["date"].copy()
    if "date_precision" not in events.columns:
        return end
    precision = events["date_precision"].astype("string")
    week = precision == "week"
    month = precision == "month"
    end[week] = events.loc[week, "date"] + pd.Timedelta(days=6)
    end[month] = events.loc[month, "date"] + pd.offsets.MonthEnd(0)
    return end


def _require(events: pd.DataFrame, columns: tuple[str, ...], function: str) -> None:
    missing = [c for c in columns if c not in events.columns]
    if missing:
        raise FormatError(
            f"{function}: the events have no column(s) {', '.join(missing)} "
            "(expected the canonical event table, e.g. from toolkit.load_events())"
        )


def assign_phase(events: pd.DataFrame, phases=None, *, outside: str = OUTSIDE) -> pd.DataFrame:
    """Return a copy of ``events`` with ``phase`` (the phase id) and ``phase_certain``.

    ``phase`` is an ordered categorical of the phase ids in time order followed by ``outside``
    for events in no phase (they are labelled, never dropped). ``phase_certain`` is False when an
    event's date window (week or month precision) reaches into another phase or outside.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with a ``date`` column (and ``date_precision``, when the dates are not all to
        the day), e.g. :func:`load_events`.
    phases : None, pandas.DataFrame, str or pathlib.Path, optional
        The phase table: None for the shipped ``data/phases.csv``, or a researcher's own
        (a DataFrame or the path of a CSV file with at least ``phase_id``, ``start``, ``end``).
    outside : str, default "outside phases"
        Label of events that fall in no phase.

    Returns
    -------
    pandas.DataFrame
        A copy of ``events`` (same index and type) with ``phase`` (ordered categorical) and
        ``phase_certain`` (``boolean``).

    Raises
    ------
    FormatError
        ``events`` has no ``date`` column, or ``phases`` is not accepted.
    DataValidationError
        ``phases`` is not a valid phase table.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.assign_phase(toolkit.load_events(start="2020-01-08", end="2020-01-08"))
    >>> events.loc[0, "event_id"], events.loc[0, "phase"], bool(events.loc[0, "phase_certain"])
    ('A2020-0004', 'P1', True)
    >>> events["phase"].cat.categories[-1]
    'outside phases'
    """
    _require(events, ("date",), "assign_phase")
    table = _phases(phases)
    out = events.copy()
    dates = pd.to_datetime(out["date"])
    ends = _window_end(out.assign(date=dates))
    labels = pd.Series(outside, index=out.index, dtype=object)
    last = pd.Series(outside, index=out.index, dtype=object)
    for phase in table.itertuples():
        # an open end takes in everything from the start on
        stop = pd.Timestamp.max if pd.isna(phase.end) else phase.end
        labels[(dates >= phase.start) & (dates <= stop)] = phase.phase_id
        last[(ends >= phase.start) & (ends <= stop)] = phase.phase_id
    categories = [*table["phase_id"], outside]
    out["phase"] = pd.Categorical(labels, categories=categories, ordered=True)
    out["phase_certain"] = pd.array((labels == last).to_numpy(), dtype="boolean")
    return out


def _attacks(events: pd.DataFrame, event_type: str | None) -> pd.DataFrame:
    if event_type is None or "event_type" not in events.columns:
        return events
    return events[events["event_type"].astype("string") == event_type]


def _mix(values: pd.Series, top: int = 4) -> str:
    """'drone 61%, rocket 30%, ...' for the most frequent values."""
    counts = values.astype("string").fillna("unknown").value_counts()
    if counts.empty:
        return ""
    shares = counts / counts.sum()
    parts = [f"{name} {share:.0%}" for name, share in shares.head(top).items()]
    if len(shares) > top:
        parts.append(f"other {shares.iloc[top:].sum():.0%}")
    return ", ".join(parts)


def _int_sum(values: pd.Series) -> int:
    return int(pd.to_numeric(values, errors="coerce").fillna(0).sum())


def phase_summary(
    events: pd.DataFrame,
    phases=None,
    *,
    event_type: str | None = "attack",
    conf: float = 0.95,
    end=None,
) -> pd.DataFrame:
    """One row per phase: counts, rate per week with an exact CI, casualties, mixes, geography.

    An open phase (empty ``end``) is counted to ``end`` when given, else to the date of the last
    of ``events`` (all event types); ``end_from`` says which (``table`` for closed phases). An
    open phase that starts after that date has ``days`` 0 and no rate.

    Columns: ``name``, ``start``, ``end``, ``days``, ``attacks``, ``per_week`` with
    ``per_week_low``/``per_week_high`` (exact Poisson interval at ``conf``), ``killed`` and
    ``injured`` (sums of the best-supported figures; ``killed_max``/``injured_max`` sum the
    highest figure any source gives), ``with_casualty_figures`` (attacks with a killed or injured
    figure), ``weapon_mix`` and ``target_mix`` (shares), ``countries``, ``governorates`` (number)
    and ``governorate_list``, ``claimed_share`` (share of attacks with a claim),
    ``us_confirmed_share``, ``no_coordinates`` (attacks without a point, reported here rather
    than lost from maps) and ``phase_uncertain`` (attacks whose date window crosses a boundary).
    Events in no phase get a last row, ``outside phases``, without rates.

    Parameters
    ----------
    events : pandas.DataFrame
        The canonical event table (e.g. :func:`load_events`); only ``date`` is required, the
        other columns are summarised when present.
    phases : None, pandas.DataFrame, str or pathlib.Path, optional
        The phase table: None for the shipped ``data/phases.csv``, or a researcher's own
        (a DataFrame or the path of a CSV file with at least ``phase_id``, ``start``, ``end``).
    event_type : str or None, default "attack"
        Count only events of this ``event_type``; None counts every row.
    conf : float, default 0.95
        Confidence level of the rate interval.
    end : date-like, optional
        Date that closes an open phase (default: the last date of ``events``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``phase_id``, with ``label``, ``end_from`` and the columns listed above
        (``days``, ``attacks`` and the casualty sums as ``Int64``).

    Raises
    ------
    FormatError
        ``events`` has no ``date`` column, or ``phases`` is not accepted.
    DataValidationError
        ``phases`` is not a valid phase table.

    Examples
    --------
    >>> import toolkit
    >>> summary = toolkit.phase_summary(toolkit.load_events())
    >>> summary.loc["P5", ["days", "attacks"]].tolist()
    [114, 161]
    >>> summary.loc["P5", ["per_week", "per_week_low", "per_week_high"]].round(2).tolist()
    [9.89, 8.42, 11.54]
    >>> int(summary.loc["P9", "days"]), summary.loc["P9", "end_from"]  # open, no event yet
    (0, 'last event date')
    """
    table = _phases(phases)
    selected = assign_phase(_attacks(events, event_type), table)
    by_id = close_phases(table, events=events, end=end).set_index("phase_id")
    rows = []
    for phase_id, group in selected.groupby("phase", observed=False, sort=True):
        if phase_id == OUTSIDE:
            if group.empty:
                continue
            phase = pd.Series(
                {"name": OUTSIDE, "label": OUTSIDE, "start": pd.NaT, "end": pd.NaT, "end_from": ""}
            )
        else:
            phase = by_id.loc[phase_id]
        n = len(group)
        row = {"phase_id": phase_id, "name": phase["name"], "label": phase["label"]}
        row["start"], row["end"] = phase["start"], phase["end"]
        row["end_from"] = phase["end_from"]
        if phase_id != OUTSIDE and pd.isna(phase["end"]):
            row |= {"days": pd.NA, "attacks": n}
        elif phase_id != OUTSIDE:
            days = max((phase["end"] - phase["start"]).days + 1, 0)
            low, high = poisson_ci(n, conf)
            weeks = days / 7
            nan = float("nan")
            row |= {
                "days": days,
                "attacks": n,
                "per_week": n / weeks if days else nan,
                "per_week_low": low / weeks if days else nan,
                "per_week_high": high / weeks if days else nan,
            }
        else:
            row |= {"days": pd.NA, "attacks": n}
        for column in ("killed", "killed_max", "injured", "injured_max"):
            if column in group.columns:
                row[column] = _int_sum(group[column].fillna(group[column.split("_")[0]]))
        if {"killed", "injured"} <= set(group.columns):
            figures = group["killed"].notna() | group["injured"].notna()
            row["with_casualty_figures"] = int(figures.sum())
        for column, name in (("weapon", "weapon_mix"), ("target_type", "target_mix")):
            if column in group.columns:
                row[name] = _mix(group[column])
        if "country" in group.columns:
            row["countries"] = ", ".join(sorted(group["country"].dropna().astype(str).unique()))
        if "admin1" in group.columns:
            names = sorted(
                group["admin1"].dropna().astype(str).replace("", pd.NA).dropna().unique()
            )
            row["governorates"] = len(names)
            row["governorate_list"] = ", ".join(names)
        if "claimed_by" in group.columns:
            claimed = group["claimed_by"].astype("string").str.strip().fillna("") != ""
            row["claimed_share"] = claimed.mean() if n else float("nan")
        if "us_confirmed" in group.columns:
            row["us_confirmed_share"] = (
                group["us_confirmed"].fillna(False).mean() if n else float("nan")
            )
        if "latitude" in group.columns:
            row["no_coordinates"] = int(group["latitude"].isna().sum())
        row["phase_uncertain"] = int((~group["phase_certain"]).sum())
        rows.append(row)
    out = pd.DataFrame(rows).set_index("phase_id")
    for column in ("days", "attacks", "killed", "killed_max", "injured", "injured_max"):
        if column in out.columns:
            out[column] = out[column].astype("Int64")
    return out


def _period_index(start, end, freq: str) -> pd.PeriodIndex:
    return pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)


#: Columns of group ids (';'-separated) that ``weekly_counts(by=...)`` splits into one column
#: per group, with the label used for events that name none.
GROUP_COLUMNS = {"claimed_by": "unclaimed", "attributed_to": "unattributed"}
OTHER = "other"


def _keys(selected: pd.DataFrame, by: str) -> pd.Series:
    """One key per event, or for a group column one key per group named (same index, repeated)."""
    if by in GROUP_COLUMNS:
        ids = pd.Series(
            [schema.split_ids(v) or [GROUP_COLUMNS[by]] for v in selected[by].tolist()],
            index=selected.index,
            dtype="object",
        )
        return ids.explode().astype("string")
    return selected[by].astype("string").fillna("unknown")


def _fold_top(keys: pd.Series, top: int | None, keep: str | None) -> pd.Series:
    """Keep the ``top`` most frequent keys (plus ``keep``), the rest become ``other``."""
    if top is None:
        return keys
    if top < 1:
        raise FormatError(f"top={top!r} is not accepted (expected a whole number >= 1 or None)")
    ranked = keys[keys != keep].value_counts()
    ranked = ranked.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    kept = set(ranked.index[:top]) | {keep}
    return keys.where(keys.isin(kept), OTHER)


def weekly_counts(
    events: pd.DataFrame,
    *,
    freq: str = "W",
    start=None,
    end=None,
    by: str | None = None,
    event_type: str | None = "attack",
    top: int | None = None,
    phase: str | None = None,
    phases=None,
) -> pd.DataFrame:
    """Count events per week (or ``freq="M"`` month, ``"D"`` day...), zeros for empty periods.

    ``phase="P8"`` sets the span to that phase of ``phases`` (None: the shipped table) and counts
    only its events; an open phase runs to ``end`` when given, else to the last event's date.

    The index is the first day of each period (``period_start``); weeks run Monday to Sunday.
    With ``by`` (e.g. ``"country"`` or ``"weapon"``) there is one column per value plus
    ``total``; without it, one column ``attacks``. ``start``/``end`` set the span (default: the
    first and last event), so quiet stretches show as zeros rather than vanish.

    ``by="claimed_by"`` (or ``"attributed_to"``) counts by armed group: one column per group id,
    plus ``unclaimed`` (``unattributed``) for events that name none. An event claimed jointly by
    two groups counts once in each group's column (it is one of each group's claims) but once
    in ``total``, so the group columns add up to ``total`` plus the number of extra claimants.
    ``top=N`` keeps the N groups (or values) with the most events in the selection and folds
    the rest into ``other``; ``unclaimed`` is never folded. A Dask frame (``engine="dask"`` of
    the readers) gives a ``dask.delayed`` object (see :func:`toolkit.scale.weekly_counts_lazy`).

    Parameters
    ----------
    events : pandas.DataFrame
        Events with a ``date`` column (and ``event_type``), e.g. :func:`load_events`.
    freq : str, default "W"
        Period length: ``"W"`` (weeks, Monday to Sunday), ``"M"`` (months), ``"D"`` (days) or
        another pandas period alias.
    start, end : date-like, optional
        Span of the counts (default: the first and last selected event).
    by : str, optional
        Column to split the counts by (one column per value, plus ``total``).
    event_type : str or None, default "attack"
        Count only events of this ``event_type``; None counts every row.
    top : int, optional
        Keep the ``top`` most frequent values of ``by`` and fold the rest into ``other``.
    phase : str, optional
        A phase id of ``phases``: counts only that phase's events over its span.
    phases : None, pandas.DataFrame, str or pathlib.Path, optional
        The phase table ``phase`` refers to (None: the shipped ``data/phases.csv``).

    Returns
    -------
    pandas.DataFrame
        ``int64`` counts indexed by ``period_start``: one column ``attacks`` without ``by``,
        else one column per value (or group) and ``total``.

    Raises
    ------
    FormatError
        ``events`` has no ``date`` column or no ``by`` column, ``top`` is below 1, or
        ``phase`` is not a phase id.

    Examples
    --------
    >>> import toolkit
    >>> weeks = toolkit.weekly_counts(toolkit.load_events(), start="2020-01-01", end="2020-01-31")
    >>> weeks["attacks"].tolist()
    [4, 5, 1, 2, 0]
    >>> str(weeks.index[0].date())  # the Monday of the week of 1 January 2020
    '2019-12-30'
    >>> counts = toolkit.weekly_counts(toolkit.load_events(), by="claimed_by", top=3, freq="M")
    >>> counts.columns.tolist()[:3]
    ['islamic_resistance_iraq', 'ashab_al_kahf', 'saraya_awliya_al_dam']
    >>> counts.columns.tolist()[3:]
    ['other', 'unclaimed', 'total']
    """
    if type(events).__module__.startswith(("dask", "dask_geopandas")):  # lazy: toolkit.scale
        from .scale import weekly_counts_lazy

        return weekly_counts_lazy(
            events, freq=freq, start=start, end=end, by=by, event_type=event_type, top=top
        )
    _require(events, ("date",), "weekly_counts")
    freq = {"W": "W-SUN", "M": "M", "MS": "M", "ME": "M"}.get(freq, freq)
    if phase is not None:
        span_start, span_end = _span(phase, phases, "phase", events=events, end=end)
        start = span_start if start is None else start
        end = span_end
        dates_all = pd.to_datetime(events["date"])
        events = events[(dates_all >= pd.Timestamp(start)) & (dates_all <= end)]
    selected = _attacks(events, event_type)
    dates = pd.to_datetime(selected["date"])
    if start is None and dates.empty:
        index = pd.PeriodIndex([], freq=freq)
    else:
        start = dates.min() if start is None else start
        end = dates.max() if end is None else end
        index = _period_index(start, end, freq)
    periods = dates.dt.to_period(freq)
    if by is None:
        counts = periods.value_counts().reindex(index, fill_value=0).to_frame("attacks")
    else:
        _require(selected, (by,), "weekly_counts")
        keys = _fold_top(_keys(selected, by), top, GROUP_COLUMNS.get(by))
        counts = (
            pd.crosstab(periods.loc[keys.index].to_numpy(), keys.to_numpy()).reindex(
                index, fill_value=0
            )
            if len(selected)
            else pd.DataFrame(index=index)
        )
        counts.columns = [str(c) for c in counts.columns]
        if by in GROUP_COLUMNS:
            # biggest groups first; "other" and the no-group column last
            last = [c for c in (OTHER, GROUP_COLUMNS[by]) if c in counts.columns]
            named = counts.drop(columns=last).sum().sort_index()
            order = named.sort_values(ascending=False, kind="stable").index.tolist()
            counts = counts[order + last]
        counts["total"] = periods.value_counts().reindex(index, fill_value=0)
    counts = counts.astype("int64")
    counts.index = index.to_timestamp(how="start")
    counts.index.name = "period_start"
    counts.columns.name = None
    return counts


@dataclass(frozen=True)
class RateRatio:
    """Attack rates in two periods and their ratio (after / before) with an exact CI."""

    before_start: pd.Timestamp
    before_end: pd.Timestamp
    before_attacks: int
    before_days: int
    after_start: pd.Timestamp
    after_end: pd.Timestamp
    after_attacks: int
    after_days: int
    ratio: float
    low: float
    high: float
    conf: float

    @property
    def before_per_week(self) -> float:
        return self.before_attacks / self.before_days * 7

    @property
    def after_per_week(self) -> float:
        return self.after_attacks / self.after_days * 7

    def to_frame(self) -> pd.DataFrame:
        """The two periods as rows, and the ratio, for display in a notebook."""
        data = asdict(self)
        return pd.DataFrame(
            {
                "start": [data["before_start"], data["after_start"]],
                "end": [data["before_end"], data["after_end"]],
                "days": [self.before_days, self.after_days],
                "attacks": [self.before_attacks, self.after_attacks],
                "per_week": [self.before_per_week, self.after_per_week],
                "rate_ratio": [pd.NA, self.ratio],
                f"ratio_low_{self.conf:.0%}": [pd.NA, self.low],
                f"ratio_high_{self.conf:.0%}": [pd.NA, self.high],
            },
            index=pd.Index(["before", "after"], name="period"),
        )

    def __str__(self) -> str:
        return (
            f"{self.before_attacks} attacks in {self.before_days} days "
            f"({self.before_per_week:.2f}/week) -> {self.after_attacks} in {self.after_days} days "
            f"({self.after_per_week:.2f}/week): rate ratio {self.ratio:.2f} "
            f"({self.conf:.0%} CI {self.low:.2f}-{self.high:.2f})"
        )


def _span(
    value, table: pd.DataFrame | None, name: str, *, events=None, end=None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    if isinstance(value, str) and not value[:1].isdigit():
        table = _phases(table)
        match = table[table["phase_id"] == value]
        if match.empty:
            raise FormatError(
                f"{name}={value!r} is not a phase id "
                f"(expected one of {', '.join(table['phase_id'])}, or a (start, end) pair)"
            )
        start, stop = match["start"].iloc[0], match["end"].iloc[0]
        if pd.isna(stop):
            stop = pd.Timestamp(end) if end is not None else _last_date(events)
            if stop is None or stop < start:
                raise FormatError(
                    f"{name}={value!r} is an open phase starting {start.date()} and the events "
                    f"end {'nowhere' if stop is None else stop.date()}, before it starts: pass "
                    "end=... (the last date the data cover) or a (start, end) pair"
                )
        return start, stop
    try:
        start, end = value
        return pd.Timestamp(start), pd.Timestamp(end)
    except (TypeError, ValueError) as error:
        raise FormatError(
            f"{name}={value!r} is not accepted (expected a phase id such as 'P2' "
            "or a (start, end) pair of dates)"
        ) from error


def rate_ratio(
    events: pd.DataFrame,
    before,
    after,
    *,
    phases=None,
    event_type: str | None = "attack",
    conf: float = 0.95,
    end=None,
) -> RateRatio:
    """Compare the attack rate of two periods: ratio after/before with an exact CI.

    ``before`` and ``after`` are phase ids (``"P1"``) or ``(start, end)`` pairs, both inclusive.
    An open phase runs to ``end`` when given, else to the date of the last of ``events``.
    Conditional on the total, the after-count is binomial; its Clopper-Pearson interval gives the
    interval of the ratio. A ratio below 1 with an upper bound below 1 means the rate fell by more
    than chance alone explains; counting gaps in the data (see data/README) are not in the CI.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with a ``date`` column (and ``event_type``), e.g. :func:`load_events`.
    before, after : str or tuple of two date-likes
        A phase id of ``phases`` (``"P1"``) or a ``(start, end)`` pair, both ends inclusive.
    phases : None, pandas.DataFrame, str or pathlib.Path, optional
        The phase table the phase ids refer to (None: the shipped ``data/phases.csv``).
    event_type : str or None, default "attack"
        Count only events of this ``event_type``; None counts every row.
    conf : float, default 0.95
        Confidence level of the interval of the ratio.
    end : date-like, optional
        Date that closes an open phase (default: the last date of ``events``).

    Returns
    -------
    RateRatio
        Start, end, days and attacks of each period, ``ratio`` (after/before rate; NaN when
        both counts are 0, inf when the before-count alone is 0), ``low`` and ``high`` (the
        interval at ``conf``) and ``conf``; ``before_per_week`` and ``after_per_week``,
        ``to_frame()`` for display, and a one-line ``str()``.

    Raises
    ------
    FormatError
        ``events`` has no ``date`` column; a period is neither a phase id nor a
        ``(start, end)`` pair, ends before it starts, or is an open phase the events do not
        reach.

    Examples
    --------
    >>> import toolkit
    >>> rr = toolkit.rate_ratio(toolkit.load_events(), "P1", "P2")
    >>> print(rr)  # doctest: +NORMALIZE_WHITESPACE
    78 attacks in 282 days (1.94/week) -> 34 in 127 days (1.87/week):
    rate ratio 0.97 (95% CI 0.63-1.47)
    >>> rr.before_attacks, rr.after_attacks, round(rr.high, 2)
    (78, 34, 1.47)
    """
    _require(events, ("date",), "rate_ratio")
    b0, b1 = _span(before, phases, "before", events=events, end=end)
    a0, a1 = _span(after, phases, "after", events=events, end=end)
    for name, (s, e) in (("before", (b0, b1)), ("after", (a0, a1))):
        if e < s:
            raise FormatError(f"{name}: end {e.date()} is before start {s.date()}")
    selected = _attacks(events, event_type)
    dates = pd.to_datetime(selected["date"])
    k_before = int(((dates >= b0) & (dates <= b1)).sum())
    k_after = int(((dates >= a0) & (dates <= a1)).sum())
    t_before, t_after = (b1 - b0).days + 1, (a1 - a0).days + 1
    n = k_before + k_after
    if n == 0:
        ratio, low, high = float("nan"), 0.0, float("inf")
    else:
        p_low, p_high = binomial_ci(k_after, n, conf)
        scale = t_before / t_after
        ratio = float("inf") if k_before == 0 else (k_after / t_after) / (k_before / t_before)
        low = p_low / (1 - p_low) * scale
        high = float("inf") if p_high >= 1 else p_high / (1 - p_high) * scale
    return RateRatio(b0, b1, k_before, t_before, a0, a1, k_after, t_after, ratio, low, high, conf)


def rate_ratios(
    events: pd.DataFrame,
    comparisons: dict,
    *,
    by: str | None = None,
    phases=None,
    event_type: str | None = "attack",
    conf: float = 0.95,
    end=None,
) -> pd.DataFrame:
    """Several :func:`rate_ratio` comparisons as one table, one row per comparison.

    An open phase runs to ``end`` when given, else to the date of the last of ``events`` (all
    of them, not only the group compared, so every row of a ``by`` table uses one span).

    ``comparisons`` maps a label to a ``(before, after)`` pair, each a phase id or a
    ``(start, end)`` pair: for instance different end dates of a ceasefire, to see how much the
    conclusion depends on that choice. With ``by`` (e.g. ``"weapon"``), each comparison is made
    for every value of that column that occurs in either period (index: comparison, value).

    Parameters
    ----------
    events : pandas.DataFrame
        Events with a ``date`` column (and ``event_type``), e.g. :func:`load_events`.
    comparisons : dict
        Label -> ``(before, after)``, each a phase id or a ``(start, end)`` pair.
    by : str, optional
        A column of ``events`` to split each comparison by.
    phases : None, pandas.DataFrame, str or pathlib.Path, optional
        The phase table the phase ids refer to (None: the shipped ``data/phases.csv``).
    event_type : str or None, default "attack"
        Count only events of this ``event_type``; None counts every row.
    conf : float, default 0.95
        Confidence level of the intervals.
    end : date-like, optional
        Date that closes an open phase (default: the last date of ``events``).

    Returns
    -------
    pandas.DataFrame
        One row per comparison (per comparison and value with ``by``; values with no attack in
        either period are left out): ``before`` and ``after`` (the spans as text),
        ``before_attacks``, ``before_per_week``, ``after_attacks``, ``after_per_week``,
        ``rate_ratio``, ``low`` and ``high``.

    Raises
    ------
    FormatError
        As :func:`rate_ratio`, or ``by`` is not a column of ``events``.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> table = toolkit.rate_ratios(events, {"ceasefire": ("P1", "P2"), "drones": ("P2", "P3")})
    >>> table[["before_attacks", "after_attacks"]].values.tolist()
    [[78, 34], [34, 78]]
    >>> by_weapon = toolkit.rate_ratios(events, {"ceasefire": ("P1", "P2")}, by="weapon")
    >>> by_weapon.loc[("ceasefire", "rocket"), ["before_attacks", "after_attacks"]].tolist()
    [45, 2]
    """
    rows = {}
    if end is None:
        end = _last_date(events)
    selected = _attacks(events, event_type)
    for label, (before, after) in comparisons.items():
        groups = [(label, selected)]
        if by is not None:
            _require(selected, (by,), "rate_ratios")
            values = selected[by].astype("string").fillna("unknown")
            groups = [((label, v), selected[values == v]) for v in sorted(values.unique())]
        for key, group in groups:
            rr = rate_ratio(
                group, before, after, phases=phases, event_type=None, conf=conf, end=end
            )
            if by is not None and rr.before_attacks + rr.after_attacks == 0:
                continue
            rows[key] = {
                "before": f"{rr.before_start:%Y-%m-%d} to {rr.before_end:%Y-%m-%d}",
                "before_attacks": rr.before_attacks,
                "before_per_week": rr.before_per_week,
                "after": f"{rr.after_start:%Y-%m-%d} to {rr.after_end:%Y-%m-%d}",
                "after_attacks": rr.after_attacks,
                "after_per_week": rr.after_per_week,
                "rate_ratio": rr.ratio,
                "low": rr.low,
                "high": rr.high,
            }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.names = ["comparison"] if by is None else ["comparison", by]
    return out


def _scope(scope: str) -> list[str] | None:
    parts = [p.strip() for p in str(scope).split(";") if p.strip()]
    return None if not parts or parts == ["unspecified"] else parts


PEOPLE_WORDS = {
    "us_service_members": "US service members",
    "us_personnel": "US personnel",
    "coalition": "US and coalition personnel",
}


def _tally_scope(tally, name: str) -> list[str]:
    """A scope column of a tally as a list ([] when absent or empty = everything)."""
    return schema.split_ids(getattr(tally, name, None))


def _apply_scope(tally, attacks: pd.DataFrame, metric: str) -> tuple[pd.Series, list[str]]:
    """Events inside the tally's scope, and what could not be matched (in words)."""
    dates = pd.to_datetime(attacks["date"])
    keep = (dates >= tally.since) & (dates <= tally.as_of)
    countries = _scope(tally.scope)
    unmatched: list[str] = []
    if countries is not None:
        keep &= attacks["country"].astype("string").isin(countries).fillna(False)
    else:
        unmatched.append("the tally names no countries; compared with Iraq, Syria and Jordan")
    weapons = _tally_scope(tally, "scope_weapons")
    if weapons:
        weapon = attacks["weapon"].astype("string")
        unsure = keep & weapon.isin(["unknown", "mixed"]).fillna(False) & ~weapon.isin(weapons)
        keep &= weapon.isin(weapons).fillna(False)
        if unsure.any():
            unmatched.append(
                f"{int(unsure.sum())} attack(s) in the window with weapon unknown or mixed are "
                f"left out; some may be {' or '.join(weapons)}"
            )
    targets = _tally_scope(tally, "scope_targets")
    if targets:
        keep &= attacks["target_type"].astype("string").isin(targets).fillna(False)
    sites = _tally_scope(tally, "scope_sites")
    if sites:
        site = attacks["site_id"].astype("string")
        unsure = keep & site.isna()
        keep &= site.isin(sites).fillna(False)
        if unsure.any():
            unmatched.append(
                f"{int(unsure.sum())} attack(s) in the window have no site and may have hit "
                f"{', '.join(sites)}"
            )
    people = str(getattr(tally, "scope_people", "") or "")
    if metric != "attacks" and people in PEOPLE_WORDS:
        unmatched.append(
            f"the dataset's {metric} figures count everyone harmed; the tally counts "
            f"{PEOPLE_WORDS[people]} only"
        )
    gap = getattr(tally, "scope_gap", None)
    if not schema._is_blank(gap):
        unmatched.append(str(gap).strip())
    return keep, unmatched


def compare_to_official(
    events: pd.DataFrame,
    counts: pd.DataFrame | None = None,
    *,
    metric: str = "attacks",
    source_types=("official",),
) -> pd.DataFrame:
    """Set the dataset beside each official tally, at the tally's dates and scope.

    For every tally of ``metric`` (``attacks``, ``killed`` or ``injured``) whose source type is in
    ``source_types`` (None for all), the dataset's figure is computed over the same window
    (``since`` to ``as_of``, inclusive) and the same scope: countries (``scope``;
    ``unspecified`` means all three), weapons (``scope_weapons``), targets (``scope_targets``)
    and sites (``scope_sites``); empty scope columns, or a table without them, mean everything.
    The figure is the number of attacks, or the sum of the best-supported killed/injured
    figures. Also: ``dataset_us_confirmed`` (attacks a US official confirmed), ``difference``
    (dataset - official) and ``ratio`` (dataset / official).

    ``scope_matched`` says how like-for-like the comparison is: ``yes`` (every part of the
    tally's scope applied), ``partly`` (applied, but ``scope_reason`` lists what could not be
    matched: attacks of unknown weapon left out of a weapon-specific tally, rows without a site,
    casualty tallies of US personnel only against the dataset's figures for everyone harmed,
    and the tally's own ``scope_gap``), or ``no`` (the tally gives no start date, so the window
    is unknown and ``dataset`` stays empty). ``note`` repeats the reasons.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``date`` and ``country`` (``weapon``, ``target_type``, ``site_id``,
        ``us_confirmed`` and the casualty columns when present), e.g. :func:`load_events`.
    counts : pandas.DataFrame, optional
        Tallies in the layout of :func:`load_official_counts` (default: that table).
    metric : {"attacks", "killed", "injured"}, default "attacks"
        Which tallies to compare.
    source_types : iterable of str or None, default ("official",)
        Keep tallies whose ``source_type`` is one of these; None keeps every tally.

    Returns
    -------
    pandas.DataFrame
        One row per tally, indexed by ``count_id``: ``as_of``, ``since``, the scope columns,
        ``official``, ``qualifier``, ``source_type``, ``speaker``, ``dataset`` and
        ``dataset_us_confirmed`` (``Int64``), ``scope_matched``, ``scope_reason``, ``note``,
        ``difference`` and ``ratio``. Empty when no tally matches.

    Raises
    ------
    FormatError
        ``metric`` is not accepted, or ``events`` lacks ``date`` or ``country``.

    Examples
    --------
    >>> import toolkit
    >>> table = toolkit.compare_to_official(toolkit.load_events(), source_types=None)
    >>> drone_only = table.loc["C033"]  # US officials: 5 drone attacks in Iraq since April 2021
    >>> (drone_only["scope_weapons"], drone_only["scope_matched"])
    ('drone', 'partly')
    >>> bool(drone_only["dataset"] < 10)  # set against drone attacks, not all 35 attacks
    True
    """
    if metric not in ("attacks", "killed", "injured"):
        raise FormatError(
            f"metric={metric!r} is not accepted (expected attacks, killed or injured)"
        )
    _require(events, ("date", "country"), "compare_to_official")
    if counts is None:
        from .datasets import load_official_counts

        counts = load_official_counts()
    tallies = counts[counts["metric"].astype("string") == metric]
    if source_types is not None:
        tallies = tallies[tallies["source_type"].astype("string").isin(list(source_types))]
    attacks = _attacks(events, "attack")
    for column in ("weapon", "target_type", "site_id"):
        if column not in attacks.columns:
            attacks = attacks.assign(**{column: pd.NA})
    rows = []
    for tally in tallies.sort_values(["as_of", "count_id"]).itertuples():
        row = {
            "count_id": tally.count_id,
            "as_of": tally.as_of,
            "since": tally.since,
            "scope": tally.scope,
            "scope_weapons": ";".join(_tally_scope(tally, "scope_weapons")),
            "scope_targets": ";".join(_tally_scope(tally, "scope_targets")),
            "scope_sites": ";".join(_tally_scope(tally, "scope_sites")),
            "official": int(tally.value),
            "qualifier": tally.qualifier,
            "source_type": tally.source_type,
            "speaker": tally.speaker,
            "dataset": pd.NA,
            "dataset_us_confirmed": pd.NA,
            "scope_matched": "yes",
            "scope_reason": "",
        }
        if pd.isna(tally.since):
            row["scope_matched"] = "no"
            row["scope_reason"] = "the tally gives no start date: window unknown"
        else:
            keep, unmatched = _apply_scope(tally, attacks, metric)
            window = attacks[keep]
            if metric == "attacks":
                row["dataset"] = len(window)
            else:
                row["dataset"] = _int_sum(window[metric])
            if "us_confirmed" in window.columns and metric == "attacks":
                row["dataset_us_confirmed"] = int(window["us_confirmed"].fillna(False).sum())
            if unmatched:
                row["scope_matched"] = "partly"
                row["scope_reason"] = "; ".join(unmatched)
        row["note"] = row["scope_reason"]
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["dataset"] = out["dataset"].astype("Int64")
    out["dataset_us_confirmed"] = out["dataset_us_confirmed"].astype("Int64")
    out["difference"] = out["dataset"] - out["official"]
    out["ratio"] = (out["dataset"] / out["official"]).astype("Float64")
    return out.set_index("count_id")
