"""An interactive map of events (folium, via ``GeoDataFrame.explore``).

Needs the ``maps`` extra (``pip install ".[maps]"``; ``make lab`` installs it). Static figures
are in :mod:`toolkit.plotting`; this map is for looking around: one layer per phase, a popup per
event with its figures and every source, and the governorate boundaries shipped in
``data/boundaries`` as an offline base map.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .errors import ToolkitError
from .plotting import EVIDENCE_COLORS, GROUP_COLORS, PALETTES

__all__ = ["EVIDENCE_COLORS", "explore_events"]

# One palette per variable, shared with the static figures (toolkit.plotting.PALETTES);
# a column without a palette of its own (e.g. claimed_by) takes the armed groups' colours.

_CYCLE = (*GROUP_COLORS, "#999999")
_MISSING = "(empty)"
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$")


def _escape(value: object) -> str:
    """Text for HTML: empty for a missing value, everything else escaped (quotes included)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp) and not pd.isna(value):
        return value.strftime("%Y-%m-%d")
    return html.escape(str(value), quote=True)


def _range(low: object, high: object) -> str:
    """'3', '3-5' or '' for a best figure and the highest another source gives."""
    if pd.isna(low) and pd.isna(high):
        return ""
    if pd.isna(high) or high == low:
        return _escape(low)
    if pd.isna(low):
        return f"up to {_escape(high)}"
    return f"{_escape(low)}–{_escape(high)}"


def _link(url: object, text: str) -> str:
    """An anchor for http(s) addresses; anything else (javascript:, data:...) stays text."""
    address = "" if url is None or pd.isna(url) else str(url).strip()
    if not _SAFE_URL.match(address):
        return f"{text} ({_escape(address)})" if address else text
    return f'<a href="{_escape(address)}" target="_blank" rel="noopener noreferrer">{text}</a>'


def _source_items(sources: pd.DataFrame) -> dict[str, str]:
    """event_id -> an HTML list of its sources, each linked, in the order of the table."""
    items: dict[str, list[str]] = {}
    for row in sources.itertuples(index=False):
        title = _escape(getattr(row, "title", "")) or "(no title)"
        label = f"{_escape(row.outlet)}: {title}"
        details = ", ".join(
            part
            for part in (_escape(getattr(row, "published", "")), _escape(row.source_kind))
            if part
        )
        says = _escape(getattr(row, "says", ""))
        item = _link(row.url, label) + (f" ({details})" if details else "")
        if says:
            item += f"<br><i>{says}</i>"
        items.setdefault(str(row.event_id), []).append(f"<li>{item}</li>")
    return {event_id: "".join(lines) for event_id, lines in items.items()}


def _popup(row: pd.Series, sources_html: Mapping[str, str]) -> str:
    place = ", ".join(
        text for column in ("location", "admin1", "country") if (text := _escape(row.get(column)))
    )
    figures = [
        f"{name} {text}"
        for name, low, high in (
            ("projectiles", "projectiles", "projectiles_max"),
            ("killed", "killed", "killed_max"),
            ("injured", "injured", "injured_max"),
        )
        if (text := _range(row.get(low), row.get(high)))
    ]
    disputed = row.get("figures_disputed")
    lines = [
        f"<b>{_escape(row.get('event_id'))}</b> {_escape(row.get('date'))} "
        f"({_escape(row.get('date_precision'))})",
        f"<b>Place:</b> {place} ({_escape(row.get('geo_precision'))} precision)",
        f"<b>Weapon:</b> {_escape(row.get('weapon'))}; <b>target:</b> "
        f"{_escape(row.get('target_type'))}",
        "<b>Figures:</b> "
        + ("; ".join(figures) if figures else "none reported")
        + (" (sources disagree)" if disputed is True else ""),
    ]
    for column, label in (
        ("claimed_by", "Claimed by"),
        ("attributed_to", "Blamed on"),
        ("evidence", "Evidence"),
    ):
        if text := _escape(row.get(column)):
            lines.append(f"<b>{label}:</b> {text.replace(';', '; ')}")
    lines.append(_escape(row.get("summary")))
    listed = sources_html.get(str(row.get("event_id")), "")
    lines.append(f"<b>Sources:</b><ol>{listed}</ol>" if listed else "<b>Sources:</b> none listed")
    style = "max-width:420px;max-height:360px;overflow-y:auto;overflow-wrap:anywhere"
    return f'<div style="{style}">' + "<br>".join(lines) + "</div>"


