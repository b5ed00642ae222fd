"""How strong each event is: its evidence level, derived from its sources, never typed.

Each row of ``event_sources.csv`` carries ``source_kind``, ``original`` (for a republication or a
mirror: whose report it carries), ``relays_claim`` (it reports the event only on the word of a
claim or of party media) and ``official_quoted`` (whose official it quotes confirming the event).
From these, an event gets one of four levels, weakest first:

``claimed``
    Nothing below applies: the event rests on militia claims, party or state media of a side,
    sources that only relay a claim, or copies whose original is unknown.
``reported``
    At least one wire, independent or monitor source reports the attack as happening (not only
    relaying a claim). A mirror or republication counts as its ``original`` would.
``confirmed_official``
    An Iraqi or Kurdistan Region official confirms it: a source of kind ``iraqi_official`` /
    ``kurdish_official``, or any source quoting such an official by name or office
    (``official_quoted`` ``iraqi`` / ``kurdish``: the Security Media Cell, the Joint Operations
    Command, the Kurdistan Region's counter-terrorism directorate...).
``confirmed_us``
    A US official confirms it: a source of kind ``us_official`` (or a copy of one), or the event's
    ``us_confirmed`` is true and a source quotes a US official by name or office
    (``official_quoted = us``; the coalition's spokespeople count, being US officers).

The levels are nested: filtering with ``evidence="reported"`` keeps ``reported`` and every
stronger level.
"""

from __future__ import annotations

import pandas as pd

from .errors import Problem
from .schema import EVIDENCE_LEVELS, ORIGINAL_KINDS, SOURCE_KINDS, WIRE_AGENCIES, _as_text

__all__ = ["EVIDENCE_DTYPE", "EVIDENCE_LEVELS", "event_evidence", "evidence_problems"]

#: Ordered categorical dtype of ``load_events()["evidence"]``: claimed < reported < ...
EVIDENCE_DTYPE = pd.CategoricalDtype(list(EVIDENCE_LEVELS), ordered=True)

_REPORTING_KINDS = {"wire", "independent_media", "monitor"}


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return False
    return _as_text(value).lower() in {"true", "1", "yes"}


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return _as_text(value)


def effective_kind(source_kind, original) -> str:
    """The kind a source counts as: a mirror counts as its original (unknown original: mirror)."""
    kind, original = _text(source_kind), _text(original)
    if kind == "mirror":
        return ORIGINAL_KINDS.get(original, "mirror")
    return kind


def _source_levels(sources: pd.DataFrame, us_confirmed: pd.Series) -> pd.Series:
    """Evidence level (as an integer index into EVIDENCE_LEVELS) each source row lends."""
    kinds = [
        effective_kind(k, o)
        for k, o in zip(sources["source_kind"], sources["original"], strict=True)
    ]
    relays = [_flag(v) for v in sources["relays_claim"]]
    quoted = [_text(v) for v in sources["official_quoted"]]
    confirmed = [_flag(us_confirmed.get(_text(e))) for e in sources["event_id"]]
    levels = []
    for kind, relay, quote, us in zip(kinds, relays, quoted, confirmed, strict=True):
        if kind == "us_official" or (quote == "us" and us):
            levels.append(3)
        elif kind in ("iraqi_official", "kurdish_official") or quote in ("iraqi", "kurdish"):
            levels.append(2)
        elif kind in _REPORTING_KINDS and not relay:
            levels.append(1)
        else:
            levels.append(0)
    return pd.Series(levels, index=sources.index, dtype="int64")


