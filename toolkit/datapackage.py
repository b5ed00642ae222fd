"""``data/datapackage.json``: a Frictionless description of the shipped tables, generated.

Every table described by a :class:`toolkit.schema.Column` list becomes a tabular resource whose
fields (types, required, allowed values as ``enum`` constraints, web addresses as patterns)
come from that list, the same one the validator and loaders use, so the three cannot drift.
Table-level facts the Column lists do not hold (title, primary and foreign keys, licence,
sources) are in :data:`TABLES`; a Column list without an entry there is still described (file
name from the list's name, first column as key when it ends in ``_id``). The gazetteer and the
boundaries, which have no Column list, are listed as files with their licences and sources.

``python scripts/build_datapackage.py`` rewrites the file; ``--check`` says whether it is
current (tests/test_datapackage.py runs the same comparison).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from ._paths import data_dir

__all__ = ["TABLES", "build_datapackage", "datapackage_json"]

CC_BY_4 = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
REPORTS = {
    "title": "News reports, official statements and monitors cited row by row",
    "path": "event_sources.csv",
}
PLACE_LICENCES = [
    {
        "name": "CC0-1.0",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        "title": "Who's On First: CC0, with the attributions its LICENSE.md lists",
    },
    {
        "name": "CC-BY-3.0-IGO",
        "path": "https://creativecommons.org/licenses/by/3.0/igo/",
        "title": "OCHA COD-AB Iraq (CSO, ITOS): Creative Commons Attribution 3.0 IGO",
    },
    {**CC_BY_4, "title": "GeoNames: Creative Commons Attribution 4.0"},
    {"name": "MIT", "path": "https://opensource.org/license/mit", "title": "airportsdata: MIT"},
    {
        "name": "public-domain",
        "path": "https://www.naturalearthdata.com/about/terms-of-use/",
        "title": "Natural Earth: public domain",
    },
]


@dataclass(frozen=True)
class Table:
    """What a Column list does not say about its table."""

    path: str
    title: str
    primary_key: tuple[str, ...] = ()
    # (fields, resource name, fields there); "" as resource name means this table itself
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    sources: tuple[dict, ...] = (REPORTS,)
    licenses: tuple[dict, ...] = field(default=(CC_BY_4,))


#: Column-list name in toolkit.schema -> its table. Add a line when a new list is added.
TABLES = {
    "EVENTS": Table(
        "events.csv", "Attacks on US facilities and US strikes, one row per event", ("event_id",)
    ),
    "EVENT_SOURCES": Table(
        "event_sources.csv",
        "Sources of each event, one row per source and event, graded",
        ("event_id", "url"),
        ((("event_id",), "events", ("event_id",)),),
    ),
    "KEY_EVENTS": Table(
        "key_events.csv", "Political and military turning points", ("key_event_id",)
    ),
    "OFFICIAL_COUNTS": Table(
        "official_counts.csv", "Official and other running tallies of attacks", ("count_id",)
    ),
    "GROUPS": Table(
        "groups.csv",
        "Armed groups and other actors named in claims and attributions",
        ("group_id",),
        ((("umbrella",), "", ("group_id",)),),
    ),
    "PHASES": Table("phases.csv", "Escalation phases, each boundary cited", ("phase_id",)),
    # one row per interval of US presence: a site can have several (Harir left and came back),
    # and an interval's start can be unknown, so there is no key column
    "US_FOOTPRINT": Table(
        "us_footprint.csv", "Sites hosting US forces, one row per interval of presence", ()
    ),
}

KINDS = {
    "str": "string",
    "date": "date",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "category": "string",
}


def _field(column: schema.Column) -> dict:
    out = {"name": column.name, "type": KINDS[column.kind], "description": column.description}
    constraints: dict = {}
    if column.required:
        constraints["required"] = True
    if column.kind == "category":
        constraints["enum"] = list(column.allowed)
    if column.kind == "int":
        constraints["minimum"] = 0  # counts: the validator refuses negative numbers
    if column.kind == "date":
        out["format"] = "%Y-%m-%d"
    if column.kind == "bool":
        out["trueValues"] = sorted(schema.TRUE_VALUES)
        out["falseValues"] = sorted(schema.FALSE_VALUES)
    if column.kind == "str" and (column.name == "url" or column.name.endswith("_url")):
        constraints["pattern"] = schema.URL_RE.pattern.removeprefix("^").removesuffix("$")
    if constraints:
        out["constraints"] = constraints
    return out


def _column_lists() -> dict[str, list[schema.Column]]:
    """Every module-level list of Column in toolkit.schema, in definition order."""
    return {
        name: value
        for name, value in vars(schema).items()
        if name.isupper()
        and isinstance(value, list)
        and value
        and all(isinstance(item, schema.Column) for item in value)
    }


def _table(name: str, columns: list[schema.Column]) -> Table:
    known = TABLES.get(name)
    if known is not None:
        return known
    first = columns[0].name
    return Table(
        f"{name.lower()}.csv",
        name.replace("_", " ").capitalize(),
        (first,) if first.endswith("_id") else (),
    )


def _resource(name: str, table: Table, columns: list[schema.Column]) -> dict:
    resource_name = Path(table.path).name.removesuffix(".csv")
    table_schema: dict = {"fields": [_field(c) for c in columns], "missingValues": [""]}
    if table.primary_key:
        table_schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        table_schema["foreignKeys"] = [
            {"fields": list(own), "reference": {"resource": resource, "fields": list(other)}}
            for own, resource, other in table.foreign_keys
        ]
    return {
        "name": resource_name,
        "path": table.path,
        "title": table.title,
        "description": f"Columns described by toolkit.schema.{name}.",
        "profile": "tabular-data-resource",
        "type": "table",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"csv": {"delimiter": ",", "quoteChar": '"'}},
        "licenses": list(table.licenses),
        "sources": list(table.sources),
        "schema": table_schema,
    }


def _place_sources(folder: Path) -> list[dict]:
    """The gazetteer's sources with versions, from boundaries/PROVENANCE.json."""
    provenance = folder / "boundaries" / "PROVENANCE.json"
    if not provenance.exists():
        return []
    sources = json.loads(provenance.read_text(encoding="utf-8"))["sources"]
    return [
        {
            "title": f"{name} ({info['registry']} {info['version']}): {info['used_for']}",
            "path": (
                f"https://github.com/{name}"
                if info["registry"] == "GitHub"
                else f"https://pypi.org/project/{name}/"
                if info["registry"] == "PyPI"
                else f"https://www.npmjs.com/package/{name}"
            ),
        }
        for name, info in sources.items()
    ]


