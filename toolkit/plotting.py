"""Publication-quality figures: timelines, counts, maps, small multiples, choropleths, mixes.

Conventions shared by every function:

* the data come first; then ``ax=None`` (or ``fig=None`` for multi-panel figures); every option
  is keyword-only;
* nothing calls ``plt.show()`` or touches the global ``rcParams``: sizes and fonts are set on
  the artists themselves;
* colours are fixed per weapon and per country (:data:`WEAPON_COLORS`, :data:`COUNTRY_COLORS`,
  from the Okabe-Ito colour-blind-safe palette, with a distinct marker per weapon so that colour
  is never the only cue) and are the same in every figure;
* each returns a :class:`Drawn`: the figure, its axes, the artists that tests and callers may
  inspect, and how many events could not be drawn (for instance, without coordinates) and why;
* a credit line (:func:`credit`) names the data and, for maps, the boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .errors import FormatError
from .phases import _require

__all__ = [
    "COUNTRY_COLORS",
    "TARGET_COLORS",
    "WEAPON_COLORS",
    "WEAPON_MARKERS",
    "Drawn",
    "credit",
    "credit_line",
    "plot_choropleth",
    "plot_counts",
    "plot_map",
    "plot_mix",
    "plot_phase_maps",
    "plot_phase_rates",
    "plot_timeline",
    "save_figure",
    "save_table",
]

# Okabe & Ito (2008) for the main categories; greys and olive (Tol) for the residual ones.
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
COUNTRY_COLORS = {"Iraq": "#0072B2", "Syria": "#E69F00", "Jordan": "#009E73"}
TARGET_COLORS = {
    "military_base": "#0072B2",
    "diplomatic": "#D55E00",
    "airport": "#56B4E9",
    "logistics_convoy": "#CC79A7",
    "contractor": "#E69F00",
    "personnel": "#009E73",
    "militia": "#000000",
    "other": "#AAAAAA",
}
PALETTES = {"weapon": WEAPON_COLORS, "country": COUNTRY_COLORS, "target_type": TARGET_COLORS}

BAND_COLORS = ("#EDEDED", "#FFFFFF")
TEXT = 9  # points, for labels and legends
TITLE = 11
# Extent (lon_min, lon_max, lat_min, lat_max) of the regional maps: Iraq, eastern Syria and the
# north-east of Jordan, where every event of the dataset lies.
REGION = (35.4, 48.8, 29.0, 37.5)
BAGHDAD = (44.15, 44.55, 33.18, 33.45)


@dataclass
class Drawn:
    """What a plotting function drew, for callers and tests.

    ``fig`` and ``ax`` (the main axes; ``axes`` when there are several), ``artists`` (named
    artists: points, bars, bands, labels, legend...), ``n_drawn`` events drawn, ``not_shown``
    events that could not be drawn, and ``notes`` saying why.
    """

    kind: str
    fig: plt.Figure
    ax: plt.Axes
    axes: list = field(default_factory=list)
    artists: dict = field(default_factory=dict)
    n_drawn: int = 0
    not_shown: int = 0
    notes: list = field(default_factory=list)

    def __repr__(self) -> str:
        text = f"<{self.kind}: {self.n_drawn} events drawn"
        if self.not_shown:
            text += f", {self.not_shown} not shown"
        text += ">"
        return text + "".join(f"\n  {note}" for note in self.notes)


# --- shared helpers ----------------------------------------------------------------------------


def credit_line(*, boundaries: bool = False, extra: str | None = None) -> str:
    """The credit line: the data (version, licence) and, for maps, the boundaries' sources."""
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


def credit(fig: plt.Figure, *, boundaries: bool = False, extra: str | None = None):
    """Write the credit line at the bottom left of ``fig`` and return the text artist.

    It is the figure's ``supxlabel``, so a constrained layout keeps room for it below the axes.
    """
    return fig.supxlabel(
        credit_line(boundaries=boundaries, extra=extra),
        x=0.01,
        ha="left",
        fontsize=7,
        color="#555555",
    )


