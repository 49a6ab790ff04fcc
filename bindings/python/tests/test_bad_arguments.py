"""Bad Python arguments raise vigil.InvalidArgument naming the argument; none
changes meaning in silence (issue 14, defect 3, Python side)."""
import math

import pytest

import vigil

PACK = """
id: "py" version: "1"
rules { id: "ae" selector { indicator_ids: "AE" } threshold { standard: 95 red_threshold: 90 } }
"""
INDICATORS = [{"id": "AE", "name": "A&E 4-hour", "unit": "percentage",
               "polarity": "higher_is_better", "frequency": "monthly", "domain": "responsive"}]


@pytest.fixture(name="engine")
def fixture_engine():
    with vigil.Engine.from_text(PACK) as engine:
        yield engine


def test_an_id_with_a_nul_is_rejected_not_cut_into_another_provider(engine):
    with pytest.raises(vigil.InvalidArgument, match="provider_id.*NUL"):
        engine.evaluate([("P1", "AE", "2019-03", 96.0), ("P1\x00x", "AE", "2019-03", 50.0)],
                        indicators=INDICATORS)


def test_bytes_ids_are_rejected_not_turned_into_their_repr(engine):
    with pytest.raises(vigil.InvalidArgument, match="provider_id: expected text, got bytes"):
        engine.evaluate([(b"P1", "AE", "2019-03", 96.0)], indicators=INDICATORS)


def test_text_that_cannot_be_utf8_is_rejected(engine):
    with pytest.raises(vigil.InvalidArgument, match="indicator_id.*not encodable as UTF-8"):
        engine.evaluate([("P1", "A\udc80E", "2019-03", 96.0)], indicators=INDICATORS)


def test_numeric_ids_are_still_accepted_as_text(engine):
    report = engine.evaluate([(123, "AE", "2019-03", 96.0)], indicators=INDICATORS)
    assert [a.provider_id for a in report.assessments] == ["123"]


def test_as_of_zero_is_an_error_not_the_latest_period(engine):
    with pytest.raises(vigil.InvalidArgument, match="as_of: expected a period"):
        engine.evaluate([("P1", "AE", "2019-03", 96.0)], indicators=INDICATORS, as_of=0)


@pytest.mark.parametrize("threads", [0, -1, 2**40, 257, 1.5, True, "2"])
def test_thread_counts_out_of_range_or_not_whole_are_errors(engine, threads):
    with pytest.raises(vigil.InvalidArgument, match="threads"):
        engine.evaluate([("P1", "AE", "2019-03", 96.0)], indicators=INDICATORS,
                        threads=threads)


def test_the_largest_thread_count_is_accepted(engine):
    report = engine.evaluate([("P1", "AE", "2019-03", 96.0)], indicators=INDICATORS,
                             threads=vigil._native.MAX_THREADS)
    assert report.assessments[0].rating == "green"


def test_spc_target_as_text_is_an_error_not_one_target_per_character():
    with pytest.raises(vigil.InvalidArgument, match="target: expected a number"):
        vigil.spc([90.0] * 12, target="95")


def test_spc_infinite_value_is_an_error_not_special_cause():
    values = [90.0] * 12
    values[3] = math.inf
    with pytest.raises(vigil.InvalidArgument, match=r"values\[3\]: inf is not a finite number"):
        vigil.spc(values)


def test_spc_text_value_is_an_error_not_parsed():
    with pytest.raises(vigil.InvalidArgument, match=r"data\[1\]: expected a number"):
        vigil.spc([90.0, "91"] + [90.0] * 10)


def test_close_while_other_threads_evaluate_waits_for_them():
    """close() during evaluate() used to free the engine under the running
    evaluation (a heap-use-after-free under ASan); now the last evaluation
    frees it, every running one finishes, and later ones raise."""
    import os
    import threading

    root = os.environ.get("VIGIL_SOURCE_DIR",
                          os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    ex = os.path.join(root, "examples", "nhs_early_warning")
    for _ in range(5):
        engine = vigil.Engine.from_file(os.path.join(ex, "rules.textproto"))
        started = threading.Barrier(5)
        results, errors = [], []

        def run():
            started.wait()
            try:
                results.append(engine.evaluate(
                    os.path.join(ex, "observations.csv"),
                    providers=os.path.join(ex, "providers.csv"),
                    indicators=os.path.join(ex, "indicators.csv"), as_of="2019-03"))
            except vigil.InvalidArgument as e:  # started after close(): allowed
                errors.append(str(e))

        threads = [threading.Thread(target=run) for _ in range(4)]
        for t in threads:
            t.start()
        started.wait()
        engine.close()
        for t in threads:
            t.join()
        assert len(results) + len(errors) == 4
        assert all(e.endswith("the engine is closed") for e in errors), errors
        assert all(len(r.providers) == 140 for r in results)
        with pytest.raises(vigil.InvalidArgument, match="closed"):
            engine.evaluate([("P1", "AE", "2019-03", 96.0)], indicators=INDICATORS)
