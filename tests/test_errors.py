"""Every error the toolkit raises on purpose is a ToolkitError (callers catch them at once)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import toolkit
from conftest import REPO

BUILTIN = re.compile(r"\braise (ValueError|TypeError|KeyError|RuntimeError|IndexError|Exception)\(")


def test_no_module_raises_a_bare_builtin_error():
    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sorted((REPO / "toolkit").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if BUILTIN.search(line)
    ]
    assert offenders == []


def test_former_value_errors_are_toolkit_errors_and_still_value_errors():
    with pytest.raises(toolkit.ToolkitError, match="needs an 'event_type' column"):
        toolkit.select_attacks_on_us(pd.DataFrame({"summary": ["US forces"]}))
    from toolkit._stats import poisson_ci

    with pytest.raises(toolkit.FormatError, match="k=-1 is not accepted"):
        poisson_ci(-1)
    with pytest.raises(ValueError, match="k=-1"):  # FormatError is still a ValueError
        poisson_ci(-1)
