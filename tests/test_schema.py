"""Validation catches each class of bad row, naming file, row, column, value and what is accepted.

The fixtures are small copies of the shipped files (three real events and their sources), each
broken in a known way.
"""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

import toolkit
from conftest import REPO
from toolkit import schema

FIXTURES = REPO / "tests" / "fixtures"


def problems_of(events: str, sources: str = "event_sources_valid.csv"):
    return toolkit.validate_events(FIXTURES / events, FIXTURES / sources, raise_errors=False)


def where(problems):
    return {(p.row, p.column) for p in problems}


def test_the_valid_fixture_passes():
    assert problems_of("events_valid.csv") == []


def test_wrong_types_and_values_are_all_reported_at_once():
    problems = problems_of("events_bad_values.csv")
    assert where(problems) == {
        (2, "date"),
        (2, "killed"),
        (3, "weapon"),
        (3, "us_confirmed"),
        (4, "country"),
    }
    by_column = {p.column: p for p in problems}
    assert by_column["date"].value == "2020-13-08"
    assert "expected YYYY-MM-DD" in by_column["date"].expected
    assert "rocket, mortar, drone" in by_column["weapon"].expected
    assert "Iraq, Syria, Jordan" in by_column["country"].expected
    assert by_column["killed"].value == "three"


def test_error_message_names_file_row_column_value_and_what_is_accepted():
    with pytest.raises(toolkit.DataValidationError) as caught:
        toolkit.validate_events(FIXTURES / "events_bad_values.csv")
    message = str(caught.value)
    assert "5 problem(s) found" in message
    assert "events_bad_values.csv row 3, column 'weapon': 'katyusha' is not an accepted value" in (
        message
    )
    assert len(caught.value.problems) == 5


def test_dates_outside_the_period_and_countries_out_of_scope():
    problems = problems_of("events_out_of_scope.csv")
    messages = {(p.row, p.column): p.expected for p in problems}
    assert "outside the study period" in messages[(2, "date")]
    # attacks in Syria are in scope from 2019 (issue 12): only the coordinates are wrong
    assert (3, "country") not in messages
    # Baghdad's coordinates under country=Syria, and Paris under Jordan
    assert "outside Syria" in messages[(3, "latitude/longitude")]
    assert "outside Jordan" in messages[(4, "latitude/longitude")]


def test_duplicate_ids_and_inconsistent_ranges():
    problems = problems_of("events_duplicate_id.csv")
    messages = {(p.row, p.column): p.expected for p in problems}
    assert "duplicate (first used in row 2)" in messages[(4, "event_id")]
    # injured_max (2) below injured (5) for the 17 November 2020 row
    assert "must be >= injured" in messages[(3, "injured_max")]


def test_missing_column_is_named_with_the_columns_found():
    problems = problems_of("events_missing_column.csv")
    assert len(problems) == 1
    assert problems[0].column == "weapon"
    assert "missing column(s); found: event_id, date" in problems[0].expected


def test_uncited_events_and_orphan_sources():
    problems = problems_of("events_valid.csv", "event_sources_broken.csv")
    found = {
        (p.file.rsplit("/", 1)[-1], p.row, p.column, p.expected.split(" (")[0]) for p in problems
    }
    assert (
        "event_sources_broken.csv",
        2,
        "event_id",
        "points at no event in " + str(FIXTURES / "events_valid.csv"),
    ) in found
    assert ("event_sources_broken.csv", 3, "url", "is not a web address") in found
    uncited = [p for p in problems if "cited by no source" in p.expected]
    # A2020-0004 keeps its second source; the Tower 22 event lost both
    assert [p.value for p in uncited] == ["A2024-0043"]


def test_a_researchers_own_rows_can_be_validated_as_a_dataframe():
    events = toolkit.load_events()
    mine = events.iloc[:2].copy()
    mine["event_id"] = ["A2024-9001", "A2024-9001"]
    mine.loc[mine.index[1], "weapon"] = "drone"
    mine.loc[mine.index[0], "summary"] = " ".join(["word"] * 31)
    problems = toolkit.validate_events(pd.DataFrame(mine), raise_errors=False)
    assert {(p.row, p.column) for p in problems} == {(1, "event_id"), (0, "summary")}


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(toolkit.FormatError, match=r"not_there\.csv: file not found"):
        toolkit.validate_events(tmp_path / "not_there.csv")


# --- one engine for every table, reading files like the loaders (issue 15) ----------------------


def damaged(tmp_path, name: str, damage) -> str:
    """events_valid.csv damaged by ``damage`` (lines in, bytes out), written to ``tmp_path``.

    Built from the valid fixture at test time, so the damage stays the only difference when
    columns are added to the events table.
    """
    lines = (FIXTURES / "events_valid.csv").read_text(encoding="utf-8").split("\n")
    (tmp_path / name).write_bytes(damage(lines))
    return name


def problems_in(tmp_path, name):
    return toolkit.validate_events(
        tmp_path / name, FIXTURES / "event_sources_valid.csv", raise_errors=False
    )


def test_a_windows_1252_line_is_a_problem_with_file_and_line_not_a_decode_error(tmp_path):
    def cp1252_line_4(lines):
        # a spreadsheet on Windows re-saved one row: its curly apostrophe is byte 0x92
        line = lines[3].replace("drone hit troop living", "drone hit the troops’ living")
        assert line != lines[3]
        out = [x.encode("utf-8") for x in lines]
        out[3] = line.encode("cp1252")
        return b"\n".join(out)

    name = damaged(tmp_path, "events_cp1252.csv", cp1252_line_4)
    assert b"troops\x92 living" in (tmp_path / name).read_bytes()
    problems = problems_in(tmp_path, name)
    assert [(p.file.rsplit("/", 1)[-1], p.row, p.column) for p in problems] == [
        ("events_cp1252.csv", 4, "(whole row)")
    ]
    assert "is not valid UTF-8; decoded as Windows-1252" in problems[0].expected


