#!/usr/bin/env bash
# Every test: installs what is needed, builds Vigil with its tests and runs
# them all through ctest (C++, C and Python suites), then builds the engine,
# the C API and their tests with AddressSanitizer + UBSan (gcc) and runs
# those again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
jobs=$(nproc)
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPython3_EXECUTABLE=/usr/bin/python3
cmake --build build/test -j "$jobs"
ctest --test-dir build/test --output-on-failure --no-tests=error -j "$jobs" --timeout 300

echo "== AddressSanitizer + UndefinedBehaviorSanitizer =="
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
  -DVIGIL_SANITIZE=ON -DPython3_EXECUTABLE=/usr/bin/python3
cmake --build build/asan -j "$jobs" --target vigil_c vigil_core_test vigil_c_api_test \
  vigil_funnel_c_test vigil_spc_chart_c_test vigil_c_api_threads_test vigil_protobuf_host_test \
  vigil_report_descriptors
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan --output-on-failure --no-tests=error -j "$jobs" \
  --timeout 600 -E 'cli_tool|cli_funnel|cli_spc_charts|funnel_vs_funnelplotr|attribute_spc_vs_qicharts2|bad_input_catalogue'
