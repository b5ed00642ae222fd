"""Shared test settings: no test may reach the network, and figures never open a window."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# TOOLKIT_SHARED_FORMATS points elsewhere (e.g. from a git worktree); default: beside the project
SHARED_FORMATS = Path(os.environ.get("TOOLKIT_SHARED_FORMATS", REPO.parent / "shared" / "formats"))


class NetworkBlockedError(RuntimeError):
    """Raised when code under test tries to open a connection off this machine."""


def _is_loopback(address) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already be network access


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    """Refuse every outgoing connection that is not to loopback, for the whole session."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(self, address):
        if self.family == socket.AF_UNIX or _is_loopback(address):
            return real_connect(self, address)
        raise NetworkBlockedError(f"tests may not connect to {address!r}")

    def guarded_connect_ex(self, address):
        if self.family == socket.AF_UNIX or _is_loopback(address):
            return real_connect_ex(self, address)
        raise NetworkBlockedError(f"tests may not connect to {address!r}")

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host is None or _is_loopback((host,)):
            return real_getaddrinfo(host, *args, **kwargs)
        raise NetworkBlockedError(f"tests may not resolve {host!r}")

    socket.socket.connect = guarded_connect
    socket.socket.connect_ex = guarded_connect_ex
    socket.getaddrinfo = guarded_getaddrinfo
    try:
        yield
    finally:
        socket.socket.connect = real_connect
        socket.socket.connect_ex = real_connect_ex
        socket.getaddrinfo = real_getaddrinfo


@pytest.fixture(autouse=True)
def _headless_matplotlib(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture
def shared_formats() -> Path:
    """The folder of real-format samples beside the project; skips the test when absent."""
    if not SHARED_FORMATS.is_dir():
        pytest.skip(f"{SHARED_FORMATS} is absent (real-format samples are not shipped)")
    return SHARED_FORMATS
