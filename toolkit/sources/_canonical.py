"""Shared pieces of the source loaders: vectorised parsing, mapping by keyword, canonical frame.

Everything here works on whole columns (pyarrow compute or pandas vector operations); the
only Python loops run over the rows that failed to parse, which the happy path does not have.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema

__all__ = [
    "TARGET_KEYWORDS",
    "WEAPON_KEYWORDS",
    "canonical_frame",
    "keyword_target",
    "keyword_weapon",
    "parse_dates",
    "parse_numbers",
]

#: Notes keywords that name a weapon (lower-case regular expressions, RE2 syntax). When the
#: notes of an attack name one weapon, it replaces the weapon of the event type; when they name
#: several, the weapon is ``mixed``. US strikes keep ``airstrike``.
WEAPON_KEYWORDS: dict[str, str] = {
    "rocket": r"rocket|katyusha",
    "mortar": r"mortar",
    "missile": r"missile",
    "drone": r"drone|\buavs?\b|unmanned aerial",
    "ied": r"\bi\.?e\.?d|roadside bomb|explosive device|car bomb|landmine",
}

#: Notes keywords that say what an attack hit, tried in this order (first match wins); US
#: strikes are ``militia``; attacks whose notes name none of these are ``other``.
TARGET_KEYWORDS: dict[str, str] = {
    "diplomatic": r"embassy|consulate|diplomatic",
    "logistics_convoy": r"convoy|supply truck",
    "contractor": r"contractor",
    "military_base": r"\bbase\b|airbase|\bcamp\b|garrison|\bk-1\b|tower 22|air field|airfield",
    "airport": r"airport",
    "personnel": r"troops|soldiers|personnel|\bforces\b|patrol",
}


def arrow(values: pd.Series) -> pa.Array:
    """The column as one pyarrow array (no copy for pyarrow-backed strings)."""
    array = pa.array(values.array) if hasattr(values.array, "__arrow_array__") else None
    if array is None:
        array = pa.array(values.to_numpy(dtype=object), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array


def parse_dates(values: pd.Series, formats: tuple[str, ...]) -> tuple[pd.Series, np.ndarray]:
    """Parse text dates trying ``formats`` in order; return the dates and the failed rows.

    The first format is tried on the whole column at once (pyarrow's strptime); each further
    format only on the rows still unparsed. Empty values are NaT without being a failure.
    """
    text = values.astype("string").str.strip()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    remaining = text.notna().to_numpy().copy()
    for number, fmt in enumerate(formats):
        if not remaining.any():
            break
        if number == 0:
            parsed = pc.strptime(arrow(text), format=fmt, unit="us", error_is_null=True)
            parsed = pd.Series(parsed.to_numpy(zero_copy_only=False), index=values.index).astype(
                "datetime64[us]"
            )
            ok = parsed.notna().to_numpy() & remaining
            out[ok] = parsed[ok]
        else:
            subset = text[remaining]
            parsed = pd.to_datetime(subset, format=fmt, errors="coerce")
            good = parsed.notna()
            out.loc[parsed.index[good]] = parsed[good].astype("datetime64[us]")
            ok = np.zeros(len(values), dtype=bool)
            ok[np.flatnonzero(remaining)[good.to_numpy()]] = True
        remaining &= ~ok
    return out, remaining


def parse_numbers(values: pd.Series, kind: str = "float") -> tuple[pd.Series, np.ndarray]:
    """Text to ``float64`` or ``Int64``; return the numbers and the rows that were not numbers."""
    target = pa.float64() if kind == "float" else pa.int64()
    array = arrow(values)
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        array = pc.utf8_trim_whitespace(array)
    try:
        cast = pc.cast(array, target)
        failed = np.zeros(len(values), dtype=bool)
        numbers = pd.Series(cast.to_numpy(zero_copy_only=False), index=values.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = pd.to_numeric(values.astype("string").str.strip(), errors="coerce")
        failed = (values.notna() & numbers.isna()).to_numpy().copy()
        if kind == "int":
            fraction = numbers.notna() & (numbers % 1 != 0)
            failed |= fraction.to_numpy()
            numbers = numbers.where(~fraction)
    if kind == "float":
        return numbers.astype("float64"), failed
    return numbers.astype("Int64"), failed


def _in_parallel(function, array: pa.Array) -> np.ndarray:
    """``function`` applied to slices of ``array`` in threads (pyarrow releases the GIL)."""
    if (os.cpu_count() or 1) == 1 or len(array) < 100_000:
        return function(array)
    return np.concatenate(_threads(function, array))


def _matches(lower: pa.Array, pattern: str) -> np.ndarray:
    def match(part: pa.Array) -> np.ndarray:
        hits = pc.match_substring_regex(part, pattern)
        return hits.fill_null(False).to_numpy(zero_copy_only=False)

    return _in_parallel(match, lower)


def strings(values) -> pd.Series:
    """Text as the ``string`` dtype of :func:`toolkit.load_events` (no copy from pyarrow)."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        chunked = values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])
        return pd.Series(pd.StringDtype("pyarrow").__from_arrow__(chunked.cast(pa.string())))
    return pd.Series(values).astype("string")


def empty_strings(n: int) -> pd.Series:
    """``n`` missing values of dtype ``string``."""
    return strings(pa.nulls(n, pa.string()))


def codes(values: pd.Series, mapping: dict, categories: tuple[str, ...]) -> np.ndarray:
    """Category codes (int8, -1 = missing) of ``values`` mapped through ``mapping``.

    Works on the distinct values only (pyarrow dictionary encoding), so mapping a million rows
    costs one pass over the column.
    """
    encoded = pc.dictionary_encode(arrow(values))
    distinct = encoded.dictionary.to_pylist()
    position = {name: i for i, name in enumerate(categories)}
    table = np.array([position.get(mapping.get(v), -1) for v in distinct] + [-1], dtype=np.int8)
    indices = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
    return table[indices]


def _first_class(lower: pa.Array, patterns: list[str]) -> np.ndarray:
    """Index (in ``patterns``) of the pattern matched first in each text; -1 when none.

    One regular-expression pass with a single capture group finds the leftmost keyword of
    each text; which pattern it belongs to is then decided on the few distinct keywords
    found, not on every row.
    """
    combined = "(?P<k>" + "|".join(f"(?:{p})" for p in patterns) + ")"

    def first(part: pa.Array) -> np.ndarray:
        found = pc.struct_field(pc.extract_regex(part, combined), [0])
        encoded = pc.dictionary_encode(found)
        distinct = encoded.dictionary
        table = np.full(len(distinct) + 1, -1, dtype=np.int8)
        if len(distinct):
            named = "|".join(f"(?P<k{i}>^(?:{p})$)" for i, p in enumerate(patterns))
            groups = pc.extract_regex(distinct, named)
            for i in range(len(patterns)):
                field = pc.struct_field(groups, [i])
                hit = pc.fill_null(pc.not_equal(field, ""), False).to_numpy(zero_copy_only=False)
                table[:-1][hit & (table[:-1] == -1)] = i
        indices = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
        return table[indices]

    return _in_parallel(first, lower)


def lowered(text: pd.Series, rows: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """Lower-cased text of the chosen rows (missing text as empty) and their positions.

    Only ASCII letters are lowered (the keywords are ASCII), which keeps the bytes in place
    and is several times faster than Unicode case mapping.
    """
    array = pc.fill_null(arrow(text).filter(pa.array(rows)).cast(pa.string()), "")
    return pc.ascii_lower(array), np.flatnonzero(rows)


def _threads(function, array: pa.Array):
    workers = min(os.cpu_count() or 1, 8)
    step = -(-len(array) // workers)
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(function, [array.slice(i, step) for i in range(0, len(array), step)]))


def _weapon_codes(lower: pa.Array, weapon: np.ndarray, categories: tuple[str, ...]) -> np.ndarray:
    names = list(WEAPON_KEYWORDS)
    patterns = [WEAPON_KEYWORDS[name] for name in names]
    first = _first_class(lower, patterns)
    out = weapon.copy()
    position = {name: i for i, name in enumerate(categories)}
    lookup = np.array([position[name] for name in names], dtype=np.int8)
    found = first >= 0
    out[found] = lookup[first[found]]
    for i in range(len(names)):
        chosen = first == i
        if not chosen.any():
            continue
        others = "|".join(p for j, p in enumerate(patterns) if j != i)
        mixed = _matches(lower.filter(pa.array(chosen)), others)
        out[np.flatnonzero(chosen)[mixed]] = position["mixed"]
    return out


def _highest(lower: pa.Array, patterns: list[str]) -> np.ndarray:
    """Index of the first pattern (in list order) found anywhere in each text; -1 when none.

    The leftmost keyword gives a candidate; only texts whose candidate is not the first
    pattern are searched again, for the patterns ranked above it (recursively).
    """
    out = _first_class(lower, patterns)
    for i in range(1, len(patterns)):
        here = out == i
        if here.any():
            better = _highest(lower.filter(pa.array(here)), patterns[:i])
            rows = np.flatnonzero(here)[better >= 0]
            out[rows] = better[better >= 0]
    return out


def _target_codes(lower: pa.Array, categories: tuple[str, ...]) -> np.ndarray:
    names = list(TARGET_KEYWORDS)
    highest = _highest(lower, [TARGET_KEYWORDS[name] for name in names])
    position = {name: i for i, name in enumerate(categories)}
    lookup = np.array([position[name] for name in names] + [position["other"]], dtype=np.int8)
    return lookup[highest]  # -1 (no keyword) picks the last entry: other


def keyword_weapon(
    text: pd.Series, weapon: np.ndarray, rows: np.ndarray, categories: tuple[str, ...]
) -> np.ndarray:
    """Refine weapon codes of the chosen ``rows`` with :data:`WEAPON_KEYWORDS`.

    A text that names one weapon gives that weapon; a text that names two different weapons
    is ``mixed``. Rows whose text names none keep their weapon.
    """
    if not rows.any():
        return weapon
    lower, positions = lowered(text, rows)
    out = weapon.copy()
    out[positions] = _weapon_codes(lower, weapon[positions], categories)
    return out


def keyword_target(text: pd.Series, rows: np.ndarray, categories: tuple[str, ...]) -> np.ndarray:
    """Target codes of the chosen ``rows`` from :data:`TARGET_KEYWORDS` (others: ``other``).

    The keywords are tried in the order of :data:`TARGET_KEYWORDS`, whatever their place in
    the text (an embassy hit by a rocket fired at a convoy is ``diplomatic``).
    """
    position = {name: i for i, name in enumerate(categories)}
    out = np.full(len(text), position["other"], dtype=np.int8)
    if not rows.any():
        return out
    lower, positions = lowered(text, rows)
    out[positions] = _target_codes(lower, categories)
    return out


def keyword_codes(
    text: pd.Series,
    rows: np.ndarray,
    weapon: np.ndarray,
    weapons: tuple[str, ...],
    targets: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`keyword_weapon` and :func:`keyword_target` at once, lowering the text once."""
    target = np.full(len(text), targets.index("other"), dtype=np.int8)
    if not rows.any():
        return weapon, target
    lower, positions = lowered(text, rows)
    weapon = weapon.copy()
    weapon[positions] = _weapon_codes(lower, weapon[positions], weapons)
    target[positions] = _target_codes(lower, targets)
    return weapon, target


def country_category(values: pd.Series) -> pd.Categorical:
    """Countries as a categorical: Iraq, Syria, Jordan first, then any other country found."""
    encoded = pc.dictionary_encode(arrow(values))
    distinct = [str(v) for v in encoded.dictionary.to_pylist()]
    categories = list(schema.COUNTRIES) + sorted(set(distinct) - set(schema.COUNTRIES))
    position = {name: i for i, name in enumerate(categories)}
    table = np.array([position[v] for v in distinct] + [-1], dtype=np.int32)
    indices = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
    return pd.Categorical.from_codes(table[indices], categories=categories)


def category(values, allowed: tuple[str, ...], keep_others: bool = False) -> pd.Categorical:
    """A categorical with the schema's categories (plus, if asked, the other values found)."""
    if isinstance(values, pd.Categorical):
        return values
    categories = list(allowed)
    if keep_others:
        found = pd.unique(pd.Series(values).dropna())
        categories += sorted(str(v) for v in found if v not in allowed)
    return pd.Categorical(values, categories=categories)


def canonical_frame(columns: dict[str, object], index: pd.Index) -> pd.DataFrame:
    """Assemble the canonical columns, in the schema's order, with ``load_events`` dtypes.

    ``columns`` maps canonical names to values (arrays or Series); a missing column is empty.
    Categories are the schema's allowed values (``country`` keeps other countries too, after
    Iraq, Syria and Jordan, so that no row loses its country).
    """
    n = len(index)
    out = {}
    for column in schema.EVENTS:
        value = columns.get(column.name)
        if value is None:
            value = np.full(n, None, dtype=object)
        if isinstance(value, pd.Series) and column.kind not in ("str", "category"):
            value = value.to_numpy()
        if column.kind == "date":
            series = pd.Series(value, index=index).astype("datetime64[us]")
        elif column.kind == "int":
            series = pd.Series(value, index=index).astype("Int64")
        elif column.kind == "float":
            series = pd.Series(value, index=index).astype("float64")
        elif column.kind == "bool":
            series = pd.Series(value, index=index).astype("boolean")
        elif column.kind == "category":
            if isinstance(value, np.ndarray) and value.dtype == np.int8:
                value = pd.Categorical.from_codes(value, categories=list(column.allowed))
            elif isinstance(value, pd.Series):
                value = value.to_numpy(dtype=object)
            series = pd.Series(
                category(value, column.allowed, keep_others=column.name == "country"), index=index
            )
        elif isinstance(value, pd.Series):
            series = value.astype("string").set_axis(index)
        elif isinstance(value, np.ndarray) and value.dtype == object and pd.isna(value).all():
            series = empty_strings(n).set_axis(index)
        else:
            series = pd.Series(value, index=index).astype("string")
        out[column.name] = series
    out["n_sources"] = pd.Series(columns.get("n_sources"), index=index).astype("Int64")
    return pd.DataFrame(out, index=index)


def to_geodataframe(df: pd.DataFrame):
    """Point geometry (EPSG:4326) from latitude/longitude; missing where either is missing."""
    import geopandas as gpd
    import shapely

    lat, lon = df["latitude"].to_numpy(), df["longitude"].to_numpy()
    missing = np.isnan(lat) | np.isnan(lon)
    workers = min(os.cpu_count() or 1, 8) if len(df) >= 100_000 else 1
    step = -(-len(df) // workers) if len(df) else 1
    with ThreadPoolExecutor(workers) as pool:  # shapely releases the GIL
        parts = pool.map(
            lambda i: shapely.points(lon[i : i + step], lat[i : i + step]), range(0, len(df), step)
        )
        points = np.concatenate([*parts, np.empty(0, dtype=object)])
    points[missing] = None
    geometry = gpd.GeoSeries(points, index=df.index, crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")


def prefixed(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """The source's columns renamed with ``prefix`` (e.g. ``acled_notes``)."""
    return frame.rename(columns=lambda c: f"{prefix}{c}" if c != "parse_problems" else c)


SAFE_NAME = re.compile(r"[^0-9A-Za-z_]+")


def finish(frame: pd.DataFrame, attrs: dict, to_canonical: bool, canonical) -> pd.DataFrame:
    """Return ``frame`` as read, or ``canonical(frame)``, carrying the reader's ``attrs``."""
    out = canonical(frame) if to_canonical else frame
    out.attrs.update(attrs)
    return out