def _new_axes(ax, figsize):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    else:
        fig = ax.figure
    return fig, ax


def _edge(name: str, marker: str):
    """Edge colour of a marker: none for line markers, dark for light fills, else white."""
    if marker in ("x", "|"):
        return None
    return "#555555" if name in ("storming", "unknown", "mixed") else "white"


def _side_legend(ax, by: str):
    """The legend of a categorical figure, outside the axes on the right, titled by ``by``."""
    return ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=TEXT,
        frameon=False,
        title=by.replace("_", " "),
        title_fontsize=TEXT,
    )


def _palette(by: str) -> dict:
    if by not in PALETTES:
        raise FormatError(f"by={by!r} is not accepted (expected one of: {', '.join(PALETTES)})")
    return PALETTES[by]


#: Colours for the armed groups of a by-group figure, in order of size (Okabe-Ito, colour-blind
#: safe); "other" and the events without a group are greys.
GROUP_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")


def _group_palette(counts: pd.DataFrame, by: str) -> dict:
    from .phases import GROUP_COLUMNS, OTHER

    named = [c for c in counts.columns if c not in ("total", OTHER, GROUP_COLUMNS[by])]
    palette = {name: GROUP_COLORS[i % len(GROUP_COLORS)] for i, name in enumerate(named)}
    palette[OTHER] = "#555555"
    palette[GROUP_COLUMNS[by]] = "#B0B0B0"
    return palette


def _values(events: pd.DataFrame, by: str) -> pd.Series:
    return events[by].astype("string").fillna("unknown")


def _phase_table(phases):
    if phases is False:
        return None
    from .phases import _phases

    return _phases(phases)


def _draw_bands(ax, phases, *, start, end, labels: bool = True):
    """Shade each phase that overlaps [start, end]; label it at the top of the axes."""
    bands, texts = [], []
    if phases is None:
        return bands, texts
    for i, phase in enumerate(phases.itertuples()):
        # an open phase (no end) is shaded to the edge of the figure
        stop = end if pd.isna(phase.end) else phase.end + pd.Timedelta(days=1)
        left, right = max(phase.start, start), min(stop, end)
        if left >= right:
            continue
        band = ax.axvspan(left, right, color=BAND_COLORS[i % 2], zorder=0, lw=0)
        band.set_gid(f"phase:{phase.phase_id}")
        bands.append(band)
        if labels and (right - left) >= 0.04 * (end - start):  # no label on a sliver
            middle = left + (right - left) / 2
            text = ax.text(
                middle,
                1.0,
                str(phase.label),
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=TEXT - 1,
                color="#444444",
                clip_on=False,
            )
            texts.append(text)
    _hide_crowded(ax, texts)
    return bands, texts


