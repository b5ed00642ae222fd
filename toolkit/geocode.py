"""Place names to places and back: normalise, index, resolve, reverse-geocode, find in text.

``geocode`` resolves names from reports (Latin, Arabic or Kurdish script, misspelt or not) to
places of the gazetteer (:mod:`toolkit.places`); ``reverse_geocode`` gives the administrative
units (Iraq: governorate, district, sub-district and their OCHA P-codes), country and nearest
named place of points; ``find_places`` finds place mentions in running text. Nothing is computed
at import: the index is built on first use and cached for the session.

How a name is resolved
----------------------
1. The name is normalised (:func:`toolkit.normalize_name`); a generic word in it ("air base",
   "airport", "governorate", "district", "قاعدة", ...) becomes a hint of the kind of place meant.
   A trailing ", Baghdad" or ", Iraq" is read as a governorate, district or country hint.
2. The key is looked up among the keys of every place's names: a hit on the canonical name gives
   status ``exact``, on an alternate name ``alias``.
3. Otherwise a misspelt name is compared with the keys that share its consonant skeleton or are
   within one deletion of it (on either side); the best :func:`rapidfuzz.fuzz.ratio` above a
   threshold that grows as names get shorter gives status ``fuzzy``. Only keys of places inside
   the hinted country / governorate / district are considered, so a fuzzy match never crosses a
   hint. A name that is exactly the name of a city outside Iraq, Syria and Jordan ("Sanaa",
   "Hodeidah", "Tehran") is ``not_found`` rather than fuzzily matched to a village.
4. Among the places a key names, the kind named by a generic word comes first; then the more
   prominent: city, governorate, town and named sites, district and neighbourhood,
   sub-district, village; then population. Places within 50 km of the first in the same
   governorate, or the district / governorate that holds it, are the same place. When other
   places remain, the name is ``ambiguous`` (``candidates`` lists them, ranked) unless the first
   clearly outranks them (a city, governorate or town over villages; a neighbourhood over
   villages; a city of >= 100,000 people over towns of < 50,000): then it is resolved and the
   others are listed in ``candidates``.
5. Anything else is ``not_found``; its row is kept.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import math
import re
import sys
import types
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._normalize import (
    FEATURE_HINTS,
    analyse_many,
    analyse_name,
    analyse_names,
    misspelt_generic,
    normalize_name,
    skeleton,
)
from .errors import FormatError
from .places import (
    _DEPENDENTS,
    ADMIN_COLUMNS,
    FEATURE_TYPES,
    GEO_PRECISIONS,
    PLACE_COLUMNS,
    _places_table,
)

__all__ = [
    "FEATURE_TYPES",
    "GEO_PRECISIONS",
    "PLACE_COLUMNS",
    "STATUSES",
    "GeocodeWarning",
    "find_places",
    "geocode",
    "normalize_name",
    "reverse_geocode",
]

#: Outcomes of :func:`geocode`.
STATUSES = ("exact", "alias", "fuzzy", "ambiguous", "not_found")
GEOCODE_COLUMNS = (
    "query",
    "place_id",
    "name",
    "feature_type",
    "admin1",
    "admin1_pcode",
    "admin2",
    "admin2_pcode",
    "admin3",
    "admin3_pcode",
    "country",
    "score",
    "status",
    "candidates",
    "geometry",
)

# text columns of the output taken from the place table
_TEXT_COLUMNS = ("place_id", "name", "feature_type", *ADMIN_COLUMNS, "country")
# Without a hint, populated places are what a bare name most often means.
_DEFAULT_ORDER = (
    "city",
    "town",
    "governorate",
    "neighbourhood",
    "military_base",
    "airport",
    "diplomatic",
    "oilfield",
    "border_crossing",
    "village",
    "district",
    "sub_district",
)
# Prominence: a name resolves to a place that outranks every unrelated homonym by 2 or more.
_TIER = {
    "city": 6,
    "governorate": 5,
    "town": 4,
    "military_base": 4,
    "airport": 4,
    "diplomatic": 4,
    "oilfield": 4,
    "border_crossing": 4,
    "neighbourhood": 3,
    "district": 3,
    "sub_district": 2,
    "village": 1,
}
_CLEAR_TIER_GAP = 2
_RELATED_KM = 50.0  # same governorate and closer than this: one place under several names
# A city (>= 100,000 people) outranks far-away towns of < 50,000: "Arbil" is Erbil, not the
# Syrian village that GeoNames also calls Arbil. The homonyms are listed in ``candidates``.
_MAJOR_POPULATION = 100_000
_MINOR_POPULATION = 50_000
_MAX_CANDIDATES = 10
_MAX_ROWS_MEMO = 500_000  # outcomes kept for the session (a few hundred bytes each)
_SECOND_CHANCE_SCORE = 90.0
_FUZZY_MARGIN = 10.0
_TIER_WEIGHT = 3.0
_CLEAR_POPULATION = 10_000
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
# the index

_WIDTH = 32  # keys longer than this are matched fuzzily through their skeleton only
# Fixed odd multipliers: the deletion hashes are the same in every session.
_MULTIPLIERS = (
    np.random.default_rng(20261201).integers(1, 2**63 - 1, size=_WIDTH, dtype=np.uint64) | 1
).astype(np.uint64)


def _deletion_hashes(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of each key and of each key with one character deleted, and their key index.

    Two keys within one deletion of each other on either side (one edit, or one edit on each
    side: substitutions and transpositions) share a hash. Vectorised: one pass per position.
    """
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    codes = np.array(keys, dtype=f"<U{_WIDTH}").view(np.uint32).reshape(n, _WIDTH).astype(np.uint64)
    lengths = np.fromiter((min(len(k), _WIDTH) for k in keys), dtype=np.int64, count=n)
    with np.errstate(over="ignore"):
        weighted = codes * _MULTIPLIERS  # a_j * P_j
        shifted = codes[:, 1:] * _MULTIPLIERS[:-1]  # a_j * P_(j-1): the key after a deletion
        prefix = np.cumsum(weighted, axis=1, dtype=np.uint64)
        suffix = np.cumsum(shifted[:, ::-1], axis=1, dtype=np.uint64)[:, ::-1]
        hashes = [prefix[:, -1]]
        index = [np.arange(n)]
        for i in range(_WIDTH):
            ok = lengths > i
            if not ok.any():
                break
            before = prefix[:, i - 1] if i > 0 else np.zeros(n, dtype=np.uint64)
            after = suffix[:, i] if i < _WIDTH - 1 else np.zeros(n, dtype=np.uint64)
            hashes.append((before + after)[ok])
            index.append(np.flatnonzero(ok))
    return np.concatenate(hashes), np.concatenate(index)


