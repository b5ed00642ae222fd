"""Which rows of a loaded source concern attacks on US or coalition facilities and personnel.

The rule (also in the README, "Loading ACLED, GDELT and UCDP")
---------------------------------------------------------------
A row is selected when its ``event_type`` is ``attack`` (US strikes, and rows that are not
violence, are never selected) and at least one of these holds:

1. **actor**: the attacked side is US or coalition forces: ACLED ``actor2`` or
   ``assoc_actor_2``, UCDP ``side_b`` match :data:`US_TARGET_ACTOR`; GDELT ``Actor2Code``
   starts with ``USA`` or ``Actor2CountryCode`` is ``USA``.
2. **keyword**: the text (``summary``, ``location`` and the source's notes, headline or
   description) names a US or coalition target, matching one of :data:`KEYWORDS` ("US
   forces", "U.S. embassy", "American troops", "US-led coalition", "coalition convoy", "Green
   Zone" together with "embassy", a convoy together with US/coalition, the Arabic for US
   forces, coalition or US embassy...).
3. **site**: the text names a base or diplomatic site hosting US forces or diplomats from the
   project's gazetteer (``data/sites_researched.csv``, any of its names: Ain al-Asad, Victory
   Base, Harir, Erbil air base, Camp Taji, K-1, Tower 22, al-Tanf, the US embassy...), or the
   row's ``site_id`` is one of them (the curated dataset).

``selected_because`` says which reasons held, with the text that matched, so each selection
can be checked by hand. The rule errs towards recall: a rocket that hit near Baghdad airport
or a convoy "for the coalition" is selected even when the report does not say US personnel
were present. Read ``selected_because`` before counting.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._paths import data_dir
from ..errors import FormatError
from . import _canonical as canon

__all__ = ["KEYWORDS", "US_TARGET_ACTOR", "select_attacks_on_us", "us_sites"]

#: Target-side actor names that are US or coalition forces.
US_TARGET_ACTOR = (
    r"United States|\bUSA?\b|U\.S\.|NATO|Coalition|Operation Inherent Resolve|"
    r"Military Forces of the United Kingdom"
)
_US = r"(?:\bU\.S\.(?:A\.)?|\bUSA?\b|\bUnited States\b|\bAmericans?\b)"
_THINGS = (
    r"(?:forces|troops|soldiers?|military|service ?members?|servicemen|personnel|base|bases|"
    r"embassy|consulate|contractors?|convoys?|patrol|interests|drones?|aircraft|presence|"
    r"-led coalition|led coalition|facilities|facility|positions?|diplomatic|sites?|"
    r"installations?|outposts?|equipment|helicopters?|vehicles|-bound)"
)
#: Keyword patterns (case-insensitive) and the label reported in ``selected_because``.
KEYWORDS = {
    "US target": rf"{_US}(?:[\s-]+and[\s-]+\w+)?[\s-]*(?:\w+[\s-]+)?{_THINGS}",
    "coalition": r"(?:US-led|U\.S\.-led|international|global|anti-(?:IS|ISIS|Daesh)) coalition|"
    r"coalition[\s-](?:\w+[\s-]+)?(?:forces|troops|base|bases|convoys?|personnel|logistics?|"
    r"supply|supplies|presence|positions?|advisers|advisors|sites?|trucks?|tankers?|"
    r"contracted|air defen[cs]es)",
    "US-held base in Syria": r"(?:conoco|al[\s-]?omar|omar oil|himo)[\w\s-]{0,25}"
    r"(?:base|outpost|installation)",
    "Green Zone embassy": r"green zone.*embassy|embassy.*green zone",
    "convoy for US/coalition": rf"convoy.*(?:{_US}|coalition)|(?:{_US}|coalition).*convoy",
    "Arabic": r"القوات الأمريكية|القوات الامريكية|التحالف الدولي|السفارة الأمريكية|"
    r"السفارة الامريكية|قاعدة عين الأسد|رتل",
}


@functools.cache
def us_sites() -> tuple[dict[str, str], re.Pattern | None]:
    """Sites hosting US forces or diplomats (``data/sites_researched.csv``) and one pattern.

    Returns ``{place_id: name}`` and a case-insensitive pattern of every name and alternate
    name of those sites (words separated by spaces or hyphens alike), or None when the file is
    absent.
    """
    names, variants = _site_names()
    if not names:
        return {}, None
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(variants) + r")(?!\w)", re.IGNORECASE)
    return names, pattern


@functools.cache
def _site_names() -> tuple[dict[str, str], tuple[str, ...]]:
    path = data_dir() / "sites_researched.csv"
    if not path.exists():
        return {}, ()
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = table[table["feature_type"].isin(["military_base", "diplomatic", "airport"])]
    names: dict[str, str] = dict(zip(table["place_id"], table["name"], strict=True))
    variants = set()
    for name, alternates in zip(table["name"], table["alternate_names"], strict=True):
        for variant in [name, *alternates.split("|")]:
            words = re.split(r"[\s\-‐]+", variant.strip())
            if len("".join(words)) >= 4:  # skip short acronyms that would match anywhere
                variants.add(r"[\s\-‐]*".join(re.escape(w) for w in words if w))
    return names, tuple(sorted(variants, key=len, reverse=True))


_TEXT_COLUMNS = (
    "summary",
    "location",
    "acled_notes",
    "acled_location",
    "ucdp_source_headline",
    "ucdp_where_description",
    "gdelt_ActionGeo_FullName",
)
# columns that repeat a few values (place names): matched once per distinct value
_FEW_VALUES = {"location", "acled_location", "gdelt_ActionGeo_FullName"}
# Labels matched on the row's text as a whole: both parts anywhere in it.
_PAIRED = {
    "Green Zone embassy": (r"green zone", r"embassy"),
    "convoy for US/coalition": (r"convoy", rf"{_US}|coalition"),
}
_WORD = r"[\pL\pN_]"


def _site_pattern() -> str | None:
    """The site names as an RE2 pattern (RE2 has no look-behind: the boundary is matched)."""
    _, variants = _site_names()
    if not variants:
        return None
    # re.escape escapes characters RE2 takes literally anyway (spaces, hyphens, Arabic)
    names = "|".join(variants)
    return rf"(?:^|[^\pL\pN_])(?P<m>{names})(?:[^\pL\pN_]|$)"


class _Text:
    """One text column as pyarrow data; a place column keeps its distinct values apart, so
    patterns run once per distinct place and the result is spread back by index."""

    def __init__(self, name: str, array: pa.Array):
        self.name, self.array = name, array
        self.encoded = pc.dictionary_encode(array) if name in _FEW_VALUES else None

    def apply(self, function) -> pa.Array:
        if self.encoded is None:
            return function(self.array)
        return function(self.encoded.dictionary).take(self.encoded.indices)

    def hits(self, pattern: str) -> np.ndarray:
        found = self.apply(lambda a: pc.match_substring_regex(a, pattern, ignore_case=True))
        return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)

    def first(self, pattern: str) -> pa.Array:
        """The first match of ``pattern`` (its group ``m`` if it has one), else null."""
        if "(?P<m>" not in pattern:
            pattern = f"(?P<m>{pattern})"
        return self.apply(
            lambda a: pc.struct_field(pc.extract_regex(a, "(?i)" + pattern), [0])
        ).cast(pa.string())

    def subset(self, rows: np.ndarray) -> _Text:
        return _Text(self.name, self.array.filter(pa.array(rows)))


def _texts(df: pd.DataFrame) -> list[_Text]:
    """The text columns present (a column identical to one before it, as ACLED's notes are
    to the summary, is left out)."""
    out: list[_Text] = []
    for column in _TEXT_COLUMNS:
        if column not in df.columns:
            continue
        array = _arrow_text(df[column])
        if any(
            pc.all(pc.equal(array, seen.array)).as_py() is not False
            and pc.sum(pc.is_null(array)).as_py() == pc.sum(pc.is_null(seen.array)).as_py()
            for seen in out
        ):
            continue
        out.append(_Text(column, array))
    return out


def _arrow_text(values: pd.Series) -> pa.Array:
    array = canon.arrow(values.astype("string") if values.dtype == object else values)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not pa.types.is_string(array.type):
        array = array.cast(pa.string())
    return array


def _reason(label: str, texts: list[_Text], pattern: str) -> pa.Array:
    """``label'match'`` from the first column (in order) whose text matches, else null."""
    matches = [text.first(pattern) for text in texts]
    found = pc.coalesce(*matches) if len(matches) > 1 else matches[0]
    return pc.binary_join_element_wise(label + "'", found, "'", "")


def _strings(values: pd.Series) -> pa.Array:
    return pa.array(values.to_numpy(dtype=object, na_value=None), pa.string())


def _actor_reason(df: pd.DataFrame) -> pd.Series:
    reason = pd.Series(pd.NA, index=df.index, dtype="string")
    for column in ("acled_actor2", "acled_assoc_actor_2", "ucdp_side_b"):
        if column in df.columns:
            values = df[column].astype("string")
            hit = canon.matches_distinct(values, US_TARGET_ACTOR)
            reason = reason.mask(reason.isna() & hit, f"actor: {column} " + values.fillna(""))
    if "gdelt_Actor2Code" in df.columns:
        code = df["gdelt_Actor2Code"].astype("string")
        hit = code.str.startswith("USA").fillna(False)
        if "gdelt_Actor2CountryCode" in df.columns:
            hit |= (df["gdelt_Actor2CountryCode"].astype("string") == "USA").fillna(False)
        reason = reason.mask(reason.isna() & hit, "actor: gdelt_Actor2Code " + code.fillna(""))
    return reason


def select_attacks_on_us(df: pd.DataFrame, *, keep_all: bool = False) -> pd.DataFrame:
    """The rows of ``df`` about attacks on US or coalition facilities and personnel.

    ``df`` is the canonical output of :func:`toolkit.read_acled`, :func:`toolkit.read_gdelt`
    or :func:`toolkit.read_ucdp_ged`, or the curated :func:`toolkit.load_events`. The rule is
    in this module's docstring and the README: an ``attack`` row whose attacked actor is US or
    coalition forces, whose text names a US or coalition target, or whose text (or
    ``site_id``) names a site hosting US forces or diplomats.

    Vectorised: each text column is searched by whole-column regular-expression passes (RE2,
    in pyarrow; place columns once per distinct place), never row by row.

    Returns the selected rows (index kept) with a ``selected_because`` column naming each
    reason and the text that matched; with ``keep_all=True`` every row, with a boolean
    ``selected`` column too. A Dask frame (``read_gdelt(..., engine="dask")``) gives a lazy
    Dask frame of the same rows.

    Parameters
    ----------
    df : pandas.DataFrame or dask.dataframe.DataFrame
        Events in the canonical schema, with at least ``event_type``.
    keep_all : bool, default False
        Return every row, with ``selected`` (bool) saying which ones the rule keeps.

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        The selected rows (or every row with ``keep_all``) with ``selected_because`` (text;
        missing for rows not selected), of the same type as ``df``.

    Raises
    ------
    FormatError
        ``df`` has no ``event_type`` column.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events(start="2020-01-08", end="2020-01-08")
    >>> toolkit.select_attacks_on_us(events)["site_id"].tolist()
    ['ain_al_asad', 'erbil_air_base', 'us_embassy_baghdad']
    """
    from ..scale import is_dask

    if is_dask(df) and "event_type" in df.columns:  # lazy, partition by partition
        from ..scale import select_attacks_on_us_lazy

        return select_attacks_on_us_lazy(df, keep_all=keep_all)
    if "event_type" not in df.columns:
        raise FormatError(
            "select_attacks_on_us needs an 'event_type' column: pass the canonical output of "
            "read_acled / read_gdelt / read_ucdp_ged or toolkit.load_events()"
        )
    attack = (df["event_type"].astype("string") == "attack").fillna(False).to_numpy()
    # only the columns the rule reads: taking every column of the attack rows costs seconds
    needed = [
        c
        for c in (
            "acled_actor2",
            "acled_assoc_actor_2",
            "ucdp_side_b",
            "gdelt_Actor2Code",
            "gdelt_Actor2CountryCode",
            "site_id",
        )
        if c in df.columns
    ]
    candidates = df.loc[attack, needed]
    n = len(candidates)
    texts = _texts(df) if n else []
    reasons: list[pa.Array] = [_strings(_actor_reason(candidates))]
    site = _site_pattern()
    # one pass per column over the whole column: does any keyword or site name occur at all?
    union = [p for label, p in KEYWORDS.items() if label not in _PAIRED]
    union += [part for pair in _PAIRED.values() for part in pair]
    union += [site] if site else []
    anywhere = np.zeros(len(df), dtype=bool)
    for text in texts:
        anywhere |= text.hits("|".join(f"(?:{p})" for p in union))
    anywhere &= attack
    subset = [text.subset(anywhere) for text in texts]
    # positions of those rows among the candidates
    rows = np.flatnonzero(anywhere[attack])

    def spread(values: pa.Array) -> pa.Array:
        out = np.full(n, None, dtype=object)
        out[rows] = values.to_numpy(zero_copy_only=False)
        return pa.array(out, pa.string())

    if len(rows):
        for label, pattern in KEYWORDS.items():
            if label in _PAIRED:
                both = np.ones(len(rows), dtype=bool)
                for part in _PAIRED[label]:
                    present = np.zeros(len(rows), dtype=bool)
                    for text in subset:
                        present |= text.hits(part)
                    both &= present
                reasons.append(spread(pa.array(np.where(both, label, None), pa.string())))
                continue
            reasons.append(spread(_reason(f"keyword ({label}): ", subset, pattern)))
        if site:
            reasons.append(spread(_reason("site: ", subset, site)))
    names, _ = _site_names()
    if "site_id" in candidates.columns and names:
        site_id = candidates["site_id"].astype("string")
        known = site_id.isin(list(names)).fillna(False)
        reasons.append(_strings(("site_id: " + site_id).where(known)))
    # (null_handling="skip" would be shorter, but pyarrow drops the rows where all are null)
    joined = pc.binary_join_element_wise(
        *reasons, "\x01", null_handling="replace", null_replacement=""
    )
    joined = pc.utf8_trim(pc.replace_substring_regex(joined, "\x01+", "\x01"), "\x01")
    joined = pc.replace_substring(joined, "\x01", "; ")
    joined = pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)
    because = pd.Series(
        joined.to_numpy(zero_copy_only=False), index=candidates.index, dtype="string"
    )
    out_because = pd.Series(pd.NA, index=df.index, dtype="string")
    out_because.loc[candidates.index] = because
    selected = out_because.notna().to_numpy()
    if keep_all:
        out = df.copy()
        out["selected"] = pd.array(selected, dtype="boolean")
        out["selected_because"] = out_because
        return out
    out = df[selected]  # a new frame already (pandas copies on write)
    out["selected_because"] = out_because[selected]
    out.attrs = {k: v for k, v in df.attrs.items() if k != "problems"}
    out.attrs["selected_from"] = len(df)
    return out
