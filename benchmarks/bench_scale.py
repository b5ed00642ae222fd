"""GDELT-size work on Dask: read_gdelt(engine="dask") + select_attacks_on_us to Parquet.

Run from the repository root (needs the ``scale`` extra)::

    .venv/bin/python benchmarks/bench_scale.py                 # 200 files, 20,000,000 rows
    .venv/bin/python benchmarks/bench_scale.py --small         # 20 files, 400,000 rows
    .venv/bin/python benchmarks/bench_scale.py --files 100 --rows 5000000 --workers 2

The script writes GDELT 2.0 event exports (61 tab-separated columns, no header), each zipped as
GDELT publishes them (``20200108000000.export.CSV.zip`` holding one ``.CSV``), into a temporary
folder (or ``--data``, kept for later runs). Rows are drawn from templates of what GDELT codes
every day: statements, consultations, protests and fights around the world (Washington,
London, Moscow, Kabul, Lagos ...) and, a few percent of them, events in Iraq, Syria and Jordan,
among them drone and rocket attacks on US forces at Ain al-Asad, Erbil, al-Tanf and Tower 22
and US strikes; actors, CAMEO codes, Goldstein scale, tone, geography and source URLs vary.
Nothing is downloaded.

It then measures, in the same run:

* Dask: a ``LocalCluster`` this script starts (``--workers`` processes of one thread each, by
  default 2, i.e. 2 cores; the toolkit itself never starts one), then
  ``toolkit.read_gdelt(files, engine="dask")`` -> ``toolkit.select_attacks_on_us`` ->
  ``toolkit.scale.to_parquet``: seconds, rows read per second, the peak memory (RSS) of each
  worker process, sampled every 0.2 s, against the size of the data (zipped and unzipped);
* the same with the date/country filter pushed down (``countries=["Iraq", "Syria", "Jordan"]``
  tested on the raw rows before the mapping to the event schema);
* pandas: ``toolkit.read_gdelt(files)`` (the pandas engine) + ``select_attacks_on_us`` +
  ``to_parquet`` in this process on the largest slice of files that fits ``--pandas-rows``
  (default 2,000,000 rows; the whole data would not fit in memory at full size), and the
  ratio of the two engines' rows per second;

and checks that both engines selected the same events on that slice. It never asserts a time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

import toolkit
from toolkit import scale
from toolkit.sources.gdelt import GDELT2_COLUMNS

# (FullName, FIPS country, ADM1, lat, lon, GeoType, weight)
PLACES = [
    ("Washington, District of Columbia, United States", "US", "USDC", 38.8951, -77.0364, 3, 8),
    ("London, London, City of, United Kingdom", "UK", "UKH9", 51.5, -0.1167, 4, 5),
    ("Moscow, Moskva, Russia", "RS", "RS48", 55.7522, 37.6156, 4, 4),
    ("Beijing, Beijing, China", "CH", "CH22", 39.9289, 116.388, 4, 4),
    ("Paris, Ile-de-France, France", "FR", "FRA8", 48.8667, 2.3333, 4, 3),
    ("Kabul, Kabol, Afghanistan", "AF", "AF13", 34.5167, 69.1833, 4, 3),
    ("Lagos, Lagos, Nigeria", "NI", "NI05", 6.45306, 3.39583, 4, 3),
    ("New Delhi, Delhi, India", "IN", "IN07", 28.6, 77.2, 4, 4),
    ("Kyiv, Kyyiv, Misto, Ukraine", "UP", "UP12", 50.4333, 30.5167, 4, 4),
    ("Gaza, Israel (general), Israel", "IS", "IS00", 31.5, 34.4667, 4, 3),
    ("Beirut, Beyrouth, Lebanon", "LE", "LE04", 33.8719, 35.5097, 4, 2),
    ("Tehran, Tehran, Iran", "IR", "IR26", 35.75, 51.5148, 4, 3),
    ("Baghdad, Baghdad, Iraq", "IZ", "IZ07", 33.3386, 44.3939, 4, 3),
    ("Ain Al Asad, Al Anbar, Iraq", "IZ", "IZ01", 33.7856, 42.4412, 4, 1),
    ("Erbil, Arbil, Iraq", "IZ", "IZ11", 36.1901, 44.0091, 4, 1),
    ("Al Tanf, Hims, Syria", "SY", "SY11", 33.4993, 38.66, 4, 1),
    ("Damascus, Dimashq, Syria", "SY", "SY13", 33.5102, 36.2913, 4, 1),
    ("Rukban, Al Mafraq, Jordan", "JO", "JO20", 33.3047, 38.7064, 4, 1),
    ("Iraq", "IZ", "IZ", 33.0, 44.0, 1, 1),
    ("Syria", "SY", "SY", 35.0, 38.0, 1, 1),
]
# (Actor1Code, Actor1Name, Actor1Country, Actor2Code, Actor2Name, Actor2Country)
ACTORS = [
    ("USAGOV", "UNITED STATES", "USA", "RUSGOV", "RUSSIA", "RUS"),
    ("GBRGOV", "UNITED KINGDOM", "GBR", "FRA", "FRANCE", "FRA"),
    ("CHN", "CHINA", "CHN", "USA", "UNITED STATES", "USA"),
    ("IRN", "IRAN", "IRN", "USAMIL", "UNITED STATES", "USA"),
    ("IRQGOV", "IRAQ", "IRQ", "USAGOV", "UNITED STATES", "USA"),
    ("IRQREB", "MILITIA", "IRQ", "USAMIL", "UNITED STATES", "USA"),
    ("USAMIL", "UNITED STATES", "USA", "IRQREB", "KATAIB HEZBOLLAH", "IRQ"),
    ("SYRGOV", "SYRIA", "SYR", "SYRREB", "REBEL", "SYR"),
    ("JOR", "JORDAN", "JOR", "USA", "UNITED STATES", "USA"),
    ("AFGGOV", "AFGHANISTAN", "AFG", "TAL", "TALIBAN", "AFG"),
    ("NGAPOL", "NIGERIA", "NGA", "NGACVL", "NIGERIA", "NGA"),
    ("IND", "INDIA", "IND", "PAK", "PAKISTAN", "PAK"),
    ("UKR", "UKRAINE", "UKR", "RUSMIL", "RUSSIA", "RUS"),
    ("ISR", "ISRAEL", "ISR", "PSE", "PALESTINE", "PSE"),
    ("", "", "", "", "", ""),
]
# (EventCode, weight): statements, consultations, cooperation, protest, force
CAMEO = [
    ("010", 12), ("020", 5), ("036", 5), ("042", 8), ("043", 8), ("051", 6), ("057", 3),
    ("112", 5), ("120", 3), ("141", 3), ("173", 3), ("180", 2), ("183", 1), ("190", 3),
    ("193", 2), ("194", 1), ("195", 1), ("1951", 1), ("1952", 1),
]  # fmt: skip
DOMAINS = ["reuters.com", "apnews.com", "aljazeera.com", "bbc.co.uk", "rudaw.net", "thehindu.com"]


def templates(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` GDELT rows as (the fields from Actor1Code to ActionGeo_FeatureID, SOURCEURL);
    the ids and dates are filled in per file."""
    rng = np.random.default_rng(seed)
    place_w = np.array([p[-1] for p in PLACES], dtype=float)
    code_w = np.array([c[1] for c in CAMEO], dtype=float)
    out = []
    for i in range(n):
        place = PLACES[rng.choice(len(PLACES), p=place_w / place_w.sum())]
        actors = ACTORS[rng.integers(len(ACTORS))]
        code = CAMEO[rng.choice(len(CAMEO), p=code_w / code_w.sum())][0]
        root = code[:2]
        quad = 1 if root < "06" else 2 if root < "09" else 3 if root < "15" else 4
        name, country, adm1, lat, lon, geo_type, _ = place
        fields = dict.fromkeys(GDELT2_COLUMNS, "")
        fields.update(
            {
                "Actor1Code": actors[0],
                "Actor1Name": actors[1],
                "Actor1CountryCode": actors[2],
                "Actor2Code": actors[3],
                "Actor2Name": actors[4],
                "Actor2CountryCode": actors[5],
                "IsRootEvent": str(int(rng.integers(2))),
                "EventCode": code,
                "EventBaseCode": code[:3],
                "EventRootCode": root,
                "QuadClass": str(quad),
                "GoldsteinScale": f"{rng.uniform(-10, 10):.1f}",
                "NumMentions": str(int(rng.integers(1, 40))),
                "NumSources": str(int(rng.integers(1, 6))),
                "NumArticles": str(int(rng.integers(1, 40))),
                "AvgTone": f"{rng.normal(-2, 3):.6f}",
                "SOURCEURL": f"https://www.{DOMAINS[i % len(DOMAINS)]}/news/{seed}-{i}.html",
            }
        )
        for prefix in ("Actor1", "Actor2", "Action"):
            fields.update(
                {
                    f"{prefix}Geo_Type": str(geo_type),
                    f"{prefix}Geo_FullName": name,
                    f"{prefix}Geo_CountryCode": country,
                    f"{prefix}Geo_ADM1Code": adm1,
                    f"{prefix}Geo_ADM2Code": f"{adm1}{i % 97:02d}" if geo_type > 1 else "",
                    f"{prefix}Geo_Lat": f"{lat + rng.normal(0, 0.01):.4f}",
                    f"{prefix}Geo_Long": f"{lon + rng.normal(0, 0.01):.4f}",
                    f"{prefix}Geo_FeatureID": str(-3000000 - i),
                }
            )
        values = list(fields.values())
        out.append(("\t".join(values[5:-2]), values[-1]))
    return out


