"""Boundary layers in ``data/boundaries/``: governorates, districts, sub-districts, countries.

Iraq: OCHA COD-AB 2019 (CSO/ITOS, CC BY 3.0 IGO) — 18 governorates (Baghdad with its real
extent), 101 districts and 294 sub-districts with English and Arabic names and P-codes. Syria:
Who's On First regions (14 governorates) and counties (districts); Jordan: Who's On First
regions (12 governorates). Countries: Natural Earth. ``scripts/build_places.py`` derives them
(simplified without gaps between neighbours) and ``data/PLACES.md`` documents them.
"""

from __future__ import annotations

import functools

from ._paths import data_dir
from .errors import FormatError

__all__ = ["BOUNDARY_LEVELS", "load_boundaries"]

#: Accepted values of ``load_boundaries(level=...)`` and the file each one reads.
BOUNDARY_LEVELS = {
    "admin1": "admin1.geojson",
    "admin2": "admin2.geojson",
    "admin3": "admin3.geojson",
    "countries": "countries.geojson",
}
_COUNTRIES = ("Iraq", "Syria", "Jordan")
_REQUIRED = {
    "admin1": {"admin1_id", "pcode", "name", "name_ar", "country"},
    "admin2": {"pcode", "name", "name_ar", "country", "admin1", "admin1_pcode"},
    "admin3": {"pcode", "name", "name_ar", "country", "admin1", "admin2", "admin2_pcode"},
    "countries": {"name", "iso_n3"},
}


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
    missing = (_REQUIRED[level] | {"geometry"}) - set(gdf.columns)
    if missing:
        raise FormatError(f"{path}: missing column(s) {sorted(missing)}")
    text = [c for c in gdf.columns if c != "geometry" and gdf[c].dtype == object]
    gdf[text] = gdf[text].fillna("")
    return gdf


def load_boundaries(level: str = "admin1", *, country=None):
    """Return a boundary layer as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    level : {"admin1", "admin2", "admin3", "countries"}
        ``"admin1"``: governorates — the 18 of Iraq (COD-AB), 14 of Syria and 12 of Jordan
        (Who's On First), with ``admin1_id`` (HASC code, e.g. ``IQ.AN``), ``pcode`` (Iraq:
        COD-AB P-code, e.g. ``IQG01``), ``name`` (the ``admin1`` values of the gazetteer and
        events), ``name_ar``, ``country``, ``alternate_names`` (``|``-separated), ``source``,
        ``licence``. ``"admin2"``: districts — the 101 of Iraq (COD-AB) and Syria's
        (Who's On First counties; ``pcode`` ``wof:<id>``), with ``admin1``, ``admin1_pcode``.
        ``"admin3"``: Iraq's 294 sub-districts, with ``admin2``, ``admin2_pcode`` too.
        ``"countries"``: Iraq and its neighbours with ``name``, ``iso_n3``.
    country : str or list of str, optional
        Keep only these countries (``"Iraq"``, ``"Syria"``, ``"Jordan"``); admin levels only.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy; one (Multi)Polygon row per unit.

    Raises
    ------
    FormatError
        For an unknown level or country (the message lists the accepted values).

    Examples
    --------
    >>> import toolkit
    >>> gov = toolkit.load_boundaries("admin1", country="Iraq")
    >>> len(gov), gov.set_index("name").loc["Baghdad", "pcode"]
    (18, 'IQG08')
    >>> len(toolkit.load_boundaries("admin2", country="Iraq"))
    101
    >>> len(toolkit.load_boundaries("admin3"))
    294
    """
    if level not in BOUNDARY_LEVELS:
        raise FormatError(
            f"load_boundaries: level={level!r} is not accepted "
            f"(expected one of: {', '.join(BOUNDARY_LEVELS)})"
        )
    gdf = _read(level)
    if country is not None:
        wanted = [country] if isinstance(country, str) else list(country)
        unknown = [c for c in wanted if c not in _COUNTRIES]
        if unknown or level == "countries":
            raise FormatError(
                f"load_boundaries: country={country!r} is not accepted for level {level!r} "
                f"(expected one or more of: {', '.join(_COUNTRIES)}, with an admin level)"
            )
        gdf = gdf[gdf["country"].isin(wanted)].reset_index(drop=True)
    return gdf.copy()
