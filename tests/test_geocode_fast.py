"""The fast paths of geocode give exactly what the straightforward per-name path gives.

``geocode`` normalises the distinct names of a call together (``analyse_many``), keeps the
outcome of each (key, hint, hints) for the session and loads the outcomes of every gazetteer
key from a disk cache. These tests compare it, on a realistic mix (the labelled report names,
gazetteer names in both scripts, respellings and misspellings of them, names with a
governorate after a comma, missing values), with a reference that analyses each name on its
own with ``analyse_name`` and works out every outcome from scratch, one name per call.
"""

from __future__ import annotations

import importlib
import random
import warnings

import pandas as pd
import pytest

import toolkit
from conftest import REPO
from toolkit import _normalize
from toolkit._normalize import analyse_many, analyse_name

geocode_module = importlib.import_module("toolkit.geocode")  # the module, not the function
FIXTURE = REPO / "tests" / "fixtures" / "geocode_labelled.csv"


def _respell(name: str, rng: random.Random) -> str:
    ops = [
        str.lower,
        str.upper,
        lambda s: s.replace("-", " "),
        lambda s: s.replace(" ", "-"),
        lambda s: s.replace("al-", "el-").replace("Al ", "Al-"),
        lambda s: s.replace("ou", "u").replace("u", "ou", 1),
        lambda s: s.replace("a", "aa", 1),
        lambda s: s + " Governorate",
        lambda s: s + " air base",
        lambda s: "Hay " + s,
    ]
    return rng.choice(ops)(name)


def _misspell(name: str, rng: random.Random) -> str:
    chars = list(name)
    i = rng.randrange(1, len(chars)) if len(chars) > 1 else 0
    op = rng.choice(["delete", "insert", "substitute", "transpose"])
    if op == "delete":
        del chars[i]
    elif op == "insert":
        chars.insert(i, rng.choice("aeioulrnst"))
    elif op == "substitute":
        chars[i] = rng.choice("aeioubdklmnrst")
    elif i + 1 < len(chars):
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


@pytest.fixture(scope="module")
def mix() -> list:
    rng = random.Random(14)
    labelled = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)["query"].tolist()
    places = toolkit.load_places()
    sample = places.iloc[sorted(rng.sample(range(len(places)), 150))]
    names = sample["name"].tolist()
    alternates = [a for alt in sample["alternate_names"] for a in alt.split("|") if a]
    latin = [n for n in names + alternates if not _normalize._is_arabic(n)]
    names += alternates
    names += [_respell(n, rng) for n in rng.sample(latin, 80)]
    names += [_misspell(n, rng) for n in rng.sample([n for n in latin if len(n) >= 7], 80)]
    names += [
        "Yarmouk, Baghdad",
        "Balad, Salah al-Din, Iraq",
        "  Erbil ",
        "Ain al-Asad airbse",
        "Albu Kamal",
        "Madinat al-Sadr",
        "Sanaa",
        "Hodeidah",
        "Nasriyah",
        "T-4",
        "K1",
        "",
        None,
        float("nan"),
        pd.NA,
    ]
    mixed = labelled + names
    rng.shuffle(mixed)
    return mixed


def test_analyse_many_is_analyse_name(mix):
    rng = random.Random(4)
    texts = [v for v in mix if isinstance(v, str)]
    alphabet = "aeiouxyhwqcdtK1é-_'. \nّال"
    texts += ["".join(rng.choice(alphabet) for _ in range(9)) for _ in range(2000)]
    texts += ["\u200bBaghdad\u200f", "Ḩadīthah", "İzmir", "Straße", "Hewlêr", "ay", "y", "h", "aw"]
    texts = list(dict.fromkeys(texts))
    assert analyse_many(texts) == [analyse_name(t) for t in texts]
    assert analyse_many([]) == []


def _reference(values: list, **hints) -> pd.DataFrame:
    """One name per call, analysed alone with analyse_name, every outcome from scratch."""
    g = geocode_module._gazetteer()
    saved = dict(g.rows), dict(g.default_rows), dict(g.resolved)
    original = geocode_module.analyse_many
    geocode_module.analyse_many = lambda names: [analyse_name(n) for n in names]
    frames = []
    try:
        for i, value in enumerate(values):
            g.rows.clear()
            g.default_rows.clear()
            g.resolved.clear()
            one = {k: v[i] if isinstance(v, list) else v for k, v in hints.items()}
            frames.append(toolkit.geocode([value], **one))
    finally:
        geocode_module.analyse_many = original
        g.rows.update(saved[0])
        g.default_rows.update(saved[1])
        g.resolved.update(saved[2])
    out = pd.concat(frames, ignore_index=True)
    out.attrs = {}
    return out


@pytest.mark.parametrize("hints", [{}, {"country": "Iraq"}, {"admin1": "Baghdad"}, "per-row"])
def test_geocode_matches_the_per_name_reference(mix, hints):
    values = mix if hints == {} else mix[::3]
    if hints == "per-row":
        rng = random.Random(5)
        hints = {"country": [rng.choice([None, "Iraq", "Syria", "Jordan"]) for _ in values]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", toolkit.GeocodeWarning)
        fast = toolkit.geocode(values, **hints)
        again = toolkit.geocode(values, **hints)  # from the session's outcomes this time
        reference = _reference(values, **hints)
    counts = fast.attrs.pop("status_counts")
    assert counts == again.attrs.pop("status_counts")
    assert counts == reference["status"].value_counts().reindex(geocode_module.STATUSES).to_dict()
    # a realistic mix, not misses only (a governorate hint rightly excludes most names)
    assert counts["exact"] + counts["alias"] > (len(values) // 3 if not hints else 30)
    pd.testing.assert_frame_equal(fast, again, check_exact=True)
    # the query column is the input as given (missing values missing); concatenating the
    # one-row frames of the reference re-infers its dtype, so it is compared on its own
    given = [isinstance(v, str) for v in values]
    assert fast["query"].notna().tolist() == given
    assert fast["query"][given].tolist() == [v for v in values if isinstance(v, str)]
    pd.testing.assert_frame_equal(
        fast.drop(columns="query"), reference.drop(columns="query"), check_exact=True
    )
    assert fast.crs == reference.crs == "EPSG:4326"