def write_file(args) -> tuple[str, int, int]:
    folder, number, rows, first_id, seed = args
    rng = np.random.default_rng(seed)
    pool = templates(400, seed)
    day = pd.Timestamp("2019-10-01") + pd.Timedelta(days=number * 7 % 2600)
    added = day.strftime("%Y%m%d") + "000000"
    back = rng.integers(0, 4, rows)
    dates = [(day - pd.Timedelta(days=int(b))).strftime("%Y%m%d") for b in range(4)]
    year_month = [d[:6] for d in dates]
    fraction = [f"{d[:4]}.{int(d[4:6]) * 8:04d}" for d in dates]
    heads = [f"{dates[b]}\t{year_month[b]}\t{dates[b][:4]}\t{fraction[b]}" for b in range(4)]
    picks = rng.integers(0, len(pool), rows)
    lines = [
        f"{first_id + k}\t{heads[b]}\t{pool[i][0]}\t{added}\t{pool[i][1]}"
        for k, (b, i) in enumerate(zip(back.tolist(), picks.tolist(), strict=True))
    ]
    name = f"{added}.export.CSV"
    path = Path(folder) / f"{name}.zip"
    text = ("\n".join(lines) + "\n").encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(name, text)
    return str(path), rows, len(text)


def generate(folder: Path, n_files: int, n_rows: int, processes: int) -> tuple[list, int, int]:
    per_file = [n_rows // n_files + (1 if i < n_rows % n_files else 0) for i in range(n_files)]
    starts = np.concatenate([[1], 1 + np.cumsum(per_file)[:-1]])
    jobs = [(str(folder), i, per_file[i], int(starts[i]), 1000 + i) for i in range(n_files)]
    with multiprocessing.Pool(processes) as pool:
        written = pool.map(write_file, jobs)
    return [w[0] for w in written], sum(w[1] for w in written), sum(w[2] for w in written)


class Peak:
    """Peak RSS of each process ``sample()`` returns, sampled in a thread every 0.2 s."""

    def __init__(self, sample):
        self.sample, self.peak, self._stop = sample, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                for key, value in self.sample().items():
                    self.peak[key] = max(self.peak.get(key, 0), value)
            except Exception:  # a worker restarting: sample again next time
                pass
            self._stop.wait(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def gib(n: float) -> str:
    return f"{n / 2**30:.2f} GiB"


def run_dask(files, out: Path, client, **filters) -> tuple[float, dict, int]:
    if out.exists():
        shutil.rmtree(out)
    with Peak(lambda: client.run(rss)) as peak:
        began = time.perf_counter()
        events = toolkit.read_gdelt(files, engine="dask", **filters)
        selected = toolkit.select_attacks_on_us(events)
        scale.to_parquet(selected, out)
        seconds = time.perf_counter() - began
    n_selected = len(scale.read_parquet(out, columns=["event_id"]).compute())
    return seconds, peak.peak, n_selected


def run_pandas(files, out: Path) -> tuple[float, int, pd.DataFrame]:
    if out.exists():
        shutil.rmtree(out)
    base = rss()
    with Peak(lambda: {"this process": rss()}) as peak:
        began = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", toolkit.ParseWarning)
            events = toolkit.read_gdelt(files)
        selected = toolkit.select_attacks_on_us(events)
        del events
        scale.to_parquet(selected, out)
        seconds = time.perf_counter() - began
    return seconds, peak.peak["this process"] - base, selected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200, help="zipped files (default 200)")
    parser.add_argument("--rows", type=int, default=20_000_000, help="rows in all (20,000,000)")
    parser.add_argument("--small", action="store_true", help="20 files, 400,000 rows")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (1 thread)")
    parser.add_argument("--memory-limit", default="4GiB", help="per worker (default 4GiB)")
    parser.add_argument("--pandas-rows", type=int, default=2_000_000, help="pandas slice cap")
    parser.add_argument("--data", type=Path, help="folder for the files (kept; reused)")
    args = parser.parse_args()
    if args.small:
        args.files, args.rows = 20, 400_000
    import dask
    import distributed

    own = args.data is None
    folder = Path(tempfile.mkdtemp(prefix="bench_scale_")) if own else args.data
    folder.mkdir(parents=True, exist_ok=True)
    try:
        began = time.perf_counter()
        existing = sorted(folder.glob("*.export.CSV.zip"))
        if len(existing) == args.files and not own:
            files, zipped = [str(p) for p in existing], sum(p.stat().st_size for p in existing)
            with zipfile.ZipFile(existing[0]) as z:
                per_file = z.infolist()[0].file_size
            n_rows, raw_bytes = args.rows, per_file * len(existing)
            print(f"reusing {len(files)} files in {folder}")
        else:
            for old in existing:
                old.unlink()
            files, n_rows, raw_bytes = generate(folder, args.files, args.rows, args.workers)
            zipped = sum(Path(f).stat().st_size for f in files)
            print(
                f"wrote {n_rows:,} rows in {len(files)} zipped GDELT 2.0 files "
                f"({gib(zipped)} zipped, {gib(raw_bytes)} unzipped) in "
                f"{time.perf_counter() - began:.0f} s"
            )
        print(f"dask {dask.__version__}, distributed {distributed.__version__}, pandas "
              f"{pd.__version__}; {os.cpu_count()} CPUs on this machine")  # fmt: skip

        with (
            distributed.LocalCluster(
                n_workers=args.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                memory_limit=args.memory_limit,
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            print(f"LocalCluster: {args.workers} worker process(es) x 1 thread, memory limit "
                  f"{args.memory_limit} each")  # fmt: skip
            seconds, peaks, n_selected = run_dask(files, folder / "selected.parquet", client)
            dask_rate = n_rows / seconds
            peak = max(peaks.values()) if peaks else 0
            print(
                f"[dask] read_gdelt + select_attacks_on_us -> Parquet: {seconds:.1f} s, "
                f"{dask_rate:,.0f} rows/s, {n_selected:,} rows selected"
            )
            print(
                f"[dask] peak worker memory (RSS): {gib(peak)} (max of {len(peaks)} workers; "
                f"data: {gib(raw_bytes)} unzipped, {gib(zipped)} zipped; "
                f"peak / unzipped data = {peak / raw_bytes:.2f})"
            )
            seconds_f, peaks_f, n_filtered = run_dask(
                files,
                folder / "selected_filtered.parquet",
                client,
                countries=["Iraq", "Syria", "Jordan"],
            )
            print(
                f"[dask, countries filter before mapping] {seconds_f:.1f} s, "
                f"{n_rows / seconds_f:,.0f} rows/s, {n_filtered:,} rows selected, peak "
                f"{gib(max(peaks_f.values()) if peaks_f else 0)}"
            )

            per_file = n_rows / len(files)
            k = max(1, min(len(files), int(args.pandas_rows // per_file)))
            slice_rows = round(per_file * k)
            p_seconds, p_memory, p_selected = run_pandas(files[:k], folder / "pandas.parquet")
            pandas_rate = slice_rows / p_seconds
            print(
                f"[pandas] same work on the largest slice that fits --pandas-rows: {k} files, "
                f"{slice_rows:,} rows: {p_seconds:.1f} s, {pandas_rate:,.0f} rows/s, memory "
                f"+{gib(p_memory)} (x{len(files) / k:.0f} for all the data)"
            )
            # the same slice through Dask selects the same events
            check = toolkit.select_attacks_on_us(toolkit.read_gdelt(files[:k], engine="dask"))
            same = sorted(check["event_id"].compute()) == sorted(p_selected["event_id"])
            print(f"[check] dask and pandas select the same {len(p_selected):,} events: {same}")
        print(f"ratio dask / pandas rows/s: {dask_rate / pandas_rate:.2f}x")
    finally:
        if own:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
