"""pyproject.toml is the one dependency list; environment.yml must mirror it."""

from __future__ import annotations

import re
import tomllib

import pytest

from conftest import REPO

REQUIREMENT = re.compile(
    r"^\s*([A-Za-z0-9_.\-]+)(\[[A-Za-z0-9_,\s-]+\])?\s*(>=\s*[0-9][0-9.]*)?\s*$"
)


def pyproject_requirements(text: str) -> dict[str, str]:
    """Name -> lower bound of the core dependencies and every extra environment.yml installs.

    All extras count (notebooks, maps, scale, ...) except ``build``, which only
    scripts/build_places.py needs to regenerate the gazetteer; a pip extra such as
    ``dask[dataframe]`` is the conda package ``dask``.
    """
    project = tomllib.loads(text)["project"]
    listed = list(project["dependencies"])
    for extra, requirements in project["optional-dependencies"].items():
        if extra != "build":
            listed += requirements
    out = {}
    for requirement in listed:
        match = REQUIREMENT.match(requirement)
        assert match, f"pyproject.toml: {requirement!r} is not of the form 'name>=version'"
        out[match.group(1).lower()] = (match.group(3) or "").replace(" ", "")
    return out


def environment_requirements(text: str) -> dict[str, str]:
    """Name -> lower bound of the conda packages (python, pip and the pip section excluded)."""
    out = {}
    in_dependencies = False
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if stripped.startswith("dependencies:"):
            in_dependencies = True
            continue
        if not in_dependencies or not stripped.strip():
            continue
        if re.match(r"^  - ", stripped) and not stripped.strip().startswith("- pip:"):
            spec = stripped.strip()[2:].strip()
            name = re.split(r"[<>=!]", spec, maxsplit=1)[0].strip().lower()
            if name in {"python", "pip"}:
                continue
            match = REQUIREMENT.match(spec)
            assert match, f"environment.yml: {spec!r} is not of the form 'name>=version'"
            out[name] = (match.group(3) or "").replace(" ", "")
    return out


def drift(pyproject_text: str, environment_text: str) -> list[str]:
    """Differences between the two files, one line each (empty when they agree)."""
    py, env = pyproject_requirements(pyproject_text), environment_requirements(environment_text)
    lines = [f"only in pyproject.toml: {n}{py[n]}" for n in sorted(py.keys() - env.keys())]
    lines += [f"only in environment.yml: {n}{env[n]}" for n in sorted(env.keys() - py.keys())]
    lines += [
        f"{n}: pyproject.toml {py[n] or '(no bound)'} != environment.yml {env[n] or '(no bound)'}"
        for n in sorted(py.keys() & env.keys())
        if py[n] != env[n]
    ]
    return lines


@pytest.fixture(scope="module")
def texts() -> tuple[str, str]:
    return (
        (REPO / "pyproject.toml").read_text(encoding="utf-8"),
        (REPO / "environment.yml").read_text(encoding="utf-8"),
    )


def test_environment_yml_mirrors_pyproject(texts):
    assert drift(*texts) == []


def test_every_dependency_has_a_lower_bound(texts):
    for name, bound in pyproject_requirements(texts[0]).items():
        assert bound.startswith(">="), f"{name} has no lower bound in pyproject.toml"


def test_core_and_notebook_packages_are_listed(texts):
    names = set(pyproject_requirements(texts[0]))
    assert {"pandas", "geopandas", "shapely", "pyogrio", "matplotlib"} <= names
    assert {"jupyterlab", "nbval", "pytest"} <= names
    assert {"folium", "frictionless"} <= names


def test_environment_yml_uses_conda_forge_python_311_and_installs_the_package(texts):
    env = texts[1]
    assert re.search(r"^channels:\n  - conda-forge$", env, re.M)
    assert re.search(r"^  - python=3\.11$", env, re.M)
    assert re.search(r"^      - -e \.$", env, re.M)


def test_drift_is_caught_when_pyproject_changes_alone(texts):
    pyproject, environment = texts
    bumped = re.sub(r'"pandas>=[^"]*"', '"pandas>=9.9.9"', pyproject, count=1)
    assert drift(bumped, environment) == [
        f"pandas: pyproject.toml >=9.9.9 != environment.yml "
        f"{environment_requirements(environment)['pandas']}"
    ]
    added = pyproject.replace('"rapidfuzz>=', '"requests>=2.0.0",\n    "rapidfuzz>=', 1)
    assert drift(added, environment) == ["only in pyproject.toml: requests>=2.0.0"]


def test_drift_is_caught_when_environment_changes_alone(texts):
    pyproject, environment = texts
    removed = "\n".join(line for line in environment.splitlines() if "matplotlib" not in line)
    assert drift(pyproject, removed) == [
        f"only in pyproject.toml: matplotlib{pyproject_requirements(pyproject)['matplotlib']}"
    ]


def test_scale_extra_is_installed_by_make_and_mirrored(texts):
    names = set(pyproject_requirements(texts[0]))
    assert {"dask", "dask-geopandas", "distributed"} <= names
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    installed = re.search(r'pip install --quiet -e "\.\[([a-z,]+)\]"', makefile).group(1)
    assert {"notebooks", "maps", "scale"} <= set(installed.split(","))
    dropped = "\n".join(line for line in texts[1].splitlines() if "dask-geopandas" not in line)
    assert drift(texts[0], dropped) == ["only in pyproject.toml: dask-geopandas>=0.5.0"]
