"""Figures, checked through their artists (points, bars, bands, labels, legends), not pixels."""

from __future__ import annotations

import inspect
import itertools
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.text import Text

import toolkit
from toolkit import plotting


@pytest.fixture(scope="module")
def events():
    return toolkit.load_events()


@pytest.fixture(scope="module")
def attacks(events):
    return events[events["event_type"] == "attack"]


@pytest.fixture(scope="module")
def campaign(events):
    return events[events["date"].between("2023-10-17", "2024-02-07")]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _n_points(collections: dict) -> int:
    """Points drawn: a map keeps a located and an approximate collection per value."""
    total = 0
    for value in collections.values():
        for collection in value if isinstance(value, list) else [value]:
            total += len(collection.get_offsets())
    return total


def _info(ax):
    return toolkit.plot_info(ax)


def _boxes(texts):
    renderer = texts[0].figure.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in texts if t.get_visible()]


def _overlapping(texts) -> list:
    boxes = _boxes(texts)
    return [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]


def test_rcparams_are_never_changed_and_nothing_is_shown(campaign, monkeypatch):
    before = dict(matplotlib.rcParams)
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(1))
    toolkit.plot_timeline(campaign, key_events=["K115"])
    toolkit.plot_counts(campaign)
    toolkit.plot_map(campaign)
    toolkit.plot_mix(campaign)
    assert dict(matplotlib.rcParams) == before
    assert not shown


# --- the shape of every plotting function ------------------------------------------------------

SINGLE = ("plot_timeline", "plot_counts", "plot_map", "plot_choropleth", "plot_mix")
SINGLE += ("plot_phase_rates", "plot_footprint")


@pytest.mark.parametrize("name", SINGLE)
def test_signature_is_events_then_keyword_only_ax_returning_axes(name):
    function = getattr(toolkit, name)
    signature = inspect.signature(function)
    parameters = list(signature.parameters.values())
    assert parameters[0].name == "events"
    assert parameters[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters[1:])
    assert signature.parameters["ax"].default is None
    assert signature.return_annotation in ("Axes", Axes)


@pytest.mark.parametrize("name", SINGLE)
def test_given_axes_are_the_only_place_drawn_on(name, campaign):
    fig, (left, right) = plt.subplots(1, 2, figsize=(16, 5))
    extra = {"official": toolkit.load_official_counts()} if name == "plot_counts" else {}
    extra |= {"date": "2024-01-28"} if name == "plot_footprint" else {}
    ax = getattr(toolkit, name)(campaign, ax=right, **extra)
    assert ax is right
    assert fig._supxlabel is None  # no credit on the figure
    assert fig._suptitle is None
    assert not fig.legends
    assert not fig.texts
    assert not left.has_data()
    assert not left.texts
    assert left.get_legend() is None
    for other in fig.axes:  # insets are children of ax; a twin axis shares its position
        if other not in (left, right):
            shared = other.get_position().bounds == right.get_position().bounds
            assert other in right.child_axes or shared
    assert _info(ax).kind == name
    with pytest.raises(TypeError):
        getattr(toolkit, name)(campaign, right, **extra)  # ax is keyword-only


def test_plot_info_refuses_axes_the_toolkit_did_not_draw():
    _, ax = plt.subplots()
    with pytest.raises(toolkit.FormatError, match="not drawn by a toolkit plotting function"):
        toolkit.plot_info(ax)
    with pytest.raises(toolkit.FormatError, match="expected a matplotlib Axes"):
        toolkit.plot_map(toolkit.load_events(), ax="left")


