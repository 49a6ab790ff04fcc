"""Resource limits from Python (issue 14, defect 2): exceeding one raises
vigil.ResourceExhausted naming it; a bad limit is vigil.InvalidArgument."""
import pytest

import vigil

PACK = """
id: "py" version: "1"
rules { id: "dq" selector { all_indicators: true } data_quality { } }
"""
DAILY = [{"id": "D", "name": "Daily", "unit": "count", "polarity": "lower_is_better",
          "frequency": "daily", "domain": "safe"}]
SPARSE = [("S1", "D", "1900-01-01", 1.0), ("S1", "D", "2199-12-31", 1.0),
          ("S2", "D", "2199-12-31", 1.0)]


@pytest.fixture(name="engine")
def fixture_engine():
    with vigil.Engine.from_text(PACK) as engine:
        yield engine


def test_a_series_over_300_years_of_days_is_resource_exhausted(engine):
    with pytest.raises(vigil.ResourceExhausted, match=r"max_periods_per_series \(100000\)"):
        engine.evaluate(SPARSE, indicators=DAILY)
    with pytest.raises(MemoryError):
        engine.evaluate(SPARSE, indicators=DAILY)


def test_raised_limits_store_it(engine):
    report = engine.evaluate(SPARSE, indicators=DAILY, max_periods_per_series=200000)
    assert len(report.assessments) == 2
    with pytest.raises(vigil.ResourceExhausted, match=r"max_stored_periods \(1000\)"):
        engine.evaluate(SPARSE, indicators=DAILY, max_periods_per_series=200000,
                        max_stored_periods=1000)


def test_max_assessments(engine):
    with pytest.raises(vigil.ResourceExhausted, match=r"max_assessments \(1\)"):
        engine.evaluate(SPARSE, indicators=DAILY, max_periods_per_series=200000,
                        max_assessments=1)


@pytest.mark.parametrize("name", ["max_periods_per_series", "max_stored_periods",
                                  "max_assessments"])
@pytest.mark.parametrize("value", [0, -1, 1.5, "10", True, 2 ** 63])
def test_a_bad_limit_is_invalid_argument(engine, name, value):
    with pytest.raises(vigil.InvalidArgument, match=name):
        engine.evaluate(SPARSE, indicators=DAILY, **{name: value})
