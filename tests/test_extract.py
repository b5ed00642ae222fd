"""extract_events on short reports written for this project (English and Arabic).

The reports in tests/fixtures/reports/ are the project's own wording in the style of wire and
regional reports, each with the rows a researcher would record from it. ``reports.json`` is
the set the rules were developed on; ``heldout.json`` was written afterwards and never tuned on.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math

import pandas as pd
import pytest

import toolkit
from conftest import REPO
from toolkit.errors import FormatError, ToolkitError

FIXTURES = REPO / "tests" / "fixtures" / "reports"
REPORTS = json.loads((FIXTURES / "reports.json").read_text(encoding="utf-8"))
HELDOUT = json.loads((FIXTURES / "heldout.json").read_text(encoding="utf-8"))


def _accuracy_module():
    spec = importlib.util.spec_from_file_location(
        "extract_accuracy", REPO / "benchmarks" / "extract_accuracy.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _km(row, place_id):
    place = toolkit.load_places().set_index("place_id").loc[place_id]
    lat1, lon1 = math.radians(row["latitude"]), math.radians(row["longitude"])
    lat2, lon2 = math.radians(place["latitude"]), math.radians(place["longitude"])
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_the_fixture_sets_are_large_and_varied_enough():
    everything = REPORTS + HELDOUT
    assert len(everything) >= 40
    assert sum(r["lang"] == "ar" for r in everything) >= 10
    assert sum(not r["expected"] for r in everything) >= 6  # background-only reports
    assert sum(len(r["expected"]) > 1 for r in everything) >= 4  # multi-target reports
    rows = [e for r in everything for e in r["expected"]]
    assert sum(e.get("event_type") == "us_strike" for e in rows) >= 5
    assert sum("launched_from" in e for e in rows) >= 3
    assert sum("claimed_by" in e for e in rows) >= 8
    for report in everything:  # the stated day is the weekday the text names
        dt.date.fromisoformat(report["published"])


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r["id"])
def test_report_gives_its_events_with_date_place_type_weapon_and_claims(report):
    got = toolkit.extract_events(report["text"], report["published"])
    assert len(got) == len(report["expected"]), got[["date", "location"]]
    for exp in report["expected"]:
        day = got[got["date"] == pd.Timestamp(exp["date"])]
        near = [k for k, row in day.iterrows() if _km(row, exp["place"]) <= 15]
        assert near, f"{report['id']}: no row on {exp['date']} near {exp['place']}"
        row = got.loc[near[0]]
        assert row["status"] == "candidate"
        assert row["event_type"] == exp.get("event_type", "attack")
        assert row["date_precision"] == exp.get("date_precision", "day")
        assert (None if pd.isna(row["site_id"]) else row["site_id"]) == exp.get("site_id")
        assert row["weapon"] == exp["weapon"]
        assert row["target_type"] == exp["target_type"]
        assert row["claimed_by"] == exp.get("claimed_by", "")
        confirmed = None if pd.isna(row["us_confirmed"]) else bool(row["us_confirmed"])
        assert confirmed == exp.get("us_confirmed")


@pytest.mark.parametrize("reports", [REPORTS, HELDOUT], ids=["development set", "held-out set"])
def test_recall_precision_and_no_event_from_background(reports):
    result = _accuracy_module().score(reports)
    assert result["recall"] >= 0.9, result["misses"]
    assert result["precision"] >= 0.85, result["false_rows"]
    assert result["background_rows"] == 0
    for field in ("projectiles", "killed", "injured"):
        right, seen = result["fields"][field]
        assert right / seen >= 0.85, (field, result["wrong"])


def test_issue_example_dates_site_and_background():
    report = (
        "Two drones struck a base hosting coalition forces at Erbil airport late on Friday. "
        "Rockets landed near the embassy in Baghdad in the early hours of Saturday without "
        "casualties. At least 60 attacks have hit US forces since mid-October, and in December "
        "2019 supporters of the factions stormed the embassy. In January 2020 Iran fired "
        "ballistic missiles at Ain al-Asad air base."
    )
    got = toolkit.extract_events(
        report, dt.date(2024, 1, 7), url="https://example.org/r", outlet="Wire"
    )
    assert got[["date", "site_id"]].astype(str).values.tolist() == [
        ["2024-01-05", "erbil_air_base"],
        ["2024-01-06", "us_embassy_baghdad"],
    ]
    assert got["url"].tolist() == ["https://example.org/r"] * 2
    assert got["outlet"].tolist() == ["Wire"] * 2
    assert got.crs.to_epsg() == 4326
    embassy = got.iloc[1]
    assert (embassy["killed"], embassy["injured"]) == (0, 0)
    assert report[slice(*embassy["killed_span"])] == "without casualties"

    assert got.attrs["background_rows"] == 1  # set aside, and counted
    every = toolkit.extract_events(report, "2024-01-07", include_background=True)
    background = every[every["status"] == "background"]
    assert background["site_id"].tolist() == ["ain_al_asad"]  # history, set aside
    assert background["date_note"].iloc[0].startswith("background (history)")
    assert str(background["date"].iloc[0].date()) == "2020-01-01"
    assert background["date_precision"].iloc[0] == "month"


def test_spans_give_the_words_each_field_came_from():
    report = (
        "Three rockets fired from Zummar hit the Rumeilan base late Tuesday, killing one guard."
    )
    row = toolkit.extract_events(report, "2024-01-11").iloc[0]
    assert report[slice(*row["date_span"])] == "late Tuesday"
    assert report[slice(*row["location_span"])] == "Rumeilan base"
    assert report[slice(*row["launched_from_span"])] == "Zummar"
    assert report[slice(*row["projectiles_span"])] == "Three rockets"
    assert "killing one" in report[slice(*row["killed_span"])]
    assert (row["site_id"], row["launched_from"], row["projectiles"], row["killed"]) == (
        "rumalyn",
        "Zummar",
        3,
        1,
    )
    assert pd.isna(row["injured"])  # not reported is not zero


@pytest.mark.parametrize(
    ("phrase", "published", "expected", "precision"),
    [
        ("on Friday", "2024-01-07", "2024-01-05", "day"),
        ("late Tuesday", "2024-01-10", "2024-01-09", "day"),
        ("in the early hours of Saturday", "2024-01-07", "2024-01-06", "day"),
        ("early Sunday", "2024-01-07", "2024-01-07", "day"),  # the publication day itself
        ("last Sunday", "2024-01-07", "2023-12-31", "day"),
        ("last night", "2024-01-07", "2024-01-06", "day"),
        ("yesterday", "2024-03-01", "2024-02-29", "day"),
        ("earlier today", "2024-01-07", "2024-01-07", "day"),
        ("on January 3", "2024-01-07", "2024-01-03", "day"),
        ("on 30 December", "2024-01-07", "2023-12-30", "day"),
        ("earlier this week", "2024-01-10", "2024-01-07", "week"),
        ("يوم الجمعة", "2024-01-07", "2024-01-05", "day"),
        ("فجر الاثنين", "2024-01-10", "2024-01-08", "day"),
        ("مساء أمس", "2024-01-10", "2024-01-09", "day"),
        ("الأحد الماضي", "2024-01-07", "2023-12-31", "day"),
        ("في 3 كانون الثاني", "2024-01-07", "2024-01-03", "day"),
    ],
)
def test_date_expressions_resolve_from_the_publication_date(phrase, published, expected, precision):
    if any("\u0600" <= c <= "\u06ff" for c in phrase):
        text = f"استهدفت طائرة مسيرة قاعدة عين الأسد {phrase}."
    else:
        text = f"A drone struck Ain al-Asad air base {phrase}."
    row = toolkit.extract_events(text, published).iloc[0]
    assert (str(row["date"].date()), row["date_precision"]) == (expected, precision)
    assert text[slice(*row["date_span"])].strip() in phrase


def test_statement_day_is_said_in_the_date_note():
    text = "Kataib Hezbollah said on Monday it had targeted Harir base with a drone."
    row = toolkit.extract_events(text, "2024-01-10").iloc[0]
    assert str(row["date"].date()) == "2024-01-08"
    assert "statement day" in row["date_note"]


def test_report_without_any_day_gives_a_week_window_not_a_day():
    row = toolkit.extract_events(
        "Rockets hit Ain al-Asad air base, officials said.", "2024-01-10"
    ).iloc[0]
    assert (str(row["date"].date()), row["date_precision"]) == ("2024-01-04", "week")
    assert "no day" in row["date_note"]


def test_numbers_as_words_and_digits():
    cases = {
        "At least five rockets hit Ain al-Asad air base on Friday.": 5,
        "12 rockets hit Ain al-Asad air base on Friday.": 12,
        "A drone hit Ain al-Asad air base on Friday.": 1,
        "Rockets hit Ain al-Asad air base on Friday.": None,
    }
    for text, projectiles in cases.items():
        got = toolkit.extract_events(text, "2024-01-07").iloc[0]["projectiles"]
        assert (None if pd.isna(got) else int(got)) == projectiles, text


def test_claim_is_not_a_confirmation_and_a_denial_is_false():
    claim = toolkit.extract_events(
        "Kataib Hezbollah claimed a drone attack on Tower 22 on Sunday.", "2024-01-29"
    ).iloc[0]
    assert claim["claimed_by"] == "kataib_hezbollah"
    assert pd.isna(claim["us_confirmed"])
    confirmed = toolkit.extract_events(
        "A drone struck Tower 22 on Sunday, the Pentagon said.", "2024-01-29"
    ).iloc[0]
    assert confirmed["claimed_by"] == ""
    assert bool(confirmed["us_confirmed"]) is True


def test_several_targets_in_one_sentence_become_several_rows():
    text = "Rockets struck Ain al-Asad air base and Harir air base on Friday."
    got = toolkit.extract_events(text, "2024-01-07")
    assert got["site_id"].tolist() == ["ain_al_asad", "harir"]
    assert got["date"].nunique() == 1


def test_no_rows_from_background_only_reports():
    for report in REPORTS + HELDOUT:
        if not report["expected"]:
            got = toolkit.extract_events(report["text"], report["published"])
            assert got.empty, (report["id"], got[["location", "date_note"]])


def test_empty_text_gives_an_empty_frame_with_the_columns():
    got = toolkit.extract_events("", "2024-01-07")
    assert got.empty
    for column in ("date", "site_id", "weapon", "date_span", "status", "geometry"):
        assert column in got.columns


def test_bad_input_is_a_toolkit_error_that_says_what_is_accepted():
    with pytest.raises(FormatError, match="expected a str"):
        toolkit.extract_events(None, "2024-01-07")
    with pytest.raises(ToolkitError, match="ISO string"):
        toolkit.extract_events("Rockets hit Ain al-Asad.", "last Tuesday")
