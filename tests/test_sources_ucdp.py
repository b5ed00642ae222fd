"""toolkit.read_ucdp_ged: the GED CSV (49 columns) and the HDX republication with HXL tags."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit
from conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "sources"


def test_ged_csv_with_49_columns():
    raw = toolkit.read_ucdp_ged(FIXTURES / "ucdp_ged_sample.csv", to_canonical=False)
    assert len(raw.columns) == 49 + 1  # + parse_problems
    assert raw["date_start"].dtype == "datetime64[us]"
    events = toolkit.read_ucdp_ged(FIXTURES / "ucdp_ged_sample.csv")
    assert events["event_id"].tolist() == ["UCDP:900001", "UCDP:900002", "UCDP:900003"]
    assert events["event_type"].tolist() == ["attack", "us_strike", "attack"]
    assert events["weapon"].tolist() == ["unknown", "airstrike", "ied"]
    assert events["geo_precision"].tolist() == ["town", "governorate", "district"]
    assert events["date_precision"].tolist() == ["day", "day", "month"]
    assert events["date"].tolist()[2] == pd.Timestamp("2020-03-01")
    assert events["date_note"].iloc[2] == "UCDP date_prec 4: 2020-03-01 to 2020-03-31"
    assert events["killed"].tolist() == [2, 1, 2]
    assert events["killed_max"].tolist() == [3, 1, 2]
    assert events["figures_disputed"].tolist() == [True, False, False]
    assert events["parse_problems"].isna().all()


def test_hdx_file_drops_the_hxl_row_and_keeps_multiline_fields():
    raw_bytes = (FIXTURES / "ucdp_hdx_hxl_sample.csv").read_bytes()
    assert b"\r\n,#date+year," in raw_bytes
    assert b"bomb\nkills" in raw_bytes
    events = toolkit.read_ucdp_ged(FIXTURES / "ucdp_hdx_hxl_sample.csv")
    assert events.attrs["hxl_row_removed"] is True
    assert len(events) == 3
    assert not events["ucdp_id"].isna().any()
    assert events["event_id"].tolist() == ["UCDP:900011", "UCDP:900012", "UCDP:900013"]
    assert events["summary"].iloc[1] == "Iraq: roadside bomb\nkills two farmers in Diyala"
    assert events["weapon"].iloc[1] == "ied"
    assert events["date_precision"].tolist() == ["day", "week", "month"]
    assert events["admin1"].iloc[0] == "Şalāḩ ad Dīn province"
    sources = toolkit.event_sources(events)
    assert sources["outlet"].tolist() == [
        "Agence France Presse",
        "BBC Monitoring Middle East",
        "Xinhua",
    ]
    assert sources["published"].iloc[0] == pd.Timestamp("2020-05-02")


def test_an_acled_file_is_refused():
    with pytest.raises(toolkit.FormatError) as error:
        toolkit.read_ucdp_ged(FIXTURES / "acled_current.csv")
    message = str(error.value)
    assert "not a UCDP GED file: missing column(s) id, type_of_violence" in message
    assert "found: event_id_cnty, event_date" in message
    assert "read_acled" in message


def test_real_hdx_sample(shared_formats):
    path = shared_formats / "ucdp_ged_hdx_hxl_iraq_2017_2018.csv"
    events = toolkit.read_ucdp_ged(path)
    assert len(events) == 854  # source.txt: 854 data rows plus the HXL row
    assert events["ucdp_year"].value_counts().to_dict() == {2017: 600, 2018: 254}
    assert events.attrs["hxl_row_removed"] is True
    assert events.attrs["n_problem_rows"] == 0
    first = events.iloc[0]
    assert first["event_id"] == "UCDP:245037"
    assert (first["latitude"], first["longitude"]) == (36.335, 43.118889)
    assert first["ucdp_date_start"] == pd.Timestamp("2017-01-08")
    last = events.iloc[-1]
    assert (last["event_id"], last["latitude"], last["longitude"]) == (
        "UCDP:274540",
        36.379134,
        42.448065,
    )
    assert last["ucdp_date_start"] == pd.Timestamp("2018-12-25")
    assert events["ucdp_source_article"].str.contains("\n").sum() > 0  # multi-line fields
    assert events["ucdp_date_start"].min() == pd.Timestamp("2017-01-01")
    assert events["ucdp_date_start"].max() == pd.Timestamp("2018-12-25")
