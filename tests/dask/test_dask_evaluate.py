"""vigil.dask.evaluate on a distributed.LocalCluster (2 worker processes, 8
partitions) gives the single-process report byte for byte: the reference
pack (peer funnels, escalation by independent signals) with a composite
rule added, on the real A&E data with bad rows, a provider without data,
an indicator no rule selects and rows after the as-of period."""
import os
import pathlib
import warnings

import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import vigil
import vigil.dask as vigil_dask

SOURCE = pathlib.Path(os.environ.get("VIGIL_SOURCE_DIR", pathlib.Path(__file__).parents[2]))
EXAMPLE = SOURCE / "examples" / "nhs_early_warning"

COMPOSITE = """
rules {
  id: "ae_composite"
  name: "A&E 4-hour: peers and SPC together"
  severity: SEVERITY_WARNING
  selector { indicator_ids: "AE_4HR_T1" }
  composite { rule_ids: "ae_4hr_peer" rule_ids: "ae_4hr_spc" }
}
"""


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    with cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The pack, tables and observations (a pandas DataFrame) of the test."""
    tmp = tmp_path_factory.mktemp("dask")
    rules = tmp / "rules.textproto"
    rules.write_text((EXAMPLE / "rules.textproto").read_text() + COMPOSITE)
    providers = tmp / "providers.csv"
    providers.write_text((EXAMPLE / "providers.csv").read_text()
                         + "RXX,A trust with no data,acute,ae:type1\n")
    indicators = tmp / "indicators.csv"
    indicators.write_text((EXAMPLE / "indicators.csv").read_text()
                          + "UNSEL,Selected by no rule,safe,count,neutral,monthly,,\n")
    obs = pd.read_csv(EXAMPLE / "observations.csv",
                      dtype={"provider_id": str, "indicator_id": str, "period": str})
    bad = pd.DataFrame([
        {"provider_id": "ZZZ", "indicator_id": "AE_4HR_T1", "period": "2018-06",
         "numerator": 1.0, "denominator": 2.0},                       # unknown provider
        {"provider_id": "R0A", "indicator_id": "AE_4HR_T1", "period": "2019-13",
         "numerator": 1.0, "denominator": 2.0},                       # bad period
        {"provider_id": "R1F", "indicator_id": "AE_ATT_T1", "period": "2018-06",
         "value": 123.0},                                             # duplicate, conflicting
        {"provider_id": "R1F", "indicator_id": "UNSEL", "period": "2018-06", "value": 7.0},
        {"provider_id": "R0A", "indicator_id": "UNSEL", "period": "2018-07", "value": 8.0},
    ])
    # Bad rows spread through the input: their row numbers must survive.
    obs = pd.concat([obs.iloc[:5000], bad.iloc[:2], obs.iloc[5000:15000], bad.iloc[2:],
                     obs.iloc[15000:]], ignore_index=True)
    return {"rules": rules, "providers": providers, "indicators": indicators, "obs": obs}


def single(inputs, as_of, **kwargs):
    engine = vigil.Engine.from_file(inputs["rules"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return engine.evaluate(inputs["obs"], as_of=as_of, providers=inputs["providers"],
                               indicators=inputs["indicators"], **kwargs)


def distributed(inputs, as_of, client, npartitions=8, **kwargs):
    ddf = dd.from_pandas(inputs["obs"], npartitions=npartitions, sort=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return vigil_dask.evaluate(ddf, inputs["rules"], inputs["providers"],
                                   inputs["indicators"], as_of, client=client, **kwargs)


@pytest.mark.parametrize("as_of", ["2019-03", "2018-12"])
def test_report_is_byte_identical_to_one_process(inputs, client, as_of):
    one = single(inputs, as_of)
    many = distributed(inputs, as_of, client)
    # What the comparison covers (so that it cannot pass on an empty report).
    assert len(one) > 1500
    assert {a.rule_id for a in one} >= {"ae_4hr_peer", "ae_4hr_all_peer", "ae_composite",
                                        "ae_data_complete"}
    assert any(p.escalation == "risk_summit" or p.escalation == "enhanced_surveillance"
               for p in one.providers)
    codes = {d.code for d in one.diagnostics}
    assert {"unknown_provider", "bad_period", "not_selected",
            "duplicate_observation"} <= codes, codes
    assert any(p.provider_id == "RXX" for p in one.providers)
    if as_of == "2018-12":
        assert "after_as_of" in codes
    assert many.to_json() == one.to_json()


def test_funnels_of_a_report_with_charts_are_merged_once(inputs, client):
    one = single(inputs, "2019-03", chart_periods=12)
    many = distributed(inputs, "2019-03", client, chart_periods=12)
    assert len(one.funnels) == 2
    assert many.to_json() == one.to_json()


def test_any_number_of_partitions_gives_the_same_report(inputs, client):
    one = single(inputs, "2019-03").to_json()
    for npartitions in (1, 3):
        assert distributed(inputs, "2019-03", client, npartitions=npartitions).to_json() == one


def test_without_a_client_the_default_scheduler_gives_the_same_report(inputs):
    one = single(inputs, "2019-03").to_json()
    ddf = dd.from_pandas(inputs["obs"], npartitions=4, sort=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        many = vigil_dask.evaluate(ddf, inputs["rules"], inputs["providers"],
                                   inputs["indicators"], "2019-03", scheduler="threads")
    assert many.to_json() == one


def test_as_of_is_required(inputs):
    with pytest.raises(vigil.InvalidArgument, match="as_of: required"):
        vigil_dask.evaluate(inputs["obs"], inputs["rules"], inputs["providers"],
                            inputs["indicators"], None)


def test_an_indicator_without_a_frequency_is_refused_naming_it(inputs, tmp_path):
    indicators = tmp_path / "indicators.csv"
    text = (EXAMPLE / "indicators.csv").read_text().replace(
        "AE_4HR_T1,A&E 4-hour (type 1),responsive,percentage,higher_is_better,monthly",
        "AE_4HR_T1,A&E 4-hour (type 1),responsive,percentage,higher_is_better,")
    indicators.write_text(text)
    with pytest.raises(vigil.InvalidArgument, match="'AE_4HR_T1' has no frequency"):
        vigil_dask.evaluate(inputs["obs"], inputs["rules"], inputs["providers"], indicators,
                            "2019-03", npartitions=2, scheduler="sync")


def test_backtest_is_byte_identical_to_one_process(inputs, client):
    engine = vigil.Engine.from_file(inputs["rules"])
    one = engine.backtest(inputs["obs"], from_="2018-04", to="2019-03",
                          providers=inputs["providers"], indicators=inputs["indicators"])
    ddf = dd.from_pandas(inputs["obs"], npartitions=8, sort=False)
    many = vigil_dask.backtest(ddf, inputs["rules"], inputs["providers"], inputs["indicators"],
                               "2018-04", "2019-03", client=client)
    assert len(one) == 12 and len(one.rules) > 1500
    assert (one.escalation["escalation"] != "routine").sum() > 10
    assert many.to_json() == one.to_json()
    assert many.to_html() == one.to_html()  # Provider names come from the tables.


def test_protobuf_output_is_the_same_report(inputs, client):
    import ctypes
    from ctypes import c_void_p

    from vigil import _native
    from vigil._native import check, lib

    one = single(inputs, "2019-03")
    data = distributed(inputs, "2019-03", client, output="protobuf")
    assert isinstance(data, bytes) and len(data) > 100000
    handle, err = c_void_p(), c_void_p()
    check(lib.vigil_report_parse(data, len(data), _native.FORMAT_BINARY, ctypes.byref(handle),
                                 ctypes.byref(err)), err)
    try:
        assert _native.serialize(handle, _native.FORMAT_JSON) == one.to_json()
    finally:
        lib.vigil_report_destroy(handle)


def test_a_missing_id_is_refused_naming_its_row_in_the_whole_input(inputs):
    obs = inputs["obs"].iloc[:300].copy()
    obs.loc[250, "provider_id"] = None
    engine = vigil.Engine.from_file(inputs["rules"])
    with pytest.raises(vigil.InvalidArgument) as one:
        engine.evaluate(obs, as_of="2019-03", providers=inputs["providers"],
                        indicators=inputs["indicators"])
    with pytest.raises(vigil.InvalidArgument) as many:
        vigil_dask.evaluate(dd.from_pandas(obs, npartitions=3, sort=False), inputs["rules"],
                            inputs["providers"], inputs["indicators"], "2019-03",
                            npartitions=4, scheduler="sync")
    assert str(one.value).endswith("observation 251: 'provider_id' is missing")
    assert str(many.value) == str(one.value)


def test_empty_parts_are_evaluated(inputs):
    # More parts than providers with rows: parts with no rows at all.
    obs = inputs["obs"][inputs["obs"]["provider_id"].isin(["R0A", "R1F"])]
    engine = vigil.Engine.from_file(inputs["rules"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = engine.evaluate(obs, as_of="2019-03", providers=inputs["providers"],
                              indicators=inputs["indicators"])
        many = vigil_dask.evaluate(dd.from_pandas(obs, npartitions=2, sort=False),
                                   inputs["rules"], inputs["providers"], inputs["indicators"],
                                   "2019-03", npartitions=24, scheduler="sync")
    assert many.to_json() == one.to_json()


def test_the_example_script_gives_the_one_process_report():
    import subprocess
    import sys

    script = SOURCE / "examples" / "python" / "dask_dashboard.py"
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=300, env=dict(os.environ))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "14 of 140 trusts escalated as of 2019-03" in run.stdout
    assert "the same report as one process, byte for byte: True" in run.stdout
