"""The readers on files damaged the ways real exports get damaged (issue 15).

Each fixture in tests/fixtures/sources/ is hand-written in the real format and broken in one
known way: impossible dates, a spreadsheet's day/month order, one Windows-1252 line in a UTF-8
file, UTF-16, archives, binary files, long records with quoted line breaks, the pre-2019 ACLED
layout, UCDP Candidate placeholders.
"""

from __future__ import annotations

import copy
import warnings

import pandas as pd
import pytest

import toolkit
from conftest import REPO
from toolkit.sources import ParseWarning, _io

FIXTURES = REPO / "tests" / "fixtures" / "sources"


def quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParseWarning)
        return function(*args, **kwargs)


def day(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


# --- dates ------------------------------------------------------------------------------------


def test_impossible_acled_dates_are_flagged_not_rolled_over():
    with pytest.warns(ParseWarning, match="impossible date"):
        events = toolkit.read_acled(FIXTURES / "acled_impossible_dates.csv")
    by_id = events.set_index("event_id")
    # 2020-02-30 and 2021-02-29 are not moved to 1 March: left empty and flagged
    assert pd.isna(by_id.loc["ACLED:IRQ91001", "date"])
    assert pd.isna(by_id.loc["ACLED:IRQ91002", "date"])
    assert "'2020-02-30' is an impossible date" in by_id.loc["ACLED:IRQ91001", "parse_problems"]
    assert "not rolled over" in by_id.loc["ACLED:IRQ91002", "parse_problems"]
    # the real leap day and the real 1 March stay as they are
    assert day(by_id.loc["ACLED:IRQ91004", "date"]) == "2020-02-29"
    assert day(by_id.loc["ACLED:IRQ91005", "date"]) == "2020-03-01"
    assert events.attrs["n_problem_rows"] == 3
    assert isinstance(events.attrs["n_problem_rows"], int)


def test_bad_date_on_a_month_precision_row_is_flagged_not_a_type_error():
    events = quietly(toolkit.read_acled, FIXTURES / "acled_impossible_dates.csv")
    row = events.set_index("event_id").loc["ACLED:IRQ91003"]
    assert row["date_precision"] == "month"
    assert pd.isna(row["date"])
    assert "'2021-04-31' is an impossible date" in row["parse_problems"]
    assert row["date_note"].startswith("ACLED time_precision 3 (month); ACLED date missing")


def test_us_locale_resave_is_read_month_first_and_the_contradicting_row_flagged():
    with pytest.warns(ParseWarning):
        events = toolkit.read_acled(FIXTURES / "acled_us_locale_dates.csv")
    dates = dict(zip(events["event_id"], [day(v) for v in events["date"]], strict=True))
    # 3/13/2020 and 4/14/2021 can only be month-first: the ambiguous ones follow
    assert dates["ACLED:IRQ92001"] == "2020-01-03"  # 1/3/2020
    assert dates["ACLED:IRQ92002"] == "2020-01-08"  # 1/8/2020
    assert dates["ACLED:IRQ92003"] == "2020-03-11"  # 3/11/2020
    assert dates["ACLED:IRQ92004"] == "2020-03-13"
    assert dates["ACLED:IRQ92006"] == "2021-04-14"
    # 13/3/2020 can only be day-first: it contradicts the file and is left empty, flagged
    assert dates["ACLED:IRQ92007"] is None
    flagged = events.set_index("event_id")["parse_problems"]
    assert "can only be read day-first" in flagged["ACLED:IRQ92007"]
    assert flagged.drop("ACLED:IRQ92007").isna().all()
    order = events.attrs["date_order"]
    assert order.startswith("event_date: month-first (M/D/Y)")
    assert "1 day-first, 2 month-first; 4 ambiguous date(s) follow it" in order


def test_day_first_resave_and_its_impossible_date():
    with pytest.warns(ParseWarning):
        events = toolkit.read_acled(FIXTURES / "acled_day_first_dates.csv")
    dates = [day(v) for v in events["date"]]
    assert dates == ["2020-01-03", "2020-01-08", "2020-03-11", "2020-03-12", None]
    assert events.attrs["date_order"].startswith("event_date: day-first (D/M/Y)")
    assert "'30/2/2020' is an impossible date" in events["parse_problems"].iloc[4]


def test_gdelt_impossible_sqldate_is_flagged():
    with pytest.warns(ParseWarning, match="impossible date"):
        events = toolkit.read_gdelt(FIXTURES / "damaged_gdelt2_impossible_date.export.CSV")
    assert pd.isna(events["date"].iloc[0])
    assert day(events["date"].iloc[1]) == "2020-01-03"


def test_ucdp_reversed_range_impossible_date_and_candidate_placeholders():
    with pytest.warns(ParseWarning):
        events = toolkit.read_ucdp_ged(FIXTURES / "ucdp_candidate_damaged.csv")
    flagged = events.set_index("event_id")["parse_problems"]
    # the placeholders of the old ids are valid, kept as text and not flagged
    assert pd.isna(flagged["UCDP:910001"])
    assert pd.isna(flagged["UCDP:910002"])
    raw = events.set_index("event_id")
    assert raw.loc["UCDP:910002", "ucdp_side_a_dset_id"] == "NA"
    assert "date_end" in flagged["UCDP:910003"]
    assert "before date_start" in flagged["UCDP:910003"]
    assert day(raw.loc["UCDP:910003", "date"]) == "2020-03-14"  # kept as given, flagged
    assert "'2020-02-30' is an impossible date" in flagged["UCDP:910004"]
    assert events.attrs["n_problem_rows"] == 2


# --- encodings ----------------------------------------------------------------------------------


def test_one_windows_1252_line_is_decoded_alone_and_flagged():
    raw = (FIXTURES / "acled_mixed_encoding.csv").read_bytes()
    assert b"\x93Katyusha\x94" in raw
    assert "مطار أربيل".encode() in raw
    with pytest.warns(ParseWarning, match="not valid UTF-8"):
        events = toolkit.read_acled(FIXTURES / "acled_mixed_encoding.csv")
    notes = events.set_index("event_id")["summary"]
    # the Arabic of the other rows stays UTF-8 (no mojibake) ...
    assert "مطار أربيل الدولي" in notes["ACLED:IRQ94001"]
    assert "جلولاء" in notes["ACLED:IRQ94003"]
    # ... and the Windows-1252 line is read as such
    assert (
        "“Katyusha” rockets hit Camp Taji – the Iraqi army’s base; a café"
        in (notes["ACLED:IRQ94002"])
    )
    flagged = events.set_index("event_id")["parse_problems"].dropna()
    assert flagged.index.tolist() == ["ACLED:IRQ94002"]
    assert events.attrs["encoding"] == "utf-8 (1 line(s) decoded as cp1252)"
    assert [(p.row, p.column) for p in events.attrs["problems"]] == [(3, "(whole row)")]


def test_utf16_with_byte_order_mark():
    assert (FIXTURES / "acled_utf16.csv").read_bytes().startswith(b"\xff\xfe")
    events = toolkit.read_acled(FIXTURES / "acled_utf16.csv")
    assert events.attrs["encoding"] == "utf-16"
    assert events["event_id"].tolist() == ["ACLED:IRQ90001", "ACLED:IRQ90004"]
    assert "مطار أربيل الدولي" in events["summary"].iloc[1]
    assert events["parse_problems"].isna().all()


# --- archives and binary files ------------------------------------------------------------------


def test_gzip_reads_like_the_plain_file():
    plain = toolkit.read_acled(FIXTURES / "acled_current.csv")
    packed = toolkit.read_acled(FIXTURES / "acled_current.csv.gz")
    columns = [c for c in plain.columns if c != "geometry"]
    pd.testing.assert_frame_equal(packed[columns], plain[columns])


def test_zip_with_two_members_is_read_as_one_table():
    events = toolkit.read_acled(FIXTURES / "acled_two_members.zip")
    plain = toolkit.read_acled(FIXTURES / "acled_current.csv")
    assert events["event_id"].tolist() == plain["event_id"].tolist()
    assert [m.rsplit("!", 1)[1] for m in events.attrs["members"]] == [
        "acled_iraq_2020.csv",
        "acled_iraq_jordan_2021_2024.csv",
    ]


def test_gdelt_zip_as_published():
    events = toolkit.read_gdelt(FIXTURES / "gdelt2_sample.export.CSV.zip")
    plain = toolkit.read_gdelt(FIXTURES / "gdelt2_sample.export.CSV")
    assert len(events) == len(plain) == 3
    assert events["event_id"].tolist() == plain["event_id"].tolist()
    assert events["gdelt_file"].iloc[0].endswith("zip!gdelt2_sample.export.CSV")


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [
        ("acled_export_as_workbook.xlsx", "is an Excel workbook (.xlsx)"),
        ("acled_export_saved_as.pdf", "is a PDF document"),
        ("acled_export_as_xls.csv", "legacy Microsoft Office file"),
    ],
)
def test_binary_files_get_a_clear_error_without_binary_garbage(name, looks_like):
    for reader in (toolkit.read_acled, toolkit.read_ucdp_ged, toolkit.read_gdelt):
        with pytest.raises(toolkit.FormatError) as caught:
            reader(FIXTURES / name)
        message = str(caught.value)
        assert looks_like in message
        assert "found:" not in message  # no binary printed as "found columns"
        assert "\x00" not in message
        assert "\ufffd" not in message