def _file_resources(folder: Path) -> list[dict]:
    """Shipped files without a Column list: the gazetteer and the boundaries."""
    sources = _place_sources(folder)
    files = [
        ("places", "places.parquet", "parquet", "application/vnd.apache.parquet",
         "Gazetteer: one row per place (columns in PLACES.md)"),
        ("places_outside", "places_outside.csv.gz", "csv", "text/csv",
         "Populated places outside Iraq, Syria and Jordan (GeoNames), for geocode warnings"),
    ]  # fmt: skip
    files += [
        (
            f"boundaries_{path.stem}",
            f"boundaries/{path.name}",
            "geojson",
            "application/geo+json",
            f"Boundaries: {path.stem} polygons (PLACES.md)",
        )
        for path in sorted((folder / "boundaries").glob("*.geojson"))
    ]
    resources = [
        {
            "name": name,
            "path": path,
            "title": title,
            "type": "file",
            "scheme": "file",
            "format": fmt,
            "mediatype": mediatype,
            "licenses": PLACE_LICENCES,
            "sources": sources,
        }
        for name, path, fmt, mediatype, title in files
        if (folder / path).exists()
    ]
    if (folder / "sites_researched.csv").exists():
        resources.append(
            {
                "name": "sites_researched",
                "path": "sites_researched.csv",
                "title": "Hand-researched site coordinates, one cited source per row",
                "type": "file",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "licenses": [CC_BY_4],
                "sources": [{"title": "Cited page per row (source_url)", "path": "README.md"}],
            }
        )
    return resources


def build_datapackage(folder: Path | None = None) -> dict:
    """Return the descriptor of the tables in ``folder`` (default: the shipped data).

    Parameters
    ----------
    folder : path, optional
        Folder holding the tables; a Column list whose file is absent there is left out.

    Returns
    -------
    dict
        A Frictionless data package descriptor: one tabular resource per Column list (fields,
        types, constraints, primary and foreign keys, licences, sources) and one file resource
        per gazetteer or boundary file.

    Examples
    --------
    >>> from toolkit.datapackage import build_datapackage
    >>> package = build_datapackage()
    >>> events = next(r for r in package["resources"] if r["name"] == "events")
    >>> events["schema"]["primaryKey"], events["licenses"][0]["name"]
    (['event_id'], 'CC-BY-4.0')
    >>> weapon = next(f for f in events["schema"]["fields"] if f["name"] == "weapon")
    >>> weapon["constraints"]["enum"][:3]
    ['rocket', 'mortar', 'drone']
    """
    from .datasets import DATA_VERSION

    folder = data_dir() if folder is None else Path(folder)
    tables = []
    for name, columns in _column_lists().items():
        table = _table(name, columns)
        if (folder / table.path).exists():
            tables.append(_resource(name, table, columns))
    return {
        "name": "iraq-escalation-events",
        "title": "Attacks on US facilities in Iraq, Syria and Jordan: a cited event dataset",
        "description": (
            "Militia attacks on US forces and diplomatic sites in Iraq, Syria and Jordan and US "
            "strikes, from October 2019, each event with its graded sources; turning points, "
            "official tallies, armed groups, escalation phases, an offline gazetteer and "
            "boundaries. Data dictionary: README.md and PLACES.md; changes: CHANGELOG.md."
        ),
        "version": DATA_VERSION,
        "profile": "data-package",
        "keywords": ["Iraq", "Syria", "Jordan", "militia", "attacks", "event data"],
        "licenses": [CC_BY_4],
        "contributors": [{"title": "The iraq-escalation-toolkit contributors", "role": "author"}],
        "sources": [REPORTS],
        "resources": tables + _file_resources(folder),
    }


def datapackage_json(folder: Path | None = None) -> str:
    """The descriptor as the text of data/datapackage.json (stable order, final newline)."""
    return json.dumps(build_datapackage(folder), indent=2, ensure_ascii=False) + "\n"
