"""Validation catches each class of bad row, naming file, row, column, value and what is accepted.

The fixtures are small copies of the shipped files (three real events and their sources), each
broken in a known way.
"""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit
from conftest import REPO

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
