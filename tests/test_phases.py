"""Escalation phases and the analysis helpers, on the shipped dataset and on edge cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import toolkit
from conftest import REPO
from toolkit._stats import binomial_ci, poisson_ci


@pytest.fixture(scope="module")
def events():
    return toolkit.load_events()


@pytest.fixture(scope="module")
def phases():
    return toolkit.load_phases()


# --- the phase table ---------------------------------------------------------------------------


def test_phases_cover_the_study_period_in_order_without_gaps(phases):
    assert list(phases["phase_id"]) == [f"P{i}" for i in range(10)]
    assert phases["start"].dtype.kind == "M"
    assert phases["end"].dtype.kind == "M"
    closed = phases.iloc[:-1]
    for earlier, later in zip(closed.itertuples(), phases.iloc[1:].itertuples(), strict=False):
        assert later.start - earlier.end == pd.Timedelta(days=1), later.phase_id
    # the last phase is open: no end, no closing source, and only the last may be open
    assert phases["end"].isna().tolist() == [False] * 9 + [True]
    assert phases["open_end"].iloc[-1]
    assert not phases["open_end"].iloc[:-1].any()
    assert phases["end_ref"].iloc[-1] == ""


def test_the_2026_wave_is_bounded_by_the_war_on_iran_and_the_april_ceasefire(phases, events):
    by_id = phases.set_index("phase_id")
    key = toolkit.load_key_events().set_index("key_event_id")
    assert by_id.loc["P8", "start"] == key.loc["K194", "date"]  # US-Israeli strikes on Iran
    assert by_id.loc["P8", "end"] == key.loc["K209", "date"]  # US-Iran ceasefire
    assert by_id.loc["P9", "start"] == key.loc["K209", "date"] + pd.Timedelta(days=1)
    assert "inferred" in by_id.loc["P8", "boundary_note"]
    # every attack of the war weeks falls in the wave, none in the drawdown after 28 Feb
    wave = toolkit.assign_phase(events[events["date"] >= "2026-02-28"])
    assert set(wave["phase"].astype(str)) == {"P8"}


def test_an_open_phase_runs_to_the_last_event_or_a_given_end(events):
    mine = pd.DataFrame(
        {
            "phase_id": ["war", "after"],
            "start": ["2026-02-28", "2026-03-10"],
            "end": ["2026-03-09", ""],
        }
    )
    attacks = events[events["event_type"] == "attack"]
    after = attacks[attacks["date"] >= "2026-03-10"]
    last = events["date"].max()  # all event types: the data's last date
    summary = toolkit.phase_summary(events, mine)
    assert summary.loc["after", "end"] == last
    assert summary.loc["after", "end_from"] == "last event date"
    assert summary.loc["war", "end_from"] == "table"
    assert summary.loc["after", "attacks"] == len(after)
    assert summary.loc["after", "days"] == (last - pd.Timestamp("2026-03-10")).days + 1
    given = toolkit.phase_summary(events, mine, end="2026-11-30")
    assert given.loc["after", "end_from"] == "given end"
    assert given.loc["after", "days"] == 266
    assert given.loc["after", "per_week"] < summary.loc["after", "per_week"]
    # an event long after the data's last date still lands in the open phase
    late = pd.DataFrame({"date": pd.to_datetime(["2027-06-01"]), "event_type": ["attack"]})
    assert toolkit.assign_phase(late, mine)["phase"].iloc[0] == "after"
    rr = toolkit.rate_ratio(events, "war", "after", phases=mine)
    assert (rr.after_end, rr.after_attacks) == (last, len(after))
    counts = toolkit.weekly_counts(events, phase="after", phases=mine, end="2026-11-30")
    assert counts["attacks"].sum() == len(after)
    assert counts.index[-1] == pd.Timestamp("2026-11-30")  # the Monday of the last week


def test_the_shipped_open_phase_starts_after_the_last_event(events):
    summary = toolkit.phase_summary(events)
    quiet = summary.loc["P9"]
    # no event reaches past the April ceasefire: zero days, no rate, and the output says why
    assert (quiet["attacks"], quiet["days"], quiet["end_from"]) == (0, 0, "last event date")
    assert math.isnan(quiet["per_week"])
    with pytest.raises(toolkit.FormatError, match="open phase"):
        toolkit.rate_ratio(events, "P5", "P9")
    rr = toolkit.rate_ratio(events, "P5", "P9", end="2026-11-30")
    assert rr.after_attacks == 0
    assert rr.high < 0.05


def test_only_the_last_phase_may_be_open(tmp_path):
    path = tmp_path / "phases.csv"
    path.write_text("phase_id,start,end\nA,2026-01-01,\nB,2026-02-01,2026-03-01\n")
    with pytest.raises(toolkit.DataValidationError, match="only the last"):
        toolkit.load_phases(path)


def test_issue_boundaries(phases):
    by_id = phases.set_index("phase_id")
    assert by_id.loc["P1", "start"] == pd.Timestamp("2020-01-03")  # Soleimani
    assert by_id.loc["P2", "start"] == pd.Timestamp("2020-10-11")  # the conditional ceasefire
    # both breaches of the ceasefire fall inside the ceasefire phase
    for breach in ("2020-11-17", "2020-12-20"):
        assert by_id.loc["P2", "start"] <= pd.Timestamp(breach) <= by_id.loc["P2", "end"]
    assert by_id.loc["P5", "start"] == pd.Timestamp("2023-10-17")
    # the campaign phase holds KH's suspension and the US strikes of February 2024
    for day in ("2024-01-30", "2024-02-02", "2024-02-07"):
        assert by_id.loc["P5", "start"] <= pd.Timestamp(day) <= by_id.loc["P5", "end"]


def test_every_boundary_cites_the_source_of_the_event_that_sets_it(phases, events):
    key_events = toolkit.load_key_events().set_index("key_event_id")
    sources = toolkit.load_event_sources()
    for phase in phases.itertuples():
        for side in ("start", "end"):
            ref, url = getattr(phase, f"{side}_ref"), getattr(phase, f"{side}_url")
            if side == "end" and phase.open_end:
                assert (ref, url) == ("", ""), phase.phase_id  # nothing closes it yet
                continue
            if ref.startswith("K"):
                assert key_events.loc[ref, "url"] == url, (phase.phase_id, side)
                day = key_events.loc[ref, "date"]
            else:
                assert url in set(sources.loc[sources["event_id"] == ref, "url"])
                day = events.set_index("event_id").loc[ref, "date"]
            # a phase opens on the day of its opening event or the day after it (when that
            # event closes the previous phase), and closes on, or the day before, its closing one
            one_day = pd.Timedelta(days=1)
            if side == "start":
                assert phase.start in (day, day + one_day), phase.phase_id
            elif not phase.open_end:  # an open phase has no closing event yet
                assert phase.end in (day, day - one_day), phase.phase_id


def test_own_phase_table_from_a_dataframe_and_a_csv(tmp_path, events):
    mine = pd.DataFrame(
        {
            "phase_id": ["before", "after"],
            "start": ["2020-09-11", "2020-10-11"],
            "end": ["2020-10-10", "2020-11-16"],
        }
    )
    out = toolkit.assign_phase(events, mine)
    assert list(out["phase"].cat.categories) == ["before", "after", toolkit.phases.OUTSIDE]
    assert (out["phase"] == "after").sum() == 0  # nothing between the truce and the first breach
    assert (out["phase"] == "before").sum() > 0
    path = tmp_path / "mine.csv"
    mine.to_csv(path, index=False)
    assert toolkit.load_phases(path)["end"].iloc[1] == pd.Timestamp("2020-11-16")


def test_overlapping_or_broken_phase_tables_are_reported_with_row_and_value(tmp_path):
    bad = pd.DataFrame(
        {
            "phase_id": ["a", "b", "c"],
            "start": ["2020-01-03", "2020-06-01", "2021-13-01"],
            "end": ["2020-10-10", "2020-12-31", "2021-12-31"],
        }
    )
    with pytest.raises(toolkit.DataValidationError) as error:
        toolkit.load_phases(_write(tmp_path, bad))
    assert "row 4" in str(error.value)
    assert "2021-13-01" in str(error.value)
    bad.loc[2, "start"] = "2021-01-01"
    with pytest.raises(toolkit.DataValidationError, match="overlaps phase a"):
        toolkit.assign_phase(pd.DataFrame({"date": []}), bad)
    with pytest.raises(toolkit.FormatError, match=r"missing column.*end"):
        toolkit.phase_summary(pd.DataFrame({"date": []}), bad.drop(columns="end"))


def _write(tmp_path, df):
    path = tmp_path / "phases.csv"
    df.to_csv(path, index=False)
    return path


# --- assign_phase ------------------------------------------------------------------------------


def test_assign_phase_labels_every_event_and_drops_none(events):
    out = toolkit.assign_phase(events)
    assert len(out) == len(events)
    assert out.loc[out["event_id"] == "A2020-0078", "phase"].item() == "P2"  # 17 Nov breach
    assert out.loc[out["date"] == "2024-01-28", "phase"].eq("P5").all()  # Tower 22
    assert not out["phase"].isna().any()


def test_events_outside_every_phase_are_labelled_not_dropped(events):
    only_2020 = pd.DataFrame(
        {"phase_id": ["P1"], "start": ["2020-01-03"], "end": ["2020-10-10"], "name": ["x"]}
    )
    out = toolkit.assign_phase(events, only_2020)
    assert len(out) == len(events)
    assert (out["phase"] == "outside phases").sum() == (events["date"] < "2020-01-03").sum() + (
        events["date"] > "2020-10-10"
    ).sum()
    summary = toolkit.phase_summary(events, only_2020)
    assert (
        summary.loc["outside phases", "attacks"]
        == (
            (events["event_type"] == "attack") & ~events["date"].between("2020-01-03", "2020-10-10")
        ).sum()
    )


def test_a_month_window_that_crosses_a_boundary_is_flagged(events):
    out = toolkit.assign_phase(events)
    flagged = out.loc[~out["phase_certain"], "event_id"].tolist()
    # February 2021 convoy attacks known only to the month, and one known to the week of 11-17
    # February (two readings of its source); the phase turns on 15 February
    assert set(flagged) == {"A2021-0012", "A2021-0013", "A2021-0081"}


# --- phase_summary -----------------------------------------------------------------------------


def test_phase_summary_on_the_shipped_data(events):
    summary = toolkit.phase_summary(events)
    assert list(summary.index) == [f"P{i}" for i in range(10)]
    campaign = summary.loc["P5"]
    assert campaign["attacks"] == 161
    assert campaign["days"] == 114
    assert campaign["per_week_low"] < campaign["per_week"] < campaign["per_week_high"]
    _low, high = poisson_ci(161)
    assert campaign["per_week_high"] == pytest.approx(high / (114 / 7))
    assert campaign["countries"] == "Iraq, Jordan, Syria"
    assert campaign["weapon_mix"].startswith("drone")
    assert summary.loc["P1", "weapon_mix"].startswith("rocket")
    assert summary["attacks"].sum() == (events["event_type"] == "attack").sum()
    # casualties: Tower 22 is in the campaign's killed total
    assert campaign["killed"] >= 3
    assert 0 < campaign["claimed_share"] <= 1
    assert summary["no_coordinates"].sum() == (
        events.loc[events["event_type"] == "attack", "latitude"].isna().sum()
    )


def test_phase_summary_of_an_empty_selection_and_a_single_event(events):
    empty = toolkit.phase_summary(events.iloc[:0])
    assert (empty["attacks"] == 0).all()
    closed = empty.drop(index="P9")
    assert (closed["per_week"] == 0).all()
    assert (closed["per_week_high"] > 0).all()  # zero events still bound the rate from above
    # no events, no last date: the open phase has no span to count
    assert empty.loc["P9", "end_from"] == "open"
    assert pd.isna(empty.loc["P9", "days"])
    one = events[events["event_id"] == "A2020-0078"]
    single = toolkit.phase_summary(one)
    assert single["attacks"].sum() == 1
    assert single.loc["P2", "attacks"] == 1
    assert single.loc["P2", "killed"] == 1


# --- weekly_counts -----------------------------------------------------------------------------


def test_weekly_counts_fill_gaps_with_zero(events):
    lull = events[events["date"].between("2022-06-01", "2023-10-31")]
    weekly = toolkit.weekly_counts(lull, start="2022-06-01", end="2023-10-31")
    assert weekly.index.min() <= pd.Timestamp("2022-06-01")
    assert (weekly.index.day_of_week == 0).all()  # weeks start on Monday
    # the quiet weeks are there, as zeros (Iraq was quiet; Syria saw sporadic rockets)
    assert (weekly["attacks"] == 0).sum() > 40
    assert weekly["attacks"].sum() == (lull["event_type"] == "attack").sum()


def test_weekly_counts_by_country_and_monthly(events):
    campaign = events[events["date"].between("2023-10-17", "2024-02-04")]
    by_country = toolkit.weekly_counts(campaign, by="country")
    assert {"Iraq", "Syria", "Jordan", "total"} <= set(by_country.columns)
    assert by_country["Jordan"].sum() == 1
    assert by_country["total"].sum() == 161
    monthly = toolkit.weekly_counts(events, freq="M")
    assert monthly.loc["2023-11-01", "attacks"] == 40
    assert (monthly.index.day == 1).all()


def test_weekly_counts_of_nothing_is_an_empty_table(events):
    out = toolkit.weekly_counts(events.iloc[:0])
    assert out.empty
    assert list(out.columns) == ["attacks"]


# --- rate_ratio --------------------------------------------------------------------------------


def test_rate_ratio_of_the_ceasefire(events):
    rr = toolkit.rate_ratio(events, "P1", "P2")
    assert (rr.before_attacks, rr.before_days) == (78, 282)
    assert (rr.after_attacks, rr.after_days) == (34, 127)
    assert rr.ratio == pytest.approx((34 / 127) / (78 / 282))
    assert rr.low < rr.ratio < rr.high
    assert "rate ratio" in str(rr)
    frame = rr.to_frame()
    assert list(frame.index) == ["before", "after"]
    # the first five weeks of the truce: no attack at all, a significant fall
    truce = toolkit.rate_ratio(events, ("2020-09-11", "2020-10-10"), ("2020-10-11", "2020-11-16"))
    assert truce.after_attacks == 0
    assert truce.ratio == 0
    assert truce.high < 1


def test_rate_ratio_interval_matches_the_binomial_construction():
    frame = pd.DataFrame({"date": pd.to_datetime(["2020-01-01"] * 10 + ["2020-02-01"] * 5)})
    rr = toolkit.rate_ratio(frame, ("2020-01-01", "2020-01-10"), ("2020-02-01", "2020-02-10"))
    p_low, p_high = binomial_ci(5, 15)
    assert rr.ratio == pytest.approx(0.5)
    assert rr.low == pytest.approx(p_low / (1 - p_low))
    assert rr.high == pytest.approx(p_high / (1 - p_high))


def test_rate_ratios_table_shows_how_the_ceasefire_end_date_matters(events):
    table = toolkit.rate_ratios(
        events,
        {
            "to the first breach": ("P1", ("2020-10-11", "2020-11-16")),
            "whole phase": ("P1", "P2"),
        },
    )
    assert list(table.index) == ["to the first breach", "whole phase"]
    assert table.loc["to the first breach", "after_attacks"] == 0
    assert table.loc["to the first breach", "high"] < 1
    assert table.loc["whole phase", "rate_ratio"] == pytest.approx(
        toolkit.rate_ratio(events, "P1", "P2").ratio
    )
    by_weapon = toolkit.rate_ratios(events, {"ceasefire": ("P1", "P2")}, by="weapon")
    assert by_weapon.loc[("ceasefire", "rocket"), "high"] < 1  # the truce held for rockets
    assert by_weapon.loc[("ceasefire", "ied"), "rate_ratio"] > 1  # not for convoy bombs
    assert by_weapon[["before_attacks", "after_attacks"]].sum().tolist() == [78, 34]


def test_rate_ratio_rejects_unknown_phases(events):
    with pytest.raises(toolkit.FormatError, match=r"P10.*expected one of P0"):
        toolkit.rate_ratio(events, "P10", "P2")


# --- compare_to_official -----------------------------------------------------------------------


def test_compare_to_official_at_the_tallies_dates_and_scope(events):
    table = toolkit.compare_to_official(events)
    assert set(table["source_type"]) == {"official"}
    politico = table.loc["C142"]  # 169 as of 2024-02-06, Iraq, Syria and Jordan
    assert (politico["official"], politico["dataset"]) == (169, 161)
    assert politico["difference"] == -8
    syria_only = table.loc["C110"]  # Syria only, as of 2023-12-15
    syria = events[
        (events["event_type"] == "attack")
        & (events["country"] == "Syria")
        & events["date"].between("2023-10-17", "2023-12-15")
    ]
    assert syria_only["dataset"] == len(syria)
    assert pd.isna(table.loc["C144", "dataset"])  # no start date given: not guessed
    assert "no start date" in table.loc["C144", "note"]


def test_compare_to_official_casualties_and_all_sources(events):
    everything = toolkit.compare_to_official(events, source_types=None)
    assert {"official", "monitor", "media"} <= set(everything["source_type"])
    injured = toolkit.compare_to_official(events, metric="injured")
    assert not injured.empty
    assert (injured["dataset"].dropna() >= 0).all()
    with pytest.raises(toolkit.FormatError, match="metric='tbi'"):
        toolkit.compare_to_official(events, metric="tbi")


# --- exact intervals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "low", "high"),
    [(0, 0.0, 3.689), (1, 0.0253, 5.572), (10, 4.795, 18.390), (30, 20.24, 42.83)],
)
def test_poisson_interval_matches_published_tables(k, low, high):
    got = poisson_ci(k)
    assert got[0] == pytest.approx(low, abs=5e-3)
    assert got[1] == pytest.approx(high, abs=5e-3)


def test_binomial_interval_matches_clopper_pearson():
    assert binomial_ci(3, 10) == pytest.approx((0.0667, 0.6525), abs=1e-4)
    assert binomial_ci(0, 10)[1] == pytest.approx(1 - 0.025 ** (1 / 10))
    assert binomial_ci(10, 10)[0] == pytest.approx(0.025 ** (1 / 10))
    with pytest.raises(ValueError, match="conf"):
        poisson_ci(3, conf=95)
    assert math.isclose(sum(poisson_ci(0, 0.9)), -math.log(0.05), rel_tol=1e-6)


def test_phases_csv_is_documented():
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert "phases.csv" in readme
