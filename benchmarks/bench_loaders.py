"""Speed of toolkit.read_acled on a large ACLED export, against a bare pandas read of the same file.

Run from the repository root::

    .venv/bin/python benchmarks/bench_loaders.py               # 1,000,000 rows
    .venv/bin/python benchmarks/bench_loaders.py --rows 20000 --repeat 1
    .venv/bin/python benchmarks/bench_loaders.py --unique-coordinates    # worst case

The script writes a synthetic ACLED export in the current column set (31 columns, the header of
an ACLED download) to a temporary folder: rows drawn from templates of the kinds of events the
toolkit is about (rocket, drone and IED attacks on bases hosting US forces, US strikes, ISIS
clashes, protests, strategic developments) in Iraq, Syria and Jordan, with ACLED-style notes,
actors, inter codes as text, precisions, sources and timestamps. Events fall on 20,000 named
locations (15 real places and villages around them), each with one pair of coordinates as in
ACLED's gazetteer; ``--unique-coordinates`` gives every row its own point instead (the worst
case for building geometries). Nothing is downloaded.

It then times, in the same run and on the same file (best of ``--repeat`` runs each):

* the baseline: ``pandas.read_csv(path, engine="pyarrow")`` (types inferred, nothing else);
* ``toolkit.read_acled(path, to_canonical=False)``: the source's columns with checked dtypes;
* ``toolkit.read_acled(path)``: the canonical event schema (dates, mapped event types, weapons,
  precisions, geometry, the source's columns kept under ``acled_``);
* of that, the step that reads the notes of every attack for weapon and target keywords.

and prints seconds, rows per second and the ratio to the baseline. It never asserts a time.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import toolkit
from toolkit import schema
from toolkit.sources._canonical import keyword_codes
from toolkit.sources.acled import ACLED_COLUMNS

# the header of a current ACLED download, as the toolkit knows it
COLUMNS = list(ACLED_COLUMNS)

# (country, iso, admin1, admin2, location, latitude, longitude)
PLACES = [
    ("Iraq", 368, "Al Anbar", "Heet", "Ain al Asad Airbase", 33.7856, 42.4412),
    ("Iraq", 368, "Baghdad", "Karkh", "Baghdad - Green Zone", 33.3003, 44.3959),
    ("Iraq", 368, "Baghdad", "Abu Ghraib", "Baghdad International Airport", 33.2625, 44.2346),
    ("Iraq", 368, "Erbil", "Erbil", "Erbil International Airport", 36.2376, 43.9632),
    ("Iraq", 368, "Erbil", "Shaqlawa", "Harir", 36.5517, 44.3516),
    ("Iraq", 368, "Baghdad", "Taji", "Taji", 33.5239, 44.2567),
    ("Iraq", 368, "Dhi-Qar", "Nasiriyah", "Nasiriyah", 31.0439, 46.2576),
    ("Iraq", 368, "Babil", "Musayab", "Jurf al Sakhar", 32.8861, 44.1122),
    ("Iraq", 368, "Ninewa", "Mosul", "Mosul", 36.335, 43.1189),
    ("Iraq", 368, "Kirkuk", "Kirkuk", "Kirkuk", 35.4681, 44.3922),
    ("Iraq", 368, "Salah al-Din", "Tikrit", "Tikrit", 34.6071, 43.6782),
    ("Syria", 760, "Homs", "Tadmor", "Al Tanf", 33.5058, 38.6178),
    ("Syria", 760, "Deir-ez-Zor", "Deir-ez-Zor", "Conoco Gas Field", 35.3597, 40.2897),
    ("Syria", 760, "Hasakeh", "Hasakeh", "Ash Shaddadi", 36.0561, 40.7303),
    ("Jordan", 400, "Mafraq", "Ruwayshid", "Tower 22", 33.3141, 38.7034),
]

# (disorder_type, event_type, sub_event_type, actor1, inter1, actor2, inter2, notes template,
#  fatalities range, weight)
KINDS = [
    (
        "Political violence",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        "Unidentified Armed Group (Iraq)",
        "Political militia",
        "Military Forces of the United States (2021-)",
        "External/Other forces",
        "On {d}, {n} Katyusha rockets targeted {loc}, which hosts US forces. No casualties "
        "were reported. The rockets were fired from a truck parked nearby.",
        (0, 1),
        4,
    ),
    (
        "Political violence",
        "Explosions/Remote violence",
        "Air/drone strike",
        "Islamic Resistance in Iraq",
        "Political militia",
        "Military Forces of the United States (2021-)",
        "External/Other forces",
        "On {d}, the Islamic Resistance in Iraq claimed a drone attack on US forces at {loc}. "
        "US officials said the drone was shot down.",
        (0, 1),
        3,
    ),
    (
        "Political violence",
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        "Unidentified Armed Group (Iraq)",
        "Political militia",
        "Civilians (Iraq)",
        "Civilians",
        "On {d}, an IED exploded targeting a logistics convoy contracted by the US-led "
        "coalition near {loc}. No casualties were reported.",
        (0, 2),
        3,
    ),
    (
        "Political violence",
        "Explosions/Remote violence",
        "Air/drone strike",
        "Military Forces of the United States (2021-)",
        "External/Other forces",
        "Kataib Hezbollah",
        "Political militia",
        "On {d}, US forces carried out airstrikes on Kataib Hezbollah facilities near {loc}, "
        "killing {k} fighters.",
        (0, 8),
        1,
    ),
    (
        "Political violence",
        "Battles",
        "Armed clash",
        "Military Forces of Iraq (2020-)",
        "State forces",
        "Islamic State (Iraq)",
        "Rebel group",
        "On {d}, Iraqi forces clashed with IS militants near {loc}. {k} IS militants were killed.",
        (0, 5),
        5,
    ),
    (
        "Demonstrations",
        "Protests",
        "Peaceful protest",
        "Protesters (Iraq)",
        "Protesters",
        "",
        "",
        "On {d}, dozens of people demonstrated in {loc} to demand jobs and better services.",
        (0, 0),
        6,
    ),
    (
        "Strategic developments",
        "Strategic developments",
        "Disrupted weapons use",
        "Military Forces of Iraq (2020-)",
        "State forces",
        "",
        "",
        "On {d}, Iraqi security forces found and defused {n} rocket launchers near {loc}.",
        (0, 0),
        2,
    ),
]

SOURCES = [
    "Shafaq News",
    "Rudaw",
    "Kurdistan 24",
    "Reuters",
    "Associated Press",
    "Xinhua",
    "Shafaq News; Rudaw",
    "Baghdad Today; Shafaq News",
    "Military Times",
    "Al Mada",
]
SCALES = ["National", "Regional", "International", "National-International", "New media"]
MONTHS = pd.date_range("2019-10-01", "2024-12-31", freq="D")


def gazetteer(n_locations: int, seed: int = 0) -> pd.DataFrame:
    """The 15 real places and ``n_locations - 15`` villages around them, one coordinate pair each.

    ACLED codes every event to a named location and gives it that location's coordinates, so
    the same pair repeats across the events of a place (in the real 2020 Iraq and Syria cut
    in ``../shared/formats/``: 219 distinct pairs for 219 locations in 404 rows).
    """
    rng = np.random.default_rng(seed + 1)
    base = pd.DataFrame(PLACES)
    extra = max(n_locations - len(PLACES), 0)
    around = base.iloc[rng.integers(0, len(PLACES), size=extra)].reset_index(drop=True)
    around[4] = around[3] + " village " + pd.Series(range(1, extra + 1)).astype(str)
    around[5] = (around[5] + rng.uniform(-0.3, 0.3, size=extra)).round(4)
    around[6] = (around[6] + rng.uniform(-0.3, 0.3, size=extra)).round(4)
    return pd.concat([base, around], ignore_index=True)


def synthetic_acled(
    rows: int, seed: int = 0, locations: int = 20_000, unique_coordinates: bool = False
) -> pd.DataFrame:
    """A synthetic ACLED export (current column set) of ``rows`` rows, built without loops.

    Half the events fall on the 15 named places, the rest on ``locations`` villages around
    them; ``unique_coordinates`` moves every event by a few hundred metres instead (the
    worst case for building geometries: no two rows share a point).
    """
    rng = np.random.default_rng(seed)
    weights = np.array([k[-1] for k in KINDS], dtype=float)
    kind = rng.choice(len(KINDS), size=rows, p=weights / weights.sum())
    table = gazetteer(locations, seed)
    named = rng.random(rows) < 0.5
    place = np.where(
        named,
        rng.integers(0, len(PLACES), size=rows),
        rng.integers(len(PLACES), max(len(table), len(PLACES) + 1), size=rows) % len(table),
    )
    day = MONTHS[rng.integers(0, len(MONTHS), size=rows)]
    kinds = pd.DataFrame(KINDS, columns=[*range(10)]).iloc[kind].reset_index(drop=True)
    places = table.iloc[place].reset_index(drop=True)
    low, high = np.array([k[8] for k in KINDS]).T
    fatalities = (rng.random(rows) * (high[kind] - low[kind] + 1)).astype(int) + low[kind]
    n = rng.integers(2, 15, size=rows)
    when = pd.Series(day.strftime("%-d %B %Y"))
    loc = places[4]
    # one format per kind, filled column-wise
    notes = pd.Series("", index=range(rows), dtype=object)
    for i, (*_, template, _rng, _w) in enumerate(KINDS):
        mask = kind == i
        parts = template.split("{")
        built = pd.Series(parts[0], index=np.flatnonzero(mask), dtype=object)
        for part in parts[1:]:
            key, text = part.split("}", 1)
            value = {"d": when, "loc": loc, "n": pd.Series(n), "k": pd.Series(fatalities)}[key]
            built = built + value[mask].astype(str).to_numpy() + text
        notes[mask] = built
    jitter = np.zeros((rows, 2))
    if unique_coordinates:
        jitter = rng.normal(0, 0.01, size=(rows, 2)).round(4)
    admin3 = places[3].where(rng.random(rows) < 0.7, "")
    df = pd.DataFrame(
        {
            "event_id_cnty": (
                places[1].map({368: "IRQ", 760: "SYR", 400: "JOR"})
                + pd.Series(range(1, rows + 1)).astype(str)
            ),
            "event_date": day.strftime("%Y-%m-%d"),
            "year": day.year,
            "time_precision": rng.choice([1, 2, 3], size=rows, p=[0.9, 0.08, 0.02]),
            "disorder_type": kinds[0],
            "event_type": kinds[1],
            "sub_event_type": kinds[2],
            "actor1": kinds[3],
            "assoc_actor_1": "",
            "inter1": kinds[4],
            "actor2": kinds[5],
            "assoc_actor_2": "",
            "inter2": kinds[6],
            "interaction": kinds[4] + "-" + kinds[6],
            "civilian_targeting": "",
            "iso": places[1],
            "region": "Middle East",
            "country": places[0],
            "admin1": places[2],
            "admin2": places[3],
            "admin3": admin3,
            "location": loc,
            "latitude": (places[5] + jitter[:, 0]).round(4),
            "longitude": (places[6] + jitter[:, 1]).round(4),
            "geo_precision": rng.choice([1, 2, 3], size=rows, p=[0.6, 0.3, 0.1]),
            "source": np.array(SOURCES)[rng.integers(0, len(SOURCES), size=rows)],
            "source_scale": np.array(SCALES)[rng.integers(0, len(SCALES), size=rows)],
            "notes": notes,
            "fatalities": fatalities,
            "tags": "",
            "timestamp": 1700000000 + rng.integers(0, 30_000_000, size=rows),
        },
        columns=COLUMNS,
    )
    return df


def best_of(repeat: int, function) -> tuple[float, object]:
    """Smallest wall time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic file")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each reader (best kept)")
    parser.add_argument(
        "--locations", type=int, default=20_000, help="named locations (one coordinate pair each)"
    )
    parser.add_argument(
        "--unique-coordinates",
        action="store_true",
        help="move every event off its location (no two rows share a point: the worst case)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "acled_synthetic.csv"
        start = time.perf_counter()
        table = synthetic_acled(
            args.rows, locations=args.locations, unique_coordinates=args.unique_coordinates
        )
        pairs = len(table[["latitude", "longitude"]].drop_duplicates())
        table.to_csv(path, index=False)
        size = path.stat().st_size / 2**20
        print(
            f"wrote {args.rows:,} rows ({size:,.1f} MiB, ACLED current column set, "
            f"{pairs:,} distinct coordinate pairs) in {time.perf_counter() - start:.1f} s"
        )
        del table

        baseline, frame = best_of(args.repeat, lambda: pd.read_csv(path, engine="pyarrow"))
        print(f"rows read: {len(frame):,}")
        results = [("pandas.read_csv(engine='pyarrow') [baseline]", baseline)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw, frame = best_of(
                args.repeat, lambda: toolkit.read_acled(path, to_canonical=False, progress=False)
            )
            canonical, out = best_of(args.repeat, lambda: toolkit.read_acled(path, progress=False))
        # the step of the canonical mapping that reads every attack's notes (weapon and target
        # keywords), timed alone on the frame read above
        attack = out["event_type"].eq("attack").fillna(False).to_numpy()
        keywords, _ = best_of(
            args.repeat,
            lambda: keyword_codes(
                frame["notes"],
                attack,
                out["weapon"].cat.codes.to_numpy().copy(),
                schema.WEAPONS,
                schema.TARGET_TYPES,
            ),
        )
        results += [
            ("toolkit.read_acled(to_canonical=False)", raw),
            ("toolkit.read_acled(to_canonical=True)", canonical),
            (f"  of which notes keywords ({attack.sum():,} attacks)", keywords),
        ]
        assert len(out) == args.rows  # a wrong result would make the timing meaningless
        print(f"{'reader':<48} {'seconds':>8} {'rows/s':>12} {'x baseline':>11}")
        for name, seconds in results:
            print(
                f"{name:<48} {seconds:8.3f} {args.rows / seconds:12,.0f} "
                f"{seconds / baseline:10.2f}x"
            )
        print(f"(best of {args.repeat} runs each; same file, same process)")


if __name__ == "__main__":
    main()
