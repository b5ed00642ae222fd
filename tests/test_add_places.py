"""toolkit.add_places and reset_places: places added for the session, validated like places.csv."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import toolkit
from toolkit import DataValidationError, FormatError
from toolkit.geocoding import PLACE_COLUMNS, GeocodeWarning

SHIPPED = len(toolkit.load_places())

# Kadhimiya, the Baghdad district around the al-Kadhimiya shrine. Coordinates of the shrine:
# 33°22′48″N 44°20′17″E, https://en.wikipedia.org/wiki/Al-Kadhimiya_Mosque
KADHIMIYA = {
    "place_id": "kadhimiya",
    "name": "Kadhimiya",
    "feature_type": "neighbourhood",
    "latitude": 33.38,
    "longitude": 44.33806,
    "country": "Iraq",
    "alternate_names": "Al-Kadhimiya|Kadhimain|Kazimiyah|الكاظمية|الكاظمين",
    "source_url": "https://en.wikipedia.org/wiki/Al-Kadhimiya_Mosque",
}
# Zummar, a town of Tal Afar district (Nineveh): 36°39′N 42°36′E,
# https://de.wikipedia.org/wiki/Zumar
ZUMMAR_CSV = (
    "place_id,name,feature_type,latitude,longitude,country,admin1,alternate_names,source_url\n"
    "zummar,Zummar,town,36.65,42.6,Iraq,Ninawa,Zumar|زمار,https://de.wikipedia.org/wiki/Zumar\n"
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
    # Not in the shipped gazetteer: the Arabic name is unknown, the Latin one is taken by
    # fuzzy matching for Qadisiyah governorate, 150 km away.
    assert one("الكاظمية")["status"] == "not_found"
    assert one("Kadhimiya")["place_id"] != "kadhimiya"

    added = toolkit.add_places(pd.DataFrame([KADHIMIYA]))

    assert added["place_id"].tolist() == ["kadhimiya"]
    row = added.iloc[0]
    assert row["admin1"] == "Baghdad"  # from the governorate polygons
    assert row["geo_precision"] == "site"  # the default
    assert "add_places" in row["source"]
    for name, status in [("Kadhimiya", "exact"), ("الكاظمية", "alias"), ("Kadhimain", "alias")]:
        out = one(name)
        assert (out["place_id"], out["status"], out["admin1"]) == ("kadhimiya", status, "Baghdad")
        assert (out.geometry.x, out.geometry.y) == (44.33806, 33.38)
    assert one("Kadhimiya", admin1="Baghdad")["place_id"] == "kadhimiya"
    places = toolkit.load_places()
    assert len(places) == SHIPPED + 1
    assert list(places.columns) == [*PLACE_COLUMNS, "geometry"]
    assert str(places["population"].dtype) == "Int64"
    found = toolkit.find_places("Rockets fell near Kadhimiya; سقطت قذيفة في الكاظمية")
    assert found["place_id"].tolist() == ["kadhimiya", "kadhimiya"]
    assert toolkit.reverse_geocode([(44.339, 33.381)])["place_id"].iloc[0] == "kadhimiya"

    toolkit.reset_places()

    assert one("الكاظمية")["status"] == "not_found"
    assert one("Kadhimiya")["place_id"] != "kadhimiya"
    assert len(toolkit.load_places()) == SHIPPED
    assert toolkit.find_places("سقطت قذيفة في الكاظمية").empty


def test_add_places_from_a_csv_file_with_an_admin1_alias(tmp_path):
    assert one("Zummar")["status"] == "not_found"
    path = tmp_path / "my_places.csv"
    path.write_text(ZUMMAR_CSV, encoding="utf-8")

    added = toolkit.add_places(path)

    assert added[["place_id", "admin1"]].values.tolist() == [["zummar", "Nineveh"]]
    assert one("زمار")[["place_id", "status"]].tolist() == ["zummar", "alias"]
    assert one("Zummar, Nineveh")["place_id"] == "zummar"


def test_additions_accumulate_and_an_id_cannot_be_added_twice(tmp_path):
    path = tmp_path / "zummar.csv"
    path.write_text(ZUMMAR_CSV, encoding="utf-8")
    toolkit.add_places(pd.DataFrame([KADHIMIYA]))
    toolkit.add_places(path)
    assert {"kadhimiya", "zummar"} <= set(toolkit.load_places()["place_id"])
    with pytest.raises(DataValidationError, match=r"row 2, column 'place_id': 'zummar' is alre"):
        toolkit.add_places(path)
    assert len(toolkit.load_places()) == SHIPPED + 2


def test_bad_rows_name_row_column_value_and_expectation_and_add_nothing():
    bad = pd.DataFrame(
        [
            {**KADHIMIYA, "place_id": "Kadhimiya district"},
            {**KADHIMIYA, "place_id": "ain_al_asad"},
            {**KADHIMIYA, "place_id": "k2", "feature_type": "village"},
            {**KADHIMIYA, "place_id": "k3", "latitude": 48.8566, "longitude": 2.3522},
            {**KADHIMIYA, "place_id": "k4", "country": "Syria"},
            {**KADHIMIYA, "place_id": "k5", "admin1": "Kent"},
            {**KADHIMIYA, "place_id": "k6", "latitude": "north", "geo_precision": "exact"},
            {**KADHIMIYA, "place_id": "k6", "name": "", "population": "many"},
        ],
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )
    with pytest.raises(DataValidationError) as caught:
        toolkit.add_places(bad)
    found = {(p.row, p.column, p.value) for p in caught.value.problems}
    assert found == {
        (10, "place_id", "Kadhimiya district"),
        (11, "place_id", "ain_al_asad"),
        (12, "feature_type", "village"),
        (13, "latitude/longitude", (48.8566, 2.3522)),
        (14, "latitude/longitude", (33.38, 44.33806)),
        (15, "admin1", "Kent"),
        (16, "latitude", "north"),
        (16, "geo_precision", "exact"),
        (17, "place_id", "k6"),
        (17, "name", ""),
        (17, "population", "many"),
    }
    message = str(caught.value)
    assert "add_places row 12, column 'feature_type': 'village' is not one of" in message
    assert "military_base" in message  # the accepted kinds are listed
    assert "row 13, column 'latitude/longitude': (48.8566, 2.3522) is outside Iraq" in message
    assert "row 14, column 'latitude/longitude': (33.38, 44.33806) is outside Syria" in message
    assert "'Kent' is not a governorate of Iraq (expected one of: Anbar" in message
    assert "'ain_al_asad' is already a place of the gazetteer" in message
    assert "row 17, column 'place_id': 'k6' is a duplicate" in message
    assert len(toolkit.load_places()) == SHIPPED
    assert one("الكاظمية")["status"] == "not_found"


def test_bad_rows_of_a_csv_file_give_its_path_and_line_numbers(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(ZUMMAR_CSV + ZUMMAR_CSV.splitlines()[1].replace(",town,", ",hamlet,"))
    with pytest.raises(DataValidationError) as caught:
        toolkit.add_places(path)
    assert {(p.file, p.row, p.column) for p in caught.value.problems} == {
        (str(path), 3, "place_id"),
        (str(path), 3, "feature_type"),
    }


def test_missing_and_unknown_columns():
    table = pd.DataFrame([KADHIMIYA]).drop(columns=["country"]).assign(governorate="Baghdad")
    with pytest.raises(DataValidationError) as caught:
        toolkit.add_places(table)
    message = str(caught.value)
    assert "'country' is a required column and is missing" in message
    assert "'governorate' is not a column of data/places.csv" in message


def test_not_a_table():
    with pytest.raises(FormatError, match="expected a pandas DataFrame"):
        toolkit.add_places([KADHIMIYA])
    with pytest.raises(FormatError, match="file not found"):
        toolkit.add_places("no/such/places.csv")


def test_an_empty_table_adds_nothing():
    out = toolkit.add_places(pd.DataFrame(columns=list(KADHIMIYA)))
    assert out.empty
    assert len(toolkit.load_places()) == SHIPPED


def test_the_shipped_file_is_not_touched(tmp_path):
    from toolkit._paths import data_dir

    before = (data_dir() / "places.csv").read_bytes()
    toolkit.add_places(pd.DataFrame([KADHIMIYA]))
    assert (data_dir() / "places.csv").read_bytes() == before
