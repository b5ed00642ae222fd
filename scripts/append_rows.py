"""Append researched rows to the curated tables, giving them stable ids.

Researchers collect new rows in a folder with the same columns as the shipped tables
(``events.csv``, ``event_sources.csv`` and, optionally, ``key_events.csv``,
``official_counts.csv``), using provisional ids (``N-SY-001``...). This script gives each new event
the next free ``A<year>-<nnnn>`` or ``S<year>-<nnnn>`` id (in date order), re-points its sources,
numbers key events (``K...``) and tallies (``C...``), and appends them. Columns the shipped table
has but the folder lacks are left empty; a column the shipped table does not know is an error.
Nothing is validated here: ``toolkit.load_events()`` validates the result, every problem at once.

Usage::

    python scripts/append_rows.py FOLDER [--data data]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def aligned(rows, header, name, ignore=()):
    extra = sorted({k for row in rows for k in row if k not in header and k not in ignore})
    if extra:
        sys.exit(f"{name}: columns {extra} are not in the shipped table ({', '.join(header)})")
    return [{k: (row.get(k) or "").strip() for k in header} for row in rows]


def next_numbers(ids, pattern):
    """Highest number used per prefix, e.g. {'A2020': 92}."""
    highest: dict[str, int] = {}
    for value in ids:
        match = re.fullmatch(pattern, value)
        if match:
            prefix, number = match.group(1), int(match.group(2))
            highest[prefix] = max(highest.get(prefix, 0), number)
    return highest


def append_events(folder: Path, data: Path) -> dict[str, str]:
    header, events = read(data / "events.csv")
    src_header, sources = read(data / "event_sources.csv")
    _, new_events = read(folder / "events.csv")
    _, new_sources = read(folder / "event_sources.csv")
    highest = next_numbers((e["event_id"] for e in events), r"([AS]\d{4})-(\d{4})")
    renamed: dict[str, str] = {}
    for row in sorted(new_events, key=lambda r: (r["date"], r["event_id"])):
        prefix = ("S" if row["event_type"] == "us_strike" else "A") + row["date"][:4]
        highest[prefix] = highest.get(prefix, 0) + 1
        renamed[row["event_id"]] = f"{prefix}-{highest[prefix]:04d}"
    unknown = sorted({s["event_id"] for s in new_sources} - set(renamed))
    if unknown:
        sys.exit(f"{folder / 'event_sources.csv'}: sources for unknown events {unknown}")
    for row in new_events:
        row["event_id"] = renamed[row["event_id"]]
    for row in new_sources:
        row["event_id"] = renamed[row["event_id"]]
    events += aligned(new_events, header, folder / "events.csv")
    events.sort(key=lambda r: (r["event_id"][1:5], r["event_id"][0], r["event_id"]))
    sources += aligned(new_sources, src_header, folder / "event_sources.csv")
    order = {e["event_id"]: i for i, e in enumerate(events)}
    sources.sort(key=lambda r: order[r["event_id"]])
    write(data / "events.csv", header, events)
    write(data / "event_sources.csv", src_header, sources)
    return renamed


def append_numbered(folder: Path, data: Path, name: str, target: str, id_column: str, letter):
    if not (folder / name).exists():
        return {}
    header, rows = read(data / target)
    _, new_rows = read(folder / name)
    highest = next_numbers((r[id_column] for r in rows), rf"({letter})(\d+)").get(letter, 0)
    width = max(len(r[id_column]) - 1 for r in rows)
    renamed = {}
    for row in sorted(new_rows, key=lambda r: r.get("date") or r.get("as_of") or ""):
        highest += 1
        renamed[row[id_column]] = row[id_column] = f"{letter}{highest:0{width}d}"
    rows += aligned(new_rows, header, folder / name, ignore=("source_kind",))
    write(data / target, header, rows)
    return renamed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--data", type=Path, default=Path(__file__).parent.parent / "data")
    args = parser.parse_args(argv)
    renamed = {}
    if (args.folder / "events.csv").exists():
        renamed.update(append_events(args.folder, args.data))
    renamed.update(
        append_numbered(
            args.folder, args.data, "key_events.csv", "key_events.csv", "key_event_id", "K"
        )
    )
    renamed.update(
        append_numbered(
            args.folder, args.data, "tallies.csv", "official_counts.csv", "count_id", "C"
        )
    )
    for old, new in renamed.items():
        print(f"{old}\t{new}")


if __name__ == "__main__":
    main()
