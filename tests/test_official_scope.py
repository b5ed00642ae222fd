"""Official tallies like for like: each tally's scope is data, and compare_to_official uses it."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit
from toolkit import schema
from toolkit.datasets import _site_ids


@pytest.fixture(scope="module")
def events():
    return toolkit.load_events()


@pytest.fixture(scope="module")
def counts():
    return toolkit.load_official_counts()


@pytest.fixture(scope="module")
def table(events):
    return toolkit.compare_to_official(events, source_types=None)


def _attacks(events, start, end, countries):
    return events[
        (events["event_type"] == "attack")
        & events["date"].between(start, end)
        & events["country"].isin(countries)
    ]


def test_every_tally_says_what_it_counts(counts):
    assert counts["scope_note"].notna().all()
    assert counts["count_id"].is_unique
    drone_only = counts.set_index("count_id").loc["C033"]
    assert drone_only["scope_weapons"] == "drone"  # "at least five drone attacks" since April 2021
    # scope words of the tallies' own notes became data
    by_id = counts.set_index("count_id")
    assert by_id.loc["C019", "scope_weapons"] == "rocket;mortar"  # FDD: excludes IEDs
    assert by_id.loc["C017", "scope_targets"] == "logistics_convoy"  # SouthFront: convoys
    assert by_id.loc["C162", "scope_sites"] == "shaddadi"  # CENTCOM: Shaddadi only
    assert by_id.loc["C133", "scope_sites"] == "tower_22"
    casualty = counts[counts["metric"] != "attacks"]
    assert casualty["scope_people"].notna().all()
    assert counts.loc[counts["metric"] == "attacks", "scope_people"].isna().all()


def test_the_drone_only_tally_is_compared_with_drone_attacks_only(events, table):
    row = table.loc["C033"]  # 5 drone attacks in Iraq, 2021-04-01 to 2021-07-07
    window = _attacks(events, "2021-04-01", "2021-07-07", ["Iraq"])
    assert row["dataset"] == (window["weapon"] == "drone").sum()
    assert row["dataset"] < len(window)  # never all attacks (that gave a ratio of 7.0)
    assert row["ratio"] < 2
    unknown = window["weapon"].isin(["unknown", "mixed"]).sum()
    assert row["scope_matched"] == "partly"
    assert f"{unknown} attack(s) in the window with weapon unknown or mixed" in row["scope_reason"]


def test_weapon_and_target_scopes_are_applied(events, table):
    fdd = table.loc["C019"]  # rockets and mortars in Iraq in 2020, up to 22 October
    window = _attacks(events, "2020-01-01", "2020-10-22", ["Iraq"])
    assert fdd["dataset"] == window["weapon"].isin(["rocket", "mortar"]).sum()
    convoys = table.loc["C017"]
    window = _attacks(events, "2020-08-16", "2020-08-19", ["Iraq"])
    assert convoys["dataset"] == (window["target_type"] == "logistics_convoy").sum()


def test_single_site_casualty_tallies(events):
    injured = toolkit.compare_to_official(events, metric="injured")
    tower = injured.loc["C133"]  # CENTCOM's first 34 injured at Tower 22
    expected = events.loc[events["site_id"] == "tower_22", "injured"].sum()
    # the row holds the later official figure (at least 41, National Guard Bureau), not 34
    assert tower["dataset"] == expected == 41
    assert tower["scope_matched"] == "partly"
    assert "US service members only" in tower["scope_reason"]
    everyone = toolkit.compare_to_official(events, metric="injured", source_types=None)
    roughly_186 = everyone.loc["C147"]  # counts the killed with the injured: said so
    assert "3 killed" in roughly_186["scope_reason"]


def test_windows_without_a_start_are_not_compared(table):
    for count_id in ("C001", "C144", "C162"):
        row = table.loc[count_id]
        assert row["scope_matched"] == "no"
        assert pd.isna(row["dataset"])
        assert "no start date" in row["scope_reason"]


def test_a_plain_pentagon_tally_matches_fully(events, table):
    politico = table.loc["C142"]  # all attacks in Iraq, Syria and Jordan since 17 October
    assert politico["scope_matched"] == "yes"
    assert politico["scope_reason"] == ""
    window = _attacks(events, "2023-10-17", "2024-02-06", ["Iraq", "Syria", "Jordan"])
    assert politico["dataset"] == len(window)
    assert set(table["scope_matched"]) == {"yes", "partly", "no"}


def test_a_table_without_scope_columns_still_compares(events, counts):
    old = counts.drop(columns=[c for c in counts.columns if c.startswith("scope_")])
    plain = toolkit.compare_to_official(events, old, source_types=None)
    # without its scope, the drone-only tally is set against every attack: the old ratio of 7
    assert plain.loc["C033", "dataset"] == len(
        _attacks(events, "2021-04-01", "2021-07-07", ["Iraq"])
    )
    assert plain.loc["C033", "scope_matched"] == "yes"


def test_scope_values_are_validated_with_row_column_and_accepted_values(counts):
    text = counts.astype("string").fillna("")
    text.loc[0, "scope_weapons"] = "drones"
    text.loc[1, "scope_targets"] = "convoy"
    text.loc[2, "scope_sites"] = "tower22"
    problems = schema.check_count_scopes(
        text, site_ids=_site_ids(), file="official_counts.csv", line_numbers=True
    )
    found = {(p.row, p.column): p.expected for p in problems}
    assert "'drones'" in found[(2, "scope_weapons")]
    assert "rocket, mortar, drone" in found[(2, "scope_weapons")]
    assert "logistics_convoy" in found[(3, "scope_targets")]
    assert "'tower22'" in found[(4, "scope_sites")]
    assert len(problems) == 3