def _hide_crowded(ax, texts) -> None:
    """Hide labels that would overlap a label already kept (narrow phases)."""
    renderer = ax.figure.canvas.get_renderer()
    kept = []
    for text in texts:
        box = text.get_window_extent(renderer).expanded(1.04, 1.0)
        if any(box.overlaps(other) for other in kept):
            text.set_visible(False)
        else:
            kept.append(box)


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
    ax=None,
    *,
    by: str = "weapon",
    phases=None,
    key_events=None,
    start=None,
    end=None,
    title: str | None = None,
    figsize=(11, 5.5),
) -> Drawn:
    """Events as marks over time, one row per weapon (or country), phases as shaded bands.

    ``key_events``: key event ids (a list, or a dict of id -> short label), or a DataFrame with
    ``date`` and ``label`` (or ``description``); their labels are stacked so that none overlaps.
    ``phases``: None for the shipped phases, your own table, or False for no bands.
    ``by``: ``weapon`` or ``country`` (or ``target_type``).
    """
    palette = _palette(by)
    _require(events, ("date", by), "plot_timeline")
    start, end = _span(events, start, end)
    fig, ax = _new_axes(ax, figsize)
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
        points = ax.scatter(
            dates[mask],
            y,
            s=28 if marker != "|" else 120,
            marker=marker,
            color=palette.get(name, "#777777"),
            alpha=0.75,
            linewidths=0.4 if marker not in ("x", "|") else 1.2,
            edgecolors=_edge(name, marker),
            label=f"{name.replace('_', ' ')} ({mask.sum()})",
            zorder=3,
        )
        artists["points"][name] = points
    ax.set_yticks(list(rows.values()), [n.replace("_", " ") for n in rows], fontsize=TEXT)
    ax.set_xlim(start - pd.Timedelta(days=3), end + pd.Timedelta(days=3))
    _date_axis(ax)
    ax.tick_params(axis="x", labelsize=TEXT)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    table = _phase_table(phases)
    # draw once so the renderer knows the axes' size before labels are measured
    ax.set_ylim(-0.7, len(rows) - 0.3)
    bands, band_labels = _draw_bands(ax, table, start=start, end=end)
    artists["bands"], artists["band_labels"] = bands, band_labels
    labels, notes = [], []
    if key_events is not None:
        key = _key_events(key_events)
        within = (key["date"] >= start) & (key["date"] <= end)
        if (~within).any():
            outside = ", ".join(key.loc[~within, "date"].dt.strftime("%Y-%m-%d"))
            notes.append(f"key events outside the time span, not labelled: {outside}")
        key = key[within].sort_values("date")
        items = [(row.date, str(row.label)) for row in key.itertuples()]
        # reserve space above the rows for the labels, then place them
        ax.set_ylim(-0.7, len(rows) + 0.2 + 0.55 * max(1, min(len(items), 6)))
        labels, levels = _place_labels(ax, items, base=len(rows) - 0.2, step=0.55)
        ax.set_ylim(-0.7, len(rows) + 0.2 + 0.55 * levels)
    artists["key_labels"] = [text for text, _ in labels]
    legend = _side_legend(ax, by) if present else None
    artists["legend"] = legend
    ax.set_title(
        title or f"Events by {by.replace('_', ' ')}, {start:%d %b %Y} to {end:%d %b %Y}",
        fontsize=TITLE,
        loc="left",
        pad=16,
    )
    artists["credit"] = credit(fig)
    return Drawn("plot_timeline", fig, ax, [ax], artists, n_drawn=len(events), notes=notes)


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


