"""Speed of the map figures, against drawing the same basemap with GeoDataFrame.plot.

Run from the repository root::

    .venv/bin/python benchmarks/bench_figures.py             # best of 3
    .venv/bin/python benchmarks/bench_figures.py --repeat 1

Times, in one process on the shipped attacks (Agg backend, figure rendered to a PNG in memory at
notebook resolution, so layout and drawing are counted, not only the calls):

* ``[baseline]``: ten panels whose basemap is drawn layer by layer with ``GeoDataFrame.plot``
  (neighbouring countries, Iraq/Syria/Jordan, Iraq's governorates), the way the toolkit drew it
  before issue 17, with the same points on top;
* ``toolkit.plot_phase_maps`` (the basemap as three cached path collections per panel);
* ``toolkit.plot_map`` (with the Baghdad inset and site labels) and ``toolkit.plot_choropleth``.

The first call of the session builds the cached paths; it is timed separately (``first call``).
Prints seconds and the ratio of each to the baseline. It never asserts a time.
"""

from __future__ import annotations

import argparse
import io
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import toolkit


def rendered(fig) -> None:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)


def baseline_phase_maps(attacks) -> None:
    """Ten panels, the basemap drawn with GeoDataFrame.plot for each layer (the old way)."""
    countries = toolkit.load_boundaries("countries")
    admin1 = toolkit.load_boundaries("admin1")
    focus = countries[countries["name"].isin(["Iraq", "Syria", "Jordan"])]
    phased = toolkit.assign_phase(attacks)
    fig = plt.figure(figsize=(12.8, 9.9), layout="constrained")
    axes = fig.subplots(3, 4).ravel()
    for ax, phase in zip(axes, toolkit.load_phases()["phase_id"], strict=False):
        countries.plot(ax=ax, color="#F2F2F2", edgecolor="#9A9A9A", linewidth=0.6)
        focus.plot(ax=ax, color="#FFFFFF", edgecolor="#666666", linewidth=0.8)
        admin1[admin1["country"] == "Iraq"].plot(
            ax=ax, facecolor="none", edgecolor="#BBBBBB", linewidth=0.4
        )
        chosen = phased[(phased["phase"] == phase) & phased.geometry.notna()]
        ax.scatter(chosen.geometry.x, chosen.geometry.y, s=22)
        ax.set_xlim(35.4, 48.8)
        ax.set_ylim(29.0, 37.5)
    rendered(fig)


def best_of(repeat: int, function) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args()
    events = toolkit.load_events()
    attacks = events[events["event_type"] == "attack"]
    start = time.perf_counter()
    rendered(toolkit.plot_phase_maps(attacks)[0].figure)
    first = time.perf_counter() - start
    steps = {
        "[baseline] phase maps, GeoDataFrame.plot per layer": lambda: baseline_phase_maps(attacks),
        "toolkit.plot_phase_maps": lambda: rendered(toolkit.plot_phase_maps(attacks)[0].figure),
        "toolkit.plot_map (inset, labels)": lambda: rendered(toolkit.plot_map(attacks).figure),
        "toolkit.plot_choropleth (districts, per area)": lambda: rendered(
            toolkit.plot_choropleth(attacks).figure
        ),
    }
    seconds = {name: best_of(args.repeat, step) for name, step in steps.items()}
    reference = seconds[next(iter(steps))]
    print(f"{len(attacks)} attacks, best of {args.repeat}; rendered to PNG at 100 dpi")
    print(f"first call of plot_phase_maps in the session (builds the paths): {first:.2f} s")
    print(f"{'figure':<52} {'seconds':>8} {'x baseline':>11}")
    for name, value in seconds.items():
        print(f"{name:<52} {value:>8.2f} {value / reference:>10.2f}x")
    speedup = reference / seconds["toolkit.plot_phase_maps"]
    print(f"plot_phase_maps is {speedup:.1f}x faster than the baseline")


if __name__ == "__main__":
    main()
