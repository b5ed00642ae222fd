"""data/datapackage.json: generated from toolkit/schema.py, current, and valid with frictionless."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from conftest import REPO
from toolkit import schema
from toolkit.datapackage import TABLES, build_datapackage, datapackage_json

frictionless = pytest.importorskip("frictionless")

DATA = REPO / "data"


@pytest.fixture(scope="module")
def descriptor() -> dict:
    return json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def test_committed_file_is_the_generated_one():
    committed = (DATA / "datapackage.json").read_text(encoding="utf-8")
    assert committed == datapackage_json(DATA), (
        "data/datapackage.json is out of date: run python scripts/build_datapackage.py"
    )


def test_every_column_list_is_a_resource_with_the_same_fields(descriptor):
    resources = {r["path"]: r for r in descriptor["resources"]}
    for name, table in TABLES.items():
        columns = getattr(schema, name)
        fields = resources[table.path]["schema"]["fields"]
        assert [f["name"] for f in fields] == [c.name for c in columns]
    events = {f["name"]: f for f in resources["events.csv"]["schema"]["fields"]}
    assert events["weapon"]["constraints"]["enum"] == list(schema.WEAPONS)
    assert events["date"]["type"] == "date"
    assert events["killed"]["type"] == "integer"
    assert events["figures_disputed"]["type"] == "boolean"
    assert "required" not in events["killed"].get("constraints", {})
    assert resources["event_sources.csv"]["schema"]["foreignKeys"] == [
        {"fields": ["event_id"], "reference": {"resource": "events", "fields": ["event_id"]}}
    ]
    # licences: ours CC BY 4.0, the gazetteer's every third-party licence
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    place_licences = {lic["name"] for lic in resources["places.parquet"]["licenses"]}
    assert {"CC0-1.0", "CC-BY-3.0-IGO", "CC-BY-4.0", "MIT", "public-domain"} <= place_licences


def test_a_new_column_list_is_described_without_a_table_entry(tmp_path, monkeypatch):
    # what a new table gets before TABLES knows it
    columns = [
        schema.Column("footprint_id", "str", "Stable identifier."),
        schema.Column("country", "category", "Country.", allowed=schema.COUNTRIES),
    ]
    monkeypatch.setattr(schema, "BASE_VISITS", columns, raising=False)
    (tmp_path / "base_visits.csv").write_text("footprint_id,country\nF1,Iraq\n", encoding="utf-8")
    resources = build_datapackage(tmp_path)["resources"]
    (footprint,) = (r for r in resources if r["path"] == "base_visits.csv")
    assert footprint["schema"]["primaryKey"] == ["footprint_id"]
    assert footprint["schema"]["fields"][1]["constraints"]["enum"] == ["Iraq", "Syria", "Jordan"]


def test_the_shipped_data_validates_against_it():
    report = frictionless.Package(str(DATA / "datapackage.json")).validate()
    problems = [
        f"{task.name}: {error.message}" for task in report.tasks for error in task.errors[:5]
    ]
    assert report.valid, problems
    validated = {task.name: task.stats.get("rows") for task in report.tasks}
    for table in TABLES.values():
        rows = len(pd.read_csv(DATA / table.path, dtype=str, keep_default_na=False))
        assert validated[table.path.removesuffix(".csv")] == rows


def test_frictionless_catches_a_bad_weapon_and_an_orphan_source(tmp_path, descriptor):
    for name in ("events.csv", "event_sources.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    events = (tmp_path / "events.csv").read_text(encoding="utf-8")
    (tmp_path / "events.csv").write_text(events.replace(",rocket,", ",catapult,", 1), "utf-8")
    with (tmp_path / "event_sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("A2099-0001,AP,,2099-01-01,https://apnews.com/x,,wire,,false,\n")
    kept = [r for r in descriptor["resources"] if r["name"] in {"events", "event_sources"}]
    package = frictionless.Package({**descriptor, "resources": kept}, basepath=str(tmp_path))
    report = package.validate()
    errors = {(task.name, error.type) for task in report.tasks for error in task.errors}
    assert ("events", "constraint-error") in errors
    assert ("event_sources", "foreign-key") in errors
