"""Accuracy of ``toolkit.extract_events`` on the hand-written reports of the tests.

Reads ``tests/fixtures/reports/reports.json`` (reports written for this project in the style
of wire and regional reports, English and Arabic, each with the rows a researcher would
record; the rules were developed on them) and ``heldout.json`` (reports written afterwards,
never used to tune the rules), runs ``extract_events`` on each and prints, per set:

- recall: expected events found with the exact date and a place within 15 km;
- precision: candidate rows that are such a match of an expected event;
- background: candidate rows produced by reports that only give background (should be 0);
- per-field accuracy over the matched pairs (a field counts as right when the extracted value
  equals the expected one, "not reported" included);
- the misses and false rows, so a reader can see what fails.

Run: ``PYTHONPATH=$PWD python benchmarks/extract_accuracy.py`` (``--quiet``: figures only).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / "tests" / "fixtures" / "reports" / "reports.json"
#: Reports written after the rules were tuned on ``reports.json`` and never tuned on.
HELDOUT = REPO / "tests" / "fixtures" / "reports" / "heldout.json"
FIELDS = (
    "event_type",
    "date_precision",
    "site_id",
    "weapon",
    "target_type",
    "projectiles",
    "killed",
    "injured",
    "claimed_by",
    "us_confirmed",
    "launched_from",
)
DEFAULTS = {"event_type": "attack", "date_precision": "day", "claimed_by": ""}


def load_reports(path: Path = REPORTS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def _value(v):
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        v = v.item()
    return v


def _km(lat1, lon1, lat2, lon2) -> float:
    if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in (lat1, lon1, lat2, lon2)):
        return math.inf
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def score(reports: list[dict]) -> dict:
    """Run extract_events on every report; return the counts, per-field tallies and errors."""
    import toolkit

    places = toolkit.load_places().set_index("place_id")
    found_total = expected_total = candidates_total = true_rows = background_rows = 0
    field_right = dict.fromkeys(FIELDS, 0)
    field_seen = dict.fromkeys(FIELDS, 0)
    misses, false_rows, wrong = [], [], []
    for report in reports:
        got = toolkit.extract_events(report["text"], report["published"])
        candidates_total += len(got)
        if not report["expected"]:
            background_rows += len(got)
        used: set[int] = set()
        for exp in report["expected"]:
            expected_total += 1
            place = places.loc[exp["place"]]
            match = None
            for k, row in got.iterrows():
                if k in used or row["date"] != pd.Timestamp(exp["date"]):
                    continue
                if (
                    _km(row["latitude"], row["longitude"], place["latitude"], place["longitude"])
                    <= 15
                ):
                    match = k
                    break
            if match is None:
                misses.append(f"{report['id']}: {exp['date']} {exp['place']}")
                continue
            used.add(match)
            found_total += 1
            row = got.loc[match]
            for field in FIELDS:
                want = exp.get(field, DEFAULTS.get(field))
                have = _value(row[field])
                if field == "claimed_by":
                    have = have or ""
                field_seen[field] += 1
                if want == have:
                    field_right[field] += 1
                else:
                    wrong.append(f"{report['id']} {field}: expected {want!r}, got {have!r}")
        true_rows += len(used)
        for k, row in got.iterrows():
            if k not in used:
                false_rows.append(f"{report['id']}: {row['date'].date()} {row['location']!r}")
    return {
        "reports": len(reports),
        "expected": expected_total,
        "found": found_total,
        "candidates": candidates_total,
        "true_rows": true_rows,
        "background_rows": background_rows,
        "recall": found_total / expected_total if expected_total else float("nan"),
        "precision": true_rows / candidates_total if candidates_total else float("nan"),
        "fields": {f: (field_right[f], field_seen[f]) for f in FIELDS},
        "misses": misses,
        "false_rows": false_rows,
        "wrong": wrong,
    }


def report(name: str, reports: list[dict], quiet: bool) -> None:
    t0 = time.perf_counter()
    result = score(reports)
    seconds = time.perf_counter() - t0
    n_ar = sum(r["lang"] == "ar" for r in reports)
    print(f"== {name}")
    print(
        f"{result['reports']} reports ({n_ar} Arabic), {result['expected']} expected events, "
        f"{result['candidates']} candidate rows ({seconds:.1f} s)"
    )
    print(
        f"recall    {result['recall']:.3f}  "
        f"({result['found']}/{result['expected']} expected events "
        "found with the exact date and a place within 15 km)"
    )
    print(
        f"precision {result['precision']:.3f}  ({result['true_rows']}/{result['candidates']} "
        "candidate rows are such a match)"
    )
    print(f"rows from background-only reports: {result['background_rows']}")
    print("per-field accuracy on the matched events:")
    for field, (right, seen) in result["fields"].items():
        print(f"  {field:<15} {right / seen if seen else float('nan'):.3f}  ({right}/{seen})")
    if not quiet:
        for title, items in (
            ("missed", result["misses"]),
            ("false rows", result["false_rows"]),
            ("wrong fields", result["wrong"]),
        ):
            print(f"{title} ({len(items)}):")
            for item in items:
                print(f"  {item}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="print the figures only")
    args = parser.parse_args(argv)
    import toolkit

    toolkit.load_places()  # the gazetteer loads once, outside the timings
    report(
        "development set (tests/fixtures/reports/reports.json)", load_reports(REPORTS), args.quiet
    )
    report("held-out set (tests/fixtures/reports/heldout.json)", load_reports(HELDOUT), args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
