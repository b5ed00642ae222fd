"""Shared pieces of the source loaders: vectorised parsing, mapping by keyword, canonical frame.

Everything here works on whole columns (pyarrow compute or pandas vector operations); the
only Python loops run over the rows that failed to parse, which the happy path does not have.
"""

from __future__ import annotations

import calendar
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from .._geometry import points, to_geodataframe  # noqa: F401 - used by the readers
from .._threads import in_parallel as _in_parallel

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


def arrow(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """The column as pyarrow data, without copying: pyarrow-backed text keeps its chunks."""
    if hasattr(values.array, "__arrow_array__"):
        return pa.array(values.array)
    return pa.array(values.to_numpy(dtype=object), from_pandas=True)


def encode(array: pa.Array | pa.ChunkedArray) -> tuple[list, np.ndarray]:
    """The distinct values of ``array`` and each row's index into them (missing: ``len``)."""
    distinct = pc.unique(array).drop_null()
    indices = pc.index_in(array, value_set=distinct)
    positions = pc.fill_null(indices, len(distinct)).to_numpy(zero_copy_only=False)
    return distinct.to_pylist(), positions


def _text(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    array = arrow(values)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = array.cast(pa.string())
    return array


_SLASH = r"^\s*(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\s*$"
_YMD = re.compile(r"^\s*(\d{4})-?(\d{1,2})-?(\d{1,2})(?:[ T].*)?$")
_DMY_NAME = re.compile(r"^\s*(\d{1,2})[ -]([A-Za-z]+)[ -](\d{2}|\d{4})\s*$")
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}


def _strict(text: pd.Series, fmt: str) -> np.ndarray:
    """``text`` parsed with ``fmt`` by pandas (impossible dates are NaT, never rolled over)."""
    parsed = pd.to_datetime(text.astype("object"), format=fmt, errors="coerce")
    return parsed.to_numpy().astype("datetime64[us]")


def parse_dates(values: pd.Series, formats: tuple[str, ...]) -> tuple[pd.Series, np.ndarray]:
    """Parse text dates trying ``formats`` in order; return the dates and the failed rows.

    The first format is tried on the whole column at once (pyarrow's strptime); as that
    parser rolls an impossible day over (2020-02-30 to 1 March), every date it put on the
    first three days of a month is parsed again strictly. The rows left are stripped of spaces
    and tried with every format (strictly), only them. Empty values are NaT without being a
    failure. An impossible date is a failure, never moved to another day.
    """
    array = _text(values)
    parsed = pc.strptime(array, format=formats[0], unit="us", error_is_null=True)
    out = parsed.to_numpy(zero_copy_only=False).astype("datetime64[us]")
    remaining = pc.and_(pc.is_valid(array), pc.is_null(parsed)).to_numpy(zero_copy_only=False)
    remaining = remaining.copy()
    early = pc.fill_null(pc.less_equal(pc.day(parsed), 3), False).to_numpy(zero_copy_only=False)
    if early.any():
        rows = np.flatnonzero(early)
        again = _strict(values.iloc[rows], formats[0])
        wrong = again != out[rows]  # NaT (impossible date) or a rolled-over day
        out[rows[wrong]] = np.datetime64("NaT")
        remaining[rows[wrong]] = True
    if remaining.any():
        rows = np.flatnonzero(remaining)
        text = values.iloc[rows].astype("string").str.strip()
        for fmt in formats:
            left = np.flatnonzero(remaining[rows])
            if not len(left):
                break
            again = _strict(text.iloc[left], fmt)
            good = ~np.isnat(again)
            out[rows[left[good]]] = again[good]
            remaining[rows[left[good]]] = False
    return pd.Series(out, index=values.index), remaining


def _impossible(text: str, month_first: bool) -> bool:
    """Whether ``text`` names a day its month does not have (2020-02-30, 31/04/2020)."""
    found = _YMD.match(text)
    if found:
        year, month, day = (int(v) for v in found.groups())
    elif (found := _DMY_NAME.match(text)) and found.group(2).lower() in _MONTHS:
        day, month, year = int(found.group(1)), _MONTHS[found.group(2).lower()], found.group(3)
        year = int(year) + (2000 if len(year) == 2 else 0)
    elif found := re.match(_SLASH, text):
        first, second, year = found.groups()
        month, day = (int(first), int(second)) if month_first else (int(second), int(first))
        year = int(year) + (2000 if len(year) == 2 else 0)
    else:
        return False
    if not (1 <= month <= 12 and 1 <= day <= 31 and year >= 1):
        return False
    return day > calendar.monthrange(year, month)[1]


def checked_dates(
    frame: pd.DataFrame,
    out: pd.DataFrame,
    checks: list,
    column: str,
    formats: tuple[str, ...],
    expected: str,
    slash: bool = True,
) -> str | None:
    """Parse a date column of ``frame`` into ``out``; add its failures to ``checks``.

    With ``slash``, dates like ``5/9/2020`` (a spreadsheet's re-save) are read too: their
    day/month order is decided for the whole file by the dates only one order can read
    (13/5/2020 is day-first, 5/13/2020 month-first); ambiguous ones follow the majority, and
    dates that only the other order can read are flagged and left empty. Returns a sentence
    saying which order was used and why (None when the column has no such dates).
    """
    values = frame[column]
    dates, bad = parse_dates(values, formats)
    order = None
    month_first = False
    if slash and bad.any():
        rows = np.flatnonzero(bad)
        parts = values.iloc[rows].astype("string").str.extract(_SLASH)
        is_slash = parts[0].notna().to_numpy()
        if is_slash.any():
            first = pd.to_numeric(parts[0]).to_numpy()
            second = pd.to_numeric(parts[1]).to_numpy()
            only_day_first = is_slash & (first > 12) & (second <= 12)
            only_month_first = is_slash & (second > 12) & (first <= 12)
            n_day, n_month = int(only_day_first.sum()), int(only_month_first.sum())
            month_first = n_month > n_day
            name = "month-first (M/D/Y)" if month_first else "day-first (D/M/Y)"
            ambiguous = int((is_slash & ~only_day_first & ~only_month_first).sum())
            if n_day or n_month:
                why = (
                    f"decided by the dates only one order can read: {n_day} day-first, "
                    f"{n_month} month-first"
                )
            else:
                why = "no date decides it; day-first assumed"
            order = f"{column}: {name}, {why}; {ambiguous} ambiguous date(s) follow it"
            text = values.iloc[rows[is_slash]].astype("string").str.strip()
            fmt = "%m/%d/%Y" if month_first else "%d/%m/%Y"
            parsed = _strict(text, fmt)
            short = np.isnat(parsed)
            if short.any():  # two-digit years
                parsed[short] = _strict(text[short], fmt.replace("%Y", "%y"))
            contradicts = (only_day_first if month_first else only_month_first)[is_slash]
            parsed[contradicts] = np.datetime64("NaT")
            good = ~np.isnat(parsed)
            values_out = dates.to_numpy().copy()
            values_out[rows[is_slash][good]] = parsed[good]
            dates = pd.Series(values_out, index=values.index)
            bad = bad.copy()
            bad[rows[is_slash][good]] = False
            mask = np.zeros(len(values), dtype=bool)
            mask[rows[is_slash][contradicts]] = True
            bad[mask] = False
            other = "day-first" if month_first else "month-first"
            checks.append(
                (
                    mask,
                    column,
                    values,
                    f"can only be read {other}, but this file's dates are {name} "
                    "(most dates only one order can read); left empty",
                )
            )
    out[column] = dates
    impossible = np.zeros(len(values), dtype=bool)
    for position in np.flatnonzero(bad):
        impossible[position] = _impossible(str(values.iloc[position]), month_first)
    checks.append(
        (
            impossible,
            column,
            values,
            "is an impossible date (that month has no such day); left empty, not rolled over",
        )
    )
    checks.append((bad & ~impossible, column, values, expected))
    return order


def parse_numbers(values: pd.Series, kind: str = "float") -> tuple[pd.Series, np.ndarray]:
    """Text to ``float64`` or ``Int64``; return the numbers and the rows that were not numbers.

    A whole-column cast first; only when it fails are spaces stripped, and only when that
    fails too is each value tried on its own (the failures are then the flagged rows).
    """
    target = pa.float64() if kind == "float" else pa.int64()
    array = arrow(values)
    failed = np.zeros(len(values), dtype=bool)
    cast = None
    for attempt in range(2):
        try:
            cast = pc.cast(array, target)
            break
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            if attempt or not (
                pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
            ):
                break
            array = pc.utf8_trim_whitespace(array)
    if cast is not None:
        if kind == "float":
            numbers = cast.to_numpy(zero_copy_only=False).astype("float64")
            return pd.Series(numbers, index=values.index), failed
        data = pc.fill_null(cast, 0).to_numpy(zero_copy_only=False).astype(np.int64)
        mask = pc.is_null(cast).to_numpy(zero_copy_only=False)
        return pd.Series(pd.arrays.IntegerArray(data, mask), index=values.index), failed
    numbers = pd.to_numeric(values.astype("string").str.strip(), errors="coerce")
    failed = (values.notna() & numbers.isna()).to_numpy().copy()
    if kind == "int":
        fraction = numbers.notna() & (numbers % 1 != 0)
        failed |= fraction.to_numpy()
        numbers = numbers.where(~fraction)
    if kind == "float":
        return numbers.astype("float64"), failed
    return numbers.astype("Int64"), failed


def _matches(lower: pa.Array, pattern: str) -> np.ndarray:
    def match(part: pa.Array) -> np.ndarray:
        hits = pc.match_substring_regex(part, pattern)
        return hits.fill_null(False).to_numpy(zero_copy_only=False)

    return _in_parallel(match, lower)


def matches_distinct(values: pd.Series, pattern: str) -> np.ndarray:
    """Rows whose text matches ``pattern``, tested once per distinct value (missing: False).

    For columns with few distinct values (actor names, types), this is a hash pass instead of
    a regular-expression pass over every row.
    """
    distinct, indices = encode(_text(values))
    hits = pc.match_substring_regex(pa.array(distinct, pa.string()), pattern)
    table = np.append(hits.to_numpy(zero_copy_only=False).astype(bool), False)
    return table[indices]


def prefix_text(prefix: str, values: pd.Series) -> pd.Series:
    """``prefix`` + each value, as the ``string`` dtype (missing values stay missing)."""
    text = _text(values)
    return strings(
        pc.binary_join_element_wise(pa.scalar(prefix, text.type), text, pa.scalar("", text.type))
    )


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
    distinct, indices = encode(arrow(values))
    position = {name: i for i, name in enumerate(categories)}
    table = np.array([position.get(mapping.get(v), -1) for v in distinct] + [-1], dtype=np.int8)
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
        distinct, indices = encode(found)
        table = np.full(len(distinct) + 1, -1, dtype=np.int8)
        if distinct:
            named = "|".join(f"(?P<k{i}>^(?:{p})$)" for i, p in enumerate(patterns))
            groups = pc.extract_regex(pa.array(distinct, pa.string()), named)
            for i in range(len(patterns)):
                field = pc.struct_field(groups, [i])
                hit = pc.fill_null(pc.not_equal(field, ""), False).to_numpy(zero_copy_only=False)
                table[:-1][hit & (table[:-1] == -1)] = i
        return table[indices]

    return _in_parallel(first, lower)


def lowered(text: pd.Series, rows: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """Lower-cased text of the chosen rows (missing text as empty) and their positions.

    Only ASCII letters are lowered (the keywords are ASCII), which keeps the bytes in place
    and is several times faster than Unicode case mapping.
    """
    array = arrow(text)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = array.cast(pa.string())
    array = pc.fill_null(array.filter(pa.array(rows)), "")
    if isinstance(array, pa.ChunkedArray):
        # one array: the regular-expression kernels run faster on few large chunks
        array = array.combine_chunks()
    return pc.ascii_lower(array), np.flatnonzero(rows)


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

    The leftmost keyword gives a candidate; texts whose candidate is not the first pattern
    are tested (a yes/no search) for the patterns ranked above it, and only those that have
    one are searched again, recursively.
    """
    out = _first_class(lower, patterns)
    for i in range(1, len(patterns)):
        here = np.flatnonzero(out == i)
        if not len(here):
            continue
        subset = lower.take(pa.array(here))
        above = _matches(subset, "|".join(patterns[:i]))
        if above.any():
            better = _highest(subset.filter(pa.array(above)), patterns[:i])
            out[here[above]] = better
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
    distinct, indices = encode(arrow(values))
    distinct = [str(v) for v in distinct]
    categories = list(schema.COUNTRIES) + sorted(set(distinct) - set(schema.COUNTRIES))
    position = {name: i for i, name in enumerate(categories)}
    table = np.array([position[v] for v in distinct] + [-1], dtype=np.int32)
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


def _missing_ints(n: int) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))


def _empty(column, n: int, index: pd.Index) -> pd.Series:
    """A column of ``n`` missing values with the dtype of ``load_events``."""
    if column.kind == "date":
        values = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    elif column.kind == "int":
        values = _missing_ints(n)
    elif column.kind == "float":
        values = np.full(n, np.nan)
    elif column.kind == "bool":
        values = pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
    elif column.kind == "category":
        values = pd.Categorical.from_codes(
            np.full(n, -1, dtype=np.int8), categories=list(column.allowed)
        )
    else:
        return empty_strings(n).set_axis(index)
    return pd.Series(values, index=index)


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
            out[column.name] = _empty(column, n, index)
            continue
        if column.kind in ("date", "int", "float", "bool"):
            dtype = {"date": "datetime64[us]", "int": "Int64", "float": "float64"}.get(
                column.kind, "boolean"
            )
            if isinstance(value, pd.Series):
                series = value.set_axis(index).astype(dtype)
            else:
                series = pd.Series(value, index=index).astype(dtype)
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
    n_sources = columns.get("n_sources")
    if n_sources is None:
        out["n_sources"] = pd.Series(_missing_ints(n), index=index)
    elif isinstance(n_sources, pd.Series):
        out["n_sources"] = n_sources.set_axis(index).astype("Int64")
    else:
        out["n_sources"] = pd.Series(n_sources, index=index).astype("Int64")
    return pd.DataFrame(out, index=index, copy=False)


def with_source(frame: pd.DataFrame, raw: pd.DataFrame, prefix: str):
    """The canonical ``frame``, then ``parse_problems``, then the source's columns renamed
    with ``prefix`` (e.g. ``acled_notes``), as a GeoDataFrame."""
    frame["parse_problems"] = raw["parse_problems"]
    source = raw.drop(columns="parse_problems").rename(columns=lambda c: f"{prefix}{c}")
    return to_geodataframe(pd.concat([frame, source], axis=1))


def checked_numbers(
    frame: pd.DataFrame, out: pd.DataFrame, checks: list, columns, kind: str, expected: str
) -> None:
    """Parse ``columns`` of ``frame`` present into ``out``; add their failures to ``checks``."""
    for column in columns:
        if column in frame.columns:
            out[column], bad = parse_numbers(frame[column], kind)
            checks.append((bad, column, frame[column], expected))


def checked_coordinate(
    frame: pd.DataFrame, out: pd.DataFrame, checks: list, column: str, limit: int
) -> None:
    """Decimal degrees within +-``limit`` into ``out`` (outside: missing and flagged)."""
    numbers, bad = parse_numbers(frame[column], "float")
    outside = (numbers.abs() > limit).to_numpy()
    out[column] = numbers.where(~outside)
    checks.append((bad, column, frame[column], "is not a number (decimal degrees)"))
    checks.append(
        (outside, column, frame[column], f"is out of range (expected -{limit} to {limit})")
    )


SAFE_NAME = re.compile(r"[^0-9A-Za-z_]+")


def finish(frame: pd.DataFrame, attrs: dict, to_canonical: bool, canonical) -> pd.DataFrame:
    """Return ``frame`` as read, or ``canonical(frame)``, carrying the reader's ``attrs``."""
    out = canonical(frame) if to_canonical else frame
    out.attrs.update(attrs)
    return out
