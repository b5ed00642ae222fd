"""Figures, checked through their artists (points, bars, bands, labels, legends), not pixels."""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

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
    return sum(len(c.get_offsets()) for c in collections.values())


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


# --- timeline ----------------------------------------------------------------------------------


def test_timeline_draws_every_event_by_weapon_with_bands_and_labels(campaign):
    key = ["K071", "K079", "K088", "K093", "K105", "K106", "K115", "K117", "K119", "K124"]
    drawn = toolkit.plot_timeline(campaign, key_events=key, start="2023-10-17")
    assert _n_points(drawn.artists["points"]) == len(campaign)
    assert set(drawn.artists["points"]) == set(campaign["weapon"].astype(str))
    legend = [t.get_text() for t in drawn.artists["legend"].get_texts()]
    assert "drone (102)" in legend
    assert [b.get_gid() for b in drawn.artists["bands"]] == ["phase:P5"]
    assert len(drawn.artists["key_labels"]) == len(key)
    assert not _overlapping(drawn.artists["key_labels"])  # stacked, never on top of each other
    assert drawn.ax.get_title(loc="left").startswith("Events by weapon")
    assert "Natural Earth" not in drawn.artists["credit"].get_text()
    assert "Data: Iraq escalation toolkit" in drawn.artists["credit"].get_text()


def test_timeline_by_country_uses_the_fixed_palette(campaign):
    drawn = toolkit.plot_timeline(campaign, by="country", phases=False)
    for country, points in drawn.artists["points"].items():
        assert (
            matplotlib.colors.to_hex(points.get_facecolor()[0])
            == plotting.COUNTRY_COLORS[country].lower()
        )
    assert drawn.artists["bands"] == []
    assert len(drawn.artists["points"]["Jordan"].get_offsets()) == 1


def test_timeline_key_event_labels_from_a_dict(events):
    drawn = toolkit.plot_timeline(
        events[events["date"].between("2020-01-01", "2020-12-31")],
        key_events={"K005": "Soleimani killed", "K044": "Conditional ceasefire"},
    )
    texts = sorted(t.get_text() for t in drawn.artists["key_labels"])
    assert texts == ["Conditional ceasefire", "Soleimani killed"]
    late = toolkit.plot_timeline(events[events["date"] > "2024-06-01"], key_events=["K005"])
    assert "outside the time span, not labelled: 2020-01-03" in repr(late)
    with pytest.raises(toolkit.FormatError, match="K999"):
        toolkit.plot_timeline(events, key_events=["K999"])


def test_timeline_of_a_single_event_and_of_nothing(events):
    one = events[events["event_id"] == "A2020-0078"]
    drawn = toolkit.plot_timeline(one)
    assert _n_points(drawn.artists["points"]) == 1
    with pytest.raises(toolkit.FormatError, match="no event"):
        toolkit.plot_timeline(events.iloc[:0])
    empty = toolkit.plot_timeline(events.iloc[:0], start="2022-08-01", end="2023-09-30")
    assert empty.n_drawn == 0


# --- counts ------------------------------------------------------------------------------------


def test_monthly_counts_with_phase_bands(attacks):
    drawn = toolkit.plot_counts(attacks, freq="M", by="country")
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
    assert drawn.ax.get_ylabel() == "attacks per month"
    labels = [t.get_text() for t in drawn.artists["legend"].get_texts()]
    assert labels == ["Iraq", "Syria", "Jordan"]


def test_weekly_counts_with_official_tallies_overlaid(campaign):
    official = toolkit.load_official_counts()
    drawn = toolkit.plot_counts(campaign, official=official, phases=False)
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
    drawn = toolkit.plot_counts(lull, official=toolkit.load_official_counts())
    assert drawn.artists["cumulative"] is None
    assert "no official tally" in repr(drawn)


# --- maps --------------------------------------------------------------------------------------


def test_map_draws_located_events_and_reports_the_others(attacks):
    drawn = toolkit.plot_map(attacks)
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


def test_map_of_syria_and_jordan_and_of_one_event(events):
    outside_iraq = events[events["country"].isin(["Syria", "Jordan"])]
    drawn = toolkit.plot_map(outside_iraq, inset=False, color_by="country")
    assert set(drawn.artists["points"]) == {"Syria", "Jordan"}
    assert drawn.artists["inset"] is None
    tower22 = events[(events["date"] == "2024-01-28") & (events["country"] == "Jordan")]
    one = toolkit.plot_map(tower22)
    assert one.n_drawn == 1


def test_map_of_events_without_any_coordinates(events):
    nowhere = events[events.geometry.isna()]
    drawn = toolkit.plot_map(nowhere)
    assert drawn.n_drawn == 0
    assert drawn.not_shown == len(nowhere)