def test_show_displays_the_figure_with_its_alt_text_and_closes_it(campaign, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    ax = toolkit.plot_counts(campaign, by="country")
    toolkit.show(ax)
    figure, kwargs = shown[0]
    assert figure is ax.figure
    alt = kwargs["metadata"]["image/png"]["alt"]
    assert alt.startswith("Bar chart of attacks per week from 16 October 2023")
    assert "stacked by country: Syria 97, Iraq 63, Jordan 1" in alt
    assert not plt.fignum_exists(figure.number)
    toolkit.show(toolkit.plot_map(campaign), alt="my words")
    assert shown[1][1]["metadata"]["image/png"]["alt"] == "my words"


# --- palettes ----------------------------------------------------------------------------------


def test_one_colour_means_one_thing_across_every_palette():
    palettes = {name: set(map(str.lower, p.values())) for name, p in plotting.PALETTES.items()}
    palettes["groups"] = {c.lower() for c in plotting.GROUP_COLORS}
    palettes["groups"] |= {plotting.GROUP_OTHER.lower(), plotting.GROUP_NONE.lower()}
    for (a, colours_a), (b, colours_b) in itertools.combinations(palettes.items(), 2):
        assert not colours_a & colours_b, f"{a} and {b} share {colours_a & colours_b}"
    for name, colours in palettes.items():
        assert len(colours) == len(plotting.PALETTES.get(name, [*plotting.GROUP_COLORS, 0, 0])), (
            f"two values of {name} share a colour"
        )


def test_every_allowed_value_has_its_colour_and_the_map_uses_the_same():
    from toolkit import explore, schema

    allowed = {c.name: set(c.allowed) for c in schema.EVENTS if c.allowed}
    for variable in ("weapon", "country", "target_type"):
        assert set(plotting.PALETTES[variable]) == allowed[variable]
    assert set(plotting.EVIDENCE_COLORS) == set(toolkit.evidence.EVIDENCE_LEVELS)
    assert explore.EVIDENCE_COLORS is plotting.EVIDENCE_COLORS


def test_readme_documents_each_palette():
    text = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for palette in plotting.PALETTES.values():
        for value, colour in palette.items():
            assert f"`{value}` {colour}" in text, f"README lacks {value} {colour}"


# --- timeline ----------------------------------------------------------------------------------


def test_timeline_draws_every_event_by_weapon_with_bands_and_labels(campaign):
    key = ["K071", "K079", "K088", "K093", "K105", "K106", "K115", "K117", "K119", "K124"]
    ax = toolkit.plot_timeline(campaign, key_events=key, start="2023-10-17")
    drawn = _info(ax)
    assert _n_points(drawn.artists["points"]) == len(campaign)
    assert set(drawn.artists["points"]) == set(campaign["weapon"].astype(str))
    legend = [t.get_text() for t in drawn.artists["legend"].get_texts()]
    assert "drone (102)" in legend
    assert [b.get_gid() for b in drawn.artists["bands"]] == ["phase:P5"]
    assert len(drawn.artists["key_labels"]) == len(key)
    assert not _overlapping(drawn.artists["key_labels"])  # stacked, never on top of each other
    assert ax.get_title(loc="left").startswith("Events by weapon")
    assert "Natural Earth" not in drawn.artists["credit"].get_text()
    assert "Data: Iraq escalation toolkit" in drawn.artists["credit"].get_text()
    assert drawn.alt.startswith("Timeline of 185 events from 17 October 2023")


def test_every_phase_band_is_labelled_even_the_narrow_ones(events):
    ax = toolkit.plot_timeline(events)
    drawn = _info(ax)
    bands = [b.get_gid().split(":")[1] for b in drawn.artists["bands"]]
    labels = {t.get_gid().split(":")[1]: t.get_text() for t in drawn.artists["band_labels"]}
    assert list(labels) == bands  # P0 (two months) and P8 (five weeks) included
    assert labels["P0"] in ("Prelude 2019", "P0")
    assert labels["P8"] in ("Wave 2026", "P8")
    assert labels["P4"] == "Lull 2022-23"  # wide bands keep their name
    assert all(t.get_visible() for t in drawn.artists["band_labels"])
    assert not _overlapping(drawn.artists["band_labels"])
    title = ax.title if ax.get_title() else ax._left_title
    renderer = ax.figure.canvas.get_renderer()
    top_label = max(b.y1 for b in _boxes(drawn.artists["band_labels"]))
    assert title.get_window_extent(renderer).y0 >= top_label  # the title clears the labels


def test_timeline_by_country_uses_the_fixed_palette(campaign):
    drawn = _info(toolkit.plot_timeline(campaign, by="country", phases=False))
    for country, points in drawn.artists["points"].items():
        assert (
            matplotlib.colors.to_hex(points.get_facecolor()[0])
            == plotting.COUNTRY_COLORS[country].lower()
        )
    assert drawn.artists["bands"] == []
    assert len(drawn.artists["points"]["Jordan"].get_offsets()) == 1


def test_timeline_key_event_labels_from_a_dict(events):
    ax = toolkit.plot_timeline(
        events[events["date"].between("2020-01-01", "2020-12-31")],
        key_events={"K005": "Soleimani killed", "K044": "Conditional ceasefire"},
    )
    texts = sorted(t.get_text() for t in _info(ax).artists["key_labels"])
    assert texts == ["Conditional ceasefire", "Soleimani killed"]
    late = toolkit.plot_timeline(events[events["date"] > "2024-06-01"], key_events=["K005"])
    assert "outside the time span, not labelled: 2020-01-03" in repr(_info(late))
    with pytest.raises(toolkit.FormatError, match="K999"):
        toolkit.plot_timeline(events, key_events=["K999"])


def test_timeline_of_a_single_event_and_of_nothing(events):
    one = events[events["event_id"] == "A2020-0078"]
    assert _n_points(_info(toolkit.plot_timeline(one)).artists["points"]) == 1
    with pytest.raises(toolkit.FormatError, match="no event"):
        toolkit.plot_timeline(events.iloc[:0])
    empty = toolkit.plot_timeline(events.iloc[:0], start="2022-08-01", end="2023-09-30")
    assert _info(empty).n_drawn == 0


# --- counts ------------------------------------------------------------------------------------


def test_monthly_counts_with_phase_bands(attacks):
    ax = toolkit.plot_counts(attacks, freq="M", by="country")
    drawn = _info(ax)
    heights = sum(
        sum(bar.get_height() for bar in container) for container in drawn.artists["bars"].values()
    )
    assert heights == len(attacks)
    # one band per phase that starts before the last attack; the open P9 starts after it
    phases = toolkit.load_phases()
    shown = phases[phases["start"] <= attacks["date"].max()]
    assert [b.get_gid() for b in drawn.artists["bands"]] == [
        f"phase:{p}" for p in shown["phase_id"]
    ]
    assert ax.get_ylabel() == "attacks per month"
    labels = [t.get_text() for t in drawn.artists["legend"].get_texts()]
    counts = attacks["country"].value_counts()
    assert labels == [f"{c} ({counts[c]})" for c in ("Iraq", "Syria", "Jordan")]


def test_counts_legend_beside_the_bars_and_headroom_above_the_tallest(campaign):
    ax = toolkit.plot_counts(campaign, by="weapon")
    drawn = _info(ax)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    legend = drawn.artists["legend"].get_window_extent(renderer)
    bars = [bar.get_window_extent(renderer) for c in drawn.artists["bars"].values() for bar in c]
    assert not any(legend.overlaps(bar) for bar in bars if bar.height > 0)
    assert legend.x0 >= ax.get_window_extent(renderer).x1  # outside the plotting area
    tallest = max(sum(b.get_height() for b in stack) for stack in zip(*ax.containers, strict=True))
    assert ax.get_ylim()[1] >= 1.1 * tallest
    # only weapons present in the window are listed: no IED was used in this campaign's weeks
    labels = [t.get_text().split(" (")[0] for t in drawn.artists["legend"].get_texts()]
    present = set(campaign.loc[campaign["event_type"] == "attack", "weapon"].astype(str))
    assert {label.replace(" ", "_") for label in labels} == present


def test_weekly_counts_with_official_tallies_overlaid(campaign):
    official = toolkit.load_official_counts()
    drawn = _info(toolkit.plot_counts(campaign, official=official, phases=False))
    points = drawn.artists["official"].get_offsets()
    # the most frequent kind of tally: Pentagon counts for Iraq and Syria from 17 Oct 2023
    assert len(points) >= 8
    assert 160 in points[:, 1]
    line = drawn.artists["cumulative"]
    in_scope = campaign[(campaign["event_type"] == "attack") & (campaign["country"] != "Jordan")]
    assert line.get_ydata()[-1] == len(in_scope)
    assert "Iraq and Syria" in line.get_label()
    assert "official tallies" in [t.get_text() for t in drawn.artists["legend"].get_texts()][-1]


def test_counts_note_when_no_tally_falls_in_the_window(events):
    lull = events[events["date"].between("2022-01-01", "2022-12-31")]
    drawn = _info(toolkit.plot_counts(lull, official=toolkit.load_official_counts()))
    assert drawn.artists["cumulative"] is None
    assert "no official tally" in repr(drawn)


# --- maps --------------------------------------------------------------------------------------


def test_map_draws_located_events_and_reports_the_others(attacks):
    ax = toolkit.plot_map(attacks)
    drawn = _info(ax)
    located = attacks.geometry.notna()
    assert _n_points(drawn.artists["points"]) == located.sum()
    assert drawn.not_shown == (~located).sum() > 0
    assert "without coordinates" in drawn.artists["missing_note"].get_text()
    assert "not shown" in repr(drawn)
    labels = [t.get_text() for t in drawn.artists["site_labels"]]
    assert any(label.startswith("Ain al-Asad") for label in labels)
    assert not _overlapping(drawn.artists["site_labels"])
    inset = drawn.artists["inset"]
    assert inset.get_title().startswith("Baghdad (")
    assert any("Embassy" in t.get_text() for t in inset.site_labels)
    assert "Natural Earth" in drawn.artists["credit"].get_text()
    legend = [t.get_text() for t in drawn.artists["legend"].get_texts()]
    assert "10 killed or injured" in legend
    assert f"{located.sum()} events" in drawn.alt


def test_map_extent_follows_the_data(events):
    iraq_only = events[(events["date"] >= "2026-02-28") & (events["country"] == "Iraq")]
    west, east = toolkit.plot_map(iraq_only).get_xlim()
    iraq = toolkit.load_boundaries("countries").set_index("name").loc["Iraq", "geometry"]
    assert west == pytest.approx(iraq.bounds[0] - 0.3, abs=0.01)  # not Syria's coast at 35.4
    assert east == pytest.approx(iraq.bounds[2] + 0.3, abs=0.01)
    with_syria = toolkit.plot_map(events[events["country"] == "Syria"], inset=False)
    assert with_syria.get_xlim()[0] < 36.5
    chosen = toolkit.plot_map(iraq_only, extent=(43, 46, 32, 35))
    assert chosen.get_xlim() == (43, 46)
    with pytest.raises(toolkit.FormatError, match="lon_min, lon_max"):
        toolkit.plot_map(iraq_only, extent=(46, 43, 32, 35))


def test_a_governorate_point_is_drawn_hollow_and_a_site_filled(events):
    wave = events[(events["date"] >= "2026-02-28") & (events["event_type"] == "attack")]
    drawn = _info(toolkit.plot_map(wave, inset=False))
    collections = [c for value in drawn.artists["points"].values() for c in value]
    approximate = [c for c in collections if c.get_gid().endswith(":approximate")]
    located = [c for c in collections if c.get_gid().endswith(":located")]
    coarse = wave["geo_precision"].isin(["district", "governorate"]) & wave.geometry.notna()
    assert sum(len(c.get_offsets()) for c in approximate) == coarse.sum() > 0
    assert all(c.get_facecolor().size == 0 or c.get_facecolor()[0][3] == 0 for c in approximate)
    assert all(c.get_facecolor()[0][3] > 0 for c in located)
    legend = [t.get_text() for t in drawn.artists["legend"].get_texts()]
    assert "site or town" in legend
    assert f"district or governorate\ncentre only ({coarse.sum()})" in legend


def test_baghdad_inset_has_a_basemap_and_whole_labels(attacks):
    drawn = _info(toolkit.plot_map(attacks))
    inset = drawn.artists["inset"]
    districts = toolkit.load_boundaries("admin2", country="Iraq")
    baghdad = districts[districts["admin1"] == "Baghdad"]
    basemap = next(c for c in inset.collections if isinstance(c, PathCollection))
    assert len(basemap.get_paths()) >= len(baghdad)  # Baghdad's districts, one path per part
    renderer = inset.figure.canvas.get_renderer()
    frame = inset.get_window_extent(renderer)
    for text in [*inset.site_labels, *drawn.artists["site_labels"]]:
        assert "…" not in text.get_text()
        box = text.get_window_extent(renderer)
        holder = inset if text in inset.site_labels else text.axes
        outer = holder.get_window_extent(renderer) if holder is not inset else frame
        assert outer.x0 <= box.x0 <= box.x1 <= outer.x1
        assert outer.y0 <= box.y0 <= box.y1 <= outer.y1
    names = " ".join(t.get_text() for t in inset.site_labels)
    assert "Baghdad" in names


def test_footprint_map_draws_the_sites_of_the_day_and_the_events(events):
    wave = events[(events["date"] >= "2026-02-28") & (events["event_type"] == "attack")]
    ax = toolkit.plot_footprint(wave, date="2026-02-28")
    drawn = _info(ax)
    sites = toolkit.us_footprint("2026-02-28")
    stars = drawn.artists["stars"]
    assert len(stars[True].get_offsets()) + len(stars[False].get_offsets()) == len(sites)
    assert len(stars[True].get_offsets()) == sites["certain"].sum()
    assert _n_points(drawn.artists["points"]) + drawn.not_shown == len(wave)
    legend = [t.get_text() for t in drawn.artists["legend"].get_texts()]
    assert legend[0] == f"US site ({sites['certain'].sum()})"
    assert f"{len(sites)} sites hosting US forces on 28 February 2026" in drawn.alt


def test_map_of_syria_and_jordan_and_of_one_event(events):
    outside_iraq = events[events["country"].isin(["Syria", "Jordan"])]
    drawn = _info(toolkit.plot_map(outside_iraq, inset=False, color_by="country"))
    assert set(drawn.artists["points"]) == {"Syria", "Jordan"}
    assert drawn.artists["inset"] is None
    tower22 = events[(events["date"] == "2024-01-28") & (events["country"] == "Jordan")]
    assert _info(toolkit.plot_map(tower22)).n_drawn == 1


def test_map_of_events_without_any_coordinates(events):
    nowhere = events[events.geometry.isna()]
    drawn = _info(toolkit.plot_map(nowhere))
    assert drawn.n_drawn == 0
    assert drawn.not_shown == len(nowhere)


def test_phase_maps_share_one_extent_and_draw_the_basemap_once_per_panel(attacks):
    axes = toolkit.plot_phase_maps(attacks)
    drawn = _info(axes)
    assert len(axes) == len(toolkit.load_phases())  # one map per phase, the open one too
    extents = {(ax.get_xlim(), ax.get_ylim()) for ax in axes}
    assert len(extents) == 1
    total = sum(_n_points(p) for p in drawn.artists["points"].values())
    assert total + drawn.not_shown == len(attacks)
    assert drawn.artists["titles"]["P5"].get_text().endswith(": 161")
    assert drawn.artists["titles"]["P9"].get_text().endswith("Apr 2026–open: 0")
    legend = [t.get_text().split(" (")[0] for t in drawn.artists["legend"].get_texts()]
    assert {"rocket", "drone", "ied"} <= set(legend)
    for ax in axes:  # three layers: neighbours, the three countries, Iraq's governorates
        layers = [c for c in ax.collections if c.get_gid() is None]
        assert len(layers) == 3


def test_phase_maps_legend_lists_only_the_weapons_drawn(events):
    wave = events[(events["date"] >= "2026-02-28") & (events["event_type"] == "attack")]
    axes = toolkit.plot_phase_maps(wave)
    legend = [t.get_text().split(" (")[0] for t in _info(axes).artists["legend"].get_texts()]
    located = wave[wave.geometry.notna()]
    weapons = {w.replace("_", " ") for w in located["weapon"].astype(str)}
    assert set(legend) - {"site or town", "district or governorate\ncentre only"} == weapons
    assert "ied" not in legend
    assert "rocket" in legend


def test_choropleth_per_area_by_district(attacks):
    ax = toolkit.plot_choropleth(attacks)
    drawn = _info(ax)
    table = drawn.artists["table"].set_index(["country", "name"])
    expected = attacks.groupby(["country", "admin2"], observed=True).size()
    assert table.loc[("Iraq", "Al-Karkh"), "events"] == expected[("Iraq", "Al-Karkh")]
    rate = table["events"] / table["area_km2"] * 1000
    pd.testing.assert_series_equal(table["per_1000_km2"], rate, check_names=False)
    assert table["per_1000_km2"].is_monotonic_decreasing  # highest first
    karkh = table.loc[("Iraq", "Al-Karkh"), "area_km2"]
    assert 100 < karkh < 400  # a small urban district: hence its high rate
    assert drawn.not_shown == attacks["admin2"].isna().sum()
    assert drawn.n_drawn + drawn.not_shown == len(attacks)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("", "")  # no stray axis labels
    assert not [t for t in ax.figure.findobj(Text) if "Geodetic" in t.get_text()]
    assert "per 1,000 km²" in drawn.artists["scale"].ax.get_xlabel()


def test_choropleth_counts_per_governorate(attacks):
    drawn = _info(toolkit.plot_choropleth(attacks, level="admin1", per=None))
    hit = drawn.artists["table"].set_index(["country", "name"])["events"]
    expected = attacks.groupby(["country", "admin1"], observed=True).size()
    assert hit[("Iraq", "Anbar")] == expected[("Iraq", "Anbar")]
    assert hit[("Syria", "Deir ez-Zor")] == expected[("Syria", "Deir ez-Zor")]
    assert drawn.not_shown == attacks["admin1"].isna().sum()
    with pytest.raises(toolkit.FormatError, match="per='population'"):
        toolkit.plot_choropleth(attacks, per="population")


# --- mix ---------------------------------------------------------------------------------------


def test_weapon_mix_per_phase(events):
    ax = toolkit.plot_mix(events)
    drawn = _info(ax)
    table = drawn.artists["table"]
    assert table.loc["P5"].sum() == 161
    assert table.loc["P5", "drone"] == 102
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0].startswith("Prelude 2019") or ticks[-1].startswith("Prelude 2019")
    widths = [
        sum(bar.get_width() for bar in c if bar.get_y() > 0.5)
        for c in [*drawn.artists["bars"].values()]
    ]
    # every phase with attacks is a row summing to 100%; the open P9 has none yet
    with_attacks = (table.sum(axis=1) > 0).sum()
    assert table.loc["P9"].sum() == 0  # the lowest row drawn: no bar
    assert sum(widths) == pytest.approx(with_attacks)  # the rows above it, 100% each
    by_target = _info(toolkit.plot_mix(events, by="target_type", normalize=False))
    assert by_target.artists["table"].to_numpy().sum() == (events["event_type"] == "attack").sum()


