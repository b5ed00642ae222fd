"""toolkit.geocode, load_places, reverse_geocode and find_places on names as reports write them."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import toolkit
from toolkit import FormatError
from toolkit.geocoding import GEOCODE_COLUMNS, PLACE_COLUMNS, STATUSES, GeocodeWarning

# every named site the curated event dataset points at
SITE_IDS = tuple(sorted(toolkit.load_events()["site_id"].dropna().unique()))


def km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def quiet_geocode(names, **hints):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeocodeWarning)
        return toolkit.geocode(names, **hints)


def one(name, **hints) -> pd.Series:
    return quiet_geocode(name, **hints).iloc[0]


# --- the place table ----------------------------------------------------------------------------


def test_import_does_no_gazetteer_work():
    code = (
        "import sys, toolkit; "
        "assert 'toolkit.geocoding' not in sys.modules; "
        "assert 'pandas' not in sys.modules; "
        "toolkit.normalize_name('Erbil'); "
        "assert 'pandas' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_load_places_is_a_geodataframe_with_the_documented_columns():
    places = toolkit.load_places()
    assert isinstance(places, gpd.GeoDataFrame)
    assert places.crs.to_epsg() == 4326
    assert list(places.columns) == [*PLACE_COLUMNS, "geometry"]
    assert places["place_id"].is_unique
    assert places["source"].str.len().gt(0).all()
    assert places["licence"].str.len().gt(0).all()
    assert set(places["country"]) == {"Iraq", "Syria", "Jordan"}


def test_every_curated_site_id_exists():
    ids = set(toolkit.load_places()["place_id"])
    assert set(SITE_IDS) <= ids


def test_researched_rows_cite_a_source_and_say_when_coordinates_are_coarse():
    places = toolkit.load_places().set_index("place_id")
    for pid in SITE_IDS:
        row = places.loc[pid]
        assert row["source_url"].startswith("http"), pid
        if row["geo_precision"] != "site":
            assert "No source found" in row["note"], pid


def shared_points_without_a_reason(places: pd.DataFrame) -> list[str]:
    """Researched sites that share a point (to 4 decimals, ~10 m) with another place and whose
    note does not say "Same point as <place_id>" naming one of the places at that point."""
    points = places.assign(
        point=places.geometry.y.round(4).astype(str) + "," + places.geometry.x.round(4).astype(str)
    )
    researched = points["source"].str.startswith("researched")
    unexplained = []
    for _, group in points[points.duplicated("point", keep=False)].groupby("point"):
        ids = set(group["place_id"])
        for row in group[researched.loc[group.index]].itertuples():
            named = set(re.findall(r"[a-z0-9_]+", row.note.partition("Same point as ")[2]))
            if not (named & (ids - {row.place_id})):
                unexplained.append(f"{row.place_id} shares {row.point} with {ids - {row.place_id}}")
    return unexplained


def test_two_sites_share_a_point_only_when_the_note_says_why():
    places = toolkit.load_places()
    assert shared_points_without_a_reason(places) == []
    # one base under two ids, as the gazetteer had it before data 0.3.0, is caught
    conoco = places[places["place_id"] == "conoco"].assign(
        place_id="mss_euphrates", name="Mission Support Site Euphrates", note="No source found."
    )
    doubled = pd.concat([places, conoco], ignore_index=True)
    assert sorted(shared_points_without_a_reason(doubled)) == [
        "conoco shares 35.3361,40.3094 with {'mss_euphrates'}",
        "mss_euphrates shares 35.3361,40.3094 with {'conoco'}",
    ]
    for merged in ("mss_euphrates", "green_village"):
        assert merged not in set(places["place_id"])


def test_load_places_returns_a_copy():
    first = toolkit.load_places()
    first.loc[0, "name"] = "changed"
    assert toolkit.load_places().loc[0, "name"] != "changed"


# --- sites, neighbourhoods and towns land where the sources put them ----------------------------

# (name as written, place_id, governorate, reference lat, lon from the cited source, tolerance km)
SITES = [
    ("US Embassy in Baghdad", "us_embassy_baghdad", "Baghdad", 33.299, 44.396, 3),
    ("السفارة الأمريكية في بغداد", "us_embassy_baghdad", "Baghdad", 33.299, 44.396, 3),
    ("Camp Victory", "victory_base", "Baghdad", 33.2840, 44.2561, 3),
    ("Baghdad International Airport", "baghdad_airport", "Baghdad", 33.2625, 44.2344, 3),
    ("BDSC", "baghdad_diplomatic_support_center", "Baghdad", 33.2625, 44.2344, 3),
    ("Union III", "union_iii", "Baghdad", 33.3076, 44.3903, 3),
    ("Ain al-Asad", "ain_al_asad", "Anbar", 33.7856, 42.4412, 3),
    ("Al-Assad airbase", "ain_al_asad", "Anbar", 33.7856, 42.4412, 3),
    ("عين الأسد", "ain_al_asad", "Anbar", 33.7856, 42.4412, 3),
    ("Erbil air base", "erbil_air_base", "Erbil", 36.2375, 43.9631, 3),
    ("Harir air base", "harir", "Erbil", 36.5517, 44.3516, 3),
    ("Balad Air Base", "balad", "Salah al-Din", 33.9402, 44.3616, 3),
    ("Camp Taji", "taji", "Baghdad", 33.5239, 44.2567, 3),
    ("K1 air base", "k1_kirkuk", "Kirkuk", 35.5125, 44.2842, 3),
    ("Q-West", "qayyarah_west", "Nineveh", 35.7672, 43.1251, 3),
    ("Jurf al-Sakhar", "jurf_al_sakhar", "Babil", 32.8667, 44.2139, 3),
    ("Jurf al-Nasr", "jurf_al_sakhar", "Babil", 32.8667, 44.2139, 3),
    ("جرف الصخر", "jurf_al_sakhar", "Babil", 32.8667, 44.2139, 3),
    ("al-Tanf", "al_tanf", "Homs", 33.5058, 38.6178, 3),
    ("التنف", "al_tanf", "Homs", 33.5058, 38.6178, 3),
    ("Al-Omar oil field", "al_omar", "Deir ez-Zor", 35.1517, 40.5758, 3),
    ("حقل العمر النفطي", "al_omar", "Deir ez-Zor", 35.1517, 40.5758, 3),
    ("Conoco gas field", "conoco", "Deir ez-Zor", 35.3361, 40.3094, 3),
    # one base, one id: the names of the merged ids are aliases (data 0.3.0)
    ("Green Village", "al_omar", "Deir ez-Zor", 35.1517, 40.5758, 3),
    ("القرية الخضراء", "al_omar", "Deir ez-Zor", 35.1517, 40.5758, 3),
    ("MSS Euphrates", "conoco", "Deir ez-Zor", 35.3361, 40.3094, 3),
    ("Mission Support Site Euphrates", "conoco", "Deir ez-Zor", 35.3361, 40.3094, 3),
    ("Shaddadi base", "shaddadi", "Hasakah", 36.0561, 40.7303, 3),
    ("Rmelan", "rumalyn", "Hasakah", 37.0, 41.95, 3),
    ("Tal Baydar", "tal_baydar", "Hasakah", 36.7378, 40.5869, 3),
    ("Kharab al-Jir", "kharab_al_jir", "Hasakah", 36.8114, 42.0621, 3),
    ("Tower 22", "tower_22", "Mafraq", 33.3141, 38.7034, 3),
    ("Green Zone", "green_zone", "Baghdad", 33.3076, 44.3903, 3),
    ("المنطقة الخضراء", "green_zone", "Baghdad", 33.3076, 44.3903, 3),
    ("Karrada", "karrada", "Baghdad", 33.300, 44.433, 3),
    ("الكرادة", "karrada", "Baghdad", 33.300, 44.433, 3),
    ("Radwaniyah", "radwaniyah", "Baghdad", 33.2506, 44.2689, 3),
    ("Saidiya", "saydiya", "Baghdad", 33.2496, 44.3585, 3),
    ("Abu Ghraib", "abu_ghurayb", "Baghdad", 33.30, 44.18, 10),
    ("Al-Qaim", "al_qaim", "Anbar", 34.39, 40.99, 10),
    ("Albu Kamal", "albu_kamal", "Deir ez-Zor", 34.45, 40.92, 10),
    ("البوكمال", "albu_kamal", "Deir ez-Zor", 34.45, 40.92, 10),
]


@pytest.mark.parametrize(("name", "place_id", "admin1", "lat", "lon", "tolerance"), SITES)
def test_sites_geocode_to_the_right_place_and_governorate(
    name, place_id, admin1, lat, lon, tolerance
):
    row = one(name)
    assert row["place_id"] == place_id
    assert row["admin1"] == admin1
    assert km(row.geometry.y, row.geometry.x, lat, lon) <= tolerance


# (name, place_id, governorate, approximate city-centre lat, lon): towns within 10 km
CITIES = [
    ("Baghdad", "baghdad", "Baghdad", 33.34, 44.40),
    ("بغداد", "baghdad", "Baghdad", 33.34, 44.40),
    ("Erbil", "erbil", "Erbil", 36.19, 44.01),
    ("Hewlêr", "erbil", "Erbil", 36.19, 44.01),
    ("Irbil", "erbil", "Erbil", 36.19, 44.01),
    ("أربيل", "erbil", "Erbil", 36.19, 44.01),
    ("هەولێر", "erbil", "Erbil", 36.19, 44.01),
    ("Mosul", "mosul", "Nineveh", 36.34, 43.13),
    ("الموصل", "mosul", "Nineveh", 36.34, 43.13),
    ("Kirkuk", "kirkuk", "Kirkuk", 35.47, 44.39),
    ("كركوك", "kirkuk", "Kirkuk", 35.47, 44.39),
    ("کەرکووک", "kirkuk", "Kirkuk", 35.47, 44.39),
    ("Sulaymaniyah", "sulaymaniyah", "Sulaymaniyah", 35.56, 45.43),
    ("Slemani", "sulaymaniyah", "Sulaymaniyah", 35.56, 45.43),
    ("سلێمانی", "sulaymaniyah", "Sulaymaniyah", 35.56, 45.43),
    ("Duhok", "dihok", "Duhok", 36.87, 42.99),
    ("دهۆک", "dihok", "Duhok", 36.87, 42.99),
    ("Ramadi", "ramadi", "Anbar", 33.42, 43.30),
    ("Fallujah", "al_fallujah", "Anbar", 33.35, 43.78),
    ("Basra", "basrah", "Basra", 30.51, 47.78),
    ("Deir ez-Zor", "deir_ez_zor", "Deir ez-Zor", 35.34, 40.14),
    ("دير الزور", "deir_ez_zor", "Deir ez-Zor", 35.34, 40.14),
]


@pytest.mark.parametrize(("name", "place_id", "admin1", "lat", "lon"), CITIES)
def test_cities_in_latin_arabic_and_kurdish_script(name, place_id, admin1, lat, lon):
    row = one(name)
    assert (row["place_id"], row["admin1"]) == (place_id, admin1)
    assert km(row.geometry.y, row.geometry.x, lat, lon) <= 10


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("Anbar", "anbar_governorate"),
        ("Al-Anbar Province", "anbar_governorate"),
        ("محافظة الأنبار", "anbar_governorate"),
        ("Thi-Qar", "dhi_qar_governorate"),
        ("ذي قار", "dhi_qar_governorate"),
        ("Nineveh", "nineveh_governorate"),
        ("نينوى", "nineveh_governorate"),
        ("Salah ad-Din", "salah_al_din_governorate"),
        ("صلاح الدين", "salah_al_din_governorate"),
        ("Erbil governorate", "erbil_governorate"),
        ("پارێزگای هەولێر", "erbil_governorate"),
        ("Kirkuk Province", "kirkuk_governorate"),
        ("Qadisiyah", "qadisiyah_governorate"),
        ("Hasakah governorate", "hasakah_governorate"),
    ],
)
def test_governorates_in_latin_arabic_and_kurdish_script(name, place_id):
    row = one(name)
    assert row["place_id"] == place_id
    assert row["feature_type"] == "governorate"


# --- specific versus general --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("Erbil", "erbil"),
        ("Erbil air base", "erbil_air_base"),
        ("Erbil governorate", "erbil_governorate"),
        ("Erbil airport", "erbil_international_airport"),
        ("Balad", "balad_salah_al_din"),
        ("Balad air base", "balad"),
        ("Harir", "harir_erbil"),
        ("Harir base", "harir"),
        ("Baghdad", "baghdad"),
        ("Baghdad airport", "baghdad_airport"),
        ("Baghdad province", "baghdad_governorate"),
        ("قاعدة حرير", "harir"),
        ("مطار بغداد", "baghdad_airport"),
    ],
)
def test_generic_words_pick_the_specific_place(name, place_id):
    assert one(name)["place_id"] == place_id


# --- statuses -----------------------------------------------------------------------------------


def test_exact_and_alias():
    out = quiet_geocode(["Ain al-Asad", "Al-Assad airbase", "Jurf al-Nasr"])
    assert out["status"].tolist() == ["exact", "alias", "alias"]
    assert out["score"].tolist() == [100.0, 100.0, 100.0]
    assert out["candidates"].tolist() == ["", "", ""]


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("Fallujha", "al_fallujah"),
        ("Ain al Assad airbse", "ain_al_asad"),
        ("Jurf al-Sakar", "jurf_al_sakhar"),
        ("Qayarrah Wset", "qayyarah_west"),
        ("Sulaymaniyyha", "sulaymaniyah"),
        ("Kharb al-Jir base", "kharab_al_jir"),
    ],
)
def test_fuzzy_misspellings(name, place_id):
    row = one(name)
    assert row["status"] == "fuzzy"
    assert row["place_id"] == place_id
    assert 70 <= row["score"] < 100


def test_ambiguous_name_lists_candidates_and_is_not_resolved():
    row = one("Sinjar")  # a town in Nineveh and one in Idlib
    assert row["status"] == "ambiguous"
    assert row["place_id"] is None or pd.isna(row["place_id"])
    assert set(row["candidates"].split("|")) == {"sinjar", "sinjar_idlib"}
    assert row.geometry.is_empty


def test_hints_resolve_an_ambiguous_name():
    assert one("Sinjar", admin1="Nineveh")["place_id"] == "sinjar"
    assert one("Sinjar", country="Syria")["place_id"] == "sinjar_idlib"
    assert one("Sinjar", country="SY")["place_id"] == "sinjar_idlib"
    assert one("Sinjar, Nineveh")["place_id"] == "sinjar"
    assert one("Sinjar", admin1="نينوى")["place_id"] == "sinjar"


def test_hint_that_excludes_every_candidate_gives_not_found_and_says_why():
    row = one("Balad", admin1="Basra")
    assert row["status"] == "not_found"
    assert "balad_salah_al_din" in row["candidates"].split("|")


def test_major_place_wins_over_a_far_small_homonym_which_is_listed():
    row = one("Arbil")
    assert (row["place_id"], row["status"]) == ("erbil", "alias")
    assert row["candidates"] != ""


@pytest.mark.parametrize(
    "name", ["Paris", "Kabul", "Tehran", "xqzvbn", "asdfgh jkl", "", "   ", "Air Base", "كابل"]
)
def test_names_that_must_not_match(name):
    row = one(name)
    assert row["status"] == "not_found"
    assert row.geometry.is_empty


# --- output shape -------------------------------------------------------------------------------


def test_output_is_aligned_with_the_input_and_keeps_unknown_rows():
    names = pd.Series(["Erbil", "Paris", None, "Erbil", "Sinjar"], index=[5, 3, 9, 1, 7])
    out = quiet_geocode(names)
    assert list(out.columns) == list(GEOCODE_COLUMNS)
    assert out.index.tolist() == [5, 3, 9, 1, 7]
    assert out["query"].tolist()[:2] == ["Erbil", "Paris"]
    assert out["status"].tolist() == ["exact", "not_found", "not_found", "exact", "ambiguous"]
    assert out.crs.to_epsg() == 4326
    assert out.geometry.is_empty.tolist() == [False, True, True, False, True]
    assert list(out["status"].cat.categories) == list(STATUSES)


def test_single_string_and_empty_list():
    assert len(quiet_geocode("Erbil")) == 1
    empty = quiet_geocode([])
    assert len(empty) == 0
    assert list(empty.columns) == list(GEOCODE_COLUMNS)


def test_status_summary_in_attrs_and_warning():
    with pytest.warns(GeocodeWarning, match=r"1 of 3 name\(s\) not found and 1 ambiguous"):
        out = toolkit.geocode(["Erbil", "Paris", "Sinjar"])
    assert out.attrs["status_counts"] == {
        "exact": 1,
        "alias": 0,
        "fuzzy": 0,
        "ambiguous": 1,
        "not_found": 1,
    }


def test_no_warning_when_everything_resolves():
    with warnings.catch_warnings():
        warnings.simplefilter("error", GeocodeWarning)
        toolkit.geocode(["Erbil", "Ain al-Asad"])


def test_per_row_hints():
    out = quiet_geocode(["Sinjar", "Sinjar", "Sinjar"], country=["Iraq", "Syria", None])
    assert out["place_id"].tolist()[:2] == ["sinjar", "sinjar_idlib"]
    assert out["status"].iloc[2] == "ambiguous"


def test_many_repeated_names_are_resolved_once_and_consistently():
    names = ["Ain al-Asad", "Erbil air base", "Fallujha", "Paris"] * 5000
    out = quiet_geocode(names)
    assert len(out) == 20000
    assert out["place_id"].iloc[:4].tolist()[:3] == ["ain_al_asad", "erbil_air_base", "al_fallujah"]
    assert (out["place_id"].iloc[::4] == "ain_al_asad").all()


def test_importing_the_module_does_not_hide_the_function():
    import toolkit.geocoding

    assert callable(toolkit.geocode)
    assert toolkit.geocode("Erbil")["place_id"].iloc[0] == "erbil"


# --- bad input ----------------------------------------------------------------------------------


def test_unknown_admin1_lists_the_accepted_governorates():
    with pytest.raises(FormatError, match=r"admin1='Narnia'.*Anbar.*Salah al-Din"):
        toolkit.geocode("Balad", admin1="Narnia")


def test_unknown_admin1_within_a_country_lists_that_country_only():
    with pytest.raises(FormatError, match="Jordan: Ajloun") as info:
        toolkit.geocode("Balad", admin1="Anbar", country="Jordan")
    assert "Iraq:" not in str(info.value)


def test_unknown_country_lists_the_accepted_countries():
    with pytest.raises(FormatError, match=r"country='France'.*Iraq, Jordan, Syria"):
        toolkit.geocode("Balad", country="France")


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (42, "names is a int"),
        (["Erbil", 3], r"names\[1\] = 3 \(int\)"),
        (pd.DataFrame({"a": ["Erbil"]}), "DataFrame"),
    ],
)
def test_bad_names(names, message):
    with pytest.raises(FormatError, match=message):
        toolkit.geocode(names)


def test_hint_of_the_wrong_length():
    with pytest.raises(FormatError, match="country has 1 values for 2 names"):
        toolkit.geocode(["Erbil", "Mosul"], country=["Iraq"])


# --- reverse_geocode ----------------------------------------------------------------------------


def test_reverse_geocode_pairs():
    out = toolkit.reverse_geocode([(42.4412, 33.7856), (38.6178, 33.5058), (44.40, 33.34)])
    assert out["country"].tolist() == ["Iraq", "Syria", "Iraq"]
    assert out["admin1"].tolist() == ["Anbar", "Homs", "Baghdad"]
    assert out["place_id"].tolist()[:2] == ["ain_al_asad", "al_tanf"]
    assert out["distance_km"].iloc[0] < 0.1


def test_reverse_geocode_restricted_to_sites_and_in_jordan():
    out = toolkit.reverse_geocode(
        [(38.71, 33.32)], feature_types=["military_base", "airport", "diplomatic"]
    )
    assert out[["country", "admin1", "place_id"]].iloc[0].tolist() == [
        "Jordan",
        "Mafraq",
        "tower_22",
    ]
    assert 0 < out["distance_km"].iloc[0] < 3


def test_reverse_geocode_geodataframe_in_another_crs_keeps_the_index():
    points = gpd.GeoSeries.from_xy([44.0094, 51.39], [36.1912, 35.69], crs="EPSG:4326")
    points.index = ["erbil", "tehran"]
    out = toolkit.reverse_geocode(points.to_crs("EPSG:3857"))
    assert out.index.tolist() == ["erbil", "tehran"]
    assert out.loc["erbil", "admin1"] == "Erbil"
    assert out.loc["tehran", "country"] == "Iran"
    assert pd.isna(out.loc["tehran", "admin1"])
    assert out.loc["erbil", "place_id"] == "erbil"


def test_reverse_geocode_dataframe_and_missing_points():
    df = pd.DataFrame({"longitude": [43.13, np.nan], "latitude": [36.34, np.nan]})
    out = toolkit.reverse_geocode(df)
    assert out["admin1"].iloc[0] == "Nineveh"
    assert out.iloc[1][["admin1", "country", "place_id"]].isna().all()


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (pd.DataFrame({"x": [1.0]}), "no 'longitude' and 'latitude' columns"),
        ([(1, 2, 3)], r"shape \(1, 3\)"),
        ("Erbil", "points must be"),
    ],
)
def test_reverse_geocode_bad_input(points, message):
    with pytest.raises(FormatError, match=message):
        toolkit.reverse_geocode(points)


def test_reverse_geocode_unknown_feature_type():
    with pytest.raises(FormatError, match=r"feature_types=\['base'\].*military_base"):
        toolkit.reverse_geocode([(44.0, 33.0)], feature_types="base")


# --- find_places --------------------------------------------------------------------------------


def test_find_places_in_english():
    text = (
        "Three rockets hit Ain al-Asad air base in Anbar on Tuesday, a day after a drone "
        "struck Erbil airport and Tower 22 in Jordan; the U.S. Embassy in Baghdad was not hit."
    )
    found = toolkit.find_places(text)
    assert found["place_id"].tolist() == [
        "ain_al_asad",
        "anbar_governorate",
        "erbil_international_airport",
        "tower_22",
        "us_embassy_baghdad",
    ]
    for start, end, snippet in zip(found["start"], found["end"], found["text"], strict=True):
        assert text[start:end] == snippet
    assert found["text"].iloc[0] == "Ain al-Asad air base"
    assert "hit" not in found["text"].str.lower().tolist()


def test_find_places_in_arabic_with_prefixes():
    text = "استهدفت طائرة مسيرة قاعدة عين الأسد في الأنبار وقاعدة حرير وبغداد"
    found = toolkit.find_places(text)
    assert found["place_id"].tolist() == ["ain_al_asad", "anbar_governorate", "harir", "baghdad"]
    assert text[found["start"].iloc[-1] : found["end"].iloc[-1]] == "بغداد"


def test_find_places_leaves_arabic_prepositions_out_of_the_mention():
    text = "سقطت صواريخ قرب قاعدة عين الأسد، وأسقطت مسيرة بالقرب من مطار أربيل"
    found = toolkit.find_places(text)
    assert found["text"].tolist() == ["قاعدة عين الأسد", "مطار أربيل"]
    assert found["place_id"].tolist() == ["ain_al_asad", "erbil_international_airport"]


def test_find_places_without_mentions():
    found = toolkit.find_places("Nothing happened anywhere today.")
    assert len(found) == 0
    assert {"start", "end", "text", "place_id"} <= set(found.columns)


def test_find_places_bad_input():
    with pytest.raises(FormatError, match="expected a str"):
        toolkit.find_places(["Erbil"])
