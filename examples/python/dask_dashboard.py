"""The Early Warning Dashboard on a Dask cluster: the real A&E example
(reference pack: peer funnels, escalation by independent signals) split by
provider over two worker processes, and the same report as one process.

    /usr/bin/python3 examples/python/dask_dashboard.py   # python3-dask, python3-distributed

On a real cluster, pass Client("tcp://scheduler:8786") and a dask DataFrame
read from shared storage instead (docs/scale-out.md).
"""
import os
import warnings

import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

import vigil
import vigil.dask

HERE = os.path.dirname(os.path.abspath(__file__))
EX = os.path.join(HERE, "..", "nhs_early_warning")
RULES = os.path.join(EX, "rules.textproto")
PROVIDERS = os.path.join(EX, "providers.csv")
INDICATORS = os.path.join(EX, "indicators.csv")


def main():
    observations = pd.read_csv(os.path.join(EX, "observations.csv"),
                               dtype={"provider_id": str, "indicator_id": str, "period": str})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Dask's start-up chatter.
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
    with cluster, Client(cluster) as client:
        report = vigil.dask.evaluate(dd.from_pandas(observations, npartitions=8, sort=False),
                                     RULES, PROVIDERS, INDICATORS, "2019-03", client=client)
    one = vigil.Engine.from_file(RULES).evaluate(observations, as_of="2019-03",
                                                 providers=PROVIDERS, indicators=INDICATORS)
    print(report)
    escalated = [p for p in report.providers if p.escalation != "routine"]
    print(f"{len(escalated)} of {len(report.providers)} trusts escalated as of {report.as_of}:")
    for p in sorted(escalated, key=lambda p: (p.escalation != "risk_summit", p.provider_id)):
        print(f"  {p.provider_id} {p.provider_name}: {p.escalation_reason[:110]}...")
    same = report.to_json() == one.to_json()
    print("the same report as one process, byte for byte:", same)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