def test_phase_rates_with_their_intervals(events):
    ax = toolkit.plot_phase_rates(events)
    drawn = _info(ax)
    summary = drawn.artists["table"]
    points = drawn.artists["errorbar"].lines[0]
    assert len(points.get_xdata()) == len(summary)
    assert math.isnan(summary.loc["P9", "per_week"])  # open phase after the last event: no rate
    assert points.get_xdata()[5] == pytest.approx(summary.loc["P5", "per_week"])
    assert ax.get_xscale() == "log"
    assert "Campaign 2023-24  (161 in 114 days)" in [t.get_text() for t in ax.get_yticklabels()]
    assert "After Apr 2026 none" in drawn.alt


# --- output ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_save_figure_in_publication_formats(tmp_path, campaign, suffix):
    ax = toolkit.plot_counts(campaign)
    path = toolkit.save_figure(ax, tmp_path / f"figure{suffix}")
    head = path.read_bytes()[:8]
    assert {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix] in head
    if suffix == ".png":
        from PIL import Image

        with Image.open(path) as image:
            assert image.info["dpi"][0] == pytest.approx(300, abs=1)


def test_save_figure_and_table_reject_other_formats(tmp_path, campaign):
    ax = toolkit.plot_counts(campaign)
    with pytest.raises(toolkit.FormatError, match=r"\.jpg.*expected one of: \.png, \.svg, \.pdf"):
        toolkit.save_figure(ax.figure, tmp_path / "figure.jpg")
    with pytest.raises(toolkit.FormatError, match=r"\.xlsx"):
        toolkit.save_table(pd.DataFrame({"a": [1]}), tmp_path / "t.xlsx")


