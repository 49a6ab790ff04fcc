#!/usr/bin/env bash
# Builds Vigil in Release and runs every Google Benchmark suite (a few
# minutes on 2 cores), then measures the tool's peak memory on the
# England-scale workload. Output: build/bench/results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
command -v /usr/bin/time >/dev/null || apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends time
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DVIGIL_BUILD_BENCHMARKS=ON -DVIGIL_BUILD_TESTS=OFF
cmake --build build/bench -j "$(nproc)"
out=build/bench/results.txt
: > "$out"
for suite in kernel spc funnel engine capi report_json; do
  echo "== $suite ==" | tee -a "$out"
  build/bench/bench/vigil_${suite}_benchmark --benchmark_min_time=0.5 2>&1 | tee -a "$out"
done
# The England evaluation again, as medians of 5 (this is what the 1- vs
# 2-thread figures in bench/README.md come from).
echo "== England evaluation, medians of 5 ==" | tee -a "$out"
build/bench/bench/vigil_engine_benchmark --benchmark_filter=EvaluateEngland \
  --benchmark_min_time=0.5 --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true 2>&1 | grep -E "median|stddev" | tee -a "$out"
echo "== peak memory of vigil evaluate on the England-scale workload ==" | tee -a "$out"
work=build/bench/workload
mkdir -p "$work"
build/bench/bench/vigil_workload --out "$work" | tee -a "$out"
ls -l "$work"/observations.csv "$work"/dataset.pb | tee -a "$out"
/usr/bin/time -v build/bench/tools/vigil evaluate --rules "$work/rules.textproto" \
  --data "$work/dataset.pb" --as-of 2024-03 --format json --output /dev/null 2>&1 \
  | grep -E "Maximum resident|Elapsed" | tee -a "$out"
/usr/bin/time -v build/bench/tools/vigil evaluate --rules "$work/rules.textproto" \
  --data "$work/observations.csv" --providers "$work/providers.csv" \
  --indicators "$work/indicators.csv" --plans "$work/plans.csv" --as-of 2024-03 --format json --output /dev/null 2>&1 \
  | grep -E "Maximum resident|Elapsed" | tee -a "$out"
echo "== start-up, vigil spc and vigil evaluate CPU per run (issue 19) ==" | tee -a "$out"
python3 scripts/startup_bench.py --tool build/bench/tools/vigil --workload "$work" 2>&1 | tee -a "$out"
echo "== distributed evaluation on Dask: 10x England, 1 and 2 workers (issue 19) ==" | tee -a "$out"
work10=build/bench/workload10
mkdir -p "$work10"
build/bench/bench/vigil_workload --out "$work10" --providers 2500 | tee -a "$out"
VIGIL_LIBRARY=build/bench/capi/libvigil.so PYTHONPATH=bindings/python \
  /usr/bin/python3 scripts/dask_bench.py --workload "$work10" \
  --tool build/bench/tools/vigil 2>&1 | tee -a "$out"
