"""Point geometries for event tables (the curated dataset and the source loaders)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._threads import in_parallel

__all__ = ["points", "to_geodataframe"]


def points(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Shapely points of the coordinate pairs; ``None`` where either coordinate is missing.

    Event datasets give each named location one pair of coordinates (ACLED and UCDP from
    their gazetteers), so a million events hold far fewer distinct pairs: each distinct pair
    is built once and shared (shapely geometries are immutable).
    """
    import shapely

    missing = np.isnan(lat) | np.isnan(lon)
    out = np.full(len(lat), None, dtype=object)
    present = np.flatnonzero(~missing)
    if not len(present):
        return out
    key = lon[present] + 1j * lat[present]
    codes, distinct = pd.factorize(key)
    coordinates = np.column_stack([distinct.real, distinct.imag])
    out[present] = in_parallel(shapely.points, coordinates)[codes]
    return out


def to_geodataframe(df: pd.DataFrame):
    """Point geometry (EPSG:4326) from latitude/longitude; missing where either is missing."""
    import geopandas as gpd

    lat = df["latitude"].to_numpy(dtype="float64", na_value=np.nan)
    lon = df["longitude"].to_numpy(dtype="float64", na_value=np.nan)
    geometry = gpd.GeoSeries(points(lon, lat), index=df.index, crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326", copy=False)
