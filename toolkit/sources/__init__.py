"""Loaders of public conflict-event datasets into the toolkit's canonical event schema.

``read_acled``, ``read_gdelt`` and ``read_ucdp_ged`` read the files researchers download from
ACLED, GDELT and UCDP and return the columns and dtypes of :func:`toolkit.load_events`, with
the source's own columns kept under a prefix; ``select_attacks_on_us`` picks the rows about
attacks on US and coalition facilities and personnel; ``event_sources`` derives the sources
table the validator needs; ``compare_sources`` counts two tables side by side; ``problems``
returns what a reader flagged as a table.
"""

from __future__ import annotations

from ._io import ParseWarning, problems
from .acled import read_acled
from .gdelt import read_gdelt
from .select import select_attacks_on_us
from .tools import compare_sources, event_sources
from .ucdp import read_ucdp_ged

__all__ = [
    "ParseWarning",
    "compare_sources",
    "event_sources",
    "problems",
    "read_acled",
    "read_gdelt",
    "read_ucdp_ged",
    "select_attacks_on_us",
]