@dataclass(frozen=True)
class _Gazetteer:
    ids: np.ndarray
    names: np.ndarray
    feature_types: np.ndarray
    admin: dict[str, np.ndarray]  # ADMIN_COLUMNS -> values
    countries: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    default_rank: np.ndarray
    tier: np.ndarray
    population: np.ndarray
    # key -> [(place, matched the canonical name, matched a name with a generic word), ...]
    keys: dict[str, list[tuple[int, bool, bool]]]
    key_list: tuple[str, ...]
    skeletons: dict[str, tuple[str, ...]]
    deletion_hash: np.ndarray  # sorted
    deletion_key: np.ndarray  # index into key_list
    country_lookup: dict[str, str]
    admin1_lookup: dict[str, tuple[tuple[str, str], ...]]  # key -> ((country, admin1), ...)
    admin1_names: dict[str, tuple[str, ...]]  # country -> admin1 names
    admin2_lookup: dict[str, tuple[tuple[str, str, str], ...]]  # key -> ((country, a1, a2), ...)
    analysed: dict[str, tuple[str, str | None]]  # each name of the table -> (key, hint)
    outside_keys: frozenset[str]  # keys of cities outside the region (data/places_outside)
    key_tier: dict[str, int]  # key -> the highest prominence among the places it names
    resolved: dict[tuple, _Outcome]  # memo of _resolve for exact keys, filled as names come
    # (key, hint, hints) -> the (place, status, score, candidates) of a row, filled as names come
    rows: dict[tuple, tuple]
    # (key, hint) -> the same without hints, for every key of the table (see _default_outcomes)
    default_rows: dict[tuple, tuple]
    id_list: list[str]  # ids as a list: faster to index one at a time than the array
    arrow_table: object  # text columns of the output as a pyarrow Table, taken by place
    points: object  # a GeometryArray: each place's point, then an empty point

    @property
    def admin1(self) -> np.ndarray:
        return self.admin["admin1"]


@functools.cache
def _gazetteer() -> _Gazetteer:
    with _gc_paused():  # hundreds of thousands of small objects: no collection midway
        g = _build_gazetteer()
        g.default_rows.update(_default_outcomes(g))
        return g


def _outcome_cache_path():
    """Where the outcomes of the shipped gazetteer's names are saved: the file name holds a
    digest of the place tables and of the code that resolves names, so any change of either
    starts a new file. ``None`` when places were added this session (nothing saved)."""
    import hashlib
    from pathlib import Path

    from . import _normalize, places
    from ._paths import data_dir

    if places._ADDED:
        return None
    digest = hashlib.sha256()
    for path in (
        places._places_path(),
        data_dir() / "places_outside.csv.gz",
        Path(__file__),
        Path(_normalize.__file__),
        Path(places.__file__),
    ):
        digest.update(path.read_bytes() if path.exists() else b"")
    return _normalize._cache_dir() / f"outcomes-{digest.hexdigest()[:16]}.pickle"


