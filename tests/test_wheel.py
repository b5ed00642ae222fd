"""A wheel (and an sdist) built from the repository installs a toolkit that carries its data.

The build runs on a copy of the sources (so nothing is written into the checkout), without
build isolation (so nothing is downloaded: setuptools is a development dependency). The wheel
goes into a fresh virtual environment that sees this interpreter's packages but not the
checkout, and every shipped table is loaded from a temporary working directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

# What the build needs from the checkout; data/ is copied into the package as toolkit/_data.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "toolkit", "data")
SHIPPED = (
    "events.csv",
    "event_sources.csv",
    "key_events.csv",
    "official_counts.csv",
    "groups.csv",
    "phases.csv",
    "places.parquet",
    "places_outside.csv.gz",
    "boundaries/admin1.geojson",
    "boundaries/countries.geojson",
    "boundaries/PROVENANCE.json",
    "LICENSE",
    "datapackage.json",
)

LOAD_EVERYTHING = """
import json, pathlib, toolkit
from toolkit._paths import data_dir
events = toolkit.load_events()
counts = {
    "events": len(events),
    "event_sources": len(toolkit.load_event_sources()),
    "key_events": len(toolkit.load_key_events()),
    "official_counts": len(toolkit.load_official_counts()),
    "groups": len(toolkit.load_groups()),
    "places": len(toolkit.load_places()),
    "boundaries": len(toolkit.load_boundaries("admin1")),
    "phases": len(toolkit.load_phases()),
    "phase_assigned": int(toolkit.assign_phase(events)["phase"].notna().sum()),
}
print(json.dumps({
    "toolkit": toolkit.__file__,
    "data_dir": str(data_dir()),
    "version": toolkit.__version__,
    "data_version": toolkit.DATA_VERSION,
    "counts": counts,
}))
"""


def _pip(python: str, command: str) -> list[str]:
    """pip without dependencies, questions to the index, or chatter."""
    return [python, "-m", "pip", command, "--no-deps", "--quiet", "--disable-pip-version-check"]


def _copy_sources(destination: Path) -> Path:
    destination.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination


def _clean_env() -> dict[str, str]:
    """This process's environment without what would make the checkout importable."""
    env = dict(os.environ)
    for name in ("PYTHONPATH", "TOOLKIT_DATA_DIR", "PYTHONHOME", "PYTHONSTARTUP"):
        env.pop(name, None)
    return env


def _build_wheel(source: Path, out: Path) -> Path:
    subprocess.run(
        [*_pip(sys.executable, "wheel"), "--no-build-isolation", "-w", str(out), str(source)],
        check=True,
        env=_clean_env(),
        cwd=out,
    )
    (wheel,) = out.glob("iraq_escalation_toolkit-*.whl")
    return wheel


def _fresh_venv(folder: Path) -> Path:
    """A new environment that sees this interpreter's packages (no downloads) but no toolkit.

    ``--system-site-packages`` alone reaches only the base interpreter when the tests run in a
    virtual environment, so this interpreter's site-packages are added by a .pth file; the
    editable install of the checkout (a finder hook in a .pth of that folder) is not run that way.
    """
    venv.create(folder, system_site_packages=True, with_pip=False, symlinks=True)
    python = folder / "bin" / "python"
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        env=_clean_env(),
    ).stdout.strip()
    parents = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site_packages, "_test_parent_packages.pth").write_text("\n".join(sorted(parents)) + "\n")
    return python


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("build")
    source = _copy_sources(root / "src")
    wheel = _build_wheel(source, root)
    return {"root": root, "source": source, "wheel": wheel}


def test_wheel_carries_every_shipped_table(built):
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    missing = [name for name in SHIPPED if f"toolkit/_data/{name}" not in names]
    assert missing == []
    # the data licence travels with the distribution's metadata too
    assert any(name.endswith(".dist-info/licenses/data/LICENSE") for name in names)
    assert not any(name.startswith("data/") for name in names)
    # Leaflet for offline interactive maps, with its licence
    for name in ("leaflet.js", "leaflet.css", "LICENSE", "SOURCE.json"):
        assert f"toolkit/_vendor/leaflet/{name}" in names


def test_wheel_installed_in_a_fresh_environment_loads_every_table(built, tmp_path):
    python = _fresh_venv(tmp_path / "venv")
    env = _clean_env()
    # --ignore-installed: the editable install of the checkout is visible through the .pth
    # file; pip must neither skip this wheel as "already satisfied" nor uninstall that one.
    subprocess.run(
        [*_pip(str(python), "install"), "--ignore-installed", str(built["wheel"])],
        check=True,
        env=env,
    )
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    result = subprocess.run(
        [str(python), "-c", LOAD_EVERYTHING],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])

    venv_root = (tmp_path / "venv").resolve()
    assert Path(report["toolkit"]).resolve().is_relative_to(venv_root)
    assert Path(report["data_dir"]).resolve().is_relative_to(venv_root)
    assert Path(report["data_dir"]).name == "_data"

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert report["version"] == project["version"]
    from toolkit.datasets import DATA_VERSION

    assert report["data_version"] == DATA_VERSION

    # the installed copy holds the same rows as the checkout
    import toolkit

    counts = report["counts"]
    assert counts["events"] == len(toolkit.load_events())
    assert counts["event_sources"] == len(toolkit.load_event_sources())
    assert counts["key_events"] == len(toolkit.load_key_events())
    assert counts["official_counts"] == len(toolkit.load_official_counts())
    assert counts["groups"] == len(toolkit.load_groups())
    assert counts["places"] == len(toolkit.load_places())
    assert counts["boundaries"] == len(toolkit.load_boundaries("admin1"))
    assert counts["phases"] == len(toolkit.load_phases())
    assert counts["phase_assigned"] == counts["events"]


def test_sdist_carries_the_data_and_builds_the_same_wheel(built):
    root, source = built["root"], built["source"]
    sdist_dir = root / "sdist"
    sdist_dir.mkdir()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from setuptools import build_meta; "
            "print(build_meta.build_sdist(sys.argv[1]))",
            str(sdist_dir),
        ],
        check=True,
        capture_output=True,
        cwd=source,
        env=_clean_env(),
    )
    (sdist,) = sdist_dir.glob("iraq_escalation_toolkit-*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        assert [name for name in SHIPPED if f"data/{name}" not in members] == []
        archive.extractall(sdist_dir, filter="data")
    (unpacked,) = (path for path in sdist_dir.iterdir() if path.is_dir())
    from_sdist = _build_wheel(unpacked, root / "sdist")
    data_in = {
        wheel: sorted(n for n in zipfile.ZipFile(wheel).namelist() if "/_data/" in n)
        for wheel in (built["wheel"], from_sdist)
    }
    assert data_in[from_sdist] == data_in[built["wheel"]]
