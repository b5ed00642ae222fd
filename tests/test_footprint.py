"""The US footprint over time (data/us_footprint.csv) and toolkit.us_footprint on real dates."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit


@pytest.fixture(scope="module")
def footprint():
    return toolkit.load_us_footprint()


def _sites(date) -> dict[str, bool]:
    table = toolkit.us_footprint(date)
    return dict(zip(table["site_id"], table["certain"], strict=True))


def test_the_table_is_typed_cited_and_placed(footprint):
    assert footprint.crs == "EPSG:4326"
    assert footprint["us_from"].dtype.kind == "M"
    assert footprint["us_until"].dtype.kind == "M"
    assert footprint["source_urls"].str.startswith("http").all()
    places = toolkit.load_places().set_index("place_id")
    known = footprint[footprint["coordinates_from"].str.startswith("places.parquet:")]
    # a site of the gazetteer keeps the gazetteer's point
    for row in known.itertuples():
        assert (row.latitude, row.longitude) == pytest.approx(
            (places.loc[row.site_id, "latitude"], places.loc[row.site_id, "longitude"])
        )
    # the aliases of one base are not separate rows; the unverified H-2 is left out
    assert not {"green_village", "mss_euphrates", "h2_air_base"} & set(footprint["site_id"])


def test_sites_on_the_first_day_of_2024():
    sites = _sites("2024-01-01")
    for site in ("al_omar", "conoco", "ain_al_asad", "al_tanf", "tower_22"):
        assert sites[site], site
    assert "harir" not in sites  # vacated 20 Oct 2023, back in 2025
    assert "taji" not in sites  # handed over in August 2020


def test_the_syrian_bases_left_in_may_2025():
    assert {"al_omar", "conoco"}.isdisjoint(_sites("2025-07-01"))
    in_may = _sites("2025-05-20")  # left during May: present, but not certainly
    assert not in_may["al_omar"]
    assert not in_may["conoco"]


def test_the_first_day_of_the_2026_war():
    sites = _sites("2026-03-01")
    assert {"ain_al_asad", "al_tanf", "victory_base", "shaddadi"}.isdisjoint(sites)
    assert sites["erbil_air_base"]
    assert sites["harir"]
    # Qasrak: withdrawal begun 23 Feb, completion never reported
    assert not sites["qasrak"]
    by_country = toolkit.us_footprint("2026-03-01").groupby("country", observed=True).size()
    assert by_country["Iraq"] > by_country.get("Syria", 0)


def test_departure_dates_are_exclusive_and_the_day_before_is_inside():
    assert "al_tanf" in _sites("2026-02-10")
    assert "al_tanf" not in _sites("2026-02-11")  # CENTCOM: departure completed that day


def test_bad_date_and_bad_rows_are_named():
    with pytest.raises(toolkit.FormatError, match="not a date"):
        toolkit.us_footprint("2026-13-01")
    from toolkit import schema

    text = pd.read_csv(
        toolkit._paths.data_dir() / "us_footprint.csv", dtype=str, keep_default_na=False
    )
    text.loc[0, "us_until"] = ""  # a day precision without its date
    text.loc[1, "source_urls"] = "Dawn"
    problems = schema.check_footprint(text, file="us_footprint.csv")
    assert {(p.row, p.column) for p in problems} == {(2, "us_until"), (3, "source_urls")}