def _default_outcomes(g: _Gazetteer) -> dict[tuple[str, str | None], tuple]:
    """The row outcome of every key of the gazetteer without hints (bare, and with each generic
    word its names carry): worked out once (several seconds) and saved beside the analysed
    names; later sessions load it in a fraction of a second. Nothing is worked out ahead when
    places were added this session or the cache folder cannot be written: the outcomes are
    then worked out as names come, with the same results."""
    import pickle

    path = _outcome_cache_path()
    if path is None:
        return {}
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{id(g)}.tmp")
        tmp.write_bytes(b"")
    except OSError:
        return {}
    pairs = list(
        dict.fromkeys(
            [*((k, None) for k in g.keys), *(v for v in g.analysed.values() if v[0] in g.keys)]
        )
    )
    outcomes = dict(zip(pairs, _outcomes(g, [(k, h, _Hints()) for k, h in pairs]), strict=True))
    try:
        with tmp.open("wb") as handle:
            pickle.dump(outcomes, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
    return outcomes


def _build_gazetteer() -> _Gazetteer:
    import pyarrow as pa
    import shapely
    from geopandas.array import GeometryArray

    places = _places_table()
    names = places["name"].tolist()
    alternates = places["alternate_names"].tolist()
    from .places import _outside_names

    outside = _outside_names()
    analysed = analyse_names(
        list(
            dict.fromkeys(
                [
                    *names,
                    *(a for alt in alternates if alt for a in alt.split("|")),
                    *(n for n, _ in outside),
                ]
            )
        )
    )
    outside_keys = frozenset(
        key for key in (analysed[n][0] for n, _ in outside) if len(key.replace(" ", "")) >= 4
    )
    rank = {ftype: i for i, ftype in enumerate(_DEFAULT_ORDER)}
    tier = places["feature_type"].map(_TIER).fillna(1).to_numpy(dtype=int)
    tiers = tier.tolist()
    key_tier: dict[str, int] = {}
    keys: dict[str, list[tuple[int, bool, bool]]] = {}
    for i, (name, alternate) in enumerate(zip(names, alternates, strict=True)):
        canonical = analysed[name][0]
        place_tier = tiers[i]
        found: dict[str, bool] = {}  # key -> every name giving it had a generic word
        for alias in [name, *alternate.split("|")] if alternate else [name]:
            key, hint = analysed[alias] if alias else ("", None)
            if key:
                found[key] = found.get(key, True) and hint is not None
        for key, hinted in found.items():
            entry = (i, key == canonical, hinted)
            bucket = keys.get(key)
            if bucket is None:
                keys[key] = [entry]
                key_tier[key] = place_tier
            else:
                bucket.append(entry)
                if place_tier > key_tier[key]:
                    key_tier[key] = place_tier
    key_list = tuple(keys)
    skeletons: dict[str, list[str]] = {}
    for key in key_list:
        sk = skeleton(key)
        if len(key) >= 5 and len(sk.replace(" ", "")) >= 3:
            skeletons.setdefault(sk, []).append(key)
    hashes, owners = _deletion_hashes(list(key_list))
    order = np.argsort(hashes, kind="stable")

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
    districts = places[places["feature_type"] == "district"]
    admin2_lookup: dict[str, list[tuple[str, str, str]]] = {}
    for country, admin1, name, alternates in zip(
        districts["country"],
        districts["admin1"],
        districts["name"],
        districts["alternate_names"],
        strict=True,
    ):
        for alias in [name, *alternates.split("|")]:
            key = analyse_name(alias)[0] if alias else ""
            entry = (country, admin1, name)
            if key and entry not in admin2_lookup.get(key, []):
                admin2_lookup.setdefault(key, []).append(entry)
    admin1_names = {c: tuple(sorted(set(g["admin1"]))) for c, g in governorates.groupby("country")}
    gazetteer = _Gazetteer(
        ids=places["place_id"].to_numpy(dtype=object),
        names=places["name"].to_numpy(dtype=object),
        feature_types=places["feature_type"].to_numpy(dtype=object),
        admin={c: places[c].to_numpy(dtype=object) for c in ADMIN_COLUMNS},
        countries=places["country"].to_numpy(dtype=object),
        lat=places["latitude"].to_numpy(dtype=float),
        lon=places["longitude"].to_numpy(dtype=float),
        default_rank=places["feature_type"].map(rank).fillna(len(rank)).to_numpy(dtype=int),
        tier=tier,
        population=places["population"].astype("float64").fillna(0).to_numpy(),
        keys=keys,  # lists, never changed after the build
        key_list=key_list,
        skeletons={k: tuple(v) for k, v in skeletons.items()},
        deletion_hash=hashes[order],
        deletion_key=owners[order],
        country_lookup=country_lookup,
        admin1_lookup={k: tuple(v) for k, v in admin1_lookup.items()},
        admin1_names=admin1_names,
        admin2_lookup={k: tuple(v) for k, v in admin2_lookup.items()},
        analysed=analysed,
        outside_keys=outside_keys,
        key_tier=key_tier,
        resolved={},
        rows={},
        default_rows={},
        id_list=places["place_id"].tolist(),
        arrow_table=pa.table(
            {c: pa.array(places[c].tolist(), type=pa.large_string()) for c in _TEXT_COLUMNS}
        ),
        points=GeometryArray(
            np.append(
                shapely.points(places["longitude"].to_numpy(), places["latitude"].to_numpy()),
                shapely.Point(),
            ),
            crs="EPSG:4326",
        ),
    )
    return gazetteer


_DEPENDENTS.append(_gazetteer.cache_clear)


def _km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (haversine); broadcasts over numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


# ----------------------------------------------------------------------------------------------
# resolution


@dataclass(frozen=True)
class _Hints:
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None

    def allows(self, g: _Gazetteer, place: int) -> bool:
        return (
            (self.country is None or g.countries[place] == self.country)
            and (self.admin1 is None or g.admin["admin1"][place] == self.admin1)
            and (self.admin2 is None or g.admin["admin2"][place] == self.admin2)
        )


class _Outcome(NamedTuple):
    place: int  # -1 when not resolved
    canonical: bool
    candidates: tuple[int, ...]
    kind: str  # "resolved", "ambiguous" or "excluded" (hints left nothing)


def _holds(g: _Gazetteer, unit: int, place: int) -> bool:
    """Is ``unit`` the governorate, district or sub-district that holds ``place``?"""
    ftype = g.feature_types[unit]
    if ftype == "governorate":
        return g.admin["admin1"][unit] == g.admin["admin1"][place] and (
            g.countries[unit] == g.countries[place]
        )
    if ftype == "district":
        return bool(g.admin["admin2"][unit]) and (
            g.admin["admin2"][unit] == g.admin["admin2"][place]
            and g.admin["admin1"][unit] == g.admin["admin1"][place]
        )
    if ftype == "sub_district":
        return bool(g.admin["admin3_pcode"][unit]) and (
            g.admin["admin3_pcode"][unit] == g.admin["admin3_pcode"][place]
        )
    return False


def _related(g: _Gazetteer, top: int, other: int) -> bool:
    return bool(_related_matrix(g, [top, other])[0, 1])


def _related_matrix(g: _Gazetteer, pool: list[int]) -> np.ndarray:
    """Which places of ``pool`` are one place: the same row, a unit and a place it holds, or
    places of one governorate within _RELATED_KM of each other."""
    idx = np.asarray(pool, dtype=np.int64)
    n = len(idx)
    if n == 1:
        return np.ones((1, 1), dtype=bool)
    country = g.countries[idx]
    admin1 = g.admin["admin1"][idx]
    same_gov = (country[:, None] == country[None, :]) & (admin1[:, None] == admin1[None, :])
    lat, lon = g.lat[idx], g.lon[idx]
    near = _km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]) <= _RELATED_KM
    related = (same_gov & near) | np.eye(n, dtype=bool)
    ftype = g.feature_types[idx]
    for kind, column in (
        ("governorate", "admin1"),
        ("district", "admin2"),
        ("sub_district", "admin3_pcode"),
    ):
        units = np.flatnonzero(ftype == kind)
        if not len(units):
            continue
        values = g.admin[column][idx]
        holds = (values[units][:, None] == values[None, :]) & (values[units][:, None] != "")
        if kind != "sub_district":
            holds &= same_gov[units]
        related[units] |= holds
        related[:, units] |= holds.T
    return related


