"""Notebooks are committed executed (nbval compares stored outputs) and listed in the README."""

from __future__ import annotations

import json

import pytest

from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_with_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code" and "".join(c["source"])]
    unexecuted = [i for i, c in enumerate(code) if c.get("execution_count") is None]
    assert not unexecuted, f"{path.name}: code cells {unexecuted} were never executed"
    assert all(c.get("outputs") for c in code[1:]), f"{path.name}: a code cell has no output"
    counts = [c["execution_count"] for c in code]
    assert counts == sorted(counts), f"{path.name}: cells were run out of order"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_listed_in_the_readme(path):
    assert f"`{path.name}`" in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_uses_the_project_kernel(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "iraq-escalation"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_keeps_its_parameters_in_one_tagged_cell_near_the_top(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    tagged = [i for i, c in enumerate(code) if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one code cell tagged 'parameters'"
    assert tagged[0] <= 1, f"{path.name}: the parameters cell should be among the first two"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_carries_alternative_text(path):
    """Figures go through toolkit.show, which puts a description in the image's metadata."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            if "image/png" not in output.get("data", {}):
                continue
            alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
            assert len(alt) > 60, f"{path.name}, cell {number}: a figure without alt text"
            assert "events" in alt.lower() or "attacks" in alt.lower(), alt


def test_report_html_carries_the_alternative_text(tmp_path):
    """make report's nbconvert flags write each figure's alt text into the HTML."""
    import re
    import subprocess
    import sys

    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "--template classic" in makefile.split("report: setup")[1].split("\n\n")[0]
    notebook = REPO / "notebooks" / "06_drawdown_and_2026_wave.ipynb"
    command = [sys.executable, "-m", "nbconvert", "--to", "html", "--template", "classic"]
    subprocess.run(
        [*command, "--output-dir", str(tmp_path), str(notebook)],
        check=True,
        capture_output=True,
    )
    page = (tmp_path / "06_drawdown_and_2026_wave.html").read_text(encoding="utf-8")
    alts = re.findall(r'<img alt="([^"]*)"', page)
    assert len(alts) == 3
    assert all(alt.startswith(("Bar chart", "Stacked", "Map of")) for alt in alts)
