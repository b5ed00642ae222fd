"""The public API: explicit, lazy, and offline."""

from __future__ import annotations

import importlib
import socket
import subprocess
import sys

import pytest

import toolkit
from conftest import REPO


def test_every_public_name_resolves():
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'load_everything'"):
        toolkit.load_everything  # noqa: B018


def test_import_is_light():
    """Importing toolkit loads neither pandas nor geopandas nor the gazetteer."""
    code = (
        "import sys, toolkit; heavy = [m for m in ('pandas', 'geopandas', 'matplotlib', "
        "'rapidfuzz', 'toolkit.geocoding', 'toolkit.datasets') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "[]"


@pytest.fixture
def sockets_blocked(monkeypatch):
    """Every socket operation raises, loopback included, while the fixture is active."""

    def refuse(*args, **kwargs):
        raise OSError("network access attempted while sockets are blocked")

    for name in ("connect", "connect_ex", "bind", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_block_really_blocks(sockets_blocked):
    with pytest.raises(OSError, match="network access attempted"):
        socket.create_connection(("example.org", 80), timeout=1)
    with pytest.raises(OSError, match="network access attempted"):
        socket.socket().connect(("127.0.0.1", 9))


def test_import_and_loaders_run_without_network(sockets_blocked, monkeypatch):
    """A fresh import of toolkit and every loader succeed with sockets blocked."""
    for name in [m for m in sys.modules if m == "toolkit" or m.startswith("toolkit.")]:
        monkeypatch.delitem(sys.modules, name)
    fresh = importlib.import_module("toolkit")
    for name in fresh.__all__:
        if name.startswith("load_"):
            result = getattr(fresh, name)()
            assert len(result) > 0, name
    with pytest.warns(fresh.GeocodeWarning):
        assert fresh.geocode(["Ain al-Asad", "عين الأسد", "Paris"])["place_id"].notna().sum() == 2
    assert fresh.reverse_geocode([(44.396, 33.299)])["admin1"].iloc[0] == "Baghdad"
    assert len(fresh.find_places("Rockets hit the Green Zone in Baghdad")) >= 2
    fixtures = REPO / "tests" / "fixtures" / "sources"
    acled = fresh.read_acled(fixtures / "acled_current.csv")
    assert len(fresh.select_attacks_on_us(acled)) == 4
    assert len(fresh.read_gdelt(fixtures / "gdelt2_sample.export.CSV")) == 3
    assert len(fresh.read_ucdp_ged(fixtures / "ucdp_hdx_hxl_sample.csv")) == 3
