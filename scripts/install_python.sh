#!/usr/bin/env bash
# Installs the vigil Python package, offline: builds libvigil.so (Release),
# stages it inside the package, builds a wheel with Debian's setuptools and
# wheel (no PyPI), and installs it into $PYTHON (default: python3 on PATH).
#   bash scripts/install_python.sh && python3 -c "import vigil; print(vigil.__version__)"
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
bash scripts/install_deps.sh
missing=()
for p in python3-pip python3-wheel python3-setuptools; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
fi
mkdir -p build
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DVIGIL_BUILD_TESTS=OFF > build/python-build.log 2>&1 || { cat build/python-build.log; exit 1; }
cmake --build build/release --target vigil_c >> build/python-build.log 2>&1 || { cat build/python-build.log; exit 1; }
stage=build/python-package
rm -rf "$stage" && mkdir -p "$stage"
cp -r bindings/python/pyproject.toml bindings/python/README.md bindings/python/vigil "$stage/"
cp -L build/release/capi/libvigil.so "$stage/vigil/libvigil.so"
cp build/release/python/VERSION "$stage/VERSION"  # Written by CMake: one version.
/usr/bin/python3 -m pip wheel --no-build-isolation --no-deps --no-index \
  -w build/python-dist "$stage" > /dev/null
wheel=$(ls -t build/python-dist/vigil-*.whl | head -1)
flags=(--no-index --no-deps --force-reinstall)
# Debian's own interpreter is "externally managed"; this package is ours.
if "$python" -c 'import sys, sysconfig, os; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED")) else 1)'; then
  flags+=(--break-system-packages)
fi
"$python" -m pip install "${flags[@]}" "$wheel"
"$python" -c "import vigil; print('vigil', vigil.__version__, 'installed; libvigil', vigil.library_version())"
