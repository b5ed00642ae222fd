"""toolkit.read_acled: every ACLED column set, encodings, flagged rows, canonical mapping."""

from __future__ import annotations

import os
import warnings

import geopandas as gpd
import pandas as pd
import pytest

import toolkit
from conftest import REPO
from toolkit.sources import ParseWarning

FIXTURES = REPO / "tests" / "fixtures" / "sources"


def read(name: str, **kwargs):
    return toolkit.read_acled(FIXTURES / name, **kwargs)


def test_current_column_set_maps_to_the_curated_schema():
    events = read("acled_current.csv")
    curated = toolkit.load_events()
    assert isinstance(events, gpd.GeoDataFrame)
    assert events.crs == "EPSG:4326"
    # evidence is derived from the curated dataset's graded sources; ACLED rows have none
    for column in curated.columns.drop("evidence"):
        assert column in events.columns, column
        assert events[column].dtype == curated[column].dtype or column == "country", column
    assert len(events) == 7
    ain = events.set_index("event_id").loc["ACLED:IRQ90002"]
    assert ain["date"] == pd.Timestamp("2020-01-08")
    assert (ain["latitude"], ain["longitude"]) == (33.7856, 42.4412)
    assert (ain["event_type"], ain["weapon"], ain["target_type"]) == (
        "attack",
        "missile",
        "military_base",
    )
    assert ain["geometry"].x == 42.4412
    assert ain["acled_notes"].startswith("On 8 January 2020, Iran fired ballistic missiles")
    assert events["event_type"].tolist()[:6] == ["us_strike", *["attack"] * 5]
    assert pd.isna(events["event_type"].iloc[6])  # a protest has no canonical type
    assert events["weapon"].tolist() == [
        "airstrike",
        "missile",
        "rocket",
        "drone",
        "drone",
        "small_arms",
        "unknown",
    ]
    assert events["killed"].tolist() == [10, 0, 3, 0, 3, 2, 0]
    assert events["injured"].isna().all()
    assert events["n_sources"].tolist() == [2, 2, 2, 2, 2, 1, 1]
    assert events["geo_precision"].tolist()[5] == "district"
    assert events.attrs["column_set"] == "current"
    assert events["parse_problems"].isna().all()


def test_jordan_row_is_kept_and_other_countries_too():
    events = read("acled_current.csv")
    assert events["country"].tolist().count("Jordan") == 1
    assert list(events["country"].cat.categories[:3]) == ["Iraq", "Syria", "Jordan"]


def test_2020_column_set_with_numeric_inter_and_long_dates():
    events = read("acled_2020_numeric_inter.csv")
    assert events.attrs["column_set"] == "2020"
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2020-01-03",
        "2020-01-08",
        "2020-03-11",
        "2021-04-14",
        "2020-03-12",
    ]
    assert events["acled_inter1"].dtype == "Int64"
    assert events["acled_inter1"].tolist() == [8, 8, 3, 3, 1]
    assert events["event_type"].iloc[0] == "us_strike"


def test_spreadsheet_resaved_file_with_crlf_and_short_dates():
    raw = (FIXTURES / "acled_excel_resaved.csv").read_bytes()
    assert b"\r\n" in raw
    assert b",8-Jan-20," in raw
    events = read("acled_excel_resaved.csv")
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2020-01-03",
        "2020-01-08",
        "2020-03-11",
        "2020-03-12",
    ]
    assert not events["acled_iso3"].str.endswith("\r").any()


def test_pandas_index_column_is_dropped():
    events = read("acled_pandas_index.csv", to_canonical=False)
    assert events.columns[0] == "event_id_cnty"
    assert "" not in events.columns
    assert "Unnamed: 0" not in events.columns
    assert events["event_id_cnty"].tolist() == ["IRQ90002", "IRQ90003", "IRQ90004"]