def plot_counts(
    events: pd.DataFrame,
    ax=None,
    *,
    freq: str = "W",
    by: str | None = None,
    phases=None,
    official: pd.DataFrame | None = None,
    start=None,
    end=None,
    title: str | None = None,
    figsize=(11, 4.5),
    top: int | None = None,
) -> Drawn:
    """Weekly (``freq="W"``) or monthly (``"M"``) attack counts as bars, with phase bands.

    ``by="country"`` (or ``weapon``) stacks the bars in the fixed palette. ``by="claimed_by"``
    (or ``attributed_to``) stacks them by armed group, ``top`` groups (default 6) and ``other``,
    with events that name no group in grey; an event claimed by two groups is stacked in
    both (see ``weekly_counts``), so a bar can then stand higher than the number of events.
    With ``official`` (the table of ``toolkit.load_official_counts()``), a second axis shows
    the dataset's running total from the tallies' start date against each official tally of
    attacks (only official sources, the most common start date in the window, a scope that
    covers every country drawn, and no narrower scope of weapons, targets or sites).
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
    fig, ax = _new_axes(ax, figsize)
    offset = pd.Timedelta(days=3) if freq.startswith("W") else pd.Timedelta(days=14)
    width = pd.Timedelta(days=6) if freq.startswith("W") else pd.Timedelta(days=26)
    x = counts.index + offset
    bars = {}
    if by is None:
        bars["attacks"] = ax.bar(x, counts["attacks"], width=width, color="#444444", lw=0)
    else:
        palette = _group_palette(counts, by) if by in GROUP_COLUMNS else _palette(by)
        bottom = np.zeros(len(counts))
        order = [c for c in palette if c in counts.columns]
        order += [c for c in counts.columns if c not in order and c != "total"]
        for name in order:
            bars[name] = ax.bar(
                x,
                counts[name],
                bottom=bottom,
                width=width,
                color=palette.get(name, "#777777"),
                label=name.replace("_", " "),
                lw=0,
            )
            bottom += counts[name].to_numpy()
    span_start = counts.index.min()
    span_end = counts.index.max() + (
        pd.Timedelta(days=7) if freq.startswith("W") else pd.offsets.MonthBegin(1)
    )
    ax.set_xlim(span_start, span_end)
    _date_axis(ax)
    unit = "week" if freq.startswith("W") else "month"
    ax.set_ylabel(f"attacks per {unit}", fontsize=TEXT)
    ax.tick_params(labelsize=TEXT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    bands, band_labels = _draw_bands(
        ax, _phase_table(phases), start=span_start, end=pd.Timestamp(span_end)
    )
    artists = {"bars": bars, "bands": bands, "band_labels": band_labels}
    handles, labels = ax.get_legend_handles_labels()
    if official is not None:
        line, points, ax2 = _overlay_official(ax, events, official, span_start, span_end)
        artists |= {"cumulative": line, "official": points, "twin": ax2}
        if line is not None:
            handles += [line, points]
            labels += [line.get_label(), points.get_label()]
            ax.spines["right"].set_visible(True)
    if handles:
        artists["legend"] = ax.legend(
            handles, labels, loc="upper left", fontsize=TEXT, frameon=True, framealpha=0.85
        )
    total = int(counts["attacks" if by is None else "total"].sum())
    ax.set_title(
        title or f"Attacks per {unit}, {counts.index.min():%b %Y} to {counts.index.max():%b %Y}",
        fontsize=TITLE,
        loc="left",
        pad=16,
    )
    artists["credit"] = credit(fig)
    drawn = Drawn("plot_counts", fig, ax, [ax], artists, n_drawn=total)
    if official is not None and artists.get("cumulative") is None:
        drawn.notes.append("no official tally of attacks in this window: none overlaid")
    return drawn


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
        color="#0072B2",
        lw=1.6,
        label=f"dataset, running total ({where}, from {since:%d %b %Y})",
    )
    points = ax2.scatter(
        tallies["as_of"],
        tallies["value"],
        marker="o",
        s=26,
        facecolors="white",
        edgecolors="#D55E00",
        linewidths=1.4,
        zorder=4,
        label=f"official tallies ({where}, from {since:%d %b %Y})",
    )
    ax2.set_ylabel("running total of attacks", fontsize=TEXT, color="#0072B2")
    ax2.tick_params(labelsize=TEXT)
    ax2.set_ylim(0, max(running.max(), tallies["value"].max()) * 1.1)
    ax2.spines["top"].set_visible(False)
    return line, points, ax2


# --- maps --------------------------------------------------------------------------------------


def _basemap(ax, *, extent=REGION, governorates: bool = True):
    from .boundaries import load_boundaries

    countries = load_boundaries("countries")
    admin1 = load_boundaries("admin1")
    ax.set_facecolor("#DCE9F2")
    countries.plot(ax=ax, color="#F2F2F2", edgecolor="#9A9A9A", linewidth=0.6, zorder=0)
    focus = countries[countries["name"].isin(["Iraq", "Syria", "Jordan"])]
    focus.plot(ax=ax, color="#FFFFFF", edgecolor="#666666", linewidth=0.8, zorder=1)
    if governorates:
        admin1[admin1["country"] == "Iraq"].plot(
            ax=ax, facecolor="none", edgecolor="#BBBBBB", linewidth=0.4, zorder=1
        )
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect(1 / np.cos(np.radians((extent[2] + extent[3]) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for text, (lon, lat) in (
        ("IRAQ", (43.2, 32.6)),
        ("SYRIA", (38.4, 35.2)),
        ("JORDAN", (36.6, 30.6)),
    ):
        if extent[0] < lon < extent[1] and extent[2] < lat < extent[3]:
            ax.text(lon, lat, text, fontsize=TEXT, color="#888888", ha="center", zorder=2.5)


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


def _scatter(ax, events, *, color_by: str, size_by: str | None, legend_counts: bool = True):
    palette = _palette(color_by)
    values = _values(events, color_by)
    sizes = _sizes(events, size_by)
    x = events.geometry.x.to_numpy()
    y = events.geometry.y.to_numpy()
    points = {}
    order = [c for c in palette if (values == c).any()]
    for name in order + sorted(set(values) - set(order)):
        mask = (values == name).to_numpy()
        marker = WEAPON_MARKERS.get(name, "o") if color_by == "weapon" else "o"
        label = name.replace("_", " ") + (f" ({mask.sum()})" if legend_counts else "")
        points[name] = ax.scatter(
            x[mask],
            y[mask],
            s=sizes[mask],
            marker=marker,
            color=palette.get(name, "#777777"),
            alpha=0.7,
            edgecolors="#333333" if marker != "x" else None,
            linewidths=0.4 if marker != "x" else 1.2,
            label=label,
            zorder=3,
        )
    return points


def _with_points(events: pd.DataFrame, function: str):
    _require(events, ("geometry",), function)
    has_point = events.geometry.notna() & ~events.geometry.is_empty
    return events[has_point], int((~has_point).sum())


def _site_labels(ax, events, *, top: int, avoid=(), size: int = TEXT - 1):
    """Label the ``top`` most-hit named sites with their count of events.

    Each label tries six positions around its point and takes the first that overlaps neither
    another label nor anything in ``avoid`` (artists such as the legend or an inset); a site
    whose label finds no free place stays unlabelled rather than covered.
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
        for dx, dy, ha, va in offsets:
            text = ax.annotate(
                f"{_short(place['name'], 26)} ({n})",
                (lon, lat),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=size,
                color="#111111",
                zorder=6,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75},
            )
            box = text.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
            if inside and box.y1 <= frame.y1 and not any(box.overlaps(o) for o in taken):
                taken.append(box)
                labels.append(text)
                break
            text.remove()
    return labels


