"""The benchmark scripts keep running (their figures are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_geocode_benchmark_runs_on_a_small_mix():
    out = subprocess.run(
        [sys.executable, "benchmarks/bench_geocode.py", "--n", "2000", "--baseline-sample", "20"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "names/s" in out.stdout
    assert "speed-up of toolkit.geocode" in out.stdout


def test_loaders_benchmark_runs_on_a_small_file():
    out = subprocess.run(
        [sys.executable, "benchmarks/bench_loaders.py", "--rows", "3000", "--repeat", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "wrote 3,000 rows" in out.stdout
    assert "rows read: 3,000" in out.stdout
    for reader in ("[baseline]", "to_canonical=False", "to_canonical=True", "notes keywords"):
        line = next(x for x in out.stdout.splitlines() if reader in x)
        assert line.rstrip().endswith("x"), line  # seconds, rows/s and the ratio printed


def test_validate_benchmark_runs_on_a_small_file():
    out = subprocess.run(
        [sys.executable, "benchmarks/bench_validate.py", "--rows", "2000", "--repeat", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "wrote 2,000 rows" in out.stdout
    assert "rows read: 2,000" in out.stdout
    for step in ("[reference]", "validate_events", "select_attacks_on_us"):
        line = next(x for x in out.stdout.splitlines() if step in x)
        assert line.rstrip().endswith("x"), line  # seconds and the ratio printed


def test_scale_benchmark_runs_on_a_few_files():
    out = subprocess.run(
        [sys.executable, "benchmarks/bench_scale.py", "--files", "3", "--rows", "3000"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "wrote 3,000 rows in 3 zipped GDELT 2.0 files" in out.stdout
    assert "[dask] peak worker memory" in out.stdout
    assert "dask and pandas select the same" in out.stdout
    assert out.stdout.rstrip().endswith("x")  # the ratio of the two engines' rows/s
    assert ": True" in next(x for x in out.stdout.splitlines() if x.startswith("[check]"))


def test_figures_benchmark_runs_once():
    out = subprocess.run(
        [sys.executable, "benchmarks/bench_figures.py", "--repeat", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    for step in ("[baseline]", "toolkit.plot_phase_maps", "toolkit.plot_choropleth"):
        line = next(x for x in out.stdout.splitlines() if x.startswith(step))
        assert line.rstrip().endswith("x"), line  # seconds and the ratio printed
    assert "faster than the baseline" in out.stdout
