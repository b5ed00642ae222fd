"""toolkit.select_attacks_on_us: the rule, its reasons, on every loader and the curated data."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit
from conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "sources"


def test_acled_selects_attacks_on_us_and_not_the_is_clash_or_the_strike():
    events = toolkit.read_acled(FIXTURES / "acled_current.csv")
    selected = toolkit.select_attacks_on_us(events)
    assert selected["event_id"].tolist() == [
        "ACLED:IRQ90002",  # Ain al-Asad missiles
        "ACLED:IRQ90003",  # Taji rockets
        "ACLED:IRQ90004",  # Erbil airport drone
        "ACLED:JOR90005",  # Tower 22
    ]
    because = selected.set_index("event_id")["selected_because"]
    assert "site: 'Ain al-Asad air base'" in because["ACLED:IRQ90002"]
    assert "keyword (US target): 'US forces'" in because["ACLED:IRQ90002"]
    assert "actor: acled_actor2 Military Forces of the United States" in because["ACLED:IRQ90004"]
    assert "site: 'Tower 22'" in because["ACLED:JOR90005"]
    assert "ACLED:IRQ90006" not in set(selected["event_id"])  # the IS clash
    assert "ACLED:IRQ90001" not in set(selected["event_id"])  # the US strike itself
    assert selected.attrs["selected_from"] == 7


def test_keep_all_marks_every_row():
    events = toolkit.read_acled(FIXTURES / "acled_current.csv")
    marked = toolkit.select_attacks_on_us(events, keep_all=True)
    assert len(marked) == 7
    assert marked["selected"].tolist() == [False, True, True, True, True, False, False]
    assert marked["selected_because"].isna().tolist() == [
        True,
        False,
        False,
        False,
        False,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("Two rockets landed near the U.S. embassy in Baghdad.", "U.S. embassy"),
        ("Katyusha rockets hit the Green Zone near the embassy compound.", "Green Zone embassy"),
        ("Rockets targeted Victory base near Baghdad airport.", "Victory base"),
        ("A drone attacked Harir air base in Erbil.", "Harir air base"),
        ("A roadside bomb hit a logistics convoy of the US-led coalition.", "US-led coalition"),
        ("Rockets hit Erbil Air Base, which hosts American troops.", "American troops"),
        ("استهدف هجوم صاروخي القوات الأمريكية في قاعدة عين الأسد", "القوات الأمريكية"),
    ],
)
def test_keywords_cover_real_phrasings(summary, expected):
    row = toolkit.load_events().iloc[:1].copy()
    row["summary"] = summary
    row["location"] = "somewhere"
    row["site_id"] = pd.NA
    selected = toolkit.select_attacks_on_us(row)
    assert len(selected) == 1
    assert expected in selected["selected_because"].iloc[0]


@pytest.mark.parametrize(
    "summary",
    [
        "Iraqi forces clashed with IS militants near Tikrit; three militants killed.",
        "A political coalition in parliament rejected the budget.",
        "Protesters gathered in Tahrir Square to demand jobs.",
    ],
)
def test_unrelated_text_is_not_selected(summary):
    row = toolkit.load_events().iloc[:1].copy()
    row["summary"], row["location"], row["site_id"] = summary, "Tikrit", pd.NA
    assert len(toolkit.select_attacks_on_us(row)) == 0


def test_gdelt_and_ucdp_outputs():
    gdelt = toolkit.select_attacks_on_us(toolkit.read_gdelt(str(FIXTURES / "gdelt*.CSV")))
    assert gdelt["event_id"].tolist() == ["GDELT:200000001", "GDELT:900000001"]
    assert gdelt["selected_because"].iloc[0] == "actor: gdelt_Actor2Code USAMIL"
    ucdp = toolkit.select_attacks_on_us(toolkit.read_ucdp_ged(FIXTURES / "ucdp_ged_sample.csv"))
    assert len(ucdp) == 0  # an IS clash, a US strike, a bomb on civilians


def test_curated_dataset_attacks_are_almost_all_selected():
    events = toolkit.load_events()
    attacks = events[events["event_type"] == "attack"]
    selected = toolkit.select_attacks_on_us(events)
    assert set(selected["event_type"]) == {"attack"}
    missed = sorted(set(attacks["event_id"]) - set(selected["event_id"]))
    # two convoy attacks whose summaries say only "convoy attack ... no details", and rockets
    # on the Basra site of a US oil-service company (no US forces or diplomatic site named)
    assert missed == ["A2020-0093", "A2021-0010", "A2021-0011"]


def test_needs_an_event_type_column():
    with pytest.raises(ValueError, match="needs an 'event_type' column"):
        toolkit.select_attacks_on_us(pd.DataFrame({"summary": ["US forces"]}))


def test_compare_sources_counts_side_by_side():
    acled = toolkit.select_attacks_on_us(toolkit.read_acled(FIXTURES / "acled_current.csv"))
    curated = toolkit.load_events(start="2020-01-01", end="2020-03-31", event_types="attack")
    table = toolkit.compare_sources(
        {"curated": curated, "ACLED": acled}, by="month", start="2020-01", end="2020-03"
    )
    assert table.index.astype(str).tolist() == ["2020-01", "2020-02", "2020-03"]
    assert table["ACLED"].tolist() == [1, 0, 1]
    assert (table["difference"] == table["ACLED"] - table["curated"]).all()
    with pytest.raises(toolkit.FormatError, match="by='fortnight'"):
        toolkit.compare_sources({"a": curated}, by="fortnight")


def test_notebook_example_file():
    acled = toolkit.read_acled(REPO / "notebooks" / "examples" / "acled_example.csv")
    assert len(acled) == 16
    selected = toolkit.select_attacks_on_us(acled)
    assert len(selected) == 13
    assert not {"ACLED:IRQ0014", "ACLED:IRQ0015", "ACLED:IRQ0016"} & set(selected["event_id"])
    curated = toolkit.load_events(event_types="attack")
    # every example attack restates a curated attack of the same day at the same coordinates
    keys = set(zip(curated["date"], curated["latitude"].round(4), strict=True))
    for date, lat in zip(selected["date"], selected["latitude"].round(4), strict=True):
        assert (date, lat) in keys, (date, lat)