def test_validate_events_reads_archives_and_names_binary_files(tmp_path):
    with pytest.raises(toolkit.FormatError, match="is a PDF document"):
        toolkit.validate_events(FIXTURES / "acled_export_saved_as.pdf")


# --- large files ----------------------------------------------------------------------------------


def test_quoted_line_breaks_and_records_longer_than_every_block(monkeypatch):
    # blocks of 300 bytes and a parser block of 256: the 4 KB record spans many of both
    monkeypatch.setattr(_io, "BLOCK_SIZE", 300)
    monkeypatch.setattr(_io, "PARSER_BLOCK", 256)
    events = toolkit.read_acled(FIXTURES / "acled_long_notes.csv")
    assert events["event_id"].tolist() == ["ACLED:IRQ95001", "ACLED:IRQ95002", "ACLED:IRQ95003"]
    assert events["summary"].iloc[0].count("Ain al-Asad") == 40
    assert "\r\n\r\n" in events["summary"].iloc[0]
    assert events["summary"].iloc[1].endswith("\n\nAnd a third after a blank line.")
    assert events["parse_problems"].isna().all()
    # rows are reported by the line where their record starts
    raw = _io.read_delimited(FIXTURES / "acled_long_notes.csv", block_size=300)
    assert raw.lines.tolist() == [2, 81, 85]


