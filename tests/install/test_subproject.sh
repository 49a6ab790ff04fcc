#!/usr/bin/env bash
# Vigil added to a host project with add_subdirectory (as FetchContent does):
# its tests, benchmarks, -Werror and install rules are off unless asked for,
# it sets no build type for the host, and none of its settings (visibility,
# PIC, C++ standard, sanitizers) reach the host's own targets.
# Usage: test_subproject.sh SOURCE_DIR
set -euo pipefail
source=$(cd "$1" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
mkdir -p "$scratch/host"
cat > "$scratch/host/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(host LANGUAGES C CXX)
add_subdirectory("$source" vigil)
add_executable(host_app main.c)
target_link_libraries(host_app PRIVATE vigil_c)
foreach(v CMAKE_CXX_VISIBILITY_PRESET CMAKE_POSITION_INDEPENDENT_CODE
          CMAKE_CXX_STANDARD CMAKE_BUILD_TYPE)
  message(STATUS "host sees \${v}=[\${\${v}}]")
endforeach()
get_directory_property(options COMPILE_OPTIONS)
message(STATUS "host sees COMPILE_OPTIONS=[\${options}]")
CMAKE
echo 'int main(void) { return 0; }' > "$scratch/host/main.c"
cmake -S "$scratch/host" -B "$scratch/build" -G Ninja > "$scratch/log" 2>&1 ||
  { cat "$scratch/log"; exit 1; }
fail() { echo "FAIL: $*"; cat "$scratch/log"; exit 1; }
cache=$scratch/build/CMakeCache.txt
for option in VIGIL_BUILD_TESTS VIGIL_BUILD_BENCHMARKS VIGIL_WERROR VIGIL_INSTALL; do
  grep -qx "$option:BOOL=OFF" "$cache" || fail "$option is not OFF as a subproject"
done
for v in CMAKE_CXX_VISIBILITY_PRESET CMAKE_POSITION_INDEPENDENT_CODE \
         CMAKE_CXX_STANDARD CMAKE_BUILD_TYPE COMPILE_OPTIONS; do
  grep -q "host sees $v=\[\]" "$scratch/log" || fail "$v leaked into the host"
done
if grep -q "add_test\|vigil_core_test" "$scratch/build/vigil/CTestTestfile.cmake" 2>/dev/null; then
  fail "Vigil's tests are registered in the host"
fi
ninja -C "$scratch/build" -t targets all | grep -q "vigil_core_test" &&
  fail "Vigil's test targets are in the host's build"
echo "PASS: as a subproject, tests/benchmarks/-Werror/install off, no settings leak"
