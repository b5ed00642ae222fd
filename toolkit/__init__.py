"""Toolkit for studying militia attacks on US facilities in Iraq and the escalation around them.

``import toolkit`` is cheap: the public names below are resolved on first use, so pandas,
geopandas and the gazetteer load only when a function that needs them is called.

Data: ``load_events``, ``load_event_sources``, ``load_key_events``, ``load_official_counts``,
``load_groups``, ``validate_events``, ``validate_table`` (any table against its ``Column``
list), ``event_evidence`` (evidence level per event), ``DATA_VERSION``.
Places: ``load_places``, ``load_boundaries``, ``normalize_name``, ``geocode``,
``reverse_geocode``, ``find_places``, ``add_places``, ``reset_places``.
Phases and rates: ``load_phases``, ``assign_phase``, ``close_phases`` (fill an open end),
``phase_summary``, ``weekly_counts``, ``rate_ratio``, ``rate_ratios``, ``compare_to_official``.
US footprint: ``load_us_footprint``, ``us_footprint`` (the sites hosting US forces on a date).
Figures: ``plot_timeline``, ``plot_counts``, ``plot_map``, ``plot_phase_maps``,
``plot_choropleth``, ``plot_mix``, ``plot_phase_rates``, ``plot_footprint``
(each ``(events, *, ax=None, ...) -> Axes``), ``plot_info`` (what a figure drew and its
alternative text), ``show`` (display with alt text), ``save_figure``, ``save_table``,
``credit``, ``credit_line``; palettes ``PALETTES`` (one per variable) and ``GROUP_COLORS``.
Other sources: ``read_acled``, ``read_gdelt``, ``read_ucdp_ged`` (canonical event schema),
``select_attacks_on_us``, ``event_sources``, ``compare_sources``, ``problems`` (what a reader
flagged, as a table), ``ParseWarning``; with ``engine="dask"`` the readers return lazy Dask
frames that these functions accept (``toolkit.scale``: GeoParquet, the ``scale`` extra).
Reports to rows: ``extract_events`` (candidate events from a news report), ``match_events``
(pairs close in date and place), ``assign_sites``.
Interactive map: ``explore_events`` (folium; ``pip install ".[maps]"``).
Version: ``__version__`` (of the code, from the package metadata) and ``DATA_VERSION`` (of the
tables in data/, see data/CHANGELOG.md).
Errors: ``ToolkitError``, ``DataValidationError``, ``FormatError``, ``Problem``.
"""

from __future__ import annotations

import importlib

from .errors import DataValidationError, FormatError, Problem, ToolkitError

#: Distribution name on PyPI and in the package metadata (``__version__`` is read from it).
_DISTRIBUTION = "iraq-escalation-toolkit"

# public name -> module that defines it (imported lazily, on first attribute access)
_LAZY = {
    "GeocodeWarning": "geocode",
    "DATA_VERSION": "datasets",
    "load_events": "datasets",
    "load_event_sources": "datasets",
    "load_key_events": "datasets",
    "load_official_counts": "datasets",
    "load_groups": "datasets",
    "load_us_footprint": "datasets",
    "us_footprint": "footprint",
    "event_evidence": "evidence",
    "validate_events": "schema",
    "validate_table": "schema",
    "load_places": "places",
    "load_boundaries": "boundaries",
    "normalize_name": "_normalize",
    "geocode": "geocode",
    "reverse_geocode": "geocode",
    "find_places": "geocode",
    "add_places": "places",
    "reset_places": "places",
    "load_phases": "phases",
    "assign_phase": "phases",
    "close_phases": "phases",
    "phase_summary": "phases",
    "weekly_counts": "phases",
    "rate_ratio": "phases",
    "rate_ratios": "phases",
    "compare_to_official": "phases",
    "plot_timeline": "plotting",
    "plot_counts": "plotting",
    "plot_map": "plotting",
    "plot_phase_maps": "plotting",
    "plot_choropleth": "plotting",
    "plot_mix": "plotting",
    "plot_phase_rates": "plotting",
    "save_figure": "plotting",
    "save_table": "plotting",
    "credit": "plotting",
    "credit_line": "plotting",
    "plot_info": "plotting",
    "plot_footprint": "plotting",
    "show": "plotting",
    "PlotInfo": "plotting",
    "PALETTES": "plotting",
    "WEAPON_COLORS": "plotting",
    "COUNTRY_COLORS": "plotting",
    "TARGET_COLORS": "plotting",
    "EVIDENCE_COLORS": "plotting",
    "GROUP_COLORS": "plotting",
    "read_acled": "sources",
    "read_gdelt": "sources",
    "read_ucdp_ged": "sources",
    "select_attacks_on_us": "sources",
    "compare_sources": "sources",
    "event_sources": "sources",
    "explore_events": "explore",
    "ParseWarning": "sources",
    "problems": "sources",
    "extract_events": "extract",
    "match_events": "extract",
    "assign_sites": "extract",
}

__all__ = [
    "DataValidationError",
    "FormatError",
    "Problem",
    "ToolkitError",
    "__version__",
    *sorted(_LAZY),
]


def _version() -> str:
    """The installed version from the package metadata (pyproject.toml), read on first use."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(_DISTRIBUTION)
    except PackageNotFoundError:  # a bare checkout on PYTHONPATH, never installed
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