def _resolve(
    g: _Gazetteer,
    matches: Iterable[tuple[int, bool, bool]],
    hint: str | None,
    hints: _Hints,
) -> _Outcome:
    matches = list(matches)
    if hint is None and not all(hinted for _, _, hinted in matches):
        # A bare name means the places called so without a generic word: "Qadisiyah" is the
        # governorate, not the air base once named "Qadisiyah Air Base".
        matches = [m for m in matches if not m[2]]
    canonical: dict[int, bool] = {}
    for place, is_canonical, _ in matches:
        canonical[place] = canonical.get(place, False) or is_canonical
    pool = [i for i in canonical if hints.allows(g, i)]
    if not pool:
        return _Outcome(-1, False, tuple(sorted(canonical))[:_MAX_CANDIDATES], "excluded")
    if len(pool) == 1:
        return _Outcome(pool[0], canonical[pool[0]], (), "resolved")
    preferred = FEATURE_HINTS.get(hint, ()) if hint else ()
    hinted = [i for i in pool if g.feature_types[i] in preferred]
    if hinted:
        pool = hinted
    else:
        preferred = ()
    if len(pool) > 60:  # very common names ("Al Jadidah"): the 60 most prominent
        pool = sorted(pool, key=lambda i: (-g.tier[i], -g.population[i], i))[:60]
    # A place counts as prominent as the most prominent place it is one with (the district
    # or sub-district that holds it, a homonym next door); a village that shares its name
    # with the sub-district or district it lies in is that unit's seat, ranked as a town.
    related = _related_matrix(g, pool)
    effective = {}
    for row, i in enumerate(pool):
        group = [pool[j] for j in np.flatnonzero(related[row])]
        tier = max(g.tier[j] for j in group)
        if len(group) > 1:
            kinds = {g.feature_types[j] for j in group}
            if kinds & {"district", "sub_district"} and kinds & {"village", "town", "city"}:
                tier = max(tier, _TIER["town"])
        effective[i] = tier
    position = {i: row for row, i in enumerate(pool)}
    pool.sort(
        key=lambda i: (
            preferred.index(g.feature_types[i]) if preferred else 0,
            -effective[i],
            g.default_rank[i],
            not canonical[i],
            -g.population[i],
            i,
        )
    )
    top = pool[0]
    unrelated = [other for other in pool[1:] if not related[position[top], position[other]]]
    if not unrelated:
        return _Outcome(top, canonical[top], (), "resolved")
    if _dominates(g, top, unrelated, effective):
        return _Outcome(top, canonical[top], tuple(unrelated[:_MAX_CANDIDATES]), "resolved")
    ranked = [top, *unrelated]
    return _Outcome(-1, False, tuple(ranked[:_MAX_CANDIDATES]), "ambiguous")


