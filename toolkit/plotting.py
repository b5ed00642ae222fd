"""Publication-quality figures: timelines, counts, maps, small multiples, choropleths, mixes.

Conventions shared by every function:

* ``def plot_x(events, *, ax=None, ...) -> Axes``: the data come first and every option is
  keyword-only. Given ``ax``, a function draws only on it (and on insets or a twin axis attached
  to it); without one, it makes a figure of its own size and adds the credit line
  (:func:`credit`). ``plot_phase_maps`` draws a grid of panels and takes ``fig=None``.
* Nothing calls ``plt.show()`` or touches the global ``rcParams``.
* One colour meaning per variable, the same in every figure and in ``explore_events``:
  :data:`PALETTES` holds a palette per variable (weapon, country, target type, evidence) and
  :data:`GROUP_COLORS` the armed groups in order of size; no colour appears in two of them.
  Weapons also differ by marker, so colour is never the only cue.
* Maps draw a point placed only at a district's or governorate's centre as a hollow marker,
  distinct from a located site or town; their extent follows the data unless ``extent=`` says.
* What was drawn, what was not and why: ``plot_info(ax)`` returns a :class:`PlotInfo` (counts,
  notes, the alternative text of the figure, named artists); notes are also written on the
  figure. ``show(ax)`` displays a figure in a notebook with that alternative text.
"""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .errors import FormatError
from .phases import _require

__all__ = [
    "COUNTRY_COLORS",
    "EVIDENCE_COLORS",
    "GROUP_COLORS",
    "PALETTES",
    "TARGET_COLORS",
    "WEAPON_COLORS",
    "WEAPON_MARKERS",
    "PlotInfo",
    "credit",
    "credit_line",
    "plot_choropleth",
    "plot_counts",
    "plot_footprint",
    "plot_info",
    "plot_map",
    "plot_mix",
    "plot_phase_maps",
    "plot_phase_rates",
    "plot_timeline",
    "save_figure",
    "save_table",
    "show",
]

# --- palettes ----------------------------------------------------------------------------------
# Each variable has its own palette and no hex colour is shared between two of them, so that a
# colour means one thing across figures shown side by side (tests/test_plotting.py checks it).

#: Weapons: Okabe & Ito (2008), colour-blind safe, with grey for unknown and black for US strikes.
WEAPON_COLORS = {
    "rocket": "#D55E00",
    "drone": "#0072B2",
    "mortar": "#E69F00",
    "ied": "#CC79A7",
    "missile": "#009E73",
    "small_arms": "#56B4E9",
    "storming": "#F0E442",
    "mixed": "#999933",
    "unknown": "#AAAAAA",
    "airstrike": "#000000",
}
#: A marker per weapon, so that colour is never the only cue.
WEAPON_MARKERS = {
    "rocket": "^",
    "drone": "D",
    "mortar": "v",
    "ied": "s",
    "missile": "P",
    "small_arms": "X",
    "storming": "p",
    "mixed": "h",
    "unknown": "o",
    "airstrike": "x",
}
#: Countries: dark tones of Paul Tol's palettes (indigo, wine, green), unlike any weapon colour.
COUNTRY_COLORS = {"Iraq": "#332288", "Syria": "#882255", "Jordan": "#117733"}
#: Target types: Paul Tol's "light" palette, pale where weapons are saturated.
TARGET_COLORS = {
    "military_base": "#77AADD",
    "diplomatic": "#EE8866",
    "airport": "#EEDD88",
    "logistics_convoy": "#FFAABB",
    "contractor": "#99DDFF",
    "personnel": "#44BB99",
    "militia": "#BBCC33",
    "other": "#DDDDDD",
}
#: Evidence levels: ordered, so a sequential ramp (ColorBrewer Purples) from claimed to
#: confirmed by US officials.
EVIDENCE_COLORS = {
    "claimed": "#DADAEB",
    "reported": "#9E9AC8",
    "confirmed_official": "#6A51A3",
    "confirmed_us": "#3F007D",
}
#: Armed groups of a by-group figure, in order of their number of events (Paul Tol's "muted"
#: palette); ``other`` is dark grey and events naming no group are light grey.
GROUP_COLORS = ("#CC6677", "#88CCEE", "#DDCC77", "#44AA99", "#AA4499", "#661100", "#6699CC")
GROUP_OTHER = "#555555"
GROUP_NONE = "#BBBBBB"
#: Palette per categorical variable, used by every figure and by ``explore_events``.
PALETTES = {
    "weapon": WEAPON_COLORS,
    "country": COUNTRY_COLORS,
    "target_type": TARGET_COLORS,
    "evidence": EVIDENCE_COLORS,
}
#: Colours that carry no category: bars of a total, a running total, an estimate.
NEUTRAL = "#4D4D4D"
FALLBACK = "#777777"  # a value outside the palette (your own categories)

BAND_COLORS = ("#EDEDED", "#FFFFFF")
TEXT = 9  # points, for labels and legends
TITLE = 11
#: Extent (lon_min, lon_max, lat_min, lat_max) holding Iraq, Syria and Jordan; the maps' extent
#: when the data give none.
REGION = (35.4, 48.8, 29.0, 37.5)
BAGHDAD = (44.15, 44.55, 33.18, 33.45)
#: ``geo_precision`` values drawn as hollow markers: the point is a district's or a
#: governorate's reference point, not where the event happened.
APPROXIMATE = ("district", "governorate")


@dataclass
class PlotInfo:
    """What a plotting function drew: returned by :func:`plot_info`.

    Attributes
    ----------
    kind : str
        The function that drew it, e.g. ``"plot_map"``.
    n_drawn : int
        Events drawn (for a count figure, attacks counted).
    not_shown : int
        Events that could not be drawn (no coordinates, no unit at the choropleth's level).
    notes : list of str
        Why events were not shown, and other caveats; also written on the figure.
    alt : str
        A sentence or two describing the figure for readers who cannot see it.
    artists : dict
        Named artists (points, bars, bands, labels, legend, inset, credit) for callers and tests.
    """

    kind: str
    n_drawn: int = 0
    not_shown: int = 0
    notes: list = field(default_factory=list)
    alt: str = ""
    artists: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        text = f"<{self.kind}: {self.n_drawn} events drawn"
        if self.not_shown:
            text += f", {self.not_shown} not shown"
        text += ">"
        return text + "".join(f"\n  {note}" for note in self.notes)


_INFO = "_toolkit_info"


