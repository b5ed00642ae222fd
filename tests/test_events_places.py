"""The event dataset and the gazetteer agree: sites, coordinates, governorates and names."""

from __future__ import annotations

import warnings

import pytest

import toolkit

KM_PER_DEGREE = 111.0


@pytest.fixture(scope="module")
def events():
    return toolkit.load_events()


@pytest.fixture(scope="module")
def places():
    return toolkit.load_places().set_index("place_id")


def test_site_rows_carry_the_coordinates_of_their_site(events, places):
    sited = events[events["site_id"].notna()]
    assert len(sited) > 250
    site = places.loc[sited["site_id"]]
    assert (abs(site["latitude"].to_numpy() - sited["latitude"].to_numpy()) < 1e-6).all()
    assert (abs(site["longitude"].to_numpy() - sited["longitude"].to_numpy()) < 1e-6).all()
    assert (site["country"].to_numpy() == sited["country"].astype(str).to_numpy()).all()


def test_every_sited_location_is_found_by_find_places(events, places):
    """The place named in each event's location resolves to its site (or within 3 km of it)."""
    misses = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in events[events["site_id"].notna()].itertuples():
            found = toolkit.find_places(row.location, country=row.country)
            if row.site_id in set(found["place_id"].dropna()):
                continue
            site = places.loc[row.site_id, "geometry"]
            near = [
                g
                for g in found["geometry"]
                if g is not None and site.distance(g) * KM_PER_DEGREE < 3
            ]
            if not near:
                misses.append((row.event_id, row.location))
    assert misses == []


@pytest.mark.parametrize(
    ("name", "place_id", "admin1"),
    [
        ("Ain al-Asad air base", "ain_al_asad", "Anbar"),
        ("Al-Assad airbase", "ain_al_asad", "Anbar"),
        ("قاعدة عين الأسد", "ain_al_asad", "Anbar"),
        ("K-1 base", "k1_kirkuk", "Kirkuk"),
        ("Camp Taji", "taji", "Baghdad"),
        ("Jurf al-Nasr", "jurf_al_sakhar", "Babil"),
        ("Harir base", "harir", "Erbil"),
        ("Erbil air base", "erbil_air_base", "Erbil"),
        ("al-Tanf garrison", "al_tanf", "Homs"),
        ("Tower 22", "tower_22", "Mafraq"),
        ("Rmeilan", "rumalyn", "Hasakah"),
        ("Victory base", "victory_base", "Baghdad"),
    ],
)
def test_site_names_in_reports_geocode_to_the_dataset_sites(name, place_id, admin1):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = toolkit.geocode(name)
    assert out["place_id"].iloc[0] == place_id
    assert out["admin1"].iloc[0] == admin1


def test_iraqi_rows_carry_the_cod_ab_units_their_precision_allows(events):
    iraq = events[(events["country"] == "Iraq") & events["latitude"].notna()]
    assert iraq["admin1_pcode"].str.fullmatch(r"IQG\d\d").all()
    fine = iraq[iraq["geo_precision"].isin(["site", "town"])]
    assert len(fine) > 150
    for child, parent in (("admin3_pcode", "admin2_pcode"), ("admin2_pcode", "admin1_pcode")):
        pairs = zip(fine[child].astype(str), fine[parent].astype(str), strict=True)
        assert all(c.startswith(p) for c, p in pairs), child
    coarse = iraq[iraq["geo_precision"] == "governorate"]
    assert coarse["admin2"].isna().all()  # a governorate's point says nothing of its districts
    at_asad = events[events["site_id"] == "ain_al_asad"]
    assert set(at_asad["admin2"]) == {"Heet"}
    assert set(at_asad["admin3_pcode"]) == {"IQG01Q07N01"}


def test_rows_without_a_site_are_placed_no_finer_than_what_locates_them(events):
    unsited = events[events["site_id"].isna()]
    assert set(unsited["geo_precision"].dropna()) <= {"town", "district", "governorate", "country"}
    no_place = unsited[unsited["geo_precision"] == "country"]
    assert no_place["latitude"].isna().all()  # "somewhere in Syria" gets no point


def test_shipped_coordinates_are_what_the_placing_script_derives(tmp_path):
    """scripts/place_events.py on a copy of the data changes nothing: coordinates are derived."""
    import shutil
    import subprocess
    import sys

    from conftest import REPO

    shutil.copy(REPO / "data" / "events.csv", tmp_path / "events.csv")
    out = subprocess.run(
        [sys.executable, "scripts/place_events.py", "--data", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1].startswith("0 of ")
    assert (tmp_path / "events.csv").read_bytes() == (REPO / "data" / "events.csv").read_bytes()
