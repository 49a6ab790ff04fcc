#!/usr/bin/env bash
# Builds the Debian packages with CPack from a build directory, checks each
# package's name, version, dependencies and file list, unpacks them all into
# a scratch root (dpkg-deb -x) and runs what they hold from there: the vigil
# tool prints the project version, the Python package loads libvigil0's
# library, and a C program builds against libvigil-dev with pkg-config.
# Usage: test_debian_packages.sh BUILD_DIR VERSION
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$build" && cpack -G DEB -B "$scratch/packages" > "$scratch/cpack.log" 2>&1) ||
  { cat "$scratch/cpack.log"; exit 1; }
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
fail() { echo "FAIL: $*"; exit 1; }

deb() { echo "$scratch/packages/$1_${version}-1_$2.deb"; }
runtime=$(deb libvigil0 "$arch")
dev=$(deb libvigil-dev "$arch")
tools=$(deb vigil-tools "$arch")
python=$(deb python3-vigil all)
for p in "$runtime" "$dev" "$tools" "$python"; do
  [ -f "$p" ] || fail "$(basename "$p") not built; got: $(ls "$scratch/packages")"
done
[ "$(ls "$scratch/packages"/*.deb | wc -l)" -eq 4 ] || fail "not exactly four packages"

# Each file list: what must be there, and what must not.
# (grep reads the whole list: `grep -q` stops at the first match and the
# writer's SIGPIPE fails the pipeline under pipefail.)
has() { dpkg-deb -c "$1" | awk '{print $6}' | grep -x "./$2" > /dev/null || fail "$(basename "$1") lacks $2"; }
lacks() { ! dpkg-deb -c "$1" | awk '{print $6}' | grep "$2" > /dev/null || fail "$(basename "$1") holds $2"; }
lib=usr/lib/$multiarch
has "$runtime" "$lib/libvigil.so.$version"
has "$runtime" "$lib/libvigil.so.0"
has "$runtime" "usr/share/doc/libvigil0/copyright"
lacks "$runtime" "libvigil.so\$"
lacks "$runtime" "usr/include"
has "$dev" "usr/include/vigil/vigil.h"
has "$dev" "usr/include/vigil/vigil_version.h"
has "$dev" "usr/include/vigil/engine.h"
has "$dev" "usr/include/vigil/v1/report.pb.h"
has "$dev" "$lib/libvigil.so"
has "$dev" "$lib/pkgconfig/vigil.pc"
has "$dev" "$lib/cmake/vigil/vigilConfig.cmake"
has "$dev" "$lib/cmake/vigil/vigilConfigVersion.cmake"
has "$dev" "usr/share/doc/libvigil-dev/copyright"
lacks "$dev" "libvigil.so.$version"
has "$tools" "usr/bin/vigil"
has "$tools" "usr/share/man/man1/vigil.1.gz"
for p in libvigil0 libvigil-dev vigil-tools python3-vigil; do
  has "$(deb "$p" "$([ "$p" = python3-vigil ] && echo all || echo "$arch")")" \
    "usr/share/doc/$p/changelog.Debian.gz"
done
# The runtime package declares its library (shlibs) and asks for ldconfig
# by trigger.
dpkg-deb -I "$runtime" triggers | grep -q "activate-noawait ldconfig" || fail "no ldconfig trigger"
dpkg-deb -I "$runtime" shlibs | grep -q "libvigil 0 libvigil0" || fail "no shlibs"
lacks "$tools" "$lib"
has "$python" "usr/lib/python3/dist-packages/vigil/__init__.py"
lacks "$python" "libvigil.so"

# Dependencies: computed for the binaries, exact between library packages.
depends() { dpkg-deb -f "$1" Depends; }
depends "$runtime" | grep -q "libc6" || fail "libvigil0 Depends lacks libc6: $(depends "$runtime")"
depends "$tools" | grep -q "libc6" || fail "vigil-tools Depends lacks libc6"
depends "$dev" | grep -q "libvigil0 (= $version-1)" || fail "libvigil-dev Depends: $(depends "$dev")"
depends "$python" | grep -q "libvigil0" || fail "python3-vigil Depends: $(depends "$python")"
for p in "$runtime" "$dev" "$tools" "$python"; do
  [ "$(dpkg-deb -f "$p" Version)" = "$version-1" ] || fail "$(basename "$p") version"
  [ -n "$(dpkg-deb -f "$p" Maintainer)" ] || fail "$(basename "$p") has no maintainer"
done

# Unpacked together, they work.
root=$scratch/root
for p in "$runtime" "$dev" "$tools" "$python"; do dpkg-deb -x "$p" "$root"; done
printed=$("$root/usr/bin/vigil" --version)
case "$printed" in
  *"$version"*) echo "vigil --version: $printed" ;;
  *) fail "vigil --version printed '$printed', not $version" ;;
esac
env -u VIGIL_LIBRARY PYTHONPATH="$root/usr/lib/python3/dist-packages" \
  LD_LIBRARY_PATH="$root/$lib" /usr/bin/python3 -c "
import vigil
assert vigil.__version__ == '$version', vigil.__version__
print('python3-vigil:', vigil.__version__)"
# libvigil-dev's vigil.pc is relocatable: it points into the scratch root.
cat > "$scratch/host.c" <<'C'
#include <stdio.h>
#include <vigil/vigil.h>
int main(void) { printf("%s\n", vigil_version()); return 0; }
C
# shellcheck disable=SC2046
pc() { PKG_CONFIG_PATH="$root/$lib/pkgconfig" pkg-config "$@" vigil; }
cc -std=c99 -Wall -Werror $(pc --cflags) "$scratch/host.c" $(pc --libs) -o "$scratch/host"
[ "$(LD_LIBRARY_PATH="$root/$lib" "$scratch/host")" = "$version" ] || fail "host version"
for p in "$runtime" "$dev" "$tools" "$python"; do
  printf '%s %s KB\n' "$(basename "$p")" "$(( $(stat -c %s "$p") / 1024 ))"
done
echo "PASS"