def event_evidence(events: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Return each event's evidence level, aligned to ``events.index``.

    ``events`` needs ``event_id`` and ``us_confirmed``; ``sources`` needs ``event_id``,
    ``source_kind``, ``original``, ``relays_claim`` and ``official_quoted``. The result is an
    ordered categorical (``claimed`` < ``reported`` < ``confirmed_official`` < ``confirmed_us``);
    an event no source cites is ``claimed``.

    Parameters
    ----------
    events : pandas.DataFrame
        The events, with ``event_id`` and ``us_confirmed`` (e.g. :func:`toolkit.load_events`).
    sources : pandas.DataFrame
        Their sources, one row per source per event, with ``event_id``, ``source_kind``,
        ``original``, ``relays_claim`` and ``official_quoted`` (e.g.
        :func:`toolkit.load_event_sources`).

    Returns
    -------
    pandas.Series
        Named ``evidence``, indexed like ``events``: the best level any source of the event
        gives, as an ordered categorical.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"event_id": ["A2024-0001", "A2024-0002"],
    ...                        "us_confirmed": [True, False]})
    >>> sources = pd.DataFrame({
    ...     "event_id": ["A2024-0001", "A2024-0002", "A2024-0002"],
    ...     "source_kind": ["wire", "party_media", "independent_media"],
    ...     "original": ["Reuters", "", ""],
    ...     "relays_claim": [False, False, True],
    ...     "official_quoted": ["us", "", ""]})
    >>> event_evidence(events, sources).tolist()
    ['confirmed_us', 'claimed']
    """
    ids = events["event_id"].map(_text)
    us_confirmed = pd.Series(events["us_confirmed"].tolist(), index=ids.tolist())
    us_confirmed = us_confirmed[~us_confirmed.index.duplicated()]
    levels = _source_levels(sources, us_confirmed)
    best = levels.groupby(sources["event_id"].map(_text)).max()
    codes = ids.map(best).fillna(0).astype("int64")
    return pd.Series(
        pd.Categorical.from_codes(codes.to_numpy(), dtype=EVIDENCE_DTYPE),
        index=events.index,
        name="evidence",
    )


def evidence_problems(
    events: pd.DataFrame, sources: pd.DataFrame, *, rows, source_rows, file: str, sources_file: str
) -> list[Problem]:
    """Cross-checks between the grading columns and the events (used by ``validate_events``).

    - a ``wire`` source names AP, AFP or Reuters as its ``original``;
    - a source quoting a US official confirming the event does not sit on an event whose
      ``us_confirmed`` is false;
    - a ``us_official`` source (or a copy of one) does not sit on an event whose
      ``us_confirmed`` is false, and an event whose ``us_confirmed`` is true has a source that
      carries the US confirmation;
    - an ``evidence`` column, when present, equals the level derived from the sources.
    """
    problems: list[Problem] = []
    needed = {"source_kind", "original", "relays_claim", "official_quoted", "event_id"}
    if not needed <= set(sources.columns) or "event_id" not in events.columns:
        return problems
    kinds = sources["source_kind"].map(_text)
    originals = sources["original"].map(_text)
    for row, kind, original in zip(source_rows, kinds, originals, strict=True):
        if kind == "wire" and original not in WIRE_AGENCIES:
            problems.append(
                Problem(
                    sources_file,
                    row,
                    "original",
                    original,
                    f"must name the agency of a wire source (expected one of: "
                    f"{', '.join(WIRE_AGENCIES)})",
                )
            )
        elif kind in SOURCE_KINDS and kind not in ("wire", "mirror") and original in WIRE_AGENCIES:
            problems.append(
                Problem(
                    sources_file,
                    row,
                    "source_kind",
                    kind,
                    f"carries {original}'s report (expected wire, or mirror for a copy)",
                )
            )
    if "us_confirmed" not in events.columns:
        return problems
    ids = events["event_id"].map(_text)
    us = dict(zip(ids, events["us_confirmed"], strict=True))
    us_false = {e for e, v in us.items() if _text(v).lower() in ("false", "0", "no")}
    for row, event_id, kind, original, quoted in zip(
        source_rows,
        sources["event_id"].map(_text),
        kinds,
        originals,
        sources["official_quoted"].map(_text),
        strict=True,
    ):
        if event_id in us_false and effective_kind(kind, original) == "us_official":
            problems.append(
                Problem(
                    sources_file,
                    row,
                    "source_kind",
                    kind,
                    f"is a US official source on {event_id}, whose us_confirmed is false "
                    "(expected us_confirmed true or empty)",
                )
            )
        if quoted == "us" and event_id in us_false:
            problems.append(
                Problem(
                    sources_file,
                    row,
                    "official_quoted",
                    quoted,
                    f"says a US official confirmed {event_id}, whose us_confirmed is false "
                    "(set us_confirmed true, or leave official_quoted empty for a denial)",
                )
            )
    carries_us = {
        event_id
        for event_id, kind, original, quoted in zip(
            sources["event_id"].map(_text),
            kinds,
            originals,
            sources["official_quoted"].map(_text),
            strict=True,
        )
        if effective_kind(kind, original) == "us_official" or quoted == "us"
    }
    for row, event_id, value in zip(rows, ids, events["us_confirmed"], strict=True):
        if _flag(value) and event_id not in carries_us:
            problems.append(
                Problem(
                    file,
                    row,
                    "us_confirmed",
                    value,
                    f"is true but no source of {event_id} is a US official or quotes one "
                    "(expected a source with source_kind us_official or official_quoted us)",
                )
            )
    if "evidence" in events.columns:
        derived = event_evidence(events, sources).astype(str)
        for row, event_id, given, expected in zip(
            rows, ids, events["evidence"].map(_text), derived, strict=True
        ):
            if given and given != expected:
                problems.append(
                    Problem(
                        file,
                        row,
                        "evidence",
                        given,
                        f"does not follow from the sources of {event_id} (expected {expected})",
                    )
                )
    return problems