def test_phase_maps_share_one_extent(attacks):
    drawn = toolkit.plot_phase_maps(attacks)
    assert len(drawn.axes) == len(toolkit.load_phases())  # one map per phase, the open one too
    extents = {(ax.get_xlim(), ax.get_ylim()) for ax in drawn.axes}
    assert len(extents) == 1
    total = sum(_n_points(p) for p in drawn.artists["points"].values())
    assert total + drawn.not_shown == len(attacks)
    assert drawn.artists["titles"]["P5"].get_text().endswith(": 161")
    assert drawn.artists["titles"]["P9"].get_text().endswith("Apr 2026–open: 0")
    legend = [t.get_text() for t in drawn.artists["legend"].get_texts()]
    assert {"rocket", "drone", "ied"} <= set(legend)


def test_choropleth_counts_per_governorate(attacks):
    drawn = toolkit.plot_choropleth(attacks)
    hit = drawn.artists["governorates"].set_index(["country", "name"])["events"]
    expected = attacks.groupby(["country", "admin1"], observed=True).size()
    assert hit[("Iraq", "Anbar")] == expected[("Iraq", "Anbar")]
    assert hit[("Syria", "Deir ez-Zor")] == expected[("Syria", "Deir ez-Zor")]
    assert drawn.not_shown == attacks["admin1"].isna().sum()
    assert drawn.n_drawn + drawn.not_shown == len(attacks)


# --- mix ---------------------------------------------------------------------------------------


def test_weapon_mix_per_phase(events):
    drawn = toolkit.plot_mix(events)
    table = drawn.artists["table"]
    assert table.loc["P5"].sum() == 161
    assert table.loc["P5", "drone"] == 102
    ticks = [t.get_text() for t in drawn.ax.get_yticklabels()]
    assert ticks[0].startswith("Prelude 2019") or ticks[-1].startswith("Prelude 2019")
    widths = [
        sum(bar.get_width() for bar in c if bar.get_y() > 0.5)
        for c in [*drawn.artists["bars"].values()]
    ]
    # every phase with attacks is a row summing to 100%; the open P9 has none yet
    with_attacks = (table.sum(axis=1) > 0).sum()
    assert table.loc["P9"].sum() == 0  # the lowest row drawn: no bar
    assert sum(widths) == pytest.approx(with_attacks)  # the rows above it, 100% each
    by_target = toolkit.plot_mix(events, by="target_type", normalize=False)
    assert by_target.artists["table"].to_numpy().sum() == (events["event_type"] == "attack").sum()


def test_phase_rates_with_their_intervals(events):
    drawn = toolkit.plot_phase_rates(events)
    summary = drawn.artists["table"]
    points = drawn.artists["errorbar"].lines[0]
    assert len(points.get_xdata()) == len(summary)
    assert math.isnan(summary.loc["P9", "per_week"])  # open phase after the last event: no rate
    assert points.get_xdata()[5] == pytest.approx(summary.loc["P5", "per_week"])
    assert drawn.ax.get_xscale() == "log"
    assert "Campaign 2023-24  (161 in 114 days)" in [
        t.get_text() for t in drawn.ax.get_yticklabels()
    ]


# --- output ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_save_figure_in_publication_formats(tmp_path, campaign, suffix):
    drawn = toolkit.plot_counts(campaign)
    path = toolkit.save_figure(drawn, tmp_path / f"figure{suffix}")
    head = path.read_bytes()[:8]
    assert {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix] in head
    if suffix == ".png":
        from PIL import Image

        with Image.open(path) as image:
            assert image.info["dpi"][0] == pytest.approx(300, abs=1)


def test_save_figure_and_table_reject_other_formats(tmp_path, campaign):
    drawn = toolkit.plot_counts(campaign)
    with pytest.raises(toolkit.FormatError, match=r"\.jpg.*expected one of: \.png, \.svg, \.pdf"):
        toolkit.save_figure(drawn.fig, tmp_path / "figure.jpg")
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
        assert function(empty).n_drawn == 0
    assert toolkit.plot_counts(empty, start="2022-08-01", end="2023-09-30").n_drawn == 0
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
    drawn = toolkit.plot_counts(wave, freq="W", phases=mine)
    bands = {b.get_gid(): b for b in drawn.artists["bands"]}
    assert set(bands) == {"phase:war", "phase:after"}
    after = bands["phase:after"]
    right_edge = after.get_x() + after.get_width()
    assert right_edge == pytest.approx(drawn.ax.get_xlim()[1])
    maps = toolkit.plot_phase_maps(wave[wave["event_type"] == "attack"], phases=mine)
    assert "Mar 2026–open" in maps.artists["titles"]["after"].get_text()
