"""Speed of validate_events and select_attacks_on_us, against read_acled on the same file.

Run from the repository root::

    .venv/bin/python benchmarks/bench_validate.py                      # 20,000 and 1,000,000 rows
    .venv/bin/python benchmarks/bench_validate.py --rows 20000 --repeat 1

For each size, the script writes a synthetic ACLED export in the current column set (the same
generator as ``bench_loaders.py``: events on 20,000 named locations in Iraq, Syria and Jordan
with ACLED-style notes, actors and precisions; nothing is downloaded), then times in one
process, best of ``--repeat`` runs each:

* ``toolkit.read_acled(path)`` (the canonical event schema) -- the reference;
* ``toolkit.validate_events(events, sources, external=True, raise_errors=False)``, with
  ``sources = toolkit.event_sources(events)`` built beforehand (every event checked for types,
  allowed values, study period, country scope, coordinates inside the country polygon, unique
  ids, and cited by a source);
* ``toolkit.select_attacks_on_us(events)``.

and prints seconds and the ratio of each to ``read_acled`` (issue 15 asks for at most 2x). It
never asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_loaders import best_of, synthetic_acled

import toolkit


def run(rows: int, repeat: int, folder: Path) -> None:
    path = folder / f"acled_synthetic_{rows}.csv"
    start = time.perf_counter()
    synthetic_acled(rows).to_csv(path, index=False)
    size = path.stat().st_size / 2**20
    print(f"\nwrote {rows:,} rows ({size:,.1f} MiB) in {time.perf_counter() - start:.1f} s")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read, events = best_of(repeat, lambda: toolkit.read_acled(path, progress=False))
    assert len(events) == rows  # a wrong result would make the timing meaningless
    sources = toolkit.event_sources(events)
    validate, problems = best_of(
        repeat,
        lambda: toolkit.validate_events(events, sources, external=True, raise_errors=False),
    )
    select, selected = best_of(repeat, lambda: toolkit.select_attacks_on_us(events))
    print(
        f"rows read: {len(events):,}; sources rows: {len(sources):,}; problems found: "
        f"{len(problems):,}; attacks on US selected: {len(selected):,}"
    )
    print(f"{'step':<58} {'seconds':>8} {'x read_acled':>13}")
    for name, seconds in (
        ("toolkit.read_acled(path) [reference]", read),
        ("toolkit.validate_events(events, sources, external=True)", validate),
        ("toolkit.select_attacks_on_us(events)", select),
    ):
        print(f"{name:<58} {seconds:8.3f} {seconds / read:12.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[20_000, 1_000_000],
        help="sizes of the synthetic files (rows)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step (best kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            run(rows, args.repeat, Path(folder))
    print(f"\n(best of {args.repeat} runs each; same file, same process)")


if __name__ == "__main__":
    main()
