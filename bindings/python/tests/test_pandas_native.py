"""Python that feels like pandas (issue 17): blank cells read as NaN are
"not given", dates, Timestamps and Periods are periods, callers name their
columns, rejected rows are a warning (or under strict=True an error), and
vigil.spc takes NHSRplotthedots-style column names."""
import datetime
import math
import os
import warnings

import pytest

import vigil

pd = pytest.importorskip("pandas")

ROOT = os.environ.get("VIGIL_SOURCE_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EX = os.path.join(ROOT, "examples", "nhs_early_warning")


@pytest.fixture(scope="module")
def engine():
    with vigil.Engine.from_file(os.path.join(EX, "rules.textproto")) as e:
        yield e


@pytest.fixture(scope="module")
def frames():
    return (pd.read_csv(os.path.join(EX, "observations.csv")),
            pd.read_csv(os.path.join(EX, "providers.csv")),
            pd.read_csv(os.path.join(EX, "indicators.csv")))


@pytest.fixture(scope="module")
def expected(engine):
    return engine.evaluate(os.path.join(EX, "observations.csv"),
                           providers=os.path.join(EX, "providers.csv"),
                           indicators=os.path.join(EX, "indicators.csv"), as_of="2019-03")


def ratings(report):
    return [(a.provider_id, a.rule_id, a.rating) for a in report]


def test_blank_cells_read_by_pandas_as_nan_are_not_given(engine, frames, expected):
    observations, providers, indicators = frames
    assert indicators["rate_multiplier"].isna().all()  # pandas' NaN for blanks.
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Nothing rejected: no warning.
        report = engine.evaluate(observations, providers=providers, indicators=indicators,
                                 as_of="2019-03")
    assert ratings(report) == ratings(expected)


@pytest.mark.parametrize("as_of", [pd.Timestamp("2019-03-01"), datetime.date(2019, 3, 1),
                                   datetime.datetime(2019, 3, 1), pd.Period("2019-03", "M"),
                                   "2019-03"])
def test_as_of_may_be_a_date_timestamp_or_period(engine, frames, expected, as_of):
    observations, providers, indicators = frames
    report = engine.evaluate(observations, providers=providers, indicators=indicators,
                             as_of=as_of)
    assert report.as_of == "2019-03-01" if not isinstance(as_of, (str, pd.Period)) else True
    assert ratings(report) == ratings(expected)


def test_periods_parsed_as_dates_are_the_months_they_start(engine, frames, expected):
    observations, providers, indicators = frames
    dated = observations.assign(period=pd.to_datetime(observations["period"]))
    assert str(dated["period"].dtype).startswith("datetime64")
    as_periods = observations.assign(period=pd.PeriodIndex(observations["period"], freq="M"))
    for data in (dated, as_periods):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            report = engine.evaluate(data, providers=providers, indicators=indicators,
                                     as_of="2019-03")
        assert report.observations_rejected == 0
        assert ratings(report) == ratings(expected)


def test_a_time_of_day_is_refused_not_dropped(engine, frames):
    observations, providers, indicators = frames
    timed = observations.assign(period=pd.to_datetime(observations["period"]) +
                                pd.Timedelta(hours=9))
    with pytest.raises(vigil.InvalidArgument, match="time of day"):
        engine.evaluate(timed, providers=providers, indicators=indicators)


def test_callers_name_their_columns(engine, frames, expected):
    observations, providers, indicators = frames
    theirs = observations.rename(columns={"provider_id": "trust", "indicator_id": "metric",
                                          "period": "month", "numerator": "within_4h",
                                          "denominator": "attendances"})
    report = engine.evaluate(
        theirs, providers=providers, indicators=indicators, as_of="2019-03",
        columns={"provider_id": "trust", "indicator_id": "metric", "period": "month",
                 "numerator": "within_4h", "denominator": "attendances"})
    assert ratings(report) == ratings(expected)
    with pytest.raises(vigil.InvalidArgument, match="no column 'nope'"):
        engine.evaluate(theirs, indicators=indicators, columns={"provider_id": "nope"})
    with pytest.raises(vigil.InvalidArgument, match="unknown field"):
        engine.evaluate(theirs, indicators=indicators, columns={"trust": "trust"})
    with pytest.raises(vigil.InvalidArgument, match="no column provider_id"):
        engine.evaluate(theirs, indicators=indicators)


def test_rejected_rows_warn_with_the_first_reasons(engine, frames):
    observations, providers, indicators = frames
    bad = pd.concat([observations, pd.DataFrame(
        [{"provider_id": "R0A", "indicator_id": "AE_4HR_T1", "period": "2019-13",
          "value": 50.0}])], ignore_index=True)
    with pytest.warns(vigil.DataWarning, match=r"1 of 24661 rows not used: .*2019-13"):
        report = engine.evaluate(bad, providers=providers, indicators=indicators,
                                 as_of="2019-03")
    assert report.observations_rejected == 1
    with pytest.raises(vigil.RowsNotUsed, match="2019-13") as raised:
        engine.evaluate(bad, providers=providers, indicators=indicators, as_of="2019-03",
                        strict=True)
    assert raised.value.report.observations_rejected == 1
    assert isinstance(raised.value, ValueError)


def test_no_indicators_is_said_not_silent(engine, frames):
    observations, providers, _ = frames
    with pytest.warns(vigil.DataWarning) as caught:
        report = engine.evaluate(observations, providers=providers, as_of="2019-03")
    assert report.assessments == []
    assert any("no assessment" in str(w.message) for w in caught)


def test_spc_takes_the_callers_column_names():
    frame = pd.DataFrame({
        "trust": ["A"] * 12 + ["B"] * 12,
        "month": list(pd.date_range("2019-01-01", periods=12, freq="MS")) * 2,
        "breach_rate": [0.04] * 11 + [0.20] + [0.05, 0.06] * 6,
    }).sample(frac=1, random_state=1)  # Any row order.
    out = vigil.spc(frame, value="breach_rate", period="month", series="trust",
                    direction="decrease", target=0.05)
    assert list(out["series_id"].unique()) == ["A", "B"]
    a = out[out.series_id == "A"]
    assert a["period"].tolist()[0] == "2019-01-01"
    assert a["period"].is_monotonic_increasing
    assert a["point_type"].iloc[-1] == "special_cause_concern"  # 0.20: a rise is bad.
    # One series without a series column; the target as a column.
    one = frame[frame.trust == "A"].drop(columns="trust").assign(goal=0.05)
    single = vigil.spc(one, value="breach_rate", period="month", target="goal",
                       direction="decrease")
    assert len(single) == 12 and single["assurance"].iloc[-1] != ""
    with pytest.raises(vigil.InvalidArgument, match="no column 'nope'"):
        vigil.spc(frame, value="nope", period="month", series="trust")


@pytest.mark.parametrize("example,as_of,extra", [
    ("nhs_early_warning", "2019-03", {}),
    ("hcai", "2018-03", {"plans": "plans.csv"}),
])
def test_assessments_dataframe_is_built_column_by_column_with_the_same_cells(
        example, as_of, extra):
    from dataclasses import asdict
    folder = os.path.join(ROOT, "examples", example)
    with vigil.Engine.from_file(os.path.join(folder, "rules.textproto")) as e:
        report = e.evaluate(os.path.join(folder, "observations.csv"),
                            providers=os.path.join(folder, "providers.csv"),
                            indicators=os.path.join(folder, "indicators.csv"),
                            as_of=as_of, chart_periods=6,
                            **{k: os.path.join(folder, v) for k, v in extra.items()})
    fast = report.to_dataframe()
    slow = pd.DataFrame([asdict(a) for a in report.assessments],
                        columns=list(vigil.Assessment.__dataclass_fields__))
    assert len(fast) == len(report) > 0
    assert fast.columns.tolist() == slow.columns.tolist()
    # Cell by cell (NaN equals NaN): the same values, nested ones included.
    assert repr(fast.to_dict("records")) == repr(slow.to_dict("records"))
