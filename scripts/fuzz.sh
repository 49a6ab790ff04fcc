#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz with clang-14 (ASan + UBSan,
# -DVIGIL_FUZZ=ON, build dir build/fuzz) and runs each for a fixed time.
#
#   scripts/fuzz.sh [seconds] [harness...]     (default: 60 s, every harness)
#
# Harnesses: csv rule_pack dataset capi kernels report. Each run starts from the
# seed corpus (tests/fuzz/corpus/<harness>) and the regression inputs
# (tests/fuzz/regressions/<harness>), works in build/fuzz/corpus/<harness>
# (kept between runs), and stops at the first finding: out of memory over
# FUZZ_RSS_MB (default 2048) and a unit slower than 10 s count. A finding is
# written to build/fuzz/findings/<harness>/; copy it to
# tests/fuzz/regressions/<harness>/ once fixed. FUZZ_JOBS (default 1) runs
# that many workers per harness; FUZZ_RUNS stops a harness after that many
# executions (within the time); FUZZ_MAX_LEN (default 4096) caps an input's
# size; FUZZ_ASAN_OPTIONS adds to ASAN_OPTIONS (malloc_context_size=5 is
# faster for long runs); FUZZ_FLAGS adds libFuzzer flags (e.g. -entropic=0,
# which spares the entropic schedule's per-feature bookkeeping: faster for a
# harness that covers much code per input, such as capi). Exit status: 0
# when no harness found anything.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(csv rule_pack dataset capi kernels report)
rss_mb=${FUZZ_RSS_MB:-2048}
jobs=${FUZZ_JOBS:-1}
max_len=${FUZZ_MAX_LEN:-4096}

launcher=""
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
fi
CC=clang-14 CXX=clang++-14 cmake -S . -B build/fuzz -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_FUZZ=ON -DVIGIL_BUILD_TESTS=OFF \
  -DVIGIL_WERROR=OFF $launcher >/dev/null
targets=()
for h in "${harnesses[@]}"; do targets+=("vigil_fuzz_$h"); done
cmake --build build/fuzz -j "${FUZZ_BUILD_JOBS:-$(nproc)}" --target "${targets[@]}"

status=0
for h in "${harnesses[@]}"; do
  work=build/fuzz/corpus/$h
  findings=build/fuzz/findings/$h
  mkdir -p "$work" "$findings"
  echo "== fuzz $h: ${seconds}s =="
  log=build/fuzz/$h.log
  # libFuzzer's -max_total_time ends a clean run with status 0.
  extra=()
  [ "$jobs" -le 1 ] || extra+=(-jobs="$jobs" -workers="$jobs")
  [ -z "${FUZZ_RUNS:-}" ] || extra+=(-runs="$FUZZ_RUNS")
  # shellcheck disable=SC2206  # Several flags, split on spaces.
  [ -z "${FUZZ_FLAGS:-}" ] || extra+=($FUZZ_FLAGS)
  if ! ASAN_OPTIONS="detect_leaks=1${FUZZ_ASAN_OPTIONS:+:$FUZZ_ASAN_OPTIONS}" \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      build/fuzz/tests/fuzz/vigil_fuzz_"$h" -max_total_time="$seconds" \
      -rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb" -timeout=10 \
      -max_len="$max_len" "${extra[@]}" \
      -print_final_stats=1 -artifact_prefix="$findings/" \
      "$work" tests/fuzz/corpus/"$h" tests/fuzz/regressions/"$h" \
      >"$log" 2>&1; then
    echo "FINDING in $h (log: $log, input: $findings/):"
    grep -E "ERROR|FUZZ_CHECK|runtime error|out-of-memory|timeout" "$log" | head -5
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb" "$log" | \
    sed "s/^/  $h /" || true
  grep -E "^Done [0-9]+ runs in" "$log" | sed "s/^/  $h /" || true
done
exit $status
