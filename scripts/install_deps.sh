#!/usr/bin/env bash
# Installs Vigil's build and test dependencies from Debian 12's packages.
# Idempotent: does nothing when they are all present. Needs root (or sudo).
set -euo pipefail
packages=(cmake ninja-build g++ libabsl-dev libprotobuf-dev protobuf-compiler
          libgtest-dev libgmock-dev libbenchmark-dev python3 python3-pytest
          python3-protobuf python3-pandas python3-scipy python3-matplotlib ccache
          python3-dask python3-distributed
          pkg-config dpkg-dev abigail-tools
          clang-14 libclang-rt-14-dev)  # The last two: scripts/fuzz.sh.
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"; then
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
fi
