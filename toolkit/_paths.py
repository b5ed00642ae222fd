"""Where the shipped data lives.

The package is installed in editable mode (``pip install -e .``), so the data folder is the
repository's ``data/``. ``TOOLKIT_DATA_DIR`` points elsewhere, e.g. for a copy of the data.
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """Return the folder that holds events.csv, places.csv and boundaries/."""
    override = os.environ.get("TOOLKIT_DATA_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "data"
