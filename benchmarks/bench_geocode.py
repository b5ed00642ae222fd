"""Throughput of toolkit.geocode on 100,000 names, against a naive rapidfuzz baseline.

Run from the repository root::

    .venv/bin/python benchmarks/bench_geocode.py            # 100,000 names
    .venv/bin/python benchmarks/bench_geocode.py --n 20000 --baseline-sample 200

The names are drawn from ``--pool`` places taken at random from the gazetteer (default 1,000:
a table of reports names a few thousand distinct places, and the old 738-place gazetteer gave
pools of this size), so the place each one should resolve to is known. Most of the
gazetteer's 32,000 places are villages with homonyms elsewhere, so a share of the exact names
is rightly ``ambiguous``: "right place" is not an accuracy figure (that is the labelled set's
job, tests/test_geocode_labelled.py). Kinds:

* exact: canonical and alternate names as written in data/places.csv;
* variant: the same names respelt as reports do (case, article al-/el-/ad-/none, hyphens,
  diacritics, ou/u, double letters, Ain/Ayn/Ein, "Air Base"/"airbase"/"Governorate" added);
* misspelt: one or two random edits (deletion, insertion, substitution, transposition) of
  names of 7 letters or more.

The mix is 50% exact, 30% variant and 20% misspelt, drawn with replacement from pools of
distinct strings (sizes printed), as a table of reports repeats its place names. Each kind is
timed on its own with cold normalisation caches and no outcomes kept from earlier calls (the
gazetteer index, built once per session with the outcomes of its own names, is timed
separately), then the whole mix in one call. The baseline is what one would write
without the toolkit: ``rapidfuzz.process.extractOne(name, all_names, scorer=WRatio)`` for every
name; it is timed on a sample and extrapolated to the full count (stated in the output).
Prints names per second; never asserts a time.
"""

from __future__ import annotations

import argparse
import random
import time
import unicodedata
import warnings

import numpy as np

import toolkit
from toolkit import _normalize
from toolkit.geocode import GeocodeWarning, _gazetteer, _outcome_cache_path


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _variant(name: str, feature_type: str, rng: random.Random) -> str:
    words = name.replace("-", " ").split()
    if words and words[0].lower() in {"al", "el", "ad", "ar", "as", "at", "an", "az", "ash"}:
        article = rng.choice(["al-", "el-", "Al ", "", "Al-"])
        words = words[1:]
        name = article + " ".join(words)
    else:
        name = " ".join(words)
    ops = [
        lambda s: s.lower(),
        lambda s: s.upper(),
        lambda s: _strip_accents(s),
        lambda s: s.replace(" ", "-"),
        lambda s: s.replace("ou", "u").replace("u", "ou", 1),
        lambda s: s.replace("ss", "s").replace("dd", "d").replace("yy", "y"),
        lambda s: s.replace("a", "aa", 1) if "a" in s else s + "h",
        lambda s: s.replace("Ain ", rng.choice(["Ayn ", "Ein ", "Aïn "])),
    ]
    for op in rng.sample(ops, k=2):
        name = op(name)
    if feature_type == "military_base":
        name += rng.choice([" Air Base", " airbase", " base", ""])
    elif feature_type == "governorate" and "Governorate" not in name:
        name += rng.choice([" Governorate", " province", ""])
    return name


def _misspell(name: str, rng: random.Random) -> str:
    chars = list(name)
    for _ in range(rng.choice([1, 1, 2])):
        letters = [i for i, c in enumerate(chars) if c.isalpha()]
        if len(letters) < 2:
            break
        i = rng.choice(letters[1:])  # the first letter is rarely wrong
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


def build_pools(seed: int, pool: int) -> dict[str, list[tuple[str, str]]]:
    """(name, expected place_id) pools for the three kinds, from ``pool`` places drawn at
    random from the gazetteer (a table of reports names a few thousand places, not all)."""
    rng = random.Random(seed)
    places = toolkit.load_places()
    places = places.iloc[sorted(rng.sample(range(len(places)), min(pool, len(places))))]
    exact: list[tuple[str, str, str]] = []
    for pid, name, ftype, alternates in zip(
        places["place_id"],
        places["name"],
        places["feature_type"],
        places["alternate_names"],
        strict=True,
    ):
        for alias in [name, *filter(None, alternates.split("|"))]:
            exact.append((alias, pid, ftype))
    latin = [e for e in exact if not _normalize._is_arabic(e[0])]
    variant = list({(_variant(n, f, rng), p) for n, p, f in rng.choices(latin, k=6000)})
    long_names = [e for e in latin if sum(c.isalpha() for c in e[0]) >= 7]
    misspelt = list({(_misspell(n, rng), p) for n, p, _ in rng.choices(long_names, k=10000)})
    return {"exact": [(n, p) for n, p, _ in exact], "variant": variant, "misspelt": misspelt}


