#!/usr/bin/env bash
# Installs the vigil Python package, offline (no PyPI), into the Python a
# user has:
#
#   bash scripts/install_python.sh
#       Debian's /usr/bin/python3 (where apt's pandas and matplotlib are):
#       builds the Debian packages libvigil0 and python3-vigil (CPack, see
#       cmake/VigilPackaging.cmake) and installs them with apt, as any
#       Debian package; no pip, no --break-system-packages.
#       Then: /usr/bin/python3 examples/python/red_providers.py
#
#   PYTHON=/path/to/venv/bin/python bash scripts/install_python.sh
#       Another interpreter, e.g. a virtual environment (make one that sees
#       Debian's pandas with: /usr/bin/python3 -m venv --system-site-packages
#       DIR): builds a wheel holding libvigil.so, tagged for this platform
#       (py3-none-linux_<arch>: it runs on this Debian's libraries only) and
#       installs it with that interpreter's pip. An interpreter whose
#       packages the system manages is refused with what to do instead.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-/usr/bin/python3}
bash scripts/install_deps.sh
mkdir -p build
log=build/python-build.log
build_release() {
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DVIGIL_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX=/usr > "$log" 2>&1 ||
    { cat "$log"; exit 1; }
  cmake --build build/release "$@" >> "$log" 2>&1 || { cat "$log"; exit 1; }
}

command -v "$python" > /dev/null || { echo "install_python.sh: no interpreter $python" >&2; exit 1; }
# Debian's own python3 (not a virtual environment made from it): the packages.
if "$python" -c 'import sys; sys.exit(0 if sys.prefix == sys.base_prefix == "/usr" else 1)'; then
  build_release
  packages=build/packages
  rm -rf "$packages"
  (cd build/release && cpack -G DEB -B "$PWD/../packages" >> "../python-build.log" 2>&1) ||
    { cat "$log"; exit 1; }
  apt-get -o DPkg::Lock::Timeout=600 install -y --reinstall \
    "$PWD/$packages"/libvigil0_*.deb "$PWD/$packages"/python3-vigil_*.deb
  /usr/bin/python3 -c "import vigil; print('vigil', vigil.__version__, 'installed for /usr/bin/python3 (python3-vigil); libvigil', vigil.library_version())"
  exit 0
fi

# Another interpreter: a wheel.
if "$python" -c 'import sys, sysconfig, os; sys.exit(0 if sys.prefix == sys.base_prefix and os.path.exists(os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED")) else 1)'; then
  echo "install_python.sh: $python's packages are managed by the system." >&2
  echo "  Use the default (no PYTHON: Debian's python3-vigil package), or a virtual" >&2
  echo "  environment: /usr/bin/python3 -m venv --system-site-packages DIR, then" >&2
  echo "  PYTHON=DIR/bin/python bash scripts/install_python.sh" >&2
  exit 1
fi
missing=()
for p in python3-pip python3-wheel python3-setuptools; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
fi
build_release --target vigil_c
stage=build/python-package
rm -rf "$stage" build/python-dist && mkdir -p "$stage"
cp -r bindings/python/pyproject.toml bindings/python/README.md bindings/python/vigil "$stage/"
cp -L build/release/capi/libvigil.so "$stage/vigil/libvigil.so"
cp build/release/python/VERSION "$stage/VERSION"  # Written by CMake: one version.
# The wheel holds a compiled library: tag it for this platform, not "any".
cat > "$stage/setup.cfg" <<CFG
[bdist_wheel]
python_tag = py3
plat_name = linux_$(uname -m)
CFG
/usr/bin/python3 -m pip wheel --no-build-isolation --no-deps --no-index \
  -w build/python-dist "$stage" > /dev/null
wheel=$(ls -t build/python-dist/vigil-*.whl | head -1)
echo "wheel: $wheel"
"$python" -m pip install --no-index --no-deps --force-reinstall "$wheel"
"$python" -c "import vigil; print('vigil', vigil.__version__, 'installed; libvigil', vigil.library_version())"