def plot_info(target) -> PlotInfo:
    """Return what a toolkit plotting function drew on an Axes (or a figure of panels).

    Parameters
    ----------
    target : matplotlib.axes.Axes, matplotlib.figure.Figure or array of Axes
        What a ``plot_*`` function returned (or its figure).

    Returns
    -------
    PlotInfo
        Counts of events drawn and not shown, the notes, the alternative text and the artists.

    Raises
    ------
    FormatError
        If ``target`` was not drawn by a toolkit plotting function.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> ax = toolkit.plot_map(events[events["event_type"] == "attack"], inset=False)
    >>> info = toolkit.plot_info(ax)
    >>> info.kind, info.n_drawn + info.not_shown
    ('plot_map', 512)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    first = _first(target)
    info = getattr(first, _INFO, None)
    if info is None and isinstance(first, Axes):
        info = getattr(first.figure, _INFO, None)
    if info is not None:
        return info
    raise FormatError(
        f"plot_info: {type(target).__name__} was not drawn by a toolkit plotting function "
        "(expected the Axes returned by plot_map, plot_counts, ... or plot_phase_maps' panels)"
    )


def _first(target):
    """The first panel of an array of Axes (what plot_phase_maps returns), else ``target``."""
    return np.ravel(target)[0] if isinstance(target, np.ndarray | list | tuple) else target


def _figure(target):
    """The figure of an Axes, of an array of panels, or a figure itself."""
    first = _first(target)
    return first.figure if isinstance(first, Axes) else first


def _free(box, frame, taken, *, margin=(1.0, 1.0)) -> bool:
    """A label's box lies inside the axes' frame and overlaps no box already taken."""
    inside = frame.x0 <= box.x0 <= box.x1 <= frame.x1 and frame.y0 <= box.y0 <= box.y1 <= frame.y1
    return inside and not any(box.expanded(*margin).overlaps(other) for other in taken)


def show(target, *, alt: str | None = None) -> None:
    """Display a figure in a notebook with its alternative text, then close it.

    The image output carries ``alt`` in its metadata (``image/png``), which nbconvert writes
    into the HTML of ``make report``; the figure is closed so that it is not shown twice.

    Parameters
    ----------
    target : matplotlib.axes.Axes, matplotlib.figure.Figure or array of Axes
        What a ``plot_*`` function returned, or any figure (then ``alt`` is required).
    alt : str, optional
        The alternative text; default: the one the plotting function wrote
        (``plot_info(target).alt``).

    Returns
    -------
    None

    Raises
    ------
    FormatError
        If no alternative text is given and the figure was not drawn by the toolkit.

    Examples
    --------
    >>> import toolkit
    >>> ax = toolkit.plot_phase_rates(toolkit.load_events())
    >>> toolkit.plot_info(ax).alt.split(":")[0]
    'Attacks per week in each phase, with 95% exact Poisson intervals, on a log scale'
    >>> toolkit.show(ax)  # doctest: +SKIP
    """
    fig = _figure(target)
    if alt is None:
        alt = plot_info(target).alt
    from IPython.display import display

    display(fig, metadata={"image/png": {"alt": alt}})
    plt.close(fig)


# --- shared helpers ----------------------------------------------------------------------------


def credit_line(*, boundaries: bool = False, extra: str | None = None) -> str:
    """Return the credit line: the data (version, licence) and, for maps, the boundaries.

    Parameters
    ----------
    boundaries : bool, default False
        Also credit the boundary layers (OCHA COD-AB, Who's On First, Natural Earth).
    extra : str, optional
        A further credit appended at the end.

    Returns
    -------
    str
        The credit, parts separated by semicolons.

    Examples
    --------
    >>> import toolkit
    >>> toolkit.credit_line().startswith("Data: Iraq escalation toolkit v")
    True
    >>> "OCHA COD-AB" in toolkit.credit_line(boundaries=True)
    True
    """
    from .datasets import DATA_VERSION

    parts = [f"Data: Iraq escalation toolkit v{DATA_VERSION} (CC BY 4.0), from the cited reports"]
    if boundaries:
        parts.append(
            "boundaries: OCHA COD-AB Iraq (CC BY 3.0 IGO), Who's On First (CC0), "
            "Natural Earth (public domain)"
        )
    if extra:
        parts.append(extra)
    return "; ".join(parts)


def credit(fig, *, boundaries: bool = False, extra: str | None = None):
    """Write the credit line at the bottom left of a figure and return the text artist.

    The plotting functions call it on the figures they make themselves; call it on a figure you
    composed from several ``ax=`` calls. It is the figure's ``supxlabel``, so a constrained
    layout keeps room for it below the axes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    boundaries : bool, default False
        Also credit the boundary layers (for maps).
    extra : str, optional
        A further credit appended at the end.

    Returns
    -------
    matplotlib.text.Text
        The credit line.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import toolkit
    >>> fig, (left, right) = plt.subplots(1, 2, layout="constrained")
    >>> toolkit.credit(fig, boundaries=True).get_text().startswith("Data: Iraq escalation")
    True
    >>> plt.close(fig)
    """
    return fig.supxlabel(
        credit_line(boundaries=boundaries, extra=extra),
        x=0.01,
        ha="left",
        fontsize=7,
        color="#555555",
    )


def _new_axes(ax, figsize):
    """The axes to draw on, and whether this function made the figure (then it adds a credit)."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax, True
    if not isinstance(ax, Axes):
        raise FormatError(
            f"ax={ax!r} is not accepted (expected a matplotlib Axes, or None for a new figure)"
        )
    return ax, False


def _finish(ax, info: PlotInfo, created: bool, *, boundaries: bool = False) -> Axes:
    setattr(ax, _INFO, info)
    if created:
        setattr(ax.figure, _INFO, info)
        info.artists["credit"] = credit(ax.figure, boundaries=boundaries)
    return ax


def _edge(name: str, marker: str):
    """Edge colour of a marker: none for line markers, dark for light fills, else white."""
    if marker in ("x", "|"):
        return None
    return "#555555" if name in ("storming", "unknown", "mixed") else "white"


def _side_legend(ax, by: str, *, handles=None, offset: float = 1.0):
    """The legend of a categorical figure, outside the axes on the right, titled by ``by``."""
    kwargs = {"handles": handles} if handles is not None else {}
    return ax.legend(
        **kwargs,
        loc="upper left",
        bbox_to_anchor=(offset, 1.0),
        fontsize=TEXT,
        frameon=False,
        title=by.replace("_", " "),
        title_fontsize=TEXT,
        alignment="left",
    )


def _palette(by: str) -> dict:
    if by not in PALETTES:
        raise FormatError(f"by={by!r} is not accepted (expected one of: {', '.join(PALETTES)})")
    return PALETTES[by]


def _group_palette(counts: pd.DataFrame, by: str) -> dict:
    from .phases import GROUP_COLUMNS, OTHER

    named = [c for c in counts.columns if c not in ("total", OTHER, GROUP_COLUMNS[by])]
    palette = {name: GROUP_COLORS[i % len(GROUP_COLORS)] for i, name in enumerate(named)}
    palette[OTHER] = GROUP_OTHER
    palette[GROUP_COLUMNS[by]] = GROUP_NONE
    return palette


def _values(events: pd.DataFrame, by: str) -> pd.Series:
    return events[by].astype("string").fillna("unknown")


def _label(value) -> str:
    """A category as words: ids with underscores read with spaces (``small_arms``)."""
    text = str(value)
    return text.replace("_", " ") if text == text.lower() else text


def _listing(counts: pd.Series, limit: int = 6) -> str:
    """'drone 120, rocket 30 and 2 more' for alternative texts."""
    counts = counts[counts > 0].sort_values(ascending=False, kind="stable")
    parts = [f"{_label(k)} {int(v)}" for k, v in counts.head(limit).items()]
    rest = len(counts) - limit
    return ", ".join(parts) + (f" and {rest} more" if rest > 0 else "")


def _n(count: int, noun: str) -> str:
    """'1 event', '3 events'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _day(timestamp) -> str:
    """'1 January 2024': a date for an alternative text."""
    return f"{timestamp.day} {timestamp:%B %Y}"


def _phase_table(phases):
    if phases is False:
        return None
    from .phases import _phases

    return _phases(phases)


def _draw_bands(ax, phases, *, start, end):
    """Shade each phase that overlaps [start, end] and label every band above the axes.

    A label is the phase's name when it fits over its band, else its id (``P0``); labels that
    would overlap go on a second (third...) row, so that no band is left unlabelled. Returns the
    bands, the labels and the number of label rows.
    """
    if phases is None:
        return [], [], 0
    spans = []
    for i, phase in enumerate(phases.itertuples()):
        # an open phase (no end) is shaded to the edge of the figure
        stop = end if pd.isna(phase.end) else phase.end + pd.Timedelta(days=1)
        left, right = max(phase.start, start), min(stop, end)
        if left >= right:
            continue
        band = ax.axvspan(left, right, color=BAND_COLORS[i % 2], zorder=0, lw=0)
        band.set_gid(f"phase:{phase.phase_id}")
        spans.append((phase, left, right, band))
    renderer = ax.figure.canvas.get_renderer()
    rows: list[list] = []
    texts = []
    step = TEXT + 2  # points between label rows
    for phase, left, right, _ in spans:
        x0, x1 = ax.transData.transform([(mdates.date2num(left), 0), (mdates.date2num(right), 0)])[
            :, 0
        ]
        middle = left + (right - left) / 2
        for label in dict.fromkeys((str(phase.label), str(phase.phase_id))):
            text = ax.annotate(
                label,
                xy=(middle, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=TEXT - 1,
                color="#444444",
                annotation_clip=False,
            )
            text.set_gid(f"phase_label:{phase.phase_id}")
            width = text.get_window_extent(renderer).width
            if width <= (x1 - x0) or label == str(phase.phase_id):
                break
            text.remove()
        row = 0
        while True:
            text.xyann = (0, 2 + row * step)
            box = text.get_window_extent(renderer).expanded(1.06, 1.0)
            if row >= len(rows):
                rows.append([])
            if not any(box.overlaps(other) for other in rows[row]):
                rows[row].append(box)
                break
            row += 1
        texts.append(text)
    return [band for *_, band in spans], texts, len(rows)


def _date_axis(ax) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _span(events: pd.DataFrame, start, end):
    dates = pd.to_datetime(events["date"])
    start = pd.Timestamp(start) if start is not None else dates.min()
    end = pd.Timestamp(end) if end is not None else dates.max()
    if pd.isna(start) or pd.isna(end):
        raise FormatError(
            "nothing to draw: the selection holds no event and no start/end was given "
            "(pass start= and end= to draw an empty period)"
        )
    return start, end


def _title_pad(rows: int) -> float:
    return 6 + rows * (TEXT + 2)


# --- timeline ----------------------------------------------------------------------------------


def _place_labels(ax, items, *, base: float, step: float):
    """Place key-event labels on stacked levels so that none overlaps another.

    ``items`` are (date, text) pairs; each label goes on the lowest level where its box does not
    overlap a label already placed, measured with the figure's renderer.
    """
    renderer = ax.figure.canvas.get_renderer()
    placed: list[list] = []  # boxes per level
    artists = []
    for date, label in items:
        level = 0
        while True:
            y = base + level * step
            text = ax.text(
                date,
                y,
                label,
                fontsize=TEXT - 1,
                ha="left",
                va="bottom",
                color="#222222",
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
                zorder=5,
            )
            box = text.get_window_extent(renderer)
            if box.x1 > ax.get_window_extent(renderer).x1:
                text.set_horizontalalignment("right")
                box = text.get_window_extent(renderer)
            box = box.expanded(1.02, 1.1)
            if level >= len(placed):
                placed.append([])
            if not any(box.overlaps(other) for other in placed[level]):
                placed[level].append(box)
                break
            text.remove()
            level += 1
        line = ax.plot(
            [date, date], [-0.5, y], color="#555555", lw=0.6, ls=":", zorder=1, clip_on=True
        )[0]
        artists.append((text, line))
    return artists, len(placed)


def plot_timeline(
    events: pd.DataFrame,
    *,
    ax: Axes | None = None,
    by: str = "weapon",
    phases=None,
    key_events=None,
    start=None,
    end=None,
    title: str | None = None,
    figsize=(11, 5.5),
) -> Axes:
    """Draw events as marks over time, one row per weapon (or country), phases as bands.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``date`` and the ``by`` column (e.g. ``toolkit.load_events()``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``figsize`` with the credit line.
    by : {"weapon", "country", "target_type", "evidence"}, default "weapon"
        One row per value, in the variable's palette (:data:`PALETTES`).
    phases : None, DataFrame, path or False
        None for the shipped phases, your own table, or False for no bands. Every band that
        is drawn is labelled (its name, or its id where the name does not fit).
    key_events : list, dict or DataFrame, optional
        Key event ids (a list, or a dict of id -> short label), or a DataFrame with ``date``
        and ``label`` (or ``description``); their labels are stacked so that none overlaps.
    start, end : date-like, optional
        The time span; default: the first and last event.
    title : str, optional
        Default: "Events by weapon, <start> to <end>".
    figsize : tuple of float, default (11, 5.5)
        Size of a new figure, in inches.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; :func:`plot_info` gives the counts, notes and alternative text.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> ax = toolkit.plot_timeline(
    ...     events, start="2023-10-17", end="2024-02-07", key_events={"K115": "Tower 22"}
    ... )
    >>> [t.get_text() for t in ax.get_yticklabels()][:3]
    ['airstrike', 'unknown', 'mixed']
    >>> toolkit.plot_info(ax).notes
    []
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    palette = _palette(by)
    _require(events, ("date", by), "plot_timeline")
    start, end = _span(events, start, end)
    dates_all = pd.to_datetime(events["date"])
    events = events[(dates_all >= start) & (dates_all <= end)]  # the span asked for
    ax, created = _new_axes(ax, figsize)
    values = _values(events, by)
    present = [c for c in palette if (values == c).any()]
    present += sorted(set(values) - set(present))
    rows = {name: i for i, name in enumerate(reversed(present))}
    dates = pd.to_datetime(events["date"])
    artists: dict = {"points": {}}
    for name in present:
        mask = (values == name).to_numpy()
        marker = WEAPON_MARKERS.get(name, "o") if by == "weapon" else "|"
        y = np.full(mask.sum(), rows[name], dtype=float)
        artists["points"][name] = ax.scatter(
            dates[mask],
            y,
            s=28 if marker != "|" else 120,
            marker=marker,
            color=palette.get(name, FALLBACK),
            alpha=0.75,
            linewidths=0.4 if marker not in ("x", "|") else 1.2,
            edgecolors=_edge(name, marker),
            label=f"{name.replace('_', ' ')} ({mask.sum()})",
            zorder=3,
        )
    ax.set_yticks(list(rows.values()), [n.replace("_", " ") for n in rows], fontsize=TEXT)
    ax.set_xlim(start - pd.Timedelta(days=3), end + pd.Timedelta(days=3))
    _date_axis(ax)
    ax.tick_params(axis="x", labelsize=TEXT)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    bands, band_labels, label_rows = _draw_bands(ax, _phase_table(phases), start=start, end=end)
    artists["bands"], artists["band_labels"] = bands, band_labels
    labels, notes = [], []
    if key_events is not None:
        key = _key_events(key_events)
        within = (key["date"] >= start) & (key["date"] <= end)
        if (~within).any():
            missed = ", ".join(key.loc[~within, "date"].dt.strftime("%Y-%m-%d"))
            notes.append(f"key events outside the time span, not labelled: {missed}")
        key = key[within].sort_values("date")
        items = [(row.date, str(row.label)) for row in key.itertuples()]
        # reserve space above the rows for the labels, then place them
        ax.set_ylim(-0.7, len(rows) + 0.2 + 0.55 * max(1, min(len(items), 6)))
        labels, levels = _place_labels(ax, items, base=len(rows) - 0.2, step=0.55)
        ax.set_ylim(-0.7, len(rows) + 0.2 + 0.55 * levels)
    artists["key_labels"] = [text for text, _ in labels]
    artists["legend"] = _side_legend(ax, by) if present else None
    ax.set_title(
        title or f"Events by {by.replace('_', ' ')}, {start:%d %b %Y} to {end:%d %b %Y}",
        fontsize=TITLE,
        loc="left",
        pad=_title_pad(label_rows),
    )
    alt = (
        f"Timeline of {len(events)} events from {_day(start)} to {_day(end)}, one row "
        f"per {by.replace('_', ' ')}: {_listing(values.value_counts())}."
    )
    if band_labels:
        alt += " Shaded bands mark the phases " + ", ".join(t.get_text() for t in band_labels)
        alt += "."
    if labels:
        alt += " Labelled: " + "; ".join(t.get_text() for t, _ in labels) + "."
    info = PlotInfo("plot_timeline", len(events), 0, notes, alt, artists)
    return _finish(ax, info, created)


def _key_events(key_events) -> pd.DataFrame:
    if isinstance(key_events, pd.DataFrame):
        key = key_events.copy()
    elif isinstance(key_events, dict):
        key = _key_events(list(key_events))
        key["label"] = key["key_event_id"].map(key_events)
    else:
        from .datasets import load_key_events

        every = load_key_events()
        wanted = list(key_events)
        unknown = sorted(set(wanted) - set(every["key_event_id"]))
        if unknown:
            raise FormatError(
                f"key_events: {', '.join(unknown)} not in data/key_events.csv "
                "(expected ids such as K005, or a DataFrame of key events)"
            )
        key = every[every["key_event_id"].isin(wanted)].copy()
    _require(key, ("date",), "key_events")
    key["date"] = pd.to_datetime(key["date"])
    if "label" not in key.columns:
        if "description" in key.columns:
            key["label"] = key["description"].map(_short)
        else:
            key["label"] = key["date"].dt.strftime("%d %b %Y")
    return key


def _short(text: str, limit: int = 38) -> str:
    text = str(text).split(";")[0].split(":")[0].strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- counts ------------------------------------------------------------------------------------


def _nice_top(value: float) -> float:
    """A round upper limit at least 10% above ``value`` (1, 2, 2.5 or 5 times a power of ten)."""
    target = max(value * 1.1, 1.0)
    power = 10 ** np.floor(np.log10(target))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= target:
            return float(step * power)
    return float(10 * power)


def plot_counts(
    events: pd.DataFrame,
    *,
    ax: Axes | None = None,
    freq: str = "W",
    by: str | None = None,
    phases=None,
    official: pd.DataFrame | None = None,
    start=None,
    end=None,
    top: int | None = None,
    title: str | None = None,
    figsize=(11, 4.5),
) -> Axes:
    """Draw attack counts per week (or month) as bars, with phase bands.

    ``by="country"`` (or ``weapon``, ``target_type``, ``evidence``) stacks the bars in the
    variable's palette; ``by="claimed_by"`` (or ``attributed_to``) stacks them by armed group,
    ``top`` groups (default 6) and ``other``, with events that name no group in grey. An event
    claimed by two groups is stacked in both (see ``weekly_counts``), so a bar can then stand
    higher than the number of events. The legend sits outside the bars, lists only the values
    present, and the y-axis ends on a round number above the tallest bar.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``date`` (and ``event_type``: only attacks are counted).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``figsize`` with the credit line.
    freq : {"W", "M"}, default "W"
        Weeks (Monday to Sunday) or calendar months.
    by : str, optional
        The column to stack by; None for one bar per period.
    phases : None, DataFrame, path or False
        None for the shipped phases, your own table, or False for no bands.
    official : pandas.DataFrame, optional
        The table of ``toolkit.load_official_counts()``: a second axis shows the dataset's
        running total from the tallies' start date against each official tally of attacks
        (only official sources, the most common start date in the window, a scope that covers
        every country drawn, and no narrower scope of weapons, targets or sites).
    start, end : date-like, optional
        The span; default: the first and last attack. Empty periods count zero.
    top : int, optional
        With a group column, how many groups to name (default 6); others are ``other``.
    title : str, optional
        Default: "Attacks per week, <month> to <month>".
    figsize : tuple of float, default (11, 4.5)
        Size of a new figure, in inches.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; :func:`plot_info` gives the counts and the alternative text.

    Raises
    ------
    FormatError
        If the selection holds no attack and no ``start``/``end`` was given.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> ax = toolkit.plot_counts(events, by="country", start="2023-10-16", end="2024-02-11")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['Iraq (63)', 'Syria (99)', 'Jordan (1)']
    >>> tallest = max(sum(b.get_height() for b in bars) for bars in zip(*ax.containers))
    >>> bool(ax.get_ylim()[1] > 1.1 * tallest)  # headroom above the tallest bar
    True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .phases import GROUP_COLUMNS, weekly_counts

    if by in GROUP_COLUMNS and top is None:
        top = 6
    counts = weekly_counts(events, freq=freq, start=start, end=end, by=by, top=top)
    if counts.empty:
        raise FormatError(
            "nothing to draw: the selection holds no attack and no start/end was given "
            "(pass start= and end= to draw an empty period)"
        )
    ax, created = _new_axes(ax, figsize)
    weekly = freq.startswith("W")
    offset = pd.Timedelta(days=3) if weekly else pd.Timedelta(days=14)
    width = pd.Timedelta(days=6) if weekly else pd.Timedelta(days=26)
    x = counts.index + offset
    bars = {}
    if by is None:
        heights = counts["attacks"].to_numpy()
        bars["attacks"] = ax.bar(x, heights, width=width, color=NEUTRAL, lw=0, label="attacks")
        stacked = heights
    else:
        palette = _group_palette(counts, by) if by in GROUP_COLUMNS else _palette(by)
        order = [c for c in palette if c in counts.columns]
        order += [c for c in counts.columns if c not in order and c != "total"]
        order = [c for c in order if counts[c].sum() > 0]  # only values present in the window
        stacked = np.zeros(len(counts))
        for name in order:
            bars[name] = ax.bar(
                x,
                counts[name],
                bottom=stacked,
                width=width,
                color=palette.get(name, FALLBACK),
                label=f"{name.replace('_', ' ')} ({int(counts[name].sum())})",
                lw=0,
            )
            stacked = stacked + counts[name].to_numpy()
    span_start = counts.index.min()
    span_end = counts.index.max() + (pd.Timedelta(days=7) if weekly else pd.offsets.MonthBegin(1))
    ax.set_xlim(span_start, span_end)
    ax.set_ylim(0, _nice_top(float(stacked.max()) if len(stacked) else 1.0))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    _date_axis(ax)
    unit = "week" if weekly else "month"
    ax.set_ylabel(f"attacks per {unit}", fontsize=TEXT)
    ax.tick_params(labelsize=TEXT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    bands, band_labels, label_rows = _draw_bands(
        ax, _phase_table(phases), start=span_start, end=pd.Timestamp(span_end)
    )
    artists = {"bars": bars, "bands": bands, "band_labels": band_labels}
    handles, labels = ax.get_legend_handles_labels()
    notes = []
    twin = False
    if official is not None:
        line, points, ax2 = _overlay_official(ax, events, official, span_start, span_end)
        artists |= {"cumulative": line, "official": points, "twin": ax2}
        if line is not None:
            handles += [line, points]
            labels += [line.get_label(), points.get_label()]
            ax.spines["right"].set_visible(True)
            twin = True
        else:
            notes.append("no official tally of attacks in this window: none overlaid")
    if by is None and not twin:
        handles, labels = [], []  # one grey series: the y label says what it is
    artists["legend"] = None
    if handles:
        # outside the bars, right of the twin axis' labels when there is one
        artists["legend"] = ax.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(1.09 if twin else 1.0, 1.0),
            fontsize=TEXT,
            frameon=False,
            title=(by or "").replace("_", " ") or None,
            title_fontsize=TEXT,
            alignment="left",
        )
    total = int(counts["attacks" if by is None else "total"].sum())
    ax.set_title(
        title or f"Attacks per {unit}, {counts.index.min():%b %Y} to {counts.index.max():%b %Y}",
        fontsize=TITLE,
        loc="left",
        pad=_title_pad(label_rows),
    )
    busiest = counts.index[int(np.argmax(stacked))]
    when = _day if weekly else (lambda t: f"{t:%B %Y}")
    alt = (
        f"Bar chart of attacks per {unit} from {when(counts.index.min())} to "
        f"{when(counts.index.max())}: {total} attacks, the most ({int(stacked.max())}) in "
        f"the {unit} of {when(busiest)}."
    )
    if by is not None:
        stacks = {name: counts[name].sum() for name in bars}
        alt += f" Bars are stacked by {by.replace('_', ' ')}: {_listing(pd.Series(stacks))}."
    if band_labels:
        alt += " Shaded bands mark the phases " + ", ".join(t.get_text() for t in band_labels)
        alt += "."
    if twin:
        alt += " A line shows the dataset's running total against the official tallies."
    info = PlotInfo("plot_counts", total, 0, notes, alt, artists)
    return _finish(ax, info, created)


def _overlay_official(ax, events, official, start, end):
    """Running total of the dataset against the official tallies of one start date and scope.

    Of the official attack tallies whose as-of date falls in the window, the (start date, scope)
    group with the most tallies is drawn, and the dataset's running total is computed over the
    same countries from the same date, so that like is compared with like.
    """
    tallies = official[
        (official["metric"].astype("string") == "attacks")
        & (official["source_type"].astype("string") == "official")
        & official["since"].notna()
        & (official["as_of"] >= start)
        & (official["as_of"] <= end)
    ]
    for column in ("scope_weapons", "scope_targets", "scope_sites"):
        # a drone-only or one-site tally is not a running total of all attacks
        if column in tallies.columns:
            tallies = tallies[tallies[column].fillna("").astype("string").str.strip() == ""]
    if tallies.empty:
        return None, None, None
    groups = tallies.groupby(["since", "scope"]).size().sort_values(ascending=False, kind="stable")
    since, scope = groups.index[0]
    tallies = tallies[(tallies["since"] == since) & (tallies["scope"] == scope)]
    countries = [c for c in str(scope).split(";") if c != "unspecified"]
    attacks = events[events["event_type"].astype("string") == "attack"]
    if countries:
        attacks = attacks[attacks["country"].astype("string").isin(countries)]
    dates = pd.to_datetime(attacks["date"])
    days = pd.date_range(since, end, freq="D")
    running = dates[dates >= since].value_counts().reindex(days, fill_value=0).cumsum()
    where = " and ".join(countries) if countries else "all countries"
    ax2 = ax.twinx()
    (line,) = ax2.step(
        running.index,
        running.to_numpy(),
        where="post",
        color="#222222",
        lw=1.4,
        ls="--",
        label=f"dataset, running total\n({where}, from {since:%d %b %Y})",
    )
    points = ax2.scatter(
        tallies["as_of"],
        tallies["value"],
        marker="o",
        s=30,
        facecolors="white",
        edgecolors="#222222",
        linewidths=1.4,
        zorder=4,
        label=f"official tallies\n({where}, from {since:%d %b %Y})",
    )
    ax2.set_ylabel("running total of attacks", fontsize=TEXT)
    ax2.tick_params(labelsize=TEXT)
    ax2.set_ylim(0, _nice_top(max(running.max(), tallies["value"].max())))
    ax2.spines["top"].set_visible(False)
    return line, points, ax2


# --- maps --------------------------------------------------------------------------------------


def _paths(geometries) -> list:
    """Matplotlib paths (holes kept) for shapely (Multi)Polygons."""
    paths = []
    for geometry in geometries:
        if geometry is None or geometry.is_empty:
            continue
        for polygon in getattr(geometry, "geoms", [geometry]):
            rings = [polygon.exterior, *polygon.interiors]
            paths.append(
                MplPath.make_compound_path(
                    *(MplPath(np.asarray(ring.coords)[:, :2], closed=True) for ring in rings)
                )
            )
    return paths


@functools.cache
def _layer_paths(level: str, country: str | None = None, admin1: str | None = None) -> tuple:
    """The paths of one boundary layer, built once per process and shared by every panel."""
    from .boundaries import load_boundaries

    layer = load_boundaries(level)
    if country is not None:
        column = "name" if level == "countries" else "country"
        layer = layer[layer[column] == country]
    if admin1 is not None:
        layer = layer[layer["admin1"] == admin1]
    return tuple(_paths(layer.geometry))


def _draw_layer(ax, paths, *, face, edge, lw, zorder):
    # one collection per layer: a panel costs a few artists, not one per polygon, and
    # matplotlib does not redraw between them (what made geopandas' .plot slow per panel)
    collection = PathCollection(
        list(paths), facecolors=face, edgecolors=edge, linewidths=lw, zorder=zorder
    )
    ax.add_collection(collection, autolim=False)
    return collection


_FOCUS = ("Iraq", "Syria", "Jordan")


def _basemap(ax, *, extent, governorates: bool = True):
    """Neighbours in grey, Iraq, Syria and Jordan in white, Iraq's governorates in light lines."""
    from .boundaries import load_boundaries

    ax.set_facecolor("#DCE9F2")
    names = load_boundaries("countries")["name"]
    others = tuple(p for n in names if n not in _FOCUS for p in _layer_paths("countries", n))
    focus = tuple(p for n in _FOCUS for p in _layer_paths("countries", n))
    _draw_layer(ax, others, face="#F2F2F2", edge="#9A9A9A", lw=0.6, zorder=0)
    _draw_layer(ax, focus, face="#FFFFFF", edge="#666666", lw=0.8, zorder=1)
    if governorates:
        paths = _layer_paths("admin1", "Iraq")
        _draw_layer(ax, paths, face="none", edge="#BBBBBB", lw=0.4, zorder=1.1)
    _set_extent(ax, extent)
    for text, (lon, lat) in (
        ("IRAQ", (43.2, 32.6)),
        ("SYRIA", (38.4, 35.2)),
        ("JORDAN", (36.6, 30.6)),
    ):
        if extent[0] < lon < extent[1] and extent[2] < lat < extent[3]:
            ax.text(lon, lat, text, fontsize=TEXT, color="#888888", ha="center", zorder=2.5)


def _set_extent(ax, extent) -> None:
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect(1 / np.cos(np.radians((extent[2] + extent[3]) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")


def _extent(events: pd.DataFrame, extent, *, pad: float = 0.3) -> tuple:
    """The map's extent: ``extent`` if given, else the countries of the events and their points.

    An Iraq-only selection gets Iraq's extent, one with Syria too gets both, so small multiples
    and single maps frame what the data hold rather than a fixed region.
    """
    if extent is not None:
        values = tuple(float(v) for v in extent)
        if len(values) != 4 or values[0] >= values[1] or values[2] >= values[3]:
            raise FormatError(
                f"extent={extent!r} is not accepted (expected (lon_min, lon_max, lat_min, "
                "lat_max) with min < max, e.g. (38.8, 48.6, 29.1, 37.4) for Iraq)"
            )
        return values
    from .boundaries import load_boundaries

    boxes = []
    if "country" in events.columns:
        present = set(events["country"].dropna().astype(str)) & set(_FOCUS)
        countries = load_boundaries("countries")
        chosen = countries[countries["name"].isin(sorted(present))]
        if len(chosen):
            boxes.append(chosen.total_bounds)
    if "geometry" in events.columns:
        located = events.geometry[events.geometry.notna() & ~events.geometry.is_empty]
        if len(located):
            boxes.append(located.total_bounds)
    if not boxes:
        return REGION
    bounds = np.array(boxes)
    west, south = bounds[:, 0].min() - pad, bounds[:, 1].min() - pad
    east, north = bounds[:, 2].max() + pad, bounds[:, 3].max() + pad
    return (float(west), float(east), float(south), float(north))


def _sizes(events: pd.DataFrame, size_by: str | None) -> np.ndarray:
    if size_by is None:
        return np.full(len(events), 22.0)
    if size_by == "casualties":
        total = events["killed"].astype("Float64").fillna(0) + events["injured"].astype(
            "Float64"
        ).fillna(0)
    else:
        total = events[size_by].astype("Float64").fillna(0)
    return (18 + 14 * np.sqrt(total.to_numpy(dtype=float))).clip(18, 300)


def _approximate(events: pd.DataFrame) -> np.ndarray:
    if "geo_precision" not in events.columns:
        return np.zeros(len(events), dtype=bool)
    return events["geo_precision"].astype("string").isin(APPROXIMATE).fillna(False).to_numpy()


def _scatter(ax, events, *, color_by: str, size_by: str | None) -> dict:
    """Points by category; a point placed at a district's or governorate's centre is hollow."""
    palette = _palette(color_by)
    values = _values(events, color_by)
    sizes = _sizes(events, size_by)
    approximate = _approximate(events)
    x = events.geometry.x.to_numpy()
    y = events.geometry.y.to_numpy()
    points = {}
    order = [c for c in palette if (values == c).any()]
    for name in order + sorted(set(values) - set(order)):
        mask = (values == name).to_numpy()
        marker = WEAPON_MARKERS.get(name, "o") if color_by == "weapon" else "o"
        colour = palette.get(name, FALLBACK)
        drawn = []
        for hollow in (False, True):
            chosen = mask & (approximate == hollow)
            if not chosen.any():
                continue
            style = {"color": colour, "edgecolors": "#333333", "linewidths": 0.4, "alpha": 0.75}
            if hollow:
                style = {"facecolors": "none", "edgecolors": colour, "linewidths": 1.3}
            if marker == "x":
                style = {"color": colour, "linewidths": 0.7 if hollow else 1.3}
            collection = ax.scatter(
                x[chosen], y[chosen], s=sizes[chosen], marker=marker, zorder=3, **style
            )
            collection.set_gid(f"points:{name}:{'approximate' if hollow else 'located'}")
            drawn.append(collection)
        points[name] = drawn
    return points


def _with_points(events: pd.DataFrame, function: str):
    _require(events, ("geometry",), function)
    has_point = events.geometry.notna() & ~events.geometry.is_empty
    return events[has_point], int((~has_point).sum())


def _site_labels(ax, events, *, top: int, avoid=(), size: int = TEXT - 1, wrap: int = 22):
    """Label the ``top`` most-hit named sites with their count of events.

    Names are never cut: a long one wraps onto two lines. Each label tries six positions around
    its point and takes the first that stays inside the axes and overlaps neither another label
    nor anything in ``avoid`` (the legend, an inset); a site whose label finds no free place
    stays unlabelled rather than covered.
    """
    if "site_id" not in events.columns or top <= 0:
        return []
    from .geocoding import load_places

    counts = events["site_id"].dropna().astype(str).value_counts()
    if counts.empty:
        return []
    places = load_places().set_index("place_id")
    renderer = ax.figure.canvas.get_renderer()
    taken = [a.get_window_extent(renderer) for a in avoid if a is not None]
    labels = []
    offsets = [(6, 4, "left", "bottom"), (-6, 4, "right", "bottom"), (6, -4, "left", "top")]
    offsets += [(-6, -4, "right", "top"), (0, 8, "center", "bottom"), (0, -8, "center", "top")]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    frame = ax.get_window_extent(renderer)
    for site_id, n in counts.items():
        if len(labels) >= top:
            break
        if site_id not in places.index:
            continue
        place = places.loc[site_id]
        lon, lat = place.geometry.x, place.geometry.y
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        label = textwrap.fill(f"{place['name']} ({n})", wrap, break_long_words=False)
        for dx, dy, ha, va in offsets:
            text = ax.annotate(
                label,
                (lon, lat),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=size,
                color="#111111",
                zorder=2.8,  # under the points, so that a label never hides one
                linespacing=1.0,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            )
            box = text.get_window_extent(renderer)
            if _free(box, frame, taken, margin=(1.06, 1.15)):
                taken.append(box)
                labels.append(text)
                break
            text.remove()
    return labels


def _legend_handles(
    events: pd.DataFrame, color_by: str, size_by: str | None, *, counts: bool = True
) -> list:
    """Legend entries for the categories present, the two precisions, and the sizes."""
    palette = _palette(color_by)
    values = _values(events, color_by)
    tally = values.value_counts()
    order = [c for c in palette if c in tally.index]
    order += sorted(set(tally.index) - set(order))
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker=WEAPON_MARKERS.get(n, "o") if color_by == "weapon" else "o",
            color=palette.get(n, FALLBACK),
            markeredgecolor="#333333",
            markersize=7,
            label=n.replace("_", " ") + (f" ({tally[n]})" if counts else ""),
        )
        for n in order
    ]
    approximate = _approximate(events)
    if approximate.any():
        grey = {"ls": "", "marker": "o", "markersize": 7}
        handles.append(
            Line2D([], [], color="#444444", markeredgecolor="#444444", **grey, label="site or town")
        )
        handles.append(
            Line2D(
                [],
                [],
                markerfacecolor="none",
                markeredgecolor="#444444",
                markeredgewidth=1.3,
                **grey,
                label=f"district or governorate\ncentre only ({int(approximate.sum())})",
            )
        )
    if size_by is not None:
        for value in (1, 10, 50):
            frame = pd.DataFrame({"killed": [value], "injured": [0], size_by: [value]})
            size = float(_sizes(frame, size_by)[0])
            handles.append(
                Line2D(
                    [],
                    [],
                    ls="",
                    marker="o",
                    color="#BBBBBB",
                    markeredgecolor="#333333",
                    markersize=np.sqrt(size),
                    label=f"{value} {'killed or injured' if size_by == 'casualties' else size_by}",
                )
            )
    return handles


def plot_map(
    events: pd.DataFrame,
    *,
    ax: Axes | None = None,
    color_by: str = "weapon",
    size_by: str | None = "casualties",
    label_sites: int = 8,
    inset: bool = True,
    extent=None,
    legend: bool = True,
    title: str | None = None,
    figsize=(10, 7.5),
) -> Axes:
    """Map events over Iraq's governorates and the neighbouring countries.

    Points are coloured (and, for weapons, shaped) by ``color_by`` and sized by ``size_by``. A
    point placed only at a district's or governorate's centre (``geo_precision``) is hollow, so
    it is not mistaken for a located site. Events at one site share one point: the labels of
    the ``label_sites`` most-hit sites give their counts, names wrapped, never cut. Events
    without coordinates are counted in :func:`plot_info` and in a note on the map.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with a ``geometry`` (``toolkit.load_events()`` is a GeoDataFrame).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``figsize`` with the credit line.
    color_by : {"weapon", "country", "target_type", "evidence"}, default "weapon"
        The variable whose palette (:data:`PALETTES`) colours the points.
    size_by : str or None, default "casualties"
        ``"casualties"`` (killed + injured, best figures), another numeric column, or None.
    label_sites : int, default 8
        How many of the most-hit sites to label.
    inset : bool, default True
        Add a Baghdad panel (Green Zone, airport) with its district boundaries, placed in the
        corner of the map with the fewest events.
    extent : tuple of 4 floats, optional
        (lon_min, lon_max, lat_min, lat_max); default: the countries of the events.
    legend : bool, default True
        Draw the legend (right of the map): the values present with their counts, the two
        precisions and the sizes.
    title : str, optional
        Default: "<n> events with coordinates".
    figsize : tuple of float, default (10, 7.5)
        Size of a new figure, in inches.

    Returns
    -------
    matplotlib.axes.Axes
        The map; :func:`plot_info` gives events drawn and not shown, notes and alternative text.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> wave = events[(events["date"] >= "2026-02-28") & (events["event_type"] == "attack")]
    >>> ax = toolkit.plot_map(wave)
    >>> info = toolkit.plot_info(ax)
    >>> info.n_drawn + info.not_shown == len(wave)
    True
    >>> bool(ax.get_xlim()[0] > 38)  # Iraq only: the map does not stretch west over Syria
    True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    _require(events, (color_by,), "plot_map")
    located, missing = _with_points(events, "plot_map")
    ax, created = _new_axes(ax, figsize)
    extent = _extent(located, extent) if len(located) else _extent(events, extent)
    _basemap(ax, extent=extent)
    points = _scatter(ax, located, color_by=color_by, size_by=size_by)
    artists: dict = {"points": points, "inset": None, "legend": None}
    if legend and points:
        artists["legend"] = ax.legend(
            handles=_legend_handles(located, color_by, size_by),
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=TEXT - 1,
            frameon=False,
            title=color_by.replace("_", " "),
            title_fontsize=TEXT,
            alignment="left",
        )
    notes = []
    if missing:
        note = f"{missing} event(s) without coordinates are not shown"
        notes.append(note)
        artists["missing_note"] = ax.text(
            0.99,
            0.99,
            note,
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=TEXT - 1,
            bbox={"boxstyle": "square,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
            zorder=7,
        )
    ax.figure.canvas.draw()  # settle the layout before measuring label boxes
    west, east, south, north = BAGHDAD
    in_baghdad = located.geometry.x.between(west, east) & located.geometry.y.between(south, north)
    if inset and in_baghdad.any():
        artists["inset"] = _baghdad_inset(
            ax, located, in_baghdad, color_by=color_by, size_by=size_by
        )
    avoid = [artists["inset"], artists.get("missing_note")]
    # the inset labels Baghdad's sites; the main map labels the others
    outside = located if artists["inset"] is None else located[~in_baghdad.to_numpy()]
    artists["site_labels"] = _site_labels(ax, outside, top=label_sites, avoid=avoid)
    ax.set_title(title or f"{len(located)} events with coordinates", fontsize=TITLE, loc="left")
    values = _values(located, color_by)
    approximate = int(_approximate(located).sum())
    alt = (
        f"Map of {len(located)} events coloured by {color_by.replace('_', ' ')} "
        f"({_listing(values.value_counts())})."
    )
    sites = located["site_id"].dropna().astype(str).value_counts() if "site_id" in located else []
    if len(sites):
        from .geocoding import load_places

        names = load_places().set_index("place_id")["name"]
        sites.index = [names.get(site, site) for site in sites.index]
        alt += f" Most events at one site: {_listing(sites, 4)}."
    if approximate:
        alt += f" {approximate} placed only at a district or governorate centre are hollow."
    if artists["inset"] is not None:
        alt += f" An inset shows the {int(in_baghdad.sum())} events in Baghdad."
    if missing:
        alt += f" Not shown: {_n(missing, 'event')} without coordinates."
    info = PlotInfo("plot_map", len(located), missing, notes, alt, artists)
    return _finish(ax, info, created, boundaries=True)


def _emptiest_corner(ax, located, corners) -> list:
    """Of the candidate inset boxes (axes fractions), the one over the fewest events."""
    if located.empty:
        return corners[0]
    points = ax.transAxes.inverted().transform(
        ax.transData.transform(np.column_stack([located.geometry.x, located.geometry.y]))
    )
    best, fewest = corners[0], None
    for box in corners:
        x0, y0, w, h = box
        inside = (
            (points[:, 0] >= x0 - 0.03)
            & (points[:, 0] <= x0 + w + 0.03)
            & (points[:, 1] >= y0 - 0.03)
            & (points[:, 1] <= y0 + h + 0.03)
        )
        if fewest is None or inside.sum() < fewest:
            best, fewest = box, int(inside.sum())
    return best


def _baghdad_inset(ax, located, in_baghdad, *, color_by, size_by):
    """A Baghdad panel with its districts (COD-AB) and the most-hit sites labelled."""
    size = 0.36
    corners = [[0.015, 0.015, size, size], [1 - size - 0.015, 0.015, size, size]]
    corners += [
        [0.015, 1 - size - 0.07, size, size],
        [1 - size - 0.015, 1 - size - 0.07, size, size],
    ]
    inset = ax.inset_axes(_emptiest_corner(ax, located, corners))
    inset.set_facecolor("#FFFFFF")
    paths = _layer_paths("admin2", "Iraq", "Baghdad")
    _draw_layer(inset, paths, face="#FAFAFA", edge="#AAAAAA", lw=0.5, zorder=0)
    _set_extent(inset, BAGHDAD)
    inside = located[in_baghdad.to_numpy()]
    _scatter(inset, inside, color_by=color_by, size_by=size_by)
    inset.set_title(f"Baghdad ({len(inside)} events)", fontsize=TEXT - 1, pad=2)
    for spine in inset.spines.values():
        spine.set_edgecolor("#333333")
    ax.indicate_inset_zoom(inset, edgecolor="#333333", alpha=0.8)
    ax.figure.canvas.draw()
    inset.site_labels = _site_labels(inset, inside, top=4, size=TEXT - 2, wrap=18)
    _district_names(inset, avoid=inset.site_labels)
    return inset


def _district_names(ax, *, avoid) -> list:
    """Baghdad's district names in light italics where they overlap no site label."""
    from .boundaries import load_boundaries

    districts = load_boundaries("admin2", country="Iraq")
    districts = districts[districts["admin1"] == "Baghdad"]
    renderer = ax.figure.canvas.get_renderer()
    taken = [a.get_window_extent(renderer) for a in avoid]
    frame = ax.get_window_extent(renderer)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    names = []
    for row in districts.itertuples():
        point = row.geometry.representative_point()
        if not (x0 < point.x < x1 and y0 < point.y < y1):
            continue
        text = ax.text(
            point.x,
            point.y,
            str(row.name),
            fontsize=TEXT - 3,
            color="#888888",
            style="italic",
            ha="center",
            va="center",
            zorder=1,
        )
        box = text.get_window_extent(renderer)
        if not _free(box, frame, taken):
            text.remove()
            continue
        taken.append(box)
        names.append(text)
    return names


def plot_phase_maps(
    events: pd.DataFrame,
    *,
    fig=None,
    phases=None,
    color_by: str = "weapon",
    size_by: str | None = None,
    ncols: int = 4,
    extent=None,
    title: str | None = None,
) -> np.ndarray:
    """Draw one map per phase, as small multiples on one extent, with one shared legend.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``date``, ``geometry`` and the ``color_by`` column.
    fig : matplotlib.figure.Figure, optional
        An empty figure to fill with the panels; default: a new one sized for the grid.
    phases : None, DataFrame or path
        None for the shipped phases, or your own table.
    color_by : {"weapon", "country", "target_type", "evidence"}, default "weapon"
        The variable whose palette colours the points.
    size_by : str or None, default None
        As in :func:`plot_map`.
    ncols : int, default 4
        Panels per row.
    extent : tuple of 4 floats, optional
        Shared by every panel; default: the countries of all the events given.
    title : str, optional
        Default: "Events by phase".

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        One panel per phase, in the order of the phase table.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> axes = toolkit.plot_phase_maps(events[events["event_type"] == "attack"])
    >>> len(axes), axes[0].get_title(loc="left").splitlines()[0]
    (10, 'Prelude 2019')
    >>> all(a.get_xlim() == axes[0].get_xlim() for a in axes)
    True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .phases import assign_phase

    _require(events, ("date", color_by), "plot_phase_maps")
    table = _phase_table(phases)
    if table is None:
        raise FormatError("plot_phase_maps needs phases (None for the shipped table, or yours)")
    assigned = assign_phase(events, table)
    located_all, _ = _with_points(assigned, "plot_phase_maps")
    extent = _extent(located_all, extent)
    n = len(table)
    nrows = int(np.ceil(n / ncols))
    created = fig is None
    if created:
        fig = plt.figure(figsize=(3.2 * ncols, 3.0 * nrows + 0.9), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    artists: dict = {"points": {}, "titles": {}}
    drawn = missing = 0
    notes, parts = [], []
    for ax, phase in zip(axes, table.itertuples(), strict=False):
        selected = assigned[assigned["phase"] == phase.phase_id]
        located, lost = _with_points(selected, "plot_phase_maps")
        _basemap(ax, extent=extent)
        artists["points"][phase.phase_id] = _scatter(
            ax, located, color_by=color_by, size_by=size_by
        )
        until = "open" if pd.isna(phase.end) else f"{phase.end:%b %Y}"
        label = f"{phase.label}\n{phase.start:%b %Y}–{until}: {len(selected)}"
        artists["titles"][phase.phase_id] = ax.set_title(label, fontsize=TEXT, loc="left")
        parts.append(f"{phase.label} {len(selected)}")
        if lost:
            ax.text(
                0.98,
                0.02,
                f"{lost} without coordinates",
                transform=ax.transAxes,
                ha="right",
                fontsize=TEXT - 2,
            )
            notes.append(f"{phase.phase_id}: {lost} event(s) without coordinates not shown")
        drawn += len(located)
        missing += lost
    for ax in axes[n:]:
        ax.set_visible(False)
    handles = _legend_handles(located_all, color_by, None)
    if n < len(axes):  # a free panel holds the legend
        spare = axes[n]
        spare.set_visible(True)
        spare.set_axis_off()
        artists["legend"] = spare.legend(
            handles=handles,
            loc="center",
            fontsize=TEXT,
            frameon=False,
            title=color_by.replace("_", " "),
            title_fontsize=TEXT,
        )
    else:
        artists["legend"] = fig.legend(
            handles=handles, loc="outside lower center", ncols=min(len(handles), 6), fontsize=TEXT
        )
    fig.suptitle(title or "Events by phase", fontsize=TITLE, x=0.01, ha="left")
    values = _values(located_all, color_by)
    alt = (
        f"Small-multiple maps, one per phase, on one extent: {', '.join(parts)} events. "
        f"Points are coloured by {color_by.replace('_', ' ')} "
        f"({_listing(values.value_counts())}); hollow points are placed only at a district "
        "or governorate centre."
    )
    info = PlotInfo("plot_phase_maps", drawn, missing, notes, alt, artists)
    setattr(fig, _INFO, info)
    for ax in axes[:n]:
        setattr(ax, _INFO, info)
    if created:
        artists["credit"] = credit(fig, boundaries=True)
    return axes[:n]


def plot_footprint(
    events: pd.DataFrame,
    *,
    date,
    ax: Axes | None = None,
    color_by: str = "weapon",
    extent=None,
    legend: bool = True,
    title: str | None = None,
    figsize=(7.5, 6.5),
) -> Axes:
    """Map the sites hosting US forces on a date (``us_footprint``) with events on top.

    Sites are star outlines drawn over the events, dashed grey where their presence on that
    date is uncertain (see :func:`toolkit.us_footprint`); events are drawn as in
    :func:`plot_map` (hollow where placed only at a district's or governorate's centre),
    without sizes or labels.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with a ``geometry`` and the ``color_by`` column (any selection: the map does not
        filter them by date).
    date : date-like
        The day whose US footprint is drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``figsize`` with the credit line.
    color_by : {"weapon", "country", "target_type", "evidence"}, default "weapon"
        The variable whose palette colours the events.
    extent : tuple of 4 floats, optional
        (lon_min, lon_max, lat_min, lat_max); default: the countries of the events and sites.
    legend : bool, default True
        Draw the legend (below the map).
    title : str, optional
        Default: "US sites on <date>: <n>; <n> events".
    figsize : tuple of float, default (7.5, 6.5)
        Size of a new figure, in inches.

    Returns
    -------
    matplotlib.axes.Axes
        The map; ``plot_info(ax).artists["sites"]`` is the footprint drawn.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> wave = events[(events["date"] >= "2026-02-28") & (events["event_type"] == "attack")]
    >>> ax = toolkit.plot_footprint(wave, date="2026-02-28")
    >>> sites = toolkit.plot_info(ax).artists["sites"]
    >>> "erbil_air_base" in set(sites["site_id"]), "ain_al_asad" in set(sites["site_id"])
    (True, False)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .footprint import us_footprint

    _require(events, (color_by,), "plot_footprint")
    sites = us_footprint(date)
    located, missing = _with_points(events, "plot_footprint")
    ax, created = _new_axes(ax, figsize)
    both = pd.concat(
        [located[["country", "geometry"]], sites[["country", "geometry"]]], ignore_index=True
    )
    import geopandas as gpd

    extent = _extent(gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326"), extent)
    _basemap(ax, extent=extent)
    certain = sites["certain"].astype(bool).to_numpy()
    stars, handles = {}, []
    for sure, edge, dashes, label in (
        (True, "#222222", "solid", "US site"),
        (False, "#888888", "dashed", "US site, presence uncertain"),
    ):
        chosen = sites[certain == sure]
        stars[sure] = ax.scatter(
            chosen.geometry.x,
            chosen.geometry.y,
            marker="*",
            s=230,
            facecolors="none",
            edgecolors=edge,
            linestyles=dashes,
            linewidths=1.2,
            zorder=4,  # an outline over the events, so that a hit site shows both
        )
        if sure or len(chosen):  # the uncertain entry only when there is one
            star = {"marker": "*", "markersize": 12, "markerfacecolor": "none"}
            handles.append(
                Line2D(
                    [], [], ls="", markeredgecolor=edge, **star, label=f"{label} ({len(chosen)})"
                )
            )
    points = _scatter(ax, located, color_by=color_by, size_by=None)
    handles += _legend_handles(located, color_by, None)
    artists = {"sites": sites, "stars": stars, "points": points, "legend": None}
    if legend:
        artists["legend"] = ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.01),
            ncols=2,
            fontsize=TEXT - 1,
            frameon=False,
        )
    notes = []
    if missing:
        notes.append(f"{missing} event(s) without coordinates are not shown")
        ax.text(
            0.99,
            0.99,
            notes[0],
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=TEXT - 1,
            zorder=7,
        )
    day = pd.Timestamp(date)
    ax.set_title(
        title or f"US sites on {_day(day)}: {len(sites)}; {len(events)} events",
        fontsize=TEXT + 1,
        loc="left",
    )
    alt = (
        f"Map of the {len(sites)} sites hosting US forces on {_day(day)} "
        f"({int((~certain).sum())} of them uncertain), with {len(located)} events coloured by "
        f"{color_by.replace('_', ' ')} ({_listing(_values(located, color_by).value_counts())})."
    )
    if missing:
        alt += f" Not shown: {_n(missing, 'event')} without coordinates."
    info = PlotInfo("plot_footprint", len(located), missing, notes, alt, artists)
    return _finish(ax, info, created, boundaries=True)


# --- choropleth --------------------------------------------------------------------------------

_CHOROPLETH_UNITS = {"admin1": "governorate", "admin2": "district", "admin3": "sub-district"}
#: An equal-area projection centred on Iraq (Albers, standard parallels 29 and 37 N) for areas.
EQUAL_AREA = "+proj=aea +lat_1=29 +lat_2=37 +lat_0=33 +lon_0=42 +datum=WGS84 +units=m +no_defs"


def _nice(value: float, direction: str) -> float:
    """Round to two significant digits, down or up."""
    if value <= 0:
        return 0.0
    power = 10 ** (np.floor(np.log10(value)) - 1)
    rounded = np.floor(value / power) if direction == "down" else np.ceil(value / power)
    return float(rounded * power)


def _class_edges(values: np.ndarray, classes: int = 5, *, integer: bool = False) -> np.ndarray:
    """Class edges at the quantiles of the positive values, rounded, strictly increasing."""
    positive = values[values > 0]
    if positive.size == 0:
        return np.array([0.0, 1.0])
    quantiles = np.quantile(positive, np.linspace(0, 1, classes + 1))
    if integer:  # counts: whole numbers
        quantiles = np.concatenate([[np.floor(quantiles[0])], np.ceil(quantiles[1:])])
    edges = [_nice(quantiles[0], "down")]
    edges += [_nice(q, "up") for q in quantiles[1:]]
    edges = np.unique(edges)
    if edges.size < 2:
        edges = np.array([edges[0], edges[0] * 2 or 1.0])
    return edges


def plot_choropleth(
    events: pd.DataFrame,
    *,
    ax: Axes | None = None,
    level: str = "admin2",
    per: str | None = "area",
    countries=("Iraq", "Syria", "Jordan"),
    label_units: int = 8,
    cmap: str = "YlOrBr",
    title: str | None = None,
    figsize=(10, 7.5),
) -> Axes:
    """Shade districts (or governorates, sub-districts) by events per 1,000 km² or by count.

    Units come from ``load_boundaries(level)``, matched on the events' ``admin1``/``admin2``/
    ``admin3`` column and country (Iraq: OCHA COD-AB; Syria: Who's On First; Jordan has
    governorates only). Rates are per area, computed in an equal-area projection
    (:data:`EQUAL_AREA`); the boundaries carry no population, so no per-capita rate is offered.
    Colours are classes at the quantiles of the units hit (a sequential palette unlike any
    category's); units without events are white. The ``label_units`` highest units are
    labelled with their name and number of events. Events without a unit at that level (placed
    only at a coarser precision) are counted in :func:`plot_info` and said in a note.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``country`` and the ``level`` column.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``figsize`` with the credit line.
    level : {"admin2", "admin1", "admin3"}, default "admin2"
        Districts, governorates or (Iraq only) sub-districts.
    per : {"area", None}, default "area"
        ``"area"``: events per 1,000 km² of the unit; None: the number of events.
    countries : sequence of str, default ("Iraq", "Syria", "Jordan")
        Whose units to draw.
    label_units : int, default 8
        How many of the highest units to label (where a label fits without overlap).
    cmap : str, default "YlOrBr"
        A sequential matplotlib colormap.
    title : str, optional
        Default: "Events per 1,000 km² by district".
    figsize : tuple of float, default (10, 7.5)
        Size of a new figure, in inches.

    Returns
    -------
    matplotlib.axes.Axes
        The map; :func:`plot_info` gives the events drawn and not shown and the notes.

    Raises
    ------
    FormatError
        For an unknown ``level`` or ``per``.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> attacks = events[events["event_type"] == "attack"]
    >>> ax = toolkit.plot_choropleth(attacks, level="admin2")
    >>> info = toolkit.plot_info(ax)
    >>> info.n_drawn + info.not_shown == len(attacks)
    True
    >>> table = info.artists["table"]  # the units hit, highest rate first
    >>> table.loc[0, "name"], int(table.loc[0, "events"])
    ('Al-Karkh', 52)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import BoundaryNorm, ListedColormap

    from .boundaries import load_boundaries

    if level not in _CHOROPLETH_UNITS:
        raise FormatError(
            f"plot_choropleth: level={level!r} is not accepted (expected one of: "
            f"{', '.join(_CHOROPLETH_UNITS)})"
        )
    if per not in ("area", None):
        raise FormatError(
            f"plot_choropleth: per={per!r} is not accepted (expected 'area' or None; the "
            "boundaries carry no population)"
        )
    unit = _CHOROPLETH_UNITS[level]
    _require(events, (level, "country"), "plot_choropleth")
    units = load_boundaries(level)
    units = units[units["country"].isin(list(countries))].copy()
    keys = pd.DataFrame(
        {"country": events["country"].astype("string"), "name": events[level].astype("string")}
    )
    known = keys["name"].notna() & (keys["name"].str.strip() != "")
    counts = keys[known].value_counts().rename("events").reset_index()
    merged = units.merge(counts, on=["country", "name"], how="left")
    merged["events"] = merged["events"].fillna(0).astype(int)
    merged["area_km2"] = merged.geometry.to_crs(EQUAL_AREA).area / 1e6
    merged["per_1000_km2"] = merged["events"] / merged["area_km2"] * 1000
    value = "per_1000_km2" if per == "area" else "events"
    unmatched = counts.merge(units[["country", "name"]], how="left", indicator=True)
    unmatched = unmatched[unmatched["_merge"] == "left_only"]
    ax, created = _new_axes(ax, figsize)
    hit = merged[merged["events"] > 0].sort_values(value, ascending=False)
    _basemap(ax, extent=_extent(hit if len(hit) else events, None), governorates=False)
    _draw_layer(ax, _paths(merged.geometry), face="#FFFFFF", edge="#CCCCCC", lw=0.3, zorder=1.2)
    edges = _class_edges(hit[value].to_numpy(dtype=float), integer=per is None)
    # the palest fifth of the ramp is left out: it would read as the white of "no events"
    colormap = ListedColormap(plt.get_cmap(cmap)(np.linspace(0.2, 1.0, max(len(edges) - 1, 1))))
    norm = BoundaryNorm(edges, colormap.N)
    shaded_paths, faces = [], []
    for geometry, amount in zip(hit.geometry, hit[value], strict=True):
        for path in _paths([geometry]):  # one face colour per part of a multipolygon
            shaded_paths.append(path)
            faces.append(colormap(norm(amount)))
    shaded = _draw_layer(ax, shaded_paths, face=faces, edge="#666666", lw=0.4, zorder=2)
    _draw_layer(ax, _layer_paths("admin1", "Iraq"), face="none", edge="#777777", lw=0.6, zorder=2.2)
    scale = ax.inset_axes([0.03, 0.06, 0.32, 0.028])
    bar = ax.figure.colorbar(
        ScalarMappable(norm=norm, cmap=colormap),
        cax=scale,
        orientation="horizontal",
        spacing="uniform",
        ticks=edges,
    )
    what = "events per 1,000 km²" if per == "area" else "events"
    bar.set_label(f"{what} (classes at quintiles of the {unit}s hit)", fontsize=TEXT - 1)
    bar.ax.tick_params(labelsize=TEXT - 2)
    bar.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    taken = [scale.get_tightbbox(renderer)]
    frame = ax.get_window_extent(renderer)
    labels = []
    for row in hit.itertuples():
        if len(labels) >= label_units:
            break
        point = row.geometry.representative_point()
        text = ax.annotate(
            f"{row.name} ({row.events})",
            (point.x, point.y),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=TEXT - 1,
            zorder=4,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75},
        )
        box = text.get_window_extent(renderer)
        if not _free(box, frame, taken):
            text.remove()
            continue
        taken.append(box)
        labels.append(text)
    not_placed = int((~known).sum())
    missing = not_placed + int(unmatched["events"].sum())
    notes = []
    if not_placed:
        notes.append(f"{not_placed} event(s) placed more coarsely than a {unit} are not shown")
    if len(unmatched):
        listed = ", ".join(f"{r.name} ({r.country})" for r in unmatched.itertuples())
        notes.append(f"{unit} name(s) not in the boundaries: {listed}")
    note = None
    if notes:
        note = ax.text(
            0.99,
            0.99,
            textwrap.fill("; ".join(notes), 75),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=TEXT - 1,
            bbox={"boxstyle": "square,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
            zorder=7,
        )
    ax.set_title(
        title or (f"Events per 1,000 km² by {unit}" if per == "area" else f"Events per {unit}"),
        fontsize=TITLE,
        loc="left",
    )
    n = int(merged["events"].sum())
    top = ", ".join(
        f"{r.name} ({r.events} events, {r.per_1000_km2:.1f} per 1,000 km²)"
        for r in hit.head(3).itertuples()
    )
    alt = (
        f"Choropleth of {n} events by {unit}, shaded by {what}; {len(hit)} {unit}s have "
        f"events. Highest: {top}."
    )
    if missing:
        alt += f" Not shown: {_n(missing, 'event')} with no {unit}."
    table = hit[["country", "name", "events", "area_km2", "per_1000_km2"]].reset_index(drop=True)
    artists = {
        "units": shaded,
        "table": table,
        "labels": labels,
        "scale": bar,
        "missing_note": note,
    }
    info = PlotInfo("plot_choropleth", n, missing, notes, alt, artists)
    return _finish(ax, info, created, boundaries=True)


# --- mixes -------------------------------------------------------------------------------------


def plot_mix(
    events: pd.DataFrame,
    *,
    ax: Axes | None = None,
    by: str = "weapon",
    phases=None,
    event_type: str | None = "attack",
    normalize: bool = True,
    title: str | None = None,
    figsize=(10, 4.5),
) -> Axes:
    """Draw the weapon (or target, country, evidence) mix per phase as stacked bars.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``date`` and the ``by`` column.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``figsize`` with the credit line.
    by : {"weapon", "target_type", "country", "evidence"}, default "weapon"
        The variable whose palette colours the bars; the legend lists the values present.
    phases : None, DataFrame or path
        None for the shipped phases, or your own table.
    event_type : str or None, default "attack"
        Which events to count; None for all.
    normalize : bool, default True
        Shares of each phase (True) or counts (False).
    title : str, optional
        Default: "Weapon mix by phase".
    figsize : tuple of float, default (10, 4.5)
        Size of a new figure, in inches.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; ``plot_info(ax).artists["table"]`` holds the counts per phase and value.

    Examples
    --------
    >>> import toolkit
    >>> ax = toolkit.plot_mix(toolkit.load_events(), by="target_type")
    >>> table = toolkit.plot_info(ax).artists["table"]
    >>> int(table.to_numpy().sum())
    512
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .phases import OUTSIDE, _attacks, assign_phase

    _require(events, ("date", by), "plot_mix")
    palette = _palette(by)
    table = _phase_table(phases)
    if table is None:
        raise FormatError("plot_mix needs phases (None for the shipped table, or yours)")
    assigned = assign_phase(_attacks(events, event_type), table)
    values = _values(assigned, by)
    mix = pd.crosstab(assigned["phase"], values).reindex(
        [*table["phase_id"], OUTSIDE], fill_value=0
    )
    if mix.loc[OUTSIDE].sum() == 0:
        mix = mix.drop(index=OUTSIDE)
    totals = mix.sum(axis=1)
    shares = mix.div(totals.replace(0, np.nan), axis=0).fillna(0) if normalize else mix
    order = [c for c in palette if c in shares.columns and mix[c].sum() > 0]
    order += [c for c in shares.columns if c not in order and mix[c].sum() > 0]
    labels_by_id = dict(zip(table["phase_id"], table["label"], strict=True)) | {OUTSIDE: OUTSIDE}
    ax, created = _new_axes(ax, figsize)
    y = np.arange(len(shares))[::-1]
    left = np.zeros(len(shares))
    bars = {}
    for name in order:
        bars[name] = ax.barh(
            y,
            shares[name],
            left=left,
            color=palette.get(name, FALLBACK),
            label=f"{name.replace('_', ' ')} ({int(mix[name].sum())})",
            edgecolor="white",
            linewidth=0.5,
        )
        left += shares[name].to_numpy()
    ax.set_yticks(y, [f"{labels_by_id[p]}  (n={totals[p]})" for p in shares.index], fontsize=TEXT)
    ax.set_xlabel("share of attacks" if normalize else "attacks", fontsize=TEXT)
    if normalize:
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.tick_params(labelsize=TEXT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    legend = _side_legend(ax, by) if order else None
    ax.set_title(
        title or f"{by.replace('_', ' ').capitalize()} mix by phase", fontsize=TITLE, loc="left"
    )
    parts = []
    for phase in shares.index:
        if totals[phase]:
            leading = mix.loc[phase].idxmax()
            share = mix.loc[phase, leading] / totals[phase]
            name = leading.replace("_", " ")
            parts.append(f"{labels_by_id[phase]} (n={totals[phase]}): {name} {share:.0%}")
        else:
            parts.append(f"{labels_by_id[phase]}: none")
    alt = (
        f"Stacked horizontal bars of the {by.replace('_', ' ')} mix of "
        f"{int(totals.sum())} attacks in each phase; the largest share per phase: "
        + "; ".join(parts)
        + "."
    )
    artists = {"bars": bars, "legend": legend, "table": mix}
    info = PlotInfo("plot_mix", int(totals.sum()), 0, [], alt, artists)
    return _finish(ax, info, created)


def plot_phase_rates(
    events: pd.DataFrame,
    *,
    ax: Axes | None = None,
    phases=None,
    event_type: str | None = "attack",
    conf: float = 0.95,
    title: str | None = None,
    figsize=(9, 4),
) -> Axes:
    """Draw attacks per week in each phase, with the exact Poisson interval, on a log scale.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``date`` (and ``event_type``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``figsize`` with the credit line.
    phases : None, DataFrame or path
        None for the shipped phases, or your own table.
    event_type : str or None, default "attack"
        Which events to count; None for all.
    conf : float, default 0.95
        Confidence level of the intervals.
    title : str, optional
        Default: "Attack rate by phase".
    figsize : tuple of float, default (9, 4)
        Size of a new figure, in inches.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; ``plot_info(ax).artists["table"]`` is the ``phase_summary`` drawn.

    Examples
    --------
    >>> import toolkit
    >>> ax = toolkit.plot_phase_rates(toolkit.load_events())
    >>> [t.get_text().split("  ")[0] for t in ax.get_yticklabels()][:2]
    ['Prelude 2019', 'After Soleimani']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .phases import OUTSIDE, phase_summary

    table = _phase_table(phases)
    if table is None:
        raise FormatError("plot_phase_rates needs phases (None for the shipped table, or yours)")
    summary = phase_summary(events, table, event_type=event_type, conf=conf)
    summary = summary.drop(index=OUTSIDE, errors="ignore")
    ax, created = _new_axes(ax, figsize)
    y = np.arange(len(summary))[::-1]
    rate = summary["per_week"].to_numpy(dtype=float)
    low = summary["per_week_low"].to_numpy(dtype=float)
    high = summary["per_week_high"].to_numpy(dtype=float)
    bars = ax.errorbar(
        np.where(rate > 0, rate, np.nan),
        y,
        xerr=[np.where(rate > 0, rate - low, 0), np.where(rate > 0, high - rate, 0)],
        fmt="o",
        color=NEUTRAL,
        ecolor="#888888",
        capsize=3,
        label=f"attacks per week ({conf:.0%} exact interval)",
    )
    labels = [f"{row.label}  ({row.attacks} in {row.days} days)" for row in summary.itertuples()]
    ax.set_yticks(y, labels, fontsize=TEXT)
    ax.set_xscale("log")
    ax.set_xlabel("attacks per week (log scale)", fontsize=TEXT)
    ax.tick_params(labelsize=TEXT)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#DDDDDD", lw=0.6)
    ax.set_title(title or "Attack rate by phase", fontsize=TITLE, loc="left")
    parts = [
        f"{row.label} {row.per_week:.2g} ({row.per_week_low:.2g}–{row.per_week_high:.2g})"
        if row.attacks
        else f"{row.label} none"
        for row in summary.itertuples()
    ]
    alt = (
        f"Attacks per week in each phase, with {conf:.0%} exact Poisson intervals, on a log "
        "scale: " + "; ".join(parts) + "."
    )
    artists = {"errorbar": bars, "table": summary}
    info = PlotInfo("plot_phase_rates", int(summary["attacks"].sum()), 0, [], alt, artists)
    return _finish(ax, info, created)


# --- output ------------------------------------------------------------------------------------

FIGURE_FORMATS = (".png", ".svg", ".pdf")
TABLE_FORMATS = (".csv", ".md", ".tex")


def save_figure(figure, path, *, dpi: int = 300) -> Path:
    """Save a figure as PNG, SVG or PDF at publication resolution.

    The PNG carries the credit line in its metadata; SVG and PDF carry no creation date, so
    that the same figure saves to the same bytes.

    Parameters
    ----------
    figure : matplotlib.figure.Figure, matplotlib.axes.Axes or array of Axes
        A figure, or what a ``plot_*`` function returned (its figure is saved).
    path : str or pathlib.Path
        Where to save; the suffix chooses the format (``.png``, ``.svg``, ``.pdf``). Missing
        folders are created.
    dpi : int, default 300
        Resolution of a PNG.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    FormatError
        For any other suffix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import toolkit
    >>> ax = toolkit.plot_phase_rates(toolkit.load_events())
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> toolkit.save_figure(ax, folder / "rates.svg").name
    'rates.svg'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    fig = _figure(figure)
    path = Path(path)
    if path.suffix.lower() not in FIGURE_FORMATS:
        raise FormatError(
            f"{path}: cannot save a figure as {path.suffix or 'a file without extension'} "
            f"(expected one of: {', '.join(FIGURE_FORMATS)})"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight", metadata=_metadata(path))
    return path


def _metadata(path: Path) -> dict:
    if path.suffix.lower() == ".png":
        return {"Software": "iraq-escalation toolkit", "Source": credit_line(boundaries=True)}
    if path.suffix.lower() == ".svg":
        return {"Date": None, "Creator": "iraq-escalation toolkit"}
    return {"Creator": "iraq-escalation toolkit", "CreationDate": None}


def save_table(df: pd.DataFrame, path, *, index: bool = True) -> Path:
    """Save a table as CSV, Markdown (``.md``) or LaTeX (``.tex``) through pandas.

    Text is made safe for where it goes: in CSV, a text cell starting with ``=``, ``+``, ``-``
    or ``@`` (which a spreadsheet would run as a formula, e.g. ``=HYPERLINK(...)``) gets a
    leading apostrophe (numbers such as ``-3`` are left alone); in ``.tex`` the LaTeX specials
    (``& % $ # _ { } ~ ^ \\``) of cells, column names and index are escaped.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    path : str or pathlib.Path
        Where to save; the suffix chooses the format. Missing folders are created.
    index : bool, default True
        Write the index too.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    FormatError
        For any suffix other than ``.csv``, ``.md`` and ``.tex``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> import toolkit
    >>> table = pd.DataFrame({"group": ["=cmd()", "Kataib Hezbollah"], "claims": [-3, 12]})
    >>> path = toolkit.save_table(table, pathlib.Path(tempfile.mkdtemp()) / "t.csv", index=False)
    >>> print(path.read_text().strip())
    group,claims
    '=cmd(),-3
    Kataib Hezbollah,12
    """
    import re

    formula = re.compile(r"^[=+\-@\t\r]")
    number = re.compile(r"^[+-]?(\d+([.,]\d*)?|\.\d+)([eE][+-]?\d+)?%?$")

    def defused(value):
        if isinstance(value, str) and formula.match(value) and not number.match(value):
            return "'" + value
        return value

    def safe_csv(table: pd.DataFrame) -> pd.DataFrame:
        out = table.copy()
        for name in out.columns:
            column = out[name]
            if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
                out[name] = column.map(defused, na_action="ignore")
        out.columns = [defused(c) for c in out.columns]
        if out.index.dtype == object or pd.api.types.is_string_dtype(out.index.dtype):
            out.index = out.index.map(defused)
        return out

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise FormatError(
            f"{path}: cannot save a table as {suffix or 'a file without extension'} "
            f"(expected one of: {', '.join(TABLE_FORMATS)})"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        safe_csv(df).to_csv(path, index=index)
    elif suffix == ".md":
        path.write_text(df.to_markdown(index=index, floatfmt=".2f") + "\n", encoding="utf-8")
    else:
        style = df.style.format(precision=2, na_rep="", escape="latex")
        style = style.format_index(escape="latex", axis=0).format_index(escape="latex", axis=1)
        if not index:
            style = style.hide(axis="index")
        path.write_text(style.to_latex(hrules=True), encoding="utf-8")
    return path
