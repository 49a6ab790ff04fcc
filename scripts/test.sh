#!/usr/bin/env bash
# Every test: installs what is needed, builds Vigil with its tests and runs
# them all through ctest (C++, C and Python suites).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
jobs=$(nproc)
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPython3_EXECUTABLE=/usr/bin/python3
cmake --build build/test -j "$jobs"
ctest --test-dir build/test --output-on-failure --no-tests=error -j "$jobs" --timeout 300
