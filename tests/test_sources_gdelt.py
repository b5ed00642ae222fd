"""toolkit.read_gdelt: GDELT 2.0 (61 columns) and 1.0 (58, 57), one file or many."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit
from conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "sources"


def test_gdelt2_rows_keep_cameo_codes_as_text():
    events = toolkit.read_gdelt(FIXTURES / "gdelt2_sample.export.CSV")
    assert len(events) == 3
    assert events["gdelt_EventCode"].tolist() == ["195", "1951", "043"]
    assert events["gdelt_EventRootCode"].tolist() == ["19", "19", "04"]
    assert events["event_id"].tolist() == ["GDELT:900000001", "GDELT:900000002", "GDELT:900000003"]
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2020-01-08",
        "2020-01-03",
        "2020-03-11",
    ]
    assert events["gdelt_DATEADDED"].iloc[0] == pd.Timestamp("2020-01-08 03:15:00")
    assert events["event_type"].tolist()[:2] == ["attack", "us_strike"]
    assert pd.isna(events["event_type"].iloc[2])  # 043 (consult) is not violence
    assert events["weapon"].tolist() == ["drone", "airstrike", "unknown"]
    assert events["country"].tolist() == ["Iraq"] * 3
    assert (events["location"].iloc[0], events["admin1"].iloc[0]) == ("Ain Al Asad", "Al Anbar")
    assert (events["latitude"].iloc[0], events["longitude"].iloc[0]) == (33.7856, 42.4412)
    assert events["geo_precision"].tolist() == ["town", "town", "town"]
    assert "gdelt_Actor1Geo_ADM2Code" in events.columns


def test_gdelt1_files_with_58_and_57_columns():
    with_url = toolkit.read_gdelt(FIXTURES / "gdelt1_sample_58.export.CSV")
    without_url = toolkit.read_gdelt(FIXTURES / "gdelt1_sample_57.CSV")
    assert with_url["gdelt_EventCode"].tolist() == ["193", "0834"]
    assert with_url["weapon"].iloc[0] == "small_arms"
    assert with_url["geo_precision"].iloc[0] == "country"
    assert with_url["gdelt_SOURCEURL"].notna().all()
    assert without_url["gdelt_EventCode"].tolist() == ["183", "010"]
    assert without_url["weapon"].iloc[0] == "ied"
    assert without_url["gdelt_SOURCEURL"].isna().all()
    assert with_url["gdelt_Actor1Geo_ADM2Code"].isna().all()


def test_many_files_by_glob_and_by_list():
    by_glob = toolkit.read_gdelt(str(FIXTURES / "gdelt*.CSV"))
    assert len(by_glob) == 7
    assert by_glob["gdelt_file"].str.endswith("gdelt1_sample_57.CSV").sum() == 2
    by_list = toolkit.read_gdelt(
        [FIXTURES / "gdelt2_sample.export.CSV", FIXTURES / "gdelt1_sample_57.CSV"]
    )
    assert by_list["event_id"].tolist()[-1] == "GDELT:200000002"
    assert by_list["gdelt_EventCode"].tolist() == ["195", "1951", "043", "183", "010"]


def test_to_canonical_false_has_gdelt_columns_and_dtypes():
    events = toolkit.read_gdelt(FIXTURES / "gdelt2_sample.export.CSV", to_canonical=False)
    assert list(events.columns[:2]) == ["GLOBALEVENTID", "SQLDATE"]
    assert events["GLOBALEVENTID"].dtype == "Int64"
    assert events["ActionGeo_Lat"].dtype == "float64"
    assert events["EventCode"].tolist() == ["195", "1951", "043"]


def test_event_sources_are_the_article_urls():
    sources = toolkit.event_sources(toolkit.read_gdelt(FIXTURES / "gdelt2_sample.export.CSV"))
    assert sources["outlet"].tolist() == ["upi.com", "rudaw.net", "latimes.com"]


def test_an_acled_file_is_refused():
    with pytest.raises(toolkit.FormatError) as error:
        toolkit.read_gdelt(FIXTURES / "acled_current.csv")
    message = str(error.value)
    assert "acled_current.csv: not a GDELT event export" in message
    assert "61 fields" in message
    assert "58" in message
    assert "57" in message
    assert "read_acled" in message


def test_no_file_matches_the_pattern():
    with pytest.raises(toolkit.FormatError, match="no file matches"):
        toolkit.read_gdelt(str(FIXTURES / "nothing*.CSV"))


def test_real_gdelt1_daily_sample(shared_formats):
    path = shared_formats / "gdelt1_daily_20160728_head.export.CSV"
    events = toolkit.read_gdelt(path)
    assert len(events) == 509  # source.txt: 509 data rows
    assert events.attrs["n_problem_rows"] == 0
    assert (events["gdelt_DATEADDED"] == pd.Timestamp("2016-07-28")).all()
    first = events.iloc[0]
    assert first["event_id"] == "GDELT:564111644"
    assert first["date"] == pd.Timestamp("2006-07-31")
    assert first["gdelt_EventCode"] == "010"
    assert (first["latitude"], first["longitude"]) == (38.8973, -77.0083)
    last = events.iloc[-1]
    assert (last["event_id"], last["latitude"], last["longitude"]) == (
        "GDELT:564465142",
        -10.0,
        -76.0,
    )
    assert events["gdelt_EventCode"].str.startswith("0").sum() > 100  # leading zeros kept
    assert events["gdelt_EventCode"].str.len().min() == 3
    # the published 58 column names match ours
    labels = (shared_formats / "gdelt1_event_column_labels_Sep2016.tsv").read_text().split()
    assert tuple(labels[1:]) == toolkit.sources.gdelt.GDELT1_COLUMNS


def test_gdelt2_column_names_match_the_published_list(shared_formats):
    table = pd.read_csv(shared_formats / "gdelt2_events_column_labels_Sep2016.csv")
    assert tuple(table["tableId"]) == toolkit.sources.gdelt.GDELT2_COLUMNS