def _palette(color: str, values: pd.Series) -> dict[str, str]:
    """Category -> colour: the toolkit's palette for the column when there is one."""
    fixed = PALETTES.get(color, {})
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = [str(c) for c in values.cat.categories if (values == c).any()]
    else:
        categories = sorted({str(v) for v in values.dropna()})
    if values.isna().any():
        categories.append(_MISSING)
    spare = iter(c for c in _CYCLE if c not in set(fixed.values()) or not fixed)
    palette = {}
    for category in categories:
        palette[category] = fixed.get(category) or next(spare, "#999999")
    return palette


def explore_events(
    events: pd.DataFrame,
    *,
    color: str = "weapon",
    tiles: str | None = None,
    sources: pd.DataFrame | None = None,
    phases: pd.DataFrame | None = None,
    boundaries: str | None = "admin1",
    height: int | str = "100%",
):
    """Return an interactive map of ``events``: one layer per phase, a popup per event.

    Parameters
    ----------
    events : GeoDataFrame or DataFrame
        Events as :func:`toolkit.load_events` returns them (``latitude`` and ``longitude`` are
        used when there is no geometry). Events without coordinates cannot be drawn; how many
        there are is written on the map.
    color : str, default "weapon"
        Column whose categories colour the markers: ``weapon``, ``evidence``, ``target_type``,
        ``country``, ``event_type``, ``geo_precision``... The toolkit's fixed palette of the
        column is used when it has one, so a colour means the same as in the static figures.
    tiles : str, optional
        A folium tile name (``"OpenStreetMap"``, ``"CartoDB positron"``) or URL; these are
        fetched by the browser from the internet. ``None`` (the default) draws no tiles: the
        shipped boundaries are the base map and the map works offline.
    sources : DataFrame, optional
        The sources table for the popups (default: :func:`toolkit.load_event_sources`).
    phases : DataFrame, optional
        Phase table for the layers (default: :func:`toolkit.load_phases`).
    boundaries : str or None, default "admin1"
        Boundary level drawn under the events (``admin1``, ``admin2``, ``admin3``); ``None``
        for none.
    height : int or str, default "100%"
        Height of the map in pixels or a CSS length (the whole notebook frame by default).

    Returns
    -------
    folium.Map
        Displayed inline by Jupyter; ``.save("map.html")`` writes a standalone page. Every text
        taken from the tables is HTML-escaped; links are kept only for http(s) addresses.

    Raises
    ------
    ToolkitError
        folium is not installed (the ``maps`` extra), or ``color`` is not a column of
        ``events``.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events(start="2024-01-01", end="2024-02-29")
    >>> m = toolkit.explore_events(events, color="evidence")
    >>> "P5" in m.get_root().render()
    True
    """
    try:
        import folium
    except ImportError as error:  # the optional extra
        raise ToolkitError(
            'explore_events needs folium: pip install "iraq-escalation-toolkit[maps]" '
            '(or pip install -e ".[maps]" in a checkout; make lab installs it)'
        ) from error
    import geopandas as gpd

    from ._geometry import to_geodataframe
    from .boundaries import load_boundaries
    from .datasets import load_event_sources
    from .phases import assign_phase, load_phases

    if color not in events.columns:
        raise ToolkitError(
            f"explore_events: color={color!r} is not a column of events (columns: "
            f"{', '.join(c for c in events.columns if c != 'geometry')})"
        )
    if not isinstance(events, gpd.GeoDataFrame):
        events = to_geodataframe(events)
    phases = load_phases() if phases is None else phases
    sources = load_event_sources() if sources is None else sources
    events = assign_phase(events, phases)
    located = events[events.geometry.notna() & ~events.geometry.is_empty]
    unlocated = len(events) - len(located)

    palette = _palette(color, events[color])
    sources_html = _source_items(sources[sources["event_id"].isin(located["event_id"])])
    shown = gpd.GeoDataFrame(
        {
            color: located[color].astype("string").fillna(_MISSING).astype(str),
            "event": [_popup(row, sources_html) for _, row in located.iterrows()],
            "label": [
                f"{_escape(row['date'])} {_escape(row['location'])}: {_escape(row[color])}"
                for _, row in located.iterrows()
            ],
            "phase": located["phase"].astype(str),
        },
        geometry=located.geometry.to_numpy(),
        crs="EPSG:4326",
    )

    fmap = folium.Map(tiles=tiles, height=height, control_scale=True)
    if boundaries is not None:
        load_boundaries(boundaries).explore(
            m=fmap,
            name=f"Boundaries ({html.escape(boundaries)})",
            color="#777777",
            style_kwds={"weight": 1, "fillColor": "#F2F2EE", "fillOpacity": 0.6},
            tooltip=False,
            popup=False,
            highlight=False,
            control=True,
        )
    labels = dict(zip(phases["phase_id"], phases["label"], strict=True))
    categories = list(palette)
    for phase in [*events["phase"].cat.categories]:
        layer = shown[shown["phase"] == str(phase)]
        if layer.empty:
            continue
        name = f"{phase} {labels.get(phase, '')} ({len(layer)} events)".replace("  ", " ")
        layer.explore(
            m=fmap,
            name=html.escape(name),
            column=color,
            categories=categories,
            cmap=[palette[c] for c in categories],
            legend=False,  # one legend below, in plain HTML (geopandas' needs jQuery UI)
            marker_type="circle_marker",
            marker_kwds={"radius": 6},
            style_kwds={"color": "#333333", "weight": 1, "fillOpacity": 0.85},
            popup=["event"],
            popup_kwds={"labels": False, "max_width": 460},
            tooltip=["label"],
            tooltip_kwds={"labels": False},
        )
    if not located.empty:
        west, south, east, north = located.total_bounds
        fmap.fit_bounds([[south, west], [north, east]], padding=(20, 20))
    note = f"{len(located)} events drawn"
    if unlocated:
        note += f"; {unlocated} without coordinates not drawn"
    fmap.get_root().html.add_child(
        folium.Element(
            '<div class="toolkit-map-note" style="position:fixed;top:10px;left:54px;'
            "z-index:1000;background:white;padding:2px 6px;font:12px sans-serif;"
            f'opacity:0.85">{html.escape(note)}</div>'
        )
    )
    shown_counts = shown[color].value_counts()
    fmap.get_root().html.add_child(folium.Element(_legend(color, palette, shown_counts)))
    folium.LayerControl(collapsed=False).add_to(fmap)
    _inline_leaflet(fmap)
    return fmap


