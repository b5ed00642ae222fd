"""The shipped dataset: it loads typed, validates, is cited throughout, and holds what reporting
on the big moments says it should."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import toolkit
from conftest import REPO

DATA = REPO / "data"


@pytest.fixture(scope="module")
def events():
    return toolkit.load_events()


@pytest.fixture(scope="module")
def sources():
    return toolkit.load_event_sources()


def test_events_load_as_a_typed_geodataframe(events):
    assert events.crs == "EPSG:4326"
    assert str(events["date"].dtype).startswith("datetime64")
    assert isinstance(events["weapon"].dtype, pd.CategoricalDtype)
    assert str(events["killed"].dtype) == "Int64"
    assert str(events["us_confirmed"].dtype) == "boolean"
    assert events["event_id"].is_unique
    # empty means "not reported", which is not the same as zero or false
    assert events["killed"].isna().any()
    assert (events["killed"] == 0).any()
    assert events["us_confirmed"].isna().any()
    assert (~events["us_confirmed"].fillna(True)).any()
    assert len(events) >= 400


def test_shipped_data_validates_and_every_event_is_cited(events, sources):
    assert toolkit.validate_events(events.drop(columns=["geometry", "n_sources"]), sources) == []
    assert (events["n_sources"] >= 1).all()
    assert set(sources["event_id"]) <= set(events["event_id"])


def test_rows_without_coordinates_have_no_geometry_rather_than_a_false_point(events):
    missing = events["latitude"].isna()
    assert missing.any()
    assert events.loc[missing, "geometry"].isna().all()
    assert not events.loc[~missing, "geometry"].isna().any()
    assert events.loc[~missing, "geometry"].x.between(34.8, 48.7).all()


def test_filters_select_by_date_country_and_type():
    campaign = toolkit.load_events(start="2023-10-17", end="2024-02-04", event_types="attack")
    assert campaign["date"].min() >= pd.Timestamp("2023-10-17")
    assert campaign["date"].max() <= pd.Timestamp("2024-02-04")
    assert set(campaign["event_type"]) == {"attack"}
    assert set(campaign["country"]) == {"Iraq", "Syria", "Jordan"}
    syria = toolkit.load_events(countries="Syria")
    assert set(syria["country"]) == {"Syria"}
    # attacks on US forces in Syria are recorded from 2019 (ISIS rockets on Shaddadi and al-Omar,
    # December 2019), before the first US strikes there (2019-12-29)
    attacks = syria[syria["event_type"] == "attack"]
    assert attacks["date"].min() < pd.Timestamp("2023-10-17")
    assert set(attacks.loc[attacks["date"] < "2023-10-17", "site_id"].dropna()) >= {
        "al_omar",
        "conoco",
        "al_tanf",
        "shaddadi",
        "rumalyn",
    }
    strikes = syria[syria["event_type"] == "us_strike"]
    assert strikes["date"].min() == pd.Timestamp("2019-12-29")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"countries": ["Iran"]}, r"countries=\['Iran'\] is not accepted \(expected any of: Iraq"),
        ({"event_types": "strike"}, r"expected any of: attack, us_strike"),
        ({"start": "January 2020"}, r"start='January 2020' is not a date \(expected YYYY-MM-DD\)"),
    ],
)
def test_bad_arguments_say_what_is_accepted(arguments, message):
    with pytest.raises(toolkit.FormatError, match=message):
        toolkit.load_events(**arguments)


def test_ids_are_stable_in_form_and_ordered_by_date(events):
    for prefix, event_type in (("A", "attack"), ("S", "us_strike")):
        subset = events[events["event_type"] == event_type]
        assert subset["event_id"].str.match(rf"^{prefix}\d{{4}}-\d{{4}}$").all()
        assert (subset["event_id"].str[1:5].astype(int) == subset["date"].dt.year).all()


def test_one_row_per_attack(events):
    """Rows that share a day, a site and a type must each say they were separate attacks."""
    named = events[events["site_id"].notna() & (events["date_precision"] == "day")]
    shared = named[named.duplicated(["date", "event_type", "site_id"], keep=False)]
    assert len(shared) > 0  # e.g. Ain al-Asad was hit twice on 2023-12-08
    undeclared = shared[~shared["date_note"].fillna("").str.contains("separate", case=False)]
    assert undeclared.empty, undeclared[["event_id", "date", "site_id"]].to_string()
    # the same report filed twice would show as one URL on two events of one day and site
    merged = sources_by_day_site(events)
    assert merged.empty, merged.to_string()


def test_week_and_month_rows_never_claim_separate_attacks(events):
    """A row dated only to a week or month cannot know it was separate from another that day."""
    coarse = events[events["date_precision"] != "day"]
    assert len(coarse) >= 20
    said = coarse[coarse["date_note"].fillna("").str.contains("separate", case=False)]
    assert said.empty, said[["event_id", "date_precision", "date_note"]].to_string()


# merged in data 0.3.0 (data/CHANGELOG.md): absorbed id -> kept id
MERGED = {
    "A2023-0008": "A2023-0007",
    "A2023-0032": "A2023-0029",
    "A2023-0031": "A2023-0028",
    "A2023-0057": "A2023-0055",
    "A2024-0011": "A2024-0008",
    "A2020-0067": "A2020-0066",
    "A2021-0021": "A2021-0020",
}


def test_merged_events_and_sites_are_gone_and_their_sources_moved(events, sources):
    assert not set(MERGED) & set(events["event_id"])
    assert not set(MERGED) & set(sources["event_id"])
    assert set(MERGED.values()) <= set(events["event_id"])
    assert not {"mss_euphrates", "green_village"} & set(events["site_id"].dropna())
    cited = sources.groupby("event_id")["url"].apply(set)
    # the WaPo list (via OAN) of the former A2023-0008 now cites the Conoco row
    assert any("oann.com" in url for url in cited["A2023-0007"])
    # one convoy hit by two bombs is one row, placed in no single governorate
    convoy = events.set_index("event_id").loc["A2020-0066"]
    assert "one convoy, two bombs" in convoy["location"]
    assert convoy["geo_precision"] == "country"
    # a report is cited once per event
    assert not sources.duplicated(["event_id", "url"]).any()


def sources_by_day_site(events):
    sources = toolkit.load_event_sources().merge(
        events[["event_id", "date", "date_precision", "site_id", "event_type"]], on="event_id"
    )
    # one report of "two occasions last month" rightly backs two month-dated rows
    sources = sources[sources["site_id"].notna() & (sources["date_precision"] == "day")]
    counts = sources.groupby(["url", "date", "site_id", "event_type"], observed=True)[
        "event_id"
    ].nunique()
    suspects = counts[counts > 1].reset_index()
    # a source describing two separate attacks on one site that day is allowed
    separate = (
        events.set_index("event_id")["date_note"].fillna("").str.contains("separate", case=False)
    )
    keep = []
    for row in suspects.itertuples():
        ids = sources.loc[
            (sources["url"] == row.url)
            & (sources["date"] == row.date)
            & (sources["site_id"] == row.site_id),
            "event_id",
        ].unique()
        keep.append(not separate.reindex(ids).fillna(False).all())
    return suspects[keep]


@pytest.mark.parametrize(
    ("date", "site_id", "country", "needle"),
    [
        ("2019-12-27", "k1_kirkuk", "Iraq", "contractor"),
        ("2019-12-31", "us_embassy_baghdad", "Iraq", "embassy"),
        ("2020-01-08", "ain_al_asad", "Iraq", "missile"),
        ("2020-03-11", "taji", "Iraq", ""),
        ("2020-09-28", "baghdad_airport", "Iraq", "family"),
        ("2020-11-17", "us_embassy_baghdad", "Iraq", "girl"),
        ("2020-12-20", "us_embassy_baghdad", "Iraq", ""),
        ("2021-06-09", "balad", "Iraq", ""),
        ("2021-06-09", "victory_base", "Iraq", "drone"),
        ("2023-12-08", "us_embassy_baghdad", "Iraq", ""),
        ("2024-01-28", "tower_22", "Jordan", "three"),
        ("2024-08-05", "ain_al_asad", "Iraq", ""),
        ("2024-09-10", "baghdad_diplomatic_support_center", "Iraq", "Pezeshkian"),
    ],
)
def test_attacks_from_reporting_on_the_big_moments_are_there(
    events, date, site_id, country, needle
):
    rows = events[
        (events["date"] == pd.Timestamp(date))
        & (events["site_id"] == site_id)
        & (events["event_type"] == "attack")
    ]
    assert len(rows) >= 1, f"no attack on {site_id} dated {date}"
    assert set(rows["country"]) == {country}
    assert rows["summary"].str.contains(needle, case=False).any()


def test_us_strikes_of_the_escalation_are_there(events):
    strikes = events[events["event_type"] == "us_strike"]
    days = set(strikes["date"].dt.strftime("%Y-%m-%d"))
    assert {
        "2019-12-29",
        "2020-01-03",
        "2023-11-22",
        "2024-01-04",
        "2024-02-02",
        "2024-02-07",
    } <= days


def test_disagreements_stay_visible(events, sources):
    erbil = events[(events["date"] == "2020-09-30") & (events["site_id"] == "erbil_air_base")].iloc[
        0
    ]
    assert (erbil["projectiles"], erbil["projectiles_max"]) == (4, 6)
    assert erbil["figures_disputed"]
    says = " ".join(sources.loc[sources["event_id"] == erbil["event_id"], "says"].fillna(""))
    assert "6 rockets" in says  # Kurdish interior ministry
    assert "a 4th landed" in says  # Reuters: three intercepted, a fourth landed
    assert events.loc[events["projectiles_max"].notna(), "figures_disputed"].all()


def test_key_events_hold_the_turning_points():
    key = toolkit.load_key_events()
    text = key.set_index(key["date"].dt.strftime("%Y-%m-%d"))["description"]
    assert text.loc[["2019-12-31"]].str.contains("embassy").any()
    assert text.loc[["2020-01-03"]].str.contains("Soleimani").any()
    assert text.loc[["2020-01-05"]].str.contains("parliament", case=False).any()
    assert text.loc[["2020-10-11"]].str.contains("ceasefire", case=False).any()
    assert text.loc[["2023-10-07"]].str.contains("Hamas").any()
    assert text.loc[["2024-01-28"]].str.contains("Tower 22").any()
    assert text.loc[["2024-01-30"]].str.contains("suspension", case=False).any()
    assert key["url"].str.match(r"^https?://").all()


def test_official_counts_are_dated_scoped_and_sourced():
    counts = toolkit.load_official_counts()
    tokens = counts["scope"].str.split(";").explode()
    assert set(tokens) <= {"Iraq", "Syria", "Jordan", "unspecified"}
    assert counts["value"].notna().all()
    pentagon = counts[(counts["metric"] == "tbi") & (counts["as_of"] == "2020-02-10")]
    assert 109 in pentagon["value"].tolist()


def test_campaign_coverage_reaches_90_percent_of_the_pentagon_count():
    """Attacks 2023-10-17..2024-02-04 against the official tally nearest to 2024-02-04."""
    counts = toolkit.load_official_counts()
    tallies = counts[
        (counts["metric"] == "attacks")
        & (counts["source_type"] == "official")
        & (counts["since"] == pd.Timestamp("2023-10-17"))
        & counts["scope"].str.contains("Iraq;Syria")
    ].copy()
    tallies["distance"] = (tallies["as_of"] - pd.Timestamp("2024-02-04")).abs()
    nearest = tallies.sort_values(["distance", "value"]).iloc[0]
    campaign = toolkit.load_events(start="2023-10-17", end="2024-02-04", event_types="attack")
    assert nearest["as_of"] == pd.Timestamp("2024-02-06")
    assert len(campaign) / nearest["value"] >= 0.9


def test_data_version_matches_the_changelog():
    changelog = (DATA / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## (\S+)", changelog, re.M).group(1)
    assert first == toolkit.DATA_VERSION


def test_data_readme_documents_every_column():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    from toolkit import schema

    for table in (
        schema.EVENTS,
        schema.EVENT_SOURCES,
        schema.KEY_EVENTS,
        schema.OFFICIAL_COUNTS,
        schema.GROUPS,
        schema.PHASES,
        schema.US_FOOTPRINT,
    ):
        for column in table:
            assert f"| `{column.name}` |" in readme, column.name
