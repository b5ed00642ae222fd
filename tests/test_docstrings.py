"""Every public function has a numpydoc docstring with Parameters, Returns and Examples.

The public functions are the functions among ``toolkit.__all__`` and ``toolkit.scale.__all__``.
Their Examples run as doctests in ``make test`` (``pytest toolkit --doctest-modules``); this
file checks the sections themselves: present, not empty, and the documented parameters are
exactly the signature's.
"""

from __future__ import annotations

import importlib
import inspect
import re
import tomllib

import pytest
from numpydoc.docscrape import FunctionDoc
from numpydoc.validate import validate

import toolkit
import toolkit.scale
from conftest import REPO


def _public_functions() -> dict[str, object]:
    """Public name -> function (``scale.<name>`` for the names of ``toolkit.scale``)."""
    found = {}
    for name in toolkit.__all__:
        module = toolkit._LAZY.get(name)
        # from the defining module: the package attribute ``toolkit.geocode`` can be the module
        obj = getattr(importlib.import_module(f"toolkit.{module}"), name) if module else None
        if inspect.isfunction(obj):
            found[name] = obj
    for name in toolkit.scale.__all__:
        obj = getattr(toolkit.scale, name)
        if inspect.isfunction(obj):
            found[f"scale.{name}"] = obj
    return found


FUNCTIONS = _public_functions()
PARAMS = sorted(FUNCTIONS)


def _signature_names(function) -> list[str]:
    """Parameter names as numpydoc writes them: ``*args``, ``**kwargs``, no ``self``."""
    names = []
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name in ("self", "cls"):
            continue
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            names.append(f"*{parameter.name}")
        elif parameter.kind is inspect.Parameter.VAR_KEYWORD:
            names.append(f"**{parameter.name}")
        else:
            names.append(parameter.name)
    return names


def _documented_names(doc: FunctionDoc) -> list[str]:
    """Names in the Parameters section; ``start, end : date-like`` documents two."""
    names = []
    for parameter in doc["Parameters"]:
        names += [n.strip() for n in parameter.name.split(",") if n.strip()]
    return names


def _bare(name: str) -> str:
    return name.lstrip("*")


def test_the_public_functions_are_found():
    assert {"load_events", "geocode", "read_gdelt", "scale.to_parquet"} <= set(FUNCTIONS)
    assert {"plot_map", "plot_footprint", "plot_info", "show", "save_figure"} <= set(FUNCTIONS)
    assert len(FUNCTIONS) >= 40


@pytest.mark.parametrize("name", PARAMS)
def test_docstring_has_the_numpydoc_sections(name):
    function = FUNCTIONS[name]
    doc = FunctionDoc(function)
    assert "".join(doc["Summary"]).strip(), f"{name}: no one-line summary"
    if _signature_names(function):
        assert doc["Parameters"], f"{name}: no Parameters section"
        for parameter in doc["Parameters"]:
            if not parameter.name.startswith("*"):  # numpydoc: *args, **kwargs need no type
                assert parameter.type.strip(), f"{name}: parameter {parameter.name} has no type"
            assert "".join(parameter.desc).strip(), f"{name}: {parameter.name} is not described"
    assert doc["Returns"] or doc["Yields"], f"{name}: no Returns (or Yields) section"
    for returned in [*doc["Returns"], *doc["Yields"]]:
        assert returned.type.strip() or returned.name.strip(), f"{name}: a return has no type"
    examples = "\n".join(doc["Examples"])
    assert ">>> " in examples, f"{name}: no runnable Examples (no >>> prompt)"


@pytest.mark.parametrize("name", PARAMS)
def test_documented_parameters_are_the_signature(name):
    function = FUNCTIONS[name]
    documented = _documented_names(FunctionDoc(function))
    expected = _signature_names(function)
    assert [_bare(n) for n in documented] == [_bare(n) for n in expected], (
        f"{name}: documents {documented}, signature has {expected}"
    )
    qualified = f"{function.__module__}.{function.__qualname__}"
    codes = {code for code, _ in validate(qualified)["errors"]}
    assert not codes & {"PR01", "PR02"}, f"{name}: numpydoc reports {sorted(codes)}"


def test_make_test_runs_the_doctests():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    command = re.search(r"^test:.*\n\t(.*)$", makefile, re.M).group(1)
    assert "--doctest-modules" in command.split()
    assert "toolkit" in command.split()
    options = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    flags = options["tool"]["pytest"]["ini_options"]["doctest_optionflags"].split()
    assert {"NORMALIZE_WHITESPACE", "ELLIPSIS"} <= set(flags)
