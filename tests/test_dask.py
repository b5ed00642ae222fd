"""The Dask engine gives exactly the pandas engine's rows, selection, counts and problems."""

from __future__ import annotations

import warnings
import zipfile

import pandas as pd
import pytest

import toolkit
from conftest import REPO
from toolkit import scale
from toolkit.errors import FormatError
from toolkit.sources.gdelt import GDELT2_COLUMNS

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pytest.importorskip("dask_geopandas")

FIXTURES = REPO / "tests" / "fixtures" / "sources"
TEMPLATE = (FIXTURES / "gdelt2_sample.export.CSV").read_text(encoding="utf-8").splitlines()[0]


def gdelt_line(**values) -> str:
    """A GDELT 2.0 export line: the fixture's first row (Iran drone attack on Ain al-Asad,
    2020-01-08) with the given columns changed."""
    fields = dict(zip(GDELT2_COLUMNS, TEMPLATE.split("\t"), strict=True))
    for name, value in values.items():
        assert name in fields, name
        fields[name] = str(value)
    return "\t".join(fields.values())


def place(full_name, country, lat, lon, geo_type=4):
    return {
        "ActionGeo_FullName": full_name,
        "ActionGeo_CountryCode": country,
        "ActionGeo_Lat": lat,
        "ActionGeo_Long": lon,
        "ActionGeo_Type": geo_type,
    }


ERBIL = place("Erbil, Arbil, Iraq", "IZ", 36.1901, 44.0091)
TANF = place("Al Tanf, Hims, Syria", "SY", 33.4993, 38.6600)
RUKBAN = place("Rukban, Al Mafraq, Jordan", "JO", 33.3047, 38.7064)
BAGHDAD = place("Baghdad, Baghdad, Iraq", "IZ", 33.3386, 44.3939)
TEHRAN = place("Tehran, Tehran, Iran", "IR", 35.7500, 51.5148)


def day(n: int, date: str, **values) -> str:
    values.setdefault("DATEADDED", date.replace("-", "") + "031500")
    return gdelt_line(GLOBALEVENTID=n, SQLDATE=date.replace("-", ""), **values)


@pytest.fixture(scope="module")
def gdelt_files(tmp_path_factory):
    """Five hand-written GDELT files: plain, zipped like GDELT's, one with a damaged row."""
    folder = tmp_path_factory.mktemp("gdelt")
    us = {"Actor2Code": "USAMIL", "Actor2Name": "UNITED STATES", "Actor2CountryCode": "USA"}
    files = {
        "20200108.export.CSV": [
            day(1001, "2020-01-08", **us),  # the Ain al-Asad strike
            day(1002, "2020-01-08", **ERBIL, **us, EventCode="194", EventBaseCode="194"),
            day(
                1003,
                "2020-01-07",
                **BAGHDAD,
                EventCode="043",
                EventBaseCode="043",
                EventRootCode="04",
                Actor2Code="IRQGOV",
                Actor2CountryCode="IRQ",
            ),
        ],
        "20231020.export.CSV": [
            day(2001, "2023-10-20", **TANF, **us, EventCode="195", EventBaseCode="195"),
            day(
                2002,
                "2023-10-19",
                **TEHRAN,
                Actor2Code="IRN",
                Actor2CountryCode="IRN",
                Actor2Name="IRAN",
            ),
        ],
        "20240128.export.CSV": [
            day(3001, "2024-01-28", **RUKBAN, **us, EventCode="1952", EventBaseCode="195"),
            day(
                3002,
                "2024-01-28",
                **RUKBAN,
                Actor1Code="USAMIL",
                Actor1CountryCode="USA",
                Actor2Code="",
                Actor2CountryCode="",
                EventCode="195",
                EventBaseCode="195",
            ),
            # an impossible event date (added on 1 March): flagged, never rolled over
            day(3003, "2024-02-30", **BAGHDAD, **us, DATEADDED="20240301031500"),
        ],
    }
    paths = []
    for name, lines in files.items():
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    zipped = [
        day(4001, "2024-02-04", **TANF, **us),
        day(4002, "2024-02-04", **ERBIL, Actor2Code="IRQ", Actor2CountryCode="IRQ"),
    ]
    archive = folder / "20240204.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("20240204.export.CSV", "\n".join(zipped) + "\n")
    paths.append(archive)
    paths.append(FIXTURES / "gdelt1_sample_58.export.CSV")  # GDELT 1.0: 58 columns
    return paths


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=False,
            # tcp on loopback: the in-process transport looks up this machine's address by
            # "connecting" to 8.8.8.8, which the tests' network guard refuses
            protocol="tcp://",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