def test_save_table_to_csv_markdown_and_latex(tmp_path, events):
    summary = toolkit.phase_summary(events)[["attacks", "per_week"]]
    csv = toolkit.save_table(summary, tmp_path / "summary.csv")
    assert pd.read_csv(csv, index_col=0).loc["P5", "attacks"] == 161
    markdown = toolkit.save_table(summary, tmp_path / "summary.md").read_text()
    assert "| P5 " in markdown
    assert "161" in markdown
    latex = toolkit.save_table(summary, tmp_path / "summary.tex").read_text()
    assert "\\toprule" in latex
    assert "P5 & 161" in latex


def test_unknown_colour_scheme_is_refused(events):
    with pytest.raises(toolkit.FormatError, match="by='actor'"):
        toolkit.plot_timeline(events, by="actor")


def test_every_figure_accepts_an_empty_selection_without_warnings(events, recwarn):
    empty = events.iloc[:0]
    for function in (
        toolkit.plot_map,
        toolkit.plot_mix,
        toolkit.plot_phase_maps,
        toolkit.plot_choropleth,
        toolkit.plot_phase_rates,
    ):
        assert _info(function(empty)).n_drawn == 0
    assert _info(toolkit.plot_counts(empty, start="2022-08-01", end="2023-09-30")).n_drawn == 0
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


def test_an_open_phase_is_shaded_to_the_edge_of_the_figure(events):
    mine = pd.DataFrame(
        {
            "phase_id": ["war", "after"],
            "start": ["2026-02-28", "2026-03-10"],
            "end": ["2026-03-09", ""],
        }
    )
    wave = events[events["date"] >= "2026-02-28"]
    ax = toolkit.plot_counts(wave, freq="W", phases=mine)
    bands = {b.get_gid(): b for b in _info(ax).artists["bands"]}
    assert set(bands) == {"phase:war", "phase:after"}
    after = bands["phase:after"]
    right_edge = after.get_x() + after.get_width()
    assert right_edge == pytest.approx(ax.get_xlim()[1])
    maps = toolkit.plot_phase_maps(wave[wave["event_type"] == "attack"], phases=mine)
    assert "Mar 2026–open" in _info(maps).artists["titles"]["after"].get_text()
