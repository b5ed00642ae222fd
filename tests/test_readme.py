"""The README's Python examples run as written, in order, in one session.

The examples that read your own exports (``acled_export.csv``, ``gdelt/2020*.export.CSV``,
``GEDEvent_v24_1.csv``, ``gdelt/2019*.export.CSV.zip``) find the hand-written samples of
``tests/fixtures/sources`` under those names in a temporary working folder, where the examples'
outputs (``build/``, ``attacks.parquet``, ``events_map.html``) are written too. A block preceded
by ``<!-- readme-test: skip (why) -->`` is not run; only the cluster set-up is, and the test
checks that no other block is skipped.
"""

from __future__ import annotations

import ast
import re
import shutil

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "sources"
BLOCK = re.compile(
    r"(<!-- readme-test: skip \((?P<why>[^)]*)\) -->\n)?```python\n(?P<code>.*?)```", re.S
)


def _blocks():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [(m["code"], m["why"]) for m in BLOCK.finditer(text)]


def _run(code: str, namespace: dict, name: str):
    """Execute a block; return the value of its last line when that line is an expression."""
    tree = ast.parse(code, filename=name)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, name, "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), name, "eval"), namespace)
    return None


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "gdelt").mkdir()
    shutil.copy(FIXTURES / "acled_current.csv", tmp_path / "acled_export.csv")
    shutil.copy(FIXTURES / "gdelt2_sample.export.CSV", tmp_path / "gdelt/20200105.export.CSV")
    shutil.copy(
        FIXTURES / "gdelt2_sample.export.CSV.zip", tmp_path / "gdelt/20191201.export.CSV.zip"
    )
    shutil.copy(FIXTURES / "ucdp_ged_sample.csv", tmp_path / "GEDEvent_v24_1.csv")
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    plt.close("all")
    import toolkit

    toolkit.reset_places()


def test_only_the_cluster_setup_is_not_run():
    skipped = [code for code, why in _blocks() if why]
    assert len(skipped) == 1
    assert "LocalCluster" in skipped[0]
    assert len(_blocks()) >= 12


def test_readme_examples_run_as_written(workdir):
    namespace: dict = {"__name__": "readme"}
    results = []
    for number, (code, why) in enumerate(_blocks()):
        if why:
            continue
        try:
            results.append(_run(code, namespace, f"README.md block {number}"))
        except Exception as error:  # name the block that failed
            raise AssertionError(f"README.md block {number} failed: {error!r}\n{code}") from error
    # what the comments promise
    assert results[0] == []  # "check your own additions": [] for a valid (empty) table
    assert (workdir / "build" / "campaign_map.pdf").exists()
    assert (workdir / "build" / "phases.md").exists()
    assert (workdir / "events_map.html").exists()
    assert (workdir / "attacks.parquet").exists()
    rows = namespace["rows"]
    assert rows.loc[0, "site_id"] == "erbil_air_base"
    assert str(rows.loc[0, "date"].date()) == "2024-01-05"
    info = namespace["toolkit"].plot_info(namespace["ax"])
    assert repr(info).startswith("<plot_map: 183 events drawn, 2 not shown>")