def _dominates(g: _Gazetteer, top: int, others: list[int], effective: dict[int, int]) -> bool:
    if all(effective[top] >= effective[o] + _CLEAR_TIER_GAP for o in others):
        return True
    # a town of some size against homonyms a third its size or less (Soran, Erbil: 92,000
    # people; Suran, Hama: 31,000)
    if g.population[top] >= _CLEAR_POPULATION and all(
        effective[top] >= effective[o] and g.population[top] >= 3 * g.population[o] for o in others
    ):
        return True
    major = g.feature_types[top] == "governorate" or (
        g.feature_types[top] == "city" and g.population[top] >= _MAJOR_POPULATION
    )
    minor = all(
        g.feature_types[o] in ("town", "village", "neighbourhood", "district", "sub_district")
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


def _candidate_keys(g: _Gazetteer, queries: list[str]) -> list[set[int]]:
    """Indexes (into key_list) of the keys within one deletion of each query, either side."""
    out: list[set[int]] = [set() for _ in queries]
    if not queries:
        return out
    hashes, owners = _deletion_hashes(queries)
    left = np.searchsorted(g.deletion_hash, hashes, side="left")
    right = np.searchsorted(g.deletion_hash, hashes, side="right")
    counts = right - left
    hit = np.flatnonzero(counts)
    if not len(hit):
        return out
    reps = counts[hit]
    offsets = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    starts = np.repeat(left[hit], reps) + offsets
    query_of = np.repeat(owners[hit], reps)
    key_of = g.deletion_key[starts]
    for q, k in zip(query_of.tolist(), key_of.tolist(), strict=True):
        out[q].add(k)
    return out


def _fuzzy_matches(
    g: _Gazetteer, queries: list[str], hints: list[_Hints]
) -> list[tuple[float, tuple[str, ...]]]:
    """Best score and the keys within 2 points of it, for each query key (score 0: none).

    Candidates are the keys that share the query's consonant skeleton or are within one
    deletion of it; only keys naming a place allowed by the query's hints count.
    """
    from rapidfuzz import fuzz

    out: list[tuple[float, tuple[str, ...]]] = [(0.0, ())] * len(queries)
    todo = [i for i, q in enumerate(queries) if _fuzzy_cutoff(q) <= 100]
    near = _candidate_keys(g, [queries[i] for i in todo])
    for i, found in zip(todo, near, strict=True):
        q = queries[i]
        candidates = {g.key_list[k] for k in found}
        sk = skeleton(q)
        if len(q) >= 6 and sk in g.skeletons:
            candidates.update(g.skeletons[sk])
        hint = hints[i]
        if hint != _Hints():
            candidates = {k for k in candidates if any(hint.allows(g, p) for p, _, _ in g.keys[k])}
        if not candidates:
            continue
        cutoff = _fuzzy_cutoff(q)
        scored = [(fuzz.ratio(q, k), k) for k in candidates]
        # towns and larger places are allowed a few points more: they are what reports name
        scored = [
            (s, k)
            for s, k in scored
            if s >= cutoff or (s >= cutoff - 5 and g.key_tier[k] >= _TIER["town"])
        ]
        if not scored:
            continue
        # A misspelling is likelier of a known place than of a hamlet: within
        # _FUZZY_MARGIN points, prominence (tier) counts _TIER_WEIGHT points a step.
        top = max(s for s, _ in scored)
        weighted = [
            (s + _TIER_WEIGHT * g.key_tier[k], s, k) for s, k in scored if s >= top - _FUZZY_MARGIN
        ]
        best_weighted = max(w for w, _, _ in weighted)
        chosen = [(s, k) for w, s, k in weighted if w >= best_weighted - 2]
        out[i] = (max(s for s, _ in chosen), tuple(sorted(k for _, k in chosen)))
    return out


# ----------------------------------------------------------------------------------------------
# argument checking


def _as_names(names) -> tuple[list, pd.Index | None]:
    if isinstance(names, (str, bytes)) or _is_missing(names):
        return [names], None
    if isinstance(names, pd.DataFrame):
        raise FormatError(
            "geocode: names is a DataFrame (expected a str, a list of str or a Series: "
            "pass one column, e.g. events['location'])"
        )
    if isinstance(names, pd.Series):
        return names.tolist(), names.index
    if isinstance(names, (list, tuple, np.ndarray, pd.Index, pd.api.extensions.ExtensionArray)):
        return list(names), None
    raise FormatError(
        f"geocode: names is a {type(names).__name__} (expected a str, a list of str, a numpy "
        "array or a pandas Series of place names)"
    )


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _check_names(values: list, function: str = "geocode") -> None:
    """Text or missing values only: bytes and numbers are an error naming their positions."""
    bad = [(i, v) for i, v in enumerate(values) if not (isinstance(v, str) or _is_missing(v))]
    if bad:
        shown = ", ".join(f"names[{i}] = {v!r} ({type(v).__name__})" for i, v in bad[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise FormatError(
            f"{function}: {shown}{more} is not a place name (expected str, or None/NaN/pd.NA "
            "for a missing value; decode bytes first, e.g. value.decode('utf-8'))"
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


def _canonical_admin2(
    g: _Gazetteer, value, country: str | None, admin1: str | None
) -> tuple[str | None, str | None, str | None]:
    """(country, admin1, admin2) of a district hint."""
    if _is_missing(value):
        return country, admin1, None
    found = g.admin2_lookup.get(analyse_name(str(value))[0], ()) if isinstance(value, str) else ()
    found = tuple(
        f
        for f in found
        if (country is None or f[0] == country) and (admin1 is None or f[1] == admin1)
    )
    if len(set(found)) == 1:
        return found[0]
    problem = "matches more than one district" if found else "is not a district"
    raise FormatError(
        f"geocode: admin2={value!r} {problem} (expected a district of Iraq (OCHA COD-AB "
        "names, e.g. 'Abu Ghraib', 'Al-Karkh', 'Telafar') or of Syria; see "
        "toolkit.load_boundaries('admin2'))"
    )


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


def _split_hints(g: _Gazetteer, query: str, hints: _Hints) -> tuple[str, _Hints]:
    """'Balad, Salah al-Din, Iraq' -> ('Balad', hints) when every part of the tail is known."""
    if "," not in query and "،" not in query:
        return query, hints
    parts = [p.strip() for p in re.split(r"[,،]", query)]
    head, tail = parts[0], [p for p in parts[1:] if p]
    country, admin1, admin2 = hints.country, hints.admin1, hints.admin2
    for part in reversed(tail):  # "X, district, governorate, country": widest last
        key, kind = analyse_name(part)
        if key in g.country_lookup and country is None:
            country = g.country_lookup[key]
            continue
        options1 = tuple(o for o in g.admin1_lookup.get(key, ()) if country in (None, o[0]))
        if options1 and admin1 is None and kind != "district":
            if len({a for _, a in options1}) != 1:
                return query, hints
            country, admin1 = options1[0]
            continue
        options2 = tuple(
            o
            for o in g.admin2_lookup.get(key, ())
            if country in (None, o[0]) and admin1 in (None, o[1])
        )
        if options2 and admin2 is None and len(set(options2)) == 1:
            country, admin1, admin2 = options2[0]
            continue
        return query, hints  # the comma is part of the name
    return head, _Hints(country, admin1, admin2)


def _outside_keys() -> frozenset[str]:
    """Keys of cities outside Iraq, Syria and Jordan that reports name (data/places_outside)."""
    return _gazetteer().outside_keys


def geocode(names, *, country=None, admin1=None, admin2=None):
    """Resolve place names to places of the gazetteer.

    Parameters
    ----------
    names : str, list of str, numpy array or pandas Series
        Place names as reports write them, in Latin, Arabic or Kurdish script. A trailing
        ", governorate", ", district" or ", country" (``"Yarmouk, Baghdad"``) is read as a
        hint. Missing values (``None``, ``NaN``, ``pd.NA``) give ``not_found`` rows; bytes,
        numbers and other non-text values raise :class:`FormatError` naming their positions.
    country : str or list-like, optional
        ``"Iraq"``, ``"Syria"`` or ``"Jordan"`` (or ``IQ``/``SY``/``JO``, Arabic names); one
        value for all names or one per name (``None`` for no hint).
    admin1 : str or list-like, optional
        A governorate (any of its names: ``"Anbar"``, ``"Al-Anbar"``, ``"الأنبار"``); one value
        or one per name.
    admin2 : str or list-like, optional
        A district (OCHA COD-AB name for Iraq, e.g. ``"Abu Ghraib"``, ``"Telafar"``; Who's On
        First county for Syria); one value or one per name.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per input name, same order (and the Series' index when a Series was given),
        EPSG:4326, columns ``query``, ``place_id``, ``name``, ``feature_type``, ``admin1``,
        ``admin1_pcode``, ``admin2``, ``admin2_pcode``, ``admin3``, ``admin3_pcode`` (Iraq:
        OCHA COD-AB governorate, district, sub-district and their P-codes), ``country``,
        ``score`` (100 for exact and alias matches, the rapidfuzz score for fuzzy ones, NaN
        when nothing came close), ``status`` (categorical: ``exact``, ``alias``, ``fuzzy``,
        ``ambiguous``, ``not_found``), ``candidates`` (``|``-separated place ids, ranked: of an
        ambiguous name; of far-away homonyms a more prominent place was preferred to; of the
        places a hint excluded; ``""`` otherwise) and point ``geometry`` (empty unless
        resolved). ``.attrs["status_counts"]`` holds the count of each status; a
        :class:`GeocodeWarning` says how many names were not resolved.

    Raises
    ------
    FormatError
        When ``names`` is not text, or a hint is not a country/governorate/district of the
        gazetteer (the message lists the accepted values).

    Examples
    --------
    >>> import toolkit
    >>> out = toolkit.geocode(["Ain al-Asad", "Al-Assad airbase", "عين الأسد", "Erbil air base"])
    >>> out[["place_id", "status"]].values.tolist()
    [['ain_al_asad', 'exact'], ['ain_al_asad', 'alias'], ['ain_al_asad', 'alias'], \
['erbil_air_base', 'exact']]
    >>> toolkit.geocode("Erbil governorate")["place_id"].iloc[0]
    'erbil_governorate'
    >>> toolkit.geocode("Ghazaliya")[["admin1", "admin2", "admin3_pcode"]].values.tolist()
    [['Baghdad', 'Al-Kadhmiyah', 'IQG08Q02N02']]
    """
    with _gc_paused():
        return _geocode(names, country, admin1, admin2)


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector: the look-ups allocate many small objects, and each
    collection would walk the index's hundreds of thousands of long-lived ones. Nothing made
    here forms a cycle; the collector runs again (if it was on) when the call returns."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _geocode(names, country, admin1, admin2):
    values, index = _as_names(names)
    all_text = set(map(type, values)) <= {str}  # the usual case: one pass in C
    if not all_text:
        _check_names(values)
    n = len(values)
    g = _gazetteer()
    country_values = _hint_values("country", country, n)
    admin1_values = _hint_values("admin1", admin1, n)
    admin2_values = _hint_values("admin2", admin2, n)
    hint_map: dict[tuple, _Hints] = {}
    for c, a1, a2 in dict.fromkeys(zip(country_values, admin1_values, admin2_values, strict=True)):
        c_hint = _canonical_country(g, c)
        a1_hint = _canonical_admin1(g, a1, c_hint)
        hint_map[(c, a1, a2)] = _Hints(*_canonical_admin2(g, a2, c_hint, a1_hint))

    # Work on distinct (name, hints) pairs only; with one set of hints for all names (the
    # usual case) the names alone are factorised, which is several times faster.
    if all_text:
        missing = np.zeros(n, dtype=bool)
    else:
        missing = np.fromiter((not isinstance(v, str) for v in values), dtype=bool, count=n)
    if len(hint_map) <= 1:
        shared = next(iter(hint_map.values()), _Hints())
        texts = np.array(values, dtype=object)
        texts[missing] = None
        codes, distinct = pd.factorize(texts, use_na_sentinel=False)
        uniques = [(v, shared) for v in distinct]
    else:
        pairs = [
            (None if miss else v, hint_map[(c, a1, a2)])
            for v, miss, c, a1, a2 in zip(
                values, missing, country_values, admin1_values, admin2_values, strict=True
            )
        ]
        codes, uniques = pd.factorize(pd.Series(pairs, dtype=object))
    m = len(uniques)
    place = np.full(m, -1, dtype=np.int64)
    status = np.full(m, "not_found", dtype=object)
    score = np.full(m, np.nan)
    candidates = np.full(m, "", dtype=object)
    # each distinct text: its name and hints (a trailing ", Baghdad" is a hint), then its key;
    # the names of the gazetteer as written there are analysed already, the others together
    split: list[tuple[str, _Hints] | None] = [
        (
            (_split_hints(g, value.strip(), hints) if "," in value or "،" in value else None)
            or (value.strip(), hints)
        )
        if isinstance(value, str)
        else None
        for value, hints in uniques  # missing values: factorize gives NaN for None
    ]
    analysed = g.analysed
    unknown = list({s[0]: None for s in split if s is not None and s[0] not in analysed})
    fresh = dict(zip(unknown, analyse_many(unknown), strict=True))
    # A row's outcome depends on its key, generic-word hint and hints only: the whole outcome
    # is kept for the session, and each outcome not yet known is worked out once per call.
    rows = g.rows
    if len(rows) > _MAX_ROWS_MEMO:
        rows.clear()
    todo: dict[tuple[str, str | None, _Hints], list[int]] = {}
    default_rows, no_hints = g.default_rows, _Hints()
    for u, s in enumerate(split):
        if s is None:
            continue
        name, hints = s
        key, hint = analysed.get(name) or fresh[name]
        if not key:
            continue
        row = default_rows.get((key, hint)) if hints == no_hints else None
        if row is None:
            row = rows.get((key, hint, hints))
        if row is None:
            todo.setdefault((key, hint, hints), []).append(u)
        else:
            place[u], status[u], score[u], candidates[u] = row

    new = list(todo)
    for memo_key, row in zip(new, _outcomes(g, new), strict=True):
        rows[memo_key] = row
        for u in todo[memo_key]:
            place[u], status[u], score[u], candidates[u] = row
    return _frame(g, values, missing, index, codes, place, status, score, candidates)


def _outcomes(g: _Gazetteer, todo: list[tuple[str, str | None, _Hints]]) -> list[tuple]:
    """The (place, status, score, candidates) of rows of each (key, hint, hints)."""
    m = len(todo)
    place = np.full(m, -1, dtype=np.int64)
    status = np.full(m, "not_found", dtype=object)
    score = np.full(m, np.nan)
    candidates = np.full(m, "", dtype=object)
    pending: list[tuple[int, str, str | None, _Hints]] = []
    second_chance: list[tuple[int, str, str | None, _Hints]] = []
    memo = g.resolved  # outcomes of (key, hint, hints), kept with the index for the session

    ids = g.id_list

    def record(u: int, outcome: _Outcome, s: float, resolved_status: str) -> None:
        if outcome.kind == "resolved":
            place[u], status[u] = outcome.place, resolved_status
        else:
            status[u] = "ambiguous" if outcome.kind == "ambiguous" else "not_found"
        score[u] = s
        candidates[u] = "|".join([ids[i] for i in outcome.candidates])

    for u, (key, hint, hints) in enumerate(todo):
        if key in g.keys:
            memo_key = (key, hint, hints)
            outcome = memo.get(memo_key)
            if outcome is None:
                outcome = memo[memo_key] = _resolve(g, g.keys[key], hint, hints)
            if (
                outcome.kind in ("resolved", "ambiguous")
                and hints == _Hints()
                and g.key_tier[key] <= _TIER["village"]
                and key in g.outside_keys
            ):
                # "Hodeidah": the Yemeni port, not the Syrian hamlet that shares its name
                status[u], score[u] = "not_found", 100.0
                found = outcome.candidates if outcome.place < 0 else (outcome.place,)
                candidates[u] = "|".join(g.ids[i] for i in found)
                continue
            if outcome.kind == "excluded":
                record(u, outcome, 100.0, "not_found")  # kept unless a spelling fits the hints
            else:
                record(u, outcome, 100.0, "exact" if outcome.canonical else "alias")
                if outcome.kind == "ambiguous" and hints == _Hints() and g.key_tier[key] <= 1:
                    # only hamlets carry this spelling: is it a misspelt town? ("Nasriyah")
                    second_chance.append((u, key, hint, hints))
                continue
            # the name is elsewhere but not where the hints say: a spelling of a place there?
        shorter, generic_hint, similarity = misspelt_generic(key)
        if shorter != key and shorter in g.keys:  # "Ain al-Asad airbse"
            outcome = _resolve(g, g.keys[shorter], hint or generic_hint, hints)
            record(u, outcome, similarity, "fuzzy")
        elif key in g.outside_keys:
            continue  # a city elsewhere ("Sanaa", "Hodeidah"): not a misspelt local name
        else:
            pending.append((u, key, hint, hints))

    if pending:
        found = _fuzzy_matches(g, [p[1] for p in pending], [p[3] for p in pending])
        for (u, _, hint, hints), (best, keys) in zip(pending, found, strict=True):
            if not keys:
                if not candidates[u]:
                    score[u] = best if best > 0 else np.nan
                continue
            memo_key = (keys, hint, hints)  # misspellings of one name share their keys
            outcome = memo.get(memo_key)
            if outcome is None:
                matches = [m for k in keys for m in g.keys[k]]
                outcome = memo[memo_key] = _resolve(g, matches, hint, hints)
            record(u, outcome, best, "fuzzy")

    if second_chance:
        found = _fuzzy_matches(g, [p[1] for p in second_chance], [p[3] for p in second_chance])
        for (u, key, hint, hints), (best, keys) in zip(second_chance, found, strict=True):
            others = [k for k in keys if k != key]
            if not others or best < _SECOND_CHANCE_SCORE:
                continue
            if max(g.tier[p] for k in others for p, _, _ in g.keys[k]) < _TIER["town"]:
                continue
            matches = [m for k in others for m in g.keys[k]]
            outcome = _resolve(g, matches, hint, hints)
            if outcome.kind == "resolved":
                record(u, outcome, best, "fuzzy")

    return list(
        zip(place.tolist(), status.tolist(), score.tolist(), candidates.tolist(), strict=True)
    )


def _frame(g, values, missing, index, codes, place, status, score, candidates):
    """The output GeoDataFrame, column-wise: each column a take of per-place or per-distinct
    arrays by the rows' codes."""
    import geopandas as gpd
    import pyarrow as pa

    m = len(place)
    rows_place = place[codes]
    ok = rows_place >= 0
    take = pa.array(rows_place, mask=~ok)
    # string columns straight from Arrow (what pandas would infer, without the inference)
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    columns = g.arrow_table.take(take)
    code_of = {s: i for i, s in enumerate(STATUSES)}
    status_codes = np.fromiter((code_of[s] for s in status), dtype=np.int8, count=m)[codes]
    data = {
        "query": np.where(missing, None, np.array(values, dtype=object)),
        **{c: pd.array(columns.column(c), dtype=text) for c in _TEXT_COLUMNS},
        "score": score[codes],
        "status": pd.Categorical.from_codes(status_codes, categories=STATUSES),
        "candidates": pd.array(
            pa.array(candidates.tolist(), type=pa.large_string()).take(pa.array(codes)),
            dtype=text,
        ),
    }
    data = {c: data[c] for c in GEOCODE_COLUMNS if c != "geometry"}
    # one point per place, built with the index (shapely geometries are immutable)
    geometry = g.points.take(np.where(ok, rows_place, len(g.points) - 1))
    out = gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326", index=index)
    counts = dict(
        zip(STATUSES, np.bincount(status_codes, minlength=len(STATUSES)).tolist(), strict=True)
    )
    out.attrs["status_counts"] = counts
    unresolved = counts["not_found"] + counts["ambiguous"]
    if unresolved:
        warnings.warn(
            f"geocode: {counts['not_found']} of {len(values)} name(s) not found and "
            f"{counts['ambiguous']} ambiguous; their rows are kept with empty geometry "
            "(see the 'status' and 'candidates' columns; hints country=/admin1=/admin2= "
            "narrow ambiguous names)",
            GeocodeWarning,
            stacklevel=4,
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
    """STRtrees of the boundary layers: (tree, columns) per level, and the countries."""
    import shapely

    from .boundaries import load_boundaries

    layers = {}
    for level in ("admin1", "admin2", "admin3"):
        gdf = load_boundaries(level)
        layers[level] = (
            shapely.STRtree(gdf.geometry.to_numpy()),
            {c: gdf[c].to_numpy(dtype=object) for c in gdf.columns if c != "geometry"},
        )
    countries = load_boundaries("countries")
    return layers, (
        shapely.STRtree(countries.geometry.to_numpy()),
        countries["name"].to_numpy(dtype=object),
    )


@functools.cache
def _place_tree(allowed: tuple[str, ...]):
    """STRtree of the places of the allowed kinds, in an equal-distance projection."""
    import shapely

    g = _gazetteer()
    rows = np.flatnonzero(np.isin(g.feature_types, allowed))
    x, y = _project(g.lon[rows], g.lat[rows])
    return shapely.STRtree(shapely.points(x, y)), rows


_DEPENDENTS.append(_place_tree.cache_clear)


def _project(lon, lat):
    # equirectangular at 33°N: within ~10% of true distances across Iraq, Syria and Jordan,
    # enough to pick the nearest place; the reported distance is the great-circle one
    return np.asarray(lon) * math.cos(math.radians(33.0)), np.asarray(lat)


def _first_hit(tree, points, n: int) -> np.ndarray:
    hit = np.full(n, -1, dtype=np.int64)
    pairs = tree.query(points, predicate="intersects")
    # keep the first polygon listed for each point
    for p, t in zip(pairs[0][::-1], pairs[1][::-1], strict=True):
        hit[p] = t
    return hit


def reverse_geocode(points, *, feature_types=None):
    """Return the administrative units, country and nearest named place of each point.

    Parameters
    ----------
    points : GeoSeries, GeoDataFrame, DataFrame or sequence of (longitude, latitude)
        Points in any CRS (GeoPandas input is reprojected to EPSG:4326); a DataFrame needs
        ``longitude`` and ``latitude`` columns.
    feature_types : str or list of str, optional
        Restrict the nearest place to these kinds (e.g. ``["military_base", "airport",
        "diplomatic"]`` for the nearest site). By default any place except governorates,
        districts and sub-districts.

    Returns
    -------
    geopandas.GeoDataFrame
        Aligned with the input (same order and, for pandas input, index), columns ``admin1``,
        ``admin1_pcode``, ``admin2``, ``admin2_pcode``, ``admin3``, ``admin3_pcode`` (Iraq:
        OCHA COD-AB governorate, district and sub-district with P-codes; Syria: Who's On First
        governorate and district; Jordan: governorate; ``None`` outside the polygons),
        ``country``, ``place_id``, ``name``, ``feature_type`` of the nearest place,
        ``distance_km`` (great-circle) and the input points as ``geometry``.

    Raises
    ------
    FormatError
        ``feature_types`` names a type that is not in ``FEATURE_TYPES``.

    Examples
    --------
    >>> import toolkit
    >>> out = toolkit.reverse_geocode([(42.44, 33.79)])
    >>> out[["admin1", "admin2", "country", "place_id"]].values.tolist()
    [['Anbar', 'Heet', 'Iraq', 'ain_al_asad']]
    >>> toolkit.reverse_geocode([(44.05, 33.30)])[["admin1", "admin1_pcode"]].values.tolist()
    [['Baghdad', 'IQG08']]
    """
    import geopandas as gpd
    import shapely

    lon, lat, index = _as_points(points)
    n = len(lon)
    excluded = ("governorate", "district", "sub_district")
    if feature_types is None:
        allowed = [t for t in FEATURE_TYPES if t not in excluded]
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

    layers, (country_tree, country_names) = _polygon_trees()
    country_hit = _first_hit(country_tree, geoms, n)
    country_out = np.where(country_hit >= 0, country_names[np.maximum(country_hit, 0)], None)
    admin_out: dict[str, np.ndarray] = {}
    for level, (tree, columns) in layers.items():
        hit = _first_hit(tree, geoms, n)
        # generalised borders: a point the country layer puts elsewhere gets no unit of
        # another country, and a point of Iraq/Syria/Jordan just outside its units the nearest
        # unit of its own country (within about 10 km)
        known = np.array([c is not None for c in country_out], dtype=bool)
        wrong = (hit >= 0) & known & (columns["country"][np.maximum(hit, 0)] != country_out)
        hit[wrong] = -1
        for i in np.flatnonzero((hit < 0) & finite & known):
            if level == "admin1" or country_out[i] in set(columns["country"]):
                near = tree.query_nearest(geoms[i], max_distance=0.1)
                same = [j for j in near if columns["country"][j] == country_out[i]]
                hit[i] = same[0] if same else -1
        if level == "admin1":
            outside = ~known & (hit >= 0)
            country_out[outside] = columns["country"][hit[outside]]
        safe = np.maximum(hit, 0)
        admin_out[level] = np.where(hit >= 0, columns["name"][safe], None)
        pcode = columns["pcode"][safe]
        admin_out[f"{level}_pcode"] = np.where(
            (hit >= 0) & (columns["country"][safe] == "Iraq"), pcode, None
        )

    g = _gazetteer()
    tree, rows = _place_tree(tuple(allowed))
    nearest = np.full(n, -1, dtype=np.int64)
    distance = np.full(n, np.nan)
    todo = np.flatnonzero(finite)
    if len(todo) and len(rows):
        x, y = _project(lon[todo], lat[todo])
        found = tree.query_nearest(shapely.points(x, y), all_matches=False)
        nearest[todo[found[0]]] = rows[found[1]]
        chosen = nearest[todo]
        distance[todo] = _km(lat[todo], lon[todo], g.lat[chosen], g.lon[chosen])
    ok = nearest >= 0
    safe = np.maximum(nearest, 0)
    return gpd.GeoDataFrame(
        {
            **{c: admin_out[c] for c in ADMIN_COLUMNS},
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
    if single_token and all(g.tier[p] <= _TIER["village"] for p, _, _ in g.keys[key]):
        # one word that only hamlets are called ("Three", "Biray"): in running text it is
        # far likelier an ordinary word than a mention
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

    Raises
    ------
    FormatError
        ``text`` is not a str, or ``max_words`` is not an integer >= 1.

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


# ``toolkit.geocode`` is both this module and the function: importing the module (as
# ``toolkit.places`` does) makes Python bind the package attribute to the module, so the module
# itself forwards calls to the function and ``toolkit.geocode("Baghdad")`` always works.
class _CallableModule(types.ModuleType):
    def __call__(self, names, **hints):
        return geocode(names, **hints)


sys.modules[__name__].__class__ = _CallableModule
