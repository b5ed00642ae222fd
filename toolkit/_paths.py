"""Where the shipped data lives.

The tables are kept in the repository's top-level ``data/``; the build copies that folder into
the package as ``toolkit/_data`` (``[tool.setuptools.package-dir]`` in pyproject.toml), so an
installed wheel reads them through :mod:`importlib.resources`. ``TOOLKIT_DATA_DIR`` points
elsewhere, e.g. at a copy of the data.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

from .errors import FormatError


def _checkout_data() -> Path | None:
    """``data/`` of the source tree this package was imported from, if it was a checkout."""
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "data").is_dir():
        return root / "data"
    return None


def data_dir() -> Path:
    """Return the folder that holds events.csv, places.parquet and boundaries/.

    In order: ``TOOLKIT_DATA_DIR``; the ``data/`` of the checkout the package was imported from
    (``pip install -e .`` or ``PYTHONPATH``; checked first so that a second checkout never reads
    the data of the one an editable install points at); the copy inside an installed wheel.
    """
    override = os.environ.get("TOOLKIT_DATA_DIR")
    if override:
        return Path(override)
    checkout = _checkout_data()
    if checkout is not None:
        return checkout
    shipped = importlib.resources.files("toolkit") / "_data"
    if not isinstance(shipped, Path) or not shipped.is_dir():
        raise FormatError(
            f"the shipped data is missing: {shipped} is not a folder on disk (reinstall the "
            "package from a wheel or an sdist, or set TOOLKIT_DATA_DIR to a copy of data/)"
        )
    return shipped
