"""match_events and assign_sites on the shipped events, an ACLED export and extracted candidates."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import toolkit
from conftest import REPO
from toolkit.errors import FormatError

ACLED = REPO / "tests" / "fixtures" / "sources" / "acled_current.csv"


def _acled():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return toolkit.read_acled(ACLED)


def test_acled_rows_link_to_curated_events_by_site_and_day():
    acled = _acled()
    events = toolkit.load_events()
    pairs = toolkit.match_events(acled, events, days=1, km=10)
    tower = pairs[pairs["left_id"] == "ACLED:JOR90005"]
    assert "A2024-0043" in tower["right_id"].tolist()  # Tower 22, 28 January 2024
    row = tower[tower["right_id"] == "A2024-0043"].iloc[0]
    assert (row["day_gap"], row["km"], bool(row["same_site"])) == (0, 0.0, True)
    # every pair respects the limits
    assert (pairs["day_gap"] <= 1).all()
    assert ((pairs["km"] <= 10) | pairs["same_site"]).all()
    # Jalawla (2020-03-12) is far from every US site: no site id, and it pairs with nothing
    assert "ACLED:IRQ90006" not in pairs["left_id"].tolist()


def test_assign_sites_uses_the_radius_of_the_site_kind():
    rows = pd.DataFrame(
        {
            "latitude": [33.80, 33.80 + 0.06, 33.299, 33.299 + 0.02, 35.0],
            "longitude": [42.44, 42.44, 44.396, 44.396, 45.0],
        }
    )
    out = toolkit.assign_sites(rows)
    # ~1.6 km and ~8.3 km from Ain al-Asad (5 km rule); 2.2 km north of the embassy is beyond
    # its 1.5 km but inside the 5 km of the Union III base next to it
    assert out["site_id"].tolist() == ["ain_al_asad", None, "us_embassy_baghdad", "union_iii", None]
    assert 1.0 < out["site_km"].iloc[0] < 2.0
    wider = toolkit.assign_sites(rows, radius_km=10)
    assert wider["site_id"].tolist()[:2] == ["ain_al_asad", "ain_al_asad"]
    assert wider["site_id"].iloc[4] is None


def test_existing_site_ids_are_kept_unless_overwrite():
    rows = pd.DataFrame({"latitude": [33.80], "longitude": [42.44], "site_id": ["al_asad_town"]})
    assert toolkit.assign_sites(rows)["site_id"].tolist() == ["al_asad_town"]
    assert toolkit.assign_sites(rows, overwrite=True)["site_id"].tolist() == ["ain_al_asad"]


def test_equal_site_ids_count_as_zero_km_even_with_distant_points():
    left = pd.DataFrame(
        {
            "date": ["2024-01-20"],
            "site_id": ["ain_al_asad"],
            "latitude": [33.0],
            "longitude": [42.0],
        }
    )
    right = pd.DataFrame(
        {
            "date": ["2024-01-21"],
            "site_id": ["ain_al_asad"],
            "latitude": [33.8],
            "longitude": [42.44],
        }
    )
    pairs = toolkit.match_events(left, right)
    assert pairs[["day_gap", "km", "same_site"]].values.tolist() == [[1, 0.0, True]]
    assert toolkit.match_events(left, right, days=0).empty


def test_dedup_within_one_table_pairs_each_twin_once_and_never_a_row_with_itself():
    events = toolkit.load_events(start="2024-01-01", end="2024-02-15")
    twin = events.iloc[[0]].copy()
    twin["event_id"] = "TWIN"
    twin["date"] = twin["date"] + pd.Timedelta(days=1)
    table = pd.concat([events, twin], ignore_index=True)
    pairs = toolkit.match_events(table, days=1, km=10)
    assert not (pairs["left"] == pairs["right"]).any()
    assert not pairs.duplicated(["left", "right"]).any()
    both = pairs[(pairs["left_id"] == "TWIN") | (pairs["right_id"] == "TWIN")]
    original = events["event_id"].iloc[0]
    assert set(both["left_id"]) | set(both["right_id"]) >= {"TWIN", original}


def test_candidates_from_a_report_find_the_curated_event():
    report = (
        "Three US service members were killed when a one-way attack drone struck Tower 22 in "
        "northeastern Jordan early Sunday, the Pentagon said."
    )
    candidates = toolkit.extract_events(report, "2024-01-29")
    pairs = toolkit.match_events(candidates, toolkit.load_events(), days=1, km=10)
    same_day = pairs[pairs["day_gap"] == 0]
    assert same_day["right_id"].tolist() == ["A2024-0043"]
    assert bool(same_day["same_type"].iloc[0]) is True


def test_bad_arguments_are_toolkit_errors():
    events = toolkit.load_events(start="2024-01-28", end="2024-01-28")
    with pytest.raises(FormatError, match="days"):
        toolkit.match_events(events, events, days=-1)
    with pytest.raises(FormatError, match="km"):
        toolkit.match_events(events, events, km="ten")
    with pytest.raises(FormatError, match="no 'date' column"):
        toolkit.match_events(events.drop(columns="date"), events)
