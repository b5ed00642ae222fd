"""CITATION.cff: valid Citation File Format 1.2.0 structure, versions of the code and data.

``cffconvert`` would pin jsonschema 3 (breaking Jupyter), so the structure is checked with
jsonschema against the rules of CFF 1.2.0 this file uses: required keys, the closed list of
top-level keys (a misspelt key fails), reference types, SPDX licence ids, person and entity
authors.
"""

from __future__ import annotations

import copy
import tomllib

import jsonschema
import pytest

from conftest import REPO

yaml = pytest.importorskip("yaml")

_AUTHOR = {
    "type": "object",
    "anyOf": [{"required": ["family-names"]}, {"required": ["name"]}],
    "properties": {
        "family-names": {"type": "string", "minLength": 1},
        "given-names": {"type": "string", "minLength": 1},
        "name": {"type": "string", "minLength": 1},
        "orcid": {
            "type": "string",
            "pattern": r"^https://orcid\.org/[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$",
        },
        "email": {"type": "string"},
        "affiliation": {"type": "string"},
        "website": {"type": "string", "format": "uri"},
    },
    "additionalProperties": False,
}
_SPDX = {"type": "string", "enum": ["MIT", "CC-BY-4.0", "CC0-1.0", "CC-BY-3.0-IGO"]}
_KEYWORDS = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
_VERSION = {"type": "string", "minLength": 1}
_REFERENCE = {
    "type": "object",
    "required": ["type", "title", "authors"],
    "properties": {
        # the reference types of CFF 1.2.0 that a dataset or software citation would use
        "type": {"enum": ["data", "software", "software-code", "database", "report", "generic"]},
        "title": {"type": "string", "minLength": 1},
        "authors": {"type": "array", "items": _AUTHOR, "minItems": 1},
        "version": _VERSION,
        "license": _SPDX,
        "year": {"type": "integer", "minimum": 1900},
        "notes": {"type": "string"},
        "keywords": _KEYWORDS,
        "doi": {
            "type": "string",
            "pattern": r"^10\.\d{4,9}(\.\d+)?/[A-Za-z0-9:/_;\-\.\(\)\[\]\\]+$",
        },
        "url": {"type": "string", "format": "uri"},
    },
    "additionalProperties": False,
}
CFF_1_2_0 = {
    "type": "object",
    "required": ["cff-version", "message", "title", "authors"],
    "properties": {
        "cff-version": {"const": "1.2.0"},
        "message": {"type": "string", "minLength": 1},
        "type": {"enum": ["software", "dataset"]},
        "title": {"type": "string", "minLength": 1},
        "version": _VERSION,
        "authors": {"type": "array", "items": _AUTHOR, "minItems": 1},
        "license": _SPDX,
        "keywords": _KEYWORDS,
        "abstract": {"type": "string"},
        "date-released": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "repository-code": {"type": "string", "format": "uri"},
        "url": {"type": "string", "format": "uri"},
        "doi": _REFERENCE["properties"]["doi"],
        "preferred-citation": _REFERENCE,
        "references": {"type": "array", "items": _REFERENCE},
    },
    "additionalProperties": False,
}


@pytest.fixture(scope="module")
def citation() -> dict:
    # CFF is YAML 1.2; the safe loader keeps version "0.3.0" a string as written
    return yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))


def _errors(document: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(CFF_1_2_0)
    return sorted(f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document))


def test_citation_cff_has_the_structure_of_cff_1_2_0(citation):
    assert _errors(citation) == []


def test_software_version_is_the_package_version(citation):
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["type"] == "software"
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"]


def test_dataset_citation_carries_the_data_version_and_licence(citation):
    from toolkit.datasets import DATA_VERSION

    data = citation["preferred-citation"]
    assert data["type"] == "data"
    assert data["version"] == DATA_VERSION
    assert data["license"] == "CC-BY-4.0"


def test_the_check_catches_a_misspelt_key_and_a_missing_author(citation):
    broken = copy.deepcopy(citation)
    broken["licence"] = broken.pop("license")
    del broken["preferred-citation"]["authors"]
    assert _errors(broken) == [
        "['preferred-citation']: 'authors' is a required property",
        "[]: Additional properties are not allowed ('licence' was unexpected)",
    ]
