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
