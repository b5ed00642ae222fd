"""save_table makes text safe for where it goes: spreadsheets (CSV) and LaTeX (.tex)."""

from __future__ import annotations

import csv

import pandas as pd

import toolkit


def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "outlet": ['=HYPERLINK("http://evil.example","Reuters")', "+Rudaw", "@SOHR", "Shafaq"],
            "note": ["-2 rockets?", "-3", "50% of sites & $ costs", "K-1_base #2 {x} ~ ^ \\"],
            "attacks": [3, -1, 5, 2],
        },
        index=pd.Index(["=cmd", "b", "c", "d"], name="id"),
    )


def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(tmp_path):
    path = toolkit.save_table(table(), tmp_path / "t.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "outlet", "note", "attacks"]
    assert rows[1] == [
        "'=cmd",
        '\'=HYPERLINK("http://evil.example","Reuters")',
        "'-2 rockets?",
        "3",
    ]
    assert rows[2][1:] == ["'+Rudaw", "-3", "-1"]  # numbers, text or not, stay numbers
    assert rows[3][1] == "'@SOHR"
    assert rows[4][1] == "Shafaq"


def test_latex_specials_are_escaped(tmp_path):
    text = toolkit.save_table(table(), tmp_path / "t.tex").read_text(encoding="utf-8")
    assert r"50\% of sites \& \$ costs" in text
    assert r"K-1\_base \#2 \{x\} \textasciitilde" in text
    assert r"\textbackslash" in text
    assert "50% of" not in text
