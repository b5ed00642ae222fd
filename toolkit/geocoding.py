"""Offline gazetteer of Iraq, Syria and Jordan: place names to coordinates and back.

``load_places`` returns the place table (``data/places.csv``); ``geocode`` resolves names from
reports (Latin, Arabic or Kurdish script, misspelt or not) to places; ``reverse_geocode`` gives
the governorate, country and nearest named place of points; ``find_places`` finds place mentions
in running text. Nothing is computed at import: the table and its indexes are built on first use
and cached for the session. ``add_places`` extends the table for the session (nothing is written
to ``data/``) and ``reset_places`` goes back to the shipped one.

How a name is resolved
----------------------
1. The name is normalised (:func:`toolkit.normalize_name`); a generic word in it ("air base",
   "airport", "governorate", "city", "قاعدة", ...) becomes a hint of the kind of place meant.
2. The normalised key is looked up among the keys of every place's canonical and alternate
   names. A hit on the canonical name gives status ``exact``, on an alternate name ``alias``.
3. Otherwise the key is compared with all keys: first by consonant skeleton (vowels are what
   transliterations disagree on), then with :func:`rapidfuzz.fuzz.ratio`; a close enough match
   gives status ``fuzzy`` with its score (0-100).
4. Hints (``country=``, ``admin1=``) remove candidates elsewhere. Among what remains, the kind
   named by the hint comes first (``"Erbil air base"`` -> the air base); without a hint,
   populated places come before governorates and sites (``"Erbil"`` -> the city). When the
   remaining candidates lie more than 50 km apart (and one is not the governorate holding the
   other) the name is ``ambiguous``: it is not resolved and ``candidates`` lists the place ids
   (unless the first is a city of >= 100,000 people or a governorate and the others are small
   towns: then the first is chosen and the small homonyms are listed in ``candidates``).
5. Anything else is ``not_found``; its row is kept.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._normalize import FEATURE_HINTS, analyse_name, misspelt_generic, normalize_name, skeleton
from ._paths import data_dir
from .errors import DataValidationError, FormatError, Problem
from .schema import GEO_PRECISIONS

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

#: Kinds of place in ``data/places.csv``.
FEATURE_TYPES = (
    "governorate",
    "district",
    "city",
    "town",
    "neighbourhood",
    "military_base",
    "airport",
    "diplomatic",
    "oilfield",
    "border_crossing",
)
#: Outcomes of :func:`geocode`.
STATUSES = ("exact", "alias", "fuzzy", "ambiguous", "not_found")
#: Columns of ``data/places.csv``, in order.
PLACE_COLUMNS = (
    "place_id",
    "name",
    "feature_type",
    "latitude",
    "longitude",
    "geo_precision",
    "admin1",
    "country",
    "alternate_names",
    "population",
    "source",
    "source_url",
    "licence",
    "note",
)
GEOCODE_COLUMNS = (
    "query",
    "place_id",
    "name",
    "feature_type",
    "admin1",
    "country",
    "score",
    "status",
    "candidates",
    "geometry",
)

# Without a hint, populated places are what a bare name most often means.
_DEFAULT_ORDER = (
    "city",
    "governorate",
    "town",
    "neighbourhood",
    "district",
    "military_base",
    "airport",
    "diplomatic",
    "oilfield",
    "border_crossing",
)
_RELATED_KM = 50.0  # candidates closer than this are one place under several names
# A city (>= 100,000 people) or governorate outranks far-away small homonyms (< 50,000):
# "Arbil" is Erbil, not the Syrian village that GeoNames also calls Arbil. The homonyms are
# still listed in the candidates column.
_MAJOR_POPULATION = 100_000
_MINOR_POPULATION = 50_000
_EARTH_RADIUS_KM = 6371.0088
_COUNTRY_CODES = {
    "Iraq": ("IQ", "IRQ", "العراق", "عێراق"),
    "Syria": ("SY", "SYR", "Syrian Arab Republic", "سوريا", "سورية", "سووریا"),
    "Jordan": ("JO", "JOR", "الأردن", "ئوردن"),
}
# Single English words that are also names in the gazetteer; find_places skips them when they
# stand alone in running text ("hit", "Omar", "Amin" ...).
_TEXT_STOPWORDS = frozenset(
    {
        "hit",
        "ana",
        "amin",
        "omar",
        "base",
        "camp",
        "green",
        "union",
        "tower",
        "victory",
        "city",
        "zone",
        "island",
        "center",
        "centre",
        "village",
        "palace",
        "field",
        "airport",
        "embassy",
    }
)


class GeocodeWarning(UserWarning):
    """Some names were not found or were ambiguous (the message gives the counts)."""


# ----------------------------------------------------------------------------------------------
# the place table


def _places_path():
    return data_dir() / "places.csv"


def _place_problems(df: pd.DataFrame, file: str, rows: list) -> list[Problem]:
    """Problems of the id, kind, precision and coordinates of each row (all values text)."""
    problems = []
    for row, pid, ftype, prec, lat, lon in zip(
        rows,
        df["place_id"],
        df["feature_type"],
        df["geo_precision"],
        df["latitude"],
        df["longitude"],
        strict=True,
    ):
        if not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", pid):
            problems.append(Problem(file, row, "place_id", pid, "is not a snake_case id"))
        if ftype not in FEATURE_TYPES:
            problems.append(
                Problem(file, row, "feature_type", ftype, f"is not one of {FEATURE_TYPES}")
            )
        if prec not in GEO_PRECISIONS:
            problems.append(
                Problem(file, row, "geo_precision", prec, f"is not one of {GEO_PRECISIONS}")
            )
        for column, value, low, high in (("latitude", lat, -90, 90), ("longitude", lon, -180, 180)):
            try:
                ok = low <= float(value) <= high
            except ValueError:
                ok = False
            if not ok:
                problems.append(
                    Problem(file, row, column, value, f"is not a number in [{low}, {high}]")
                )
    return problems


def _typed_places(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["latitude"] = df["latitude"].astype(float)
    df["longitude"] = df["longitude"].astype(float)
    df["population"] = pd.array(pd.to_numeric(df["population"].replace("", None)), dtype="Int64")
    return df


@functools.cache
def _shipped_places() -> pd.DataFrame:
    path = _places_path()
    if not path.exists():
        raise FormatError(
            f"{path}: file not found (expected the shipped gazetteer; regenerate it with "
            "scripts/build_places.py)"
        )
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    file = str(path)
    missing = [c for c in PLACE_COLUMNS if c not in df.columns]
    if missing:
        raise DataValidationError(
            [Problem(file, None, c, None, "column is missing") for c in missing]
        )
    problems = _place_problems(df, file, list(range(2, len(df) + 2)))
    duplicated = df["place_id"].duplicated()
    problems += [
        Problem(file, row + 2, "place_id", df["place_id"].iloc[row], "is a duplicate")
        for row in np.flatnonzero(duplicated.to_numpy())
    ]
    if problems:
        raise DataValidationError(problems)
    return _typed_places(df)


# Places added with add_places for this session, in the order they were added.
_ADDED: list[pd.DataFrame] = []


@functools.cache
def _places_table() -> pd.DataFrame:
    """The shipped gazetteer followed by the places added this session."""
    shipped = _shipped_places()
    if not _ADDED:
        return shipped
    return pd.concat([shipped, *_ADDED], ignore_index=True)


def _forget_indexes() -> None:
    """Drop everything built from the place table; the next call rebuilds it."""
    _places_table.cache_clear()
    _gazetteer.cache_clear()


def load_places():
    """Return the gazetteer as a GeoDataFrame (EPSG:4326), one row per place.

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of ``data/places.csv`` (see ``data/PLACES.md``): ``place_id``, ``name``,
        ``feature_type``, ``latitude``, ``longitude``, ``geo_precision``, ``admin1``,
        ``country``, ``alternate_names`` (``|``-separated), ``population`` (``Int64``),
        ``source``, ``source_url``, ``licence``, ``note``; plus point ``geometry``.

    Examples
    --------
    >>> import toolkit
    >>> places = toolkit.load_places()
    >>> places.set_index("place_id").loc["ain_al_asad", ["admin1", "feature_type"]].tolist()
    ['Anbar', 'military_base']
    """
    import geopandas as gpd

    df = _places_table().copy()
    geometry = gpd.points_from_xy(df["longitude"], df["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")


# ----------------------------------------------------------------------------------------------
# places added for the session

#: Columns :func:`add_places` requires; the other columns of ``PLACE_COLUMNS`` are optional.
REQUIRED_PLACE_COLUMNS = ("place_id", "name", "feature_type", "latitude", "longitude", "country")
_ADDED_SOURCE = "added with toolkit.add_places (this session)"


def _as_text(value) -> str:
    return "" if _is_missing(value) else str(value).strip()


def _read_new_places(places) -> tuple[pd.DataFrame, str, list]:
    """The table given to add_places, its name in messages and its row labels."""
    from pathlib import Path

    if isinstance(places, (str, Path)):
        path = Path(places)
        if not path.exists():
            raise FormatError(f"add_places: {path}: file not found (expected a CSV of places)")
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        return df, str(path), list(range(2, len(df) + 2))
    if isinstance(places, pd.DataFrame):
        return places, "add_places", list(places.index)
    raise FormatError(
        f"add_places: places is a {type(places).__name__} (expected a pandas DataFrame or the "
        "path of a CSV file with the columns of data/places.csv)"
    )


def add_places(places):
    """Add places to the gazetteer for the rest of the session.

    The new rows are checked as strictly as ``data/places.csv`` and then seen by
    :func:`geocode`, :func:`find_places`, :func:`reverse_geocode` and :func:`load_places` until
    :func:`reset_places` is called or Python exits. Nothing is written to ``data/``: to share a
    place with others, add it to ``data/sites_researched.csv`` with a cited source.

    Parameters
    ----------
    places : pandas.DataFrame or path of a CSV file
        One row per place, with the columns of ``data/places.csv`` (see ``data/PLACES.md``).
        Required: ``place_id`` (snake_case, not already in the gazetteer), ``name``,
        ``feature_type`` (one of ``FEATURE_TYPES``), ``latitude``, ``longitude`` (WGS84, a
        point inside the country) and ``country`` (``Iraq``, ``Syria`` or ``Jordan``).
        Optional: ``admin1`` (a governorate of the country, any of its names; when empty it
        is taken from the governorate polygons), ``alternate_names`` (``|``-separated, any
        script), ``geo_precision`` (default ``site``), ``population``, ``source`` (default
        "added with toolkit.add_places (this session)"), ``source_url``, ``licence``, ``note``.

    Returns
    -------
    geopandas.GeoDataFrame
        The added rows as :func:`load_places` now returns them (``admin1`` filled in).

    Raises
    ------
    DataValidationError
        Listing every problem at once: file (or ``add_places`` for a DataFrame), row (CSV line
        number, or the DataFrame's index label), column, value and what is expected. Nothing
        is added when any row is wrong.
    FormatError
        When ``places`` is neither a DataFrame nor the path of an existing file.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit
    >>> new = pd.DataFrame(
    ...     {
    ...         "place_id": ["kadhimiya"],
    ...         "name": ["Kadhimiya"],
    ...         "feature_type": ["neighbourhood"],
    ...         "latitude": [33.38],
    ...         "longitude": [44.33806],
    ...         "country": ["Iraq"],
    ...         "alternate_names": ["Al-Kadhimiya|Kadhimain|الكاظمية"],
    ...     }
    ... )
    >>> toolkit.add_places(new)[["place_id", "admin1", "geo_precision"]].values.tolist()
    [['kadhimiya', 'Baghdad', 'site']]
    >>> toolkit.geocode("الكاظمية")[["place_id", "status"]].values.tolist()
    [['kadhimiya', 'alias']]
    >>> toolkit.reset_places()
    """
    from .schema import COUNTRIES, _country_check

    df, file, rows = _read_new_places(places)
    problems: list[Problem] = []
    columns = [c for c in df.columns if c != "geometry"]
    missing = [c for c in REQUIRED_PLACE_COLUMNS if c not in columns]
    if missing:
        required = ", ".join(REQUIRED_PLACE_COLUMNS)
        problems += [
            Problem(
                file, None, "", c, f"is a required column and is missing (required: {required})"
            )
            for c in missing
        ]
    accepted = ", ".join(PLACE_COLUMNS)
    problems += [
        Problem(file, None, "", c, f"is not a column of data/places.csv (accepted: {accepted})")
        for c in columns
        if c not in PLACE_COLUMNS
    ]
    if problems:
        raise DataValidationError(problems)

    new = pd.DataFrame(
        {c: [_as_text(v) for v in df[c]] if c in df.columns else "" for c in PLACE_COLUMNS},
        index=range(len(df)),
        columns=list(PLACE_COLUMNS),
    )
    new.loc[new["geo_precision"] == "", "geo_precision"] = "site"
    new.loc[new["source"] == "", "source"] = _ADDED_SOURCE
    problems = _place_problems(new, file, rows)
    g = _gazetteer()
    taken = set(g.ids)
    seen: set[str] = set()
    for i, row in enumerate(rows):
        pid, name, country = new.at[i, "place_id"], new.at[i, "name"], new.at[i, "country"]
        if pid in taken:
            problems.append(
                Problem(
                    file,
                    row,
                    "place_id",
                    pid,
                    "is already a place of the gazetteer (expected a new id; reset_places() "
                    "drops the places added earlier)",
                )
            )
        elif pid in seen:
            problems.append(Problem(file, row, "place_id", pid, "is a duplicate"))
        seen.add(pid)
        if not name:
            problems.append(Problem(file, row, "name", name, "is empty (a name is required)"))
        if country not in COUNTRIES:
            problems.append(Problem(file, row, "country", country, f"is not one of {COUNTRIES}"))
        admin1 = new.at[i, "admin1"]
        if admin1 and country in COUNTRIES:
            found = {a for c, a in g.admin1_lookup.get(analyse_name(admin1)[0], ()) if c == country}
            if len(found) == 1:
                new.at[i, "admin1"] = found.pop()
            else:
                problems.append(
                    Problem(
                        file,
                        row,
                        "admin1",
                        admin1,
                        f"is not a governorate of {country} (expected one of: "
                        f"{', '.join(g.admin1_names.get(country, ()))})",
                    )
                )
        population = new.at[i, "population"]
        if population.endswith(".0"):
            population = new.at[i, "population"] = population[:-2]
        if population and not population.isdigit():
            problems.append(
                Problem(file, row, "population", population, "is not a whole number >= 0")
            )
    lat = pd.to_numeric(new["latitude"], errors="coerce")
    lon = pd.to_numeric(new["longitude"], errors="coerce")
    for i, country in _country_check(new["country"].tolist(), lat.tolist(), lon.tolist()):
        problems.append(
            Problem(
                file,
                rows[i],
                "latitude/longitude",
                (float(lat.iloc[i]), float(lon.iloc[i])),
                f"is outside {country} (expected a point inside the country)",
            )
        )
    if problems:
        order = {row: i for i, row in enumerate(rows)}
        raise DataValidationError(sorted(problems, key=lambda p: order.get(p.row, -1)))
    if new.empty:
        return load_places().iloc[:0]

    blank = np.flatnonzero((new["admin1"] == "").to_numpy())
    if len(blank):
        lookup = reverse_geocode(list(zip(lon.iloc[blank], lat.iloc[blank], strict=True)))
        for i, found in zip(blank, lookup["admin1"], strict=True):
            if found in g.admin1_names.get(new.at[i, "country"], ()):
                new.at[i, "admin1"] = found
    _ADDED.append(_typed_places(new))
    _forget_indexes()
    out = load_places()
    return out[out["place_id"].isin(new["place_id"])]


def reset_places() -> None:
    """Forget the places added with :func:`add_places`: back to the shipped gazetteer."""
    _ADDED.clear()
    _forget_indexes()


# ----------------------------------------------------------------------------------------------
# the index


@dataclass(frozen=True)
class _Gazetteer:
    ids: np.ndarray
    names: np.ndarray
    feature_types: np.ndarray
    admin1: np.ndarray
    countries: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    default_rank: np.ndarray
    population: np.ndarray
    # key -> ((place, matched the canonical name, matched a name with a generic word), ...)
    keys: dict[str, tuple[tuple[int, bool, bool], ...]]
    skeletons: dict[str, tuple[str, ...]]
    choices: tuple[str, ...]
    country_lookup: dict[str, str]
    admin1_lookup: dict[str, tuple[tuple[str, str], ...]]  # key -> ((country, admin1), ...)
    admin1_names: dict[str, tuple[str, ...]]  # country -> admin1 names


@functools.cache
def _gazetteer() -> _Gazetteer:
    places = _places_table()
    keys: dict[str, list[tuple[int, bool, bool]]] = {}
    for i, (name, alternates) in enumerate(
        zip(places["name"], places["alternate_names"], strict=True)
    ):
        canonical = analyse_name(name)[0]
        found: dict[str, bool] = {}  # key -> every name giving it had a generic word
        for alias in [name, *alternates.split("|")]:
            key, hint = analyse_name(alias) if alias else ("", None)
            if key:
                found[key] = found.get(key, True) and hint is not None
        for key, hinted in found.items():
            keys.setdefault(key, []).append((i, key == canonical, hinted))
    skeletons: dict[str, list[str]] = {}
    for key in keys:
        sk = skeleton(key)
        if len(key) >= 5 and len(sk.replace(" ", "")) >= 3:
            skeletons.setdefault(sk, []).append(key)

    country_lookup = {}
    for country in sorted(set(places["country"])):
        for alias in (country, *_COUNTRY_CODES.get(country, ())):
            country_lookup[analyse_name(alias)[0]] = country
    governorates = places[places["feature_type"] == "governorate"]
    admin1_lookup: dict[str, list[tuple[str, str]]] = {}
    for country, admin1, name, alternates in zip(
        governorates["country"],
        governorates["admin1"],
        governorates["name"],
        governorates["alternate_names"],
        strict=True,
    ):
        for alias in [admin1, name, *alternates.split("|")]:
            key = analyse_name(alias)[0] if alias else ""
            if key and (country, admin1) not in admin1_lookup.get(key, []):
                admin1_lookup.setdefault(key, []).append((country, admin1))
    admin1_names = {c: tuple(sorted(set(g["admin1"]))) for c, g in governorates.groupby("country")}
    rank = {ftype: i for i, ftype in enumerate(_DEFAULT_ORDER)}
    return _Gazetteer(
        ids=places["place_id"].to_numpy(dtype=object),
        names=places["name"].to_numpy(dtype=object),
        feature_types=places["feature_type"].to_numpy(dtype=object),
        admin1=places["admin1"].to_numpy(dtype=object),
        countries=places["country"].to_numpy(dtype=object),
        lat=places["latitude"].to_numpy(dtype=float),
        lon=places["longitude"].to_numpy(dtype=float),
        default_rank=places["feature_type"].map(rank).to_numpy(dtype=int),
        population=places["population"].astype("float64").fillna(0).to_numpy(),
        keys={k: tuple(v) for k, v in keys.items()},
        skeletons={k: tuple(v) for k, v in skeletons.items()},
        choices=tuple(keys),
        country_lookup=country_lookup,
        admin1_lookup={k: tuple(v) for k, v in admin1_lookup.items()},
        admin1_names=admin1_names,
    )


def _km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (haversine); broadcasts over numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


# ----------------------------------------------------------------------------------------------
# resolution


@dataclass(frozen=True)
class _Outcome:
    place: int  # -1 when not resolved
    canonical: bool
    candidates: tuple[int, ...]
    kind: str  # "resolved", "ambiguous" or "excluded" (hints left nothing)


def _related(g: _Gazetteer, top: int, other: int) -> bool:
    if other == top:
        return True
    if g.feature_types[other] == "governorate" and g.admin1[other] == g.admin1[top]:
        return True  # the governorate that holds the place
    if g.feature_types[top] == "governorate" and g.admin1[top] == g.admin1[other]:
        return True
    return float(_km(g.lat[top], g.lon[top], g.lat[other], g.lon[other])) <= _RELATED_KM


def _resolve(
    g: _Gazetteer,
    matches: Iterable[tuple[int, bool, bool]],
    hint: str | None,
    country: str | None,
    admin1: str | None,
) -> _Outcome:
    matches = list(matches)
    if hint is None and not all(hinted for _, _, hinted in matches):
        # A bare name means the places called so without a generic word: "Qadisiyah" is the
        # governorate, not the air base once named "Qadisiyah Air Base".
        matches = [m for m in matches if not m[2]]
    canonical: dict[int, bool] = {}
    for place, is_canonical, _ in matches:
        canonical[place] = canonical.get(place, False) or is_canonical
    pool = [
        i
        for i in canonical
        if (country is None or g.countries[i] == country)
        and (admin1 is None or g.admin1[i] == admin1)
    ]
    if not pool:
        return _Outcome(-1, False, tuple(canonical), "excluded")
    preferred = FEATURE_HINTS.get(hint, ()) if hint else ()
    hinted = [i for i in pool if g.feature_types[i] in preferred]
    if hinted:
        pool = hinted
        pool.sort(
            key=lambda i: (
                preferred.index(g.feature_types[i]),
                not canonical[i],
                -g.population[i],
            )
        )
    else:
        pool.sort(key=lambda i: (g.default_rank[i], not canonical[i], -g.population[i]))
    top = pool[0]
    unrelated = [other for other in pool[1:] if not _related(g, top, other)]
    if not unrelated:
        return _Outcome(top, canonical[top], (), "resolved")
    if _dominates(g, top, unrelated):
        return _Outcome(top, canonical[top], tuple(unrelated), "resolved")
    return _Outcome(-1, False, tuple(pool), "ambiguous")


def _dominates(g: _Gazetteer, top: int, others: list[int]) -> bool:
    major = g.feature_types[top] == "governorate" or (
        g.feature_types[top] == "city" and g.population[top] >= _MAJOR_POPULATION
    )
    minor = all(
        g.feature_types[o] in ("town", "neighbourhood", "district")
        and g.population[o] < _MINOR_POPULATION
        for o in others
    )
    return major and minor


def _fuzzy_cutoff(key: str) -> float:
    n = len(key.replace(" ", ""))
    if n <= 4:
        return 101.0  # too short to guess safely
    if n == 5:
        return 90.0
    if n <= 7:
        return 84.0
    return 80.0


def _fuzzy_matches(g: _Gazetteer, queries: list[str]) -> list[tuple[float, tuple[str, ...]]]:
    """Best score and the keys within 2 points of it, for each query key (score 0: none)."""
    from rapidfuzz import fuzz, process

    out: list[tuple[float, tuple[str, ...]]] = [(0.0, ())] * len(queries)
    todo = [i for i, q in enumerate(queries) if _fuzzy_cutoff(q) <= 100]
    # Skeleton look-up first: consonants agree, vowels differ (Erbil / Arbil / Irbil).
    for i in todo:
        q = queries[i]
        sk = skeleton(q)
        if len(q) >= 6 and sk in g.skeletons:
            scored = [(fuzz.ratio(q, k), k) for k in g.skeletons[sk]]
            best = max(s for s, _ in scored)
            if best >= 70:
                out[i] = (best, tuple(k for s, k in scored if s >= best - 2))
    choices = list(g.choices)
    lowest = min((_fuzzy_cutoff(queries[i]) for i in todo), default=101.0)
    chunk = 2048
    for start in range(0, len(todo), chunk):
        rows = todo[start : start + chunk]
        scores = process.cdist(
            [queries[i] for i in rows],
            choices,
            scorer=fuzz.ratio,
            dtype=np.uint8,
            score_cutoff=math.floor(lowest),
            workers=-1,
        )
        best = scores.max(axis=1)
        for r, i in enumerate(rows):
            b = float(best[r])
            if b < _fuzzy_cutoff(queries[i]) or b <= out[i][0]:
                continue
            near = np.flatnonzero(scores[r] >= b - 2)
            out[i] = (b, tuple(choices[j] for j in near))
    return out


# ----------------------------------------------------------------------------------------------
# argument checking


def _as_names(names) -> tuple[list, pd.Index | None]:
    if isinstance(names, str):
        return [names], None
    if isinstance(names, pd.DataFrame):
        raise FormatError(
            "geocode: names is a DataFrame (expected a str, a list of str or a Series: "
            "pass one column, e.g. events['location'])"
        )
    if isinstance(names, pd.Series):
        return names.tolist(), names.index
    if isinstance(names, (list, tuple, np.ndarray, pd.Index)):
        return list(names), None
    raise FormatError(
        f"geocode: names is a {type(names).__name__} (expected a str, a list of str, a numpy "
        "array or a pandas Series of place names)"
    )


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _check_names(values: list) -> None:
    bad = [(i, v) for i, v in enumerate(values) if not (isinstance(v, str) or _is_missing(v))]
    if bad:
        shown = ", ".join(f"names[{i}] = {v!r} ({type(v).__name__})" for i, v in bad[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise FormatError(
            f"geocode: {shown}{more} is not a place name (expected str, or None/NaN for a "
            "missing value)"
        )


def _canonical_country(g: _Gazetteer, value) -> str | None:
    if _is_missing(value):
        return None
    country = g.country_lookup.get(analyse_name(str(value))[0]) if isinstance(value, str) else None
    if country is None:
        accepted = ", ".join(sorted(set(g.country_lookup.values())))
        raise FormatError(
            f"geocode: country={value!r} is not a country of the gazetteer "
            f"(expected one of: {accepted}; ISO codes such as 'IQ' are accepted too)"
        )
    return country


def _canonical_admin1(g: _Gazetteer, value, country: str | None) -> str | None:
    if _is_missing(value):
        return None
    found = g.admin1_lookup.get(analyse_name(str(value))[0], ()) if isinstance(value, str) else ()
    if country is not None:
        found = tuple(f for f in found if f[0] == country)
    if len({a for _, a in found}) == 1:
        return found[0][1]
    scope = [country] if country else sorted(g.admin1_names)
    accepted = "; ".join(f"{c}: {', '.join(g.admin1_names[c])}" for c in scope)
    problem = "matches more than one governorate" if found else "is not a governorate"
    raise FormatError(f"geocode: admin1={value!r} {problem} (expected one of — {accepted})")


def _hint_values(argument: str, value, n: int) -> list:
    if value is None or isinstance(value, str):
        return [value] * n
    if isinstance(value, (list, tuple, np.ndarray, pd.Series, pd.Index)):
        values = list(value)
        if len(values) != n:
            raise FormatError(
                f"geocode: {argument} has {len(values)} values for {n} names (expected one "
                "value, or one per name)"
            )
        return values
    raise FormatError(
        f"geocode: {argument}={value!r} is a {type(value).__name__} (expected a str, or a "
        "list/Series with one value per name)"
    )


# ----------------------------------------------------------------------------------------------
# geocode


def _split_hints(g: _Gazetteer, query: str, country, admin1):
    """'Balad, Salah al-Din, Iraq' -> ('Balad', 'Iraq', 'Salah al-Din') when the tail is known."""
    if "," not in query and "،" not in query:
        return query, country, admin1
    parts = [p.strip() for p in re.split(r"[,،]", query)]
    head, tail = parts[0], [p for p in parts[1:] if p]
    new_country, new_admin1 = country, admin1
    for part in tail:
        key = analyse_name(part)[0]
        if key in g.country_lookup and new_country is None:
            new_country = g.country_lookup[key]
        elif key in g.admin1_lookup and new_admin1 is None:
            options = g.admin1_lookup[key]
            if new_country is not None:
                options = tuple(o for o in options if o[0] == new_country)
            if len({a for _, a in options}) != 1:
                return query, country, admin1
            new_admin1 = options[0][1]
        else:
            return query, country, admin1  # the comma is part of the name
    return head, new_country, new_admin1


def geocode(names, *, country=None, admin1=None):
    """Resolve place names to places of the gazetteer.

    Parameters
    ----------
    names : str, list of str, numpy array or pandas Series
        Place names as reports write them, in Latin, Arabic or Kurdish script. A trailing
        ", governorate" or ", country" (``"Balad, Salah al-Din"``) is read as a hint.
    country : str or list-like, optional
        ``"Iraq"``, ``"Syria"`` or ``"Jordan"`` (or ``IQ``/``SY``/``JO``, Arabic names); one
        value for all names or one per name (``None`` for no hint).
    admin1 : str or list-like, optional
        A governorate (any of its names: ``"Anbar"``, ``"Al-Anbar"``, ``"الأنبار"``); one value
        or one per name.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per input name, same order (and the Series' index when a Series was given),
        EPSG:4326, columns ``query``, ``place_id``, ``name``, ``feature_type``, ``admin1``,
        ``country``, ``score`` (100 for exact and alias matches, the rapidfuzz score for fuzzy
        ones, NaN when nothing came close), ``status`` (categorical: ``exact``, ``alias``,
        ``fuzzy``, ``ambiguous``, ``not_found``), ``candidates`` (``|``-separated place ids:
        of an ambiguous name; of far-away small homonyms a city or governorate was preferred
        to; of the places a hint excluded; ``""`` otherwise) and point
        ``geometry`` (empty unless resolved). ``.attrs["status_counts"]`` holds the count of
        each status; a :class:`GeocodeWarning` says how many names were not resolved.

    Raises
    ------
    FormatError
        When ``names`` is not text, or a hint is not a country/governorate of the gazetteer
        (the message lists the accepted values).

    Examples
    --------
    >>> import toolkit
    >>> out = toolkit.geocode(["Ain al-Asad", "Al-Assad airbase", "عين الأسد", "Erbil air base"])
    >>> out[["place_id", "status"]].values.tolist()
    [['ain_al_asad', 'exact'], ['ain_al_asad', 'alias'], ['ain_al_asad', 'alias'], \
['erbil_air_base', 'exact']]
    >>> toolkit.geocode("Erbil governorate")["place_id"].iloc[0]
    'erbil_governorate'
    """
    import geopandas as gpd
    import shapely

    values, index = _as_names(names)
    _check_names(values)
    n = len(values)
    g = _gazetteer()
    country_values = _hint_values("country", country, n)
    admin1_values = _hint_values("admin1", admin1, n)
    countries = [_canonical_country(g, c) for c in dict.fromkeys(country_values)]
    country_map = dict(zip(dict.fromkeys(country_values), countries, strict=True))
    admin1_map = {}
    for a, c in dict.fromkeys(zip(admin1_values, country_values, strict=True)):
        admin1_map[(a, c)] = _canonical_admin1(g, a, country_map[c])

    # Work on distinct (name, country, admin1) triples only.
    triples = [
        (None if _is_missing(v) else v, country_map[c], admin1_map[(a, c)])
        for v, c, a in zip(values, country_values, admin1_values, strict=True)
    ]
    codes, uniques = pd.factorize(pd.Series(triples, dtype=object))
    m = len(uniques)
    place = np.full(m, -1, dtype=np.int64)
    status = np.full(m, "not_found", dtype=object)
    score = np.full(m, np.nan)
    candidates = np.full(m, "", dtype=object)
    pending: list[tuple[int, str, str | None, str | None, str | None]] = []
    memo: dict[tuple, _Outcome] = {}

    def record(u: int, outcome: _Outcome, s: float, resolved_status: str) -> None:
        if outcome.kind == "resolved":
            place[u], status[u], score[u] = outcome.place, resolved_status, s
            candidates[u] = "|".join(g.ids[i] for i in outcome.candidates)
        else:
            status[u] = "ambiguous" if outcome.kind == "ambiguous" else "not_found"
            score[u] = s
            candidates[u] = "|".join(g.ids[i] for i in outcome.candidates)

    for u, (value, c, a) in enumerate(uniques):
        if value is None:
            continue
        name, c, a = _split_hints(g, value.strip(), c, a)
        key, hint = analyse_name(name)
        if not key:
            continue
        if key in g.keys:
            memo_key = (key, hint, c, a)
            outcome = memo.get(memo_key)
            if outcome is None:
                outcome = memo[memo_key] = _resolve(g, g.keys[key], hint, c, a)
            record(u, outcome, 100.0, "exact" if outcome.canonical else "alias")
        else:
            shorter, generic_hint, similarity = misspelt_generic(key)
            if shorter != key and shorter in g.keys:  # "Ain al-Asad airbse"
                outcome = _resolve(g, g.keys[shorter], hint or generic_hint, c, a)
                record(u, outcome, similarity, "fuzzy")
            else:
                pending.append((u, key, hint, c, a))

    if pending:
        found = _fuzzy_matches(g, [p[1] for p in pending])
        for (u, _, hint, c, a), (best, keys) in zip(pending, found, strict=True):
            if not keys:
                score[u] = best if best > 0 else np.nan
                continue
            matches = [m for k in keys for m in g.keys[k]]
            record(u, _resolve(g, matches, hint, c, a), best, "fuzzy")

    rows_place = place[codes]
    ok = rows_place >= 0
    safe = np.where(ok, rows_place, 0)

    def column(array: np.ndarray) -> np.ndarray:
        return np.where(ok, array[safe], None)

    geometry = np.full(n, shapely.Point(), dtype=object)
    geometry[ok] = shapely.points(g.lon[rows_place[ok]], g.lat[rows_place[ok]])
    row_status = status[codes]
    out = gpd.GeoDataFrame(
        {
            "query": pd.Series(values, dtype=object)
            .where([not _is_missing(v) for v in values], None)
            .to_numpy(),
            "place_id": column(g.ids),
            "name": column(g.names),
            "feature_type": column(g.feature_types),
            "admin1": column(g.admin1),
            "country": column(g.countries),
            "score": score[codes],
            "status": pd.Categorical(row_status, categories=STATUSES),
            "candidates": candidates[codes],
        },
        geometry=gpd.GeoSeries(geometry, crs="EPSG:4326").to_numpy(),
        crs="EPSG:4326",
        index=index,
    )
    counts = {s: int(c) for s, c in out["status"].value_counts().reindex(STATUSES).items()}
    out.attrs["status_counts"] = counts
    unresolved = counts["not_found"] + counts["ambiguous"]
    if unresolved:
        warnings.warn(
            f"geocode: {counts['not_found']} of {n} name(s) not found and "
            f"{counts['ambiguous']} ambiguous; their rows are kept with empty geometry "
            "(see the 'status' and 'candidates' columns; hints country=/admin1= narrow "
            "ambiguous names)",
            GeocodeWarning,
            stacklevel=2,
        )
    return out


# ----------------------------------------------------------------------------------------------
# reverse geocoding


def _as_points(points):
    """Longitude and latitude arrays (EPSG:4326) and the index to align the output to."""
    import geopandas as gpd
    import shapely

    if isinstance(points, (gpd.GeoDataFrame, gpd.GeoSeries)):
        geo = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
        if geo.crs is not None and geo.crs.to_epsg() != 4326:
            geo = geo.to_crs("EPSG:4326")
        kinds = set(geo.geom_type.dropna())
        if kinds - {"Point"}:
            raise FormatError(
                f"reverse_geocode: geometries of type {sorted(kinds - {'Point'})} (expected "
                "points; use .representative_point() for polygons)"
            )
        arr = geo.to_numpy()
        valid = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
        lon = np.full(len(arr), np.nan)
        lat = np.full(len(arr), np.nan)
        lon[valid] = shapely.get_x(arr[valid])
        lat[valid] = shapely.get_y(arr[valid])
        return lon, lat, geo.index
    if isinstance(points, pd.DataFrame):
        if not {"longitude", "latitude"} <= set(points.columns):
            raise FormatError(
                "reverse_geocode: the DataFrame has no 'longitude' and 'latitude' columns "
                f"(found {list(points.columns)[:8]}; a GeoDataFrame of points works too)"
            )
        return (
            pd.to_numeric(points["longitude"]).to_numpy(dtype=float),
            pd.to_numeric(points["latitude"]).to_numpy(dtype=float),
            points.index,
        )
    try:
        arr = np.asarray(points, dtype=float)
    except (TypeError, ValueError) as error:
        raise FormatError(
            "reverse_geocode: points must be a GeoSeries/GeoDataFrame of points, a DataFrame "
            "with longitude/latitude columns, or (longitude, latitude) pairs"
        ) from error
    if arr.ndim == 1 and arr.size == 2:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise FormatError(
            f"reverse_geocode: got an array of shape {arr.shape} (expected (n, 2) "
            "(longitude, latitude) pairs)"
        )
    return arr[:, 0], arr[:, 1], None


@functools.cache
def _polygon_trees():
    import shapely

    from .boundaries import load_boundaries

    admin1 = load_boundaries("admin1")
    countries = load_boundaries("countries")
    return (
        shapely.STRtree(admin1.geometry.to_numpy()),
        admin1["name"].to_numpy(dtype=object),
        admin1["country"].to_numpy(dtype=object),
        shapely.STRtree(countries.geometry.to_numpy()),
        countries["name"].to_numpy(dtype=object),
    )


def _first_hit(tree, points, n: int) -> np.ndarray:
    hit = np.full(n, -1, dtype=np.int64)
    pairs = tree.query(points, predicate="intersects")
    # keep the first polygon listed for each point
    for p, t in zip(pairs[0][::-1], pairs[1][::-1], strict=True):
        hit[p] = t
    return hit


def reverse_geocode(points, *, feature_types=None):
    """Return the governorate, country and nearest named place of each point.

    Parameters
    ----------
    points : GeoSeries, GeoDataFrame, DataFrame or sequence of (longitude, latitude)
        Points in any CRS (GeoPandas input is reprojected to EPSG:4326); a DataFrame needs
        ``longitude`` and ``latitude`` columns.
    feature_types : str or list of str, optional
        Restrict the nearest place to these kinds (e.g. ``["military_base", "airport",
        "diplomatic"]`` for the nearest site). By default any place except governorates.

    Returns
    -------
    geopandas.GeoDataFrame
        Aligned with the input (same order and, for pandas input, index), columns ``admin1``
        and ``country`` (from the shipped polygons; ``None`` outside them), ``place_id``,
        ``name``, ``feature_type`` of the nearest place, ``distance_km`` (great-circle) and the
        input points as ``geometry``. Natural Earth's polygons are generalised: near a
        border, and in outer Baghdad governorate, ``admin1`` can be the neighbour's.

    Examples
    --------
    >>> import toolkit
    >>> out = toolkit.reverse_geocode([(42.44, 33.79)])
    >>> out[["admin1", "country", "place_id"]].values.tolist()
    [['Anbar', 'Iraq', 'ain_al_asad']]
    """
    import geopandas as gpd
    import shapely

    lon, lat, index = _as_points(points)
    n = len(lon)
    if feature_types is None:
        allowed = [t for t in FEATURE_TYPES if t != "governorate"]
    else:
        allowed = [feature_types] if isinstance(feature_types, str) else list(feature_types)
        unknown = [t for t in allowed if t not in FEATURE_TYPES]
        if unknown:
            raise FormatError(
                f"reverse_geocode: feature_types={unknown!r} not accepted (expected any of: "
                f"{', '.join(FEATURE_TYPES)})"
            )
    finite = np.isfinite(lon) & np.isfinite(lat)
    geoms = np.full(n, shapely.Point(), dtype=object)
    geoms[finite] = shapely.points(lon[finite], lat[finite])

    admin_tree, admin_names, admin_countries, country_tree, country_names = _polygon_trees()
    admin_hit = _first_hit(admin_tree, geoms, n)
    country_hit = _first_hit(country_tree, geoms, n)
    country_out = np.where(country_hit >= 0, country_names[np.maximum(country_hit, 0)], None)
    admin_out = np.where(admin_hit >= 0, admin_names[np.maximum(admin_hit, 0)], None)
    admin_country = np.where(admin_hit >= 0, admin_countries[np.maximum(admin_hit, 0)], None)
    # Generalised borders: trust the country layer, and fix an admin1 of another country.
    for i in np.flatnonzero(finite):
        if country_out[i] is None and admin_out[i] is not None:
            country_out[i] = admin_country[i]
        elif admin_out[i] is not None and admin_country[i] != country_out[i]:
            admin_out[i] = None
        if admin_out[i] is None and country_out[i] in set(admin_countries):
            near = admin_tree.query_nearest(geoms[i], max_distance=0.1)
            same = [j for j in near if admin_countries[j] == country_out[i]]
            admin_out[i] = admin_names[same[0]] if same else None

    g = _gazetteer()
    candidates = np.flatnonzero(np.isin(g.feature_types, allowed))
    nearest = np.full(n, -1, dtype=np.int64)
    distance = np.full(n, np.nan)
    rows = np.flatnonzero(finite)
    for start in range(0, len(rows), 1024):
        chunk = rows[start : start + 1024]
        d = _km(
            lat[chunk, None], lon[chunk, None], g.lat[None, candidates], g.lon[None, candidates]
        )
        best = d.argmin(axis=1)
        nearest[chunk] = candidates[best]
        distance[chunk] = d[np.arange(len(chunk)), best]
    ok = nearest >= 0
    safe = np.maximum(nearest, 0)
    return gpd.GeoDataFrame(
        {
            "admin1": admin_out,
            "country": country_out,
            "place_id": np.where(ok, g.ids[safe], None),
            "name": np.where(ok, g.names[safe], None),
            "feature_type": np.where(ok, g.feature_types[safe], None),
            "distance_km": np.round(distance, 3),
        },
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326").to_numpy(),
        crs="EPSG:4326",
        index=index,
    )


# ----------------------------------------------------------------------------------------------
# place mentions in text

_TOKEN = re.compile(r"\w+", re.UNICODE)
_JOINER = re.compile(r"[\s\-‐–'’ʿʾ`.]*")  # "U.S. Embassy", "Ain al-Asad"
_ARABIC_PREFIXES = ("و", "ب", "ل", "ف")
_EDGE_WORDS = frozenset(
    {"in", "of", "the", "near", "at", "on", "and", "في", "من", "و"}
    | {"قرب", "بالقرب", "عند", "على", "إلى", "الى", "داخل", "نحو"}  # near, at, on, to, inside
)
_LAST_NOT = frozenset({"al", "el", "as", "ad", "ar", "an", "az", "ash"})


def _key_in_text(g: _Gazetteer, text: str, single_token: bool) -> tuple[str, str | None]:
    key, hint = analyse_name(text)
    if not key or key not in g.keys:
        return "", None
    if not _normalize_is_arabic(key):
        if not text[:1].isupper() and not text[:1].isdigit():
            return "", None  # running text: place names are capitalised
        if single_token and (text.casefold() in _TEXT_STOPWORDS or len(key) < 3):
            return "", None
    elif single_token and len(key.replace(" ", "")) < 3:
        return "", None
    return key, hint


def _normalize_is_arabic(key: str) -> bool:
    return re.search(r"[\u0600-\u06ff]", key) is not None


def find_places(text: str, *, country=None, admin1=None, max_words: int = 6):
    """Find place mentions in an English or Arabic paragraph.

    The text is scanned left to right for the longest run of up to ``max_words`` words whose
    normalised form is a name in the gazetteer (exact and alias matches only; no fuzzy
    matching, which would flag ordinary words). Latin-script mentions must be capitalised;
    single common words that are also place names ("Hit", "Omar", "Amin") are skipped. Arabic
    mentions may carry a prefixed و, ب, ل or ف.

    Parameters
    ----------
    text : str
        The paragraph.
    country, admin1 : str, optional
        Hints, as for :func:`geocode`.
    max_words : int, default 6
        Longest mention looked for, in words.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per mention in order of appearance: ``start``, ``end`` (character offsets,
        ``text[start:end]`` is the mention), ``text`` and the columns of :func:`geocode`
        (``query``, ``place_id``, ..., ``status``: ``exact``, ``alias`` or ``ambiguous``,
        ``candidates``, ``geometry``).

    Examples
    --------
    >>> import toolkit
    >>> found = toolkit.find_places("Rockets hit Ain al-Asad air base in Anbar on Monday.")
    >>> found[["start", "end", "place_id"]].values.tolist()
    [[12, 32, 'ain_al_asad'], [36, 41, 'anbar_governorate']]
    """
    import geopandas as gpd

    if not isinstance(text, str):
        raise FormatError(
            f"find_places: text is a {type(text).__name__} (expected a str; for many texts "
            "call it once per text)"
        )
    if not isinstance(max_words, int) or max_words < 1:
        raise FormatError(f"find_places: max_words={max_words!r} (expected an integer >= 1)")
    g = _gazetteer()
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    mentions: list[tuple[int, int, str, str | None]] = []
    i = 0
    while i < len(tokens):
        match = None
        for size in range(min(max_words, len(tokens) - i), 0, -1):
            j = i + size - 1
            gaps = (text[tokens[k][1] : tokens[k + 1][0]] for k in range(i, j))
            if any(_JOINER.fullmatch(gap) is None for gap in gaps):
                continue  # a mention does not run across punctuation
            start, end = tokens[i][0], tokens[j][1]
            first = text[tokens[i][0] : tokens[i][1]].casefold()
            last = text[tokens[j][0] : tokens[j][1]].casefold()
            if size > 1 and (first in _EDGE_WORDS or last in _EDGE_WORDS | _LAST_NOT):
                continue  # "in Anbar", "air base in": the small word is not part of the name
            key, hint = _key_in_text(g, text[start:end], size == 1)
            if not key and text[start] in _ARABIC_PREFIXES and end - start > 3:
                key, hint = _key_in_text(g, text[start + 1 : end], size == 1)
                start += 1 if key else 0
            if key:
                match = (start, end, key, hint, j)
                break
        if match is None:
            i += 1
            continue
        start, end, key, hint, j = match
        mentions.append((start, end, key, hint))
        i = j + 1

    if not mentions:
        empty = geocode([], country=country, admin1=admin1)
        empty.insert(0, "text", pd.Series([], dtype=object))
        empty.insert(0, "end", pd.Series([], dtype="int64"))
        empty.insert(0, "start", pd.Series([], dtype="int64"))
        return empty
    snippets = [text[s:e] for s, e, _, _ in mentions]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeocodeWarning)
        out = geocode(snippets, country=country, admin1=admin1)
    out.insert(0, "text", snippets)
    out.insert(0, "end", [e for _, e, _, _ in mentions])
    out.insert(0, "start", [s for s, _, _, _ in mentions])
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
