"""toolkit.add_places and reset_places: places added for the session, checked like shipped ones."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import toolkit
from toolkit import DataValidationError, FormatError
from toolkit.geocoding import PLACE_COLUMNS, GeocodeWarning

SHIPPED = len(toolkit.load_places())

# Camp Speicher (Tikrit Air Academy), not in the shipped gazetteer. Coordinates 34°40′39″N
# 43°33′02″E as given by Wikipedia's article (mirrored at
# https://boysha.eth.limo/wiki/Al-Sahara_Air_Base.html; also fr.wikipedia "Base Speicher").
SPEICHER = {
    "place_id": "camp_speicher",
    "name": "Camp Speicher",
    "feature_type": "military_base",
    "latitude": 34.6775,
    "longitude": 43.55056,
    "country": "Iraq",
    "alternate_names": "COB Speicher|Speicher|Tikrit Air Academy|قاعدة سبايكر|سبايكر",
    "source_url": "https://en.wikipedia.org/wiki/Camp_Speicher",
}
SPEICHER_CSV = (
    "place_id,name,feature_type,latitude,longitude,country,admin1,alternate_names,source_url\n"
    "camp_speicher,Camp Speicher,military_base,34.6775,43.55056,Iraq,Salahuddin,"
    "COB Speicher|Tikrit Air Academy|سبايكر,https://en.wikipedia.org/wiki/Camp_Speicher\n"
)


@pytest.fixture(autouse=True)
def shipped_gazetteer():
    """Every test starts and ends with the shipped gazetteer: no added place leaks out."""
    toolkit.reset_places()
    yield
    toolkit.reset_places()


def one(name, **hints) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeocodeWarning)
        return toolkit.geocode(name, **hints).iloc[0]


def test_a_missing_place_resolves_after_add_places_and_not_after_reset():
    assert one("سبايكر")["status"] == "not_found"
    assert one("Camp Speicher")["place_id"] != "camp_speicher"

    added = toolkit.add_places(pd.DataFrame([SPEICHER]))

    assert added["place_id"].tolist() == ["camp_speicher"]
    row = added.iloc[0]
    assert row["admin1"] == "Salah al-Din"  # from the COD-AB polygons, with the P-codes
    assert row["admin1_pcode"] == "IQG16"
    assert row["admin2_pcode"].startswith("IQG16Q")
    assert row["admin3_pcode"].startswith(row["admin2_pcode"])
    assert row["geo_precision"] == "site"  # the default
    assert "add_places" in row["source"]
    for name, status in [
        ("Camp Speicher", "exact"),
        ("سبايكر", "alias"),
        ("COB Speicher", "alias"),
    ]:
        out = one(name)
        assert (out["place_id"], out["status"], out["admin1"]) == (
            "camp_speicher",
            status,
            "Salah al-Din",
        )
        assert (out.geometry.x, out.geometry.y) == (43.55056, 34.6775)
    assert one("Speicher", admin1="Salah al-Din")["place_id"] == "camp_speicher"
    places = toolkit.load_places()
    assert len(places) == SHIPPED + 1
    assert list(places.columns) == [*PLACE_COLUMNS, "geometry"]
    assert str(places["population"].dtype) == "Int64"
    found = toolkit.find_places("Rockets fell near Camp Speicher; سقطت قذيفة في سبايكر")
    assert found["place_id"].tolist() == ["camp_speicher", "camp_speicher"]
    assert toolkit.reverse_geocode([(43.551, 34.678)])["place_id"].iloc[0] == "camp_speicher"

    toolkit.reset_places()

    assert one("سبايكر")["status"] == "not_found"
    assert one("Camp Speicher")["place_id"] != "camp_speicher"
    assert len(toolkit.load_places()) == SHIPPED
    assert toolkit.find_places("سقطت قذيفة في سبايكر").empty


def test_add_places_from_a_csv_file_with_an_admin1_alias(tmp_path):
    path = tmp_path / "my_places.csv"
    path.write_text(SPEICHER_CSV, encoding="utf-8")

    added = toolkit.add_places(path)

    assert added[["place_id", "admin1"]].values.tolist() == [["camp_speicher", "Salah al-Din"]]
    assert one("سبايكر")[["place_id", "status"]].tolist() == ["camp_speicher", "alias"]
    assert one("Tikrit Air Academy, Salah al-Din")["place_id"] == "camp_speicher"


def test_an_id_cannot_be_added_twice(tmp_path):
    path = tmp_path / "speicher.csv"
    path.write_text(SPEICHER_CSV, encoding="utf-8")
    toolkit.add_places(pd.DataFrame([SPEICHER]))
    assert "camp_speicher" in set(toolkit.load_places()["place_id"])
    match = r"row 2, column 'place_id': 'camp_speicher' is alre"
    with pytest.raises(DataValidationError, match=match):
        toolkit.add_places(path)
    assert len(toolkit.load_places()) == SHIPPED + 1


def test_bad_rows_name_row_column_value_and_expectation_and_add_nothing():
    bad = pd.DataFrame(
        [
            {**SPEICHER, "place_id": "Camp Speicher"},
            {**SPEICHER, "place_id": "ain_al_asad"},
            {**SPEICHER, "place_id": "k2", "feature_type": "hamlet"},
            {**SPEICHER, "place_id": "k3", "latitude": 48.8566, "longitude": 2.3522},
            {**SPEICHER, "place_id": "k4", "country": "Syria"},
            {**SPEICHER, "place_id": "k5", "admin1": "Kent"},
            {**SPEICHER, "place_id": "k6", "latitude": "north", "geo_precision": "exact"},
            {**SPEICHER, "place_id": "k6", "name": "", "population": "many"},
        ],
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )
    with pytest.raises(DataValidationError) as caught:
        toolkit.add_places(bad)
    found = {(p.row, p.column, p.value) for p in caught.value.problems}
    assert found == {
        (10, "place_id", "Camp Speicher"),
        (11, "place_id", "ain_al_asad"),
        (12, "feature_type", "hamlet"),
        (13, "latitude/longitude", (48.8566, 2.3522)),
        (14, "latitude/longitude", (34.6775, 43.55056)),
        (15, "admin1", "Kent"),
        (16, "latitude", "north"),
        (16, "geo_precision", "exact"),
        (17, "place_id", "k6"),
        (17, "name", ""),
        (17, "population", "many"),
    }
    message = str(caught.value)
    assert "add_places row 12, column 'feature_type': 'hamlet' is not one of" in message
    assert "military_base" in message  # the accepted kinds are listed
    assert "row 13, column 'latitude/longitude': (48.8566, 2.3522) is outside Iraq" in message
    assert "row 14, column 'latitude/longitude': (34.6775, 43.55056) is outside Syria" in message
    assert "'Kent' is not a governorate of Iraq (expected one of: Anbar" in message
    assert "'ain_al_asad' is already a place of the gazetteer" in message
    assert "row 17, column 'place_id': 'k6' is a duplicate" in message
    assert len(toolkit.load_places()) == SHIPPED
    assert one("سبايكر")["status"] == "not_found"


def test_bad_rows_of_a_csv_file_give_its_path_and_line_numbers(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        SPEICHER_CSV + SPEICHER_CSV.splitlines()[1].replace(",military_base,", ",hamlet,")
    )
    with pytest.raises(DataValidationError) as caught:
        toolkit.add_places(path)
    assert {(p.file, p.row, p.column) for p in caught.value.problems} == {
        (str(path), 3, "place_id"),
        (str(path), 3, "feature_type"),
    }


def test_missing_and_unknown_columns():
    table = pd.DataFrame([SPEICHER]).drop(columns=["country"]).assign(governorate="Baghdad")
    with pytest.raises(DataValidationError) as caught:
        toolkit.add_places(table)
    message = str(caught.value)
    assert "'country' is a required column and is missing" in message
    assert "'governorate' is not a column of the place table" in message


def test_not_a_table():
    with pytest.raises(FormatError, match="expected a pandas DataFrame"):
        toolkit.add_places([SPEICHER])
    with pytest.raises(FormatError, match="file not found"):
        toolkit.add_places("no/such/places.csv")


def test_an_empty_table_adds_nothing():
    out = toolkit.add_places(pd.DataFrame(columns=list(SPEICHER)))
    assert out.empty
    assert len(toolkit.load_places()) == SHIPPED


def test_the_shipped_file_is_not_touched(tmp_path):
    from toolkit._paths import data_dir

    before = (data_dir() / "places.parquet").read_bytes()
    toolkit.add_places(pd.DataFrame([SPEICHER]))
    assert (data_dir() / "places.parquet").read_bytes() == before
