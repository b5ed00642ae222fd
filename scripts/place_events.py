"""Derive the coordinates of data/events.csv from the gazetteer (data/places.csv).

Run after editing events or places:  python scripts/place_events.py  (then review `git diff`);
``--data DIR`` works on a copy elsewhere.

- A row with a ``site_id`` takes the site's coordinates; its ``geo_precision`` becomes the
  coarser of its own and the site's (a base only a nearby town locates is ``town``), and an
  empty ``admin1`` is filled from the site.
- A row without a site is placed at the first place its ``location`` names
  (``toolkit.find_places``) inside its governorate, at ``town`` precision at best; failing that,
  at its governorate's point (``governorate``).
- A row placed only in a country ("a base in northeastern Syria") gets no coordinates.

Every change is printed; nothing else in the file is touched. Running it twice changes nothing.
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
    "city": "town",
    "town": "town",
    "neighbourhood": "town",
}


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
        return latitude, longitude, coarser(row["geo_precision"], "governorate"), "governorate"
    return "", "", row["geo_precision"], "not placed"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data = Path(argv[argv.index("--data") + 1]) if "--data" in argv else DATA
    path = data / "events.csv"
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    with (data / "places.csv").open(encoding="utf-8") as handle:
        places = {p["place_id"]: p for p in csv.DictReader(handle)}
    governorates = {
        (p["country"], p["admin1"]): (p["latitude"], p["longitude"])
        for p in places.values()
        if p["feature_type"] == "governorate"
    }
    changed = 0
    for row in rows:
        before = {k: row[k] for k in ("latitude", "longitude", "geo_precision", "admin1")}
        if row["site_id"]:
            site = places[row["site_id"]]
            row["latitude"], row["longitude"] = site["latitude"], site["longitude"]
            row["geo_precision"] = coarser(row["geo_precision"], site["geo_precision"] or "site")
            row["admin1"] = row["admin1"] or site["admin1"]
            how = row["site_id"]
        else:
            row["latitude"], row["longitude"], row["geo_precision"], how = place_without_site(
                row, governorates
            )
        after = {k: row[k] for k in before}
        if after != before:
            changed += 1
            print(f"{row['event_id']}: {before} -> {after} ({how})")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{changed} of {len(rows)} rows changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