def _legend_handles(points: dict, color_by: str, size_by: str | None) -> list:
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker=WEAPON_MARKERS.get(n, "o") if color_by == "weapon" else "o",
            color=_palette(color_by).get(n, "#777777"),
            markeredgecolor="#333333",
            markersize=7,
            label=p.get_label(),
        )
        for n, p in points.items()
    ]
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
    ax=None,
    *,
    color_by: str = "weapon",
    size_by: str | None = "casualties",
    label_sites: int = 8,
    inset: bool = True,
    extent=REGION,
    title: str | None = None,
    legend: bool = True,
    figsize=(9, 7.5),
) -> Drawn:
    """Map events over Iraq's governorates and the neighbouring countries.

    Points are coloured (and shaped) by ``color_by`` and sized by ``size_by`` (``casualties`` =
    killed + injured, best figures; None for equal sizes). The ``label_sites`` most-hit named
    sites are labelled with their number of events, without overlap. ``inset`` adds a Baghdad
    panel (Green Zone, airport), where most events overlap at the national scale. Events at one
    site share one point: the labels' counts say how many. Events without coordinates are
    counted in ``not_shown`` and in a note on the map, never silently lost.
    """
    _require(events, (color_by,), "plot_map")
    located, missing = _with_points(events, "plot_map")
    fig, ax = _new_axes(ax, figsize)
    _basemap(ax, extent=extent)
    points = _scatter(ax, located, color_by=color_by, size_by=size_by)
    artists: dict = {"points": points, "inset": None, "legend": None}
    if inset:
        artists["inset"] = _baghdad_inset(ax, located, color_by=color_by, size_by=size_by)
    if legend and points:
        artists["legend"] = ax.legend(
            handles=_legend_handles(points, color_by, size_by),
            loc="lower left",
            fontsize=TEXT - 1,
            frameon=True,
            framealpha=0.9,
            title=color_by.replace("_", " "),
            title_fontsize=TEXT - 1,
        )
    notes = []
    if missing:
        note = f"{missing} event(s) without coordinates are not shown"
        notes.append(note)
        artists["missing_note"] = ax.text(
            0.99, 0.01, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=TEXT - 1
        )
    fig.canvas.draw()  # settle the layout before measuring label boxes
    avoid = [artists["legend"], artists["inset"], artists.get("missing_note")]
    artists["site_labels"] = _site_labels(ax, located, top=label_sites, avoid=avoid)
    ax.set_title(title or f"{len(located)} events with coordinates", fontsize=TITLE, loc="left")
    artists["credit"] = credit(fig, boundaries=True)
    return Drawn("plot_map", fig, ax, [ax], artists, len(located), missing, notes)