def test_ragged_row_after_multi_line_records_is_named_by_its_line(tmp_path):
    text = (FIXTURES / "acled_long_notes.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[-2] += ",one field too many"  # the last record (line 85)
    path = tmp_path / "acled_long_notes_ragged.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.warns(ParseWarning, match="row 85, column '\\(whole row\\)'"):
        events = toolkit.read_acled(path)
    assert events["event_id"].tolist()[-1] == "ACLED:IRQ95003"  # kept in its place
    assert "has 32 fields (expected 31)" in events["parse_problems"].iloc[-1]


def test_progress_bar_is_kept(capsys):
    events = toolkit.read_acled(FIXTURES / "acled_current.csv", progress=True)
    assert len(events) == 7
    assert "acled_current.csv" in capsys.readouterr().err


# --- older layouts ------------------------------------------------------------------------------


def test_pre_2019_acled_layout_is_read_and_mapped():
    text = (FIXTURES / "acled_pre2019.csv").read_text(encoding="utf-8")
    header = text.split("\n", 1)[0].split(",")
    assert header[0] == ""
    assert header[1:] == sorted(header[1:])
    assert "ALLY_ACTOR_1" in header
    assert "GWNO" in header
    assert "SUB_EVENT_TYPE" not in header
    events = toolkit.read_acled(FIXTURES / "acled_pre2019.csv")
    assert events.attrs["column_set"] == "pre-2019 (with a pandas index column)"
    by_id = events.set_index("event_id")
    green_zone = by_id.loc["ACLED:IRQ96001"]
    assert (green_zone["event_type"], green_zone["weapon"]) == ("attack", "mortar")
    assert green_zone["target_type"] == "diplomatic"
    assert day(green_zone["date"]) == "2018-09-07"
    clash = by_id.loc["ACLED:IRQ96002"]
    assert (clash["event_type"], clash["weapon"]) == ("attack", "small_arms")
    assert clash["acled_assoc_actor_1"] == "Popular Mobilization Forces"
    assert clash["acled_gwno"] == 645
    assert pd.isna(by_id.loc["ACLED:IRQ96003", "event_type"])  # Riots/Protests: no type
    assert by_id.loc["ACLED:IRQ96003", "date_precision"] == "week"
    assert events["parse_problems"].isna().all()
    selected = toolkit.select_attacks_on_us(events)
    assert selected["event_id"].tolist() == ["ACLED:IRQ96001"]


# --- problems -----------------------------------------------------------------------------------


def test_problems_are_a_shared_table_not_copied_with_every_operation():
    events = quietly(toolkit.read_acled, FIXTURES / "acled_bad_rows.csv")
    problems = events.attrs["problems"]
    # pandas deep-copies .attrs on every operation; the problems are shared, not copied
    assert copy.deepcopy(events.attrs)["problems"] is problems
    assert events.head(2).attrs["problems"] is problems
    table = toolkit.problems(events)
    assert list(table.columns) == ["file", "row", "column", "value", "expected"]
    assert table["row"].tolist() == [3, 4, 5]
    assert table["file"].str.endswith("acled_bad_rows.csv").all()
    assert events.attrs["n_problem_rows"] == 3
    assert events["parse_problems"].notna().sum() == 3
    assert len(toolkit.problems(toolkit.load_events())) == 0


def test_problems_survive_a_parquet_round_trip(tmp_path):
    events = quietly(toolkit.read_acled, FIXTURES / "acled_bad_rows.csv", to_canonical=False)
    events.to_parquet(tmp_path / "acled.parquet")  # pandas writes .attrs as JSON
    back = pd.read_parquet(tmp_path / "acled.parquet")
    assert [row[1:3] for row in back.attrs["problems"]] == [
        [3, "event_date"],
        [4, "latitude"],
        [5, "(whole row)"],
    ]


@pytest.mark.parametrize(
    "name",
    ["acled_2020_excel_resaved_iraq_syria.csv", "acled_legacy_2020_afghanistan.csv"],
)
def test_real_acled_samples_read_without_problems(shared_formats, name):
    events = toolkit.read_acled(shared_formats / name)
    assert len(events) > 100
    assert events["date"].notna().all()
    assert events.attrs["n_problem_rows"] == 0
    assert "date_order" not in events.attrs  # no D/M/Y dates in either


def test_real_ucdp_sample_with_multi_line_fields(shared_formats):
    path = shared_formats / "ucdp_ged_hdx_hxl_iraq_2017_2018.csv"
    events = toolkit.read_ucdp_ged(path)
    raw = _io.read_delimited(path, skip_after_names=1)
    assert len(events) == len(raw.frame)
    # lines count the line breaks inside quoted fields: they grow faster than the rows
    assert raw.lines[-1] > len(raw.frame) + 2
    assert events.attrs["n_problem_rows"] == 0
