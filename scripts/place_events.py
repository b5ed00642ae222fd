"""Derive the coordinates and administrative units of data/events.csv from the gazetteer.

Run after editing events or places:  python scripts/place_events.py  (then review `git diff`);
``--data DIR`` works on a copy of events.csv elsewhere (the gazetteer is the toolkit's).

- A row with a ``site_id`` takes the site's coordinates; its ``geo_precision`` becomes the
  coarser of its own and the site's (a base only a nearby town locates is ``town``), and an
  empty ``admin1`` is filled from the site.
- A row without a site is placed at the first place its ``location`` names
  (``toolkit.find_places``) inside its governorate, at ``town`` precision at best; failing that,
  at its governorate's point (``governorate``).
- A row placed only in a country ("a base in northeastern Syria") gets no coordinates.
- The administrative units come from the point (``toolkit.reverse_geocode``; Iraq: OCHA COD-AB
  with P-codes): ``admin1_pcode`` for any point in Iraq; ``admin2`` and ``admin2_pcode`` at
  district precision or finer; ``admin3`` and ``admin3_pcode`` at town or site precision. A
  governorate's point says nothing about its districts, so those stay empty. A row whose
  ``admin1`` (as the sources give it) differs from the polygon's is kept as it is and listed,
  and gets no finer units (they would contradict it).

The five unit columns are inserted after ``admin1`` when missing (so the script can be re-run
on a file without them). Every change is printed; nothing else in the file is touched.
Running it twice changes nothing.
"""

from __future__ import annotations

import csv
import sys
import warnings
from pathlib import Path

import toolkit

DATA = Path(__file__).resolve().parent.parent / "data"
ORDER = ["site", "town", "district", "governorate", "country"]
PRECISION_OF_FEATURE = {
    "governorate": "governorate",
    "district": "district",
    "sub_district": "district",
    "city": "town",
    "town": "town",
    "village": "town",
    "neighbourhood": "town",
}
UNIT_COLUMNS = ["admin1_pcode", "admin2", "admin2_pcode", "admin3", "admin3_pcode"]


def number(value: float) -> str:
    """A coordinate as the gazetteer gives it (6 decimals at most, no trailing zeros)."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def same_number(old: str, value: float) -> str:
    """``old`` when it already writes ``value`` ("37.0" for 37): no change for a format."""
    try:
        if abs(float(old) - value) < 1e-9:
            return old
    except ValueError:
        pass
    return number(value)


def coarser(a: str, b: str) -> str:
    return a if ORDER.index(a) >= ORDER.index(b) else b


def place_without_site(row: dict, governorates: dict) -> tuple[str, str, str, str]:
    """Return latitude, longitude, geo_precision and how, for a row that names no site."""
    if row["geo_precision"] == "country":
        return "", "", "country", "country only: no point"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", toolkit.GeocodeWarning)
        found = toolkit.find_places(row["location"], country=row["country"])
    found = found[found["status"].isin(["exact", "alias", "fuzzy"])]
    if row["admin1"]:
        found = found[found["admin1"] == row["admin1"]]
    if len(found):
        place = found.iloc[0]
        # a base or airport named without a site_id is a reference point ("near X")
        precision = PRECISION_OF_FEATURE.get(place["feature_type"], "town")
        return (
            f"{place.geometry.y:.5f}",
            f"{place.geometry.x:.5f}",
            coarser(row["geo_precision"], precision),
            place["place_id"],
        )
    key = (row["country"], row["admin1"])
    if row["admin1"] and key in governorates:
        latitude, longitude = governorates[key]
        latitude, longitude = (
            same_number(row["latitude"], latitude),
            same_number(row["longitude"], longitude),
        )
        return latitude, longitude, coarser(row["geo_precision"], "governorate"), "governorate"
    return "", "", row["geo_precision"], "not placed"


def units_of(rows: list[dict]) -> list[dict]:
    """The unit columns of each row, from its point and precision."""
    placed = [i for i, r in enumerate(rows) if r["latitude"] and r["longitude"]]
    out = [dict.fromkeys(UNIT_COLUMNS, "") for _ in rows]
    if not placed:
        return out
    found = toolkit.reverse_geocode(
        [(float(rows[i]["longitude"]), float(rows[i]["latitude"])) for i in placed]
    )
    for i, unit in zip(placed, found.itertuples(index=False), strict=True):
        row, precision = rows[i], rows[i]["geo_precision"]
        if unit.country != row["country"]:
            continue  # a point the polygons put across a border: no units rather than wrong ones
        depth = {"site": 3, "town": 3, "district": 2, "governorate": 1}.get(precision, 0)
        values = {
            "admin1_pcode": unit.admin1_pcode if depth >= 1 else None,
            "admin2": unit.admin2 if depth >= 2 else None,
            "admin2_pcode": unit.admin2_pcode if depth >= 2 else None,
            "admin3": unit.admin3 if depth >= 3 else None,
            "admin3_pcode": unit.admin3_pcode if depth >= 3 else None,
        }
        out[i] = {k: "" if v is None or v != v else str(v) for k, v in values.items()}
        out[i]["_polygon_admin1"] = unit.admin1 or ""
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data = Path(argv[argv.index("--data") + 1]) if "--data" in argv else DATA
    path = data / "events.csv"
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames), list(reader)
    missing = [c for c in UNIT_COLUMNS if c not in fields]
    if missing:
        at = fields.index("admin1") + 1
        fields[at:at] = missing
        for row in rows:
            row.update(dict.fromkeys(missing, ""))
        print(f"added column(s) {missing} after admin1")
    places = toolkit.load_places().set_index("place_id")
    governorates = {
        (p.country, p.admin1): (p.latitude, p.longitude)
        for p in places[places["feature_type"] == "governorate"].itertuples()
    }
    changed = 0
    before_all = [{k: row[k] for k in row} for row in rows]
    for row in rows:
        if row["site_id"]:
            site = places.loc[row["site_id"]]
            row["latitude"] = same_number(row["latitude"], site["latitude"])
            row["longitude"] = same_number(row["longitude"], site["longitude"])
            site_precision = site["geo_precision"] or "site"
            row["geo_precision"] = coarser(row["geo_precision"], site_precision)
            row["admin1"] = row["admin1"] or site["admin1"]
        else:
            row["latitude"], row["longitude"], row["geo_precision"], _ = place_without_site(
                row, governorates
            )
    disagree = []
    for row, units in zip(rows, units_of(rows), strict=True):
        polygon_admin1 = units.pop("_polygon_admin1", "")
        if polygon_admin1 and row["admin1"] and polygon_admin1 != row["admin1"]:
            disagree.append((row["event_id"], row["admin1"], polygon_admin1))
            # the units below a governorate the sources do not give would contradict admin1
            units = dict.fromkeys(UNIT_COLUMNS, "")
        row.update(units)
    for before, row in zip(before_all, rows, strict=True):
        diff = {k: (before.get(k, ""), row[k]) for k in row if before.get(k, "") != row[k]}
        if diff:
            changed += 1
            shown = "; ".join(f"{k} {a!r} -> {b!r}" for k, (a, b) in diff.items())
            print(f"{row['event_id']}: {shown}")
    for event_id, given, polygon in disagree:
        print(f"{event_id}: admin1 {given!r} kept; the point lies in {polygon!r}")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(disagree)} rows whose admin1 differs from the polygon's (kept, listed above)")
    print(f"{changed} of {len(rows)} rows changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
