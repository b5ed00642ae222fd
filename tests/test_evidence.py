"""Graded sources and the evidence level they give each event: the rule on small hand-made tables
(real outlets and attacks), and the shipped data."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

import toolkit
from conftest import REPO
from toolkit import schema
from toolkit.evidence import event_evidence, evidence_problems

DATA = REPO / "data"
PLACEHOLDER = re.compile(
    r"no headline|headline per|headline truncated|URL slug|^\s*\[|^\s*\(.*\)\s*$", re.IGNORECASE
)


def source(event_id, kind, *, original="", relays=False, quoted=""):
    return {
        "event_id": event_id,
        "source_kind": kind,
        "original": original,
        "relays_claim": relays,
        "official_quoted": quoted,
    }


def levels(events: dict[str, object], sources: list[dict]) -> dict[str, str]:
    frame = pd.DataFrame({"event_id": list(events), "us_confirmed": list(events.values())})
    got = event_evidence(frame, pd.DataFrame(sources))
    return dict(zip(frame["event_id"], got.astype(str), strict=True))


# --- the rule ------------------------------------------------------------------------------------


def test_a_claim_alone_stays_claimed_whoever_relays_it():
    # the IRI's claim on Conoco of 30 Oct 2023: its own statement, Al Mayadeen, Shafaq relaying it
    got = levels(
        {"A2023-0027": False},
        [
            source("A2023-0027", "party_media", relays=True),
            source("A2023-0027", "party_media"),
            source("A2023-0027", "independent_media", relays=True),
        ],
    )
    assert got == {"A2023-0027": "claimed"}


def test_an_independent_report_of_the_attack_makes_it_reported():
    got = levels(
        {"A2023-0021": None, "A2023-0023": False},
        [
            source("A2023-0021", "independent_media"),  # Enab Baladi: drones, heavy fire
            source("A2023-0023", "party_media"),  # Islam Times only
            source("A2023-0023", "monitor", relays=True),  # a monitor repeating the claim
        ],
    )
    assert got == {"A2023-0021": "reported", "A2023-0023": "claimed"}


def test_a_mirror_counts_as_its_original_and_an_unknown_copy_as_nothing():
    got = levels(
        {"A2020-0026": False, "A2021-0048": None, "A2023-0091": None},
        [
            source("A2020-0026", "mirror", original="AP"),
            source("A2021-0048", "mirror"),  # unidentified outlet on a bare IP address
            source("A2023-0091", "mirror", original="Al Mayadeen"),
        ],
    )
    assert got == {"A2020-0026": "reported", "A2021-0048": "claimed", "A2023-0091": "claimed"}


def test_an_iraqi_or_kurdish_official_confirms_it():
    got = levels(
        {"A2020-0073": None, "A2023-0046": None},
        [
            source("A2020-0073", "iraqi_official"),  # INA relaying the Security Media Cell
            source("A2023-0046", "independent_media", quoted="kurdish"),  # CTS via Kurdistan24
        ],
    )
    assert got == {"A2020-0073": "confirmed_official", "A2023-0046": "confirmed_official"}


def test_a_us_official_source_or_a_quoted_us_confirmation_confirms_it():
    got = levels(
        {"A2024-0043": True, "A2023-0060": True, "A2020-0035": False},
        [
            source("A2024-0043", "us_official"),  # the defense.gov transcript
            source("A2023-0060", "independent_media", quoted="us"),  # official to Stripes
            # quoted, but us_confirmed false: the US denied it; the quote confirms nothing
            source("A2020-0035", "wire", original="AP", quoted="us"),
        ],
    )
    assert got == {
        "A2024-0043": "confirmed_us",
        "A2023-0060": "confirmed_us",
        "A2020-0035": "reported",
    }


def test_the_best_source_decides_and_an_uncited_event_is_claimed():
    got = levels(
        {"A2024-0050": None, "A2099-0001": None},
        [
            source("A2024-0050", "party_media"),
            source("A2024-0050", "wire", original="AFP"),
            source("A2024-0050", "monitor"),
        ],
    )
    assert got == {"A2024-0050": "reported", "A2099-0001": "claimed"}


def test_the_levels_are_ordered():
    got = event_evidence(
        pd.DataFrame({"event_id": ["a", "b"], "us_confirmed": [None, True]}),
        pd.DataFrame([source("a", "wire", original="Reuters"), source("b", "us_official")]),
    )
    assert got.cat.ordered
    assert list(got.cat.categories) == list(schema.EVIDENCE_LEVELS)
    assert got.cat.codes.tolist() == [1, 3]
    assert (got >= "reported").all()
    assert (got > "confirmed_official").tolist() == [False, True]


def test_cross_checks_name_the_row_and_what_is_accepted():
    events = pd.DataFrame(
        {"event_id": ["A2020-0035"], "us_confirmed": ["false"], "evidence": ["claimed"]}
    )
    sources = pd.DataFrame(
        [
            source("A2020-0035", "wire", original="Xinhua"),
            source("A2020-0035", "independent_media", original="AP"),
            source("A2020-0035", "us_official"),
            source("A2020-0035", "independent_media", quoted="us"),
        ]
    )
    problems = evidence_problems(
        events, sources, rows=[2], source_rows=[2, 3, 4, 5], file="e.csv", sources_file="s.csv"
    )
    found = {(p.file, p.row, p.column) for p in problems}
    assert found == {
        ("s.csv", 2, "original"),  # a wire names its agency
        ("s.csv", 3, "source_kind"),  # AP copy graded as independent media
        ("s.csv", 4, "source_kind"),  # US official source on a us_confirmed-false event
        ("s.csv", 5, "official_quoted"),  # quoted US confirmation on the same
        ("e.csv", 2, "evidence"),  # typed evidence that the sources do not give
    }
    message = next(p for p in problems if p.column == "original").expected
    assert "AP, AFP, Reuters" in message
    # us_confirmed true needs a source that carries the US confirmation
    lonely = evidence_problems(
        pd.DataFrame({"event_id": ["S2023-0011"], "us_confirmed": [True]}),
        pd.DataFrame([source("S2023-0011", "wire", original="AFP")]),
        rows=[7],
        source_rows=[9],
        file="e.csv",
        sources_file="s.csv",
    )
    assert [(p.row, p.column) for p in lonely] == [(7, "us_confirmed")]
    assert "no source of S2023-0011 is a US official" in lonely[0].expected


def test_the_validator_reports_bad_kinds_with_file_row_and_allowed_values(tmp_path):
    sources = pd.read_csv(
        REPO / "tests" / "fixtures" / "event_sources_valid.csv", dtype=str, keep_default_na=False
    )
    sources.loc[0, "source_kind"] = "blog"
    sources.loc[1, "original"] = "Agence France Presse"
    sources.loc[2, "relays_claim"] = "maybe"
    bad = tmp_path / "event_sources.csv"
    sources.to_csv(bad, index=False)
    problems = toolkit.validate_events(
        REPO / "tests" / "fixtures" / "events_valid.csv", bad, raise_errors=False
    )
    assert {(p.row, p.column) for p in problems} == {
        (2, "source_kind"),
        (3, "original"),
        (4, "relays_claim"),
    }
    kind = next(p for p in problems if p.column == "source_kind")
    assert "us_official" in kind.expected
    assert "mirror" in kind.expected


# --- the shipped data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def events():
    return toolkit.load_events()


@pytest.fixture(scope="module")
def sources():
    return toolkit.load_event_sources()


def test_every_source_is_graded(sources):
    assert sources["source_kind"].notna().all()
    assert set(sources["source_kind"]) <= set(schema.SOURCE_KINDS)
    assert sources["relays_claim"].notna().all()
    wire = sources[sources["source_kind"] == "wire"]
    assert set(wire["original"]) == {"AP", "AFP", "Reuters"}
    # kinds the issue names are all in use
    counts = sources["source_kind"].value_counts()
    for kind in ("us_official", "wire", "independent_media", "party_media", "monitor", "mirror"):
        assert counts[kind] > 0, kind
    by_outlet = sources.set_index("outlet")["source_kind"]
    assert by_outlet["U.S. Department of Defense"].eq("us_official").all()
    assert by_outlet["SouthFront"].eq("party_media").all()
    assert by_outlet["Syrian Observatory for Human Rights"].eq("monitor").all()
    assert by_outlet["The Times of Israel (AFP)"].eq("wire").all()
    # the machine-generated German summary on a bare IP address is a copy of ISW
    german = sources[sources["url"].str.contains("3.77.176.231", regex=False)]
    assert german[["source_kind", "original"]].values.tolist() == [["mirror", "ISW"]]


def test_no_placeholder_text_in_any_title():
    for name, column in (
        ("event_sources.csv", "title"),
        ("key_events.csv", "title"),
        ("official_counts.csv", "title"),
        ("phases.csv", "start_title"),
        ("phases.csv", "end_title"),
    ):
        titles = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)[column]
        bad = titles[titles.str.contains(PLACEHOLDER)]
        assert bad.empty, (name, bad.tolist()[:3])
    events = pd.read_csv(DATA / "events.csv", dtype=str, keep_default_na=False)
    assert not events["location"].str.contains("not given in excerpt").any()
    sources = pd.read_csv(DATA / "event_sources.csv", dtype=str, keep_default_na=False)
    assert (sources["title"] == "").sum() >= 150  # missing titles are missing


def test_every_event_has_an_evidence_level_that_the_validator_accepts(events, sources):
    assert events["evidence"].notna().all()
    assert isinstance(events["evidence"].dtype, pd.CategoricalDtype)
    assert events["evidence"].cat.ordered
    assert toolkit.validate_events(events.drop(columns=["geometry", "n_sources"]), sources) == []
    counts = events["evidence"].value_counts()
    assert (counts > 0).all()
    # a US official source confirms: the Ryder transcript of 30 Jan 2024 cites Tower 22
    tower = events.set_index("event_id").loc["A2024-0043"]
    assert tower["evidence"] == "confirmed_us"
    # every US strike the Pentagon announced is at least reported
    strikes = events[events["event_type"] == "us_strike"]
    assert (strikes["evidence"] >= "reported").mean() > 0.95


def test_the_evidence_filter_is_nested(events):
    sizes = [len(toolkit.load_events(evidence=level)) for level in schema.EVIDENCE_LEVELS]
    assert sizes[0] == len(events)
    assert sizes == sorted(sizes, reverse=True)
    assert len(set(sizes)) == 4
    confirmed = toolkit.load_events(evidence="confirmed_official", event_types="attack")
    assert set(confirmed["evidence"]) == {"confirmed_official", "confirmed_us"}
    assert (
        len(confirmed)
        == ((events["event_type"] == "attack") & (events["evidence"] >= "confirmed_official")).sum()
    )


def test_an_unknown_evidence_level_says_what_is_accepted():
    with pytest.raises(toolkit.FormatError, match=r"evidence=\['certain'\] is not accepted"):
        toolkit.load_events(evidence="certain")


def test_evidence_is_consistent_with_us_confirmed(events, sources):
    confirmed = events[events["evidence"] == "confirmed_us"]
    # confirmed by a US source never sits on a row that says the US did not confirm it
    assert not confirmed["us_confirmed"].eq(False).any()
    quoted = sources[sources["official_quoted"] == "us"]["event_id"]
    us = events.set_index("event_id").loc[quoted.unique(), "us_confirmed"]
    assert not us.eq(False).any()


def test_grading_script_reproduces_the_shipped_columns(tmp_path):
    """scripts/grade_sources.py run on the shipped data changes nothing: the columns are its
    output, not typed by hand."""
    import shutil

    copy = tmp_path / "data"
    copy.mkdir()
    for name in ("events.csv", "event_sources.csv", "key_events.csv", "official_counts.csv"):
        shutil.copy(DATA / name, copy / name)
    script = (REPO / "scripts" / "grade_sources.py").read_text(encoding="utf-8")
    script = script.replace(
        'DATA = Path(__file__).resolve().parent.parent / "data"', f"DATA = Path({str(copy)!r})"
    )
    runner = tmp_path / "grade.py"
    runner.write_text(script, encoding="utf-8")
    subprocess.run([sys.executable, str(runner)], check=True, capture_output=True)
    for name in ("event_sources.csv", "key_events.csv", "official_counts.csv"):
        assert (copy / name).read_text(encoding="utf-8") == (DATA / name).read_text(
            encoding="utf-8"
        ), name


def test_the_hand_corrections_name_each_row_once():
    """A row corrected twice in ROW_FIXES would silently keep only the last correction."""
    import ast

    tree = ast.parse((REPO / "scripts" / "grade_sources.py").read_text(encoding="utf-8"))
    tables = {
        node.target.id: [ast.unparse(key) for key in node.value.keys]
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign)
        and getattr(node.target, "id", "") in ("ROW_FIXES", "SUBSTITUTIONS")
    }
    assert set(tables) == {"ROW_FIXES", "SUBSTITUTIONS"}
    for name, keys in tables.items():
        assert len(keys) == len(set(keys)), name