def _clear_caches() -> None:
    _normalize.analyse_name.cache_clear()
    _normalize._fold_latin.cache_clear()
    _normalize.skeleton.cache_clear()
    _gazetteer().rows.clear()  # outcomes of names met earlier this session


def _time_geocode(names: list[str]):
    _clear_caches()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeocodeWarning)
        out = toolkit.geocode(names)
    return time.perf_counter() - start, out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="names in the mix")
    parser.add_argument(
        "--baseline-sample", type=int, default=100, help="names timed for the baseline"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--pool", type=int, default=1000, help="places the names are drawn from (default 1000)"
    )
    args = parser.parse_args(argv)

    import os
    import resource

    from toolkit import _normalize as normalize_module
    from toolkit.places import _places_table

    start = time.perf_counter()
    _places_table()
    table_seconds = time.perf_counter() - start
    start = time.perf_counter()
    gazetteer = _gazetteer()
    build = time.perf_counter() - start
    cache = normalize_module._cache_dir() / f"names-{normalize_module._rules_version()}.pickle"
    outcomes = _outcome_cache_path()
    pools = build_pools(args.seed, args.pool)
    rng = random.Random(args.seed + 1)
    shares = {"exact": 0.5, "variant": 0.3, "misspelt": 0.2}
    mix: list[tuple[str, str, str]] = []
    for kind, share in shares.items():
        drawn = rng.choices(pools[kind], k=int(args.n * share))
        mix += [(name, pid, kind) for name, pid in drawn]
    rng.shuffle(mix)
    names = [m[0] for m in mix]
    expected = np.array([m[1] for m in mix], dtype=object)
    kinds = np.array([m[2] for m in mix], dtype=object)

    print(f"cores available: {os.cpu_count()}; names drawn from {args.pool} places")
    print(
        f"gazetteer: {len(gazetteer.ids)} places, {len(gazetteer.keys)} name keys; table loaded "
        f"in {table_seconds:.2f} s, index built in {build:.2f} s (name cache "
        f"{'present' if cache.exists() else 'absent'}: {cache}; outcomes of the gazetteer's "
        f"keys loaded from {outcomes} ({len(gazetteer.default_rows)}); once per session, not in "
        "the timings below)"
    )
    print(
        f"pools of distinct strings: exact {len(pools['exact'])}, variant "
        f"{len(pools['variant'])}, misspelt {len(pools['misspelt'])}"
    )
    print(
        f"mix: {len(names)} names = " + ", ".join(f"{int((kinds == k).sum())} {k}" for k in shares)
    )
    print()
    print(
        f"{'kind':<10}{'names':>9}{'distinct':>10}{'seconds':>10}{'names/s':>12}"
        f"{'right place':>13}{'resolved':>10}"
    )
    for kind in shares:
        subset = [n for n, k in zip(names, kinds, strict=True) if k == kind]
        seconds, out = _time_geocode(subset)
        right = (out["place_id"].to_numpy(dtype=object) == expected[kinds == kind]).mean()
        resolved = out["place_id"].notna().mean()
        print(
            f"{kind:<10}{len(subset):>9}{len(set(subset)):>10}{seconds:>10.3f}"
            f"{len(subset) / seconds:>12,.0f}{right:>13.1%}{resolved:>10.1%}"
        )
    seconds, out = _time_geocode(names)
    right = (out["place_id"].to_numpy(dtype=object) == expected).mean()
    print(
        f"{'all':<10}{len(names):>9}{len(set(names)):>10}{seconds:>10.3f}"
        f"{len(names) / seconds:>12,.0f}{right:>13.1%}{out['place_id'].notna().mean():>10.1%}"
    )
    print(f"status counts (all): {out.attrs['status_counts']}")

    from rapidfuzz import fuzz, process

    choices = [n for n, _ in pools["exact"]]
    owner = [p for _, p in pools["exact"]]
    sample = random.Random(args.seed + 2).sample(range(len(names)), args.baseline_sample)
    start = time.perf_counter()
    hits = 0
    for i in sample:
        best = process.extractOne(names[i], choices, scorer=fuzz.WRatio)
        hits += owner[best[2]] == expected[i]
    per_name = (time.perf_counter() - start) / len(sample)
    baseline_total = per_name * len(names)
    print()
    print(
        f"naive baseline: process.extractOne(name, {len(choices)} names, scorer=WRatio) per "
        f"name, timed on {len(sample)} names of the mix ({per_name * 1000:.2f} ms/name, "
        f"{hits / len(sample):.1%} right place), extrapolated to {len(names)} names: "
        f"{baseline_total:.1f} s = {len(names) / baseline_total:,.0f} names/s"
    )
    print(f"speed-up of toolkit.geocode on the whole mix: {baseline_total / seconds:,.0f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak resident memory of this process (gazetteer, index, 100k-row results): {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
