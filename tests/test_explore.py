"""explore_events: the folium map's HTML (layers, markers, popups, escaping), without network."""

from __future__ import annotations

import json
import re

import pytest

import toolkit
from conftest import REPO
from toolkit.errors import ToolkitError

pytest.importorskip("folium")
pytest.importorskip("mapclassify")

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def events_2024():
    return toolkit.load_events(start="2024-01-01", end="2024-03-31")


def _features(page: str) -> list[dict]:
    """Every GeoJSON feature embedded in the page (folium writes one object per layer)."""
    features = []
    for match in re.finditer(r'_add\((\{"bbox".*?|\{"features".*?)\);\n', page):
        features += json.loads(match.group(1))["features"]
    return features


def _event_features(page: str) -> list[dict]:
    return [f for f in _features(page) if "event" in f["properties"]]


def test_one_layer_per_phase_with_every_located_event(events_2024):
    page = toolkit.explore_events(events_2024).get_root().render()
    phased = toolkit.assign_phase(events_2024)
    located = phased[phased.geometry.notna()]
    for phase, count in located["phase"].value_counts().items():
        if count:
            label = toolkit.load_phases().set_index("phase_id").loc[phase, "label"]
            assert f"{phase} {label} ({count} events)" in page
    markers = _event_features(page)
    assert len(markers) == len(located)
    # 2024 opens in the campaign (P5) and goes on after the February strikes (P6)
    assert {"P5", "P6"} <= {f["properties"]["phase"] for f in markers}
    assert f"{len(located)} events drawn" in page


def test_popup_lists_date_place_weapon_figures_and_every_source(events_2024):
    tower_22 = events_2024[events_2024["killed"].fillna(0) >= 3].iloc[0]
    sources = toolkit.load_event_sources()
    own = sources[sources["event_id"] == tower_22["event_id"]]
    page = toolkit.explore_events(events_2024, sources=sources).get_root().render()
    (popup,) = (
        f["properties"]["event"]
        for f in _event_features(page)
        if f">{tower_22['event_id']}<" in f["properties"]["event"]
    )
    assert tower_22["date"].strftime("%Y-%m-%d") in popup
    assert "Jordan" in popup
    assert tower_22["weapon"] in popup
    assert "killed 3" in popup
    assert popup.count("<li>") == len(own)
    for url in own["url"]:
        assert f'href="{url.replace("&", "&amp;")}"' in popup


def test_hostile_text_is_escaped_everywhere(events_2024):
    events = events_2024.copy()
    events["summary"] = events["summary"].astype("string")
    events.loc[events.index[0], "summary"] = HOSTILE
    events.loc[events.index[0], "location"] = HOSTILE
    sources = toolkit.load_event_sources()
    first = sources.index[sources["event_id"] == events.loc[events.index[0], "event_id"]][0]
    sources["title"] = sources["title"].astype("string")
    sources["url"] = sources["url"].astype("string")
    sources.loc[first, "title"] = HOSTILE
    sources.loc[first, "url"] = "javascript:alert(1)"

    page = toolkit.explore_events(events, sources=sources).get_root().render()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    (popup,) = (
        f["properties"]["event"]
        for f in _event_features(page)
        if f">{events.loc[events.index[0], 'event_id']}<" in f["properties"]["event"]
    )
    # the popup is inserted as HTML by the browser: the hostile text arrives as text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in popup
    assert "javascript:alert(1)" in popup  # shown, not linked
    assert '<a href="javascript' not in popup


def test_offline_by_default_and_tiles_on_request(events_2024):
    offline = toolkit.explore_events(events_2024).get_root().render()
    assert "tile.openstreetmap.org" not in offline
    assert "L.tileLayer" not in offline
    boundary_features = [f for f in _features(offline) if "event" not in f["properties"]]
    assert len(boundary_features) == len(toolkit.load_boundaries("admin1"))
    online = toolkit.explore_events(events_2024, tiles="OpenStreetMap").get_root().render()
    assert "tile.openstreetmap.org" in online


def test_leaflet_is_inlined_so_the_map_needs_no_network(events_2024):
    import folium

    page = toolkit.explore_events(events_2024).get_root().render()
    external = re.findall(r'<(?:script|link)[^>]*(?:src|href)="(https?:[^"]+)"', page)
    assert external == []  # no CDN: not Leaflet, jQuery, Bootstrap or Font Awesome
    assert page.count('src="data:text/javascript;base64,') == 1
    assert 'href="data:text/css;base64,' in page
    vendored = REPO / "toolkit" / "_vendor" / "leaflet"
    source = json.loads((vendored / "SOURCE.json").read_text(encoding="utf-8"))
    assert f"leaflet@{source['version']}/" in dict(folium.Map.default_js)["leaflet"]
    assert b"Leaflet " + source["version"].encode() in (vendored / "leaflet.js").read_bytes()
    assert "Redistribution and use in source and binary forms" in (vendored / "LICENSE").read_text(
        encoding="utf-8"
    )


def test_legend_lists_the_categories_drawn_with_their_counts(events_2024):
    page = toolkit.explore_events(events_2024, color="weapon").get_root().render()
    legend = page[page.index('class="toolkit-map-legend"') :]
    legend = legend[: legend.index("</div></div>") + 12]
    located = events_2024[events_2024.geometry.notna()]
    for weapon, count in located["weapon"].astype(str).value_counts().items():
        assert f"{weapon} ({count})" in legend
    assert "storming" not in legend  # no storming in the window: not listed
    assert "<script" not in legend


def test_colours_follow_the_toolkit_palette(events_2024):
    from toolkit.explore import EVIDENCE_COLORS
    from toolkit.plotting import WEAPON_COLORS

    page = toolkit.explore_events(events_2024, color="weapon").get_root().render()
    for weapon in set(events_2024["weapon"].dropna()):
        assert WEAPON_COLORS[weapon].lower() in page.lower()
    by_evidence = toolkit.explore_events(events_2024, color="evidence").get_root().render()
    assert EVIDENCE_COLORS["confirmed_us"].lower() in by_evidence.lower()


def test_events_without_coordinates_are_counted_not_dropped_silently():
    events = toolkit.load_events()
    missing = int(events.geometry.isna().sum())
    assert missing > 0  # country-precision events in the shipped data
    page = toolkit.explore_events(events).get_root().render()
    assert f"{missing} without coordinates not drawn" in page


def test_unknown_colour_column_names_the_columns(events_2024):
    with pytest.raises(ToolkitError, match=r"color='weapons' is not a column.*weapon"):
        toolkit.explore_events(events_2024, color="weapons")
