#!/usr/bin/env bash
# Compares libvigil.so's ABI with the committed baseline (abi/libvigil.abi)
# using Debian's abigail-tools. Fails on an incompatible change (a function
# removed, a parameter or a public struct changed: abidiff's bit 8) or an
# error; reports a compatible change (a function added) and passes.
#   abi/check_abi.sh LIBRARY [--update]   (--update rewrites the baseline)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
library=$1
build_include=$(cd "$(dirname "$library")/../include" && pwd)
current=$(mktemp --suffix=.abi)
trap 'rm -f "$current"' EXIT
abidw --no-show-locs --no-corpus-path --exported-interfaces-only \
  --drop-private-types --drop-undefined-syms \
  --suppressions "$here/libvigil.abignore" \
  --header-file "$here/../include/vigil/vigil.h" \
  --header-file "$build_include/vigil/vigil_version.h" \
  --out-file "$current" "$library" || { echo "abidw failed"; exit 1; }
if [ "${2:-}" = "--update" ]; then
  install -m 644 "$current" "$here/libvigil.abi"
  echo "baseline updated: $here/libvigil.abi"
  exit 0
fi
abidiff --no-show-locs "$here/libvigil.abi" "$current"
status=$?
if (( status & 8 )); then
  echo "FAIL: incompatible ABI change against abi/libvigil.abi (see above)."
  echo "A host built against the baseline would break: restore the old"
  echo "interface, or bump the SONAME (the major version) and run"
  echo "abi/check_abi.sh LIBRARY --update."
  exit 1
fi
if (( status & 3 )); then
  echo "FAIL: abidiff could not compare (status $status)"
  exit 1
fi
if (( status & 4 )); then
  echo "compatible ABI change (above): update the baseline when it ships"
else
  echo "ABI identical to abi/libvigil.abi"
fi
exit 0
