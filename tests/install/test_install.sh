#!/usr/bin/env bash
# Installs Vigil from a build directory into a scratch prefix and uses it as
# a host would, from outside the source tree with only that prefix:
#   - a CMake project with find_package(vigil CONFIG REQUIRED): the C host
#     against vigil::vigil, the C++ host against vigil::vigil_cpp;
#   - the same project against the build tree (CMAKE_PREFIX_PATH=build dir);
#   - examples/c/worst_ratings.c built with pkg-config alone, whose output on
#     the example data must equal the build's own worst_ratings';
#   - the Python package from the prefix, loading the prefix's libvigil.so.0.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
example=$source/examples/nhs_early_warning
rules=$example/rules.textproto

cmake --install "$build" --prefix "$prefix" > "$scratch/install.log"
libdir=$(dirname "$(find "$prefix" -name 'libvigil.so.0' | head -1)")
[ -n "$libdir" ] || { echo "FAIL: no libvigil.so.0 installed"; exit 1; }
for f in include/vigil/vigil.h include/vigil/vigil_version.h \
         include/vigil/engine.h include/vigil/v1/report.pb.h \
         include/vigil/v1/report.proto bin/vigil; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
for f in libvigil.so libvigil.so.0 pkgconfig/vigil.pc cmake/vigil/vigilConfig.cmake \
         cmake/vigil/vigilConfigVersion.cmake; do
  [ -e "$libdir/$f" ] || { echo "FAIL: $libdir/$f not installed"; exit 1; }
done
echo "installed into $prefix (libraries in ${libdir#$prefix/})"

# 1. find_package from the install prefix, C and C++ hosts.
cd "$scratch"
cmake -S "$source/tests/install/consumer" -B consumer -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DWITH_CPP=ON \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF > consumer.log || { cat consumer.log; exit 1; }
grep -q "vigil_DIR:PATH=$libdir/cmake/vigil" consumer/CMakeCache.txt ||
  { echo "FAIL: vigil found elsewhere than the prefix"; grep vigil_DIR consumer/CMakeCache.txt; exit 1; }
cmake --build consumer > build.log 2>&1 || { cat build.log; exit 1; }
LD_LIBRARY_PATH="$libdir" ./consumer/c_host "$rules"
./consumer/cpp_host "$rules"
# The C host needs libvigil.so.0 and nothing of protobuf or Abseil.
needed=$(readelf -d consumer/c_host | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
case "$needed" in
  *absl*|*protobuf*) echo "FAIL: the C host links $needed"; exit 1 ;;
  *libvigil.so.0*) echo "C host needs: $needed" ;;
  *) echo "FAIL: the C host does not link libvigil.so.0: $needed"; exit 1 ;;
esac

# 2. find_package from the build tree.
cmake -S "$source/tests/install/consumer" -B consumer_build_tree -G Ninja \
  -DCMAKE_PREFIX_PATH="$build" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  > consumer_build_tree.log || { cat consumer_build_tree.log; exit 1; }
cmake --build consumer_build_tree > build2.log 2>&1 || { cat build2.log; exit 1; }
./consumer_build_tree/c_host "$rules"

# 3. pkg-config alone builds the C example; same output as the build's.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Werror $(pkg-config --cflags vigil) \
  "$source/examples/c/worst_ratings.c" $(pkg-config --libs vigil) -o worst_ratings
LD_LIBRARY_PATH="$libdir" ./worst_ratings "$example" > from_prefix.txt
"$build/examples/c/worst_ratings" "$example" > from_build.txt
cmp from_prefix.txt from_build.txt
echo "pkg-config: worst_ratings gives the build's $(wc -l < from_prefix.txt) lines"

# 4. The Python package from the prefix, with the prefix's library.
pydir=$(dirname "$(find "$prefix" -path '*/vigil/__init__.py' | head -1)")
env -u VIGIL_LIBRARY PYTHONPATH="$(dirname "$pydir")" LD_LIBRARY_PATH="$libdir" \
  /usr/bin/python3 -c "
import vigil, vigil._loader as l
assert vigil.__version__ == '$(sed -n 's/^#define VIGIL_VERSION_STRING "\(.*\)"/\1/p' "$prefix/include/vigil/vigil_version.h")', vigil.__version__
print('python: vigil', vigil.__version__)"
echo "PASS"