def pandas_read(paths, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", toolkit.ParseWarning)
        return toolkit.read_gdelt(paths, **kwargs)


def same_rows(lazy, eager: pd.DataFrame) -> None:
    """``lazy.compute()`` holds exactly ``eager``'s rows, values and dtypes, in order."""
    got = lazy.compute().reset_index(drop=True)
    eager = eager.reset_index(drop=True)
    # categories of country are the union of the partitions': same values, maybe other order
    got["country"] = got["country"].cat.set_categories(eager["country"].cat.categories)
    pd.testing.assert_frame_equal(got, eager)


def test_dask_engine_reads_exactly_the_pandas_rows(client, gdelt_files):
    lazy = toolkit.read_gdelt(gdelt_files, engine="dask")
    assert type(lazy).__module__.startswith("dask_geopandas")
    assert lazy.npartitions == len(gdelt_files)
    eager = pandas_read(gdelt_files)
    assert len(eager) == 12
    assert list(lazy.columns) == list(eager.columns)
    same_rows(lazy, eager)
    computed = lazy.compute()
    assert computed.crs == "EPSG:4326"
    # the meta is right: every column's dtype but the country's (categories known later)
    dtypes = lazy._meta.dtypes.drop("country")
    pd.testing.assert_series_equal(dtypes, computed.dtypes.drop("country"))
    assert computed["event_id"].tolist()[:3] == ["GDELT:1001", "GDELT:1002", "GDELT:1003"]


def test_dask_problems_table_names_file_line_and_value(client, gdelt_files):
    lazy = toolkit.read_gdelt(gdelt_files, engine="dask")
    found = toolkit.problems(lazy).compute().reset_index(drop=True)
    assert found.to_dict("records") == [
        {
            "file": str(gdelt_files[2]),
            "row": 3,
            "column": "SQLDATE",
            "value": "20240230",
            "expected": "is an impossible date (that month has no such day); left empty, not "
            "rolled over",
        }
    ]
    eager = toolkit.problems(pandas_read(gdelt_files))
    # the same table; its value column is text (pandas keeps numbers read as numbers)
    pd.testing.assert_frame_equal(found, eager.astype({"value": "string"}))
    flagged = lazy[~lazy["parse_problems"].isna()].compute()
    assert flagged["event_id"].tolist() == ["GDELT:3003"]
    with pytest.raises(FormatError, match="engine='dask'"):
        toolkit.problems(toolkit.select_attacks_on_us(lazy))


def test_blocks_of_a_large_file_give_the_same_rows_and_lines(client, gdelt_files, tmp_path):
    # one file holding all rows, read in blocks as long as its shortest line: one row each
    lines = []
    for path in gdelt_files[:3]:
        lines += path.read_text(encoding="utf-8").splitlines()
    big = tmp_path / "20240301.export.CSV"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    lazy = toolkit.read_gdelt(big, engine="dask", blocksize=min(len(x) for x in lines))
    assert lazy.npartitions == len(lines) == 8
    same_rows(lazy, pandas_read(big))
    found = toolkit.problems(lazy).compute()
    assert found[["row", "value"]].values.tolist() == [[8, "20240230"]]


def test_filters_run_before_mapping_and_agree(client, gdelt_files):
    kwargs = {"start": "2023-01-01", "end": "2024-12-31", "countries": ["Syria", "JO"]}
    lazy = toolkit.read_gdelt(gdelt_files, engine="dask", **kwargs)
    eager = pandas_read(gdelt_files, **kwargs)
    assert eager["event_id"].tolist() == ["GDELT:2001", "GDELT:3001", "GDELT:3002", "GDELT:4001"]
    same_rows(lazy, eager)
    everything = pandas_read(gdelt_files)
    inside = everything[everything["country"].isin(["Syria", "Jordan"])]
    inside = inside[inside["date"] >= "2023-01-01"]
    assert eager["event_id"].tolist() == inside["event_id"].tolist()
    # a box around Erbil only
    box = (43.5, 35.8, 44.5, 36.5)
    boxed = toolkit.read_gdelt(gdelt_files, engine="dask", bbox=box).compute()
    assert boxed["location"].unique().tolist() == ["Erbil"]
    assert boxed["event_id"].tolist() == ["GDELT:1002", "GDELT:4002"]
    with pytest.raises(FormatError, match="bbox"):
        toolkit.read_gdelt(gdelt_files, engine="dask", bbox=(45, 30, 40, 35))


def test_selection_and_counts_are_lazy_and_equal(client, gdelt_files):
    lazy = toolkit.read_gdelt(gdelt_files, engine="dask")
    eager = pandas_read(gdelt_files)
    selected = toolkit.select_attacks_on_us(lazy)
    assert type(selected).__module__.startswith("dask_geopandas")  # nothing computed yet
    expected = toolkit.select_attacks_on_us(eager)
    assert expected["event_id"].tolist() == [
        "GDELT:1001",
        "GDELT:1002",
        "GDELT:2001",
        "GDELT:3001",
        "GDELT:3003",
        "GDELT:4001",
    ]
    same_rows(selected, expected)
    flagged = toolkit.select_attacks_on_us(lazy, keep_all=True)
    same_rows(flagged, toolkit.select_attacks_on_us(eager, keep_all=True))

    weekly = toolkit.weekly_counts(selected, freq="M", by="country")
    assert hasattr(weekly, "dask")  # a dask.delayed object until computed
    pd.testing.assert_frame_equal(
        weekly.compute(), toolkit.weekly_counts(expected, freq="M", by="country")
    )
    compared = toolkit.compare_sources({"all": lazy, "selected": expected}, by="year")
    pd.testing.assert_frame_equal(
        compared.compute(), toolkit.compare_sources({"all": eager, "selected": expected}, by="year")
    )


def test_geoparquet_round_trip_with_filters(client, gdelt_files, tmp_path):
    lazy = toolkit.select_attacks_on_us(toolkit.read_gdelt(gdelt_files, engine="dask"))
    folder = scale.to_parquet(lazy, tmp_path / "selected.parquet")
    back = scale.read_parquet(folder)
    assert type(back).__module__.startswith("dask_geopandas")
    expected = toolkit.select_attacks_on_us(pandas_read(gdelt_files))
    same_rows(back, expected)
    assert back.compute().crs == "EPSG:4326"
    jordan = scale.read_parquet(
        folder, filters=[("country", "==", "Jordan"), ("date", ">=", pd.Timestamp("2024-01-01"))]
    ).compute()
    assert jordan["event_id"].tolist() == ["GDELT:3001"]


def test_acled_and_ucdp_files_as_partitions(client, tmp_path):
    files = [FIXTURES / "acled_current.csv", FIXTURES / "acled_current.csv.gz"]
    eager = pd.concat([toolkit.read_acled(f) for f in files], ignore_index=True)
    same_rows(toolkit.read_acled(files, engine="dask"), eager)
    ucdp = FIXTURES / "ucdp_ged_sample.csv"
    same_rows(toolkit.read_ucdp_ged(ucdp, engine="dask"), toolkit.read_ucdp_ged(ucdp))
    other = [FIXTURES / "acled_current.csv", FIXTURES / "acled_pre2019.csv"]
    with pytest.raises(FormatError, match="columns differ"):
        toolkit.read_acled(other, engine="dask").compute()


def test_unknown_engine_and_non_gdelt_file_fail_clearly(gdelt_files):
    with pytest.raises(FormatError, match="engine='spark' is not accepted"):
        toolkit.read_gdelt(gdelt_files, engine="spark")
    with pytest.raises(FormatError, match="looks like an ACLED export"):
        toolkit.read_gdelt([gdelt_files[0], FIXTURES / "acled_current.csv"], engine="dask")