def _baghdad_inset(ax, events, *, color_by, size_by):
    inset = ax.inset_axes([0.25, 0.015, 0.36, 0.36])
    _basemap(inset, extent=BAGHDAD, governorates=False)
    west, east, south, north = BAGHDAD
    inside = events[events.geometry.x.between(west, east) & events.geometry.y.between(south, north)]
    _scatter(inset, inside, color_by=color_by, size_by=size_by)
    inset.set_title(f"Baghdad ({len(inside)} events)", fontsize=TEXT - 1, pad=2)
    for spine in inset.spines.values():
        spine.set_edgecolor("#333333")
    ax.indicate_inset_zoom(inset, edgecolor="#333333", alpha=0.8)
    ax.figure.canvas.draw()
    inset.site_labels = _site_labels(inset, inside, top=4, size=TEXT - 2)
    return inset


def plot_phase_maps(
    events: pd.DataFrame,
    fig=None,
    *,
    phases=None,
    color_by: str = "weapon",
    size_by: str | None = None,
    ncols: int = 4,
    extent=REGION,
    title: str | None = None,
) -> Drawn:
    """One map per phase, as small multiples on the same extent, with one shared legend."""
    from .phases import assign_phase

    _require(events, ("date", color_by), "plot_phase_maps")
    table = _phase_table(phases)
    if table is None:
        raise FormatError("plot_phase_maps needs phases (None for the shipped table, or yours)")
    assigned = assign_phase(events, table)
    n = len(table)
    nrows = int(np.ceil(n / ncols))
    if fig is None:
        fig = plt.figure(figsize=(3.2 * ncols, 3.0 * nrows + 0.8), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    artists: dict = {"points": {}, "titles": {}}
    drawn = missing = 0
    notes = []
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
    palette = _palette(color_by)
    values = set(_values(events, color_by))
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker=WEAPON_MARKERS.get(v, "o") if color_by == "weapon" else "o",
            color=palette.get(v, "#777777"),
            markeredgecolor="#333333",
            label=v.replace("_", " "),
        )
        for v in [*palette, *sorted(values - set(palette))]
        if v in values
    ]
    if n < len(axes):  # a free panel holds the legend
        spare = axes[n]
        spare.set_visible(True)
        spare.set_axis_off()
        artists["legend"] = spare.legend(
            handles=handles, loc="center", fontsize=TEXT, frameon=False, title=color_by
        )
    else:
        artists["legend"] = fig.legend(
            handles=handles, loc="outside upper right", ncols=len(handles), fontsize=TEXT
        )
    fig.suptitle(title or "Events by phase", fontsize=TITLE, x=0.01, ha="left")
    artists["credit"] = credit(fig, boundaries=True)
    return Drawn("plot_phase_maps", fig, axes[0], list(axes[:n]), artists, drawn, missing, notes)


_CHOROPLETH_UNITS = {"admin1": "governorate", "admin2": "district", "admin3": "sub-district"}