def test_cp1252_file_is_detected_and_decoded():
    assert b"\x93Katyusha\x94" in (FIXTURES / "acled_cp1252.csv").read_bytes()
    events = read("acled_cp1252.csv")
    assert events.attrs["encoding"] == "cp1252"
    assert "“Katyusha” rockets hit Camp Taji – the Iraqi army’s base" in events["summary"].iloc[0]
    assert "café" in events["summary"].iloc[0]


def test_utf8_with_bom():
    assert (FIXTURES / "acled_utf8_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    events = read("acled_utf8_bom.csv", to_canonical=False)
    assert events.columns[0] == "event_id_cnty"
    assert "مطار أربيل" in events["notes"].iloc[0]


def test_bad_rows_are_kept_flagged_counted_and_warned():
    with pytest.warns(ParseWarning) as caught:
        events = read("acled_bad_rows.csv")
    assert len(events) == 5  # 4 good-length rows + the one with an extra field
    assert events.attrs["n_problem_rows"] == 3
    flagged = events.set_index("event_id")["parse_problems"].dropna()
    assert flagged.index.tolist() == ["ACLED:IRQ90003", "ACLED:IRQ90004", "ACLED:IRQ90006"]
    assert "'2020-13-45' is not a date" in flagged["ACLED:IRQ90003"]
    assert "'136.2376' is out of range" in flagged["ACLED:IRQ90004"]
    assert "has 32 fields (expected 31)" in flagged["ACLED:IRQ90006"]
    bad = events.set_index("event_id")
    assert pd.isna(bad.loc["ACLED:IRQ90003", "date"])
    assert pd.isna(bad.loc["ACLED:IRQ90004", "latitude"])
    assert bad.loc["ACLED:IRQ90004", "geometry"] is None
    assert bad.loc["ACLED:IRQ90006", "date"] == pd.Timestamp("2020-03-12")
    message = str(caught[0].message)
    assert "acled_bad_rows.csv row 3, column 'event_date': '2020-13-45'" in message
    assert "row 4, column 'latitude'" in message
    problems = events.attrs["problems"]
    assert {(p.row, p.column) for p in problems} == {
        (3, "event_date"),
        (4, "latitude"),
        (5, "(whole row)"),
    }


def test_to_canonical_false_gives_acled_columns_with_dtypes():
    events = read("acled_current.csv", to_canonical=False)
    assert list(events.columns[:3]) == ["event_id_cnty", "event_date", "year"]
    assert events["event_date"].dtype == "datetime64[us]"
    assert events["fatalities"].dtype == "Int64"
    assert events["latitude"].dtype == "float64"
    assert events["inter1"].iloc[0] == "External/Other forces"  # words in current exports
    assert "geometry" not in events.columns


def test_a_gdelt_file_is_refused_with_a_clear_message():
    with pytest.raises(toolkit.FormatError) as error:
        read("gdelt2_sample.export.CSV")
    message = str(error.value)
    assert "gdelt2_sample.export.CSV: not an ACLED export" in message
    assert "missing column(s) event_id_cnty, event_date" in message
    assert "tab-separated with 61 fields" in message
    assert "read_gdelt" in message
    assert "current ACLED column set (event_id_cnty, event_date, year" in message


def test_a_ucdp_file_is_refused_naming_found_columns():
    with pytest.raises(toolkit.FormatError, match=r"found: id, relid, year.*UCDP GED"):
        read("ucdp_ged_sample.csv")


def test_missing_file():
    with pytest.raises(toolkit.FormatError, match="file not found"):
        read("no_such_file.csv")


def test_chunked_reading_with_progress_gives_the_same_rows(capsys):
    whole = read("acled_current.csv", progress=False)
    chunked = read("acled_current.csv", progress=True, chunk_threshold=1)
    pd.testing.assert_frame_equal(
        pd.DataFrame(whole.drop(columns="geometry")),
        pd.DataFrame(chunked.drop(columns="geometry")),
    )
    assert "acled_current.csv" in capsys.readouterr().err  # the tqdm bar


def test_month_precision_is_dated_on_the_first_with_a_note(tmp_path):
    text = (FIXTURES / "acled_current.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[2] = lines[2].replace("2020-01-08,2020,1,", "2020-01-08,2020,3,")
    path = tmp_path / "month.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    row = toolkit.read_acled(path).iloc[1]
    assert row["date"] == pd.Timestamp("2020-01-01")
    assert row["date_precision"] == "month"
    assert row["date_note"] == "ACLED time_precision 3 (month); ACLED date 2020-01-08"


def test_external_validation_reports_scope_and_missing_types():
    events = read("acled_current.csv")
    sources = toolkit.event_sources(events)
    assert len(sources) == 12
    assert sources["url"].str.startswith("https://").all()
    problems = toolkit.validate_events(
        pd.DataFrame(events.drop(columns="geometry")), sources, external=True, raise_errors=False
    )
    assert [(p.row, p.column, p.expected[:22]) for p in problems] == [
        (6, "event_type", "is empty (a value is r")
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        curated_ids = toolkit.validate_events(
            pd.DataFrame(events.drop(columns="geometry")), sources, raise_errors=False
        )
    assert sum("is not an event id" in p.expected for p in curated_ids) == 7


def test_real_spreadsheet_resaved_sample(shared_formats):
    path = shared_formats / "acled_2020_excel_resaved_iraq_syria.csv"
    events = toolkit.read_acled(path)
    assert len(events) == 404  # source.txt: 404 data rows
    assert events["country"].value_counts()[["Iraq", "Syria"]].tolist() == [91, 313]
    assert events.attrs["n_problem_rows"] == 0
    raw = toolkit.read_acled(path, to_canonical=False)
    # source.txt says 1-9 May 2020; the file itself also holds 27-30 April rows
    assert raw["event_date"].min() == pd.Timestamp("2020-04-27")
    assert raw["event_date"].max() == pd.Timestamp("2020-05-09")
    first = events.iloc[0]
    assert first["event_id"] == "ACLED:SYR78126"
    assert (first["latitude"], first["longitude"]) == (34.4546, 40.9116)
    assert first["date"] == pd.Timestamp("2020-05-09")
    iraq = events[events["country"] == "Iraq"].iloc[0]
    assert (iraq["acled_event_id_cnty"], iraq["location"]) == ("IRQ24248", "Sulayman Bak")
    assert (iraq["latitude"], iraq["longitude"]) == (34.7943, 44.6667)


def test_real_legacy_sample_with_long_dates(shared_formats):
    events = toolkit.read_acled(shared_formats / "acled_legacy_2020_afghanistan.csv")
    assert len(events) == 496
    assert events["acled_event_date"].min() == pd.Timestamp("2020-03-01")
    assert events["acled_event_date"].max() == pd.Timestamp("2020-03-21")
    assert events["acled_event_date"].notna().all()
    first = events.iloc[0]
    assert (first["event_id"], first["latitude"], first["longitude"]) == (
        "ACLED:AFG44631",
        36.9882,
        66.8207,
    )
    assert events.iloc[-1]["event_id"] == "ACLED:AFG44295"
    assert set(events["country"].dropna()) == {"Afghanistan"}  # kept, not dropped
    # "a drone strike by US military forces" with NATO as actor1: a US/coalition strike
    assert events.iloc[-1]["event_type"] == "us_strike"


NOTES = [
    # one weapon; the embassy named last outranks the troops and the convoy named before it
    "On 5 March 2021, US troops escorting a convoy near the embassy in Baghdad were targeted "
    "by a Katyusha rocket. No casualties were reported.",
    # two weapons: mixed; a base outranks the troops named first
    "On 8 January 2020, troops at Ain al-Asad air base were hit by ballistic missiles and "
    "drones launched from Iran.",
    # an IED against a convoy (the convoy outranks the contractor named first)
    "On 14 April 2021, a contractor's supply convoy was struck by an IED on the highway.",
    # no keyword at all: the weapon of the sub-event type stays, the target is other
    "On 2 June 2021, unidentified gunmen attacked a checkpoint near Balad.",
    # not an attack row: nothing is searched
    "On 3 January 2020, a drone strike on a convoy near Baghdad International Airport.",
    # upper case and plural forms
    "On 15 February 2021, ROCKETS hit the AIRPORT in Erbil.",
]


@pytest.mark.parametrize("workers", [1, 4])
def test_notes_keywords_weapon_mixed_and_target_precedence(monkeypatch, workers):
    from toolkit import schema
    from toolkit.sources import _canonical as canon

    monkeypatch.setattr(os, "cpu_count", lambda: workers)
    text = pd.Series(NOTES * 40_000, dtype="str")  # above the size where threads are used
    rows = (pd.Series(range(len(text))) % len(NOTES) != 4).to_numpy()
    weapons, targets = schema.WEAPONS, schema.TARGET_TYPES
    weapon = pd.Categorical(["small_arms"] * len(text), categories=weapons).codes.copy()
    got_weapon, got_target = canon.keyword_codes(text, rows, weapon, weapons, targets)
    names_w = [weapons[c] for c in got_weapon[: len(NOTES)]]
    names_t = [targets[c] for c in got_target[: len(NOTES)]]
    assert names_w == ["rocket", "mixed", "ied", "small_arms", "small_arms", "rocket"]
    assert names_t == [
        "diplomatic",
        "military_base",
        "logistics_convoy",
        "other",
        "other",
        "airport",
    ]
    # every copy of the block gets the same answer, whichever thread read it
    assert (got_weapon.reshape(-1, len(NOTES)) == got_weapon[: len(NOTES)]).all()
    assert (got_target.reshape(-1, len(NOTES)) == got_target[: len(NOTES)]).all()
    # the two single-purpose functions agree with the combined one
    assert (canon.keyword_weapon(text, weapon, rows, weapons) == got_weapon).all()
    assert (canon.keyword_target(text, rows, targets) == got_target).all()


def test_values_with_spaces_still_parse_and_bad_ones_are_flagged():
    from toolkit.sources import _canonical as canon

    dates = pd.Series(["2020-01-08", " 2020-01-08", "8 January 2020 ", None, "8/1/2020x"])
    parsed, failed = canon.parse_dates(dates, ("%Y-%m-%d", "%d %B %Y"))
    assert parsed.dt.strftime("%Y-%m-%d").tolist()[:3] == ["2020-01-08"] * 3
    assert parsed.isna().tolist() == [False, False, False, True, True]
    assert failed.tolist() == [False, False, False, False, True]  # empty is not a failure

    numbers, failed = canon.parse_numbers(pd.Series(["3", " 12 ", None, "2.5", "n/a"]), "int")
    assert numbers.dtype == "Int64"
    assert numbers.tolist()[:2] == [3, 12]
    assert numbers.isna().tolist() == [False, False, True, True, True]
    assert failed.tolist() == [False, False, False, True, True]

    coords, failed = canon.parse_numbers(pd.Series(["33.7856", " 42.4412", None]), "float")
    assert coords.tolist()[:2] == [33.7856, 42.4412]
    assert not failed.any()


def test_points_are_built_once_per_coordinate_pair_and_missing_ones_stay_empty():
    from toolkit.sources import _canonical as canon

    # Ain al-Asad twice, Erbil air base, a row without a longitude
    lat = pd.Series([33.7856, 36.2376, 33.7856, 35.0]).to_numpy()
    lon = pd.Series([42.4412, 43.9632, 42.4412, float("nan")]).to_numpy()
    points = canon.points(lon, lat)
    assert [(p.x, p.y) for p in points[:3]] == [
        (42.4412, 33.7856),
        (43.9632, 36.2376),
        (42.4412, 33.7856),
    ]
    assert points[0] is points[2]  # one shared (immutable) point
    assert points[3] is None