def test_a_ragged_row_is_named_by_file_and_line_not_a_pandas_error(tmp_path):
    def extra_field_on_line_3(lines):
        lines[2] += ",an extra field"
        return "\n".join(lines).encode("utf-8")

    name = damaged(tmp_path, "events_ragged.csv", extra_field_on_line_3)
    width = (FIXTURES / "events_valid.csv").read_text(encoding="utf-8").split("\n")[0].count(",")
    problems = problems_in(tmp_path, name)
    assert [(p.file.rsplit("/", 1)[-1], p.row, p.column) for p in problems] == [
        ("events_ragged.csv", 3, "(whole row)")
    ]
    assert f"has {width + 2} fields (expected {width + 1})" in problems[0].expected
    with pytest.raises(toolkit.DataValidationError, match=r"events_ragged\.csv row 3"):
        toolkit.validate_events(tmp_path / name, FIXTURES / "event_sources_valid.csv")


def test_utf16_and_gzip_files_are_validated_like_utf8(tmp_path):
    name = damaged(tmp_path, "events_utf16.csv", lambda lines: "\r\n".join(lines).encode("utf-16"))
    assert (tmp_path / name).read_bytes().startswith(b"\xff\xfe")
    assert problems_in(tmp_path, name) == []
    packed = tmp_path / "events.csv.gz"
    packed.write_bytes(gzip.compress((FIXTURES / "events_bad_values.csv").read_bytes()))
    problems = toolkit.validate_events(
        packed, FIXTURES / "event_sources_valid.csv", raise_errors=False
    )
    assert {(p.row, p.column) for p in problems} == {
        (2, "date"),
        (2, "killed"),
        (3, "weapon"),
        (3, "us_confirmed"),
        (4, "country"),
    }


def test_loaded_acled_rows_validate_with_external_rules():
    events = toolkit.read_acled(REPO / "tests" / "fixtures" / "sources" / "acled_current.csv")
    problems = toolkit.validate_events(
        events, toolkit.event_sources(events), external=True, raise_errors=False
    )
    # only the protest: it has no canonical event type
    assert [(p.row, p.column, p.expected) for p in problems] == [
        (6, "event_type", "is empty (a value is required)")
    ]


def test_a_column_added_to_a_list_is_checked_without_code_changes(monkeypatch):
    languages = ("en", "ar", "ku", "fa")
    added = [
        schema.Column("language", "category", "Language of the report.", True, languages),
        schema.Column("accessed", "date", "When we read it.", required=False),
    ]
    monkeypatch.setattr(schema, "EVENT_SOURCES", [*schema.EVENT_SOURCES, *added])
    sources = toolkit.load_event_sources().iloc[:3].copy()
    sources["language"] = ["en", "arabic", None]
    sources["accessed"] = ["2024-02-01", "", "2024-02-30"]
    problems = toolkit.validate_table(
        sources, schema.EVENT_SOURCES, file="event_sources.csv", line_numbers=True
    )
    assert [(p.row, p.column, p.value) for p in problems] == [
        (4, "language", None),
        (3, "language", "arabic"),
        (4, "accessed", "2024-02-30"),  # no such day: not rolled over to 1 March
    ]
    assert "expected one of: en, ar, ku, fa" in problems[1].expected


def test_any_table_from_a_column_list_with_a_key_and_addresses():
    columns = [
        schema.Column("place_id", "str", "Id."),
        schema.Column("latitude", "float", "Latitude."),
        schema.Column("population", "int", "People.", required=False),
        schema.Column("source_url", "str", "Where it comes from."),
    ]
    table = pd.DataFrame(
        {
            "place_id": ["ain_al_asad", "harir", "ain_al_asad"],
            "latitude": ["33.7856", "north", "33.8"],
            "population": ["", "-4", "1200"],
            "source_url": ["https://www.geonames.org/98182", "geonames", "https://x.org/1"],
        }
    )
    problems = toolkit.validate_table(
        table, columns, file="places.csv", rows=[10, 11, 12], key="place_id"
    )
    assert {(p.row, p.column) for p in problems} == {
        (11, "latitude"),
        (11, "population"),
        (11, "source_url"),
        (12, "place_id"),
    }
    duplicate = next(p for p in problems if p.column == "place_id")
    assert duplicate.expected == "is a duplicate (first used in row 10)"


def test_country_check_is_one_vectorised_call_that_agrees_with_the_polygons():
    # Baghdad, Erbil, Tower 22 (Jordan, near the border), Al-Tanf (Syria), Paris
    lats = [33.3152, 36.1911, 33.3141, 33.5058, 48.8566]
    lons = [44.3661, 44.0092, 38.7034, 38.6178, 2.3522]
    as_given = ["Iraq", "Iraq", "Jordan", "Syria", "Jordan"]
    assert schema.outside_country(as_given, lats, lons).tolist() == [
        False,
        False,
        False,
        False,
        True,
    ]
    swapped = ["Syria", "Jordan", "Iraq", "Jordan", "Iraq"]
    assert schema.outside_country(swapped, lats, lons).all()
    # the generator geocoding.py uses gives the same rows
    assert list(schema._country_check(as_given, lats, lons)) == [(4, "Jordan")]