def plot_choropleth(
    events: pd.DataFrame,
    ax=None,
    *,
    level: str = "admin1",
    countries=("Iraq", "Syria", "Jordan"),
    cmap: str = "Oranges",
    title: str | None = None,
    figsize=(9, 7),
) -> Drawn:
    """Events per governorate (or district, sub-district), shaded; the count on each one hit.

    ``level="admin1"`` (default): governorates from the events' ``admin1`` column (the name the
    sources give), matched by name and country to ``load_boundaries("admin1")`` (Iraq: OCHA
    COD-AB, Baghdad with its real extent). ``level="admin2"``: districts from the events'
    ``admin2`` column (COD-AB for Iraq, Who's On First for Syria; filled by
    ``scripts/place_events.py`` for rows placed at district precision or finer);
    ``level="admin3"``: Iraq's sub-districts. Events without a unit at that level (placed
    only at a coarser precision) are counted in ``not_shown`` and said in the note.
    """
    from .boundaries import load_boundaries

    if level not in _CHOROPLETH_UNITS:
        raise FormatError(
            f"plot_choropleth: level={level!r} is not accepted (expected one of: "
            f"{', '.join(_CHOROPLETH_UNITS)})"
        )
    unit = _CHOROPLETH_UNITS[level]
    _require(events, (level, "country"), "plot_choropleth")
    admin1 = load_boundaries(level)
    admin1 = admin1[admin1["country"].isin(list(countries))].copy()
    names = events[level].astype("string")
    keys = pd.DataFrame({"country": events["country"].astype("string"), "name": names})
    known = keys["name"].notna() & (keys["name"].str.strip() != "")
    counts = keys[known].value_counts().rename("events").reset_index()
    merged = admin1.merge(counts, on=["country", "name"], how="left")
    merged["events"] = merged["events"].fillna(0).astype(int)
    unmatched = counts.merge(admin1[["country", "name"]], how="left", indicator=True)
    unmatched = unmatched[unmatched["_merge"] == "left_only"]
    fig, ax = _new_axes(ax, figsize)
    _basemap(ax, extent=REGION, governorates=False)
    hit = merged[merged["events"] > 0]
    vmax = max(1, int(merged["events"].max()))
    if not hit.empty:
        hit.plot(
            ax=ax,
            column="events",
            cmap=cmap,
            vmin=0,
            vmax=vmax,
            edgecolor="#666666",
            linewidth=0.5,
            zorder=2,
            legend=True,
            legend_kwds={"label": "events", "shrink": 0.6},
        )
    merged[merged["events"] == 0].plot(
        ax=ax, facecolor="none", edgecolor="#BBBBBB", linewidth=0.4, zorder=2
    )
    labels = []
    renderer = fig.canvas.get_renderer()
    taken = []
    for row in hit.sort_values("events", ascending=False).itertuples():
        point = row.geometry.representative_point()
        text = ax.text(
            point.x,
            point.y,
            f"{row.name}\n{row.events}",
            ha="center",
            va="center",
            fontsize=TEXT - 1,
            zorder=4,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.6},
        )
        box = text.get_window_extent(renderer)
        if any(box.overlaps(other) for other in taken):
            text.set_text(str(row.events))
            box = text.get_window_extent(renderer)
        taken.append(box)
        labels.append(text)
    missing = int((~known).sum()) + int(unmatched["events"].sum())
    notes = []
    if (~known).sum():
        notes.append(f"{int((~known).sum())} event(s) with no {unit} are not shown")
    if len(unmatched):
        listed = ", ".join(f"{r.name} ({r.country})" for r in unmatched.itertuples())
        notes.append(f"{unit} name(s) not in the boundaries: {listed}")
    if notes:
        artists_note = ax.text(
            0.99,
            0.01,
            "; ".join(notes),
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=TEXT - 1,
        )
    else:
        artists_note = None
    ax.set_title(title or f"Events per {unit}", fontsize=TITLE, loc="left")
    artists = {"governorates": hit, "labels": labels, "missing_note": artists_note}
    artists["credit"] = credit(fig, boundaries=True)
    n = int(merged["events"].sum())
    return Drawn("plot_choropleth", fig, ax, [ax], artists, n, missing, notes)


# --- mixes -------------------------------------------------------------------------------------


