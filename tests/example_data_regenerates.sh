#!/usr/bin/env bash
# The NHS example's data regenerates, byte for byte, from the real source
# data kept in the repository (examples/nhs_early_warning/source/).
# Usage: tests/example_data_regenerates.sh SOURCE_DIR PYTHON3
set -euo pipefail
root=$1
python=${2:-python3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$python" "$root/scripts/make_example_data.py" "$root/examples/nhs_early_warning/source" \
  "$out/nhs_early_warning" "$out/spc" > /dev/null
for f in observations providers indicators; do
  cmp "$out/nhs_early_warning/$f.csv" "$root/examples/nhs_early_warning/$f.csv"
done
for f in observations providers; do
  cmp "$out/nhs_early_warning/snapshot_2022-04/$f.csv" \
    "$root/examples/nhs_early_warning/snapshot_2022-04/$f.csv"
done
cmp "$out/spc/ae_type1_4hr.csv" "$root/examples/spc/ae_type1_4hr.csv"
echo "the example regenerates from examples/nhs_early_warning/source"