#: Leaflet, vendored by scripts/vendor_leaflet.py (npm package, version folium pins; BSD-2).
_LEAFLET = Path(__file__).resolve().parent / "_vendor" / "leaflet"


def _data_uri(name: str, kind: str) -> str:
    path = _LEAFLET / name
    if not path.exists():
        raise ToolkitError(
            f"{path}: file not found (expected Leaflet vendored with the toolkit; "
            "regenerate it with scripts/vendor_leaflet.py)"
        )
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_leaflet(fmap) -> None:
    """Leaflet from the package instead of folium's CDN links, so the map works offline.

    The map needs Leaflet only: folium's other defaults (jQuery, Bootstrap, Font Awesome, the
    awesome-markers plugin) serve features it does not use, and are left out.
    """
    fmap.default_js = [("leaflet", _data_uri("leaflet.js", "text/javascript"))]
    fmap.default_css = [("leaflet_css", _data_uri("leaflet.css", "text/css"))]


def _legend(color: str, palette: Mapping[str, str], counts: pd.Series) -> str:
    """The categories drawn, each with its colour and count, as escaped HTML (no script)."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:10px;height:10px;border-radius:5px;'
        f'border:1px solid #333;background:{colour};margin-right:5px"></span>'
        f"{_escape(category)} ({int(counts[category])})</div>"
        for category, colour in palette.items()
        if counts.get(category, 0) > 0
    )
    return (
        '<div class="toolkit-map-legend" style="position:fixed;bottom:24px;right:10px;'
        "z-index:1000;background:white;padding:4px 8px;font:12px sans-serif;opacity:0.9;"
        f'border:1px solid #999"><b>{_escape(color)}</b>{rows}</div>'
    )
