"""Former home of the gazetteer, kept so that ``from toolkit.geocoding import ...`` still works.

The table (load, merge, validation, ``add_places``) now lives in :mod:`toolkit.places`; name
resolution (normalise, index, resolve, reverse, find in text) in :mod:`toolkit.geocode`.
"""

from __future__ import annotations

from .geocode import (  # noqa: F401
    GEOCODE_COLUMNS,
    STATUSES,
    GeocodeWarning,
    _gazetteer,
    find_places,
    geocode,
    normalize_name,
    reverse_geocode,
)
from .places import (  # noqa: F401
    ADMIN_COLUMNS,
    FEATURE_TYPES,
    GEO_PRECISIONS,
    PLACE_COLUMNS,
    REQUIRED_PLACE_COLUMNS,
    add_places,
    load_places,
    reset_places,
)

__all__ = [
    "FEATURE_TYPES",
    "GEO_PRECISIONS",
    "PLACE_COLUMNS",
    "STATUSES",
    "GeocodeWarning",
    "add_places",
    "find_places",
    "geocode",
    "load_places",
    "normalize_name",
    "reset_places",
    "reverse_geocode",
]