def plot_mix(
    events: pd.DataFrame,
    ax=None,
    *,
    by: str = "weapon",
    phases=None,
    event_type: str | None = "attack",
    normalize: bool = True,
    title: str | None = None,
    figsize=(10, 4.5),
) -> Drawn:
    """Weapon (or target) mix per phase as stacked horizontal bars, with n per phase."""
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
    order = [c for c in palette if c in shares.columns]
    order += [c for c in shares.columns if c not in order]
    labels_by_id = dict(zip(table["phase_id"], table["label"], strict=True)) | {OUTSIDE: OUTSIDE}
    fig, ax = _new_axes(ax, figsize)
    y = np.arange(len(shares))[::-1]
    left = np.zeros(len(shares))
    bars = {}
    for name in order:
        bars[name] = ax.barh(
            y,
            shares[name],
            left=left,
            color=palette.get(name, "#777777"),
            label=name.replace("_", " "),
            edgecolor="white",
            linewidth=0.5,
        )
        left += shares[name].to_numpy()
    ax.set_yticks(y, [f"{labels_by_id[p]}  (n={totals[p]})" for p in shares.index], fontsize=TEXT)
    ax.set_xlabel("share of attacks" if normalize else "attacks", fontsize=TEXT)
    if normalize:
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.tick_params(labelsize=TEXT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    legend = _side_legend(ax, by) if order else None
    ax.set_title(
        title or f"{by.replace('_', ' ').capitalize()} mix by phase", fontsize=TITLE, loc="left"
    )
    artists = {"bars": bars, "legend": legend, "table": mix, "credit": credit(fig)}
    return Drawn("plot_mix", fig, ax, [ax], artists, n_drawn=int(totals.sum()))


def plot_phase_rates(
    events: pd.DataFrame,
    ax=None,
    *,
    phases=None,
    event_type: str | None = "attack",
    conf: float = 0.95,
    title: str | None = None,
    figsize=(9, 4),
) -> Drawn:
    """Attacks per week in each phase, with the exact Poisson interval, on a log scale."""
    from .phases import OUTSIDE, phase_summary

    table = _phase_table(phases)
    if table is None:
        raise FormatError("plot_phase_rates needs phases (None for the shipped table, or yours)")
    summary = phase_summary(events, table, event_type=event_type, conf=conf)
    summary = summary.drop(index=OUTSIDE, errors="ignore")
    fig, ax = _new_axes(ax, figsize)
    y = np.arange(len(summary))[::-1]
    rate = summary["per_week"].to_numpy(dtype=float)
    low = summary["per_week_low"].to_numpy(dtype=float)
    high = summary["per_week_high"].to_numpy(dtype=float)
    bars = ax.errorbar(
        np.where(rate > 0, rate, np.nan),
        y,
        xerr=[np.where(rate > 0, rate - low, 0), np.where(rate > 0, high - rate, 0)],
        fmt="o",
        color="#0072B2",
        ecolor="#555555",
        capsize=3,
        label=f"attacks per week ({conf:.0%} exact interval)",
    )
    labels = [f"{row.label}  ({row.attacks} in {row.days} days)" for row in summary.itertuples()]
    ax.set_yticks(y, labels, fontsize=TEXT)
    ax.set_xscale("log")
    ax.set_xlabel("attacks per week (log scale)", fontsize=TEXT)
    ax.tick_params(labelsize=TEXT)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#DDDDDD", lw=0.6)
    ax.set_title(title or "Attack rate by phase", fontsize=TITLE, loc="left")
    artists = {"errorbar": bars, "table": summary, "credit": credit(fig)}
    return Drawn("plot_phase_rates", fig, ax, [ax], artists, n_drawn=int(summary["attacks"].sum()))


# --- output ------------------------------------------------------------------------------------

FIGURE_FORMATS = (".png", ".svg", ".pdf")
TABLE_FORMATS = (".csv", ".md", ".tex")


def save_figure(fig, path, *, dpi: int = 300) -> Path:
    """Save a figure (or a :class:`Drawn`) as PNG, SVG or PDF at publication resolution."""
    fig = fig.fig if isinstance(fig, Drawn) else fig
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
