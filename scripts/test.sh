#!/usr/bin/env bash
# Every test: installs what is needed, builds Vigil with its tests and runs
# them all through ctest (C++, C and Python suites), then builds the engine,
# the C API and their tests with AddressSanitizer + UBSan (gcc) and runs
# those again, the threaded tests under ThreadSanitizer, and each libFuzzer
# harness of tests/fuzz for 15 seconds (clang-14, ASan + UBSan).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
# What only the tests use: headless Chromium for the HTML dashboard.
if ! command -v chromium >/dev/null; then
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium ||
    { apt-get -o DPkg::Lock::Timeout=600 update &&
      apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium; }
fi
jobs=$(nproc)
# ccache, when there is one, keyed on paths relative to this clone: a fresh
# clone on a machine that has built Vigil before compiles only what changed.
launcher=""
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
fi
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPython3_EXECUTABLE=/usr/bin/python3 $launcher
cmake --build build/test -j "$jobs"
ctest --test-dir build/test --output-on-failure --no-tests=error -j "$jobs" --timeout 300

echo "== AddressSanitizer + UndefinedBehaviorSanitizer =="
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
  -DVIGIL_SANITIZE=ON -DPython3_EXECUTABLE=/usr/bin/python3 $launcher
cmake --build build/asan -j "$jobs" --target vigil_c vigil_core_test vigil_c_api_test \
  vigil_funnel_c_test vigil_spc_chart_c_test vigil_c_api_threads_test vigil_protobuf_host_test \
  vigil_c_api_limits_test vigil_c_api_html_test vigil_c_api_backtest_test \
  vigil_c_api_backtest_score_test vigil_c_api_partition_test vigil_csv_cells_test \
  vigil_report_descriptors vigil_fuzz_regression_csv vigil_fuzz_regression_rule_pack \
  vigil_fuzz_regression_dataset vigil_fuzz_regression_capi vigil_fuzz_regression_kernels \
  vigil_fuzz_regression_report
# The tests that run the vigil tool (cli_*, *_the_tool, *_in_chromium, the
# reference pack's) need the tool, which this stage does not build: the
# normal stage above runs them.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan --output-on-failure --no-tests=error -j "$jobs" \
  --timeout 600 -E '^cli_|_the_tool$|_in_chromium$|^reference_pack_|^docs_snippets$|funnel_vs_funnelplotr|attribute_spc_vs_qicharts2|bad_input_catalogue'

echo "== ThreadSanitizer: the threaded engine and C API tests =="
cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
  -DVIGIL_TSAN=ON -DPython3_EXECUTABLE=/usr/bin/python3 $launcher
cmake --build build/tsan -j "$jobs" --target vigil_core_test vigil_c_api_threads_test
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  ctest --test-dir build/tsan --output-on-failure --no-tests=error -j "$jobs" \
  --timeout 600 -R 'Thread|thread'

echo "== libFuzzer: each harness of tests/fuzz for 15 s =="
FUZZ_BUILD_JOBS="$jobs" bash scripts/fuzz.sh 15
