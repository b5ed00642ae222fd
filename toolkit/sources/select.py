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

import pandas as pd

from .._paths import data_dir
from ..errors import FormatError

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
    path = data_dir() / "sites_researched.csv"
    if not path.exists():
        return {}, None
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = table[table["feature_type"].isin(["military_base", "diplomatic", "airport"])]
    names: dict[str, str] = dict(zip(table["place_id"], table["name"], strict=True))
    variants = set()
    for name, alternates in zip(table["name"], table["alternate_names"], strict=True):
        for variant in [name, *alternates.split("|")]:
            words = re.split(r"[\s\-‐]+", variant.strip())
            if len("".join(words)) >= 4:  # skip short acronyms that would match anywhere
                variants.add(r"[\s\-‐]*".join(re.escape(w) for w in words if w))
    ordered = sorted(variants, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)", re.IGNORECASE)
    return names, pattern


_TEXT_COLUMNS = (
    "summary",
    "location",
    "acled_notes",
    "acled_location",
    "ucdp_source_headline",
    "ucdp_where_description",
    "gdelt_ActionGeo_FullName",
)


def _text(df: pd.DataFrame) -> pd.Series:
    parts = [df[c].astype("string").fillna("") for c in _TEXT_COLUMNS if c in df.columns]
    if not parts:
        return pd.Series("", index=df.index, dtype="string")
    text = parts[0]
    for part in parts[1:]:
        text = text + " | " + part
    return text


def _first_match(text: pd.Series, pattern: str | re.Pattern) -> pd.Series:
    """The matched text (or NA) of ``pattern`` in each row."""
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, re.IGNORECASE)
    group = f"(?P<m>{compiled.pattern})"
    found = text.astype("object").str.extract(re.compile(group, compiled.flags), expand=True)
    return found["m"].astype("string")


def _actor_reason(df: pd.DataFrame) -> pd.Series:
    reason = pd.Series(pd.NA, index=df.index, dtype="string")
    for column in ("acled_actor2", "acled_assoc_actor_2", "ucdp_side_b"):
        if column in df.columns:
            values = df[column].astype("string")
            hit = values.str.contains(US_TARGET_ACTOR, regex=True).fillna(False)
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

    Returns the selected rows (index kept) with a ``selected_because`` column naming each
    reason and the text that matched; with ``keep_all=True`` every row, with a boolean
    ``selected`` column too.

    Examples
    --------
    >>> import toolkit
    >>> events = toolkit.load_events(start="2020-01-08", end="2020-01-08")
    >>> toolkit.select_attacks_on_us(events)["site_id"].tolist()
    ['ain_al_asad', 'erbil_air_base', 'us_embassy_baghdad']
    """
    if "event_type" not in df.columns:
        raise FormatError(
            "select_attacks_on_us needs an 'event_type' column: pass the canonical output of "
            "read_acled / read_gdelt / read_ucdp_ged or toolkit.load_events()"
        )
    attack = (df["event_type"].astype("string") == "attack").fillna(False).to_numpy()
    candidates = df[attack]
    reasons: list[pd.Series] = [_actor_reason(candidates)]
    text = _text(candidates)
    for label, pattern in KEYWORDS.items():
        if label == "Green Zone embassy" or label == "convoy for US/coalition":
            hit = text.str.contains(pattern, case=False, regex=True).fillna(False)
            reasons.append(pd.Series(pd.NA, index=text.index, dtype="string").mask(hit, label))
            continue
        match = _first_match(text, pattern)
        reasons.append(f"keyword ({label}): '" + match + "'")
    names, site_pattern = us_sites()
    if site_pattern is not None:
        match = _first_match(text, site_pattern)
        reasons.append("site: '" + match + "'")
    if "site_id" in candidates.columns and names:
        site = candidates["site_id"].astype("string")
        known = site.isin(list(names)).fillna(False)
        reasons.append(("site_id: " + site).where(known))
    because = pd.Series(pd.NA, index=candidates.index, dtype="string")
    for reason in reasons:
        reason = reason.astype("string")
        because = because.mask(because.isna(), reason).mask(
            because.notna() & reason.notna(), because + "; " + reason
        )
    out_because = pd.Series(pd.NA, index=df.index, dtype="string")
    out_because.loc[candidates.index] = because
    selected = out_because.notna().to_numpy()
    if keep_all:
        out = df.copy()
        out["selected"] = pd.array(selected, dtype="boolean")
        out["selected_because"] = out_because
        return out
    out = df[selected].copy()
    out["selected_because"] = out_because[selected]
    out.attrs = {k: v for k, v in df.attrs.items() if k != "problems"}
    out.attrs["selected_from"] = len(df)
    return out
